package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/supportbot/supportbot/connectors/webchat/webchattest"
	"github.com/supportbot/supportbot/internal/sqldb"
)

// TestE2EEscalation runs the whole app as `supportbot serve` with the
// first admin made by `supportbot agent add`, and drives two headless
// Chromium tabs: a visitor asks the web-chat widget for a human and gets a
// ticket number; an agent logs in to the console, finds the ticket in the
// queue, replies; the reply appears in the visitor's widget without a
// reload; the visitor's follow-up appears live in the console; the agent
// solves the ticket and the visitor rates it from the widget; the
// console's insights count the chat, and list the visitor's off-topic
// question as unanswered, with the article closest to it.
func TestE2EEscalation(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	ctx := context.Background()
	dataDir := demoDataDir(t)
	const password = "a long admin password"
	var out strings.Builder
	if err := Main(ctx, []string{"--data-dir", dataDir, "agent", "add", "--email", "ada@example.com", "--name", "Ada Agent"},
		strings.NewReader(password+"\n"), &out, io.Discard); err != nil {
		t.Fatalf("agent add: %v", err)
	}
	if !strings.Contains(out.String(), "created admin Ada Agent") {
		t.Fatalf("agent add said %q", out.String())
	}
	base := startServe(t, dataDir)
	b := webchattest.NewBrowser(t)
	visitor, agent := b.Tab(), b.Tab()
	W := webchattest.W
	threadHas := func(s string) string {
		return `(document.querySelector("#thread") || {innerText: ""}).innerText.includes(` + webchattest.Quote(s) + `)`
	}

	t.Run("VisitorAsksForHuman", func(t *testing.T) {
		v := visitor.For(t)
		v.Navigate(base + "/en/")
		v.Ask("I want to talk to a human agent about my account, please")
		v.Wait("the ticket number", `[...`+W+`.querySelectorAll(".msg.bot[data-seq]")].some(m => /#1\b/.test(m.textContent))`)
		v.Shot("01-visitor-escalated")
	})

	t.Run("AgentReplies", func(t *testing.T) {
		a := agent.For(t)
		a.Navigate(base + "/console/")
		a.Wait("the login form", `document.querySelector("#login-form")`)
		a.Do(chromedp.SendKeys(chromedp.CSS("#email"), "ada@example.com"),
			chromedp.SendKeys(chromedp.CSS("#password"), password),
			chromedp.Click(chromedp.CSS("#login-submit")))
		a.Wait("the ticket in the queue", `document.querySelector("tr.ticket-row[data-ticket='1']")`)
		a.Shot("02-console-queue")
		a.Do(chromedp.Click(chromedp.CSS(`tr[data-ticket="1"] a.subject`)))
		a.Wait("the transcript", threadHas("talk to a human agent"))
		a.Do(chromedp.SendKeys(chromedp.CSS("#reply-text"), "Hello, this is Ada. I have checked your account: all is well."),
			chromedp.Click(chromedp.CSS("#reply-submit")))
		a.Wait("the reply delivered", threadHas("all is well")+` && document.querySelector("#thread .delivery-delivered")`)
		a.Shot("03-console-replied")
	})

	t.Run("ReplyReachesWidget", func(t *testing.T) {
		v := visitor.For(t)
		v.Eval(`window.__noReload = true`, nil)
		v.Wait("the agent's reply", `[...`+W+`.querySelectorAll(".msg.agent")].some(m => m.textContent.includes("all is well"))`)
		var same bool
		v.Eval(`window.__noReload === true`, &same)
		if !same {
			t.Fatal("the visitor's page reloaded")
		}
		v.Shot("04-visitor-sees-reply")
	})

	t.Run("FollowUpLiveInConsole", func(t *testing.T) {
		a := agent.For(t)
		a.Eval(`window.__noReload = true`, nil)
		visitor.For(t).Ask("Thanks Ada! One more detail: I use the mobile app.")
		a.Wait("the follow-up without a reload", threadHas("I use the mobile app")+` && window.__noReload === true`)
	})

	t.Run("SolveAndRate", func(t *testing.T) {
		a := agent.For(t)
		a.Do(chromedp.SetValue(chromedp.CSS("#status-select"), "solved"), chromedp.Click(chromedp.CSS("#status-submit")))
		a.Wait("the solved badge", `(document.querySelector("#status-badge") || {}).textContent === "Solved"`)
		v := visitor.For(t)
		v.Wait("the rating stars", W+`.querySelector(".csat .star[data-score='5']")`)
		v.Shot("05-visitor-rates")
		v.Do(chromedp.Click(webchattest.In(`.csat .star[data-score="5"]`)))
		a.Wait("the rating in the console, live", `(document.querySelector("#csat") || {textContent: ""}).textContent.includes("5/5")`)
		a.Shot("06-console-rated")

		db, err := sqldb.Open(ctx, filepath.Join(dataDir, "supportbot.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var csat int
		var status string
		deadline := time.Now().Add(10 * time.Second)
		for {
			if err := db.QueryRow(ctx, `SELECT csat, status FROM esc_tickets WHERE id = 1`).Scan(&csat, &status); err != nil {
				t.Fatal(err)
			}
			if csat == 5 || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if csat != 5 || status != "solved" {
			t.Fatalf("ticket csat %d status %s", csat, status)
		}
	})

	t.Run("InsightsCountTheChat", func(t *testing.T) {
		// A question the help center does not answer, so the list of
		// unanswered questions has one, with the article closest to it.
		v := visitor.For(t)
		bots := `[...` + W + `.querySelectorAll(".msg.bot[data-seq]")].length`
		before := v.String(`String(` + bots + `)`)
		v.Ask("What is a good recipe for lasagna?")
		v.Wait("the reply to the off-topic question", bots+` > `+before)
		a := agent.For(t)
		a.Navigate(base + "/console/insights")
		a.Wait("the web chat's escalation for a person in the charts",
			`document.querySelector('#chart-channels g.row[data-key="webchat"]') && document.querySelector('#chart-reasons g.row[data-key="asked_for_human"]')`)
		a.Wait("the off-topic question among the unanswered, with its closest article and confidence",
			`[...document.querySelectorAll("#unanswered-list tr")].some(r => r.querySelector(".question")?.textContent.includes("lasagna") &&
				/^\S.+ \d+%$/.test(r.querySelector(".closest").textContent.trim()))`)
		a.Wait("the same in the insights API", `(() => {
			const x = new XMLHttpRequest();
			x.open("GET", "/console/api/insights", false);
			x.send();
			return JSON.parse(x.responseText).unanswered.some(q => q.text.includes("lasagna") &&
				q.closest && q.closest.article_id && q.closest.title && q.confidence > 0);
		})()`)
		a.Shot("07-console-insights")
	})
}
