// Package webchattest has fakes and helpers for testing web chat without
// the real engine: a Handler with Fn fields that records what it was
// given, a small extractive Engine over a Library, a Rater, and Start,
// which serves a webchat.Server on loopback over a fresh database.
package webchattest

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/connectors/webchat"
	"github.com/supportbot/supportbot/internal/sqldb"
	"github.com/supportbot/supportbot/internal/sqldb/sqldbtest"
	"github.com/supportbot/supportbot/knowledge"
)

// Handler is a supportbot.Handler that records every call and answers with
// its Fn fields. A nil HandleStreamFn replies with an empty Reply; a nil
// FeedbackFn with an empty one.
type Handler struct {
	HandleStreamFn func(ctx context.Context, m supportbot.Message, emit func(string)) (supportbot.Reply, error)
	FeedbackFn     func(ctx context.Context, f supportbot.Feedback) (supportbot.Reply, error)

	mu        sync.Mutex
	messages  []supportbot.Message
	feedbacks []supportbot.Feedback
}

// SetStream replaces HandleStreamFn while the server may be calling it.
func (h *Handler) SetStream(fn func(ctx context.Context, m supportbot.Message, emit func(string)) (supportbot.Reply, error)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.HandleStreamFn = fn
}

// SetFeedback replaces FeedbackFn while the server may be calling it.
func (h *Handler) SetFeedback(fn func(ctx context.Context, f supportbot.Feedback) (supportbot.Reply, error)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.FeedbackFn = fn
}

// Handle implements supportbot.Handler.
func (h *Handler) Handle(ctx context.Context, m supportbot.Message) (supportbot.Reply, error) {
	return h.HandleStream(ctx, m, func(string) {})
}

// HandleStream implements supportbot.Handler.
func (h *Handler) HandleStream(ctx context.Context, m supportbot.Message, emit func(string)) (supportbot.Reply, error) {
	h.mu.Lock()
	h.messages = append(h.messages, m)
	fn := h.HandleStreamFn
	h.mu.Unlock()
	if fn == nil {
		return supportbot.Reply{}, nil
	}
	return fn(ctx, m, emit)
}

// Feedback implements supportbot.Handler.
func (h *Handler) Feedback(ctx context.Context, f supportbot.Feedback) (supportbot.Reply, error) {
	h.mu.Lock()
	h.feedbacks = append(h.feedbacks, f)
	fn := h.FeedbackFn
	h.mu.Unlock()
	if fn == nil {
		return supportbot.Reply{}, nil
	}
	return fn(ctx, f)
}

// Messages returns the messages handled so far.
func (h *Handler) Messages() []supportbot.Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]supportbot.Message(nil), h.messages...)
}

// Feedbacks returns the feedback received so far.
func (h *Handler) Feedbacks() []supportbot.Feedback {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]supportbot.Feedback(nil), h.feedbacks...)
}

// Library is an in-memory help center.
type Library struct{ arts []*supportbot.Article }

// NewLibrary returns a library of arts.
func NewLibrary(arts []*supportbot.Article) *Library { return &Library{arts: arts} }

// DemoLibrary returns the built-in demo help center.
func DemoLibrary(tb testing.TB) *Library {
	tb.Helper()
	res, err := knowledge.Load(knowledge.Demo(), "articles")
	if err != nil {
		tb.Fatal(err)
	}
	if len(res.Articles) == 0 {
		tb.Fatal("the demo help center has no articles")
	}
	return NewLibrary(res.Articles)
}

// Articles implements webchat.Library.
func (l *Library) Articles() []*supportbot.Article { return l.arts }

// Article implements webchat.Library.
func (l *Library) Article(id, lang string) (*supportbot.Article, bool) {
	for _, a := range l.arts {
		if a.ID == id && a.Lang == lang {
			return a, true
		}
	}
	return nil, false
}

// Engine returns a HandleStreamFn that behaves like the engine's
// extractive path, enough to drive the widget: it answers with the lead
// paragraph of the best keyword match, cites the article and streams the
// text in pieces, pausing delay between them. "human" escalates (ticket
// 42), "lang" confirms the switch, and a question that matches nothing
// gets a clarifying question.
func Engine(lib webchat.Library, delay time.Duration) func(context.Context, supportbot.Message, func(string)) (supportbot.Reply, error) {
	return func(ctx context.Context, m supportbot.Message, emit func(string)) (supportbot.Reply, error) {
		lang := m.Lang
		if lang == "" {
			lang = detect(m.Text, m.HintLang)
		}
		var r supportbot.Reply
		switch m.Command {
		case supportbot.CmdHuman:
			r = supportbot.Reply{Text: "I have passed your conversation to our support team (ticket #42). An agent will reply here.",
				Lang: lang, Decision: supportbot.DecisionEscalate, Reason: "asked_for_human", TicketID: "42"}
		case supportbot.CmdLang:
			r = supportbot.Reply{Text: "OK: " + supportbot.LanguageNames[m.Text] + ".", Lang: m.Text,
				Decision: supportbot.DecisionSmallTalk, Reason: "lang"}
		default:
			hits := webchat.KeywordSearch(lib.Articles(), m.Text, lang, 1)
			if len(hits) == 0 {
				r = supportbot.Reply{Text: "Could you tell me more about your question?", Lang: lang,
					Decision: supportbot.DecisionClarify, Reason: "low_confidence",
					Actions: []supportbot.Action{{Kind: "human", Label: "Talk to a human"}}}
				break
			}
			a, _ := lib.Article(hits[0].ArticleID, hits[0].Lang)
			lead, _, _ := strings.Cut(a.Body, "\n\n")
			r = supportbot.Reply{Text: lead, Lang: a.Lang, Decision: supportbot.DecisionAnswer, Reason: "answered",
				Confidence: 0.9, Citations: []supportbot.Citation{{ArticleID: a.ID, Title: a.Title, Lang: a.Lang}},
				Actions: []supportbot.Action{{Kind: "helpful", Label: "Helpful"}, {Kind: "not_helpful", Label: "Not helpful"}}}
		}
		r.ID = "r-" + m.ID
		runes := []rune(r.Text)
		for i := 0; i < len(runes); i += 16 {
			j := min(i+16, len(runes))
			emit(string(runes[i:j]))
			if delay > 0 && j < len(runes) {
				select {
				case <-time.After(delay):
				case <-ctx.Done():
					return supportbot.Reply{}, ctx.Err()
				}
			}
		}
		return r, nil
	}
}

// detect is a crude language guess: Han characters are Chinese, anything
// else takes the hint.
func detect(text, hint string) string {
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			return "zh-Hans"
		}
	}
	if hint != "" {
		return hint
	}
	return supportbot.DefaultLang
}

// Rating is one RateTicket call.
type Rating struct {
	TicketID int64
	Channel  string
	UserID   string
	Score    int
}

// Rater is a webchat.TicketRater that records ratings.
type Rater struct {
	mu      sync.Mutex
	ratings []Rating
}

// RateTicket implements webchat.TicketRater.
func (r *Rater) RateTicket(ctx context.Context, ticketID int64, channel, userID string, score int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ratings = append(r.ratings, Rating{ticketID, channel, userID, score})
	return nil
}

// Ratings returns the ratings so far.
func (r *Rater) Ratings() []Rating {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Rating(nil), r.ratings...)
}

// Env is a web chat server running on loopback for a test.
type Env struct {
	Server  *webchat.Server
	HTTP    *httptest.Server
	URL     string
	DB      *sqldb.DB
	Handler *Handler
	Rater   *Rater
	Library *Library
	// Stop ends Run (Start registers it as a cleanup too).
	Stop func()
}

// Options tune Start.
type Options struct {
	// Dialect is the database: sqldb.SQLite (default) or sqldb.Postgres.
	Dialect string
	// DB, if set, is the database instead of a fresh one of Dialect (a
	// second server on another's DB plays a second replica).
	DB *sqldb.DB
	// Library defaults to the demo help center.
	Library *Library
	// NoRun leaves the engine uninstalled (to test readiness).
	NoRun bool
	// Opts are passed to webchat.New; Library and Rater are filled in.
	Opts webchat.Options
}

// Start serves a webchat.Server for cfg on an httptest server, over a
// fresh database, with a recording Handler whose HandleStreamFn is Engine
// over the library without delay (set it to change the answers).
func Start(tb testing.TB, cfg webchat.Config, o Options) *Env {
	tb.Helper()
	if o.Dialect == "" {
		o.Dialect = sqldb.SQLite
	}
	db := o.DB
	if db == nil {
		db = sqldbtest.Open(tb, o.Dialect)
	}
	lib := o.Library
	if lib == nil {
		lib = DemoLibrary(tb)
	}
	env := &Env{DB: db, Handler: &Handler{}, Rater: &Rater{}, Library: lib}
	env.Handler.HandleStreamFn = Engine(lib, 0)
	opts := o.Opts
	opts.Library, opts.Rater = lib, env.Rater
	env.Server = webchat.New(cfg, db, opts)
	if err := env.Server.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	env.HTTP = httptest.NewServer(env.Server)
	env.URL = env.HTTP.URL
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	if o.NoRun {
		close(done)
	} else {
		go func() {
			defer close(done)
			if err := env.Server.Run(ctx, env.Handler); err != nil {
				tb.Error(err)
			}
		}()
		// Run installs the handler at once; wait until it has.
		for i := 0; env.Server.Ready(context.Background()) != nil; i++ {
			if i > 500 {
				tb.Fatal("web chat did not become ready")
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	var once sync.Once
	env.Stop = func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
	tb.Cleanup(func() {
		env.HTTP.CloseClientConnections()
		env.HTTP.Close()
		env.Stop()
	})
	return env
}
