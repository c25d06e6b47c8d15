package escalation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/internal/sqldb"
)

// Event types: the audit trail's entries and the webhooks' "type".
const (
	EventCreated   = "ticket.created"   // a ticket was opened
	EventEscalated = "ticket.escalated" // an open ticket was escalated again
	EventMessage   = "ticket.message"   // the user added a message
	EventReply     = "ticket.reply"     // an agent replied to the user
	EventNote      = "ticket.note"      // an agent added an internal note
	EventStatus    = "ticket.status"    // the status changed
	EventPriority  = "ticket.priority"  // the priority changed
	EventAssigned  = "ticket.assigned"  // the assignee changed
	EventTags      = "ticket.tags"      // the tags changed
	EventRated     = "ticket.rated"     // the user rated the ticket (CSAT)
	EventAction    = "account.action"   // an account action ran (freeze, unfreeze, ...)
	EventDelivery  = "delivery.failed"  // a reply could not be delivered, for good
)

// Message kinds in a ticket's thread.
const (
	KindUser   = "user"   // from the user
	KindBot    = "bot"    // the bot's answer, from the transcript
	KindAgent  = "agent"  // an agent's public reply, sent to the user
	KindNote   = "note"   // an agent's internal note, never sent
	KindSystem = "system" // a notice (status change, CSAT request, ...)
)

// Actor is who did something, for the audit trail: "agent:<id>",
// "user:<channel>:<user id>", "bot" or "system".
type Actor struct {
	ID   string
	Name string
}

// Actors that are not people.
var (
	ActorBot    = Actor{ID: "bot", Name: "bot"}
	ActorSystem = Actor{ID: "system", Name: "system"}
)

// AgentActor returns the actor for an agent.
func AgentActor(a *Agent) Actor {
	return Actor{ID: "agent:" + strconv.FormatInt(a.ID, 10), Name: a.Name}
}

func userActor(channel, userID, name string) Actor {
	return Actor{ID: "user:" + channel + ":" + userID, Name: name}
}

// Message is one entry of a ticket's thread.
type Message struct {
	ID          int64
	TicketID    int64
	Kind        string // KindUser, KindAgent, ...
	Author      string // the agent's or user's name
	Body        string
	CreatedAt   time.Time
	Attachments []Attachment
	// Delivery is the state of sending an agent reply or a notice to the
	// user's channel; nil for messages that are not sent.
	Delivery *Delivery
}

// Event is one entry of the audit trail.
type Event struct {
	ID        int64
	TicketID  int64
	Type      string
	Actor     string
	ActorName string
	Detail    map[string]any
	CreatedAt time.Time
}

// Change tells subscribers (the console's live view) that a ticket changed.
type Change struct {
	TicketID int64
	Type     string
}

// Service stores tickets and implements supportbot.Escalator. Create it
// with New, call Open before use and run Run to deliver the outbox.
type Service struct {
	cfg      Config
	db       *sqldb.DB
	channels map[string]supportbot.Channel
	log      logrus.FieldLogger

	// Now is the clock; tests replace it before Open.
	Now func() time.Time
	// HTTPClient makes webhook and protection calls. It has no timeout of
	// its own: each call gets a deadline from the config.
	HTTPClient *http.Client

	wake    chan struct{} // pokes the delivery worker
	metrics *metrics

	mu   sync.Mutex
	subs map[chan Change]struct{}

	// replica names this process among those sharing the database (see
	// replicas.go); listening is closed once Run listens to the others.
	replica       string
	listening     chan struct{}
	listeningOnce sync.Once
}

// New returns a Service. channels is the app's registry of connectors by
// name; it is read when replies are delivered, so it may be filled after
// New. A nil log discards.
func New(cfg Config, db *sqldb.DB, channels map[string]supportbot.Channel, log logrus.FieldLogger) *Service {
	cfg.SetDefaults()
	if log == nil {
		l := logrus.New()
		l.SetOutput(io.Discard)
		log = l
	}
	if channels == nil {
		channels = map[string]supportbot.Channel{}
	}
	return &Service{
		cfg: cfg, db: db, channels: channels, log: log,
		Now:        time.Now,
		HTTPClient: &http.Client{},
		wake:       make(chan struct{}, 1),
		metrics:    newMetrics(),
		subs:       map[chan Change]struct{}{},
		replica:    newReplicaID(),
		listening:  make(chan struct{}),
	}
}

// Open creates or upgrades escalation's tables.
func (s *Service) Open(ctx context.Context) error {
	if err := s.db.Migrate(ctx, "escalation", migrations); err != nil {
		return fmt.Errorf("escalation: %w", err)
	}
	return nil
}

// consoleURL is where ticket links in webhooks point.
func (s *Service) consoleURL() string {
	if s.cfg.Console.URL == "" {
		return "/console"
	}
	return s.cfg.Console.URL
}

// Config returns the service's configuration, with defaults filled.
func (s *Service) Config() Config { return s.cfg }

// DB returns the database the service uses.
func (s *Service) DB() *sqldb.DB { return s.db }

func (s *Service) now() time.Time { return s.Now().UTC() }

// Subscribe returns a channel of ticket changes and a function that ends the
// subscription. A subscriber that does not keep up misses changes rather
// than slowing writers; the console reloads what it shows on each change,
// so a missed one is caught up by the next.
func (s *Service) Subscribe() (<-chan Change, func()) {
	ch := make(chan Change, 64)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	return ch, func() {
		s.mu.Lock()
		delete(s.subs, ch)
		s.mu.Unlock()
	}
}

func (s *Service) publish(cs []Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range cs {
		for ch := range s.subs {
			select {
			case ch <- c:
			default:
			}
		}
	}
}

// txn is a transaction that collects the changes to announce after commit.
type txn struct {
	*sqldb.Tx
	s       *Service
	changes []Change
	outbox  bool
}

// inTx runs fn in a transaction and, once it commits, wakes the delivery
// worker and tells subscribers, here and in the other replicas.
func (s *Service) inTx(ctx context.Context, fn func(t *txn) error) error {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &txn{Tx: tx, s: s}
	if err := fn(t); err != nil {
		tx.Rollback()
		return err
	}
	if err := s.announce(ctx, t); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if t.outbox {
		s.poke()
	}
	s.publish(t.changes)
	return nil
}

func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// event appends an audit entry for a ticket and queues a signed webhook for
// every endpoint that wants this type, in the same transaction.
func (t *txn) event(ctx context.Context, ticketID int64, typ string, actor Actor, detail map[string]any) error {
	now := t.s.now()
	d := ""
	if len(detail) > 0 {
		b, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("encode event: %w", err)
		}
		d = string(b)
	}
	id, err := t.InsertID(ctx, `INSERT INTO esc_events (ticket_id, type, actor, actor_name, detail, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, ticketID, typ, actor.ID, actor.Name, d, now.UnixMilli())
	if err != nil {
		return fmt.Errorf("record event: %w", err)
	}
	t.changes = append(t.changes, Change{TicketID: ticketID, Type: typ})
	if len(t.s.cfg.Webhooks) == 0 {
		return nil
	}
	var tk *supportbot.Ticket
	if ticketID != 0 {
		if tk, err = t.s.getTicket(ctx, t.Tx, ticketID); err != nil {
			return err
		}
	}
	body, err := json.Marshal(webhookEvent{
		ID: id, Type: typ, CreatedAt: now, Actor: actor.ID, ActorName: actor.Name,
		Ticket: ticketJSONOf(tk, t.s.consoleURL()), Data: detail,
	})
	if err != nil {
		return fmt.Errorf("encode webhook: %w", err)
	}
	for _, w := range t.s.cfg.Webhooks {
		if !wants(w.Events, typ) {
			continue
		}
		if err := t.enqueue(ctx, outboxWebhook, ticketID, 0, w.URL, string(body)); err != nil {
			return err
		}
	}
	return nil
}

func wants(events []string, typ string) bool {
	if len(events) == 0 {
		return true
	}
	for _, e := range events {
		if e == typ || e == "*" {
			return true
		}
	}
	return false
}

// ticketColumns are read by scanTicket, in order.
const ticketColumns = `id, channel, user_id, conversation_id, account, display_name, lang, subject, category,
	reason, priority, status, assignee, tags, first_response_due, resolution_due, first_response_at, solved_at,
	csat, created_at, updated_at, sla_paused_at`

type scanner interface{ Scan(dest ...any) error }

func scanTicket(r scanner) (*supportbot.Ticket, error) {
	var t supportbot.Ticket
	var prio, status, tags string
	var frd, rd, fra, sa, ca, ua, pa int64
	if err := r.Scan(&t.ID, &t.Channel, &t.UserID, &t.ConversationID, &t.Account, &t.DisplayName, &t.Lang,
		&t.Subject, &t.Category, &t.Reason, &prio, &status, &t.Assignee, &tags, &frd, &rd, &fra, &sa,
		&t.CSAT, &ca, &ua, &pa); err != nil {
		return nil, err
	}
	t.Priority, t.Status = supportbot.Priority(prio), supportbot.Status(status)
	t.Tags = splitTags(tags)
	t.FirstResponseDue, t.ResolutionDue = sqldb.Time(frd), sqldb.Time(rd)
	t.FirstResponseAt, t.SolvedAt = sqldb.Time(fra), sqldb.Time(sa)
	t.CreatedAt, t.UpdatedAt = sqldb.Time(ca), sqldb.Time(ua)
	t.SLAPausedAt = sqldb.Time(pa)
	return &t, nil
}

// querier is what *sqldb.DB and *sqldb.Tx share.
type querier interface {
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func (s *Service) getTicket(ctx context.Context, q querier, id int64) (*supportbot.Ticket, error) {
	t, err := scanTicket(q.QueryRow(ctx, `SELECT `+ticketColumns+` FROM esc_tickets WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, supportbot.Errorf(supportbot.ENOTFOUND, "Ticket #%d not found.", id)
	} else if err != nil {
		return nil, fmt.Errorf("get ticket %d: %w", id, err)
	}
	return t, nil
}

// Ticket returns a ticket by id, or ENOTFOUND. It is for agents: it does
// not check who asks.
func (s *Service) Ticket(ctx context.Context, id int64) (*supportbot.Ticket, error) {
	return s.getTicket(ctx, s.db, id)
}

// openKey is the value of the unique open_key column while a ticket is
// open. The channel's length prefix keeps it unambiguous whatever the ids
// contain.
func openKey(channel, conversationID string) string {
	return strconv.Itoa(len(channel)) + ":" + channel + ":" + conversationID
}

// validID reports whether a channel, user or conversation id can be stored
// as is: valid UTF-8 without NUL (which PostgreSQL refuses), not too long.
func validID(s string) bool {
	return s != "" && len(s) <= 256 && utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// Escalate opens a ticket for the conversation, or adds to its open ticket:
// a conversation never has two open tickets (a unique key on open tickets
// guarantees it even for concurrent calls). On an existing ticket the
// triggering message is appended, and the priority is raised if the new
// escalation is more urgent. The returned ticket's ID is the number to
// give the user and FirstResponseDue tells when an agent will answer.
//
// Attachments that break the limits do not fail the escalation (a hacked
// account's ticket must open whatever the user attached): they are left
// out and a system note on the ticket says why.
func (s *Service) Escalate(ctx context.Context, e supportbot.Escalation) (*supportbot.Ticket, error) {
	m := e.Message
	if !validID(m.Channel) || !validID(m.ConversationID) || !validID(m.UserID) {
		return nil, supportbot.Errorf(supportbot.EINVALID, "An escalation needs a channel, a conversation and a user.")
	}
	files, rejected := s.prepareAttachments(m.Attachments)
	stored, err := s.storeFiles(files)
	if err != nil {
		return nil, err
	}
	var id int64
	var created bool
	for try := 0; ; try++ {
		id, created, err = s.escalateOnce(ctx, e, stored, rejected)
		// A concurrent Escalate of the same conversation (PostgreSQL lets
		// both transactions run) opened the ticket first: add to it.
		if err != nil && sqldb.IsUniqueViolation(err) && try < 3 {
			continue
		}
		break
	}
	if err != nil {
		return nil, err
	}
	t, err := s.Ticket(ctx, id)
	if err == nil && created {
		s.metrics.opened.WithLabelValues(t.Reason, string(t.Priority)).Inc()
		s.log.WithFields(map[string]any{"ticket_id": t.ID, "channel": t.Channel, "conversation_id": t.ConversationID,
			"lang": t.Lang, "reason": t.Reason, "priority": t.Priority}).Info("escalation: ticket opened")
	}
	return t, err
}

func (s *Service) escalateOnce(ctx context.Context, e supportbot.Escalation, files []storedFile, rejected []string) (int64, bool, error) {
	m := e.Message
	now := s.now()
	if !m.Time.IsZero() {
		now = m.Time.UTC()
	}
	prio := e.Priority
	if !validPriority(prio) {
		prio = supportbot.PriorityNormal
		if e.Reason == "account_compromised" {
			prio = supportbot.PriorityUrgent
		}
	}
	lang := supportbot.NormalizeLang(e.Lang)
	if lang == "" {
		lang = supportbot.DefaultLang
	}
	user := userActor(m.Channel, m.UserID, m.DisplayName)
	var id int64
	created := false
	err := s.inTx(ctx, func(t *txn) error {
		existing, err := scanTicket(t.QueryRow(ctx, `SELECT `+ticketColumns+` FROM esc_tickets WHERE open_key = ?`,
			openKey(m.Channel, m.ConversationID)))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("find open ticket: %w", err)
		}
		if existing != nil {
			id = existing.ID
			if err := t.event(ctx, id, EventEscalated, ActorBot, map[string]any{"reason": e.Reason}); err != nil {
				return err
			}
			if rank(prio) > rank(existing.Priority) {
				if err := t.setPriority(ctx, existing, prio, ActorBot); err != nil {
					return err
				}
			}
			if m.Account != "" && existing.Account == "" {
				if _, err := t.Exec(ctx, `UPDATE esc_tickets SET account = ? WHERE id = ?`, clean(m.Account, 200), id); err != nil {
					return fmt.Errorf("link account: %w", err)
				}
			}
			return t.addUserMessage(ctx, existing, m, files, rejected, now, user)
		}
		sla, err := s.slaTargets(ctx, t)
		if err != nil {
			return err
		}
		target := sla.Target(prio)
		subject := clean(e.Subject, 200)
		if subject == "" {
			subject = firstLine(firstUserText(e), 80)
		}
		if subject == "" {
			subject = "(" + e.Reason + ")"
		}
		id, err = t.InsertID(ctx, `INSERT INTO esc_tickets (channel, user_id, conversation_id, account, display_name,
			lang, subject, category, reason, priority, status, first_response_due, resolution_due, created_at,
			updated_at, open_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.Channel, m.UserID, m.ConversationID, clean(m.Account, 200), clean(m.DisplayName, 200), lang, subject,
			clean(e.Category, 100), clean(e.Reason, 100), string(prio), string(supportbot.StatusNew),
			now.Add(target.FirstResponse).UnixMilli(), now.Add(target.Resolution).UnixMilli(),
			now.UnixMilli(), now.UnixMilli(), openKey(m.Channel, m.ConversationID))
		if err != nil {
			return err // may be a unique violation: Escalate retries
		}
		created = true
		tk, err := t.s.getTicket(ctx, t.Tx, id)
		if err != nil {
			return err
		}
		// The transcript, oldest first. The triggering message is often
		// its last turn; it is then stored once, with its attachments.
		turns := e.Transcript
		if n := len(turns); n > 0 && turns[n-1].Role == KindUser && turns[n-1].Text == m.Text {
			turns = turns[:n-1]
		}
		for _, turn := range turns {
			kind := turn.Role
			switch kind {
			case KindUser, KindBot, KindAgent, KindSystem:
			default:
				kind = KindSystem
			}
			at := turn.Time
			if at.IsZero() {
				at = now
			}
			author := ""
			if kind == KindUser {
				author = m.DisplayName
			}
			if _, err := t.insertMessage(ctx, id, kind, author, clean(turn.Text, s.cfg.MaxMessageBytes), "", at); err != nil {
				return err
			}
		}
		if err := t.event(ctx, id, EventCreated, ActorBot, map[string]any{
			"reason": e.Reason, "priority": string(prio), "category": e.Category, "lang": lang}); err != nil {
			return err
		}
		return t.addUserMessage(ctx, tk, m, files, rejected, now, user)
	})
	return id, created && err == nil, err
}

func firstUserText(e supportbot.Escalation) string {
	for _, t := range e.Transcript {
		if t.Role == KindUser && strings.TrimSpace(t.Text) != "" {
			return t.Text
		}
	}
	return e.Message.Text
}

// addUserMessage stores a user's message with its attachments, unless it
// was stored already (same channel message id), and moves a ticket that
// waited on the user back to open.
func (t *txn) addUserMessage(ctx context.Context, tk *supportbot.Ticket, m supportbot.Message, files []storedFile,
	rejected []string, now time.Time, user Actor) error {
	text := clean(m.Text, t.s.cfg.MaxMessageBytes)
	if text == "" && len(files) == 0 && len(rejected) == 0 {
		return nil
	}
	name := m.DisplayName
	if name == "" {
		name = tk.DisplayName
	}
	if user.Name == "" {
		user.Name = name
	}
	mid, err := t.insertMessage(ctx, tk.ID, KindUser, name, text, m.ID, now)
	if err != nil {
		return err
	}
	if mid == 0 { // a repeat of a message already on the ticket
		return nil
	}
	names := make([]string, 0, len(files))
	for _, f := range files {
		if _, err := t.Exec(ctx, `INSERT INTO esc_attachments (ticket_id, message_id, name, content_type, size, sha256,
			created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, tk.ID, mid, f.Name, f.ContentType, f.Size, f.SHA256,
			now.UnixMilli()); err != nil {
			return fmt.Errorf("store attachment: %w", err)
		}
		names = append(names, f.Name)
	}
	for _, r := range rejected {
		if _, err := t.insertMessage(ctx, tk.ID, KindSystem, "", r, "", now); err != nil {
			return err
		}
	}
	detail := map[string]any{"message_id": mid, "text": text}
	if len(names) > 0 {
		detail["attachments"] = names
	}
	if len(rejected) > 0 {
		detail["rejected_attachments"] = rejected
	}
	if err := t.event(ctx, tk.ID, EventMessage, user, detail); err != nil {
		return err
	}
	if tk.Status == supportbot.StatusPending {
		// The user answered what the agent waited for.
		return t.setStatus(ctx, tk, supportbot.StatusOpen, user, false)
	}
	return t.touch(ctx, tk.ID)
}

// insertMessage stores a message; with an extID already on the ticket it
// stores nothing and returns 0, so a repeated delivery is processed once.
func (t *txn) insertMessage(ctx context.Context, ticketID int64, kind, author, body, extID string, at time.Time) (int64, error) {
	var ext any
	if extID != "" {
		ext = extID
		var n int
		if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM esc_messages WHERE ticket_id = ? AND ext_id = ?`,
			ticketID, extID).Scan(&n); err != nil {
			return 0, fmt.Errorf("check message: %w", err)
		}
		if n > 0 {
			return 0, nil
		}
	}
	id, err := t.InsertID(ctx, `INSERT INTO esc_messages (ticket_id, kind, author, body, ext_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, ticketID, kind, author, body, ext, at.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("store message: %w", err)
	}
	return id, nil
}

func (t *txn) touch(ctx context.Context, id int64) error {
	if _, err := t.Exec(ctx, `UPDATE esc_tickets SET updated_at = ? WHERE id = ?`, t.s.now().UnixMilli(), id); err != nil {
		return fmt.Errorf("touch ticket: %w", err)
	}
	return nil
}

// FindOpenTicket returns the open ticket of a conversation, or ENOTFOUND.
func (s *Service) FindOpenTicket(ctx context.Context, channel, conversationID string) (*supportbot.Ticket, error) {
	t, err := scanTicket(s.db.QueryRow(ctx, `SELECT `+ticketColumns+` FROM esc_tickets WHERE open_key = ?`,
		openKey(channel, conversationID)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, supportbot.Errorf(supportbot.ENOTFOUND, "No open ticket.")
	} else if err != nil {
		return nil, fmt.Errorf("find open ticket: %w", err)
	}
	return t, nil
}

// ListUserTickets returns a channel user's tickets, newest first (at most
// 50). It never returns another user's tickets.
func (s *Service) ListUserTickets(ctx context.Context, channel, userID string) ([]*supportbot.Ticket, error) {
	if channel == "" || userID == "" {
		return nil, nil
	}
	return s.queryTickets(ctx, `SELECT `+ticketColumns+` FROM esc_tickets WHERE channel = ? AND user_id = ?
		ORDER BY created_at DESC, id DESC LIMIT 50`, channel, userID)
}

func (s *Service) queryTickets(ctx context.Context, q string, args ...any) ([]*supportbot.Ticket, error) {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list tickets: %w", err)
	}
	defer rows.Close()
	var out []*supportbot.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("list tickets: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// AddMessage appends a user's message and attachments to their open
// ticket. The message must come from the ticket's user (ENOTFOUND
// otherwise, as if the ticket did not exist); the ticket must be open
// (ECONFLICT). Unlike Escalate it checks everything before writing
// anything: bad UTF-8 is EINVALID, an oversized message or attachment
// ETOOLARGE, a file of a type not accepted EINVALID, so the user can fix it
// and nothing is half-stored. A message whose ID is already on the ticket
// is accepted and stored once.
func (s *Service) AddMessage(ctx context.Context, ticketID int64, m supportbot.Message) error {
	if !utf8.ValidString(m.Text) {
		return supportbot.Errorf(supportbot.EINVALID, "The message is not valid UTF-8 text.")
	}
	if len(m.Text) > s.cfg.MaxMessageBytes {
		return supportbot.Errorf(supportbot.ETOOLARGE, "The message is too long (at most %d bytes).", s.cfg.MaxMessageBytes)
	}
	if len(m.Attachments) > s.cfg.MaxAttachments {
		return supportbot.Errorf(supportbot.ETOOLARGE, "Too many files (at most %d).", s.cfg.MaxAttachments)
	}
	files := make([]fileIn, 0, len(m.Attachments))
	for _, a := range m.Attachments {
		f, err := s.checkAttachment(a)
		if err != nil {
			return err
		}
		files = append(files, f)
	}
	tk, err := s.Ticket(ctx, ticketID)
	if err != nil {
		return err
	}
	if tk.Channel != m.Channel || tk.UserID != m.UserID {
		return supportbot.Errorf(supportbot.ENOTFOUND, "Ticket #%d not found.", ticketID)
	}
	if !tk.Open() {
		return supportbot.Errorf(supportbot.ECONFLICT, "Ticket #%d is %s.", ticketID, tk.Status)
	}
	stored, err := s.storeFiles(files)
	if err != nil {
		return err
	}
	now := s.now()
	return s.inTx(ctx, func(t *txn) error {
		tk, err := t.s.getTicket(ctx, t.Tx, ticketID) // re-read inside the transaction
		if err != nil {
			return err
		}
		return t.addUserMessage(ctx, tk, m, stored, nil, now, userActor(m.Channel, m.UserID, m.DisplayName))
	})
}

// RateTicket stores a user's CSAT rating (1..5) of their solved or closed
// ticket. Rating again replaces the score.
func (s *Service) RateTicket(ctx context.Context, ticketID int64, channel, userID string, score int) error {
	if score < 1 || score > 5 {
		return supportbot.Errorf(supportbot.EINVALID, "A rating is from 1 to 5.")
	}
	return s.inTx(ctx, func(t *txn) error {
		tk, err := s.getTicket(ctx, t.Tx, ticketID)
		if err != nil {
			return err
		}
		if tk.Channel != channel || tk.UserID != userID {
			return supportbot.Errorf(supportbot.ENOTFOUND, "Ticket #%d not found.", ticketID)
		}
		if tk.Open() {
			return supportbot.Errorf(supportbot.ECONFLICT, "Ticket #%d is not solved yet.", ticketID)
		}
		if tk.CSAT == score {
			return nil
		}
		if _, err := t.Exec(ctx, `UPDATE esc_tickets SET csat = ?, updated_at = ? WHERE id = ?`,
			score, s.now().UnixMilli(), ticketID); err != nil {
			return fmt.Errorf("rate ticket: %w", err)
		}
		return t.event(ctx, ticketID, EventRated, userActor(channel, userID, tk.DisplayName), map[string]any{"score": score})
	})
}

// clean makes user-supplied text safe to store: valid UTF-8, no NUL bytes,
// at most max bytes (cut at a rune boundary).
func clean(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	s = strings.TrimSpace(s)
	if max > 0 && len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}

func firstLine(s string, runes int) string {
	s = clean(s, 0)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if utf8.RuneCountInString(s) > runes {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:runes])) + "…"
	}
	return s
}

func splitTags(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// normalizeTags lower-cases tags, keeps letters, digits, '-' and '_', and
// drops empty and repeated ones, so they can be stored comma-separated.
func normalizeTags(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range in {
		t = strings.ToLower(strings.TrimSpace(t))
		t = strings.Map(func(r rune) rune {
			if r == '-' || r == '_' || r == ' ' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r > 127 && r != 0xFFFD {
				if r == ' ' {
					return '-'
				}
				return r
			}
			return -1
		}, t)
		if t == "" || seen[t] || len(t) > 50 {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

var _ supportbot.Escalator = (*Service)(nil)
