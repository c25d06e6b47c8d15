package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Notify sends payload to every process that Listens on channel, once the
// transaction commits (PostgreSQL's NOTIFY; payloads must stay under
// 8,000 bytes). SQLite is one process's database, so there it does
// nothing.
func (tx *Tx) Notify(ctx context.Context, channel, payload string) error {
	return notify(ctx, tx.db.Dialect, tx.Tx.ExecContext, channel, payload)
}

// Notify sends payload to every process that Listens on channel, at once
// (outside a transaction). On SQLite it does nothing.
func (db *DB) Notify(ctx context.Context, channel, payload string) error {
	return notify(ctx, db.Dialect, db.DB.ExecContext, channel, payload)
}

func notify(ctx context.Context, dialect string, exec func(context.Context, string, ...any) (sql.Result, error), channel, payload string) error {
	if dialect != Postgres {
		return nil
	}
	if _, err := exec(ctx, `SELECT pg_notify($1, $2)`, channel, payload); err != nil {
		return fmt.Errorf("notify %s: %w", channel, err)
	}
	return nil
}

// Listen calls fn with the payload of every Notify on channel, from any
// process sharing the database, until ctx ends (then it returns nil).
// ready, if set, is called once the subscription is in place. It holds a
// connection of its own, and returns the connection's error if it
// breaks: the caller decides when to listen again, and what it may have
// missed in between. On SQLite it only waits for ctx.
func (db *DB) Listen(ctx context.Context, channel string, ready func(), fn func(payload string)) error {
	if db.Dialect != Postgres {
		if ready != nil {
			ready()
		}
		<-ctx.Done()
		return nil
	}
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("listen %s: %w", channel, err)
	}
	defer conn.Close()
	var waitErr error
	conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		if _, err := pc.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
			waitErr = err
			return driver.ErrBadConn
		}
		if ready != nil {
			ready()
		}
		for {
			n, err := pc.WaitForNotification(ctx)
			if err != nil {
				waitErr = err
				// A listening connection must not go back to the pool.
				return driver.ErrBadConn
			}
			fn(n.Payload)
		}
	})
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("listen %s: %w", channel, waitErr)
}

// Follow Listens on channel until ctx ends, listening again a second after
// a broken connection. ready is called each time the subscription is in
// place, with again = true after a break: notifications sent meanwhile
// were missed, and the caller resyncs. broke, if set, is told each break.
func (db *DB) Follow(ctx context.Context, channel string, ready func(again bool), fn func(payload string), broke func(error)) {
	for again := false; ; again = true {
		err := db.Listen(ctx, channel, func() { ready(again) }, fn)
		if ctx.Err() != nil {
			return
		}
		if broke != nil {
			broke(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}
