package webchat_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/connectors/webchat/webchattest"
)

const W = webchattest.W

// recordStreaming installs an observer that counts how often the reply
// being written changes, and whether the typing indicator showed, so a
// test can tell a streamed reply from one that arrived whole.
const recordStreaming = `(() => {
	const r = ` + W + `;
	window.__updates = 0; window.__typing = false;
	new MutationObserver(() => {
		if (r.querySelector(".msg.streaming")) window.__updates++;
		if (!r.querySelector(".typing").hidden) window.__typing = true;
	}).observe(r, {subtree: true, childList: true, characterData: true, attributes: true});
	return true;
})()`

func TestBrowser(t *testing.T) {
	env := webchattest.Start(t, testConfig(), webchattest.Options{})
	// A reply streamed in pieces, as from an LLM, with a pause between them.
	env.Handler.SetStream(webchattest.Engine(env.Library, 25*time.Millisecond))
	b := webchattest.NewBrowser(t)
	tab := b.Tab()
	question := "Why is my withdrawal still pending?"

	t.Run("AskStreamedCitedAnswer", func(t *testing.T) {
		tab := tab.For(t)
		tab.Navigate(env.URL + "/en/")
		tab.Wait("the widget", webchattest.WidgetReady)
		tab.Shot("01-home")
		tab.OpenWidget()
		tab.Eval(recordStreaming, nil)
		tab.Ask(question)
		tab.Wait("a cited answer", W+`.querySelector(".msg.bot[data-seq] .sources a.citation")`)
		tab.Shot("02-answer")
		link := tab.String(W + `.querySelector(".msg.bot[data-seq] a.citation").href`)
		if link != env.URL+"/en/articles/withdrawal-pending" {
			t.Errorf("citation links to %q", link)
		}
		if title := tab.String(W + `.querySelector(".msg.bot[data-seq] a.citation").textContent`); title != "Why is my withdrawal pending?" {
			t.Errorf("citation title %q", title)
		}
		if rel := tab.String(W + `.querySelector(".msg.bot[data-seq] a.citation").rel`); rel != "noopener noreferrer" {
			t.Errorf("citation rel %q", rel)
		}
		if text := tab.String(W + `.querySelector(".msg.bot[data-seq] .bubble").textContent`); !strings.Contains(text, "reviewed and sent in under 30 minutes") {
			t.Errorf("answer %q", text)
		}
		var updates int
		var typing bool
		tab.Eval(`window.__updates`, &updates)
		tab.Eval(`window.__typing`, &typing)
		if updates < 3 || !typing {
			t.Errorf("reply not streamed: %d partial updates, typing indicator shown: %v", updates, typing)
		}
	})

	t.Run("ReloadKeepsHistory", func(t *testing.T) {
		tab := tab.For(t)
		tab.Do(chromedp.Reload())
		tab.Wait("the history after reload", webchattest.CountText(".msg.user .bubble", question)+` === 1 && `+
			W+`.querySelector(".msg.bot[data-seq] a.citation")`)
		tab.Shot("03-after-reload")
		// Another tab of the same browser shows the same conversation and
		// follows it live.
		other := b.Tab().For(t)
		other.Navigate(env.URL + "/en/categories/withdrawals")
		other.OpenWidget()
		other.Wait("the history in a second tab", webchattest.CountText(".msg.user .bubble", question)+` === 1`)
		tab.Ask("How long does a withdrawal review take?")
		other.Wait("the new message pushed to the other tab",
			webchattest.CountText(".msg.user .bubble", "How long does a withdrawal review take?")+` === 1 && `+
				W+`.querySelectorAll(".msg.bot[data-seq]").length === 2`)
		other.Shot("04-second-tab")
		tab.Wait("the second answer", W+`.querySelectorAll(".msg.bot[data-seq]").length === 2`)
	})

	t.Run("Feedback", func(t *testing.T) {
		tab := tab.For(t)
		tab.Do(chromedp.Click(webchattest.In(".msg.bot[data-seq] .fb.down")))
		tab.Wait("the comment box", W+`.querySelector(".comment")`)
		tab.Do(chromedp.SendKeys(webchattest.In(".comment"), "It did not say how to cancel"))
		tab.Do(chromedp.Click(webchattest.In(".comment-form button")))
		tab.Wait("the thanks", W+`.querySelector(".msg.bot[data-seq] .thanks")`)
		tab.Shot("05-feedback")
		fs := env.Handler.Feedbacks()
		if len(fs) != 1 || fs[0].Helpful || fs[0].Comment != "It did not say how to cancel" || !strings.HasPrefix(fs[0].ReplyID, "r-") {
			t.Fatalf("engine got feedback %+v", fs)
		}
		var fb int
		var comment string
		if err := env.DB.QueryRow(context.Background(), `SELECT feedback, feedback_comment FROM webchat_messages WHERE client_id = ?`,
			fs[0].ReplyID).Scan(&fb, &comment); err != nil || fb != -1 || comment != "It did not say how to cancel" {
			t.Fatalf("stored feedback %d %q %v", fb, comment, err)
		}
		// After a reload the answer shows it was rated, so it is not rated twice.
		tab.Do(chromedp.Reload())
		tab.Wait("the rating after reload", W+`.querySelector(".msg.bot[data-seq] .thanks")`)
	})

	t.Run("SwitchLanguage", func(t *testing.T) {
		tab := tab.For(t)
		tab.Eval(`(() => { const s = `+W+`.querySelector("select.lang"); s.value = "zh-Hans"; s.dispatchEvent(new Event("change")); return true })()`, nil)
		tab.Wait("Chinese UI strings", W+`.querySelector("textarea.input").placeholder === "输入您的问题…" && `+
			W+`.querySelector(".human").textContent === "联系人工客服"`)
		tab.Wait("the engine's confirmation", webchattest.CountText(".msg.bot .bubble", "OK: 简体中文.")+` === 1`)
		tab.Ask("忘记密码了怎么办？")
		tab.Wait("a Chinese answer", `[...`+W+`.querySelectorAll("a.citation")].some(a => a.href.endsWith("/zh-Hans/articles/reset-password"))`)
		tab.Shot("06-chinese")
		ms := env.Handler.Messages()
		var sawCmd bool
		for _, m := range ms {
			sawCmd = sawCmd || (m.Command == supportbot.CmdLang && m.Text == "zh-Hans")
		}
		if last := ms[len(ms)-1]; !sawCmd || last.Lang != "zh-Hans" {
			t.Fatalf("engine did not get the switch: last %+v", last)
		}
		// The help center's own switcher goes to the same page in Japanese.
		tab.Navigate(env.URL + "/en/articles/withdrawal-pending")
		tab.CloseWidget()
		tab.Do(chromedp.Click(chromedp.CSS("#lang-switcher summary")), chromedp.Click(chromedp.CSS(`#lang-switcher a[data-lang="ja"]`)))
		tab.Wait("the Japanese article", `location.pathname === "/ja/articles/withdrawal-pending" && document.documentElement.lang === "ja"`)
		tab.Shot("07-japanese-article")
	})

	t.Run("SearchAndOpenResult", func(t *testing.T) {
		tab := tab.For(t)
		tab.Navigate(env.URL + "/en/")
		tab.Do(chromedp.SendKeys(chromedp.CSS(".hero input[name=q]"), "withdrawal pending\r"))
		tab.Wait("results", `document.querySelector(".results .result mark")`)
		tab.Shot("08-search")
		tab.Do(chromedp.Click(chromedp.CSS(".results .result a.result-title")))
		tab.Wait("the article", `document.querySelector("article h1")`)
		if h1 := tab.String(`document.querySelector("article h1").textContent`); h1 != "Why is my withdrawal pending?" {
			t.Errorf("opened %q", h1)
		}
	})

	t.Run("XSSShownAsText", func(t *testing.T) {
		tab := tab.For(t)
		payload := `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`
		tab.Navigate(env.URL + "/en/")
		tab.Ask(payload)
		tab.Wait("the payload as text", webchattest.CountText(".msg.user .bubble", payload)+` === 1`)
		// A reply carrying markup (as a prompt-injected LLM might write) is sanitized.
		env.Handler.SetStream(func(ctx context.Context, m supportbot.Message, emit func(string)) (supportbot.Reply, error) {
			text := "Try [this](javascript:window.__xss=3) <img src=x onerror=\"window.__xss=4\"> **now**"
			emit(text)
			return supportbot.Reply{Text: text, Decision: supportbot.DecisionAnswer}, nil
		})
		tab.Ask("show me")
		tab.Wait("the sanitized reply", `[...`+W+`.querySelectorAll(".msg.bot strong")].some(e => e.textContent === "now")`)
		tab.Navigate(env.URL + "/en/search?q=" + url.QueryEscape(`<script>window.__xss=5</script><img src=x onerror="window.__xss=6">`))
		tab.Wait("the search page", `document.querySelector(".results-title")`)
		if got := tab.String(`document.querySelector(".results-title").textContent`); !strings.Contains(got, `<script>window.__xss=5</script>`) {
			t.Errorf("query not shown as text: %q", got)
		}
		tab.Shot("09-xss-search")
		var xss any
		tab.Eval(`window.__xss ?? null`, &xss)
		if xss != nil {
			t.Fatalf("injected script ran: window.__xss = %v", xss)
		}
		// Back in the chat (same page load as the reply), nothing ran either.
		tab.Navigate(env.URL + "/en/")
		tab.Wait("the history", webchattest.CountText(".msg.user .bubble", payload)+` === 1`)
		tab.Eval(`window.__xss ?? null`, &xss)
		var imgs int
		tab.Eval(W+`.querySelectorAll(".messages img").length`, &imgs)
		if xss != nil || imgs != 0 {
			t.Fatalf("injected markup rendered: __xss=%v, %d images", xss, imgs)
		}
		var href string
		tab.Eval(`([...`+W+`.querySelectorAll(".msg.bot a")].find(a => a.textContent === "this") || {}).href || ""`, &href)
		if strings.HasPrefix(href, "javascript:") {
			t.Fatalf("javascript: link survived: %q", href)
		}
		tab.Shot("10-xss-chat")
	})

	t.Run("AttachmentsAndAgentReply", func(t *testing.T) { testAttachmentsAndAgent(t, env, tab.For(t)) })

	t.Run("NewConversationOnPhone", func(t *testing.T) {
		tab := tab.For(t)
		env.Handler.SetStream(webchattest.Engine(env.Library, 0))
		var before string
		tab.Eval(`JSON.parse(localStorage.getItem("supportbot:`+env.URL+`")).conversationId`, &before)
		tab.Do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		tab.Navigate(env.URL + "/en/")
		tab.OpenWidget()
		tab.Do(chromedp.Click(webchattest.In(".bar .new")))
		tab.Wait("an empty conversation", W+`.querySelectorAll(".msg[data-seq]").length === 0`)
		tab.Ask("How do I enable 2FA?")
		tab.Wait("an answer", W+`.querySelector(".msg.bot[data-seq] a.citation")`)
		tab.Shot("14-phone")
		var after string
		var panelWidth float64
		tab.Eval(`JSON.parse(localStorage.getItem("supportbot:`+env.URL+`")).conversationId`, &after)
		tab.Eval(W+`.querySelector(".panel").getBoundingClientRect().width`, &panelWidth)
		if after == before || after == "" {
			t.Fatalf("conversation %q did not change", after)
		}
		if panelWidth != 390 {
			t.Errorf("on a phone the chat should fill the screen: width %v", panelWidth)
		}
		tab.Do(chromedp.EmulateReset())
	})
}

// testAttachmentsAndAgent is the last step of TestBrowser: files are
// attached (and refused, clearly, when too large or not an image or PDF
// by content), an agent's reply arrives live, and its CSAT stars rate
// the ticket.
func testAttachmentsAndAgent(t *testing.T, env *webchattest.Env, tab *webchattest.Tab) {
	dir := t.TempDir()
	files := map[string][]byte{
		"screenshot.png": pngBytes,
		"notes.png":      []byte("<html><body>not an image at all</body></html>"),
		"huge.pdf":       append([]byte("%PDF-1.4\n"), make([]byte, 6<<20)...),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	upload := func(name string) {
		tab.Do(chromedp.SetUploadFiles(webchattest.In(`input[type="file"]`), []string{filepath.Join(dir, name)}))
	}
	tab.Navigate(env.URL + "/en/")
	tab.OpenWidget()
	// Back to English (the visitor chose Chinese earlier), through the
	// widget's page API.
	tab.Eval(`(() => { window.Supportbot.setLanguage("en"); return true })()`, nil)
	upload("huge.pdf")
	tab.Wait("the size error", W+`.querySelector(".notice")?.textContent === "That is too large: the limit is 5 MB."`)
	upload("notes.png")
	tab.Wait("the type error", W+`.querySelector(".notice")?.textContent.startsWith("Only images (PNG, JPEG, GIF, WebP) and PDF files")`)
	tab.Shot("11-attachment-refused")
	upload("screenshot.png")
	tab.Wait("the attachment chip", W+`.querySelector(".chips .file-chip")`)
	tab.Ask("My deposit has not arrived, here is a screenshot")
	tab.Wait("the image in the conversation", W+`.querySelector(".msg.user .file img")`)
	ms := env.Handler.Messages()
	if a := ms[len(ms)-1].Attachments; len(a) != 1 || a[0].ContentType != "image/png" || a[0].Name != "screenshot.png" {
		t.Fatalf("engine got attachments %+v", a)
	}

	// An agent answers from the console while the chat is closed: a badge
	// on the launcher shows it, and the reply is there on opening.
	tab.CloseWidget()
	var conv string
	tab.Eval(`JSON.parse(localStorage.getItem("supportbot:`+env.URL+`")).conversationId`, &conv)
	err := env.Server.Send(context.Background(), supportbot.Address{Channel: "webchat", ConversationID: conv},
		supportbot.Reply{ID: "agent-7", Text: "Hi, this is Ana. Your deposit is credited now. Please rate our help.",
			Decision: supportbot.DecisionAgent, TicketID: "42",
			Actions: []supportbot.Action{{Kind: "csat:1"}, {Kind: "csat:2"}, {Kind: "csat:3"}, {Kind: "csat:4"}, {Kind: "csat:5"}}})
	if err != nil {
		t.Fatal(err)
	}
	tab.Wait("the unread badge", `!`+W+`.querySelector(".launcher .badge").hidden && `+W+`.querySelector(".launcher .badge").textContent === "1"`)
	tab.Shot("12-unread-badge")
	tab.OpenWidget()
	tab.Wait("the agent's reply", W+`.querySelector(".msg.agent .who")?.textContent === "Support agent" && `+W+`.querySelectorAll(".msg.agent .star").length === 5`)
	tab.Shot("13-agent-reply")
	tab.Do(chromedp.Click(webchattest.In(`.msg.agent .star[data-score="4"]`)))
	tab.Wait("the rating thanks", W+`.querySelector(".msg.agent .csat")?.textContent === "Thanks for rating us!"`)
	if rs := env.Rater.Ratings(); len(rs) != 1 || rs[0].TicketID != 42 || rs[0].Score != 4 {
		t.Fatalf("ratings %+v", rs)
	}
}

// TestBrowserEmbeddedElsewhere embeds the widget with one script tag in a
// page of another origin, with a signed identity, as an exchange would.
func TestBrowserEmbeddedElsewhere(t *testing.T) {
	env := webchattest.Start(t, testConfig(), webchattest.Options{})
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		user := r.URL.Query().Get("user")
		hash := sign(user)
		if r.URL.Query().Get("forge") != "" {
			hash = sign("someone-else")
		}
		fmt.Fprintf(w, `<!doctype html><html><head><title>Kestrel Exchange</title></head><body style="font-family:sans-serif">
<h1>Kestrel Exchange</h1><p>Trade anything.</p>
<script src="%s/webchat/widget.js" data-user-id="%s" data-user-hash="%s" data-lang="es" defer></script></body></html>`, env.URL, user, hash)
	}))
	t.Cleanup(shop.Close)
	b := webchattest.NewBrowser(t)
	tab := b.Tab()

	tab.Navigate(shop.URL + "/?user=u-77")
	tab.Wait("the Spanish widget", webchattest.WidgetReady+` && `+W+`.querySelector("textarea.input").placeholder === "Escribe tu pregunta…"`)
	tab.Ask("How do I enable 2FA?")
	tab.Wait("an answer", W+`.querySelector(".msg.bot[data-seq] a.citation")`)
	tab.Shot("01-embedded")
	ms := env.Handler.Messages()
	if last := ms[len(ms)-1]; last.Account != "u-77" || last.HintLang != "es" {
		t.Fatalf("engine got %+v", last)
	}
	if href := tab.String(W + `.querySelector(".msg.bot[data-seq] a.citation").href`); !strings.HasPrefix(href, env.URL+"/") {
		t.Fatalf("citation points at %q, not the help center", href)
	}

	// Another user logs in on the same browser: the previous user's
	// conversation is not shown to them.
	tab.Navigate(shop.URL + "/?user=u-78")
	tab.OpenWidget()
	tab.Wait("a fresh conversation", W+`.querySelectorAll(".msg[data-seq]").length === 0 && !`+W+`.querySelector(".panel").hidden`)

	// A forged signature is refused with a clear message.
	tab.Navigate(shop.URL + "/?user=u-79&forge=1")
	tab.Ask("hello")
	tab.Wait("the identity error", W+`.querySelector(".notice")?.textContent.includes("No pudimos verificar tu sesión")`)
	tab.Shot("02-forged-identity")
	for _, m := range env.Handler.Messages() {
		if m.Account == "u-79" || m.Text == "hello" {
			t.Fatalf("forged identity reached the engine: %+v", m)
		}
	}
}
