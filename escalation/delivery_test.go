package escalation_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/escalation"
)

func TestOutboxRetry(t *testing.T) { dialects(t, testOutboxRetry) }

func testOutboxRetry(t *testing.T) {
	ctx := context.Background()
	cfg := escalation.Config{RetryBase: time.Second, RetryMax: 8 * time.Second, GiveUpAfter: time.Hour}
	e := newEnv(t, cfg)
	down := supportbot.Errorf(supportbot.EUNAVAILABLE, "channel down")
	ch := &recChannel{name: "webchat", fail: []error{down, down, down}}
	e.channels["webchat"] = ch
	tk := mustEscalate(t, e.svc, esc("u1", "c1", "help"))
	mid, err := e.svc.Reply(ctx, e.admin, tk.ID, "We are on it", "")
	if err != nil {
		t.Fatal(err)
	}
	delivery := func() *escalation.Delivery {
		th, err := e.svc.Thread(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range th {
			if m.ID == mid {
				return m.Delivery
			}
		}
		t.Fatal("reply not in thread")
		return nil
	}
	var waits []time.Duration
	for attempt := 1; attempt <= 3; attempt++ {
		if n, err := e.svc.DeliverDue(ctx); err != nil || n != 1 {
			t.Fatalf("attempt %d: delivered %d, %v", attempt, n, err)
		}
		d := delivery()
		if d.Status != escalation.DeliveryPending || d.Attempts != attempt || !strings.Contains(d.LastError, "channel down") {
			t.Fatalf("attempt %d: %+v", attempt, d)
		}
		// Not due yet: nothing happens.
		if n, _ := e.svc.DeliverDue(ctx); n != 0 {
			t.Fatalf("retried before the backoff passed")
		}
		wait := d.NextAttemptAt.Sub(e.clock.Now())
		waits = append(waits, wait)
		e.clock.Add(wait)
	}
	// Exponential: about 1s, 2s, 4s (plus at most 20% jitter).
	for i, w := range waits {
		base := time.Second << i
		if w < base || w > base+base/5 {
			t.Errorf("wait %d = %v, want %v..%v", i, w, base, base+base/5)
		}
	}
	if n, _ := e.svc.DeliverDue(ctx); n != 1 {
		t.Fatal("no fourth attempt")
	}
	if d := delivery(); d.Status != escalation.DeliveryDelivered || d.Attempts != 4 || d.DeliveredAt.IsZero() {
		t.Fatalf("after success: %+v", d)
	}
	if s := ch.Sent(); len(s) != 1 || !strings.HasPrefix(s[0].Reply.ID, "esc-") || s[0].Reply.TicketID == "" {
		t.Fatalf("sent %+v", s)
	}

	t.Run("PermanentError", func(t *testing.T) {
		ch.fail = []error{errors.New("bot was blocked by the user")}
		if _, err := e.svc.Reply(ctx, e.admin, tk.ID, "Still there?", ""); err != nil {
			t.Fatal(err)
		}
		e.svc.DeliverDue(ctx)
		ds, _ := e.svc.Deliveries(ctx, tk.ID)
		last := ds[len(ds)-1]
		if last.Status != escalation.DeliveryFailed || last.Attempts != 1 {
			t.Fatalf("delivery %+v", last)
		}
		evs, _ := e.svc.Events(ctx, tk.ID)
		if evs[len(evs)-1].Type != escalation.EventDelivery {
			t.Fatalf("no delivery.failed event: %+v", evs[len(evs)-1])
		}
		// An agent can retry it once the user unblocks.
		if err := e.svc.RetryDelivery(ctx, e.admin, last.ID); err != nil {
			t.Fatal(err)
		}
		e.svc.DeliverDue(ctx)
		ds, _ = e.svc.Deliveries(ctx, tk.ID)
		if ds[len(ds)-1].Status != escalation.DeliveryDelivered {
			t.Fatalf("retried delivery %+v", ds[len(ds)-1])
		}
	})
	t.Run("GiveUpAfter", func(t *testing.T) {
		// More failures than the attempts below can use: with 9 s steps and
		// an 8 s cap plus jitter, each step may or may not make an attempt.
		ch.fail = slices.Repeat([]error{down}, 40)
		if _, err := e.svc.Reply(ctx, e.admin, tk.ID, "Hello?", ""); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 15; i++ {
			e.svc.DeliverDue(ctx)
			e.clock.Add(9 * time.Second)
		}
		ds, _ := e.svc.Deliveries(ctx, tk.ID)
		if last := ds[len(ds)-1]; last.Status != escalation.DeliveryPending {
			t.Fatalf("gave up too early: %+v", last)
		}
		e.clock.Add(time.Hour)
		e.svc.DeliverDue(ctx)
		ds, _ = e.svc.Deliveries(ctx, tk.ID)
		if last := ds[len(ds)-1]; last.Status != escalation.DeliveryFailed {
			t.Fatalf("did not give up after an hour: %+v", last)
		}
	})
}

// TestOutboxOrder: replies to one user are delivered in the order they
// were written, even when the first needs retries.
func TestOutboxOrder(t *testing.T) { dialects(t, testOutboxOrder) }

func testOutboxOrder(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, escalation.Config{RetryBase: time.Second})
	down := supportbot.Errorf(supportbot.EUNAVAILABLE, "down")
	ch := &recChannel{name: "webchat", fail: []error{down}} // the first reply's first attempt
	e.channels["webchat"] = ch
	tk := mustEscalate(t, e.svc, esc("u1", "c1", "help"))
	other := mustEscalate(t, e.svc, esc("u2", "c2", "help"))
	for _, text := range []string{"first", "second", "third"} {
		if _, err := e.svc.Reply(ctx, e.admin, tk.ID, text, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.Reply(ctx, e.admin, other.ID, "to another user", ""); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		e.svc.DeliverDue(ctx)
		e.clock.Add(3 * time.Second)
	}
	var order []string
	for _, s := range ch.Sent() {
		if s.To.UserID == "u1" {
			order = append(order, s.Reply.Text[strings.LastIndex(s.Reply.Text, "\n")+1:])
		}
	}
	if strings.Join(order, ",") != "first,second,third" {
		t.Fatalf("delivered in order %v", order)
	}
	// Another user's reply is not held up by this user's retries.
	if s := ch.Sent(); len(s) != 4 || s[0].To.UserID != "u2" {
		t.Fatalf("sent %+v", s)
	}
}

// TestOutboxSurvivesRestart: a reply queued while the channel was missing
// is delivered by a new Service on the same database.
func TestOutboxSurvivesRestart(t *testing.T) { dialects(t, testOutboxSurvivesRestart) }

func testOutboxSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, escalation.Config{})
	tk := mustEscalate(t, e.svc, esc("u1", "c1", "help"))
	if _, err := e.svc.Reply(ctx, e.admin, tk.ID, "Reply while webchat is not running", ""); err != nil {
		t.Fatal(err)
	}
	e.svc.DeliverDue(ctx) // fails: no channel registered

	ch := &recChannel{name: "webchat"}
	svc2 := escalation.New(escalation.Config{AttachmentDir: e.dir}, e.db, map[string]supportbot.Channel{"webchat": ch}, nil)
	svc2.Now = func() time.Time { return e.clock.Now().Add(time.Minute) }
	if err := svc2.Open(ctx); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go svc2.Run(cctx)
	deadline := time.Now().Add(10 * time.Second)
	for len(ch.Sent()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the pending reply was not delivered after restart")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := ch.Sent()[0].Reply.Text; !strings.Contains(got, "Reply while webchat is not running") {
		t.Fatalf("sent %q", got)
	}
}

func TestVerify(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	body := []byte(`{"type":"ticket.created"}`)
	good := escalation.Sign("s3cret", now, body)
	for _, c := range []struct {
		name   string
		secret string
		header string
		body   string
		now    time.Time
		ok     bool
	}{
		{"OK", "s3cret", good, string(body), now, true},
		{"OKWithinTolerance", "s3cret", good, string(body), now.Add(4 * time.Minute), true},
		{"ErrTamperedBody", "s3cret", good, `{"type":"ticket.closed"}`, now, false},
		{"ErrWrongSecret", "other", good, string(body), now, false},
		{"ErrTamperedSignature", "s3cret", good[:len(good)-1] + "0", string(body), now, false},
		{"ErrTamperedTimestamp", "s3cret", strings.Replace(good, "t=1700000000", "t=1700000001", 1), string(body), now, false},
		{"ErrExpired", "s3cret", good, string(body), now.Add(10 * time.Minute), false},
		{"ErrMissing", "s3cret", "", string(body), now, false},
		{"ErrNoV1", "s3cret", "t=1700000000", string(body), now, false},
	} {
		err := escalation.Verify(c.secret, c.header, []byte(c.body), c.now, 5*time.Minute)
		if (err == nil) != c.ok {
			t.Errorf("%s: err %v", c.name, err)
		}
	}
}

func TestWebhooks(t *testing.T) { dialects(t, testWebhooks) }

func testWebhooks(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var got []map[string]any
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := escalation.Verify("hook-secret", r.Header.Get(escalation.SignatureHeader), body, time.Now(), time.Hour*24*365*10); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if calls.Add(1) == 1 {
			http.Error(w, "try later", http.StatusServiceUnavailable) // the first call fails: retried
			return
		}
		var ev map[string]any
		json.Unmarshal(body, &ev)
		mu.Lock()
		got = append(got, ev)
		mu.Unlock()
	}))
	defer srv.Close()
	cfg := escalation.Config{
		Webhooks: []escalation.WebhookConfig{
			{URL: srv.URL, Secret: "hook-secret", Events: []string{escalation.EventCreated, escalation.EventStatus}},
			{URL: srv.URL + "/wrong", Secret: "not-the-secret"}, // refused by the receiver: never delivered
		},
		RetryBase: time.Second, GiveUpAfter: time.Minute,
	}
	e := newEnv(t, cfg)
	tk := mustEscalate(t, e.svc, esc("u1", "c1", "help"))
	if _, err := e.svc.AddNote(ctx, e.admin, tk.ID, "internal"); err != nil { // not subscribed by the first hook
		t.Fatal(err)
	}
	if err := e.svc.SetStatus(ctx, e.admin, tk.ID, supportbot.StatusPending); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		e.svc.DeliverDue(ctx)
		e.clock.Add(5 * time.Second)
	}
	mu.Lock()
	defer mu.Unlock()
	// Retries reorder deliveries; receivers order by the event id.
	sort.Slice(got, func(i, j int) bool { return got[i]["id"].(float64) < got[j]["id"].(float64) })
	if len(got) != 2 || got[0]["type"] != escalation.EventCreated || got[1]["type"] != escalation.EventStatus {
		t.Fatalf("received %v", got)
	}
	tj := got[1]["ticket"].(map[string]any)
	if tj["status"] != "pending" || tj["id"].(float64) != float64(tk.ID) || !strings.HasSuffix(tj["url"].(string), "/tickets/1") {
		t.Fatalf("ticket in event: %v", tj)
	}
	ds, _ := e.svc.Deliveries(ctx, tk.ID)
	var failed, delivered int
	for _, d := range ds {
		switch {
		case strings.HasSuffix(d.Target, "/wrong"):
			if d.Status == escalation.DeliveryFailed && strings.Contains(d.LastError, "401") {
				failed++
			}
		case d.Status == escalation.DeliveryDelivered:
			delivered++
		}
	}
	if delivered != 2 || failed == 0 {
		t.Fatalf("delivered %d, failed with a bad signature %d: %+v", delivered, failed, ds)
	}
}

// protectServer is the operator's account-protection endpoint: it checks
// the signature and counts calls per idempotency key.
type protectServer struct {
	*httptest.Server
	mu     sync.Mutex
	calls  []map[string]any
	keys   map[string]int
	fail   atomic.Bool
	badSig atomic.Int32
}

func newProtectServer(t *testing.T, secret string) *protectServer {
	p := &protectServer{keys: map[string]int{}}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := escalation.Verify(secret, r.Header.Get(escalation.SignatureHeader), body, time.Now(), 10*365*24*time.Hour); err != nil {
			p.badSig.Add(1)
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		time.Sleep(30 * time.Millisecond) // widen the window for concurrent callers
		if p.fail.Load() {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		var req map[string]any
		json.Unmarshal(body, &req)
		p.mu.Lock()
		p.calls = append(p.calls, req)
		p.keys[r.Header.Get("Idempotency-Key")]++
		p.mu.Unlock()
		w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(p.Close)
	return p
}

func TestProtectAccount(t *testing.T) { dialects(t, testProtectAccount) }

func testProtectAccount(t *testing.T) {
	ctx := context.Background()
	ps := newProtectServer(t, "prot-secret")
	e := newEnv(t, escalation.Config{Protection: escalation.ProtectionConfig{URL: ps.URL, Secret: "prot-secret"}})
	x := esc("u1", "c1", "my account was hacked")
	x.Reason = "account_compromised"
	x.Message.Account = "acct-42"
	tk := mustEscalate(t, e.svc, x)
	p := supportbot.Protection{Action: escalation.ActionFreeze, Account: "acct-42", TicketID: tk.ID,
		IdempotencyKey: "freeze:acct-42:" + "c1", Reason: "account_compromised", Channel: "webchat", UserID: "u1"}

	t.Run("OnceUnderRepeatsAndConcurrency", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); errs <- e.svc.ProtectAccount(ctx, p) }()
		}
		wg.Wait()
		for i := 0; i < 3; i++ { // the user reports again later
			errs <- e.svc.ProtectAccount(ctx, p)
		}
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("ProtectAccount: %v", err)
			}
		}
		ps.mu.Lock()
		defer ps.mu.Unlock()
		if len(ps.calls) != 1 || ps.keys[p.IdempotencyKey] != 1 || ps.badSig.Load() != 0 {
			t.Fatalf("endpoint called %d times (keys %v, bad signatures %d), want once", len(ps.calls), ps.keys, ps.badSig.Load())
		}
		c := ps.calls[0]
		if c["action"] != "freeze_account" || c["account"] != "acct-42" || c["idempotency_key"] != p.IdempotencyKey {
			t.Fatalf("call %v", c)
		}
		evs, _ := e.svc.Events(ctx, tk.ID)
		n := 0
		for _, ev := range evs {
			if ev.Type == escalation.EventAction && ev.Detail["status"] == "done" && ev.Detail["action"] == "freeze_account" {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d account.action events, want 1", n)
		}
	})
	t.Run("ErrNotProtective", func(t *testing.T) {
		for _, action := range []string{escalation.ActionUnfreeze, escalation.ActionRemove2FA, escalation.ActionChangeWithdrawal, "FREEZE_ACCOUNT ", ""} {
			q := p
			q.Action, q.IdempotencyKey = action, "k-"+action
			if err := e.svc.ProtectAccount(ctx, q); code(err) != supportbot.EFORBIDDEN {
				t.Fatalf("%q: %v, want forbidden", action, err)
			}
		}
		ps.mu.Lock()
		n := len(ps.calls)
		ps.mu.Unlock()
		if n != 1 {
			t.Fatalf("endpoint called for a refused action (%d calls)", n)
		}
		evs, _ := e.svc.Events(ctx, tk.ID)
		refused := 0
		for _, ev := range evs {
			if ev.Type == "account.action_refused" {
				refused++
			}
		}
		if refused != 5 {
			t.Fatalf("%d refusals logged, want 5", refused)
		}
	})
	t.Run("ErrNoAccount", func(t *testing.T) {
		q := p
		q.Account, q.IdempotencyKey = "", "no-account"
		if err := e.svc.ProtectAccount(ctx, q); code(err) != supportbot.EINVALID {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("FailureThenRetry", func(t *testing.T) {
		q := p
		q.IdempotencyKey = "retry-key"
		ps.fail.Store(true)
		if err := e.svc.ProtectAccount(ctx, q); code(err) != supportbot.EUNAVAILABLE {
			t.Fatalf("err %v, want unavailable", err)
		}
		ps.fail.Store(false)
		if err := e.svc.ProtectAccount(ctx, q); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.ProtectAccount(ctx, q); err != nil {
			t.Fatal(err)
		}
		ps.mu.Lock()
		defer ps.mu.Unlock()
		if ps.keys["retry-key"] != 1 {
			t.Fatalf("successful calls for retry-key: %d, want 1", ps.keys["retry-key"])
		}
	})
	t.Run("AgentUndo", func(t *testing.T) {
		agent, err := e.svc.CreateAgent(ctx, e.admin, "carol@example.com", "Carol", "another long password", escalation.RoleAgent)
		if err != nil {
			t.Fatal(err)
		}
		st, err := e.svc.AccountAction(ctx, agent, tk.ID, escalation.ActionUnfreeze, "user verified by video call", "undo-1", nil)
		if err != nil || st != "done" {
			t.Fatalf("unfreeze: %s %v", st, err)
		}
		evs, _ := e.svc.Events(ctx, tk.ID)
		last := evs[len(evs)-1]
		if last.Type != escalation.EventAction || last.Actor != "agent:2" || last.Detail["action"] != "unfreeze_account" {
			t.Fatalf("audit %+v", last)
		}
		if _, err := e.svc.AccountAction(ctx, agent, tk.ID, "delete_account", "", "", nil); code(err) != supportbot.EINVALID {
			t.Fatalf("unknown action: %v", err)
		}
	})
	t.Run("ErrNotConfigured", func(t *testing.T) {
		e2 := newEnv(t, escalation.Config{})
		if err := e2.svc.ProtectAccount(ctx, p); code(err) != supportbot.EUNAVAILABLE {
			t.Fatalf("err %v", err)
		}
	})
}

func TestAgents(t *testing.T) { dialects(t, testAgents) }

func testAgents(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, escalation.Config{})
	if _, err := escalation.AddAgent(ctx, e.db, "ADMIN@example.com", "Dup", "long enough password", escalation.RoleAgent); code(err) != supportbot.ECONFLICT {
		t.Fatalf("duplicate email: %v", err)
	}
	for _, c := range []struct{ email, name, pw, role string }{
		{"not-an-email", "A", "long enough password", "agent"},
		{"a@example.com", "", "long enough password", "agent"},
		{"a@example.com", "A", "short", "agent"},
		{"a@example.com", "A", "long enough password", "root"},
	} {
		if _, err := escalation.AddAgent(ctx, e.db, c.email, c.name, c.pw, c.role); code(err) != supportbot.EINVALID {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if _, err := e.svc.Authenticate(ctx, "admin@example.com", "wrong password"); code(err) != supportbot.EUNAUTHORIZED {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := e.svc.Authenticate(ctx, "nobody@example.com", "correct horse battery"); code(err) != supportbot.EUNAUTHORIZED {
		t.Fatalf("unknown email: %v", err)
	}
	a, err := e.svc.Authenticate(ctx, " Admin@Example.com", "correct horse battery")
	if err != nil || a.Role != escalation.RoleAdmin {
		t.Fatalf("login: %v", err)
	}
	token, sess, err := e.svc.CreateSession(ctx, a)
	if err != nil || len(sess.CSRF) < 32 {
		t.Fatal(err)
	}
	if got, err := e.svc.LookupSession(ctx, token); err != nil || got.Agent.ID != a.ID || got.CSRF != sess.CSRF {
		t.Fatalf("lookup: %v", err)
	}
	if _, err := e.svc.LookupSession(ctx, token+"x"); code(err) != supportbot.EUNAUTHORIZED {
		t.Fatal("a wrong token found a session")
	}
	e.clock.Add(13 * time.Hour)
	if _, err := e.svc.LookupSession(ctx, token); code(err) != supportbot.EUNAUTHORIZED {
		t.Fatal("an expired session is still valid")
	}
	b, err := e.svc.CreateAgent(ctx, a, "bob@example.com", "Bob", "bobs long password", escalation.RoleAgent)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateAgent(ctx, b, "eve@example.com", "Eve", "eves long password", escalation.RoleAdmin); code(err) != supportbot.EFORBIDDEN {
		t.Fatalf("an agent created an admin: %v", err)
	}
	tb, _, _ := e.svc.CreateSession(ctx, b)
	if err := e.svc.SetAgentActive(ctx, a, b.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.LookupSession(ctx, tb); code(err) != supportbot.EUNAUTHORIZED {
		t.Fatal("a deactivated agent's session still works")
	}
	if _, err := e.svc.Authenticate(ctx, "bob@example.com", "bobs long password"); code(err) != supportbot.EUNAUTHORIZED {
		t.Fatal("a deactivated agent logged in")
	}
	if err := e.svc.SetAgentActive(ctx, a, a.ID, false); code(err) != supportbot.ECONFLICT {
		t.Fatalf("admin deactivated themselves: %v", err)
	}
	if !escalation.CheckPassword(escalation.HashPassword("pässwörd 🔑"), "pässwörd 🔑") || escalation.CheckPassword("$argon2id$garbage", "x") {
		t.Fatal("password hashing")
	}
}

// FuzzVerify: any header and body are refused or accepted without panic,
// and only a header made with the secret is accepted.
func FuzzVerify(f *testing.F) {
	now := time.Unix(1_700_000_000, 0)
	f.Add(escalation.Sign("k", now, []byte("{}")), []byte("{}"))
	f.Add("t=1700000000,v1=00", []byte("x"))
	f.Add("t=,v1=", []byte(""))
	f.Add("v1=abc,t=99999999999999999999", []byte("x"))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		err := escalation.Verify("k", header, body, now, time.Hour)
		if err == nil && escalation.Verify("other secret", header, body, now, time.Hour) == nil {
			t.Fatalf("header %q verifies under two secrets", header)
		}
	})
}
