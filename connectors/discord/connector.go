package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot"
)

// ChannelName is the connector's name, as in supportbot.Message.Channel.
const ChannelName = "discord"

// intents are the gateway events the connector needs: guilds (channels
// and threads), guild and direct messages, and their content. Message
// Content is a privileged intent that must be switched on in the
// Developer Portal; without it Discord still sends the content of DMs and
// of messages that mention the bot, but not of the follow-ups a user
// writes in their thread.
const intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages |
	discordgo.IntentsDirectMessages | discordgo.IntentMessageContent

// TicketRater stores a user's satisfaction rating (the "csat:N" buttons)
// of a solved ticket; supportbot.Escalator implements it.
type TicketRater interface {
	// RateTicket stores score (1..5) for the user's ticket; it returns
	// ENOTFOUND for another user's ticket.
	RateTicket(ctx context.Context, ticketID int64, channel, userID string, score int) error
}

// Options are the optional dependencies of a Connector.
type Options struct {
	// Rater takes CSAT ratings; without one the buttons answer that
	// ratings are unavailable.
	Rater TicketRater
	// Store remembers threads and how far each channel was handled.
	// Default: a MemoryStore (restarts then lose that memory).
	Store Store
	// Log receives connection events and delivery errors. Default: discard.
	Log logrus.FieldLogger
	// Metrics registers the connector's Prometheus metrics; nil skips
	// registering them.
	Metrics prometheus.Registerer
	// Transport is the base HTTP transport for REST calls and downloads.
	// Default: http.DefaultTransport.
	Transport http.RoundTripper
	// Now is the clock. Default: time.Now.
	Now func() time.Time
}

// Connector is the Discord channel: a supportbot.Channel that receives
// messages and interactions through discordgo's gateway session and
// answers over Discord's REST API.
type Connector struct {
	cfg     Config
	sess    *discordgo.Session
	http    *http.Client // downloads, with the session's transport
	tr      *transport
	rater   TicketRater
	store   Store
	m       *metrics
	log     logrus.FieldLogger
	now     func() time.Time
	support map[string]bool
	types   map[string]bool // accepted attachment types

	sem     chan struct{}
	queues  *serializer
	seen    *recentSet // message ids taken for handling
	sent    *recentSet // reply parts delivered, by nonce
	track   *tracker
	dms     sync.Map // user id -> DM channel id
	langs   *recentMap
	threads sync.Map // thread id -> Thread, for the bot's threads seen lately

	mu      sync.Mutex
	h       supportbot.Handler
	running bool
	closing bool
	work    context.Context // handlers' context: outlives Run's by ShutdownTimeout
	wg      sync.WaitGroup
}

// ErrNoToken is returned by New when the configuration has no token.
var ErrNoToken = errors.New("discord: no bot token configured")

// New returns a Connector. It does no I/O: Run connects.
func New(cfg Config, o Options) (*Connector, error) {
	cfg.SetDefaults()
	if cfg.Token == "" {
		return nil, ErrNoToken
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		l := logrus.New()
		l.Out = io.Discard
		o.Log = l
	}
	if o.Store == nil {
		o.Store = NewMemoryStore()
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport
	}
	m, err := newMetrics(o.Metrics)
	if err != nil {
		return nil, err
	}
	c := &Connector{
		cfg: cfg, rater: o.Rater, store: o.Store, now: o.Now, m: m,
		log:     o.Log.WithField("channel", ChannelName),
		support: map[string]bool{}, types: map[string]bool{},
		sem:    make(chan struct{}, cfg.Workers),
		queues: newSerializer(),
		seen:   newRecentSet(50000), sent: newRecentSet(10000),
		track: newTracker(), langs: newRecentMap(50000),
	}
	for _, id := range cfg.SupportChannels {
		c.support[id] = true
	}
	for _, t := range cfg.AttachmentTypes {
		c.types[t] = true
	}
	c.tr = newTransport(o.Transport, cfg.APIURL, o.Now)
	c.tr.onLimited = func(global bool, d time.Duration) {
		scope := "route"
		if global {
			scope = "global"
		}
		c.m.rateLimits.WithLabelValues(scope).Inc()
		c.log.WithFields(logrus.Fields{"global": global, "retry_after": d}).Warn("discord rate limit hit")
	}
	// A timeout as a last resort: discordgo's own calls (the gateway URL,
	// 429 retries) carry no context.
	c.http = &http.Client{Transport: c.tr, Timeout: 2 * time.Minute}

	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	s.Client = c.http
	s.Identify.Intents = intents
	s.ShardID, s.ShardCount = cfg.ShardID, cfg.ShardCount
	s.LogLevel = -1 // quiet: the connector logs what matters through logrus
	// Events are handled in the gateway's reading goroutine, in order, so
	// two messages of one conversation are queued in the order they were
	// sent. The handlers only route and enqueue; the work happens in the
	// conversation's queue.
	s.SyncEvents = true
	s.StateEnabled = true
	s.AddHandler(c.onReady)
	s.AddHandler(c.onResumed)
	s.AddHandler(c.onDisconnect)
	s.AddHandler(c.onMessageCreate)
	s.AddHandler(c.onInteractionCreate)
	c.sess = s
	return c, nil
}

// Name implements supportbot.Channel.
func (c *Connector) Name() string { return ChannelName }

// Run connects to the gateway, registers the slash commands and passes
// messages to h until ctx is done. Replies in flight then get
// ShutdownTimeout to finish. It returns an error only for what retrying
// cannot fix (a refused token, the Message Content intent switched off,
// invalid sharding); other connection failures are retried.
func (c *Connector) Run(ctx context.Context, h supportbot.Handler) error {
	c.mu.Lock()
	if c.running {
		c.mu.Unlock()
		return errors.New("discord: already running")
	}
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	c.h, c.running, c.closing, c.work = h, true, false, work
	c.mu.Unlock()

	for wait := time.Second; ; wait = min(wait*2, time.Minute) {
		err := c.sess.Open()
		if err == nil {
			break
		}
		if err := fatalGatewayError(err); err != nil {
			c.mu.Lock()
			c.running = false
			c.mu.Unlock()
			return err
		}
		c.log.WithError(err).WithField("retry_in", wait).Error("connect to discord gateway")
		select {
		case <-ctx.Done():
			c.stop(cancelWork)
			return nil
		case <-time.After(wait):
		}
	}
	c.log.WithFields(logrus.Fields{"shard": c.cfg.ShardID, "shards": c.cfg.ShardCount}).Info("connected to discord")
	if c.cfg.Commands == "register" && c.cfg.ShardID == 0 {
		go c.registerCommands(ctx)
	}
	<-ctx.Done()
	c.stop(cancelWork)
	return nil
}

// fatalGatewayError recognizes the failures that retrying cannot fix and
// says what to do about them.
func fatalGatewayError(err error) error {
	if status, _ := restError(err); status == http.StatusUnauthorized {
		return fmt.Errorf("discord: the bot token was refused (reset it in the Developer Portal): %w", err)
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 4004:
			return fmt.Errorf("discord: the bot token was refused (reset it in the Developer Portal): %w", err)
		case 4014:
			return fmt.Errorf("discord: the Message Content intent is not enabled (Developer Portal, Bot, Privileged Gateway Intents): %w", err)
		case 4010, 4011:
			return fmt.Errorf("discord: invalid sharding (shard_id, shard_count; beyond 2,500 guilds Discord requires more shards): %w", err)
		}
	}
	return nil
}

// stop lets the handlers in flight finish, within ShutdownTimeout, then
// closes the gateway session.
func (c *Connector) stop(cancelWork context.CancelFunc) {
	c.mu.Lock()
	c.closing = true
	c.mu.Unlock()
	done := make(chan struct{})
	go func() { c.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(c.cfg.ShutdownTimeout):
		c.log.Warn("discord: replies still in flight at shutdown were cancelled")
		cancelWork()
		<-done
	}
	c.sess.Close()
	c.mu.Lock()
	c.running = false
	c.mu.Unlock()
}

// registerCommands overwrites the application's slash commands, per guild
// or globally, retrying until it works or ctx ends.
func (c *Connector) registerCommands(ctx context.Context) {
	cmds := applicationCommands()
	for wait := time.Second; ; wait = min(wait*2, 5*time.Minute) {
		err := c.overwriteCommands(ctx, cmds)
		if err == nil {
			c.log.WithField("guilds", c.cfg.Guilds).Info("discord slash commands registered")
			return
		}
		c.log.WithError(err).Error("register discord slash commands")
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

func (c *Connector) overwriteCommands(ctx context.Context, cmds []*discordgo.ApplicationCommand) error {
	app := c.appID()
	if app == "" {
		return errors.New("no application id in READY")
	}
	if len(c.cfg.Guilds) == 0 {
		_, err := c.sess.ApplicationCommandBulkOverwrite(app, "", cmds, discordgo.WithContext(ctx))
		return err
	}
	for _, g := range c.cfg.Guilds {
		if _, err := c.sess.ApplicationCommandBulkOverwrite(app, g, cmds, discordgo.WithContext(ctx)); err != nil {
			return fmt.Errorf("guild %s: %w", g, err)
		}
	}
	return nil
}

// botID is the bot user's id, from READY.
func (c *Connector) botID() string {
	c.sess.State.RLock()
	defer c.sess.State.RUnlock()
	if u := c.sess.State.Ready.User; u != nil {
		return u.ID
	}
	return ""
}

// appID is the application's id, from READY (the bot's user id for
// applications that have no separate one).
func (c *Connector) appID() string {
	c.sess.State.RLock()
	defer c.sess.State.RUnlock()
	if a := c.sess.State.Ready.Application; a != nil && a.ID != "" {
		return a.ID
	}
	if u := c.sess.State.Ready.User; u != nil {
		return u.ID
	}
	return ""
}

// onReady runs on every new gateway session: at start, and when a session
// could not be resumed. Either way messages may have been missed, so the
// conversations the connector was serving are read back.
func (c *Connector) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	c.m.gateway.WithLabelValues("ready").Inc()
	c.log.WithField("shard", c.cfg.ShardID).Info("discord gateway session started")
	if c.cfg.BackfillWindow < 0 {
		return
	}
	c.mu.Lock()
	ok := c.running && !c.closing
	if ok {
		c.wg.Add(1)
	}
	work := c.work
	c.mu.Unlock()
	if !ok {
		return
	}
	go func() {
		defer c.wg.Done()
		c.backfill(work)
	}()
}

// onResumed runs when a dropped connection resumed its session: Discord
// replays the events that were missed, so nothing needs reading back.
func (c *Connector) onResumed(_ *discordgo.Session, _ *discordgo.Resumed) {
	c.m.gateway.WithLabelValues("resumed").Inc()
	c.log.Info("discord gateway session resumed")
}

func (c *Connector) onDisconnect(_ *discordgo.Session, _ *discordgo.Disconnect) {
	c.m.gateway.WithLabelValues("disconnected").Inc()
	c.mu.Lock()
	closing := c.closing
	c.mu.Unlock()
	if !closing {
		c.log.Warn("discord gateway disconnected; reconnecting")
	}
}

// spawn runs fn in conversation key's queue, after the messages queued
// before it, with a worker slot. It returns false when the connector is
// stopping and fn will not run.
func (c *Connector) spawn(key string, fn func(ctx context.Context)) bool {
	c.mu.Lock()
	if !c.running || c.closing {
		c.mu.Unlock()
		return false
	}
	c.wg.Add(1)
	work := c.work
	c.mu.Unlock()
	c.queues.do(key, func() {
		defer c.wg.Done()
		select {
		case c.sem <- struct{}{}:
		case <-work.Done():
			return
		}
		defer func() { <-c.sem }()
		fn(work)
	})
	return true
}

// handler returns the engine Run was given.
func (c *Connector) handler() supportbot.Handler {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.h
}

var _ supportbot.Channel = (*Connector)(nil)
