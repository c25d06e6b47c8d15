package sqldb_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/supportbot/supportbot/internal/sqldb"
)

// OpenTest opens a fresh database for a test: PostgreSQL when
// SUPPORTBOT_TEST_POSTGRES is a URL, else SQLite in a temp dir.
func openTest(tb testing.TB) *sqldb.DB {
	tb.Helper()
	url := os.Getenv("SUPPORTBOT_TEST_POSTGRES")
	if url == "" {
		url = filepath.Join(tb.TempDir(), "test.db")
	}
	db, err := sqldb.Open(context.Background(), url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	ms := []sqldb.Migration{
		{1, `CREATE TABLE IF NOT EXISTS t_items (id AUTOID, name TEXT NOT NULL UNIQUE, data BLOB)`},
		{2, `ALTER TABLE t_items ADD COLUMN n INTEGER NOT NULL DEFAULT 7`},
	}
	for i := 0; i < 2; i++ { // the second run must be a no-op
		if err := db.Migrate(ctx, "test", ms); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id, err := tx.InsertID(ctx, `INSERT INTO t_items (name, data) VALUES (?, ?)`, "a", []byte{0, 1})
	if err != nil || id == 0 {
		t.Fatalf("insert: id=%d err=%v", id, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(ctx, `SELECT n FROM t_items WHERE id = ?`, id).Scan(&n); err != nil || n != 7 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	_, err = db.Exec(ctx, `INSERT INTO t_items (name) VALUES (?)`, "a")
	if !sqldb.IsUniqueViolation(err) {
		t.Fatalf("want unique violation, got %v", err)
	}
	db.Exec(ctx, `DROP TABLE t_items`)
	db.Exec(ctx, `DELETE FROM schema_migrations WHERE component = 'test'`)
}

func TestRebind(t *testing.T) {
	db := &sqldb.DB{Dialect: sqldb.Postgres}
	if got := db.Rebind("a = ? AND b = ?"); got != "a = $1 AND b = $2" {
		t.Fatal(got)
	}
}
