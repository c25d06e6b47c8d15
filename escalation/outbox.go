package escalation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/internal/sqldb"
)

// Outbox kinds.
const (
	outboxChannel = "channel" // a Reply for a user, through a supportbot.Channel
	outboxWebhook = "webhook" // a signed POST to an operator's webhook
)

// Delivery states.
const (
	DeliveryPending   = "pending"   // waiting for its first or next attempt
	DeliveryDelivered = "delivered" // done
	DeliveryFailed    = "failed"    // given up: a permanent error or too long
)

// Delivery is one outbox row: a reply or notice for a user's channel, or a
// webhook call, and how sending it went.
type Delivery struct {
	ID            int64
	Kind          string // "channel" or "webhook"
	TicketID      int64
	MessageID     int64
	Target        string // the channel name or the webhook URL
	Status        string // DeliveryPending, DeliveryDelivered, DeliveryFailed
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	DeliveredAt   time.Time
}

// channelPayload is what an outbox row for a channel holds.
type channelPayload struct {
	To    supportbot.Address `json:"to"`
	Reply supportbot.Reply   `json:"reply"`
}

func (t *txn) enqueue(ctx context.Context, kind string, ticketID, messageID int64, target, payload string) error {
	now := t.s.now().UnixMilli()
	if _, err := t.Exec(ctx, `INSERT INTO esc_outbox (kind, ticket_id, message_id, target, payload, status,
		next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		kind, ticketID, messageID, target, payload, DeliveryPending, now, now); err != nil {
		return fmt.Errorf("queue delivery: %w", err)
	}
	t.outbox = true
	return nil
}

// enqueueReply queues a reply for the ticket's user, in the ticket's
// language, in the channel and conversation the ticket came from.
func (t *txn) enqueueReply(ctx context.Context, tk *supportbot.Ticket, messageID int64, r supportbot.Reply) error {
	r.Lang = tk.Lang
	r.Decision = supportbot.DecisionAgent
	r.TicketID = strconv.FormatInt(tk.ID, 10)
	b, err := json.Marshal(channelPayload{
		To:    supportbot.Address{Channel: tk.Channel, ConversationID: tk.ConversationID, UserID: tk.UserID},
		Reply: r,
	})
	if err != nil {
		return fmt.Errorf("encode reply: %w", err)
	}
	return t.enqueue(ctx, outboxChannel, tk.ID, messageID, tk.Channel, string(b))
}

const deliveryColumns = `id, kind, ticket_id, message_id, target, status, attempts, next_attempt_at, last_error,
	created_at, delivered_at`

func scanDelivery(r scanner) (Delivery, error) {
	var d Delivery
	var na, ca, da int64
	err := r.Scan(&d.ID, &d.Kind, &d.TicketID, &d.MessageID, &d.Target, &d.Status, &d.Attempts, &na, &d.LastError, &ca, &da)
	d.NextAttemptAt, d.CreatedAt, d.DeliveredAt = sqldb.Time(na), sqldb.Time(ca), sqldb.Time(da)
	return d, err
}

// Deliveries returns a ticket's outbox rows, oldest first.
func (s *Service) Deliveries(ctx context.Context, ticketID int64) ([]Delivery, error) {
	rows, err := s.db.Query(ctx, `SELECT `+deliveryColumns+` FROM esc_outbox WHERE ticket_id = ? ORDER BY id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("list deliveries: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RetryDelivery makes a failed or waiting delivery due now, for an agent
// who knows the channel is back.
func (s *Service) RetryDelivery(ctx context.Context, by *Agent, id int64) error {
	return s.inTx(ctx, func(t *txn) error {
		d, err := scanDelivery(t.QueryRow(ctx, `SELECT `+deliveryColumns+` FROM esc_outbox WHERE id = ?`, id))
		if err != nil {
			return supportbot.Errorf(supportbot.ENOTFOUND, "Delivery not found.")
		}
		if d.Status == DeliveryDelivered {
			return nil
		}
		now := s.now().UnixMilli()
		// created_at restarts the give-up clock.
		if _, err := t.Exec(ctx, `UPDATE esc_outbox SET status = ?, next_attempt_at = ?, created_at = ? WHERE id = ?`,
			DeliveryPending, now, now, id); err != nil {
			return fmt.Errorf("retry delivery: %w", err)
		}
		t.outbox = true
		t.changes = append(t.changes, Change{TicketID: d.TicketID, Type: "delivery"})
		return t.event(ctx, d.TicketID, "delivery.retried", AgentActor(by), map[string]any{"delivery_id": id})
	})
}

// Run delivers the outbox until ctx is done, then returns nil. Rows left
// pending by a crash are picked up again. It also closes solved tickets
// after AutoCloseAfter, and relays the changes of other replicas sharing
// a PostgreSQL database to this one's subscribers.
func (s *Service) Run(ctx context.Context) error {
	listened := make(chan struct{})
	go func() {
		defer close(listened)
		s.listen(ctx)
	}()
	defer func() { <-listened }()
	tick := time.NewTicker(s.cfg.PollInterval)
	defer tick.Stop()
	lastSweep := time.Time{}
	for {
		if _, err := s.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			s.log.WithError(err).Warn("escalation: delivering the outbox failed")
		}
		if time.Since(lastSweep) > time.Minute {
			lastSweep = time.Now()
			if err := s.autoClose(ctx); err != nil && ctx.Err() == nil {
				s.log.WithError(err).Warn("escalation: closing solved tickets failed")
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.wake:
		case <-tick.C:
		}
	}
}

// DeliverDue attempts every outbox row that is due, and returns how many
// attempts it made. Run calls it; tests call it to step time. It makes
// passes until one finds nothing to do, since delivering a user's reply
// unblocks the next one.
func (s *Service) DeliverDue(ctx context.Context) (int, error) {
	total := 0
	for pass := 0; pass < 100; pass++ {
		n, err := s.deliverPass(ctx)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
	return total, nil
}

// deliverPass attempts up to 50 due rows.
func (s *Service) deliverPass(ctx context.Context) (int, error) {
	now := s.now()
	// A user's replies go out in the order agents wrote them: a channel
	// row waits while an older one of the same ticket is still pending
	// (retrying), so jittered retries never swap two replies.
	rows, err := s.db.Query(ctx, `SELECT `+deliveryColumns+`, payload FROM esc_outbox o
		WHERE status = ? AND next_attempt_at <= ? AND (kind <> ? OR NOT EXISTS (SELECT 1 FROM esc_outbox p
			WHERE p.kind = o.kind AND p.ticket_id = o.ticket_id AND p.status = ? AND p.id < o.id))
		ORDER BY next_attempt_at, id LIMIT 50`, DeliveryPending, now.UnixMilli(), outboxChannel, DeliveryPending)
	if err != nil {
		return 0, fmt.Errorf("read outbox: %w", err)
	}
	type due struct {
		Delivery
		payload string
	}
	var ds []due
	for rows.Next() {
		var d due
		var na, ca, da int64
		if err := rows.Scan(&d.ID, &d.Kind, &d.TicketID, &d.MessageID, &d.Target, &d.Status, &d.Attempts, &na,
			&d.LastError, &ca, &da, &d.payload); err != nil {
			rows.Close()
			return 0, fmt.Errorf("read outbox: %w", err)
		}
		d.NextAttemptAt, d.CreatedAt = sqldb.Time(na), sqldb.Time(ca)
		ds = append(ds, d)
	}
	rows.Close()
	n := 0
	for _, d := range ds {
		if ctx.Err() != nil {
			break
		}
		// Claim the row by pushing its next attempt past the call's
		// deadline; another replica that read the same row loses the
		// compare-and-set and skips it.
		lease := now.Add(2 * time.Minute).UnixMilli()
		res, err := s.db.Exec(ctx, `UPDATE esc_outbox SET next_attempt_at = ? WHERE id = ? AND status = ? AND next_attempt_at = ?`,
			lease, d.ID, DeliveryPending, d.NextAttemptAt.UnixMilli())
		if err != nil {
			return n, fmt.Errorf("claim delivery: %w", err)
		}
		if c, _ := res.RowsAffected(); c == 0 {
			continue
		}
		n++
		cctx, cancel := context.WithTimeout(ctx, time.Minute)
		var sendErr error
		switch d.Kind {
		case outboxChannel:
			sendErr = s.sendChannel(cctx, d.Target, d.ID, d.payload)
		case outboxWebhook:
			sendErr = s.sendWebhook(cctx, d.Target, d.payload)
		default:
			sendErr = permanent(fmt.Errorf("unknown outbox kind %q", d.Kind))
		}
		cancel()
		if err := s.settle(ctx, d.Delivery, sendErr); err != nil {
			return n, err
		}
	}
	return n, nil
}

// permanentError marks a failure that retrying cannot fix.
type permanentError struct{ error }

// Unwrap returns the underlying error.
func (e permanentError) Unwrap() error { return e.error }

func permanent(err error) error { return permanentError{err} }

func (s *Service) sendChannel(ctx context.Context, name string, id int64, payload string) error {
	var p channelPayload
	if err := json.Unmarshal([]byte(payload), &p); err != nil {
		return permanent(fmt.Errorf("decode reply: %w", err))
	}
	ch, ok := s.channels[name]
	if !ok {
		// Perhaps the connector is not configured in this run; it may be
		// after a restart, so keep the reply until GiveUpAfter.
		return fmt.Errorf("channel %q is not running", name)
	}
	p.Reply.ID = "esc-" + strconv.FormatInt(id, 10) // stable across retries, so a channel can drop repeats
	err := ch.Send(ctx, p.To, p.Reply)
	if err != nil && supportbot.ErrorCode(err) != supportbot.EUNAVAILABLE && !errors.Is(err, context.DeadlineExceeded) {
		// The Channel contract: anything but EUNAVAILABLE never succeeds
		// (the user blocked the bot, the chat is gone).
		return permanent(err)
	}
	return err
}

// backoff returns the delay before the next attempt after n failed ones:
// RetryBase doubled each time, capped at RetryMax, with up to 20% random
// jitter so that many rows failing together do not retry in lockstep.
func (s *Service) backoff(n int) time.Duration {
	d := s.cfg.RetryBase
	for i := 1; i < n && d < s.cfg.RetryMax; i++ {
		d *= 2
	}
	if d > s.cfg.RetryMax {
		d = s.cfg.RetryMax
	}
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}

// settle records the outcome of one attempt.
func (s *Service) settle(ctx context.Context, d Delivery, sendErr error) error {
	now := s.now()
	attempts := d.Attempts + 1
	return s.inTx(ctx, func(t *txn) error {
		t.changes = append(t.changes, Change{TicketID: d.TicketID, Type: "delivery"})
		if sendErr == nil {
			s.metrics.deliveries.WithLabelValues(d.Kind, DeliveryDelivered).Inc()
			_, err := t.Exec(ctx, `UPDATE esc_outbox SET status = ?, attempts = ?, delivered_at = ?, last_error = '' WHERE id = ?`,
				DeliveryDelivered, attempts, now.UnixMilli(), d.ID)
			if err != nil {
				return fmt.Errorf("record delivery: %w", err)
			}
			return nil
		}
		msg := sendErr.Error()
		if len(msg) > 500 {
			msg = msg[:500]
		}
		var perm permanentError
		next := now.Add(s.backoff(attempts))
		if errors.As(sendErr, &perm) || next.Sub(d.CreatedAt) > s.cfg.GiveUpAfter {
			s.metrics.deliveries.WithLabelValues(d.Kind, DeliveryFailed).Inc()
			if _, err := t.Exec(ctx, `UPDATE esc_outbox SET status = ?, attempts = ?, last_error = ? WHERE id = ?`,
				DeliveryFailed, attempts, msg, d.ID); err != nil {
				return fmt.Errorf("record delivery: %w", err)
			}
			s.log.WithFields(map[string]any{"ticket_id": d.TicketID, "channel": d.Target}).
				WithError(sendErr).Warn("escalation: delivery failed for good")
			if d.Kind == outboxWebhook {
				return nil // a webhook about a failed webhook would loop
			}
			return t.event(ctx, d.TicketID, EventDelivery, ActorSystem, map[string]any{
				"delivery_id": d.ID, "target": d.Target, "error": msg, "attempts": attempts})
		}
		s.metrics.deliveries.WithLabelValues(d.Kind, "retry").Inc()
		_, err := t.Exec(ctx, `UPDATE esc_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?`,
			attempts, next.UnixMilli(), msg, d.ID)
		if err != nil {
			return fmt.Errorf("record delivery: %w", err)
		}
		return nil
	})
}
