package webchattest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's chromium binary (the /usr/bin/chromium wrapper
// prints a shell warning on every start).
const ChromiumPath = "/usr/lib/chromium/chromium"

// Browser is a headless Chromium for a test, driven by chromedp.
type Browser struct {
	tb    testing.TB
	ctx   context.Context // the first tab; owns the browser process
	given bool            // whether Tab has handed out the first tab
	// Artifacts is the folder screenshots are saved in.
	Artifacts string
}

// NewBrowser starts headless Chromium with a fresh profile. It fails the
// test when Chromium is missing under CI, and skips it elsewhere
// (scripts/test.sh installs it). Screenshots go to $SUPPORTBOT_ARTIFACTS
// (or a temporary folder) under a folder named after the test.
func NewBrowser(tb testing.TB) *Browser {
	tb.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("browser tests need %s (apt-get install chromium): %v", ChromiumPath, err)
		}
		tb.Skipf("browser tests need %s (apt-get install chromium; scripts/test.sh does)", ChromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "en-US"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	tb.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first Run starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("start chromium: %v", err)
	}
	dir := os.Getenv("SUPPORTBOT_ARTIFACTS")
	if dir == "" {
		dir = tb.TempDir()
	}
	dir = filepath.Join(dir, regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(tb.Name(), "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	return &Browser{tb: tb, ctx: ctx, Artifacts: dir}
}

// Tab is one browser tab. Tabs of a Browser share its profile, so they
// share localStorage like the tabs of one person's browser.
type Tab struct {
	b   *Browser
	tb  testing.TB
	Ctx context.Context
}

// For returns the tab reporting failures to tb (a subtest).
func (t *Tab) For(tb testing.TB) *Tab {
	c := *t
	c.tb = tb
	return &c
}

// Tab opens a new tab. The first call returns the browser's first tab.
func (b *Browser) Tab() *Tab {
	if !b.given {
		b.given = true
		return &Tab{b: b, tb: b.tb, Ctx: b.ctx}
	}
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.tb.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.tb.Fatalf("open tab: %v", err)
	}
	return &Tab{b: b, tb: b.tb, Ctx: ctx}
}

// Do runs actions with a timeout, failing the test on error.
func (t *Tab) Do(actions ...chromedp.Action[chromedp.Void]) {
	t.tb.Helper()
	ctx, cancel := context.WithTimeout(t.Ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Shot("failure")
		t.tb.Fatalf("browser: %v", err)
	}
}

// Navigate opens url and waits for the page to load.
func (t *Tab) Navigate(url string) { t.tb.Helper(); t.Do(chromedp.Navigate(url)) }

// Eval evaluates a JavaScript expression and decodes its value into out
// (which may be nil).
func (t *Tab) Eval(expr string, out any) {
	t.tb.Helper()
	ctx, cancel := context.WithTimeout(t.Ctx, 30*time.Second)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr))
	if err != nil {
		t.Shot("failure")
		t.tb.Fatalf("eval %s: %v", expr, err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.tb.Fatalf("eval %s: decode %s: %v", expr, raw, err)
		}
	}
}

// String evaluates an expression that yields a string.
func (t *Tab) String(expr string) string {
	t.tb.Helper()
	var s string
	t.Eval(expr, &s)
	return s
}

// Wait polls a JavaScript expression until it is truthy, failing the test
// with what (and a screenshot) after 20 seconds. A navigation while
// waiting (a form submitted, a link followed) restarts the poll in the new
// page.
func (t *Tab) Wait(what, expr string) {
	t.tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithDeadline(t.Ctx, deadline)
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(20*time.Millisecond)))
		cancel()
		if err == nil {
			return
		}
		if navigated(err) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		t.Shot("timeout")
		t.tb.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

// navigated reports whether err means the page changed under a script.
func navigated(err error) bool {
	s := err.Error()
	return strings.Contains(s, "Cannot find context") || strings.Contains(s, "navigated or closed") ||
		strings.Contains(s, "context was destroyed") || strings.Contains(s, "Execution context")
}

// Shot saves a full-page screenshot as <artifacts>/<name>.png.
func (t *Tab) Shot(name string) string {
	ctx, cancel := context.WithTimeout(t.Ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.tb.Logf("screenshot %s: %v", name, err)
		return ""
	}
	p := filepath.Join(t.b.Artifacts, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.tb.Logf("save screenshot: %v", err)
	}
	return p
}

// W is a JavaScript expression for the widget's shadow root, to build
// selectors inside it: W+`.querySelector("textarea")`.
const W = `document.querySelector("supportbot-chat").shadowRoot`

// In returns a chromedp selector for the first element matching css in
// the widget's shadow root.
func In(css string) chromedp.JSPath {
	return chromedp.JSPath(fmt.Sprintf(`%s.querySelector(%q)`, W, css))
}

// Quote makes s a JavaScript string literal.
func Quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// WidgetReady is a JavaScript expression that is true once the widget is
// mounted and styled.
const WidgetReady = `!!document.querySelector("supportbot-chat[data-ready]")`

// OpenWidget waits for the widget and opens its panel if it is closed.
func (t *Tab) OpenWidget() {
	t.tb.Helper()
	t.Wait("the widget", WidgetReady)
	t.Eval(`(() => { const r = `+W+`; if (r.querySelector(".panel").hidden) r.querySelector(".launcher").click(); return true })()`, nil)
	t.Wait("the open panel", `!`+W+`.querySelector(".panel").hidden`)
}

// CloseWidget closes the widget's panel if it is open.
func (t *Tab) CloseWidget() {
	t.tb.Helper()
	t.Wait("the widget", WidgetReady)
	t.Eval(`(() => { const r = `+W+`; if (!r.querySelector(".panel").hidden) r.querySelector(".close").click(); return true })()`, nil)
}

// Ask opens the widget if needed, types text into it and sends it with
// Enter, as a person would.
func (t *Tab) Ask(text string) {
	t.tb.Helper()
	t.OpenWidget()
	t.Do(chromedp.SendKeys(In("textarea.input"), text), chromedp.SendKeys(In("textarea.input"), "\r"))
}

// CountText returns how many elements matching css in the widget have
// exactly text as their textContent.
func CountText(css, text string) string {
	return fmt.Sprintf(`[...%s.querySelectorAll(%q)].filter(e => e.textContent.trim() === %s).length`, W, css, Quote(strings.TrimSpace(text)))
}
