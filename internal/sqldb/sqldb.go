// Package sqldb opens the SQL database that conversations, tickets and
// everything else persistent live in, and applies schema migrations.
//
// The default is an embedded SQLite file (modernc.org/sqlite, no cgo);
// PostgreSQL (pgx) serves deployments with several replicas. Queries are
// written once in portable SQL with "?" placeholders; Rebind turns them into
// PostgreSQL's "$1" form. Times are stored as Unix milliseconds (BIGINT) so
// that both databases compare and sort them the same way.
package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is a database handle that knows its dialect.
type DB struct {
	*sql.DB
	Dialect string
	// writes serialises this process's SQLite writers (nil for
	// PostgreSQL). SQLite has one write lock per file; a writer that finds
	// it taken is put to sleep by the busy handler and polls, with sleeps
	// that grow to 100 ms, so under load a write can wait several polls
	// after the lock came free (the web-chat benchmark's p99 tail). Taking
	// this channel first hands the file over the moment the last writer
	// is done; busy_timeout still covers other processes (the CLI).
	writes chan struct{}
}

// Open opens a database. url is a file path (SQLite; created with its
// folder if missing), "sqlite:PATH", or a "postgres://" URL.
func Open(ctx context.Context, url string) (*DB, error) {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		db, err := sql.Open("pgx", url)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("connect to postgres: %w", err)
		}
		return &DB{DB: db, Dialect: Postgres}, nil
	}
	path := strings.TrimPrefix(url, "sqlite:")
	if path != ":memory:" {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	// WAL lets readers run beside the one writer; busy_timeout makes
	// concurrent writers wait instead of failing with SQLITE_BUSY;
	// synchronous(FULL) makes a committed transaction survive power loss,
	// not just a crash of the process.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if path == ":memory:" {
		db.SetMaxOpenConns(1) // each connection would get its own empty database
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return &DB{DB: db, Dialect: SQLite, writes: make(chan struct{}, 1)}, nil
}

// lockWrites waits for this process's turn to write (SQLite) and returns
// the function that ends it, which may be called more than once.
func (db *DB) lockWrites(ctx context.Context) (func(), error) {
	if db.writes == nil {
		return func() {}, nil
	}
	select {
	case db.writes <- struct{}{}:
		return sync.OnceFunc(func() { <-db.writes }), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Rebind rewrites "?" placeholders for the dialect. It does not look
// inside string literals: queries must not contain a literal "?".
func (db *DB) Rebind(q string) string {
	if db.Dialect != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Exec, Query and QueryRow rebind q and run it. Exec is taken to write.
func (db *DB) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	unlock, err := db.lockWrites(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return db.DB.ExecContext(ctx, db.Rebind(q), args...)
}

// Query runs a query that returns rows.
func (db *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.DB.QueryContext(ctx, db.Rebind(q), args...)
}

// QueryRow runs a query that returns at most one row.
func (db *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return db.DB.QueryRowContext(ctx, db.Rebind(q), args...)
}

// Tx is a transaction that rebinds like DB.
type Tx struct {
	*sql.Tx
	db     *DB
	unlock func()
}

// Begin starts a transaction. On SQLite it is a write transaction (BEGIN
// IMMEDIATE) and holds this process's write turn until it ends: do not
// write through the DB while a transaction is open.
func (db *DB) Begin(ctx context.Context) (*Tx, error) {
	unlock, err := db.lockWrites(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.DB.BeginTx(ctx, nil)
	if err != nil {
		unlock()
		return nil, err
	}
	return &Tx{Tx: tx, db: db, unlock: unlock}, nil
}

// Commit commits the transaction and ends its write turn.
func (tx *Tx) Commit() error {
	defer tx.unlock()
	return tx.Tx.Commit()
}

// Rollback aborts the transaction (after Commit, it does nothing and
// returns sql.ErrTxDone) and ends its write turn.
func (tx *Tx) Rollback() error {
	defer tx.unlock()
	return tx.Tx.Rollback()
}

// Exec runs a statement in the transaction.
func (tx *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return tx.Tx.ExecContext(ctx, tx.db.Rebind(q), args...)
}

// Query runs a query in the transaction.
func (tx *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.Tx.QueryContext(ctx, tx.db.Rebind(q), args...)
}

// QueryRow runs a single-row query in the transaction.
func (tx *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.Tx.QueryRowContext(ctx, tx.db.Rebind(q), args...)
}

// InsertID runs an INSERT of one row into a table whose key is an "id"
// column from AutoID, and returns the new id. (PostgreSQL has no
// LastInsertId, so it uses RETURNING.)
func (tx *Tx) InsertID(ctx context.Context, q string, args ...any) (int64, error) {
	if tx.db.Dialect == Postgres {
		var id int64
		err := tx.QueryRow(ctx, q+" RETURNING id", args...).Scan(&id)
		return id, err
	}
	res, err := tx.Exec(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// InsertID is Tx.InsertID outside a transaction.
func (db *DB) InsertID(ctx context.Context, q string, args ...any) (int64, error) {
	if db.Dialect == Postgres {
		var id int64
		err := db.QueryRow(ctx, q+" RETURNING id", args...).Scan(&id)
		return id, err
	}
	res, err := db.Exec(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// IsUniqueViolation reports whether err is a unique-constraint failure, in
// either dialect.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505") ||
		strings.Contains(s, "duplicate key value")
}

// Millis converts a time to the stored form; the zero time is 0.
func Millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// Time converts a stored value back; 0 is the zero time.
func Time(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
