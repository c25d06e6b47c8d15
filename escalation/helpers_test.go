package escalation_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/escalation"
	"github.com/supportbot/supportbot/internal/sqldb"
	"github.com/supportbot/supportbot/internal/sqldb/sqldbtest"
)

// dialects runs f once per database dialect (SQLite, and PostgreSQL when
// SUPPORTBOT_TEST_POSTGRES is set), as subtests named after the dialect.
func dialects(t *testing.T, f func(t *testing.T)) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, f)
	}
}

// openDB opens a fresh database of the dialect named in the test's name
// (see dialects); SQLite outside dialects.
func openDB(tb testing.TB) *sqldb.DB {
	tb.Helper()
	d := sqldb.SQLite
	if strings.Contains(tb.Name()+"/", "/"+sqldb.Postgres+"/") {
		d = sqldb.Postgres
	}
	return sqldbtest.Open(tb, d)
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a Service on a fresh database with a test clock.
type env struct {
	svc      *escalation.Service
	db       *sqldb.DB
	clock    *clock
	channels map[string]supportbot.Channel
	dir      string
	admin    *escalation.Agent
}

func newEnv(tb testing.TB, cfg escalation.Config) *env {
	tb.Helper()
	e := &env{db: openDB(tb), clock: newClock(), channels: map[string]supportbot.Channel{}, dir: tb.TempDir()}
	if cfg.AttachmentDir == "" {
		cfg.AttachmentDir = filepath.Join(e.dir, "attachments")
	}
	e.svc = escalation.New(cfg, e.db, e.channels, nil)
	e.svc.Now = e.clock.Now
	if err := e.svc.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	a, err := escalation.AddAgent(context.Background(), e.db, "admin@example.com", "Ada Admin", "correct horse battery", escalation.RoleAdmin)
	if err != nil {
		tb.Fatal(err)
	}
	e.admin = a
	return e
}

// esc is an escalation from user u in conversation c of the web chat.
func esc(u, c, text string) supportbot.Escalation {
	return supportbot.Escalation{
		Message: supportbot.Message{ID: fmt.Sprintf("m-%s-%d", c, time.Now().UnixNano()), Channel: "webchat",
			UserID: u, ConversationID: c, Text: text, DisplayName: "User " + u},
		Lang:   "en",
		Reason: "asked_for_human",
		Transcript: []supportbot.Turn{
			{Role: "user", Text: "hello"},
			{Role: "bot", Text: "Hi! How can I help?"},
			{Role: "user", Text: text},
		},
	}
}

func mustEscalate(tb testing.TB, s *escalation.Service, e supportbot.Escalation) *supportbot.Ticket {
	tb.Helper()
	t, err := s.Escalate(context.Background(), e)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// recChannel is a supportbot.Channel that records what it is sent and
// fails with the errors queued in fail first.
type recChannel struct {
	name string
	mu   sync.Mutex
	fail []error
	sent []sent
	n    int
}

type sent struct {
	To    supportbot.Address
	Reply supportbot.Reply
}

func (c *recChannel) Name() string                                        { return c.name }
func (c *recChannel) Run(ctx context.Context, h supportbot.Handler) error { <-ctx.Done(); return nil }
func (c *recChannel) Send(ctx context.Context, to supportbot.Address, r supportbot.Reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	if len(c.fail) > 0 {
		err := c.fail[0]
		c.fail = c.fail[1:]
		return err
	}
	c.sent = append(c.sent, sent{to, r})
	return nil
}

func (c *recChannel) Sent() []sent {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]sent(nil), c.sent...)
}

var _ supportbot.Channel = (*recChannel)(nil)

func code(err error) string { return supportbot.ErrorCode(err) }

// png1x1 is a valid 1x1 PNG image.
var png1x1 = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
