package webchat

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/internal/sqldb"
)

// migrations create web chat's tables. Visitors own conversations; a
// visitor may hold several tokens (one per browser or device), stored only
// as SHA-256 hashes so a database leak does not leak sessions.
var migrations = []sqldb.Migration{
	{Version: 1, SQL: `
CREATE TABLE webchat_visitors (
	id TEXT PRIMARY KEY,
	user_id TEXT NOT NULL UNIQUE,
	account TEXT NOT NULL DEFAULT '',
	display_name TEXT NOT NULL DEFAULT '',
	lang TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE TABLE webchat_tokens (
	token_hash TEXT PRIMARY KEY,
	visitor_id TEXT NOT NULL REFERENCES webchat_visitors(id),
	created_at BIGINT NOT NULL
);
CREATE TABLE webchat_conversations (
	id TEXT PRIMARY KEY,
	visitor_id TEXT NOT NULL REFERENCES webchat_visitors(id),
	lang TEXT NOT NULL DEFAULT '',
	title TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX webchat_conversations_visitor ON webchat_conversations (visitor_id, updated_at);
CREATE TABLE webchat_messages (
	id AUTOID,
	conversation_id TEXT NOT NULL REFERENCES webchat_conversations(id),
	client_id TEXT NOT NULL,
	role TEXT NOT NULL,
	reply_to BIGINT NOT NULL DEFAULT 0,
	text TEXT NOT NULL,
	lang TEXT NOT NULL DEFAULT '',
	decision TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL DEFAULT '',
	ticket_id TEXT NOT NULL DEFAULT '',
	meta TEXT NOT NULL DEFAULT '{}',
	feedback INTEGER NOT NULL DEFAULT 0,
	feedback_comment TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX webchat_messages_client ON webchat_messages (conversation_id, role, client_id);
CREATE INDEX webchat_messages_reply ON webchat_messages (conversation_id, reply_to);
CREATE TABLE webchat_attachments (
	id TEXT PRIMARY KEY,
	conversation_id TEXT NOT NULL REFERENCES webchat_conversations(id),
	message_id BIGINT NOT NULL DEFAULT 0,
	name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	data BLOB NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX webchat_attachments_conversation ON webchat_attachments (conversation_id);
`},
}

// Roles of logged messages.
const (
	RoleUser   = "user"   // the visitor
	RoleBot    = "bot"    // the engine's reply
	RoleAgent  = "agent"  // a human agent's reply or a ticket notice, via Send
	RoleSystem = "system" // reserved for notices web chat writes itself
)

// Visitor is a person using web chat: anonymous (known by a token in their
// browser) or verified (a signed identity or an API key named them).
type Visitor struct {
	ID string `json:"id"`
	// UserID is the user id passed to the engine as Message.UserID: the
	// visitor id when anonymous, "user:<id>" when verified.
	UserID string `json:"user_id"`
	// Account is the verified exchange account, "" when anonymous.
	Account     string    `json:"account,omitempty"`
	DisplayName string    `json:"display_name,omitempty"`
	Lang        string    `json:"lang,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// Verified reports whether the visitor's identity was vouched for.
func (v *Visitor) Verified() bool { return v.Account != "" }

// Conversation is one chat of a visitor.
type Conversation struct {
	ID        string    `json:"id"`
	VisitorID string    `json:"visitor_id"`
	Lang      string    `json:"lang,omitempty"`
	Title     string    `json:"title"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Message is one logged message of a conversation, as the API shows it.
type Message struct {
	// Seq orders messages in a conversation; poll with ?after=Seq.
	Seq int64 `json:"seq"`
	// ID is the client's message id for user messages, the engine's reply
	// id for replies (the id feedback names).
	ID             string `json:"id"`
	ConversationID string `json:"conversation_id"`
	Role           string `json:"role"`
	// ReplyTo is the Seq of the user message a bot reply answers.
	ReplyTo int64  `json:"reply_to,omitempty"`
	Text    string `json:"text"`
	// HTML is Text rendered from Markdown and sanitized; "" for user
	// messages, which are shown as plain text.
	HTML        string           `json:"html,omitempty"`
	Lang        string           `json:"lang,omitempty"`
	Command     string           `json:"command,omitempty"`
	Decision    string           `json:"decision,omitempty"`
	Reason      string           `json:"reason,omitempty"`
	TicketID    string           `json:"ticket_id,omitempty"`
	Citations   []Citation       `json:"citations,omitempty"`
	Actions     []Action         `json:"actions,omitempty"`
	Attachments []AttachmentInfo `json:"attachments,omitempty"`
	Feedback    *FeedbackInfo    `json:"feedback,omitempty"`
	CreatedAt   time.Time        `json:"created_at"`
}

// Citation is a help-center article a reply cites.
type Citation struct {
	ArticleID string `json:"article_id"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Lang      string `json:"lang"`
}

// Action is a button offered under a reply: "helpful", "not_helpful",
// "human", "lang:<tag>", "csat:<1-5>".
type Action struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
}

// AttachmentInfo describes an uploaded file without its content.
type AttachmentInfo struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// FeedbackInfo is the visitor's rating of a reply.
type FeedbackInfo struct {
	Helpful bool   `json:"helpful"`
	Comment string `json:"comment,omitempty"`
}

// meta is the JSON column of the parts of a message that are lists.
type meta struct {
	Command     string           `json:"command,omitempty"`
	Citations   []Citation       `json:"citations,omitempty"`
	Actions     []Action         `json:"actions,omitempty"`
	Attachments []AttachmentInfo `json:"attachments,omitempty"`
}

// store is the SQL side of web chat.
type store struct {
	db  *sqldb.DB
	now func() time.Time
	// replica names this process in the notifications of logged messages,
	// so that it skips its own (see replicas.go).
	replica string
	// SQLite writes queue in sqldb (DB.Exec and DB.Begin take the
	// process's write turn), so none is queued here.
}

func (s *store) migrate(ctx context.Context) error {
	if err := s.db.Migrate(ctx, "webchat", migrations); err != nil {
		return fmt.Errorf("migrate webchat: %w", err)
	}
	return nil
}

// newID returns prefix plus 128 random bits, URL-safe.
func newID(prefix string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return prefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// newToken returns a visitor token: 256 random bits.
func newToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return "wct_" + base64.RawURLEncoding.EncodeToString(b[:])
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// findOrCreateVisitor returns the visitor with userID, creating it when
// missing. For anonymous visitors userID is "" and a fresh one is made.
func (s *store) findOrCreateVisitor(ctx context.Context, userID, account, name, lang string) (*Visitor, error) {
	if userID != "" {
		v, err := s.visitorByUserID(ctx, userID)
		if err == nil {
			return v, nil
		} else if supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
			return nil, err
		}
	}
	v := &Visitor{ID: newID("v_"), UserID: userID, Account: account, DisplayName: name, Lang: lang,
		CreatedAt: s.now().UTC().Truncate(time.Millisecond)}
	if v.UserID == "" {
		v.UserID = v.ID
	}
	_, err := s.db.Exec(ctx, `INSERT INTO webchat_visitors (id, user_id, account, display_name, lang, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, v.ID, v.UserID, v.Account, v.DisplayName, v.Lang, sqldb.Millis(v.CreatedAt))
	if sqldb.IsUniqueViolation(err) && userID != "" {
		return s.visitorByUserID(ctx, userID) // another request created it first
	} else if err != nil {
		return nil, fmt.Errorf("insert visitor: %w", err)
	}
	return v, nil
}

const visitorCols = `id, user_id, account, display_name, lang, created_at`

func scanVisitor(row interface{ Scan(...any) error }) (*Visitor, error) {
	var v Visitor
	var created int64
	if err := row.Scan(&v.ID, &v.UserID, &v.Account, &v.DisplayName, &v.Lang, &created); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, supportbot.Errorf(supportbot.ENOTFOUND, "Visitor not found.")
		}
		return nil, fmt.Errorf("read visitor: %w", err)
	}
	v.CreatedAt = sqldb.Time(created)
	return &v, nil
}

func (s *store) visitorByUserID(ctx context.Context, userID string) (*Visitor, error) {
	return scanVisitor(s.db.QueryRow(ctx, `SELECT `+visitorCols+` FROM webchat_visitors WHERE user_id = ?`, userID))
}

func (s *store) visitor(ctx context.Context, id string) (*Visitor, error) {
	return scanVisitor(s.db.QueryRow(ctx, `SELECT `+visitorCols+` FROM webchat_visitors WHERE id = ?`, id))
}

// issueToken makes a new token for a visitor and stores its hash.
func (s *store) issueToken(ctx context.Context, visitorID string) (string, error) {
	tok := newToken()
	if _, err := s.db.Exec(ctx, `INSERT INTO webchat_tokens (token_hash, visitor_id, created_at) VALUES (?, ?, ?)`,
		hashToken(tok), visitorID, sqldb.Millis(s.now())); err != nil {
		return "", fmt.Errorf("insert token: %w", err)
	}
	return tok, nil
}

// visitorByToken returns the token's visitor, or EUNAUTHORIZED.
func (s *store) visitorByToken(ctx context.Context, token string) (*Visitor, error) {
	v, err := scanVisitor(s.db.QueryRow(ctx, `SELECT v.id, v.user_id, v.account, v.display_name, v.lang, v.created_at
		FROM webchat_tokens t JOIN webchat_visitors v ON v.id = t.visitor_id WHERE t.token_hash = ?`, hashToken(token)))
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		return nil, supportbot.Errorf(supportbot.EUNAUTHORIZED, "The visitor token is not valid; start a new conversation.")
	}
	return v, err
}

func (s *store) setVisitorLang(ctx context.Context, visitorID, lang string) error {
	_, err := s.db.Exec(ctx, `UPDATE webchat_visitors SET lang = ? WHERE id = ?`, lang, visitorID)
	return err
}

func (s *store) createConversation(ctx context.Context, visitorID, lang string) (*Conversation, error) {
	now := s.now().UTC().Truncate(time.Millisecond)
	c := &Conversation{ID: newID("c_"), VisitorID: visitorID, Lang: lang, CreatedAt: now, UpdatedAt: now}
	if _, err := s.db.Exec(ctx, `INSERT INTO webchat_conversations (id, visitor_id, lang, title, created_at, updated_at)
		VALUES (?, ?, ?, '', ?, ?)`, c.ID, c.VisitorID, c.Lang, sqldb.Millis(now), sqldb.Millis(now)); err != nil {
		return nil, fmt.Errorf("insert conversation: %w", err)
	}
	return c, nil
}

const conversationCols = `id, visitor_id, lang, title, created_at, updated_at`

func scanConversation(row interface{ Scan(...any) error }) (*Conversation, error) {
	var c Conversation
	var created, updated int64
	if err := row.Scan(&c.ID, &c.VisitorID, &c.Lang, &c.Title, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, supportbot.Errorf(supportbot.ENOTFOUND, "Conversation not found.")
		}
		return nil, fmt.Errorf("read conversation: %w", err)
	}
	c.CreatedAt, c.UpdatedAt = sqldb.Time(created), sqldb.Time(updated)
	return &c, nil
}

// conversation returns a conversation by id, or ENOTFOUND.
func (s *store) conversation(ctx context.Context, id string) (*Conversation, error) {
	return scanConversation(s.db.QueryRow(ctx, `SELECT `+conversationCols+` FROM webchat_conversations WHERE id = ?`, id))
}

// conversations lists a visitor's conversations, most recent first.
func (s *store) conversations(ctx context.Context, visitorID string, limit int) ([]*Conversation, error) {
	rows, err := s.db.Query(ctx, `SELECT `+conversationCols+` FROM webchat_conversations
		WHERE visitor_id = ? ORDER BY updated_at DESC, id LIMIT ?`, visitorID, limit)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	defer rows.Close()
	out := []*Conversation{}
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// addMessage logs m and fills its Seq. A message whose (conversation,
// role, id) is already logged is not logged twice: addMessage returns the
// logged one and dup = true, so a retried send is processed once.
func (s *store) addMessage(ctx context.Context, m *Message) (dup bool, err error) {
	if m.ID == "" {
		m.ID = newID("m_")
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = s.now()
	}
	m.CreatedAt = m.CreatedAt.UTC().Truncate(time.Millisecond)
	md, err := json.Marshal(meta{Command: m.Command, Citations: m.Citations, Actions: m.Actions, Attachments: m.Attachments})
	if err != nil {
		return false, err
	}
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	seq, err := tx.InsertID(ctx, `INSERT INTO webchat_messages (conversation_id, client_id, role, reply_to, text, lang,
		decision, reason, ticket_id, meta, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ConversationID, m.ID, m.Role, m.ReplyTo, m.Text, m.Lang, m.Decision, m.Reason, m.TicketID, string(md),
		sqldb.Millis(m.CreatedAt))
	if sqldb.IsUniqueViolation(err) {
		tx.Rollback() // ends the write turn before reading
		old, err := s.messageByID(ctx, m.ConversationID, m.Role, m.ID)
		if err != nil {
			return false, err
		}
		*m = *old
		return true, nil
	} else if err != nil {
		return false, fmt.Errorf("insert message: %w", err)
	}
	m.Seq = seq
	n, err := json.Marshal(logged{From: s.replica, ConversationID: m.ConversationID, Seq: seq})
	if err != nil {
		return false, err
	}
	if err := tx.Notify(ctx, messagesChannel, string(n)); err != nil {
		return false, err
	}
	for _, a := range m.Attachments {
		if _, err := tx.Exec(ctx, `UPDATE webchat_attachments SET message_id = ? WHERE id = ? AND conversation_id = ?`,
			seq, a.ID, m.ConversationID); err != nil {
			return false, fmt.Errorf("link attachment: %w", err)
		}
	}
	// The first user message names the conversation in lists.
	title := ""
	if m.Role == RoleUser && m.Command == "" {
		title = truncateRunes(m.Text, 80)
	}
	if _, err := tx.Exec(ctx, `UPDATE webchat_conversations SET updated_at = ?,
		title = CASE WHEN title = '' THEN ? ELSE title END WHERE id = ?`,
		sqldb.Millis(m.CreatedAt), title, m.ConversationID); err != nil {
		return false, fmt.Errorf("touch conversation: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("commit message: %w", err)
	}
	return false, nil
}

const messageCols = `id, conversation_id, client_id, role, reply_to, text, lang, decision, reason, ticket_id, meta,
	feedback, feedback_comment, created_at`

func scanMessage(row interface{ Scan(...any) error }) (*Message, error) {
	var m Message
	var md, comment string
	var fb int
	var created int64
	if err := row.Scan(&m.Seq, &m.ConversationID, &m.ID, &m.Role, &m.ReplyTo, &m.Text, &m.Lang, &m.Decision,
		&m.Reason, &m.TicketID, &md, &fb, &comment, &created); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, supportbot.Errorf(supportbot.ENOTFOUND, "Message not found.")
		}
		return nil, fmt.Errorf("read message: %w", err)
	}
	var x meta
	if err := json.Unmarshal([]byte(md), &x); err != nil {
		return nil, fmt.Errorf("message %d meta: %w", m.Seq, err)
	}
	m.Command, m.Citations, m.Actions, m.Attachments = x.Command, x.Citations, x.Actions, x.Attachments
	if fb != 0 {
		m.Feedback = &FeedbackInfo{Helpful: fb > 0, Comment: comment}
	}
	m.CreatedAt = sqldb.Time(created)
	return &m, nil
}

// messages returns a conversation's messages with Seq > after, oldest
// first, at most limit.
func (s *store) messages(ctx context.Context, convID string, after int64, limit int) ([]*Message, error) {
	rows, err := s.db.Query(ctx, `SELECT `+messageCols+` FROM webchat_messages
		WHERE conversation_id = ? AND id > ? ORDER BY id LIMIT ?`, convID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	defer rows.Close()
	out := []*Message{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// message returns the conversation's message seq.
func (s *store) message(ctx context.Context, convID string, seq int64) (*Message, error) {
	return scanMessage(s.db.QueryRow(ctx, `SELECT `+messageCols+` FROM webchat_messages
		WHERE conversation_id = ? AND id = ?`, convID, seq))
}

func (s *store) messageByID(ctx context.Context, convID, role, id string) (*Message, error) {
	return scanMessage(s.db.QueryRow(ctx, `SELECT `+messageCols+` FROM webchat_messages
		WHERE conversation_id = ? AND role = ? AND client_id = ?`, convID, role, id))
}

// replyTo returns the bot's logged reply to the user message seq, or
// ENOTFOUND when there is none yet.
func (s *store) replyTo(ctx context.Context, convID string, seq int64) (*Message, error) {
	return scanMessage(s.db.QueryRow(ctx, `SELECT `+messageCols+` FROM webchat_messages
		WHERE conversation_id = ? AND reply_to = ? AND role = ? ORDER BY id LIMIT 1`, convID, seq, RoleBot))
}

// setFeedback records a rating on a logged reply.
func (s *store) setFeedback(ctx context.Context, seq int64, helpful bool, comment string) error {
	fb := -1
	if helpful {
		fb = 1
	}
	_, err := s.db.Exec(ctx, `UPDATE webchat_messages SET feedback = ?, feedback_comment = ? WHERE id = ?`, fb, comment, seq)
	return err
}

// hasTicket reports whether a message of the conversation concerns the
// ticket.
func (s *store) hasTicket(ctx context.Context, convID, ticketID string) (bool, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM webchat_messages WHERE conversation_id = ? AND ticket_id = ?`,
		convID, ticketID).Scan(&n); err != nil {
		return false, fmt.Errorf("find ticket: %w", err)
	}
	return n > 0, nil
}

// addAttachment stores an uploaded file, not yet linked to a message.
func (s *store) addAttachment(ctx context.Context, convID string, a *AttachmentInfo, data []byte) error {
	a.ID = newID("a_")
	if _, err := s.db.Exec(ctx, `INSERT INTO webchat_attachments (id, conversation_id, name, content_type, size, data,
		created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, convID, a.Name, a.ContentType, a.Size, data,
		sqldb.Millis(s.now())); err != nil {
		return fmt.Errorf("insert attachment: %w", err)
	}
	return nil
}

// attachment returns a conversation's attachment with its content;
// linked reports whether a message carries it already.
func (s *store) attachment(ctx context.Context, convID, id string) (a AttachmentInfo, data []byte, linked bool, err error) {
	var msg int64
	err = s.db.QueryRow(ctx, `SELECT id, name, content_type, size, data, message_id FROM webchat_attachments
		WHERE id = ? AND conversation_id = ?`, id, convID).Scan(&a.ID, &a.Name, &a.ContentType, &a.Size, &data, &msg)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil, false, supportbot.Errorf(supportbot.ENOTFOUND, "Attachment %s not found.", id)
	} else if err != nil {
		return a, nil, false, fmt.Errorf("read attachment: %w", err)
	}
	return a, data, msg != 0, nil
}

func truncateRunes(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// parseTicketID turns Reply.TicketID into the escalator's id.
func parseTicketID(s string) (int64, bool) {
	s = strings.TrimPrefix(s, "#")
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}
