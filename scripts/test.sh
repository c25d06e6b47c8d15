#!/usr/bin/env bash
# Installs what the tests need and runs every test. This is the README's
# test command and what CI runs (.ci/run).
#
#   - Debian packages: chromium (browser tests), postgresql (the storage
#     tests run against PostgreSQL too), nodejs/npm (the Telegram Bot API
#     emulator);
#   - npm peers: telegram-test-api, from the committed package-lock.json;
#   - a throwaway PostgreSQL cluster on loopback, stopped on exit;
#   - go test ./... with the race detector.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '==> %s\n' "$*" >&2; }

need=()
[ -x /usr/lib/chromium/chromium ] || need+=(chromium)
# CJK fonts, so that screenshots of Chinese, Japanese and Korean pages are legible.
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  log "installing Debian packages: ${need[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

for lock in $(git ls-files '*package-lock.json'); do
  dir=$(dirname "$lock")
  log "npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
done

# A PostgreSQL cluster of our own, on a free port, as the postgres user
# (initdb refuses root).
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pgdir=$(mktemp -d)
chmod 755 "$pgdir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)
asuser=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$pgdir"
  asuser=(runuser -u postgres --)
fi
cleanup() {
  "${asuser[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap cleanup EXIT
log "starting PostgreSQL on 127.0.0.1:$port"
"${asuser[@]}" "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
"${asuser[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $pgdir -c fsync=off" start >/dev/null
export SUPPORTBOT_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"

export SUPPORTBOT_ARTIFACTS="${SUPPORTBOT_ARTIFACTS:-$root/test-artifacts}"
mkdir -p "$SUPPORTBOT_ARTIFACTS"
log "go test (screenshots and other artifacts in $SUPPORTBOT_ARTIFACTS)"
go vet ./...
go test -count=1 -race -timeout 20m ./... "$@"
