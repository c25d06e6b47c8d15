package console_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/bot/llm"
	"github.com/supportbot/supportbot/bot/llm/llmtest"
	"github.com/supportbot/supportbot/escalation"
	"github.com/supportbot/supportbot/escalation/console"
)

// routes lists every console route but the public ones (login, language,
// static files), with a path that exists, so that a refusal is about the
// session and not about a missing ticket.
var routes = []struct{ method, path string }{
	{"GET", "/console/"},
	{"GET", "/console/tickets/1"},
	{"POST", "/console/logout"},
	{"POST", "/console/tickets/1/reply"},
	{"POST", "/console/tickets/1/note"},
	{"POST", "/console/tickets/1/status"},
	{"POST", "/console/tickets/1/priority"},
	{"POST", "/console/tickets/1/assign"},
	{"POST", "/console/tickets/1/tags"},
	{"POST", "/console/tickets/1/action"},
	{"POST", "/console/deliveries/1/retry"},
	{"GET", "/console/attachments/1"},
	{"GET", "/console/events"},
	{"GET", "/console/admin"},
	{"POST", "/console/admin/agents"},
	{"POST", "/console/admin/agents/1/active"},
	{"POST", "/console/admin/agents/1/password"},
	{"POST", "/console/admin/sla"},
	{"POST", "/console/admin/macros"},
	{"POST", "/console/admin/macros/1/delete"},
	{"GET", "/console/api/me"},
	{"GET", "/console/api/tickets"},
	{"GET", "/console/api/tickets/1"},
	{"POST", "/console/api/tickets/1/reply"},
	{"POST", "/console/api/tickets/1/note"},
	{"POST", "/console/api/tickets/1/status"},
	{"POST", "/console/api/tickets/1/priority"},
	{"POST", "/console/api/tickets/1/assign"},
	{"POST", "/console/api/tickets/1/tags"},
	{"POST", "/console/api/tickets/1/draft"},
	{"GET", "/console/api/agents"},
	{"GET", "/console/api/macros"},
	{"GET", "/console/no-such-page"},
}

func TestAuthorization(t *testing.T) {
	s := newSite(t, console.Options{})
	tk := s.escalate(t, "u1", "Deposit missing", "my deposit is missing")
	if _, err := s.svc.Reply(context.Background(), s.admin, tk.ID, "hi", ""); err != nil {
		t.Fatal(err)
	}
	thread0, _ := s.svc.Thread(context.Background(), tk.ID)

	t.Run("NoSession", func(t *testing.T) {
		c := s.client(t)
		for _, r := range routes {
			body := "text=hacked&status=closed&csrf=guess"
			resp, text := c.do(t, r.method, r.path, strings.NewReader(body),
				map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
			switch {
			case strings.HasPrefix(r.path, "/console/api/"):
				if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(text, `"unauthorized"`) {
					t.Errorf("%s %s: %d %s", r.method, r.path, resp.StatusCode, text)
				}
			case r.method == "GET" && r.path != "/console/events":
				if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/console/login?next=") {
					t.Errorf("%s %s: %d to %q", r.method, r.path, resp.StatusCode, resp.Header.Get("Location"))
				}
			default:
				if resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s %s: %d", r.method, r.path, resp.StatusCode)
				}
			}
			if strings.Contains(text, "Deposit missing") || strings.Contains(text, "my deposit") {
				t.Errorf("%s %s leaked the ticket", r.method, r.path)
			}
		}
		// A forged cookie is no session either.
		u, _ := url.Parse(s.URL)
		c.Jar.SetCookies(u, []*http.Cookie{{Name: "sb_console", Value: strings.Repeat("a", 64)}})
		if resp, _ := c.get(t, "/console/tickets/1"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("forged cookie: %d", resp.StatusCode)
		}
	})

	c := s.client(t)
	if resp := c.login(t, "admin@example.com", adminPassword); resp.StatusCode != http.StatusSeeOther || c.csrf == "" {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	t.Run("CSRF", func(t *testing.T) {
		for _, r := range routes {
			if r.method != "POST" {
				continue
			}
			for _, tc := range []struct {
				name   string
				form   string
				header map[string]string
			}{
				{"Missing", "text=x", nil},
				{"Wrong", "text=x&csrf=" + strings.Repeat("0", 64), nil},
				// The right token from another origin (a page that stole
				// it still cannot post from its own site).
				{"CrossOrigin", "text=x&csrf=" + c.csrf, map[string]string{"Origin": "https://evil.example"}},
			} {
				h := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
				for k, v := range tc.header {
					h[k] = v
				}
				resp, _ := c.do(t, "POST", r.path, strings.NewReader(tc.form), h)
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s: %d, want 403", tc.name, r.path, resp.StatusCode)
				}
			}
		}
		// Nothing changed: the session is alive and the thread is as it was.
		if resp, _ := c.get(t, "/console/"); resp.StatusCode != http.StatusOK {
			t.Fatalf("session gone after refused posts: %d", resp.StatusCode)
		}
		if th, _ := s.svc.Thread(context.Background(), tk.ID); len(th) != len(thread0) {
			t.Fatal("a refused post changed the ticket")
		}
		// And the same requests with the token work.
		resp, _ := c.post(t, "/console/tickets/1/note", url.Values{"text": {"with token"}}, true)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("note with token: %d", resp.StatusCode)
		}
		resp, out := c.api(t, "POST", "/console/api/tickets/1/note", map[string]string{"text": "api note"}, true)
		if resp.StatusCode != http.StatusCreated || out["message_id"] == nil {
			t.Fatalf("API note with token: %d %v", resp.StatusCode, out)
		}
	})
	t.Run("AgentIsNotAdmin", func(t *testing.T) {
		if _, err := s.svc.CreateAgent(context.Background(), s.admin, "bob@example.com", "Bob", "bobs long password", escalation.RoleAgent); err != nil {
			t.Fatal(err)
		}
		b := s.client(t)
		b.login(t, "bob@example.com", "bobs long password")
		if resp, _ := b.get(t, "/console/admin"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("admin page for an agent: %d", resp.StatusCode)
		}
		for _, p := range []string{"/console/admin/agents", "/console/admin/sla", "/console/admin/macros", "/console/admin/agents/1/active"} {
			resp, _ := b.post(t, p, url.Values{"email": {"eve@example.com"}, "name": {"Eve"}, "password": {"eves long password"},
				"role": {"admin"}, "title": {"t"}, "body": {"b"}, "active": {"0"},
				"fr_urgent": {"1m"}, "res_urgent": {"2m"}, "fr_high": {"1h"}, "res_high": {"8h"}, "fr_normal": {"4h"},
				"res_normal": {"24h"}, "fr_low": {"24h"}, "res_low": {"72h"}}, true)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s by an agent: %d", p, resp.StatusCode)
			}
		}
		if _, err := s.svc.Authenticate(context.Background(), "eve@example.com", "eves long password"); err == nil {
			t.Error("an agent created an admin")
		}
	})
	t.Run("Logout", func(t *testing.T) {
		d := s.client(t)
		d.login(t, "admin@example.com", adminPassword)
		if resp, _ := d.post(t, "/console/logout", nil, true); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout: %d", resp.StatusCode)
		}
		if resp, _ := d.get(t, "/console/"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("after logout: %d", resp.StatusCode)
		}
	})
}

func TestLogin(t *testing.T) {
	s := newSite(t, console.Options{})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		c := s.client(t)
		resp := c.login(t, "admin@example.com", "not the password")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("ErrNoLoginToken", func(t *testing.T) {
		c := s.client(t)
		resp, _ := c.do(t, "POST", "/console/login", strings.NewReader(url.Values{
			"email": {"admin@example.com"}, "password": {adminPassword}}.Encode()),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("login without its CSRF token: %d", resp.StatusCode)
		}
	})
	t.Run("OpenRedirectRefused", func(t *testing.T) {
		c := s.client(t)
		_, page := c.get(t, "/console/login")
		m := csrfField.FindStringSubmatch(page)
		for _, next := range []string{"//evil.example/x", "https://evil.example/", "/console/\\evil", "/elsewhere"} {
			resp, _ := c.do(t, "POST", "/console/login", strings.NewReader(url.Values{"csrf": {m[1]},
				"email": {"admin@example.com"}, "password": {adminPassword}, "next": {next}}.Encode()),
				map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
			if loc := resp.Header.Get("Location"); loc != "/console/" {
				t.Errorf("next %q redirected to %q", next, loc)
			}
			_, page = c.get(t, "/console/login") // logged in: redirect; get a fresh token anyway
			c.Jar = nil
			c = s.client(t)
			_, page = c.get(t, "/console/login")
			m = csrfField.FindStringSubmatch(page)
		}
	})
	t.Run("RateLimit", func(t *testing.T) {
		c := s.client(t)
		codes := []int{}
		for i := 0; i < 7; i++ {
			codes = append(codes, c.login(t, "admin@example.com", "guess "+fmt.Sprint(i)).StatusCode)
		}
		if codes[4] != http.StatusUnauthorized && codes[4] != http.StatusTooManyRequests || codes[6] != http.StatusTooManyRequests {
			t.Fatalf("statuses %v: want 429 after the budget", codes)
		}
		// Even the right password is refused while limited.
		if resp := c.login(t, "admin@example.com", adminPassword); resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("right password while limited: %d", resp.StatusCode)
		}
	})
	t.Run("Cookies", func(t *testing.T) {
		s := newSite(t, console.Options{}) // this address used its login budget above
		c := s.client(t)
		_, page := c.get(t, "/console/login")
		m := csrfField.FindStringSubmatch(page)
		req, _ := http.NewRequest("POST", s.URL+"/console/login", strings.NewReader(url.Values{"csrf": {m[1]},
			"email": {"admin@example.com"}, "password": {adminPassword}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-Proto", "https") // behind a TLS-terminating proxy
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var sess *http.Cookie
		for _, ck := range resp.Cookies() {
			if strings.Contains(ck.Name, "sb_console") {
				sess = ck
			}
		}
		if sess == nil || sess.Name != "__Host-sb_console" || !sess.Secure || !sess.HttpOnly || sess.Path != "/" ||
			sess.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie %+v", sess)
		}
	})
}

func TestXSSEscaped(t *testing.T) {
	s := newSite(t, console.Options{})
	payload := `<script>alert("xss")</script><img src=x onerror=alert(1)>`
	tk := s.escalate(t, "u1", payload, "body "+payload)
	s.svc.SetTags(context.Background(), s.admin, tk.ID, []string{`<b>bold</b>`})
	c := s.client(t)
	c.login(t, "admin@example.com", adminPassword)
	for _, path := range []string{"/console/", fmt.Sprintf("/console/tickets/%d", tk.ID)} {
		resp, page := c.get(t, path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		if strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x") || strings.Contains(page, "<b>bold") {
			t.Errorf("%s renders the payload as HTML", path)
		}
		if !strings.Contains(page, "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;") {
			t.Errorf("%s does not show the payload as text", path)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("CSP %q", csp)
		}
	}
	resp, out := c.api(t, "GET", fmt.Sprintf("/console/api/tickets/%d", tk.ID), nil, false)
	if resp.Header.Get("Content-Type") != "application/json; charset=utf-8" || out["ticket"].(map[string]any)["subject"] != payload {
		t.Fatalf("API: %s %v", resp.Header.Get("Content-Type"), out["ticket"])
	}
}

func TestAgentWorkflow(t *testing.T) {
	s := newSite(t, console.Options{})
	ctx := context.Background()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
		"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
	tk := s.escalate(t, "u1", "Withdrawal stuck", "my withdrawal is stuck")
	if err := s.svc.AddMessage(ctx, tk.ID, supportbot.Message{ID: "a1", Channel: "webchat", UserID: "u1",
		ConversationID: "conv-u1", Text: "screenshot", Attachments: []supportbot.Attachment{{Name: "shot.png", Data: png}}}); err != nil {
		t.Fatal(err)
	}
	s.escalate(t, "u2", "KYC rejected", "why was my KYC rejected")
	c := s.client(t)
	c.login(t, "admin@example.com", adminPassword)

	_, page := c.get(t, "/console/?q=withdrawal")
	if !strings.Contains(page, "Withdrawal stuck") || strings.Contains(page, "KYC rejected") {
		t.Fatal("queue search")
	}
	resp, page := c.get(t, fmt.Sprintf("/console/tickets/%d", tk.ID))
	if resp.StatusCode != 200 || !strings.Contains(page, "my withdrawal is stuck") || !strings.Contains(page, "shot.png") {
		t.Fatalf("ticket page: %d", resp.StatusCode)
	}
	resp, _ = c.post(t, fmt.Sprintf("/console/tickets/%d/reply", tk.ID), url.Values{"text": {"Checking the chain now"}, "status": {"pending"}}, true)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d", resp.StatusCode)
	}
	got, _ := s.svc.Ticket(ctx, tk.ID)
	if got.Status != supportbot.StatusPending || got.FirstResponseAt.IsZero() {
		t.Fatalf("after reply: %+v", got)
	}
	// Waiting on the user, the ticket's SLA clock is shown stopped.
	if _, page := c.get(t, "/console/"); !strings.Contains(page, "paused: waiting on the user") {
		t.Error("the queue does not show the pending ticket's SLA as paused")
	}
	c.post(t, fmt.Sprintf("/console/tickets/%d/priority", tk.ID), url.Values{"priority": {"high"}}, true)
	c.post(t, fmt.Sprintf("/console/tickets/%d/assign", tk.ID), url.Values{"agent": {fmt.Sprint(s.admin.ID)}}, true)
	c.post(t, fmt.Sprintf("/console/tickets/%d/tags", tk.ID), url.Values{"tags": {"chain, delayed"}}, true)
	got, _ = s.svc.Ticket(ctx, tk.ID)
	if got.Priority != "high" || got.Assignee != fmt.Sprint(s.admin.ID) || strings.Join(got.Tags, ",") != "chain,delayed" {
		t.Fatalf("properties: %+v", got)
	}
	// Bad input gets a clear error.
	resp, body := c.post(t, fmt.Sprintf("/console/tickets/%d/status", tk.ID), url.Values{"status": {"new"}}, true)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "cannot go back") {
		t.Fatalf("status new: %d %s", resp.StatusCode, body)
	}
	if resp, _ := c.get(t, "/console/tickets/999"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("missing ticket: %d", resp.StatusCode)
	}

	t.Run("Attachment", func(t *testing.T) {
		as, _ := s.svc.Attachments(ctx, tk.ID)
		resp, body := c.get(t, fmt.Sprintf("/console/attachments/%d", as[0].ID))
		if resp.StatusCode != 200 || body != string(png) || resp.Header.Get("Content-Type") != "image/png" ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("attachment: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy"))
		}
	})
	t.Run("API", func(t *testing.T) {
		resp, out := c.api(t, "GET", "/console/api/tickets?status=all&priority=high", nil, false)
		ts := out["tickets"].([]any)
		if resp.StatusCode != 200 || len(ts) != 1 || ts[0].(map[string]any)["subject"] != "Withdrawal stuck" {
			t.Fatalf("list: %d %v", resp.StatusCode, out)
		}
		resp, out = c.api(t, "POST", fmt.Sprintf("/console/api/tickets/%d/status", tk.ID), map[string]string{"status": "solved"}, true)
		if resp.StatusCode != 200 || out["ticket"].(map[string]any)["status"] != "solved" {
			t.Fatalf("status: %d %v", resp.StatusCode, out)
		}
		resp, out = c.api(t, "POST", fmt.Sprintf("/console/api/tickets/%d/priority", tk.ID), map[string]string{"priority": "critical"}, true)
		if resp.StatusCode != http.StatusBadRequest || out["code"] != "invalid" {
			t.Fatalf("bad priority: %d %v", resp.StatusCode, out)
		}
		resp, out = c.api(t, "GET", fmt.Sprintf("/console/api/tickets/%d", tk.ID), nil, false)
		msgs := out["messages"].([]any)
		last := msgs[len(msgs)-1].(map[string]any)
		if resp.StatusCode != 200 || last["kind"] != "system" || last["delivery"].(map[string]any)["status"] != "pending" {
			t.Fatalf("thread: %v", last)
		}
		resp, out = c.api(t, "GET", "/console/api/me", nil, false)
		if out["email"] != "admin@example.com" || out["csrf_token"] != c.csrf {
			t.Fatalf("me: %v", out)
		}
	})
	t.Run("Admin", func(t *testing.T) {
		resp, _ := c.post(t, "/console/admin/macros", url.Values{"title": {"Greeting"}, "body": {"Hello! Thanks for waiting."}}, true)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("macro: %d", resp.StatusCode)
		}
		resp, _ = c.post(t, "/console/admin/sla", url.Values{"fr_urgent": {"5m"}, "res_urgent": {"1h"}, "fr_high": {"1h"},
			"res_high": {"8h"}, "fr_normal": {"4h"}, "res_normal": {"24h"}, "fr_low": {"24h"}, "res_low": {"72h"}}, true)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sla: %d", resp.StatusCode)
		}
		sla, _ := s.svc.SLATargets(ctx)
		if sla.Urgent.FirstResponse != 5*time.Minute || sla.Urgent.Resolution != time.Hour {
			t.Fatalf("sla %+v", sla.Urgent)
		}
		resp, _ = c.post(t, "/console/admin/agents", url.Values{"email": {"carol@example.com"}, "name": {"Carol"},
			"password": {"carols long password"}, "role": {"agent"}}, true)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add agent: %d", resp.StatusCode)
		}
		_, page := c.get(t, "/console/admin")
		for _, want := range []string{"Greeting", "carol@example.com", `value="5m"`} {
			if !strings.Contains(page, want) {
				t.Errorf("admin page lacks %q", want)
			}
		}
		_, page = c.get(t, fmt.Sprintf("/console/tickets/%d", tk.ID))
		if !strings.Contains(page, "Hello! Thanks for waiting.") {
			t.Error("ticket page lacks the canned reply")
		}
	})
	t.Run("Chinese", func(t *testing.T) {
		resp, page := c.do(t, "GET", "/console/", nil, map[string]string{"Accept-Language": "zh-CN,zh;q=0.9"})
		if resp.StatusCode != 200 || !strings.Contains(page, "工单队列") || !strings.Contains(page, `lang="zh-Hans"`) {
			t.Fatal("no Chinese UI for a zh-CN browser")
		}
	})
}

func TestLiveEvents(t *testing.T) {
	s := newSite(t, console.Options{})
	tk := s.escalate(t, "u1", "Live", "live please")
	c := s.client(t)
	c.login(t, "admin@example.com", adminPassword)
	req, _ := http.NewRequest("GET", s.URL+"/console/events", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := c.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
	r := bufio.NewReader(resp.Body)
	r.ReadString('\n') // retry:
	go func() {
		time.Sleep(100 * time.Millisecond)
		s.svc.AddMessage(context.Background(), tk.ID, supportbot.Message{ID: "x", Channel: "webchat", UserID: "u1", Text: "more"})
	}()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(line, "data: ") {
			if !strings.Contains(line, fmt.Sprintf(`"ticket_id":%d`, tk.ID)) || !strings.Contains(line, "ticket.message") {
				t.Fatalf("event %q", line)
			}
			return
		}
	}
}

func TestDraft(t *testing.T) {
	fake := llmtest.New(llmtest.Behavior{Text: "Hello, your withdrawal is being processed."})
	defer fake.Close()
	model := llm.New(llm.Config{BaseURL: fake.URL(), Model: "test-model", APIKey: "k"})
	s := newSite(t, console.Options{LLM: model})
	tk := s.escalate(t, "u1", "Withdrawal", "where is my withdrawal")
	s.svc.AddNote(context.Background(), s.admin, tk.ID, "SECRET internal note")
	c := s.client(t)
	c.login(t, "admin@example.com", adminPassword)
	_, page := c.get(t, fmt.Sprintf("/console/tickets/%d", tk.ID))
	if !strings.Contains(page, `id="draft"`) {
		t.Fatal("no draft button with an LLM")
	}
	resp, out := c.api(t, "POST", fmt.Sprintf("/console/api/tickets/%d/draft", tk.ID), nil, true)
	if resp.StatusCode != 200 || out["text"] != "Hello, your withdrawal is being processed." {
		t.Fatalf("draft: %d %v", resp.StatusCode, out)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d LLM requests", len(reqs))
	}
	sent := fmt.Sprint(reqs[0].Body["messages"])
	if !strings.Contains(sent, "where is my withdrawal") || strings.Contains(sent, "SECRET") {
		t.Fatalf("prompt: %s", sent)
	}
	fake.Set(llmtest.Behavior{Status: 500})
	if resp, out := c.api(t, "POST", fmt.Sprintf("/console/api/tickets/%d/draft", tk.ID), nil, true); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("LLM down: %d %v", resp.StatusCode, out)
	}
}

// TestAccountActionForm: an agent undoes a freeze from the ticket page; the
// operator's endpoint gets one signed call even if the form is submitted
// twice, and the audit trail names the agent.
func TestAccountActionForm(t *testing.T) {
	var calls []string
	op := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := escalation.Verify("op-secret", r.Header.Get(escalation.SignatureHeader), body, time.Now(), time.Minute); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		calls = append(calls, r.Header.Get("Idempotency-Key")+" "+string(body))
	}))
	defer op.Close()
	s := newSite(t, console.Options{}, escalation.Config{Protection: escalation.ProtectionConfig{URL: op.URL, Secret: "op-secret"}})
	ctx := context.Background()
	tk, err := s.svc.Escalate(ctx, supportbot.Escalation{Message: supportbot.Message{ID: "m1", Channel: "webchat",
		UserID: "u1", ConversationID: "c1", Text: "hacked", Account: "acct-7"}, Reason: "account_compromised"})
	if err != nil {
		t.Fatal(err)
	}
	c := s.client(t)
	c.login(t, "admin@example.com", adminPassword)
	_, page := c.get(t, fmt.Sprintf("/console/tickets/%d", tk.ID))
	m := regexp.MustCompile(`name="key" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no action form on a ticket with an account")
	}
	form := url.Values{"action": {"unfreeze_account"}, "reason": {"verified by video call"}, "key": {m[1]}}
	for i := 0; i < 2; i++ {
		if resp, body := c.post(t, fmt.Sprintf("/console/tickets/%d/action", tk.ID), form, true); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("action: %d %s", resp.StatusCode, body)
		}
	}
	if len(calls) != 1 || !strings.Contains(calls[0], `"action":"unfreeze_account"`) || !strings.Contains(calls[0], `"account":"acct-7"`) {
		t.Fatalf("operator calls %q", calls)
	}
	evs, _ := s.svc.Events(ctx, tk.ID)
	last := evs[len(evs)-1]
	if last.Type != escalation.EventAction || last.ActorName != "Ada Admin" || last.Detail["reason"] != "verified by video call" {
		t.Fatalf("audit %+v", last)
	}
}
