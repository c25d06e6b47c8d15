// Package sqldbtest opens fresh databases for tests: a SQLite file in a
// temporary folder, and, when SUPPORTBOT_TEST_POSTGRES names a PostgreSQL
// server (scripts/test.sh starts one), a new database on it for each test,
// so storage code is tested on both dialects.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/supportbot/supportbot/internal/sqldb"
)

// EnvPostgres names the variable with the PostgreSQL server's URL.
const EnvPostgres = "SUPPORTBOT_TEST_POSTGRES"

// Dialects returns the dialects to test on: SQLite always, PostgreSQL when
// a server is configured.
func Dialects() []string {
	if os.Getenv(EnvPostgres) != "" {
		return []string{sqldb.SQLite, sqldb.Postgres}
	}
	return []string{sqldb.SQLite}
}

// Open returns an empty database of the dialect, removed after the test.
func Open(tb testing.TB, dialect string) *sqldb.DB {
	tb.Helper()
	ctx := context.Background()
	if dialect == sqldb.SQLite {
		db, err := sqldb.Open(ctx, filepath.Join(tb.TempDir(), "test.db"))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return db
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		tb.Skipf("PostgreSQL tests need %s", EnvPostgres)
	}
	admin, err := sqldb.Open(ctx, base)
	if err != nil {
		tb.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "test_" + hex.EncodeToString(b)
	if _, err := admin.DB.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		tb.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	db, err := sqldb.Open(ctx, u.String())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		db.Close()
		admin.DB.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	})
	return db
}

// Run runs f as a subtest on each dialect.
func Run(t *testing.T, f func(t *testing.T, db *sqldb.DB)) {
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) { f(t, Open(t, d)) })
	}
}
