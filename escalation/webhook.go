package escalation

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/supportbot/supportbot"
)

// SignatureHeader carries a request's signature: "t=<unix seconds>,v1=<hex
// HMAC-SHA256 of "<t>.<body>" keyed with the shared secret>". Signing the
// timestamp with the body lets receivers refuse replayed requests.
const SignatureHeader = "Supportbot-Signature"

// Sign returns the SignatureHeader value for body at time t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}

func mac(secret, ts string, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// ErrSignature is returned by Verify for a missing, malformed, wrong or
// expired signature.
var ErrSignature = errors.New("invalid webhook signature")

// Verify checks a SignatureHeader value against body, the secret and the
// clock: the timestamp must be within tolerance of now (so a captured
// request cannot be replayed later) and one v1 signature must match. It
// compares in constant time. Operators' receivers can use it as it is.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return ErrSignature
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: timestamp out of tolerance", ErrSignature)
	}
	want := []byte(mac(secret, ts, body))
	for _, s := range sigs {
		if hmac.Equal([]byte(s), want) {
			return nil
		}
	}
	return ErrSignature
}

// webhookEvent is the JSON body of a webhook call.
type webhookEvent struct {
	ID        int64          `json:"id"`
	Type      string         `json:"type"`
	CreatedAt time.Time      `json:"created_at"`
	Actor     string         `json:"actor"`
	ActorName string         `json:"actor_name,omitempty"`
	Ticket    *ticketJSON    `json:"ticket,omitempty"`
	Data      map[string]any `json:"data,omitempty"`
}

// ticketJSON is a ticket as webhooks and the console API show it.
type ticketJSON struct {
	ID               int64      `json:"id"`
	URL              string     `json:"url,omitempty"`
	Channel          string     `json:"channel"`
	UserID           string     `json:"user_id"`
	ConversationID   string     `json:"conversation_id"`
	Account          string     `json:"account,omitempty"`
	DisplayName      string     `json:"display_name,omitempty"`
	Lang             string     `json:"lang"`
	Subject          string     `json:"subject"`
	Category         string     `json:"category,omitempty"`
	Reason           string     `json:"reason,omitempty"`
	Priority         string     `json:"priority"`
	Status           string     `json:"status"`
	Assignee         string     `json:"assignee,omitempty"`
	Tags             []string   `json:"tags,omitempty"`
	FirstResponseDue time.Time  `json:"first_response_due"`
	ResolutionDue    time.Time  `json:"resolution_due"`
	FirstResponseAt  *time.Time `json:"first_response_at,omitempty"`
	SolvedAt         *time.Time `json:"solved_at,omitempty"`
	SLAPausedAt      *time.Time `json:"sla_paused_at,omitempty"` // the ticket waits on the user since
	CSAT             int        `json:"csat,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// TicketJSON returns the JSON form of a ticket used by webhooks and the
// console API; consoleURL, if set, makes its "url".
func TicketJSON(t *supportbot.Ticket, consoleURL string) any { return ticketJSONOf(t, consoleURL) }

func ticketJSONOf(t *supportbot.Ticket, consoleURL string) *ticketJSON {
	if t == nil {
		return nil
	}
	j := &ticketJSON{
		ID: t.ID, Channel: t.Channel, UserID: t.UserID, ConversationID: t.ConversationID, Account: t.Account,
		DisplayName: t.DisplayName, Lang: t.Lang, Subject: t.Subject, Category: t.Category, Reason: t.Reason,
		Priority: string(t.Priority), Status: string(t.Status), Assignee: t.Assignee, Tags: t.Tags,
		FirstResponseDue: t.FirstResponseDue, ResolutionDue: t.ResolutionDue, CSAT: t.CSAT,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
	}
	if consoleURL != "" {
		j.URL = strings.TrimRight(consoleURL, "/") + "/tickets/" + strconv.FormatInt(t.ID, 10)
	}
	if !t.FirstResponseAt.IsZero() {
		at := t.FirstResponseAt
		j.FirstResponseAt = &at
	}
	if !t.SolvedAt.IsZero() {
		at := t.SolvedAt
		j.SolvedAt = &at
	}
	if !t.SLAPausedAt.IsZero() {
		at := t.SLAPausedAt
		j.SLAPausedAt = &at
	}
	return j
}

func (s *Service) sendWebhook(ctx context.Context, url, payload string) error {
	for _, w := range s.cfg.Webhooks {
		if w.URL == url {
			_, err := s.signedPost(ctx, url, w.Secret, []byte(payload), nil)
			return err
		}
	}
	return permanent(fmt.Errorf("webhook %s is no longer configured", url))
}

// signedPost POSTs a JSON body signed with secret. A 2xx status is
// success; any other status or a network error is returned (as a
// *StatusError for statuses).
func (s *Service) signedPost(ctx context.Context, url, secret string, body []byte, header http.Header) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, permanent(fmt.Errorf("bad URL: %w", err))
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "supportbot")
	req.Header.Set(SignatureHeader, Sign(secret, s.now(), body))
	resp, err := s.HTTPClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, &StatusError{Code: resp.StatusCode, Body: strings.TrimSpace(string(msg))}
	}
	return resp.StatusCode, nil
}

// StatusError is a non-2xx answer from an operator's endpoint.
type StatusError struct {
	Code int
	Body string
}

// Error implements error.
func (e *StatusError) Error() string {
	if e.Body == "" {
		return fmt.Sprintf("HTTP %d", e.Code)
	}
	return fmt.Sprintf("HTTP %d: %s", e.Code, e.Body)
}
