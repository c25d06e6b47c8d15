package telegram

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/supportbot/supportbot/internal/sqldb"
)

// The connector keeps three tables (component "telegram" in sqldb):
//
//   - telegram_state: the getUpdates offset, so a restart asks Telegram for
//     what comes after the last update stored;
//   - telegram_updates: an inbox of received updates. An update is stored
//     before Telegram is told it arrived (the next getUpdates offset, or
//     the webhook's 200), and its primary key drops repeats, so each update
//     is processed once even when Telegram delivers it again. It also
//     serves as the dedup table for callback queries and photos, which the
//     engine's (channel, message id) dedup never sees;
//   - telegram_sent: how many parts of each Send reply were delivered, so a
//     retried Send resumes instead of repeating itself.
var migrations = []sqldb.Migration{
	{Version: 1, SQL: `
CREATE TABLE IF NOT EXISTS telegram_state (
	bot_id TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, updated_at BIGINT NOT NULL,
	PRIMARY KEY (bot_id, name));
CREATE TABLE IF NOT EXISTS telegram_updates (
	bot_id TEXT NOT NULL, update_id BIGINT NOT NULL, chat_key TEXT NOT NULL, payload TEXT NOT NULL,
	status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, progress INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL, received_at BIGINT NOT NULL, done_at BIGINT NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (bot_id, update_id));
CREATE INDEX IF NOT EXISTS telegram_updates_status ON telegram_updates (bot_id, status, update_id);
CREATE TABLE IF NOT EXISTS telegram_sent (
	bot_id TEXT NOT NULL, chat_id TEXT NOT NULL, reply_id TEXT NOT NULL, parts_sent INTEGER NOT NULL,
	done INTEGER NOT NULL, updated_at BIGINT NOT NULL,
	PRIMARY KEY (bot_id, chat_id, reply_id));
`},
}

// Update states in telegram_updates.
const (
	statusPending = "pending" // to process (or being processed, under a lease)
	statusDone    = "done"    // processed
	statusFailed  = "failed"  // gave up after MaxAttempts
)

// store is the connector's SQL state.
type store struct {
	db    *sqldb.DB
	botID string
	now   func() time.Time
}

func openStore(ctx context.Context, db *sqldb.DB, botID string, now func() time.Time) (*store, error) {
	if err := db.Migrate(ctx, "telegram", migrations); err != nil {
		return nil, err
	}
	return &store{db: db, botID: botID, now: now}, nil
}

// inUpdate is an update as received: its id, the chat it belongs to (for
// ordering) and the raw JSON, kept as Telegram sent it.
type inUpdate struct {
	ID      int64
	ChatKey string
	Payload []byte
}

// addUpdates stores updates and the offset after them in one transaction
// and returns how many were new. Repeats are ignored.
func (s *store) addUpdates(ctx context.Context, us []inUpdate, saveOffset bool) (int, error) {
	if len(us) == 0 {
		return 0, nil
	}
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("store updates: %w", err)
	}
	defer tx.Rollback()
	now := s.now().UnixMilli()
	added := 0
	var last int64
	for _, u := range us {
		res, err := tx.Exec(ctx, `INSERT INTO telegram_updates (bot_id, update_id, chat_key, payload, status,
			next_attempt_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			s.botID, u.ID, u.ChatKey, string(u.Payload), statusPending, now, now)
		if err != nil {
			return 0, fmt.Errorf("store update %d: %w", u.ID, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			added++
		}
		if u.ID > last {
			last = u.ID
		}
	}
	if saveOffset {
		if err := setState(ctx, tx, s.botID, "offset", strconv.FormatInt(last, 10), now); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store updates: %w", err)
	}
	return added, nil
}

func setState(ctx context.Context, tx *sqldb.Tx, botID, name, value string, now int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO telegram_state (bot_id, name, value, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (bot_id, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		botID, name, value, now)
	if err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	return nil
}

// offset returns the last update id stored and when it was stored; 0 when
// there is none.
func (s *store) offset(ctx context.Context) (int64, time.Time, error) {
	var v string
	var at int64
	err := s.db.QueryRow(ctx, `SELECT value, updated_at FROM telegram_state WHERE bot_id = ? AND name = 'offset'`,
		s.botID).Scan(&v, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	} else if err != nil {
		return 0, time.Time{}, fmt.Errorf("read offset: %w", err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("read offset: %w", err)
	}
	return n, sqldb.Time(at), nil
}

// pendingUpdate is an inbox row waiting to be processed.
type pendingUpdate struct {
	inUpdate
	Attempts    int
	Progress    int
	NextAttempt time.Time
}

// pending returns up to limit pending updates, oldest first, including
// those leased or backing off, so the caller can keep each chat in order.
func (s *store) pending(ctx context.Context, limit int) ([]pendingUpdate, error) {
	rows, err := s.db.Query(ctx, `SELECT update_id, chat_key, payload, attempts, progress, next_attempt_at
		FROM telegram_updates WHERE bot_id = ? AND status = ? ORDER BY update_id LIMIT ?`, s.botID, statusPending, limit)
	if err != nil {
		return nil, fmt.Errorf("read pending updates: %w", err)
	}
	defer rows.Close()
	var out []pendingUpdate
	for rows.Next() {
		var p pendingUpdate
		var payload string
		var next int64
		if err := rows.Scan(&p.ID, &p.ChatKey, &payload, &p.Attempts, &p.Progress, &next); err != nil {
			return nil, fmt.Errorf("read pending updates: %w", err)
		}
		p.Payload, p.NextAttempt = []byte(payload), sqldb.Time(next)
		out = append(out, p)
	}
	return out, rows.Err()
}

// claim leases a pending update for processing until lease, counting the
// attempt before any work is done: an attempt number above 1 tells the
// worker that an earlier try may have got as far as the engine. It
// reports false when another worker or replica claimed it first.
func (s *store) claim(ctx context.Context, p *pendingUpdate, lease time.Time) (bool, error) {
	res, err := s.db.Exec(ctx, `UPDATE telegram_updates SET attempts = attempts + 1, next_attempt_at = ?
		WHERE bot_id = ? AND update_id = ? AND status = ? AND attempts = ?`,
		lease.UnixMilli(), s.botID, p.ID, statusPending, p.Attempts)
	if err != nil {
		return false, fmt.Errorf("claim update %d: %w", p.ID, err)
	}
	n, _ := res.RowsAffected()
	if n == 1 {
		p.Attempts++
	}
	return n == 1, nil
}

// setProgress records how many outgoing messages of an update were sent.
func (s *store) setProgress(ctx context.Context, updateID int64, n int) error {
	_, err := s.db.Exec(ctx, `UPDATE telegram_updates SET progress = ? WHERE bot_id = ? AND update_id = ?`,
		n, s.botID, updateID)
	if err != nil {
		return fmt.Errorf("record progress of update %d: %w", updateID, err)
	}
	return nil
}

// finish marks an update done or failed.
func (s *store) finish(ctx context.Context, updateID int64, status, lastErr string) error {
	_, err := s.db.Exec(ctx, `UPDATE telegram_updates SET status = ?, done_at = ?, last_error = ?
		WHERE bot_id = ? AND update_id = ?`, status, s.now().UnixMilli(), truncateBytes(lastErr, 500), s.botID, updateID)
	if err != nil {
		return fmt.Errorf("finish update %d: %w", updateID, err)
	}
	return nil
}

// retryLater puts a failed attempt back with a delay.
func (s *store) retryLater(ctx context.Context, updateID int64, at time.Time, lastErr string) error {
	_, err := s.db.Exec(ctx, `UPDATE telegram_updates SET next_attempt_at = ?, last_error = ?
		WHERE bot_id = ? AND update_id = ?`, at.UnixMilli(), truncateBytes(lastErr, 500), s.botID, updateID)
	if err != nil {
		return fmt.Errorf("reschedule update %d: %w", updateID, err)
	}
	return nil
}

// status returns an update's state, for tests and diagnostics.
func (s *store) status(ctx context.Context, updateID int64) (status string, attempts int, err error) {
	err = s.db.QueryRow(ctx, `SELECT status, attempts FROM telegram_updates WHERE bot_id = ? AND update_id = ?`,
		s.botID, updateID).Scan(&status, &attempts)
	return status, attempts, err
}

// prune forgets processed updates and finished sends older than cutoff.
// Pending updates are kept whatever their age.
func (s *store) prune(ctx context.Context, cutoff time.Time) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM telegram_updates WHERE bot_id = ? AND status <> ? AND received_at < ?`,
		s.botID, statusPending, cutoff.UnixMilli()); err != nil {
		return fmt.Errorf("prune updates: %w", err)
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM telegram_sent WHERE bot_id = ? AND updated_at < ?`,
		s.botID, cutoff.Add(-30*24*time.Hour).UnixMilli()); err != nil {
		return fmt.Errorf("prune sent replies: %w", err)
	}
	return nil
}

// sentParts returns how many parts of a Send reply went out and whether
// all did.
func (s *store) sentParts(ctx context.Context, chatID, replyID string) (int, bool, error) {
	var n, done int
	err := s.db.QueryRow(ctx, `SELECT parts_sent, done FROM telegram_sent WHERE bot_id = ? AND chat_id = ? AND reply_id = ?`,
		s.botID, chatID, replyID).Scan(&n, &done)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("read sent reply: %w", err)
	}
	return n, done == 1, nil
}

// setSentParts records Send progress.
func (s *store) setSentParts(ctx context.Context, chatID, replyID string, n int, done bool) error {
	d := 0
	if done {
		d = 1
	}
	_, err := s.db.Exec(ctx, `INSERT INTO telegram_sent (bot_id, chat_id, reply_id, parts_sent, done, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (bot_id, chat_id, reply_id)
		DO UPDATE SET parts_sent = excluded.parts_sent, done = excluded.done, updated_at = excluded.updated_at`,
		s.botID, chatID, replyID, n, d, s.now().UnixMilli())
	if err != nil {
		return fmt.Errorf("record sent reply: %w", err)
	}
	return nil
}

func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
