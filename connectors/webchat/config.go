// Package webchat is the web-chat channel: an embeddable widget, the public
// help-center site it lives on, and the JSON HTTP API that other channels
// can integrate with.
//
// One *Server serves all three from one http.Handler:
//
//	/webchat/widget.js          the widget; one <script> tag embeds it anywhere
//	/api/v1/...                 the JSON API (see openapi.yaml, served at /api/openapi.yaml)
//	/api/v1/live                WebSocket pushes (agent replies, other tabs)
//	/{lang}/...                 the help center, from the same articles the bot answers from
//	/healthz, /readyz           liveness and readiness
//
// Conversations are kept in the shared SQL database (tables prefixed
// webchat_), so a visitor sees the history after a reload, in another tab,
// and after a restart. Visitors authenticate with a random token issued
// when they start (only its SHA-256 is stored); an operator's page can pass
// a signed identity (HMAC-SHA256 of the user id, as Intercom's identity
// verification does) to make the visitor a known exchange user.
package webchat

import "time"

// Config configures web chat. The zero value works (SetDefaults fills it).
type Config struct {
	// IdentitySecret is the key operators sign user ids with:
	// user_hash = hex(HMAC-SHA256(IdentitySecret, user_id)). Empty means
	// signed identities are refused (env SUPPORTBOT_WEBCHAT_IDENTITY_SECRET).
	IdentitySecret string `yaml:"identity_secret"`
	// APIKeys let servers call the API for any user id they name, with the
	// header "Authorization: Bearer <key>". Empty means no server access.
	APIKeys []string `yaml:"api_keys"`
	// AllowedOrigins are the sites that may call the API from a browser
	// (CORS), e.g. https://www.example.com. Default: "*" (any site may
	// embed the widget; safe because the API takes bearer tokens, never
	// cookies).
	AllowedOrigins []string `yaml:"allowed_origins"`
	// SiteName is the help center's name in page titles and headers.
	// Default: "Help Center".
	SiteName string `yaml:"site_name"`
	// PublicURL is the server's address as users reach it, used for links
	// in chat answers shown on other sites. Default: the request's host.
	PublicURL string `yaml:"public_url"`
	// TrustProxy takes the client address from X-Forwarded-For, for rate
	// limits. Only enable it behind a proxy that sets the header.
	TrustProxy bool `yaml:"trust_proxy"`

	// MaxMessageBytes is the longest message text accepted, in bytes: a
	// guard on what the server reads. Default: 16000, four bytes for each
	// of the 4000 characters the engine accepts (bot.max_message_runes),
	// so that the engine's limit, in characters and said in the user's
	// language, is the one users meet: 4000 bytes let a Chinese message
	// have only 1333.
	MaxMessageBytes int `yaml:"max_message_bytes"`
	// MaxBodyBytes bounds a JSON request body. Default: 64 KiB.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// MaxAttachmentBytes bounds one attachment. Default: 5 MiB.
	MaxAttachmentBytes int64 `yaml:"max_attachment_bytes"`
	// MaxAttachments is how many attachments a message may carry.
	// Default: 3.
	MaxAttachments int `yaml:"max_attachments"`
	// AttachmentTypes are the accepted content types, as sniffed from the
	// content. Default: image/png, image/jpeg, image/gif, image/webp,
	// application/pdf.
	AttachmentTypes []string `yaml:"attachment_types"`

	// VisitorRate is how many messages a second one visitor may send on
	// average; VisitorBurst how many at once. Default: 0.5 and 8.
	VisitorRate  float64 `yaml:"visitor_rate"`
	VisitorBurst int     `yaml:"visitor_burst"`
	// IPRate is how many API requests a second one client address may make
	// on average; IPBurst how many at once. Default: 20 and 60.
	IPRate  float64 `yaml:"ip_rate"`
	IPBurst int     `yaml:"ip_burst"`
	// SessionRate bounds new visitors per client address per second
	// (conversation starts without a token); SessionBurst at once.
	// Default: 0.2 and 10.
	SessionRate  float64 `yaml:"session_rate"`
	SessionBurst int     `yaml:"session_burst"`

	// RequestTimeout bounds a plain API request. Default: 15s.
	RequestTimeout time.Duration `yaml:"request_timeout"`
	// ReplyTimeout bounds the engine's work on one message. Default: 60s.
	ReplyTimeout time.Duration `yaml:"reply_timeout"`
}

// Default attachment types: what users send support (screenshots, bank
// statements), nothing that a browser would run.
var defaultAttachmentTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}

// SetDefaults fills unset fields with their documented defaults.
func (c *Config) SetDefaults() {
	if len(c.AllowedOrigins) == 0 {
		c.AllowedOrigins = []string{"*"}
	}
	if c.SiteName == "" {
		c.SiteName = "Help Center"
	}
	if c.MaxMessageBytes == 0 {
		c.MaxMessageBytes = 16000
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 64 << 10
	}
	if c.MaxAttachmentBytes == 0 {
		c.MaxAttachmentBytes = 5 << 20
	}
	if c.MaxAttachments == 0 {
		c.MaxAttachments = 3
	}
	if len(c.AttachmentTypes) == 0 {
		c.AttachmentTypes = defaultAttachmentTypes
	}
	if c.VisitorRate == 0 {
		c.VisitorRate = 0.5
	}
	if c.VisitorBurst == 0 {
		c.VisitorBurst = 8
	}
	if c.IPRate == 0 {
		c.IPRate = 20
	}
	if c.IPBurst == 0 {
		c.IPBurst = 60
	}
	if c.SessionRate == 0 {
		c.SessionRate = 0.2
	}
	if c.SessionBurst == 0 {
		c.SessionBurst = 10
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = 15 * time.Second
	}
	if c.ReplyTimeout == 0 {
		c.ReplyTimeout = 60 * time.Second
	}
}
