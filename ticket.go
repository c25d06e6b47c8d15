package supportbot

import (
	"context"
	"time"
)

// Status of a ticket.
type Status string

// Statuses, in the order a ticket usually goes through them.
const (
	StatusNew     Status = "new"
	StatusOpen    Status = "open"
	StatusPending Status = "pending" // waiting on the user
	StatusOnHold  Status = "on_hold" // waiting on a third party
	StatusSolved  Status = "solved"
	StatusClosed  Status = "closed"
)

// Priority of a ticket.
type Priority string

// Priorities.
const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Ticket is an escalated conversation that people work on.
type Ticket struct {
	ID               int64
	Channel          string
	UserID           string
	ConversationID   string
	Account          string // verified exchange account, if linked
	DisplayName      string
	Lang             string
	Subject          string
	Category         string
	Reason           string // why the bot escalated
	Priority         Priority
	Status           Status
	Assignee         string // agent id; "" when unassigned
	Tags             []string
	FirstResponseDue time.Time
	ResolutionDue    time.Time
	FirstResponseAt  time.Time
	SolvedAt         time.Time
	// SLAPausedAt is when the SLA clock stopped because the ticket waits
	// on the user (pending); zero while it runs. Leaving pending moves the
	// targets on by the pause.
	SLAPausedAt time.Time
	CSAT        int // 1..5; 0 when not rated
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Open reports whether the ticket still needs work.
func (t *Ticket) Open() bool {
	return t.Status != StatusSolved && t.Status != StatusClosed
}

// Escalation asks for a conversation to be handed to people.
type Escalation struct {
	Message  Message // the message that triggered it
	Lang     string
	Reason   string
	Priority Priority
	Category string // the engine's guess, from the top article
	Subject  string
	// Transcript is the conversation so far, oldest first.
	Transcript []Turn
}

// Turn is one message of a conversation's transcript.
type Turn struct {
	Role string // "user", "bot", "agent", "system"
	Text string
	Time time.Time
}

// Escalator hands conversations to people. escalation.Service implements it.
type Escalator interface {
	// Escalate opens a ticket for the conversation, or adds to the open one.
	Escalate(ctx context.Context, e Escalation) (*Ticket, error)
	// FindOpenTicket returns the open ticket of a conversation, or ENOTFOUND.
	FindOpenTicket(ctx context.Context, channel, conversationID string) (*Ticket, error)
	// ListUserTickets returns a channel user's tickets, newest first. It
	// never returns another user's tickets.
	ListUserTickets(ctx context.Context, channel, userID string) ([]*Ticket, error)
	// AddMessage appends a user's message and attachments to an open ticket.
	AddMessage(ctx context.Context, ticketID int64, m Message) error
	// ProtectAccount runs the configured protective action (freeze) for a
	// verified account, once per idempotency key. It returns EUNAVAILABLE
	// when no action is configured or the operator's endpoint is down.
	ProtectAccount(ctx context.Context, p Protection) error
	// RateTicket stores a user's CSAT rating (1..5) of a solved ticket.
	RateTicket(ctx context.Context, ticketID int64, channel, userID string, score int) error
}

// Protection asks the operator's system to protect an account.
type Protection struct {
	Action         string // "freeze_account"; never an undoing action
	Account        string
	TicketID       int64
	IdempotencyKey string
	Reason         string
	Channel        string
	UserID         string
}
