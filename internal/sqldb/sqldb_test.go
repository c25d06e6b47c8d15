package sqldb_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

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

// TestSQLiteWritersTakeTurns: many goroutines writing through
// transactions and plain statements at once all succeed (none meets
// SQLITE_BUSY), a writer waiting for its turn gives up when its context
// ends, and ending a transaction twice hands the turn on once.
func TestSQLiteWritersTakeTurns(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.Open(t, sqldb.SQLite)
	if _, err := db.Exec(ctx, `CREATE TABLE t_n (id AUTOID, v INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	const writers, each = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if w%2 == 0 {
					_, err := db.Exec(ctx, `INSERT INTO t_n (v) VALUES (?)`, i)
					errs <- err
					continue
				}
				tx, err := db.Begin(ctx)
				if err != nil {
					errs <- err
					continue
				}
				_, err = tx.Exec(ctx, `INSERT INTO t_n (v) VALUES (?)`, i)
				if err == nil {
					err = tx.Commit()
				}
				tx.Rollback() // after Commit: a no-op that must not end another writer's turn
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM t_n`).Scan(&n); err != nil || n != writers*each {
		t.Fatalf("%d rows, %v", n, err)
	}

	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := db.Begin(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a second writer while the first holds the turn: %v", err)
	}
	if _, err := db.Exec(short, `INSERT INTO t_n (v) VALUES (1)`); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a statement while a transaction holds the turn: %v", err)
	}
	tx.Rollback()
	if _, err := db.Exec(ctx, `INSERT INTO t_n (v) VALUES (1)`); err != nil {
		t.Fatalf("after the turn ended: %v", err)
	}
}
