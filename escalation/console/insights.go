package console

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/bot"
	"github.com/supportbot/supportbot/escalation"
)

// Insights is what the insights page reads: the bot's decisions and the
// questions it could not answer. *bot.Store implements it.
type Insights interface {
	Activity(ctx context.Context, since time.Time) (bot.Activity, error)
	Unanswered(ctx context.Context, since time.Time, limit int) ([]bot.UnansweredQuestion, error)
}

// insightPeriods are the periods the page offers, in days; the first is
// the default.
var insightPeriods = []int{30, 7, 90}

// unansweredLimit bounds the page's list of unanswered questions.
const unansweredLimit = 50

// period is what the insights page and API show: the last Days days in
// the time zone Loc.
type period struct {
	Days       int
	Loc        *time.Location
	A          bot.Activity
	Unanswered []gap
}

// gap is an unanswered question with the article the retriever finds
// closest to it, if any, and its confidence in that article. A close
// article means the help center may answer the question in other words
// (its example questions lack this wording); none, or a far one, means
// an article to write.
type gap struct {
	bot.UnansweredQuestion
	Closest    *closestArticle `json:"closest,omitempty"`
	Confidence float64         `json:"confidence,omitempty"`
}

type closestArticle struct {
	ArticleID string `json:"article_id"`
	Lang      string `json:"lang"`
	Title     string `json:"title"`
	URL       string `json:"url,omitempty"`
}

type insightsData struct {
	base
	period
	Periods []int
	// The charts, as inline SVG built by this package from numbers only.
	PerDay, Languages, Channels, Reasons, Articles template.HTML
}

// Pct formats a share as a whole percentage.
func (insightsData) Pct(x float64) string { return strconv.Itoa(int(math.Round(100*x))) + "%" }

// insights reads the period asked for (?days=, one of insightPeriods),
// in the time zone asked for (?tz=, an IANA name; UTC by default, and
// console.js asks for the browser's), and its activity and unanswered
// questions.
func (c *Console) insights(r *http.Request, now time.Time) (p period, err error) {
	if c.opts.Insights == nil {
		return p, supportbot.Errorf(supportbot.ENOTFOUND, "Not found.")
	}
	p.Loc = time.UTC
	if v := r.URL.Query().Get("tz"); v != "" {
		if p.Loc, err = time.LoadLocation(v); err != nil { // it refuses paths: "..", a leading "/"
			return p, supportbot.Errorf(supportbot.EINVALID, "tz must be an IANA time zone, such as Europe/Paris.")
		}
	}
	p.Days = insightPeriods[0]
	if v := r.URL.Query().Get("days"); v != "" {
		n, _ := strconv.Atoi(v)
		if !slices.Contains(insightPeriods, n) {
			return p, supportbot.Errorf(supportbot.EINVALID, "days must be one of %v.", insightPeriods)
		}
		p.Days = n
	}
	// Whole days, today included: the chart's columns are days.
	local := now.In(p.Loc)
	since := time.Date(local.Year(), local.Month(), local.Day()+1-p.Days, 0, 0, 0, 0, p.Loc)
	if p.A, err = c.opts.Insights.Activity(r.Context(), since); err != nil {
		return p, err
	}
	un, err := c.opts.Insights.Unanswered(r.Context(), since, unansweredLimit)
	if err != nil {
		return p, err
	}
	p.Unanswered = c.closest(r.Context(), un)
	return p, nil
}

// closest pairs each question with the article the retriever ranks first
// for it, within 3 s for the page (about 10 ms a question locally); the
// questions left when time runs out, or the retriever fails, have none.
func (c *Console) closest(ctx context.Context, un []bot.UnansweredQuestion) []gap {
	out := make([]gap, len(un))
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	for i, q := range un {
		out[i].UnansweredQuestion = q
		if c.opts.Retriever == nil || ctx.Err() != nil {
			continue
		}
		res, err := c.opts.Retriever.Retrieve(ctx, supportbot.Query{Text: q.Text, Lang: q.Lang, K: 1})
		if err != nil {
			c.opts.Log.WithError(err).Warn("console: finding the articles closest to unanswered questions failed")
			break
		}
		if len(res.Hits) > 0 {
			h := res.Hits[0]
			out[i].Closest = &closestArticle{ArticleID: h.ArticleID, Lang: h.Lang, Title: h.Title, URL: h.URL}
			out[i].Confidence = res.Confidence
		}
	}
	return out
}

// apiInsights serves the insights page's figures as JSON: {"days", "tz",
// "activity", "unanswered"}.
func (c *Console) apiInsights(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	p, err := c.insights(r, c.svc.Now())
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"days": p.Days, "tz": p.Loc.String(), "activity": p.A, "unanswered": p.Unanswered})
}

func (c *Console) insightsPage(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	d := insightsData{base: c.base(r, sess), Periods: insightPeriods}
	var err error
	if d.period, err = c.insights(r, d.Now); err != nil {
		c.fail(w, r, err)
		return
	}
	lang := d.Lang
	legend := [3]string{tr(lang, "legend_answered"), tr(lang, "legend_clarified"), tr(lang, "legend_escalated")}
	d.PerDay = dayChart(d.A.Days, legend, tr(lang, "questions_per_day"))
	d.Languages = barChart(halfW, d.A.ByLanguage, langName, legend, tr(lang, "by_language"))
	d.Channels = barChart(halfW, d.A.ByChannel, func(k string) string { return k }, legend, tr(lang, "by_channel"))
	d.Reasons = barChart(wideW, d.A.Reasons, func(k string) string { return reasonLabel(lang, k) }, legend, tr(lang, "escalation_reasons"))
	d.Articles = barChart(wideW, d.A.Articles, c.articleTitle(lang), legend, tr(lang, "top_articles"))
	c.render(w, r, "insights", http.StatusOK, d)
}

// reasonLabel names an escalation reason in lang; a reason without a
// translation is shown as it is recorded.
func reasonLabel(lang, reason string) string {
	if _, ok := messages["en"]["reason_"+reason]; ok {
		return tr(lang, "reason_"+reason)
	}
	if reason == "" {
		return "—"
	}
	return reason
}

// articleTitle returns a function that names an article by its title in
// lang (or in English, or its ID) when the retriever can look articles up.
func (c *Console) articleTitle(lang string) func(id string) string {
	lookup, ok := c.opts.Retriever.(interface {
		Article(id, lang string) (*supportbot.Article, error)
	})
	return func(id string) string {
		if ok {
			for _, l := range []string{lang, supportbot.DefaultLang} {
				if a, err := lookup.Article(id, l); err == nil && a != nil {
					return a.Title
				}
			}
		}
		return id
	}
}

// The charts are SVG written here rather than drawn by a JavaScript chart
// library: the console's Content-Security-Policy allows no inline script
// or style, the page must work without JavaScript, and three chart shapes
// (stacked columns, stacked bars, a legend) are less code than wiring a
// library's bundle and its data through a script. Every mark has a
// <title>, so hovering shows the figures and screen readers read them;
// the colours come from classes in console.css.

const (
	dayChartW  = 1100
	dayChartH  = 220
	wideW      = 1100 // a bar chart across the page
	halfW      = 540  // a bar chart in one of two columns
	axisW      = 40   // left, for the y labels
	axisH      = 22   // bottom, for the dates
	barRowH    = 22
	barCountW  = 56
	labelRunes = 34
)

// segment classes, in stacking order: answered, clarified, escalated.
var segClass = [3]string{"seg-a", "seg-c", "seg-e"}

func parts(c bot.Counts) [3]int { return [3]int{c.Answered, c.Clarified, c.Escalated} }

// describe is a mark's tooltip: "label: 3 answered, 1 escalated".
func describe(label string, c bot.Counts, legend [3]string) string {
	var b strings.Builder
	b.WriteString(label)
	b.WriteString(": ")
	first := true
	for i, n := range parts(c) {
		if n == 0 {
			continue
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		fmt.Fprintf(&b, "%d %s", n, legend[i])
	}
	if first {
		b.WriteString("0")
	}
	return b.String()
}

// niceMax rounds n up to an even number with one significant digit (2,
// 4, 6, 8, 10, 20, 40, ...), so that the y axis's middle line is a whole
// number too.
func niceMax(n int) int {
	p := 1
	for p*10 < n {
		p *= 10
	}
	for _, m := range []int{2, 4, 6, 8, 10} {
		if m*p >= n {
			return m * p
		}
	}
	return 10 * p
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// dayChart draws one stacked column a day.
func dayChart(days []bot.DayCounts, legend [3]string, title string) template.HTML {
	peak := 0
	for _, d := range days {
		peak = max(peak, d.Questions())
	}
	top := niceMax(peak)
	plotW, plotH := float64(dayChartW-axisW), float64(dayChartH-axisH-8)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s"><title>%s</title>`,
		dayChartW, dayChartH, dayChartW, dayChartH, esc(title), esc(title))
	for _, f := range []float64{0, 0.5, 1} {
		y := 8 + plotH*(1-f)
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/><text class="axis" x="%d" y="%.1f" text-anchor="end">%d</text>`,
			axisW, dayChartW, y, y, axisW-6, y+4, int(f*float64(top)))
	}
	if len(days) == 0 {
		b.WriteString(`</svg>`)
		return template.HTML(b.String())
	}
	slot := plotW / float64(len(days))
	barW := math.Max(1, slot*0.72)
	for i, d := range days {
		x := float64(axisW) + slot*float64(i) + (slot-barW)/2
		label := d.Day.Format("2006-01-02")
		fmt.Fprintf(&b, `<g class="day" data-day="%s" data-questions="%d"><title>%s</title>`, label, d.Questions(), esc(describe(label, d.Counts, legend)))
		y := 8 + plotH
		for k, n := range parts(d.Counts) {
			if n == 0 {
				continue
			}
			h := plotH * float64(n) / float64(top)
			y -= h
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, segClass[k], x, y, barW, h)
		}
		// An invisible full-height target, so thin columns can be hovered.
		fmt.Fprintf(&b, `<rect class="hit" x="%.1f" y="8" width="%.1f" height="%.1f"/></g>`, float64(axisW)+slot*float64(i), slot, plotH)
		// Dates under the first, the last and, for a month or more, the
		// middle column.
		anchor := ""
		switch {
		case i == 0:
			anchor = "start"
		case i == len(days)-1:
			anchor = "end"
		case len(days) > 14 && i == len(days)/2:
			anchor = "middle"
		}
		if anchor != "" {
			fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%d" text-anchor="%s">%s</text>`, x+barW/2, dayChartH-6, anchor, d.Day.Format("01-02"))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// barChart draws one stacked bar a row, longest first, with its label on
// the left and its total on the right.
func barChart(width int, rows []bot.KeyCount, name func(string) string, legend [3]string, title string) template.HTML {
	peak := 1
	for _, r := range rows {
		peak = max(peak, r.Questions())
	}
	h := max(1, len(rows)) * barRowH
	labelW := width * 2 / 7
	plotW := float64(width - labelW - barCountW)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart bars" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s"><title>%s</title>`,
		width, h, width, h, esc(title), esc(title))
	for i, r := range rows {
		y := float64(i * barRowH)
		label := name(r.Key)
		short := label
		if rs := []rune(short); len(rs) > labelRunes {
			short = string(rs[:labelRunes-1]) + "…"
		}
		fmt.Fprintf(&b, `<g class="row" data-key="%s" data-questions="%d"><title>%s</title>`, esc(r.Key), r.Questions(), esc(describe(label, r.Counts, legend)))
		fmt.Fprintf(&b, `<text class="label" x="%d" y="%.1f" text-anchor="end">%s</text>`, labelW-8, y+barRowH*0.68, esc(short))
		x := float64(labelW)
		for k, n := range parts(r.Counts) {
			if n == 0 {
				continue
			}
			w := plotW * float64(n) / float64(peak)
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, segClass[k], x, y+3, w, barRowH-6.0)
			x += w
		}
		fmt.Fprintf(&b, `<text class="count" x="%.1f" y="%.1f">%d</text></g>`, x+6, y+barRowH*0.68, r.Questions())
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
