package discord

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/supportbot/supportbot/internal/sqldb"
)

// Thread is a thread the bot opened for one user's conversation.
type Thread struct {
	ID       string // the thread's channel id: the conversation id
	ParentID string // the support channel it was opened in
	UserID   string // whose conversation it is
	// Created is when the bot opened it.
	Created time.Time
}

// Cursor is the last message of a Discord channel (a DM, a thread, a
// support channel) up to which every message was handled: after a restart
// or a lost session, messages after it are read back and handled.
type Cursor struct {
	ChannelID string
	MessageID string
	Updated   time.Time
}

// Store is what the connector remembers across restarts: whose threads
// are whose, and how far each channel was handled.
type Store interface {
	// SaveThread records a thread the bot opened.
	SaveThread(ctx context.Context, t Thread) error
	// Thread returns a thread the bot opened; ok is false for any other.
	Thread(ctx context.Context, id string) (t Thread, ok bool, err error)
	// SaveCursor moves a channel's cursor forward to messageID; a cursor
	// never moves back.
	SaveCursor(ctx context.Context, channelID, messageID string, at time.Time) error
	// Cursors returns the cursors updated at or after since.
	Cursors(ctx context.Context, since time.Time) ([]Cursor, error)
}

// MemoryStore is a Store that forgets on restart: gateway resumes and
// lost sessions are still covered, restarts are not. It is the default.
type MemoryStore struct {
	mu      sync.Mutex
	threads map[string]Thread
	cursors map[string]Cursor
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{threads: map[string]Thread{}, cursors: map[string]Cursor{}}
}

// SaveThread implements Store.
func (s *MemoryStore) SaveThread(_ context.Context, t Thread) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.threads[t.ID] = t
	return nil
}

// Thread implements Store.
func (s *MemoryStore) Thread(_ context.Context, id string) (Thread, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.threads[id]
	return t, ok, nil
}

// SaveCursor implements Store.
func (s *MemoryStore) SaveCursor(_ context.Context, channelID, messageID string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cursors[channelID]; ok && !snowflakeLess(c.MessageID, messageID) {
		return nil
	}
	s.cursors[channelID] = Cursor{ChannelID: channelID, MessageID: messageID, Updated: at}
	return nil
}

// Cursors implements Store.
func (s *MemoryStore) Cursors(_ context.Context, since time.Time) ([]Cursor, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Cursor
	for _, c := range s.cursors {
		if !c.Updated.Before(since) {
			out = append(out, c)
		}
	}
	return out, nil
}

// SQLStore is a Store in the shared database (tables discord_*), so that
// threads keep their owners and missed messages are read back after a
// restart.
type SQLStore struct {
	db *sqldb.DB
}

var migrations = []sqldb.Migration{{Version: 1, SQL: `
CREATE TABLE discord_threads (
	id TEXT PRIMARY KEY,
	parent_id TEXT NOT NULL,
	user_id TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE TABLE discord_cursors (
	channel_id TEXT PRIMARY KEY,
	message_id BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX discord_cursors_updated ON discord_cursors (updated_at)`}}

// OpenSQLStore migrates the connector's tables and returns the store.
func OpenSQLStore(ctx context.Context, db *sqldb.DB) (*SQLStore, error) {
	if err := db.Migrate(ctx, "discord", migrations); err != nil {
		return nil, err
	}
	return &SQLStore{db: db}, nil
}

// SaveThread implements Store.
func (s *SQLStore) SaveThread(ctx context.Context, t Thread) error {
	_, err := s.db.Exec(ctx, `INSERT INTO discord_threads (id, parent_id, user_id, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`, t.ID, t.ParentID, t.UserID, sqldb.Millis(t.Created))
	if err != nil {
		return fmt.Errorf("save thread: %w", err)
	}
	return nil
}

// Thread implements Store.
func (s *SQLStore) Thread(ctx context.Context, id string) (Thread, bool, error) {
	t := Thread{ID: id}
	var created int64
	err := s.db.QueryRow(ctx, `SELECT parent_id, user_id, created_at FROM discord_threads WHERE id = ?`, id).
		Scan(&t.ParentID, &t.UserID, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Thread{}, false, nil
	} else if err != nil {
		return Thread{}, false, fmt.Errorf("read thread: %w", err)
	}
	t.Created = sqldb.Time(created)
	return t, true, nil
}

// SaveCursor implements Store. Snowflakes are stored as integers so that
// "never move back" is a plain comparison.
func (s *SQLStore) SaveCursor(ctx context.Context, channelID, messageID string, at time.Time) error {
	id, ok := parseSnowflake(messageID)
	if !ok {
		return fmt.Errorf("save cursor: %q is not a snowflake", messageID)
	}
	_, err := s.db.Exec(ctx, `INSERT INTO discord_cursors (channel_id, message_id, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (channel_id) DO UPDATE SET message_id = excluded.message_id, updated_at = excluded.updated_at
		WHERE discord_cursors.message_id < excluded.message_id`, channelID, int64(id), sqldb.Millis(at))
	if err != nil {
		return fmt.Errorf("save cursor: %w", err)
	}
	return nil
}

// Cursors implements Store.
func (s *SQLStore) Cursors(ctx context.Context, since time.Time) ([]Cursor, error) {
	rows, err := s.db.Query(ctx, `SELECT channel_id, message_id, updated_at FROM discord_cursors WHERE updated_at >= ?
		ORDER BY channel_id`, sqldb.Millis(since))
	if err != nil {
		return nil, fmt.Errorf("list cursors: %w", err)
	}
	defer rows.Close()
	var out []Cursor
	for rows.Next() {
		var c Cursor
		var id, at int64
		if err := rows.Scan(&c.ChannelID, &id, &at); err != nil {
			return nil, fmt.Errorf("list cursors: %w", err)
		}
		c.MessageID, c.Updated = formatSnowflake(uint64(id)), sqldb.Time(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

var (
	_ Store = (*MemoryStore)(nil)
	_ Store = (*SQLStore)(nil)
)
