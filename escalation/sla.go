package escalation

import (
	"context"
	"fmt"
	"time"

	"github.com/supportbot/supportbot"
)

// Priorities lists the priorities from the least to the most urgent.
var Priorities = []supportbot.Priority{
	supportbot.PriorityLow, supportbot.PriorityNormal, supportbot.PriorityHigh, supportbot.PriorityUrgent,
}

// Statuses lists the statuses in the order a ticket usually goes through
// them.
var Statuses = []supportbot.Status{
	supportbot.StatusNew, supportbot.StatusOpen, supportbot.StatusPending,
	supportbot.StatusOnHold, supportbot.StatusSolved, supportbot.StatusClosed,
}

// rank orders priorities; an unknown priority ranks below low.
func rank(p supportbot.Priority) int {
	for i, q := range Priorities {
		if p == q {
			return i
		}
	}
	return -1
}

func validPriority(p supportbot.Priority) bool { return rank(p) >= 0 }

func validStatus(st supportbot.Status) bool {
	for _, s := range Statuses {
		if s == st {
			return true
		}
	}
	return false
}

// CanChangeStatus reports whether a ticket may go from one status to
// another, and why not. New is only where tickets start; closed is final
// (a user who writes again gets a new ticket that links to it through
// their ticket list); everything else may move freely, including
// reopening a solved ticket.
func CanChangeStatus(from, to supportbot.Status) error {
	switch {
	case !validStatus(to):
		return supportbot.Errorf(supportbot.EINVALID, "Unknown status %q.", to)
	case from == to:
		return nil
	case to == supportbot.StatusNew:
		return supportbot.Errorf(supportbot.ECONFLICT, "A ticket cannot go back to new.")
	case from == supportbot.StatusClosed:
		return supportbot.Errorf(supportbot.ECONFLICT, "A closed ticket cannot change.")
	}
	return nil
}

// SLAState tells whether a ticket missed (or, while open, is missing) its
// first-response and resolution targets at now. A target met in time is
// never breached afterwards.
func SLAState(t *supportbot.Ticket, now time.Time) (firstResponseBreached, resolutionBreached bool) {
	if !t.SLAPausedAt.IsZero() {
		now = t.SLAPausedAt // the clock stopped there
	}
	if t.FirstResponseAt.IsZero() {
		// A ticket solved without a public reply (the user answered
		// themselves) no longer waits for one.
		firstResponseBreached = t.Open() && now.After(t.FirstResponseDue)
	} else {
		firstResponseBreached = t.FirstResponseAt.After(t.FirstResponseDue)
	}
	if t.SolvedAt.IsZero() {
		resolutionBreached = t.Open() && now.After(t.ResolutionDue)
	} else {
		resolutionBreached = t.SolvedAt.After(t.ResolutionDue)
	}
	return
}

// breachedSQL is Breached as a condition on esc_tickets, with the time
// as its two arguments.
const breachedSQL = `status NOT IN ('solved', 'closed') AND (
	(first_response_at = 0 AND first_response_due < COALESCE(NULLIF(sla_paused_at, 0), ?))
	OR resolution_due < COALESCE(NULLIF(sla_paused_at, 0), ?))`

// Breached reports whether an open ticket is past either SLA target, the
// queue's "SLA breached" filter.
func Breached(t *supportbot.Ticket, now time.Time) bool {
	if !t.Open() {
		return false
	}
	fr, res := SLAState(t, now)
	return fr || res
}

// NextDue returns the next SLA deadline of an open ticket: the first
// response if none was given yet, else the resolution; zero for a ticket
// that is no longer open.
func NextDue(t *supportbot.Ticket) time.Time {
	if !t.Open() {
		return time.Time{}
	}
	if t.FirstResponseAt.IsZero() {
		return t.FirstResponseDue
	}
	return t.ResolutionDue
}

// ExpectedResponse is how long after opening an agent is expected to
// answer the ticket: what the bot tells the user.
func ExpectedResponse(t *supportbot.Ticket) time.Duration {
	return t.FirstResponseDue.Sub(t.CreatedAt)
}

// dueTimes computes a ticket's SLA deadlines from when it was opened.
func dueTimes(created time.Time, target SLATarget) (firstResponse, resolution time.Time) {
	return created.Add(target.FirstResponse), created.Add(target.Resolution)
}

// SLATargets returns the SLA targets in force: the config's, overridden
// by what admins set in the console.
func (s *Service) SLATargets(ctx context.Context) (SLAConfig, error) {
	return s.slaTargets(ctx, s.db)
}

func (s *Service) slaTargets(ctx context.Context, q querier) (SLAConfig, error) {
	c := s.cfg.SLA
	rows, err := q.Query(ctx, `SELECT priority, first_response_ms, resolution_ms FROM esc_sla`)
	if err != nil {
		return c, fmt.Errorf("read SLA targets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		var fr, res int64
		if err := rows.Scan(&p, &fr, &res); err != nil {
			return c, fmt.Errorf("read SLA targets: %w", err)
		}
		t := SLATarget{FirstResponse: time.Duration(fr) * time.Millisecond, Resolution: time.Duration(res) * time.Millisecond}
		switch supportbot.Priority(p) {
		case supportbot.PriorityUrgent:
			c.Urgent = t
		case supportbot.PriorityHigh:
			c.High = t
		case supportbot.PriorityNormal:
			c.Normal = t
		case supportbot.PriorityLow:
			c.Low = t
		}
	}
	return c, rows.Err()
}

// SetSLATarget changes one priority's SLA target for tickets opened from
// now on (and tickets whose priority changes later). Only admins may.
func (s *Service) SetSLATarget(ctx context.Context, by *Agent, p supportbot.Priority, t SLATarget) error {
	if err := requireAdmin(by); err != nil {
		return err
	}
	if !validPriority(p) {
		return supportbot.Errorf(supportbot.EINVALID, "Unknown priority %q.", p)
	}
	if t.FirstResponse <= 0 || t.Resolution <= 0 || t.Resolution < t.FirstResponse {
		return supportbot.Errorf(supportbot.EINVALID, "Targets must be positive, and resolution no sooner than first response.")
	}
	return s.inTx(ctx, func(tx *txn) error {
		if _, err := tx.Exec(ctx, `DELETE FROM esc_sla WHERE priority = ?`, string(p)); err != nil {
			return fmt.Errorf("set SLA: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO esc_sla (priority, first_response_ms, resolution_ms) VALUES (?, ?, ?)`,
			string(p), t.FirstResponse.Milliseconds(), t.Resolution.Milliseconds()); err != nil {
			return fmt.Errorf("set SLA: %w", err)
		}
		return tx.event(ctx, 0, "sla.changed", AgentActor(by), map[string]any{
			"priority": string(p), "first_response": t.FirstResponse.String(), "resolution": t.Resolution.String()})
	})
}
