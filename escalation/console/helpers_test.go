package console_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/escalation"
	"github.com/supportbot/supportbot/escalation/console"
	"github.com/supportbot/supportbot/internal/sqldb"
)

const adminPassword = "correct horse battery"

// site is a console on a real HTTP server over a fresh SQLite database.
type site struct {
	*httptest.Server
	svc   *escalation.Service
	admin *escalation.Agent
	ch    *recChannel
}

func newSite(tb testing.TB, opts console.Options, cfgs ...escalation.Config) *site {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	db, err := sqldb.Open(ctx, filepath.Join(dir, "test.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	ch := &recChannel{name: "webchat"}
	var cfg escalation.Config
	if len(cfgs) > 0 {
		cfg = cfgs[0]
	}
	cfg.AttachmentDir = filepath.Join(dir, "att")
	svc := escalation.New(cfg, db,
		map[string]supportbot.Channel{"webchat": ch}, nil)
	if err := svc.Open(ctx); err != nil {
		tb.Fatal(err)
	}
	admin, err := escalation.AddAgent(ctx, db, "admin@example.com", "Ada Admin", adminPassword, escalation.RoleAdmin)
	if err != nil {
		tb.Fatal(err)
	}
	con, err := console.New(svc, opts)
	if err != nil {
		tb.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(console.Prefix+"/", con)
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	return &site{Server: srv, svc: svc, admin: admin, ch: ch}
}

func (s *site) escalate(tb testing.TB, user, subject, text string) *supportbot.Ticket {
	tb.Helper()
	t, err := s.svc.Escalate(context.Background(), supportbot.Escalation{
		Message: supportbot.Message{ID: "m-" + user + text, Channel: "webchat", UserID: user, ConversationID: "conv-" + user,
			Text: text, DisplayName: "Visitor " + user},
		Lang: "en", Reason: "asked_for_human", Subject: subject,
		Transcript: []supportbot.Turn{{Role: "user", Text: text}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// client is a browser-like HTTP client: it keeps cookies and does not
// follow redirects, so tests see them.
type client struct {
	*http.Client
	base string
	csrf string
}

func (s *site) client(tb testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{base: s.URL, Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (c *client) do(tb testing.TB, method, path string, body io.Reader, header map[string]string) (*http.Response, string) {
	tb.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (c *client) get(tb testing.TB, path string) (*http.Response, string) {
	return c.do(tb, "GET", path, nil, nil)
}

// post sends a form; with withCSRF it adds the session's token.
func (c *client) post(tb testing.TB, path string, form url.Values, withCSRF bool) (*http.Response, string) {
	if form == nil {
		form = url.Values{}
	}
	if withCSRF {
		form.Set("csrf", c.csrf)
	}
	return c.do(tb, "POST", path, strings.NewReader(form.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// api sends JSON; with withCSRF it adds the X-CSRF-Token header.
func (c *client) api(tb testing.TB, method, path string, in any, withCSRF bool) (*http.Response, map[string]any) {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = strings.NewReader(string(b))
	}
	h := map[string]string{"Content-Type": "application/json"}
	if withCSRF {
		h["X-CSRF-Token"] = c.csrf
	}
	resp, s := c.do(tb, method, path, body, h)
	var out map[string]any
	json.Unmarshal([]byte(s), &out)
	return resp, out
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// login logs in through the form and keeps the session's CSRF token.
func (c *client) login(tb testing.TB, email, password string) *http.Response {
	tb.Helper()
	_, page := c.get(tb, "/console/login")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		tb.Fatalf("no login CSRF field in %s", page)
	}
	resp, _ := c.do(tb, "POST", "/console/login", strings.NewReader(url.Values{
		"csrf": {m[1]}, "email": {email}, "password": {password}, "next": {"/console/"}}.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if resp.StatusCode == http.StatusSeeOther {
		_, page = c.get(tb, "/console/")
		if m := regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`).FindStringSubmatch(page); m != nil {
			c.csrf = m[1]
		}
	}
	return resp
}

// recChannel records what the outbox sends.
type recChannel struct {
	name string
	sent chan supportbot.Reply
}

func (c *recChannel) Name() string                                        { return c.name }
func (c *recChannel) Run(ctx context.Context, h supportbot.Handler) error { <-ctx.Done(); return nil }
func (c *recChannel) Send(ctx context.Context, to supportbot.Address, r supportbot.Reply) error {
	if c.sent != nil {
		c.sent <- r
	}
	return nil
}
