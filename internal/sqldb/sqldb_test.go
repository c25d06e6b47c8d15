package sqldb_test

import (
	"context"
	"testing"

	"github.com/supportbot/supportbot/internal/sqldb"
	"github.com/supportbot/supportbot/internal/sqldb/sqldbtest"
)

func TestMigrate(t *testing.T) {
	sqldbtest.Run(t, testMigrate)
}

func testMigrate(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
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
}

func TestRebind(t *testing.T) {
	db := &sqldb.DB{Dialect: sqldb.Postgres}
	if got := db.Rebind("a = ? AND b = ?"); got != "a = $1 AND b = $2" {
		t.Fatal(got)
	}
}
