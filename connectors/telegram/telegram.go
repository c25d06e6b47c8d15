// Package telegram is the Telegram channel of supportbot, built on
// github.com/go-telegram/bot: users write to the exchange's bot in a
// private chat (or mention it in a group) and get the same answers,
// buttons, tickets and agent replies as in web chat.
//
// Where a message goes:
//
//	getUpdates (poll.go) or the webhook (webhook.go)
//	  -> the inbox table, committed before Telegram is told the update arrived (store.go)
//	  -> the dispatcher: a bounded worker pool, one chat's updates in order (dispatch.go)
//	  -> a message or a button press (update.go, callback.go) -> supportbot.Handler
//	  -> the reply as Telegram HTML in parts of at most 4096 characters (render.go)
//	  -> sent under Telegram's rate limits, honouring 429 retry_after (send.go)
//
// Agents' replies and ticket notices come in through Send, which the
// escalation outbox calls and retries.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/internal/sqldb"
)

// Name is the channel's name in Message.Channel and Address.Channel.
const Name = "telegram"

// Rater stores a user's satisfaction rating of a solved ticket (the CSAT
// buttons under the escalation's "how did we do?" notice).
// supportbot.Escalator has this method.
type Rater interface {
	// RateTicket returns ENOTFOUND for a ticket that is not the user's and
	// ECONFLICT for one that is not solved yet.
	RateTicket(ctx context.Context, ticketID int64, channel, userID string, score int) error
}

// Connector is the Telegram channel. Create it with New, Open it (or let
// Run do it), mount WebhookHandler in webhook mode, and Run it.
type Connector struct {
	cfg    Config
	db     *sqldb.DB
	log    logrus.FieldLogger
	rater  Rater
	now    func() time.Time
	client *http.Client // getUpdates and file downloads
	base   *url.URL     // resolves relative links in answers
	botID  int64

	api    *tgbot.Bot
	sender *sender

	mu       sync.Mutex
	store    *store // nil until Open
	handler  supportbot.Handler
	username string

	wake chan struct{}
}

// Option configures a Connector.
type Option func(*Connector)

// WithLogger sets the logger; the default discards.
func WithLogger(l logrus.FieldLogger) Option { return func(c *Connector) { c.log = l } }

// WithRater sets what stores CSAT ratings; without it the CSAT buttons
// answer that they are no longer active.
func WithRater(r Rater) Option { return func(c *Connector) { c.rater = r } }

// WithHTTPClient sets the client for every Bot API call and file
// download. It should have no timeout of its own: each call gets a
// deadline.
func WithHTTPClient(hc *http.Client) Option { return func(c *Connector) { c.client = hc } }

// WithClock sets the clock, for tests.
func WithClock(now func() time.Time) Option { return func(c *Connector) { c.now = now } }

// New returns a connector for cfg, storing its state in db. It does no
// I/O; it fails only on invalid configuration.
func New(cfg Config, db *sqldb.DB, opts ...Option) (*Connector, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if db == nil {
		return nil, errors.New("telegram: a database is required")
	}
	c := &Connector{cfg: cfg, db: db, now: time.Now, client: &http.Client{}, wake: make(chan struct{}, 1),
		username: cfg.BotUsername}
	for _, o := range opts {
		o(c)
	}
	if c.log == nil {
		l := logrus.New()
		l.SetOutput(io.Discard)
		c.log = l
	}
	c.log = c.log.WithField("channel", Name)
	c.botID, _ = strconv.ParseInt(cfg.botID(), 10, 64)
	if cfg.HelpCenterURL != "" {
		u, err := url.Parse(cfg.HelpCenterURL)
		if err != nil || !u.IsAbs() {
			return nil, fmt.Errorf("telegram: help_center_url %q is not an absolute URL", cfg.HelpCenterURL)
		}
		c.base = u
	}
	api, err := tgbot.New(cfg.Token,
		tgbot.WithSkipGetMe(), // New must not do I/O; Run asks getMe
		tgbot.WithServerURL(cfg.APIURL),
		tgbot.WithHTTPClient(cfg.PollTimeout, c.client),
		tgbot.WithErrorsHandler(func(err error) { c.log.WithError(err).Warn("telegram library error") }),
		tgbot.WithDebugHandler(func(format string, args ...any) { c.log.Debugf("telegram: "+format, args...) }),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	c.api = api
	c.sender = newSender(api, cfg, c.log)
	return c, nil
}

// Name implements supportbot.Channel.
func (c *Connector) Name() string { return Name }

// Open creates the connector's tables. Run calls it if it was not called.
func (c *Connector) Open(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.store != nil {
		return nil
	}
	s, err := openStore(ctx, c.db, c.cfg.botID(), c.now)
	if err != nil {
		return fmt.Errorf("telegram: %w", err)
	}
	c.store = s
	return nil
}

func (c *Connector) getStore() *store {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.store
}

// Username is the bot's @username (without @), known after Run has
// asked Telegram, or from the configuration.
func (c *Connector) Username() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.username
}

// Run receives updates until ctx is done, passing messages to h, and
// returns nil then. Problems reaching Telegram are logged and retried,
// never returned, so that a Telegram outage does not stop the server.
func (c *Connector) Run(ctx context.Context, h supportbot.Handler) error {
	if h == nil {
		return errors.New("telegram: Run needs a handler")
	}
	if err := c.Open(ctx); err != nil {
		return err
	}
	c.mu.Lock()
	c.handler = h
	c.mu.Unlock()

	if err := c.identify(ctx); err != nil {
		return nil // ctx is done
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); c.registerCommands(ctx) }()
	go func() { defer wg.Done(); c.dispatch(ctx) }()
	c.log.WithField("mode", c.cfg.Mode).WithField("bot", c.Username()).Info("telegram connector running")
	if c.cfg.Mode == ModeWebhook {
		c.setWebhook(ctx)
	} else {
		c.poll(ctx)
	}
	<-ctx.Done()
	wg.Wait()
	return nil
}

// identify learns the bot's username with getMe unless it is configured,
// retrying until Telegram answers or ctx is done.
func (c *Connector) identify(ctx context.Context) error {
	if c.Username() != "" {
		return nil
	}
	return retry(ctx, c.log, "getMe", func(ctx context.Context) error {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		me, err := c.api.GetMe(cctx)
		if err != nil {
			return err
		}
		c.mu.Lock()
		c.username = me.Username
		c.mu.Unlock()
		return nil
	})
}

// setWebhook tells Telegram where to post updates, with the secret token
// it must send back.
func (c *Connector) setWebhook(ctx context.Context) {
	retry(ctx, c.log, "setWebhook", func(ctx context.Context) error {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		_, err := c.api.SetWebhook(cctx, &tgbot.SetWebhookParams{URL: c.cfg.WebhookURL, SecretToken: c.cfg.WebhookSecret,
			AllowedUpdates: allowedUpdates, MaxConnections: c.cfg.Workers})
		return err
	})
}

// allowedUpdates are the update kinds the connector handles.
var allowedUpdates = []string{"message", "callback_query", "my_chat_member"}

// retry runs fn until it succeeds or ctx is done, backing off from 1 s to
// a minute between tries. It returns ctx's error when it gives up.
func retry(ctx context.Context, log logrus.FieldLogger, what string, fn func(context.Context) error) error {
	delay := time.Second
	for {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		log.WithError(err).Warnf("telegram %s failed; retrying in %s", what, delay)
		if sleep(ctx, delay) != nil {
			return ctx.Err()
		}
		delay = min(delay*2, time.Minute)
	}
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// poke wakes the dispatcher.
func (c *Connector) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// redact removes the token from an error text: URLs of the Bot API and
// of files contain it.
func (c *Connector) redact(s string) string {
	return strings.ReplaceAll(s, c.cfg.Token, "<token>")
}

var _ supportbot.Channel = (*Connector)(nil)
