package escalation_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/escalation"
)

func TestEscalate(t *testing.T) { dialects(t, testEscalate) }

func testEscalate(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		e := newEnv(t, escalation.Config{})
		tk := mustEscalate(t, e.svc, esc("u1", "c1", "I want a human please"))
		if tk.ID == 0 || tk.Status != supportbot.StatusNew || tk.Priority != supportbot.PriorityNormal {
			t.Fatalf("ticket: %+v", tk)
		}
		if tk.Subject != "hello" || tk.Reason != "asked_for_human" || tk.Lang != "en" {
			t.Fatalf("subject %q reason %q lang %q", tk.Subject, tk.Reason, tk.Lang)
		}
		if got := escalation.ExpectedResponse(tk); got != 4*time.Hour {
			t.Fatalf("expected response %v, want the normal SLA 4h", got)
		}
		th, err := e.svc.Thread(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds, bodies []string
		for _, m := range th {
			kinds = append(kinds, m.Kind)
			bodies = append(bodies, m.Body)
		}
		// The triggering message is the transcript's last turn: stored once.
		if strings.Join(kinds, ",") != "user,bot,user" || bodies[2] != "I want a human please" {
			t.Fatalf("thread kinds %v bodies %q", kinds, bodies)
		}
		evs, _ := e.svc.Events(ctx, tk.ID)
		if len(evs) < 2 || evs[0].Type != escalation.EventCreated || evs[0].Actor != "bot" ||
			evs[0].Detail["reason"] != "asked_for_human" {
			t.Fatalf("events %+v", evs)
		}
	})
	t.Run("DedupeOpenTicket", func(t *testing.T) {
		e := newEnv(t, escalation.Config{})
		a := mustEscalate(t, e.svc, esc("u1", "c1", "first"))
		second := esc("u1", "c1", "my account was hacked")
		second.Reason, second.Priority = "account_compromised", supportbot.PriorityUrgent
		b := mustEscalate(t, e.svc, second)
		if a.ID != b.ID {
			t.Fatalf("second escalation opened ticket %d, want %d", b.ID, a.ID)
		}
		if b.Priority != supportbot.PriorityUrgent || !b.FirstResponseDue.Equal(a.CreatedAt.Add(15*time.Minute)) {
			t.Fatalf("priority %s due %v: want raised to urgent with its SLA", b.Priority, b.FirstResponseDue)
		}
		// A less urgent escalation never lowers the priority.
		third := esc("u1", "c1", "also this")
		third.Priority = supportbot.PriorityLow
		if c := mustEscalate(t, e.svc, third); c.Priority != supportbot.PriorityUrgent {
			t.Fatalf("priority lowered to %s", c.Priority)
		}
		th, _ := e.svc.Thread(ctx, a.ID)
		if n := len(th); n != 5 { // hello, bot, first, hacked, also this
			t.Fatalf("thread has %d messages, want 5", n)
		}
		// Another conversation of the same user is another ticket.
		if d := mustEscalate(t, e.svc, esc("u1", "c2", "x")); d.ID == a.ID {
			t.Fatal("another conversation reused the ticket")
		}
	})
	t.Run("DedupeConcurrent", func(t *testing.T) {
		e := newEnv(t, escalation.Config{})
		var wg sync.WaitGroup
		ids := make([]int64, 8)
		errs := make([]error, 8)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tk, err := e.svc.Escalate(ctx, esc("u1", "c1", "help"))
				errs[i] = err
				if tk != nil {
					ids[i] = tk.ID
				}
			}()
		}
		wg.Wait()
		for i := range ids {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Fatalf("escalation %d: id %d err %v, want all %d", i, ids[i], errs[i], ids[0])
			}
		}
		all, _ := e.svc.ListTickets(ctx, escalation.Filter{})
		if len(all) != 1 {
			t.Fatalf("%d tickets, want 1", len(all))
		}
	})
	t.Run("UrgentForHackedAccount", func(t *testing.T) {
		e := newEnv(t, escalation.Config{})
		x := esc("u1", "c1", "someone withdrew my BTC")
		x.Reason = "account_compromised"
		if tk := mustEscalate(t, e.svc, x); tk.Priority != supportbot.PriorityUrgent {
			t.Fatalf("priority %s, want urgent", tk.Priority)
		}
	})
	t.Run("ErrMissingUser", func(t *testing.T) {
		e := newEnv(t, escalation.Config{})
		x := esc("", "c1", "x")
		if _, err := e.svc.Escalate(ctx, x); code(err) != supportbot.EINVALID {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("BadAttachmentStillOpensTicket", func(t *testing.T) {
		e := newEnv(t, escalation.Config{})
		x := esc("u1", "c1", "see file")
		x.Message.Attachments = []supportbot.Attachment{{Name: "evil.png", Data: []byte("#!/bin/sh\nrm -rf /\n")}}
		x.Message.Attachments[0].Data = append([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0}, make([]byte, 64)...)
		tk := mustEscalate(t, e.svc, x)
		as, _ := e.svc.Attachments(ctx, tk.ID)
		th, _ := e.svc.Thread(ctx, tk.ID)
		if len(as) != 0 || !strings.Contains(th[len(th)-1].Body, "not accepted") {
			t.Fatalf("attachments %v, last message %q", as, th[len(th)-1].Body)
		}
	})
}

func TestAddMessage(t *testing.T) { dialects(t, testAddMessage) }

func testAddMessage(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, escalation.Config{MaxAttachmentBytes: 1000})
	tk := mustEscalate(t, e.svc, esc("u1", "c1", "help"))
	msg := func(u, text string, as ...supportbot.Attachment) supportbot.Message {
		return supportbot.Message{ID: "x-" + text, Channel: "webchat", UserID: u, ConversationID: "c1", Text: text, Attachments: as}
	}
	for _, c := range []struct {
		name string
		m    supportbot.Message
		want string
	}{
		{"ErrOtherUser", msg("u2", "let me in"), supportbot.ENOTFOUND},
		{"ErrInvalidUTF8", msg("u1", "bad \xff\xfe"), supportbot.EINVALID},
		{"ErrTooLong", msg("u1", strings.Repeat("a", 33<<10)), supportbot.ETOOLARGE},
		{"ErrAttachmentTooLarge", msg("u1", "big", supportbot.Attachment{Name: "a.png", Data: append(png1x1, make([]byte, 1000)...)}), supportbot.ETOOLARGE},
		// Named .png, claimed image/png, but the content is HTML: the
		// sniffed type decides.
		{"ErrTypeFromContent", msg("u1", "html", supportbot.Attachment{Name: "cat.png", ContentType: "image/png",
			Data: []byte("<html><script>alert(1)</script></html>")}), supportbot.EINVALID},
		{"ErrEmptyAttachment", msg("u1", "empty", supportbot.Attachment{Name: "a.txt"}), supportbot.EINVALID},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, _ := e.svc.Thread(ctx, tk.ID)
			if err := e.svc.AddMessage(ctx, tk.ID, c.m); code(err) != c.want {
				t.Fatalf("err %v, want %s", err, c.want)
			}
			after, _ := e.svc.Thread(ctx, tk.ID)
			if len(after) != len(before) {
				t.Fatal("a refused message was stored")
			}
		})
	}
	t.Run("OKWithAttachmentOnce", func(t *testing.T) {
		m := msg("u1", "screenshot", supportbot.Attachment{Name: "../../etc/shot.png", ContentType: "text/html", Data: png1x1})
		for i := 0; i < 2; i++ { // a redelivered message is stored once
			if err := e.svc.AddMessage(ctx, tk.ID, m); err != nil {
				t.Fatal(err)
			}
		}
		as, _ := e.svc.Attachments(ctx, tk.ID)
		if len(as) != 1 || as[0].ContentType != "image/png" || as[0].Name != "shot.png" || as[0].Size != int64(len(png1x1)) {
			t.Fatalf("attachments %+v", as)
		}
		sum := sha256.Sum256(png1x1)
		h := hex.EncodeToString(sum[:])
		if as[0].SHA256 != h {
			t.Fatalf("hash %s", as[0].SHA256)
		}
		data, err := os.ReadFile(filepath.Join(e.dir, "attachments", h[:2], h))
		if err != nil || string(data) != string(png1x1) {
			t.Fatalf("stored file: %v", err)
		}
		_, got, err := e.svc.OpenAttachment(ctx, as[0].ID)
		if err != nil || string(got) != string(png1x1) {
			t.Fatalf("open attachment: %v", err)
		}
		th, _ := e.svc.Thread(ctx, tk.ID)
		if last := th[len(th)-1]; last.Body != "screenshot" || len(last.Attachments) != 1 {
			t.Fatalf("last message %+v", last)
		}
	})
	t.Run("PendingGoesBackToOpen", func(t *testing.T) {
		if _, err := e.svc.Reply(ctx, e.admin, tk.ID, "Which coin?", supportbot.StatusPending); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.AddMessage(ctx, tk.ID, msg("u1", "BTC")); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.svc.Ticket(ctx, tk.ID); got.Status != supportbot.StatusOpen {
			t.Fatalf("status %s, want open", got.Status)
		}
	})
	t.Run("ErrClosed", func(t *testing.T) {
		if err := e.svc.SetStatus(ctx, e.admin, tk.ID, supportbot.StatusClosed); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.AddMessage(ctx, tk.ID, msg("u1", "more")); code(err) != supportbot.ECONFLICT {
			t.Fatalf("err %v", err)
		}
	})
}

func TestCanChangeStatus(t *testing.T) {
	S := func(s string) supportbot.Status { return supportbot.Status(s) }
	for _, c := range []struct {
		from, to string
		want     string
	}{
		{"new", "open", ""}, {"new", "solved", ""}, {"open", "pending", ""}, {"pending", "on_hold", ""},
		{"solved", "open", ""}, {"solved", "closed", ""}, {"open", "open", ""},
		{"open", "new", supportbot.ECONFLICT}, {"closed", "open", supportbot.ECONFLICT},
		{"closed", "solved", supportbot.ECONFLICT}, {"open", "deleted", supportbot.EINVALID},
	} {
		if got := code(escalation.CanChangeStatus(S(c.from), S(c.to))); got != c.want {
			t.Errorf("%s -> %s: %q, want %q", c.from, c.to, got, c.want)
		}
	}
}

func TestStatusChanges(t *testing.T) { dialects(t, testStatusChanges) }

func testStatusChanges(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, escalation.Config{})
	ch := &recChannel{name: "webchat"}
	e.channels["webchat"] = ch
	x := esc("u1", "c1", "help")
	x.Lang = "zh-Hans"
	tk := mustEscalate(t, e.svc, x)

	mid, err := e.svc.Reply(ctx, e.admin, tk.ID, "Hello, looking into it", "")
	if err != nil || mid == 0 {
		t.Fatal(err)
	}
	got, _ := e.svc.Ticket(ctx, tk.ID)
	if got.Status != supportbot.StatusOpen || !got.FirstResponseAt.Equal(e.clock.Now()) {
		t.Fatalf("after reply: status %s first response %v", got.Status, got.FirstResponseAt)
	}
	if err := e.svc.SetStatus(ctx, e.admin, tk.ID, supportbot.StatusSolved); err != nil {
		t.Fatal(err)
	}
	got, _ = e.svc.Ticket(ctx, tk.ID)
	if got.SolvedAt.IsZero() || got.Open() {
		t.Fatalf("solved ticket: %+v", got)
	}
	if _, err := e.svc.FindOpenTicket(ctx, "webchat", "c1"); code(err) != supportbot.ENOTFOUND {
		t.Fatalf("solved ticket still open: %v", err)
	}
	if _, err := e.svc.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	s := ch.Sent()
	if len(s) != 3 {
		t.Fatalf("sent %d replies, want reply + status notice + CSAT request: %+v", len(s), s)
	}
	if !strings.Contains(s[0].Reply.Text, "Hello, looking into it") || !strings.Contains(s[0].Reply.Text, "Ada Admin") ||
		s[0].Reply.Lang != "zh-Hans" || s[0].To.ConversationID != "c1" || s[0].Reply.Decision != supportbot.DecisionAgent {
		t.Fatalf("reply %+v", s[0])
	}
	if !strings.Contains(s[1].Reply.Text, "已解决") {
		t.Fatalf("status notice not in Chinese: %q", s[1].Reply.Text)
	}
	if acts := s[2].Reply.Actions; len(acts) != 5 || acts[0].Kind != "csat:1" || acts[4].Kind != "csat:5" {
		t.Fatalf("CSAT actions %+v", acts)
	}

	t.Run("Rate", func(t *testing.T) {
		if err := e.svc.RateTicket(ctx, tk.ID, "webchat", "u2", 5); code(err) != supportbot.ENOTFOUND {
			t.Fatalf("another user rated: %v", err)
		}
		if err := e.svc.RateTicket(ctx, tk.ID, "webchat", "u1", 9); code(err) != supportbot.EINVALID {
			t.Fatalf("score 9: %v", err)
		}
		if err := e.svc.RateTicket(ctx, tk.ID, "webchat", "u1", 4); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.svc.Ticket(ctx, tk.ID); got.CSAT != 4 {
			t.Fatalf("csat %d", got.CSAT)
		}
	})
	t.Run("NewEscalationAfterSolved", func(t *testing.T) {
		n := mustEscalate(t, e.svc, esc("u1", "c1", "again"))
		if n.ID == tk.ID {
			t.Fatal("escalation reused a solved ticket")
		}
		// Reopening the solved one now conflicts with the new open one.
		if err := e.svc.SetStatus(ctx, e.admin, tk.ID, supportbot.StatusOpen); code(err) != supportbot.ECONFLICT {
			t.Fatalf("reopen: %v", err)
		}
		if err := e.svc.RateTicket(ctx, n.ID, "webchat", "u1", 5); code(err) != supportbot.ECONFLICT {
			t.Fatalf("rated an open ticket: %v", err)
		}
	})
	t.Run("AutoClose", func(t *testing.T) {
		e.clock.Add(8 * 24 * time.Hour)
		cctx, cancel := context.WithCancel(ctx)
		done := make(chan error)
		go func() { done <- e.svc.Run(cctx) }()
		deadline := time.Now().Add(10 * time.Second)
		for {
			got, _ := e.svc.Ticket(ctx, tk.ID)
			if got.Status == supportbot.StatusClosed {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("status %s, want closed after 8 days", got.Status)
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}

func TestSLA(t *testing.T) { dialects(t, testSLA) }

func testSLA(t *testing.T) {
	ctx := context.Background()
	cfg := escalation.Config{SLA: escalation.SLAConfig{High: escalation.SLATarget{FirstResponse: 30 * time.Minute, Resolution: 2 * time.Hour}}}
	e := newEnv(t, cfg)
	t0 := e.clock.Now()
	for _, c := range []struct {
		prio    supportbot.Priority
		fr, res time.Duration
	}{
		{supportbot.PriorityUrgent, 15 * time.Minute, 4 * time.Hour},
		{supportbot.PriorityHigh, 30 * time.Minute, 2 * time.Hour}, // configured
		{supportbot.PriorityNormal, 4 * time.Hour, 24 * time.Hour},
		{supportbot.PriorityLow, 24 * time.Hour, 72 * time.Hour},
	} {
		x := esc("u-"+string(c.prio), "c-"+string(c.prio), "q")
		x.Priority = c.prio
		tk := mustEscalate(t, e.svc, x)
		if !tk.FirstResponseDue.Equal(t0.Add(c.fr)) || !tk.ResolutionDue.Equal(t0.Add(c.res)) {
			t.Errorf("%s: due %v / %v, want +%v / +%v", c.prio, tk.FirstResponseDue, tk.ResolutionDue, c.fr, c.res)
		}
	}

	t.Run("AdminOverride", func(t *testing.T) {
		agent, err := e.svc.CreateAgent(ctx, e.admin, "bob@example.com", "Bob", "a long password", escalation.RoleAgent)
		if err != nil {
			t.Fatal(err)
		}
		target := escalation.SLATarget{FirstResponse: 5 * time.Minute, Resolution: time.Hour}
		if err := e.svc.SetSLATarget(ctx, agent, supportbot.PriorityUrgent, target); code(err) != supportbot.EFORBIDDEN {
			t.Fatalf("agent changed SLA: %v", err)
		}
		if err := e.svc.SetSLATarget(ctx, e.admin, supportbot.PriorityUrgent, escalation.SLATarget{FirstResponse: time.Hour, Resolution: time.Minute}); code(err) != supportbot.EINVALID {
			t.Fatalf("resolution before first response accepted: %v", err)
		}
		if err := e.svc.SetSLATarget(ctx, e.admin, supportbot.PriorityUrgent, target); err != nil {
			t.Fatal(err)
		}
		x := esc("u9", "c9", "q")
		x.Priority = supportbot.PriorityUrgent
		tk := mustEscalate(t, e.svc, x)
		if !tk.FirstResponseDue.Equal(e.clock.Now().Add(5 * time.Minute)) {
			t.Fatalf("due %v", tk.FirstResponseDue)
		}
	})

	t.Run("PriorityChangeRecomputes", func(t *testing.T) {
		tk := mustEscalate(t, e.svc, esc("u10", "c10", "q"))
		e.clock.Add(time.Minute)
		if err := e.svc.SetPriority(ctx, e.admin, tk.ID, supportbot.PriorityLow); err != nil {
			t.Fatal(err)
		}
		got, _ := e.svc.Ticket(ctx, tk.ID)
		if !got.FirstResponseDue.Equal(tk.CreatedAt.Add(24*time.Hour)) || !got.ResolutionDue.Equal(tk.CreatedAt.Add(72*time.Hour)) {
			t.Fatalf("due %v %v: want counted from creation with low's targets", got.FirstResponseDue, got.ResolutionDue)
		}
		if err := e.svc.SetPriority(ctx, e.admin, tk.ID, "critical"); code(err) != supportbot.EINVALID {
			t.Fatalf("unknown priority: %v", err)
		}
	})

	t.Run("State", func(t *testing.T) {
		at := func(h float64) time.Time { return t0.Add(time.Duration(h * float64(time.Hour))) }
		tk := func(status supportbot.Status, firstAt, solvedAt time.Time) *supportbot.Ticket {
			return &supportbot.Ticket{Status: status, FirstResponseDue: at(1), ResolutionDue: at(8),
				FirstResponseAt: firstAt, SolvedAt: solvedAt}
		}
		var zero time.Time
		for _, c := range []struct {
			name     string
			t        *supportbot.Ticket
			now      time.Time
			fr, res  bool
			breached bool
			wantNext time.Time
		}{
			{"OnTime", tk("new", zero, zero), at(0.5), false, false, false, at(1)},
			{"FirstResponseLate", tk("new", zero, zero), at(2), true, false, true, at(1)},
			{"AnsweredInTime", tk("open", at(0.5), zero), at(2), false, false, false, at(8)},
			{"AnsweredLate", tk("open", at(1.5), zero), at(2), true, false, true, at(8)},
			{"ResolutionLate", tk("pending", at(0.5), zero), at(9), false, true, true, at(8)},
			{"SolvedInTime", tk("solved", at(0.5), at(7)), at(100), false, false, false, zero},
			{"SolvedLate", tk("solved", at(0.5), at(9)), at(100), false, true, false, zero},
			{"SolvedWithoutReply", tk("solved", zero, at(0.5)), at(100), false, false, false, zero},
		} {
			fr, res := escalation.SLAState(c.t, c.now)
			if fr != c.fr || res != c.res || escalation.Breached(c.t, c.now) != c.breached || !escalation.NextDue(c.t).Equal(c.wantNext) {
				t.Errorf("%s: state %v/%v breached %v next %v", c.name, fr, res, escalation.Breached(c.t, c.now), escalation.NextDue(c.t))
			}
		}
	})

	t.Run("QueueFilterBreached", func(t *testing.T) {
		before, _ := e.svc.ListTickets(ctx, escalation.Filter{Breached: true})
		e.clock.Add(20 * time.Minute) // past urgent's 15 min (the first urgent ticket) and the 5 min override
		after, _ := e.svc.ListTickets(ctx, escalation.Filter{Breached: true})
		if len(after) <= len(before) {
			t.Fatalf("breached %d then %d", len(before), len(after))
		}
		for _, tk := range after {
			if !escalation.Breached(tk, e.clock.Now()) {
				t.Errorf("ticket %d listed as breached but is not", tk.ID)
			}
		}
	})

	// Waiting on the user stops the clock: a pending ticket does not
	// breach while the user takes their time, its targets move on by the
	// pause when the user answers, and a change of priority keeps it.
	t.Run("PausedWhilePending", func(t *testing.T) {
		x := esc("u11", "c11", "q")
		x.Priority = supportbot.PriorityHigh // 30 min / 2 h
		tk := mustEscalate(t, e.svc, x)
		breached := func() bool {
			t.Helper()
			ts, err := e.svc.ListTickets(ctx, escalation.Filter{Breached: true})
			if err != nil {
				t.Fatal(err)
			}
			inList := slices.ContainsFunc(ts, func(b *supportbot.Ticket) bool { return b.ID == tk.ID })
			got, _ := e.svc.Ticket(ctx, tk.ID)
			if inList != escalation.Breached(got, e.clock.Now()) {
				t.Fatalf("the queue filter (%v) and Breached disagree", inList)
			}
			return inList
		}
		e.clock.Add(10 * time.Minute)
		if _, err := e.svc.Reply(ctx, e.admin, tk.ID, "Which coin and network?", supportbot.StatusPending); err != nil {
			t.Fatal(err)
		}
		e.clock.Add(5 * time.Hour) // the user answers the next morning
		if got, _ := e.svc.Ticket(ctx, tk.ID); got.SLAPausedAt.IsZero() || breached() {
			t.Fatalf("a ticket waiting on the user breached: %+v", got)
		}
		if err := e.svc.AddMessage(ctx, tk.ID, supportbot.Message{ID: "m11", Channel: "webchat", UserID: "u11", ConversationID: "c11", Text: "USDT on TRC20"}); err != nil {
			t.Fatal(err)
		}
		got, _ := e.svc.Ticket(ctx, tk.ID)
		if got.Status != supportbot.StatusOpen || !got.SLAPausedAt.IsZero() || !got.ResolutionDue.Equal(tk.ResolutionDue.Add(5*time.Hour)) {
			t.Fatalf("after the answer: status %s paused %v resolution due %v, want %v", got.Status, got.SLAPausedAt,
				got.ResolutionDue, tk.ResolutionDue.Add(5*time.Hour))
		}
		if err := e.svc.SetPriority(ctx, e.admin, tk.ID, supportbot.PriorityNormal); err != nil { // 4 h / 24 h
			t.Fatal(err)
		}
		got, _ = e.svc.Ticket(ctx, tk.ID)
		if want := tk.CreatedAt.Add(24*time.Hour + 5*time.Hour); !got.ResolutionDue.Equal(want) {
			t.Fatalf("after the priority change: resolution due %v, want %v", got.ResolutionDue, want)
		}
		e.clock.Add(23*time.Hour + 40*time.Minute) // 28 h 50 min after opening, 5 h of it paused
		if breached() {
			t.Fatal("breached before the moved target")
		}
		e.clock.Add(20 * time.Minute)
		if !breached() {
			t.Fatal("not breached after the moved target")
		}
	})
}

func TestListTickets(t *testing.T) { dialects(t, testListTickets) }

func testListTickets(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, escalation.Config{})
	a := mustEscalate(t, e.svc, esc("u1", "c1", "deposit missing"))
	x := esc("u2", "c2", "withdrawal stuck")
	x.Lang, x.Priority, x.Message.Channel = "ja", supportbot.PriorityUrgent, "telegram"
	b := mustEscalate(t, e.svc, x)
	if err := e.svc.Assign(ctx, e.admin, b.ID, e.admin.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetStatus(ctx, e.admin, a.ID, supportbot.StatusSolved); err != nil {
		t.Fatal(err)
	}
	ids := func(f escalation.Filter) []int64 {
		ts, err := e.svc.ListTickets(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, t := range ts {
			out = append(out, t.ID)
		}
		return out
	}
	eq := func(got []int64, want ...int64) bool {
		if len(got) != len(want) {
			return false
		}
		for i := range got {
			if got[i] != want[i] {
				return false
			}
		}
		return true
	}
	for _, c := range []struct {
		name string
		f    escalation.Filter
		want []int64
	}{
		{"All", escalation.Filter{}, []int64{b.ID, a.ID}},
		{"Active", escalation.Filter{Status: "active"}, []int64{b.ID}},
		{"Solved", escalation.Filter{Status: "solved"}, []int64{a.ID}},
		{"Lang", escalation.Filter{Lang: "ja"}, []int64{b.ID}},
		{"Channel", escalation.Filter{Channel: "webchat"}, []int64{a.ID}},
		{"Priority", escalation.Filter{Priority: supportbot.PriorityUrgent}, []int64{b.ID}},
		{"Assignee", escalation.Filter{Assignee: "1"}, []int64{b.ID}},
		{"Unassigned", escalation.Filter{Assignee: "none"}, []int64{a.ID}},
		{"Text", escalation.Filter{Text: "HELLO"}, []int64{b.ID, a.ID}},
		{"TextNumber", escalation.Filter{Text: "#1"}, []int64{a.ID}},
		{"TextLikeIsLiteral", escalation.Filter{Text: "%"}, nil},
	} {
		if got := ids(c.f); !eq(got, c.want...) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	mine, _ := e.svc.ListUserTickets(ctx, "webchat", "u1")
	if len(mine) != 1 || mine[0].ID != a.ID {
		t.Fatalf("user tickets %+v", mine)
	}
	if theirs, _ := e.svc.ListUserTickets(ctx, "telegram", "u1"); len(theirs) != 0 {
		t.Fatal("listed another channel's user's tickets")
	}
	if err := e.svc.SetTags(ctx, e.admin, a.ID, []string{"VIP", " lost funds ", "vip", "<b>"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.svc.Ticket(ctx, a.ID); strings.Join(got.Tags, ",") != "vip,lost-funds,b" {
		t.Fatalf("tags %q", got.Tags)
	}
}
