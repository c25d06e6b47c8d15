package escalation

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/internal/sqldb"
)

// Account actions sent to the operator's endpoint.
const (
	ActionFreeze           = "freeze_account"            // protective: stops logins, trading and withdrawals
	ActionUnfreeze         = "unfreeze_account"          // undoes a freeze
	ActionRemove2FA        = "remove_2fa"                // lets the user bind a new authenticator
	ActionChangeWithdrawal = "change_withdrawal_address" // replaces a whitelisted withdrawal address
)

// ProtectiveActions are the only actions the bot may run (through
// ProtectAccount). They can only make an account safer, so a user, or a
// prompt injection posing as one, gains nothing by triggering them.
var ProtectiveActions = []string{ActionFreeze}

// AgentActions are the actions an agent may run from the console. The
// undoing ones exist nowhere else: no message to the bot can reach them.
var AgentActions = []string{ActionFreeze, ActionUnfreeze, ActionRemove2FA, ActionChangeWithdrawal}

// Protection records, the state of one action call.
const (
	protCalling = "calling"
	protDone    = "done"
	protFailed  = "failed"
)

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ProtectAccount runs a protective action (freeze) for a verified account,
// once per idempotency key. The key is stored under a unique constraint
// before the endpoint is called, so repeats (the user reports the hack
// again) and concurrent calls never reach the endpoint twice; a repeat
// returns the first call's outcome. A call that failed may be tried again
// with the same key. Any action that is not protective is refused with
// EFORBIDDEN and the attempt is written to the audit trail. Without a
// configured endpoint, or when it fails, the error is EUNAVAILABLE.
func (s *Service) ProtectAccount(ctx context.Context, p supportbot.Protection) error {
	actor := ActorBot
	if p.Channel != "" && p.UserID != "" {
		actor = Actor{ID: "bot", Name: "bot for user:" + p.Channel + ":" + p.UserID}
	}
	if !contains(ProtectiveActions, p.Action) {
		s.metrics.actions.WithLabelValues("not_protective", "refused").Inc()
		s.log.WithFields(map[string]any{"ticket_id": p.TicketID, "channel": p.Channel, "action": p.Action}).
			Warn("escalation: refused a non-protective account action from the bot")
		if err := s.inTx(ctx, func(t *txn) error {
			return t.event(ctx, p.TicketID, "account.action_refused", actor, map[string]any{
				"action": clean(p.Action, 100), "account": p.Account, "reason": clean(p.Reason, 500)})
		}); err != nil {
			return err
		}
		return supportbot.Errorf(supportbot.EFORBIDDEN, "Only protective actions can be requested here.")
	}
	if p.Account == "" {
		return supportbot.Errorf(supportbot.EINVALID, "A protective action needs a verified account.")
	}
	key := p.IdempotencyKey
	if key == "" {
		key = p.Action + ":" + p.Account + ":" + strconv.FormatInt(p.TicketID, 10)
	}
	_, err := s.runAction(ctx, actor, p.Action, p.Account, p.TicketID, p.Reason, key, nil)
	return err
}

// AccountAction runs one of AgentActions for a ticket's verified account,
// on an agent's order from the console. key makes the call idempotent
// (the console renders one per form, so a double click calls once).
// params carry the action's arguments, e.g. "address" for
// change_withdrawal_address.
func (s *Service) AccountAction(ctx context.Context, by *Agent, ticketID int64, action, reason, key string, params map[string]string) (string, error) {
	if !contains(AgentActions, action) {
		return "", supportbot.Errorf(supportbot.EINVALID, "Unknown account action %q.", action)
	}
	if key == "" {
		key = randomToken(16)
	}
	tk, err := s.Ticket(ctx, ticketID)
	if err != nil {
		return "", err
	}
	if tk.Account == "" {
		return "", supportbot.Errorf(supportbot.ECONFLICT, "The ticket has no verified account.")
	}
	return s.runAction(ctx, AgentActor(by), action, tk.Account, ticketID, clean(reason, 500), key, params)
}

// actionRequest is the JSON body sent to the operator's endpoint.
type actionRequest struct {
	Action         string            `json:"action"`
	Account        string            `json:"account"`
	TicketID       int64             `json:"ticket_id,omitempty"`
	Reason         string            `json:"reason,omitempty"`
	Actor          string            `json:"actor"`
	IdempotencyKey string            `json:"idempotency_key"`
	Params         map[string]string `json:"params,omitempty"`
}

// runAction claims key, calls the endpoint, and records the outcome. It
// returns the record's status.
func (s *Service) runAction(ctx context.Context, actor Actor, action, account string, ticketID int64, reason, key string,
	params map[string]string) (string, error) {
	if s.cfg.Protection.URL == "" {
		return "", supportbot.Errorf(supportbot.EUNAVAILABLE, "No account-protection action is configured.")
	}
	claimed, status, err := s.claimAction(ctx, actor, action, account, ticketID, reason, key)
	if err != nil {
		return "", err
	}
	if !claimed {
		if status == protDone {
			return status, nil
		}
		return status, supportbot.Errorf(supportbot.EUNAVAILABLE, "The account-protection service did not confirm the action.")
	}
	body, err := json.Marshal(actionRequest{Action: action, Account: account, TicketID: ticketID, Reason: reason,
		Actor: actor.ID, IdempotencyKey: key, Params: params})
	if err != nil {
		return "", fmt.Errorf("encode action: %w", err)
	}
	cctx, cancel := context.WithTimeout(ctx, s.cfg.Protection.Timeout)
	code, callErr := s.signedPost(cctx, s.cfg.Protection.URL, s.cfg.Protection.Secret, body,
		http.Header{"Idempotency-Key": {key}})
	cancel()
	status, msg := protDone, ""
	if callErr != nil {
		status, msg = protFailed, callErr.Error()
	}
	s.metrics.actions.WithLabelValues(action, status).Inc()
	// Record the outcome even if the caller gave up meanwhile: the call
	// happened.
	rctx := context.WithoutCancel(ctx)
	err = s.inTx(rctx, func(t *txn) error {
		if _, err := t.Exec(rctx, `UPDATE esc_protections SET status = ?, response_code = ?, last_error = ?, updated_at = ?
			WHERE idempotency_key = ?`, status, code, msg, s.now().UnixMilli(), key); err != nil {
			return fmt.Errorf("record action: %w", err)
		}
		d := map[string]any{"action": action, "account": account, "status": status, "idempotency_key": key}
		if reason != "" {
			d["reason"] = reason
		}
		if msg != "" {
			d["error"] = msg
		}
		for k, v := range params {
			d["param_"+k] = v
		}
		return t.event(rctx, ticketID, EventAction, actor, d)
	})
	if err != nil {
		return status, err
	}
	if callErr != nil {
		s.log.WithFields(map[string]any{"ticket_id": ticketID, "action": action}).WithError(callErr).
			Warn("escalation: account action failed")
		return status, supportbot.Errorf(supportbot.EUNAVAILABLE, "The account-protection service is unavailable.")
	}
	return status, nil
}

// claimAction inserts the record for key (status calling). It returns
// claimed=false with the existing record's final status when another call
// has the key: it waits for a call in flight to finish. A failed record,
// or one left "calling" by a crash, is claimed again.
func (s *Service) claimAction(ctx context.Context, actor Actor, action, account string, ticketID int64, reason, key string) (bool, string, error) {
	now := s.now().UnixMilli()
	_, err := s.db.Exec(ctx, `INSERT INTO esc_protections (idempotency_key, action, account, ticket_id, actor, reason,
		status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		key, action, account, ticketID, actor.ID, reason, protCalling, now, now)
	if err == nil {
		return true, protCalling, nil
	}
	if !sqldb.IsUniqueViolation(err) {
		return false, "", fmt.Errorf("record action: %w", err)
	}
	stale := s.cfg.Protection.Timeout + time.Minute
	deadline := time.Now().Add(s.cfg.Protection.Timeout + 5*time.Second)
	for {
		var status, oldAction, oldAccount string
		var updated int64
		err := s.db.QueryRow(ctx, `SELECT status, action, account, updated_at FROM esc_protections WHERE idempotency_key = ?`, key).
			Scan(&status, &oldAction, &oldAccount, &updated)
		if errors.Is(err, sql.ErrNoRows) {
			return false, "", supportbot.Errorf(supportbot.ECONFLICT, "Idempotency key in use.")
		} else if err != nil {
			return false, "", fmt.Errorf("read action: %w", err)
		}
		if oldAction != action || oldAccount != account {
			return false, "", supportbot.Errorf(supportbot.ECONFLICT, "The idempotency key was used for another action.")
		}
		if status == protDone {
			return false, status, nil
		}
		if status == protFailed || s.now().UnixMilli()-updated > stale.Milliseconds() {
			// Compare-and-set, so that of two retries only one calls.
			res, err := s.db.Exec(ctx, `UPDATE esc_protections SET status = ?, updated_at = ? WHERE idempotency_key = ?
				AND status = ? AND updated_at = ?`, protCalling, s.now().UnixMilli(), key, status, updated)
			if err != nil {
				return false, "", fmt.Errorf("claim action: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 1 {
				return true, protCalling, nil
			}
			continue
		}
		if time.Now().After(deadline) {
			return false, status, nil
		}
		select {
		case <-ctx.Done():
			return false, "", ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// ActionRecord is one account action as recorded.
type ActionRecord struct {
	Key          string
	Action       string
	Account      string
	TicketID     int64
	Actor        string
	Reason       string
	Status       string
	ResponseCode int
	LastError    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Actions returns the account actions run for a ticket, oldest first.
func (s *Service) Actions(ctx context.Context, ticketID int64) ([]ActionRecord, error) {
	rows, err := s.db.Query(ctx, `SELECT idempotency_key, action, account, ticket_id, actor, reason, status, response_code,
		last_error, created_at, updated_at FROM esc_protections WHERE ticket_id = ? ORDER BY id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	defer rows.Close()
	var out []ActionRecord
	for rows.Next() {
		var a ActionRecord
		var ca, ua int64
		if err := rows.Scan(&a.Key, &a.Action, &a.Account, &a.TicketID, &a.Actor, &a.Reason, &a.Status, &a.ResponseCode,
			&a.LastError, &ca, &ua); err != nil {
			return nil, fmt.Errorf("list actions: %w", err)
		}
		a.CreatedAt, a.UpdatedAt = sqldb.Time(ca), sqldb.Time(ua)
		out = append(out, a)
	}
	return out, rows.Err()
}

// randomToken returns n random bytes, hex-encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand panics rather than return short)
	return hex.EncodeToString(b)
}

// NewKey returns a random idempotency key (or session token).
func NewKey() string { return randomToken(16) }
