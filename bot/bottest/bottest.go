// Package bottest has fakes of the engine's collaborators, for tests of
// the engine and of what sits on top of it.
package bottest

import (
	"context"
	"sync"
	"time"

	"github.com/supportbot/supportbot"
)

// Retriever is a supportbot.Retriever whose answer is RetrieveFn's.
type Retriever struct {
	RetrieveFn func(ctx context.Context, q supportbot.Query) (supportbot.Result, error)
}

// Retrieve implements supportbot.Retriever.
func (r *Retriever) Retrieve(ctx context.Context, q supportbot.Query) (supportbot.Result, error) {
	return r.RetrieveFn(ctx, q)
}

// Escalator records what the engine asks of it and keeps tickets in
// memory, one open ticket per conversation, like the real one.
type Escalator struct {
	mu          sync.Mutex
	Tickets     []*supportbot.Ticket
	Escalations []supportbot.Escalation
	Added       []supportbot.Message
	Protections []supportbot.Protection
	// ProtectErr, if set, is returned by ProtectAccount.
	ProtectErr error
	// SLA is the first-response time of new tickets; default 1h.
	SLA      time.Duration
	Now      func() time.Time
	seenKeys map[string]bool
}

// Escalate implements supportbot.Escalator.
func (e *Escalator) Escalate(_ context.Context, x supportbot.Escalation) (*supportbot.Ticket, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.Escalations = append(e.Escalations, x)
	for _, t := range e.Tickets {
		if t.Channel == x.Message.Channel && t.ConversationID == x.Message.ConversationID && t.Open() {
			if x.Priority == supportbot.PriorityUrgent {
				t.Priority = supportbot.PriorityUrgent
			}
			return t, nil
		}
	}
	now := time.Now()
	if e.Now != nil {
		now = e.Now()
	}
	sla := e.SLA
	if sla == 0 {
		sla = time.Hour
	}
	t := &supportbot.Ticket{ID: int64(len(e.Tickets) + 1), Channel: x.Message.Channel, UserID: x.Message.UserID,
		ConversationID: x.Message.ConversationID, Lang: x.Lang, Subject: x.Subject, Reason: x.Reason, Priority: x.Priority,
		Status: supportbot.StatusNew, CreatedAt: now, FirstResponseDue: now.Add(sla)}
	e.Tickets = append(e.Tickets, t)
	return t, nil
}

// FindOpenTicket implements supportbot.Escalator.
func (e *Escalator) FindOpenTicket(_ context.Context, channel, conv string) (*supportbot.Ticket, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, t := range e.Tickets {
		if t.Channel == channel && t.ConversationID == conv && t.Open() {
			return t, nil
		}
	}
	return nil, supportbot.Errorf(supportbot.ENOTFOUND, "no open ticket")
}

// ListUserTickets implements supportbot.Escalator.
func (e *Escalator) ListUserTickets(_ context.Context, channel, user string) ([]*supportbot.Ticket, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []*supportbot.Ticket
	for i := len(e.Tickets) - 1; i >= 0; i-- {
		if t := e.Tickets[i]; t.Channel == channel && t.UserID == user {
			out = append(out, t)
		}
	}
	return out, nil
}

// AddMessage implements supportbot.Escalator.
func (e *Escalator) AddMessage(_ context.Context, id int64, m supportbot.Message) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.Added = append(e.Added, m)
	return nil
}

// ProtectAccount implements supportbot.Escalator: it records each
// idempotency key once, as the real one calls the operator once.
func (e *Escalator) ProtectAccount(_ context.Context, p supportbot.Protection) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ProtectErr != nil {
		return e.ProtectErr
	}
	if e.seenKeys == nil {
		e.seenKeys = map[string]bool{}
	}
	if !e.seenKeys[p.IdempotencyKey] {
		e.seenKeys[p.IdempotencyKey] = true
		e.Protections = append(e.Protections, p)
	}
	return nil
}

// RateTicket implements supportbot.Escalator.
func (e *Escalator) RateTicket(_ context.Context, id int64, channel, user string, score int) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, t := range e.Tickets {
		if t.ID == id && t.Channel == channel && t.UserID == user {
			t.CSAT = score
			return nil
		}
	}
	return supportbot.Errorf(supportbot.ENOTFOUND, "no such ticket")
}

var (
	_ supportbot.Retriever = (*Retriever)(nil)
	_ supportbot.Escalator = (*Escalator)(nil)
)
