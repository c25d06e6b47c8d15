package bot

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"

	"github.com/supportbot/supportbot"
)

// Account-link tokens let the operator's site bind a chat user to an
// exchange account: the site signs the account id, the user opens a deep
// link (Telegram: t.me/<bot>?start=<token>) and the bot verifies it. The
// token is compact because Telegram's start parameter allows 64 characters
// of [A-Za-z0-9_-]: raw URL-safe base64 of
// len(account) | account | expiry (uint32 Unix seconds) | nonce (4 bytes) |
// HMAC-SHA256 truncated to 12 bytes (96 bits, ample for a short-lived token).

// MaxLinkAccountLen keeps tokens within Telegram's 64 characters.
const MaxLinkAccountLen = 20

// NewLinkToken signs a one-time token for account, valid for ttl.
func NewLinkToken(secret, account string, ttl time.Duration, now time.Time) (string, error) {
	if secret == "" {
		return "", errors.New("no link secret configured")
	}
	if account == "" || len(account) > MaxLinkAccountLen {
		return "", errors.New("account id must be 1 to 20 bytes")
	}
	b := []byte{byte(len(account))}
	b = append(b, account...)
	b = binary.BigEndian.AppendUint32(b, uint32(now.Add(ttl).Unix()))
	nonce := make([]byte, 4)
	rand.Read(nonce)
	b = append(b, nonce...)
	b = append(b, linkMAC(secret, b)...)
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// VerifyLinkToken checks a token and returns its account and nonce.
func VerifyLinkToken(secret, token string, now time.Time) (account, nonce string, err error) {
	bad := supportbot.Errorf(supportbot.EINVALID, "invalid link token")
	if secret == "" {
		return "", "", bad
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) < 1 {
		return "", "", bad
	}
	n := int(b[0])
	if n == 0 || n > MaxLinkAccountLen || len(b) != 1+n+4+4+12 {
		return "", "", bad
	}
	body, mac := b[:len(b)-12], b[len(b)-12:]
	if !hmac.Equal(mac, linkMAC(secret, body)) {
		return "", "", bad
	}
	exp := binary.BigEndian.Uint32(body[1+n:])
	if now.Unix() > int64(exp) {
		return "", "", supportbot.Errorf(supportbot.EINVALID, "link token expired")
	}
	return string(body[1 : 1+n]), base64.RawURLEncoding.EncodeToString(body[1+n:]), nil
}

func linkMAC(secret string, b []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte("supportbot-link-v1\x00"))
	h.Write(b)
	return h.Sum(nil)[:12]
}
