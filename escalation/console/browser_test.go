package console_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/escalation/console"
)

const chromiumPath = "/usr/lib/chromium/chromium"

// browser starts headless Chromium (Debian's; scripts/test.sh installs it)
// with a fresh profile and returns a tab context.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium is not installed at %s", chromiumPath)
		}
		t.Skipf("chromium is not installed at %s (apt-get install chromium)", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("window-size", "1280,900"),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// artifacts is where screenshots go: $SUPPORTBOT_ARTIFACTS if set (kept
// by CI), else the test's temp dir.
func artifacts(t *testing.T) string {
	dir := os.Getenv("SUPPORTBOT_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	dir = filepath.Join(dir, "escalation-console")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// logIn opens the console at base and logs in as the site's admin.
func logIn(base string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/console/"),
		chromedp.WaitVisible(chromedp.CSS("#login-form")),
		chromedp.SendKeys(chromedp.CSS("#email"), "admin@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), adminPassword),
		chromedp.Click(chromedp.CSS("#login-submit")),
	)
}

// waitText waits until the element's text contains want.
func waitText(sel, want string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](fmt.Sprintf(`(document.querySelector(%q) || {}).innerText && document.querySelector(%q).innerText.includes(%q)`,
		sel, sel, want), chromedp.WithPollingTimeout(20*time.Second))
}

// TestBrowserAgentFlow: an agent logs in, sees the escalated ticket in the
// queue, opens it, replies (the reply reaches the user's channel), sees a
// new user message arrive without reloading, and solves the ticket.
func TestBrowserAgentFlow(t *testing.T) {
	s := newSite(t, console.Options{})
	ctx := browser(t) // cleaned up before the site: its live stream must end first
	dir := artifacts(t)
	s.ch.sent = make(chan supportbot.Reply, 10)
	runCtx, stop := context.WithCancel(context.Background())
	defer stop()
	go s.svc.Run(runCtx)
	tk := s.escalate(t, "visitor-1", "Deposit not credited <b>after 2h</b>", "I sent 0.5 ETH two hours ago and it is not in my account")

	err := chromedp.Do(ctx,
		logIn(s.URL),
		chromedp.WaitVisible(chromedp.CSS(".ticket-row")),
		waitText("#queue", "Deposit not credited <b>after 2h</b>"),
	)
	if err != nil {
		t.Fatalf("log in and see the queue: %v", err)
	}
	screenshot(t, ctx, dir, "1-queue.png")

	// A new escalation shows up in the open queue without a reload.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__queueMarker = true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`document.body.dataset.live === "connected"`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("live events never connected: %v", err)
	}
	s.escalate(t, "visitor-2", "Withdrawal to wrong network", "I picked the wrong network")
	if err := chromedp.Do(ctx, waitText("#queue", "Withdrawal to wrong network")); err != nil {
		t.Fatalf("the queue did not update live: %v", err)
	}
	if still, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__queueMarker === true`)); err != nil || !still {
		t.Fatalf("the queue page reloaded (%v)", err)
	}

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`tr[data-ticket="%d"] a.subject`, tk.ID))),
		chromedp.WaitVisible(chromedp.CSS("#reply-text")),
		waitText("#thread", "I sent 0.5 ETH"),
	)
	if err != nil {
		t.Fatalf("open the ticket: %v", err)
	}
	screenshot(t, ctx, dir, "2-ticket.png")

	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#reply-text"), "Hi! I can see the deposit on chain; it needs 12 confirmations."),
		chromedp.Click(chromedp.CSS("#reply-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")), // the page after the post
		waitText("#thread", "it needs 12 confirmations"),
		waitText("#status-badge", "Open"),
	)
	if err != nil {
		t.Fatalf("reply: %v", err)
	}
	select {
	case r := <-s.ch.sent:
		if !strings.Contains(r.Text, "it needs 12 confirmations") || r.TicketID != fmt.Sprint(tk.ID) {
			t.Fatalf("delivered %+v", r)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the reply was not delivered to the user's channel")
	}
	if err := chromedp.Do(ctx, waitText("#thread", "delivered")); err != nil {
		t.Fatalf("delivery state not shown: %v", err)
	}

	// Live update: the user writes; the page shows it without a reload
	// (the marker set on the window survives).
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__noReload = true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`document.body.dataset.live === "connected"`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("live events never connected: %v", err)
	}
	if err := s.svc.AddMessage(context.Background(), tk.ID, supportbot.Message{ID: "live-1", Channel: "webchat",
		UserID: "visitor-1", Text: "Thanks, I will wait <script>alert(1)</script>"}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, waitText("#thread", "Thanks, I will wait <script>alert(1)</script>")); err != nil {
		t.Fatalf("live update: %v", err)
	}
	if still, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__noReload === true`)); err != nil || !still {
		t.Fatalf("the page reloaded (%v)", err)
	}
	screenshot(t, ctx, dir, "3-live-update.png")

	// The flash of the reply's page goes, so that waiting for a flash
	// waits for the next page.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(".flash").remove(), true`)); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#status-select"), "solved"),
		chromedp.Click(chromedp.CSS("#status-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		waitText("#status-badge", "Solved"),
	)
	if err != nil {
		t.Fatalf("solve: %v", err)
	}
	screenshot(t, ctx, dir, "4-solved.png")
	got, _ := s.svc.Ticket(context.Background(), tk.ID)
	if got.Status != supportbot.StatusSolved {
		t.Fatalf("status %s", got.Status)
	}
	// The user is told, and asked for a rating.
	deadline := time.After(20 * time.Second)
	for csat := false; !csat; {
		select {
		case r := <-s.ch.sent:
			csat = len(r.Actions) == 5 && r.Actions[4].Kind == "csat:5"
		case <-deadline:
			t.Fatal("no CSAT request after solving")
		}
	}
}
