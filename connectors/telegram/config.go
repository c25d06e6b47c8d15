package telegram

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Modes of receiving updates.
const (
	ModePolling = "polling" // getUpdates long polling: works anywhere, one replica
	ModeWebhook = "webhook" // Telegram POSTs updates: for replicas behind a load balancer
)

// Config configures the Telegram connector. Without a Token it stays off.
// Every field can be set from the environment as SUPPORTBOT_TELEGRAM_<KEY>.
type Config struct {
	// Token is the bot token from BotFather (env SUPPORTBOT_TELEGRAM_TOKEN).
	// It is never logged.
	Token string `yaml:"token"`
	// Mode is "polling" (the default) or "webhook".
	Mode string `yaml:"mode"`
	// WebhookURL is the public HTTPS address Telegram posts updates to, in
	// webhook mode, e.g. https://support.example.com/telegram/webhook. Its
	// path is where the handler is mounted on the app's HTTP server.
	WebhookURL string `yaml:"webhook_url"`
	// WebhookSecret is sent by Telegram in the X-Telegram-Bot-Api-Secret-Token
	// header of every webhook request; requests without it are refused.
	// Required in webhook mode: 1 to 256 characters of A-Z a-z 0-9 _ -
	// (env SUPPORTBOT_TELEGRAM_WEBHOOK_SECRET).
	WebhookSecret string `yaml:"webhook_secret"`
	// APIURL is the Bot API server. Default: https://api.telegram.org. Set it
	// for a self-hosted Bot API server or a test emulator.
	APIURL string `yaml:"api_url"`
	// BotUsername is the bot's @username without the @, used to recognise
	// mentions in groups and for t.me links. Default: asked with getMe.
	BotUsername string `yaml:"bot_username"`
	// Workers bounds how many chats are answered at once; messages of one
	// chat are always handled in order. Default: 8.
	Workers int `yaml:"workers"`
	// PollTimeout is how long one getUpdates call waits for updates.
	// Default: 50s.
	PollTimeout time.Duration `yaml:"poll_timeout"`
	// MaxAttachmentBytes is the largest photo or document accepted, as in
	// web chat. Default: 10 MiB.
	MaxAttachmentBytes int64 `yaml:"max_attachment_bytes"`
	// AttachmentTypes are the accepted content types, sniffed from the
	// content, never taken from the file name. Default: PNG, JPEG, GIF,
	// WebP and PDF.
	AttachmentTypes []string `yaml:"attachment_types"`
	// ChatRate is how many messages a second the bot sends to one private
	// chat; Telegram allows about one. Default: 1.
	ChatRate float64 `yaml:"chat_rate"`
	// GroupRate is how many messages a minute the bot sends to one group;
	// Telegram allows about 20. Default: 20.
	GroupRate float64 `yaml:"group_rate"`
	// GlobalRate is how many messages a second the bot sends in all;
	// Telegram allows about 30. Default: 30.
	GlobalRate float64 `yaml:"global_rate"`
	// HelpCenterURL resolves relative links in answers (Telegram only
	// accepts absolute ones). Default: the server's public URL.
	HelpCenterURL string `yaml:"help_center_url"`
	// MaxAttempts is how often a failing update is retried before the user
	// gets an apology and the update is set aside. Default: 5.
	MaxAttempts int `yaml:"max_attempts"`
	// Retention is how long processed update ids are remembered to drop
	// repeats. Telegram keeps an update for at most 24 hours. Default: 72h.
	Retention time.Duration `yaml:"retention"`
}

// SetDefaults fills unset fields with their documented defaults.
func (c *Config) SetDefaults() {
	if c.Mode == "" {
		c.Mode = ModePolling
	}
	if c.APIURL == "" {
		c.APIURL = "https://api.telegram.org"
	}
	c.APIURL = strings.TrimRight(c.APIURL, "/")
	c.BotUsername = strings.TrimPrefix(c.BotUsername, "@")
	if c.Workers <= 0 {
		c.Workers = 8
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = 50 * time.Second
	}
	if c.MaxAttachmentBytes <= 0 {
		c.MaxAttachmentBytes = 10 << 20
	}
	if len(c.AttachmentTypes) == 0 {
		c.AttachmentTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}
	}
	if c.ChatRate <= 0 {
		c.ChatRate = 1
	}
	if c.GroupRate <= 0 {
		c.GroupRate = 20
	}
	if c.GlobalRate <= 0 {
		c.GlobalRate = 30
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 5
	}
	if c.Retention <= 0 {
		c.Retention = 72 * time.Hour
	}
}

var (
	secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	tokenRE  = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)
)

// Validate reports configuration mistakes. Messages never include the
// token or the secret.
func (c *Config) Validate() error {
	if !tokenRE.MatchString(c.Token) {
		return fmt.Errorf("telegram: the token is not of the form <digits>:<letters> as BotFather gives it")
	}
	switch c.Mode {
	case ModePolling:
	case ModeWebhook:
		u, err := url.Parse(c.WebhookURL)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return fmt.Errorf("telegram: webhook mode needs webhook_url, an absolute https URL")
		}
		if !secretRE.MatchString(c.WebhookSecret) {
			return fmt.Errorf("telegram: webhook mode needs webhook_secret: 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
		}
	default:
		return fmt.Errorf("telegram: mode must be %q or %q, not %q", ModePolling, ModeWebhook, c.Mode)
	}
	return nil
}

// WebhookPath is where the webhook handler is mounted: the path of
// WebhookURL, or /telegram/webhook.
func (c *Config) WebhookPath() string {
	if u, err := url.Parse(c.WebhookURL); err == nil && u.Path != "" && u.Path != "/" {
		return u.Path
	}
	return "/telegram/webhook"
}

// botID is the numeric part of the token: not secret, and it keys the
// connector's stored state so that changing bots does not mix offsets.
func (c *Config) botID() string {
	id, _, _ := strings.Cut(c.Token, ":")
	return id
}
