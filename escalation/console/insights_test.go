package console_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/bot"
	"github.com/supportbot/supportbot/escalation/console"
	"github.com/supportbot/supportbot/internal/sqldb"
	"github.com/supportbot/supportbot/internal/sqldb/sqldbtest"
)

// botStore returns a bot store holding a day of the bot's work: two
// answers, a clarifying question and two escalations (one of them of a
// question whose text is markup), in three languages and two channels.
func botStore(t *testing.T) *bot.Store {
	t.Helper()
	ctx := context.Background()
	st, err := bot.OpenStore(ctx, sqldbtest.Open(t, sqldb.SQLite))
	if err != nil {
		t.Fatal(err)
	}
	for i, ex := range []struct {
		channel, lang, text string
		d                   supportbot.Decision
		reason, article     string
	}{
		{"webchat", "en", "how do I reset my password", supportbot.DecisionAnswer, "answered", "reset-password"},
		{"telegram", "ja", "パスワードを忘れました", supportbot.DecisionAnswer, "answered", "reset-password"},
		{"telegram", "ja", "入金", supportbot.DecisionClarify, "vague_question", ""},
		{"webchat", "es", `<img src=x onerror="document.title='pwned'"> ¿staking de NFT?`, supportbot.DecisionEscalate, "low_confidence", ""},
		{"webchat", "en", "hello", supportbot.DecisionSmallTalk, "greeting", ""},
		{"webchat", "en", "my account was hacked", supportbot.DecisionEscalate, "account_compromised", ""},
	} {
		r := supportbot.Reply{ID: fmt.Sprint("r", i), Text: "reply", Lang: ex.lang, Decision: ex.d, Reason: ex.reason}
		if ex.article != "" {
			r.Citations = []supportbot.Citation{{ArticleID: ex.article}}
		}
		m := supportbot.Message{Channel: ex.channel, UserID: "u", ConversationID: fmt.Sprint("c", i), Text: ex.text}
		if err := st.SaveExchange(ctx, m, r); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// TestInsightsNeedsStore: without a bot store the console has no insights
// page, API or link; with one, the API gives the figures for a period it
// offers, and the page needs a session.
func TestInsightsNeedsStore(t *testing.T) {
	s := newSite(t, console.Options{})
	c := s.client(t)
	c.login(t, "admin@example.com", adminPassword)
	if resp, _ := c.get(t, "/console/insights"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("insights without a store: %d", resp.StatusCode)
	}
	if _, page := c.get(t, "/console/"); strings.Contains(page, `href="/console/insights"`) {
		t.Error("the menu links to a page that is not there")
	}
	if resp, _ := c.api(t, "GET", "/console/api/insights", nil, false); resp.StatusCode != http.StatusNotFound {
		t.Errorf("insights API without a store: %d", resp.StatusCode)
	}
	s = newSite(t, console.Options{Insights: botStore(t)})
	c = s.client(t)
	c.login(t, "admin@example.com", adminPassword)
	resp, out := c.api(t, "GET", "/console/api/insights?days=7", nil, false)
	act, _ := out["activity"].(map[string]any)
	total, _ := act["total"].(map[string]any)
	un, _ := out["unanswered"].([]any)
	days, _ := act["days"].([]any)
	if resp.StatusCode != http.StatusOK || out["days"] != 7.0 || total["answered"] != 2.0 || total["escalated"] != 2.0 ||
		len(days) != 7 || len(un) != 1 {
		t.Errorf("insights API: %d %v", resp.StatusCode, out)
	}
	if q, _ := un[0].(map[string]any); q["text"] == nil || q["closest"] != nil {
		t.Errorf("an unanswered question without a retriever: %v", un[0])
	}
	if resp, _ := c.api(t, "GET", "/console/api/insights?days=8", nil, false); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("days=8: %d", resp.StatusCode)
	}
	// Days in a time zone: midnight there, the zone named.
	resp, out = c.api(t, "GET", "/console/api/insights?days=7&tz=Asia/Kolkata", nil, false)
	act, _ = out["activity"].(map[string]any)
	days, _ = act["days"].([]any)
	if resp.StatusCode != http.StatusOK || out["tz"] != "Asia/Kolkata" || len(days) != 7 ||
		!strings.HasSuffix(days[0].(map[string]any)["day"].(string), "T00:00:00+05:30") {
		t.Errorf("insights API in Asia/Kolkata: %d %v", resp.StatusCode, out)
	}
	for _, tz := range []string{"Mars/Olympus_Mons", "../../etc/passwd", "/etc/localtime"} {
		if resp, _ := c.api(t, "GET", "/console/api/insights?tz="+tz, nil, false); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("tz=%s: %d", tz, resp.StatusCode)
		}
	}
	s = newSite(t, console.Options{Insights: botStore(t)})
	if resp, _ := s.client(t).get(t, "/console/insights"); resp.StatusCode != http.StatusSeeOther ||
		!strings.HasPrefix(resp.Header.Get("Location"), "/console/login") {
		t.Errorf("insights without a session: %d to %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestBrowserInsights: an agent opens the insights page from the menu and
// sees the figures, one column a day for the chosen period, bars by
// language, and the unanswered question as text, not markup; the page
// follows the console's language.
func TestBrowserInsights(t *testing.T) {
	s := newSite(t, console.Options{Insights: botStore(t)})
	ctx := browser(t)
	dir := artifacts(t)
	err := chromedp.Do(ctx,
		logIn(s.URL),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/console/insights"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/console/insights"]`)),
		chromedp.WaitVisible(chromedp.CSS("#chart-days svg")),
	)
	if err != nil {
		t.Fatalf("open insights: %v", err)
	}
	screenshot(t, ctx, dir, "insights.png")
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	for js, want := range map[string]string{
		`document.querySelector("#card-questions .figure").textContent`:                                                          "5", // small talk is not a question
		`document.querySelector("#card-answered .figure").textContent`:                                                           "40%",
		`document.querySelector("#card-escalated .figure").textContent`:                                                          "2",
		`String(document.querySelectorAll("#chart-days g.day").length)`:                                                          "30",
		`[...document.querySelectorAll("#chart-days g.day")].pop().dataset.questions`:                                            "5",
		`[...document.querySelectorAll("#chart-languages g.row")].map(g => g.dataset.key + ":" + g.dataset.questions).join(",")`: "en:2,ja:2,es:1",
		`[...document.querySelectorAll("#chart-reasons g.row")].map(g => g.dataset.key).join(",")`:                               "account_compromised,low_confidence",
		`String(document.querySelectorAll("#unanswered-list img").length)`:                                                       "0",
		`document.title.includes("pwned") ? "pwned" : "safe"`:                                                                    "safe",
	} {
		if got := eval(js); got != want {
			t.Errorf("%s = %q, want %q", js, got, want)
		}
	}
	if got := eval(`document.querySelector("#unanswered-list").innerText`); !strings.Contains(got, `<img src=x onerror="document.title='pwned'"> ¿staking de NFT?`) {
		t.Errorf("the unanswered question is not shown as text: %q", got)
	}
	// A mark's tooltip carries its figures.
	if got := eval(`document.querySelector("#chart-articles g.row title").textContent`); !strings.Contains(got, "2 answered") {
		t.Errorf("article tooltip %q", got)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.periods a[href*="days=7"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.periods a.current[href*="days=7"]`)),
	)
	if err != nil {
		t.Fatalf("choose a week: %v", err)
	}
	if n := eval(`String(document.querySelectorAll("#chart-days g.day").length)`); n != "7" {
		t.Errorf("%s columns for a week", n)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/console/lang?l=ja&next=/console/insights"),
		chromedp.WaitVisible(chromedp.CSS("#chart-days svg")),
	)
	if err != nil {
		t.Fatalf("switch to Japanese: %v", err)
	}
	if h := eval(`document.querySelector(".insights h1").textContent`); h == "Insights" || h == "" {
		t.Errorf("the Japanese page is titled %q", h)
	}
	screenshot(t, ctx, dir, "insights-ja.png")

	// The days are the browser's: in Auckland the page asks for them there.
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Pacific/Auckland"}); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/console/insights?days=7"),
		chromedp.WaitVisible(chromedp.CSS(`#tz[data-tz="Pacific/Auckland"]`)),
	)
	if err != nil {
		t.Fatalf("insights in Auckland: %v", err)
	}
	if got := eval(`location.search + " " + document.querySelector(".periods a").getAttribute("href")`); !strings.Contains(got, "tz=Pacific%2FAuckland") ||
		!strings.Contains(got, "days=30&tz=Pacific%2fAuckland") {
		t.Errorf("the page and its period links are not in Auckland time: %s", got)
	}
	if n := eval(`String(document.querySelectorAll("#chart-days g.day").length)`); n != "7" {
		t.Errorf("%s columns for a week in Auckland", n)
	}
}
