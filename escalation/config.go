// Package escalation turns conversations the bot cannot resolve into
// tickets that human agents work in a web console, delivers their replies
// back to the user's channel, and runs the hacked-account playbook.
//
// Everything is stored in the shared SQL database (internal/sqldb, tables
// prefixed esc_). Every change to a ticket is written in one transaction
// with its audit event and with the outbox rows that announce it (replies
// and notices for the user's channel, signed webhooks for the operator), so
// a crash never leaves a ticket changed but unannounced, or announced but
// not changed. Service.Run delivers the outbox with retries.
//
// # For operators
//
// Webhooks (escalation.webhooks in the config) receive a POST for each
// ticket event: JSON {"id", "type", "created_at", "actor", "actor_name",
// "ticket": {...}, "data": {...}}, where type is one of the Event*
// constants. Deliveries are retried with exponential backoff for
// give_up_after (24 h by default) and may arrive out of order: order them
// by id. Each request carries the header
//
//	Supportbot-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//
// Check it with Verify (or the same computation in any language) and
// refuse requests older than a few minutes.
//
// The account-protection endpoint (escalation.protection.url) receives
// {"action", "account", "ticket_id", "reason", "actor", "idempotency_key",
// "params"} signed the same way, with an Idempotency-Key header. The bot
// only ever sends "freeze_account"; agents may also send
// "unfreeze_account", "remove_2fa" and "change_withdrawal_address" from
// the console. A 2xx answer means done. Each key is called at most once
// after a success, even under concurrent repeats.
package escalation

import (
	"time"

	"github.com/supportbot/supportbot"
)

// Config configures escalation. The zero value works (SetDefaults fills it).
type Config struct {
	// AttachmentDir is where attachments are stored, by content hash.
	// Default: <data_dir>/attachments (filled in by cmd/supportbot).
	AttachmentDir string `yaml:"attachment_dir"`
	// MaxAttachmentBytes is the largest attachment accepted. Default: 10 MiB.
	MaxAttachmentBytes int64 `yaml:"max_attachment_bytes"`
	// AttachmentTypes are the content types accepted, as sniffed from the
	// content (never from the file name or the sender's claim).
	// Default: image/png, image/jpeg, image/gif, image/webp,
	// application/pdf, text/plain.
	AttachmentTypes []string `yaml:"attachment_types"`
	// MaxAttachments is how many attachments one message may carry.
	// Default: 10.
	MaxAttachments int `yaml:"max_attachments"`
	// MaxMessageBytes is the longest user message stored. Default: 32 KiB.
	MaxMessageBytes int `yaml:"max_message_bytes"`

	// SLA sets the response and resolution targets per priority. Admins
	// can change them in the console; the console's values win.
	SLA SLAConfig `yaml:"sla"`

	// RetryBase is the first delay before retrying a failed delivery; it
	// doubles on each attempt up to RetryMax. Default: 2s.
	RetryBase time.Duration `yaml:"retry_base"`
	// RetryMax caps the delay between delivery attempts. Default: 10m.
	RetryMax time.Duration `yaml:"retry_max"`
	// GiveUpAfter is how long a delivery is retried before it is marked
	// failed for good. Default: 24h.
	GiveUpAfter time.Duration `yaml:"give_up_after"`
	// PollInterval is how often the delivery worker looks for due rows when
	// nothing woke it. Default: 1s.
	PollInterval time.Duration `yaml:"poll_interval"`
	// AutoCloseAfter closes solved tickets after this long. Default: 168h
	// (7 days). Negative disables it.
	AutoCloseAfter time.Duration `yaml:"auto_close_after"`

	// Webhooks receive every ticket event (or the ones listed), signed.
	Webhooks []WebhookConfig `yaml:"webhooks"`
	// Protection is the operator's account-protection endpoint.
	Protection ProtectionConfig `yaml:"protection"`
	// Console configures the agent console.
	Console ConsoleConfig `yaml:"console"`
}

// SLAConfig holds one SLA target per priority.
type SLAConfig struct {
	// Urgent default: first response 15m, resolution 4h.
	Urgent SLATarget `yaml:"urgent"`
	// High default: 1h, 8h.
	High SLATarget `yaml:"high"`
	// Normal default: 4h, 24h.
	Normal SLATarget `yaml:"normal"`
	// Low default: 24h, 72h.
	Low SLATarget `yaml:"low"`
}

// SLATarget is how soon a ticket of one priority must get its first agent
// reply and be solved, counted from when it was opened. Support for a
// crypto exchange runs around the clock, so the clock never stops for
// nights or weekends.
type SLATarget struct {
	FirstResponse time.Duration `yaml:"first_response"`
	Resolution    time.Duration `yaml:"resolution"`
}

// Target returns the target for a priority (normal's for an unknown one).
func (c SLAConfig) Target(p supportbot.Priority) SLATarget {
	switch p {
	case supportbot.PriorityUrgent:
		return c.Urgent
	case supportbot.PriorityHigh:
		return c.High
	case supportbot.PriorityLow:
		return c.Low
	}
	return c.Normal
}

// WebhookConfig is one outgoing webhook.
type WebhookConfig struct {
	// URL receives a POST with a JSON event.
	URL string `yaml:"url"`
	// Secret signs each request (header Supportbot-Signature).
	Secret string `yaml:"secret"`
	// Events limits the event types sent ("ticket.created", ...); empty
	// sends all.
	Events []string `yaml:"events"`
}

// ProtectionConfig is the operator's account-protection endpoint: a POST of
// {"action","account","ticket_id","reason","idempotency_key"}, signed like
// webhooks, with an Idempotency-Key header.
type ProtectionConfig struct {
	// URL of the endpoint; empty means no protective action is available,
	// and ProtectAccount returns EUNAVAILABLE.
	URL string `yaml:"url"`
	// Secret signs each request.
	Secret string `yaml:"secret"`
	// Timeout of one call. Default: 10s.
	Timeout time.Duration `yaml:"timeout"`
}

// ConsoleConfig configures the agent console.
type ConsoleConfig struct {
	// URL is the console's public address, used for links in webhooks.
	// Default: <http.public_url>/console (set by cmd/supportbot), or the
	// relative /console without a public URL.
	URL string `yaml:"url"`
	// SessionTTL is how long an agent stays logged in. Default: 12h.
	SessionTTL time.Duration `yaml:"session_ttl"`
	// SecureCookies: "auto" (Secure when the request came over HTTPS,
	// directly or through a proxy's X-Forwarded-Proto), "always" or
	// "never". Default: auto.
	SecureCookies string `yaml:"secure_cookies"`
	// LoginAttempts is how many logins one address or one email may try
	// per minute. Default: 5.
	LoginAttempts int `yaml:"login_attempts"`
}

// SetDefaults fills unset fields with their documented defaults.
func (c *Config) SetDefaults() {
	if c.MaxAttachmentBytes == 0 {
		c.MaxAttachmentBytes = 10 << 20
	}
	if len(c.AttachmentTypes) == 0 {
		c.AttachmentTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"}
	}
	if c.MaxAttachments == 0 {
		c.MaxAttachments = 10
	}
	if c.MaxMessageBytes == 0 {
		c.MaxMessageBytes = 32 << 10
	}
	c.SLA.setDefaults()
	if c.RetryBase == 0 {
		c.RetryBase = 2 * time.Second
	}
	if c.RetryMax == 0 {
		c.RetryMax = 10 * time.Minute
	}
	if c.GiveUpAfter == 0 {
		c.GiveUpAfter = 24 * time.Hour
	}
	if c.PollInterval == 0 {
		c.PollInterval = time.Second
	}
	if c.AutoCloseAfter == 0 {
		c.AutoCloseAfter = 7 * 24 * time.Hour
	}
	if c.Protection.Timeout == 0 {
		c.Protection.Timeout = 10 * time.Second
	}
	if c.Console.SessionTTL == 0 {
		c.Console.SessionTTL = 12 * time.Hour
	}
	if c.Console.SecureCookies == "" {
		c.Console.SecureCookies = "auto"
	}
	if c.Console.LoginAttempts == 0 {
		c.Console.LoginAttempts = 5
	}
}

func (c *SLAConfig) setDefaults() {
	def := func(t *SLATarget, fr, res time.Duration) {
		if t.FirstResponse == 0 {
			t.FirstResponse = fr
		}
		if t.Resolution == 0 {
			t.Resolution = res
		}
	}
	def(&c.Urgent, 15*time.Minute, 4*time.Hour)
	def(&c.High, time.Hour, 8*time.Hour)
	def(&c.Normal, 4*time.Hour, 24*time.Hour)
	def(&c.Low, 24*time.Hour, 72*time.Hour)
}
