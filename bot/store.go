package bot

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/internal/sqldb"
)

// Store persists what the engine remembers: conversations and their turns,
// processed message ids, users' language and linked accounts, feedback, and
// the audit log of the bot's own actions. It is SQL over internal/sqldb, so
// SQLite and PostgreSQL both work.
type Store struct {
	db  *sqldb.DB
	now func() time.Time
}

var migrations = []sqldb.Migration{
	{Version: 1, SQL: `
CREATE TABLE IF NOT EXISTS bot_conversations (
	channel TEXT NOT NULL, conversation_id TEXT NOT NULL, user_id TEXT NOT NULL,
	lang TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
	PRIMARY KEY (channel, conversation_id));
CREATE TABLE IF NOT EXISTS bot_turns (
	id AUTOID, channel TEXT NOT NULL, conversation_id TEXT NOT NULL, user_id TEXT NOT NULL,
	role TEXT NOT NULL, text TEXT NOT NULL, lang TEXT NOT NULL DEFAULT '', reply_id TEXT NOT NULL DEFAULT '',
	decision TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '', article_ids TEXT NOT NULL DEFAULT '',
	confidence DOUBLE PRECISION NOT NULL DEFAULT 0, created_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS bot_turns_conv ON bot_turns (channel, conversation_id, id);
CREATE INDEX IF NOT EXISTS bot_turns_reply ON bot_turns (reply_id);
CREATE TABLE IF NOT EXISTS bot_seen (
	channel TEXT NOT NULL, message_id TEXT NOT NULL, reply TEXT, claimed_at BIGINT NOT NULL,
	PRIMARY KEY (channel, message_id));
CREATE TABLE IF NOT EXISTS bot_users (
	channel TEXT NOT NULL, user_id TEXT NOT NULL, lang TEXT NOT NULL DEFAULT '', account TEXT NOT NULL DEFAULT '',
	updated_at BIGINT NOT NULL, PRIMARY KEY (channel, user_id));
CREATE TABLE IF NOT EXISTS bot_link_nonces (nonce TEXT PRIMARY KEY, used_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS bot_feedback (
	id AUTOID, reply_id TEXT NOT NULL, channel TEXT NOT NULL, user_id TEXT NOT NULL, conversation_id TEXT NOT NULL,
	helpful INTEGER NOT NULL, comment TEXT NOT NULL DEFAULT '', query TEXT NOT NULL DEFAULT '', answer TEXT NOT NULL DEFAULT '',
	article_ids TEXT NOT NULL DEFAULT '', lang TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS bot_feedback_reply ON bot_feedback (reply_id);
CREATE TABLE IF NOT EXISTS bot_audit (
	id AUTOID, action TEXT NOT NULL, channel TEXT NOT NULL, user_id TEXT NOT NULL, conversation_id TEXT NOT NULL,
	account TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL);
`},
	// Insights and the unanswered list read a period of turns: without
	// this index each page view would read the whole history.
	{Version: 2, SQL: `CREATE INDEX IF NOT EXISTS bot_turns_time ON bot_turns (created_at);`},
}

// OpenStore migrates the bot's tables in db and returns the store.
func OpenStore(ctx context.Context, db *sqldb.DB) (*Store, error) {
	if err := db.Migrate(ctx, "bot", migrations); err != nil {
		return nil, err
	}
	return &Store{db: db, now: time.Now}, nil
}

// claimStale is how long a claimed but unanswered message blocks a retry.
// A crash between claiming and answering leaves such a claim; after this
// the message is processed again rather than lost.
const claimStale = 2 * time.Minute

// Claim records that (channel, id) is being processed. It returns the
// stored reply and true when the message was already answered; a fresh or
// stale claim returns false and the caller processes the message.
func (s *Store) Claim(ctx context.Context, channel, id string) (*supportbot.Reply, bool, error) {
	now := s.now()
	_, err := s.db.Exec(ctx, `INSERT INTO bot_seen (channel, message_id, reply, claimed_at) VALUES (?, ?, NULL, ?)`,
		channel, id, sqldb.Millis(now))
	if err == nil {
		return nil, false, nil
	}
	if !sqldb.IsUniqueViolation(err) {
		return nil, false, fmt.Errorf("claim message: %w", err)
	}
	// Seen before: return its reply, or take over a stale claim. A claim
	// that is still fresh belongs to a concurrent delivery of the same
	// update; wait for its reply for a little while.
	deadline := now.Add(10 * time.Second)
	for {
		var reply sql.NullString
		var claimed int64
		if err := s.db.QueryRow(ctx, `SELECT reply, claimed_at FROM bot_seen WHERE channel = ? AND message_id = ?`,
			channel, id).Scan(&reply, &claimed); err != nil {
			return nil, false, fmt.Errorf("read claim: %w", err)
		}
		if reply.Valid {
			var r supportbot.Reply
			if err := json.Unmarshal([]byte(reply.String), &r); err != nil {
				return nil, false, fmt.Errorf("decode stored reply: %w", err)
			}
			return &r, true, nil
		}
		if s.now().Sub(sqldb.Time(claimed)) > claimStale {
			res, err := s.db.Exec(ctx, `UPDATE bot_seen SET claimed_at = ? WHERE channel = ? AND message_id = ? AND claimed_at = ?`,
				sqldb.Millis(s.now()), channel, id, claimed)
			if err != nil {
				return nil, false, err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				return nil, false, nil
			}
			continue
		}
		if s.now().After(deadline) {
			// Still in progress elsewhere (or its process died less than
			// claimStale ago): tell the caller to retry later rather than
			// pretend the message was answered.
			return nil, false, supportbot.Errorf(supportbot.EUNAVAILABLE, "message %s is being processed", id)
		}
		select {
		case <-ctx.Done():
			return nil, false, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Release forgets a claim whose processing failed, so a retry runs again.
func (s *Store) Release(ctx context.Context, channel, id string) {
	s.db.Exec(ctx, `DELETE FROM bot_seen WHERE channel = ? AND message_id = ? AND reply IS NULL`, channel, id)
}

// turn is one stored message of a conversation.
type turn struct {
	Role       string
	Text       string
	Lang       string
	ReplyID    string
	Decision   string
	Reason     string
	ArticleIDs []string
	Confidence float64
	Time       time.Time
}

// SaveExchange stores a user's message and the bot's reply in one
// transaction, and fills the claim of message id (if any) with the reply.
func (s *Store) SaveExchange(ctx context.Context, m supportbot.Message, r supportbot.Reply) error {
	now := sqldb.Millis(s.now())
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(ctx, `INSERT INTO bot_conversations (channel, conversation_id, user_id, lang, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, conversation_id) DO UPDATE SET lang = excluded.lang, updated_at = excluded.updated_at`,
		m.Channel, m.ConversationID, m.UserID, r.Lang, now, now); err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	userText := m.Text
	if m.Command != "" {
		userText = strings.TrimSpace("/" + m.Command + " " + m.Text)
	}
	ids := make([]string, len(r.Citations))
	for i, c := range r.Citations {
		ids[i] = c.ArticleID
	}
	if _, err := tx.Exec(ctx, `INSERT INTO bot_turns (channel, conversation_id, user_id, role, text, lang, created_at)
		VALUES (?, ?, ?, 'user', ?, ?, ?)`, m.Channel, m.ConversationID, m.UserID, userText, r.Lang, now); err != nil {
		return fmt.Errorf("save user turn: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO bot_turns (channel, conversation_id, user_id, role, text, lang, reply_id, decision,
		reason, article_ids, confidence, created_at) VALUES (?, ?, ?, 'bot', ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.Channel, m.ConversationID, m.UserID, r.Text, r.Lang, r.ID, string(r.Decision), r.Reason, strings.Join(ids, ","),
		r.Confidence, now); err != nil {
		return fmt.Errorf("save bot turn: %w", err)
	}
	if m.ID != "" {
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE bot_seen SET reply = ? WHERE channel = ? AND message_id = ?`,
			string(data), m.Channel, m.ID); err != nil {
			return fmt.Errorf("save reply for dedup: %w", err)
		}
	}
	return tx.Commit()
}

// RecentTurns returns up to n latest turns of a conversation, oldest first.
func (s *Store) RecentTurns(ctx context.Context, channel, conversationID string, n int) ([]turn, error) {
	rows, err := s.db.Query(ctx, `SELECT role, text, lang, reply_id, decision, reason, article_ids, confidence, created_at
		FROM bot_turns WHERE channel = ? AND conversation_id = ? ORDER BY id DESC LIMIT ?`, channel, conversationID, n)
	if err != nil {
		return nil, fmt.Errorf("read turns: %w", err)
	}
	defer rows.Close()
	var out []turn
	for rows.Next() {
		var t turn
		var ids string
		var at int64
		if err := rows.Scan(&t.Role, &t.Text, &t.Lang, &t.ReplyID, &t.Decision, &t.Reason, &ids, &t.Confidence, &at); err != nil {
			return nil, err
		}
		if ids != "" {
			t.ArticleIDs = strings.Split(ids, ",")
		}
		t.Time = sqldb.Time(at)
		out = append(out, t)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, rows.Err()
}

// User is what the bot knows of a channel user.
type User struct {
	Lang    string
	Account string
}

// GetUser returns a user's stored preferences; a user never seen is the
// zero User.
func (s *Store) GetUser(ctx context.Context, channel, userID string) (User, error) {
	var u User
	err := s.db.QueryRow(ctx, `SELECT lang, account FROM bot_users WHERE channel = ? AND user_id = ?`, channel, userID).
		Scan(&u.Lang, &u.Account)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, nil
	}
	return u, err
}

// SetUserLang stores a user's chosen language.
func (s *Store) SetUserLang(ctx context.Context, channel, userID, lang string) error {
	_, err := s.db.Exec(ctx, `INSERT INTO bot_users (channel, user_id, lang, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (channel, user_id) DO UPDATE SET lang = excluded.lang, updated_at = excluded.updated_at`,
		channel, userID, lang, sqldb.Millis(s.now()))
	return err
}

// LinkAccount binds a channel user to an exchange account, using nonce
// once: a second use of the same nonce returns EINVALID.
func (s *Store) LinkAccount(ctx context.Context, channel, userID, account, nonce string) error {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(ctx, `INSERT INTO bot_link_nonces (nonce, used_at) VALUES (?, ?)`, nonce, sqldb.Millis(s.now())); err != nil {
		if sqldb.IsUniqueViolation(err) {
			return supportbot.Errorf(supportbot.EINVALID, "link token already used")
		}
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO bot_users (channel, user_id, account, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (channel, user_id) DO UPDATE SET account = excluded.account, updated_at = excluded.updated_at`,
		channel, userID, account, sqldb.Millis(s.now())); err != nil {
		return err
	}
	return tx.Commit()
}

// FeedbackRecord is a stored rating with the answer it rates.
type FeedbackRecord struct {
	supportbot.Feedback
	Query      string
	Answer     string
	ArticleIDs []string
	Lang       string
	Time       time.Time
}

// SaveFeedback stores f with the query, answer and cited articles of the
// reply it rates. The reply must belong to f's conversation (ENOTFOUND
// otherwise), so nobody rates, or learns of, another user's answers.
func (s *Store) SaveFeedback(ctx context.Context, f supportbot.Feedback) (FeedbackRecord, error) {
	rec := FeedbackRecord{Feedback: f, Time: s.now()}
	var ids string
	var botID int64
	err := s.db.QueryRow(ctx, `SELECT id, text, article_ids, lang FROM bot_turns
		WHERE reply_id = ? AND channel = ? AND conversation_id = ? AND role = 'bot'`,
		f.ReplyID, f.Channel, f.ConversationID).Scan(&botID, &rec.Answer, &ids, &rec.Lang)
	if errors.Is(err, sql.ErrNoRows) {
		return rec, supportbot.Errorf(supportbot.ENOTFOUND, "no such answer in this conversation")
	} else if err != nil {
		return rec, err
	}
	if ids != "" {
		rec.ArticleIDs = strings.Split(ids, ",")
	}
	// The question is the user turn just before the answer.
	s.db.QueryRow(ctx, `SELECT text FROM bot_turns WHERE channel = ? AND conversation_id = ? AND role = 'user' AND id < ?
		ORDER BY id DESC LIMIT 1`, f.Channel, f.ConversationID, botID).Scan(&rec.Query)
	helpful := 0
	if f.Helpful {
		helpful = 1
	}
	_, err = s.db.Exec(ctx, `INSERT INTO bot_feedback (reply_id, channel, user_id, conversation_id, helpful, comment, query,
		answer, article_ids, lang, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ReplyID, f.Channel, f.UserID, f.ConversationID, helpful, f.Comment, rec.Query, rec.Answer, ids, rec.Lang,
		sqldb.Millis(rec.Time))
	return rec, err
}

// ListFeedback returns the latest feedback, newest first.
func (s *Store) ListFeedback(ctx context.Context, limit int) ([]FeedbackRecord, error) {
	rows, err := s.db.Query(ctx, `SELECT reply_id, channel, user_id, conversation_id, helpful, comment, query, answer,
		article_ids, lang, created_at FROM bot_feedback ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FeedbackRecord
	for rows.Next() {
		var r FeedbackRecord
		var helpful int
		var ids string
		var at int64
		if err := rows.Scan(&r.ReplyID, &r.Channel, &r.UserID, &r.ConversationID, &helpful, &r.Comment, &r.Query, &r.Answer,
			&ids, &r.Lang, &at); err != nil {
			return nil, err
		}
		r.Helpful = helpful == 1
		if ids != "" {
			r.ArticleIDs = strings.Split(ids, ",")
		}
		r.Time = sqldb.Time(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// recentFeedback returns the helpful flags of a conversation's latest
// ratings, newest first.
func (s *Store) recentFeedback(ctx context.Context, channel, conversationID string, n int) ([]bool, error) {
	rows, err := s.db.Query(ctx, `SELECT helpful FROM bot_feedback WHERE channel = ? AND conversation_id = ?
		ORDER BY id DESC LIMIT ?`, channel, conversationID, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bool
	for rows.Next() {
		var h int
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h == 1)
	}
	return out, rows.Err()
}

// Audit records an action of the bot (or a refused attempt at one).
func (s *Store) Audit(ctx context.Context, action string, m supportbot.Message, detail string) error {
	_, err := s.db.Exec(ctx, `INSERT INTO bot_audit (action, channel, user_id, conversation_id, account, detail, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, action, m.Channel, m.UserID, m.ConversationID, m.Account, detail, sqldb.Millis(s.now()))
	return err
}

// AuditEntry is one row of the bot's audit log.
type AuditEntry struct {
	Action, Channel, UserID, ConversationID, Account, Detail string
	Time                                                     time.Time
}

// ListAudit returns the latest audit entries, newest first.
func (s *Store) ListAudit(ctx context.Context, limit int) ([]AuditEntry, error) {
	rows, err := s.db.Query(ctx, `SELECT action, channel, user_id, conversation_id, account, detail, created_at
		FROM bot_audit ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.Action, &e.Channel, &e.UserID, &e.ConversationID, &e.Account, &e.Detail, &at); err != nil {
			return nil, err
		}
		e.Time = sqldb.Time(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// UnansweredQuestion is a question the help center could not answer, with
// how often it was asked: what the team should write articles for.
type UnansweredQuestion struct {
	Text  string    `json:"text"`
	Lang  string    `json:"lang"`
	Count int       `json:"count"`
	Last  time.Time `json:"last"` // when it was last asked
}

// Unanswered lists the questions that were escalated for low confidence
// or rated unhelpful since a time, most asked first.
func (s *Store) Unanswered(ctx context.Context, since time.Time, limit int) ([]UnansweredQuestion, error) {
	rows, err := s.db.Query(ctx, `SELECT u.text, u.lang, COUNT(*), MAX(u.created_at) FROM bot_turns b
		JOIN bot_turns u ON u.channel = b.channel AND u.conversation_id = b.conversation_id AND u.role = 'user'
			AND u.id = (SELECT MAX(id) FROM bot_turns x WHERE x.channel = b.channel AND x.conversation_id = b.conversation_id
				AND x.role = 'user' AND x.id < b.id)
		WHERE b.role = 'bot' AND b.reason IN ('low_confidence', 'negative_feedback') AND b.created_at >= ?
		GROUP BY u.text, u.lang ORDER BY COUNT(*) DESC, MAX(u.created_at) DESC LIMIT ?`, sqldb.Millis(since), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []UnansweredQuestion
	for rows.Next() {
		var q UnansweredQuestion
		var at int64
		if err := rows.Scan(&q.Text, &q.Lang, &q.Count, &at); err != nil {
			return nil, err
		}
		q.Last = sqldb.Time(at)
		out = append(out, q)
	}
	return out, rows.Err()
}
