package escalation

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/internal/sqldb"
)

// Filter selects tickets for the queue. Zero fields match everything.
type Filter struct {
	// Status: one status, or "active" for every status but solved and
	// closed.
	Status   string
	Priority supportbot.Priority
	Lang     string
	Channel  string
	// Assignee: an agent id, "none" for unassigned tickets.
	Assignee string
	// Breached keeps the open tickets past an SLA target.
	Breached bool
	// Text matches the subject, the user's name or the account.
	Text string
	// Limit caps the result; 0 means 100.
	Limit int
}

// ListTickets returns the tickets that match f, the most pressing first:
// open tickets by their next SLA deadline, then the others, newest first.
func (s *Service) ListTickets(ctx context.Context, f Filter) ([]*supportbot.Ticket, error) {
	var where []string
	var args []any
	switch {
	case f.Status == "active":
		where = append(where, "status NOT IN ('solved', 'closed')")
	case f.Status != "":
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	if f.Priority != "" {
		where = append(where, "priority = ?")
		args = append(args, string(f.Priority))
	}
	if f.Lang != "" {
		where = append(where, "lang = ?")
		args = append(args, f.Lang)
	}
	if f.Channel != "" {
		where = append(where, "channel = ?")
		args = append(args, f.Channel)
	}
	switch f.Assignee {
	case "":
	case "none":
		where = append(where, "assignee = ''")
	default:
		where = append(where, "assignee = ?")
		args = append(args, f.Assignee)
	}
	if f.Breached {
		now := s.now().UnixMilli()
		where = append(where, breachedSQL)
		args = append(args, now, now)
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(t)) + "%"
		where = append(where, `(LOWER(subject) LIKE ? ESCAPE '\' OR LOWER(display_name) LIKE ? ESCAPE '\' OR LOWER(account) LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like)
		if id, err := strconv.ParseInt(strings.TrimPrefix(t, "#"), 10, 64); err == nil {
			where[len(where)-1] = "(" + where[len(where)-1] + " OR id = ?)"
			args = append(args, id)
		}
	}
	q := `SELECT ` + ticketColumns + ` FROM esc_tickets`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q += ` ORDER BY CASE WHEN status IN ('solved', 'closed') THEN 1 ELSE 0 END,
		CASE WHEN status IN ('solved', 'closed') THEN -updated_at
		     WHEN first_response_at = 0 THEN first_response_due ELSE resolution_due END, id DESC LIMIT ` + strconv.Itoa(limit)
	return s.queryTickets(ctx, q, args...)
}

// OtherTickets returns the user's other tickets: same channel user, or the
// same verified account on any channel.
func (s *Service) OtherTickets(ctx context.Context, t *supportbot.Ticket) ([]*supportbot.Ticket, error) {
	q := `SELECT ` + ticketColumns + ` FROM esc_tickets WHERE id <> ? AND ((channel = ? AND user_id = ?)`
	args := []any{t.ID, t.Channel, t.UserID}
	if t.Account != "" {
		q += ` OR account = ?`
		args = append(args, t.Account)
	}
	q += `) ORDER BY created_at DESC LIMIT 20`
	return s.queryTickets(ctx, q, args...)
}

// Thread returns a ticket's messages, oldest first, with their attachments
// and, for replies sent to the user, the delivery state.
func (s *Service) Thread(ctx context.Context, ticketID int64) ([]*Message, error) {
	rows, err := s.db.Query(ctx, `SELECT id, kind, author, body, created_at FROM esc_messages
		WHERE ticket_id = ? ORDER BY created_at, id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("read thread: %w", err)
	}
	var msgs []*Message
	byID := map[int64]*Message{}
	for rows.Next() {
		m := &Message{TicketID: ticketID}
		var ca int64
		if err := rows.Scan(&m.ID, &m.Kind, &m.Author, &m.Body, &ca); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read thread: %w", err)
		}
		m.CreatedAt = sqldb.Time(ca)
		msgs = append(msgs, m)
		byID[m.ID] = m
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read thread: %w", err)
	}
	as, err := s.Attachments(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if m := byID[a.MessageID]; m != nil {
			m.Attachments = append(m.Attachments, a)
		}
	}
	ds, err := s.Deliveries(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	for i := range ds {
		if m := byID[ds[i].MessageID]; m != nil && ds[i].Kind == outboxChannel {
			m.Delivery = &ds[i]
		}
	}
	return msgs, nil
}

// Events returns a ticket's audit trail, oldest first; ticket 0 holds the
// events that concern no ticket (agents, SLA targets).
func (s *Service) Events(ctx context.Context, ticketID int64) ([]Event, error) {
	rows, err := s.db.Query(ctx, `SELECT id, ticket_id, type, actor, actor_name, detail, created_at FROM esc_events
		WHERE ticket_id = ? ORDER BY id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var d string
		var ca int64
		if err := rows.Scan(&e.ID, &e.TicketID, &e.Type, &e.Actor, &e.ActorName, &d, &ca); err != nil {
			return nil, fmt.Errorf("read events: %w", err)
		}
		if d != "" {
			json.Unmarshal([]byte(d), &e.Detail) // written by us; a bad row shows without detail
		}
		e.CreatedAt = sqldb.Time(ca)
		out = append(out, e)
	}
	return out, rows.Err()
}

func (s *Service) checkAgentText(text string) (string, error) {
	if !utf8.ValidString(text) {
		return "", supportbot.Errorf(supportbot.EINVALID, "The text is not valid UTF-8.")
	}
	if len(text) > s.cfg.MaxMessageBytes {
		return "", supportbot.Errorf(supportbot.ETOOLARGE, "The text is too long (at most %d bytes).", s.cfg.MaxMessageBytes)
	}
	text = clean(text, 0)
	if text == "" {
		return "", supportbot.Errorf(supportbot.EINVALID, "The text is empty.")
	}
	return text, nil
}

// Reply sends an agent's public reply to the ticket's user, through the
// outbox, and records the first response for the SLA. With a status (not
// ""), the ticket moves to it in the same step (like "submit as pending");
// without one, a new ticket becomes open.
func (s *Service) Reply(ctx context.Context, by *Agent, ticketID int64, text string, status supportbot.Status) (int64, error) {
	text, err := s.checkAgentText(text)
	if err != nil {
		return 0, err
	}
	var mid int64
	err = s.inTx(ctx, func(t *txn) error {
		tk, err := s.getTicket(ctx, t.Tx, ticketID)
		if err != nil {
			return err
		}
		if tk.Status == supportbot.StatusClosed {
			return supportbot.Errorf(supportbot.ECONFLICT, "Ticket #%d is closed.", ticketID)
		}
		if status != "" {
			if err := CanChangeStatus(tk.Status, status); err != nil {
				return err
			}
		}
		now := s.now()
		if mid, err = t.insertMessage(ctx, ticketID, KindAgent, by.Name, text, "", now); err != nil {
			return err
		}
		body := notice(tk.Lang, "reply_header", by.Name, tk.ID) + "\n\n" + text
		if err := t.enqueueReply(ctx, tk, mid, supportbot.Reply{Text: body, Reason: "agent_reply"}); err != nil {
			return err
		}
		if tk.FirstResponseAt.IsZero() {
			if _, err := t.Exec(ctx, `UPDATE esc_tickets SET first_response_at = ? WHERE id = ?`, now.UnixMilli(), ticketID); err != nil {
				return fmt.Errorf("record first response: %w", err)
			}
		}
		if err := t.event(ctx, ticketID, EventReply, AgentActor(by), map[string]any{"message_id": mid, "text": text}); err != nil {
			return err
		}
		if status == "" && tk.Status == supportbot.StatusNew {
			status = supportbot.StatusOpen
		}
		if status != "" && status != tk.Status {
			// The reply itself tells the user; only solving adds a
			// message (the CSAT request).
			return t.setStatus(ctx, tk, status, AgentActor(by), false)
		}
		return t.touch(ctx, ticketID)
	})
	return mid, err
}

// AddNote adds an internal note, which only agents see.
func (s *Service) AddNote(ctx context.Context, by *Agent, ticketID int64, text string) (int64, error) {
	text, err := s.checkAgentText(text)
	if err != nil {
		return 0, err
	}
	var mid int64
	err = s.inTx(ctx, func(t *txn) error {
		if _, err := s.getTicket(ctx, t.Tx, ticketID); err != nil {
			return err
		}
		if mid, err = t.insertMessage(ctx, ticketID, KindNote, by.Name, text, "", s.now()); err != nil {
			return err
		}
		if err := t.event(ctx, ticketID, EventNote, AgentActor(by), map[string]any{"message_id": mid, "text": text}); err != nil {
			return err
		}
		return t.touch(ctx, ticketID)
	})
	return mid, err
}

// SetStatus changes a ticket's status and tells the user. Solving asks the
// user for a CSAT rating.
func (s *Service) SetStatus(ctx context.Context, by *Agent, ticketID int64, status supportbot.Status) error {
	return s.inTx(ctx, func(t *txn) error {
		tk, err := s.getTicket(ctx, t.Tx, ticketID)
		if err != nil {
			return err
		}
		return t.setStatus(ctx, tk, status, AgentActor(by), true)
	})
}

func (t *txn) setStatus(ctx context.Context, tk *supportbot.Ticket, to supportbot.Status, by Actor, notify bool) error {
	from := tk.Status
	if err := CanChangeStatus(from, to); err != nil {
		return err
	}
	if from == to {
		return nil
	}
	now := t.s.now().UnixMilli()
	var key any
	if to != supportbot.StatusSolved && to != supportbot.StatusClosed {
		key = openKey(tk.Channel, tk.ConversationID)
	}
	solvedAt := sqldb.Millis(tk.SolvedAt)
	switch {
	case to == supportbot.StatusSolved:
		solvedAt = now
	case to != supportbot.StatusClosed:
		solvedAt = 0 // reopened
	}
	// Waiting on the user stops the SLA clock; leaving pending moves the
	// targets on by the pause (the SET expressions read the row as it
	// was, in SQLite and PostgreSQL alike).
	var pausedAt int64
	if to == supportbot.StatusPending {
		pausedAt = now
	}
	if _, err := t.Exec(ctx, `UPDATE esc_tickets SET status = ?, solved_at = ?, open_key = ?, updated_at = ?,
		first_response_due = CASE WHEN sla_paused_at > 0 AND first_response_at = 0
			THEN first_response_due + (? - sla_paused_at) ELSE first_response_due END,
		resolution_due = CASE WHEN sla_paused_at > 0 THEN resolution_due + (? - sla_paused_at) ELSE resolution_due END,
		sla_paused_ms = CASE WHEN sla_paused_at > 0 THEN sla_paused_ms + (? - sla_paused_at) ELSE sla_paused_ms END,
		sla_paused_at = ? WHERE id = ?`,
		string(to), solvedAt, key, now, now, now, now, pausedAt, tk.ID); err != nil {
		if sqldb.IsUniqueViolation(err) {
			return supportbot.Errorf(supportbot.ECONFLICT, "The conversation has another open ticket.")
		}
		return fmt.Errorf("set status: %w", err)
	}
	if err := t.event(ctx, tk.ID, EventStatus, by, map[string]any{"from": string(from), "to": string(to)}); err != nil {
		return err
	}
	// Moving a new ticket to open is the desk's own bookkeeping; every
	// other change is news to the user.
	if notify && !(from == supportbot.StatusNew && to == supportbot.StatusOpen) {
		text := notice(tk.Lang, "status_changed", tk.ID, notice(tk.Lang, "status_"+string(to)))
		if err := t.notify(ctx, tk, text, "status_changed", nil); err != nil {
			return err
		}
	}
	if to == supportbot.StatusSolved && tk.CSAT == 0 {
		actions := make([]supportbot.Action, 5)
		for i := range actions {
			actions[i] = supportbot.Action{Kind: "csat:" + strconv.Itoa(i+1), Label: strings.Repeat("★", i+1)}
		}
		if err := t.notify(ctx, tk, notice(tk.Lang, "csat_request", tk.ID), "csat_request", actions); err != nil {
			return err
		}
	}
	return nil
}

// notify stores a notice in the thread and queues it for the user.
func (t *txn) notify(ctx context.Context, tk *supportbot.Ticket, text, reason string, actions []supportbot.Action) error {
	mid, err := t.insertMessage(ctx, tk.ID, KindSystem, "", text, "", t.s.now())
	if err != nil {
		return err
	}
	return t.enqueueReply(ctx, tk, mid, supportbot.Reply{Text: text, Reason: reason, Actions: actions})
}

// SetPriority changes a ticket's priority; its SLA deadlines are computed
// again from when it was opened, with the new priority's targets, plus
// the time it waited on the user.
func (s *Service) SetPriority(ctx context.Context, by *Agent, ticketID int64, p supportbot.Priority) error {
	if !validPriority(p) {
		return supportbot.Errorf(supportbot.EINVALID, "Unknown priority %q.", p)
	}
	return s.inTx(ctx, func(t *txn) error {
		tk, err := s.getTicket(ctx, t.Tx, ticketID)
		if err != nil {
			return err
		}
		if tk.Priority == p {
			return nil
		}
		return t.setPriority(ctx, tk, p, AgentActor(by))
	})
}

func (t *txn) setPriority(ctx context.Context, tk *supportbot.Ticket, p supportbot.Priority, by Actor) error {
	sla, err := t.s.slaTargets(ctx, t)
	if err != nil {
		return err
	}
	fr, res := dueTimes(tk.CreatedAt, sla.Target(p))
	// The targets keep the time the ticket already waited on the user
	// (for the first response, only while none was given).
	if _, err := t.Exec(ctx, `UPDATE esc_tickets SET priority = ?,
		first_response_due = CAST(? AS BIGINT) + CASE WHEN first_response_at = 0 THEN sla_paused_ms ELSE 0 END,
		resolution_due = CAST(? AS BIGINT) + sla_paused_ms, updated_at = ? WHERE id = ?`,
		string(p), fr.UnixMilli(), res.UnixMilli(), t.s.now().UnixMilli(), tk.ID); err != nil {
		return fmt.Errorf("set priority: %w", err)
	}
	return t.event(ctx, tk.ID, EventPriority, by, map[string]any{"from": string(tk.Priority), "to": string(p)})
}

// Assign gives a ticket to an active agent (by id), or to nobody with 0.
func (s *Service) Assign(ctx context.Context, by *Agent, ticketID, agentID int64) error {
	return s.inTx(ctx, func(t *txn) error {
		tk, err := s.getTicket(ctx, t.Tx, ticketID)
		if err != nil {
			return err
		}
		assignee, name := "", ""
		if agentID != 0 {
			a, err := s.getAgent(ctx, t.Tx, agentID)
			if err != nil {
				return err
			}
			if !a.Active {
				return supportbot.Errorf(supportbot.EINVALID, "%s is deactivated.", a.Name)
			}
			assignee, name = strconv.FormatInt(a.ID, 10), a.Name
		}
		if assignee == tk.Assignee {
			return nil
		}
		if _, err := t.Exec(ctx, `UPDATE esc_tickets SET assignee = ?, updated_at = ? WHERE id = ?`,
			assignee, s.now().UnixMilli(), ticketID); err != nil {
			return fmt.Errorf("assign: %w", err)
		}
		return t.event(ctx, ticketID, EventAssigned, AgentActor(by), map[string]any{
			"from": tk.Assignee, "to": assignee, "to_name": name})
	})
}

// SetTags replaces a ticket's tags. Tags are lower-cased; spaces become
// dashes; other punctuation is dropped.
func (s *Service) SetTags(ctx context.Context, by *Agent, ticketID int64, tags []string) error {
	tags = normalizeTags(tags)
	return s.inTx(ctx, func(t *txn) error {
		tk, err := s.getTicket(ctx, t.Tx, ticketID)
		if err != nil {
			return err
		}
		joined := strings.Join(tags, ",")
		if joined == strings.Join(tk.Tags, ",") {
			return nil
		}
		if _, err := t.Exec(ctx, `UPDATE esc_tickets SET tags = ?, updated_at = ? WHERE id = ?`,
			joined, s.now().UnixMilli(), ticketID); err != nil {
			return fmt.Errorf("set tags: %w", err)
		}
		return t.event(ctx, ticketID, EventTags, AgentActor(by), map[string]any{"tags": tags})
	})
}

// autoClose closes the tickets solved longer ago than AutoCloseAfter.
func (s *Service) autoClose(ctx context.Context) error {
	if s.cfg.AutoCloseAfter < 0 {
		return nil
	}
	cutoff := s.now().Add(-s.cfg.AutoCloseAfter).UnixMilli()
	ts, err := s.queryTickets(ctx, `SELECT `+ticketColumns+` FROM esc_tickets WHERE status = 'solved' AND solved_at < ?
		LIMIT 100`, cutoff)
	if err != nil {
		return err
	}
	for _, tk := range ts {
		err := s.inTx(ctx, func(t *txn) error {
			cur, err := s.getTicket(ctx, t.Tx, tk.ID)
			if err != nil || cur.Status != supportbot.StatusSolved {
				return err
			}
			return t.setStatus(ctx, cur, supportbot.StatusClosed, ActorSystem, false)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
