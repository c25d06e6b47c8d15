package webchat

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/internal/sqldb"
)

// ChannelName is web chat's name in Message.Channel and Address.Channel.
const ChannelName = "webchat"

// Library is the help center's content: the same articles the bot answers
// from (*retrieval.Index). When it also implements Searcher the site's
// search uses it; otherwise KeywordSearch.
type Library interface {
	// Articles returns every article in every language.
	Articles() []*supportbot.Article
	// Article returns one language version of an article.
	Article(id, lang string) (*supportbot.Article, bool)
}

// Searcher finds help-center articles by keywords, best first.
type Searcher interface {
	Search(ctx context.Context, text, lang string, limit int) ([]SearchHit, error)
}

// SearchHit is one help-center search result.
type SearchHit struct {
	ArticleID string
	Lang      string
	Title     string
	Category  string
	// Snippet is escaped HTML in which only <mark> highlights are markup;
	// the site sanitizes it again before showing it.
	Snippet string
}

// TicketRater stores a visitor's satisfaction rating of a solved ticket;
// supportbot.Escalator implements it.
type TicketRater interface {
	RateTicket(ctx context.Context, ticketID int64, channel, userID string, score int) error
}

// Options are the optional dependencies of a Server.
type Options struct {
	// Library serves the help center; without one only the widget and the
	// API are served.
	Library Library
	// Rater takes CSAT ratings ("csat:N" buttons); without one they are
	// refused with EUNAVAILABLE.
	Rater TicketRater
	// Log receives request errors and lifecycle events. Default: discard.
	Log logrus.FieldLogger
	// Metrics registers web chat's HTTP metrics. Default: none.
	Metrics prometheus.Registerer
	// Now is the clock. Default: time.Now.
	Now func() time.Time
}

// Server is the web-chat channel and the public web site: an
// http.Handler for the widget, the help center and the JSON API, and a
// supportbot.Channel that pushes agent replies to visitors.
//
// The engine is installed by Run (the supportbot.Channel contract); until
// then the help center works and chat requests answer 503 unavailable.
type Server struct {
	cfg    Config
	store  *store
	render *renderer
	lib    Library
	rater  TicketRater
	log    logrus.FieldLogger
	now    func() time.Time
	mux    *http.ServeMux
	hub    *hub
	// listening is closed once Run listens to the other replicas.
	listening     chan struct{}
	listeningOnce sync.Once
	m             *metrics
	widget        []byte // widget.js with the UI strings compiled in

	handler  atomic.Pointer[handlerBox]
	draining atomic.Bool
	inflight sync.WaitGroup
	// inflightMu orders inflight.Add against Shutdown's Wait: Add after a
	// Wait has started is a misuse of sync.WaitGroup.
	inflightMu sync.RWMutex

	visitorLimits *limiters
	ipLimits      *limiters
	sessionLimits *limiters
}

type handlerBox struct{ h supportbot.Handler }

// New returns a Server that keeps conversations in db. It does no I/O:
// call Open before serving to create the tables.
func New(cfg Config, db *sqldb.DB, opts Options) *Server {
	cfg.SetDefaults()
	if opts.Log == nil {
		l := logrus.New()
		l.Out = io.Discard
		opts.Log = l
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		cfg:           cfg,
		store:         &store{db: db, now: opts.Now, replica: newReplicaID()},
		render:        newRenderer(),
		lib:           opts.Library,
		rater:         opts.Rater,
		log:           opts.Log.WithField("channel", ChannelName),
		now:           opts.Now,
		hub:           newHub(),
		listening:     make(chan struct{}),
		m:             newMetrics(opts.Metrics),
		visitorLimits: newLimiters(cfg.VisitorRate, cfg.VisitorBurst),
		ipLimits:      newLimiters(cfg.IPRate, cfg.IPBurst),
		sessionLimits: newLimiters(cfg.SessionRate, cfg.SessionBurst),
	}
	s.widget = s.buildWidget()
	s.routes()
	return s
}

// Open creates or upgrades web chat's tables.
func (s *Server) Open(ctx context.Context) error { return s.store.migrate(ctx) }

// Name returns "webchat".
func (s *Server) Name() string { return ChannelName }

// Run installs h as the engine that answers visitors and serves until ctx
// is done; it then returns nil. It also sweeps idle rate limiters.
func (s *Server) Run(ctx context.Context, h supportbot.Handler) error {
	if h == nil {
		return errors.New("webchat: Run needs a Handler")
	}
	s.handler.Store(&handlerBox{h})
	s.log.Info("web chat ready")
	listened := make(chan struct{})
	go func() { defer close(listened); s.listen(ctx) }()
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			<-listened
			return nil
		case <-t.C:
			cutoff := s.now().Add(-10 * time.Minute)
			s.visitorLimits.sweep(cutoff)
			s.ipLimits.sweep(cutoff)
			s.sessionLimits.sweep(cutoff)
		}
	}
}

// Ready reports whether chat can answer: Run has installed the engine,
// the server is not shutting down, and the database answers.
func (s *Server) Ready(ctx context.Context) error {
	if s.handler.Load() == nil {
		return supportbot.Errorf(supportbot.EUNAVAILABLE, "The chat engine is starting.")
	}
	if s.draining.Load() {
		return supportbot.Errorf(supportbot.EUNAVAILABLE, "The server is shutting down.")
	}
	if err := s.store.db.PingContext(ctx); err != nil {
		return supportbot.Errorf(supportbot.EUNAVAILABLE, "The database does not answer.")
	}
	return nil
}

// Shutdown stops taking new messages (they get 503 unavailable), waits for
// the replies in flight to finish and be logged, then closes the live
// connections. Call it when the HTTP server starts shutting down and
// before http.Server.Shutdown returns, e.g. from RegisterOnShutdown or
// concurrently with it: live WebSocket connections would otherwise hold
// nothing up, but the visitors streaming a reply would lose its end. It
// returns ctx's error if replies were still running when ctx ended.
func (s *Server) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	done := make(chan struct{})
	go func() {
		s.inflightMu.Lock() // no new Add after this point: draining is set
		s.inflightMu.Unlock()
		s.inflight.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.hub.closeAll()
	return err
}

// begin counts a reply in flight, or fails when shutting down.
func (s *Server) begin() bool {
	s.inflightMu.RLock()
	defer s.inflightMu.RUnlock()
	if s.draining.Load() {
		return false
	}
	s.inflight.Add(1)
	return true
}

// ServeHTTP serves the widget, the API and the help center.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// verifyIdentity checks an operator's signature of a user id:
// hex(HMAC-SHA256(secret, userID)), compared in constant time.
func (s *Server) verifyIdentity(userID, hash string) error {
	if s.cfg.IdentitySecret == "" {
		return supportbot.Errorf(supportbot.EUNAUTHORIZED,
			"Identity verification is not configured on this server; start the chat without an identity.")
	}
	if userID == "" || len(userID) > 256 {
		return supportbot.Errorf(supportbot.EINVALID, "The identity's user_id must be 1 to 256 bytes.")
	}
	got, err := hex.DecodeString(strings.TrimSpace(hash))
	if err != nil || len(got) != sha256.Size {
		return supportbot.Errorf(supportbot.EUNAUTHORIZED, "The identity signature is missing or not a hex HMAC-SHA256.")
	}
	if !hmac.Equal(got, SignIdentity(s.cfg.IdentitySecret, userID)) {
		return supportbot.Errorf(supportbot.EUNAUTHORIZED, "The identity signature does not match the user id.")
	}
	return nil
}

// SignIdentity returns HMAC-SHA256(secret, userID), the signature an
// operator's server puts in the page as user_hash (hex-encoded) so the
// widget can prove who the logged-in user is.
func SignIdentity(secret, userID string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(userID))
	return m.Sum(nil)
}

// isAPIKey reports whether key is one of the configured API keys, in
// constant time per key.
func (s *Server) isAPIKey(key string) bool {
	ok := false
	for _, k := range s.cfg.APIKeys {
		if k != "" && subtle.ConstantTimeCompare([]byte(k), []byte(key)) == 1 {
			ok = true
		}
	}
	return ok
}

// Interface guards.
var (
	_ supportbot.Channel = (*Server)(nil)
	_ http.Handler       = (*Server)(nil)
)
