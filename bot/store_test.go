package bot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/bot"
	"github.com/supportbot/supportbot/internal/sqldb"
	"github.com/supportbot/supportbot/internal/sqldb/sqldbtest"
)

// The store's SQL is portable: the same checks run on SQLite and, when
// the test command provides one, PostgreSQL.
func TestStore(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s, err := bot.OpenStore(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bot.OpenStore(ctx, db); err != nil { // migrations are idempotent
			t.Fatal(err)
		}
		m := supportbot.Message{ID: "m1", Channel: "web", UserID: "u", ConversationID: "c", Text: "why is my deposit missing?"}
		if _, seen, err := s.Claim(ctx, "web", "m1"); err != nil || seen {
			t.Fatalf("first claim: seen=%v err=%v", seen, err)
		}
		r := supportbot.Reply{ID: "r1", Text: "answer", Lang: "en", Decision: supportbot.DecisionEscalate, Reason: "low_confidence",
			Citations: []supportbot.Citation{{ArticleID: "deposit-not-credited"}}, Confidence: 0.2}
		if err := s.SaveExchange(ctx, m, r); err != nil {
			t.Fatal(err)
		}
		prev, seen, err := s.Claim(ctx, "web", "m1")
		if err != nil || !seen || prev.ID != "r1" || prev.Text != "answer" {
			t.Fatalf("second claim: %+v seen=%v err=%v", prev, seen, err)
		}
		turns, err := s.RecentTurns(ctx, "web", "c", 10)
		if err != nil || len(turns) != 2 || turns[0].Role != "user" || turns[1].ArticleIDs[0] != "deposit-not-credited" {
			t.Fatalf("turns = %+v, %v", turns, err)
		}
		rec, err := s.SaveFeedback(ctx, supportbot.Feedback{ReplyID: "r1", Channel: "web", UserID: "u", ConversationID: "c", Comment: "meh"})
		if err != nil || rec.Query != m.Text {
			t.Fatalf("feedback = %+v, %v", rec, err)
		}
		if _, err := s.SaveFeedback(ctx, supportbot.Feedback{ReplyID: "r1", Channel: "web", ConversationID: "other"}); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
			t.Fatalf("foreign feedback: %v", err)
		}
		un, err := s.Unanswered(ctx, time.Now().Add(-time.Hour), 10)
		if err != nil || len(un) != 1 || un[0].Text != m.Text || un[0].Count != 1 {
			t.Fatalf("unanswered = %+v, %v", un, err)
		}
		if err := s.LinkAccount(ctx, "tg", "1", "acct", "n1"); err != nil {
			t.Fatal(err)
		}
		if err := s.LinkAccount(ctx, "tg", "2", "acct", "n1"); supportbot.ErrorCode(err) != supportbot.EINVALID {
			t.Fatalf("nonce reuse: %v", err)
		}
		if err := s.SetUserLang(ctx, "tg", "1", "ko"); err != nil {
			t.Fatal(err)
		}
		if u, err := s.GetUser(ctx, "tg", "1"); err != nil || u.Lang != "ko" || u.Account != "acct" {
			t.Fatalf("user = %+v, %v", u, err)
		}
		if err := s.Audit(ctx, "freeze_account", m, "ticket 1"); err != nil {
			t.Fatal(err)
		}
		if a, err := s.ListAudit(ctx, 5); err != nil || len(a) != 1 || a[0].Action != "freeze_account" {
			t.Fatalf("audit = %+v, %v", a, err)
		}
	})
}

// TestActivity: the insights figures are summed by day (UTC days, and
// local days across a daylight-saving change), language, channel,
// escalation reason and article; days without questions are there with
// zeros, and what is not a question (small talk, ticket status)
// or is older than the period is not counted.
func TestActivity(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s, err := bot.OpenStore(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		day0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		now := day0
		bot.SetStoreClock(s, func() time.Time { return now })
		n := 0
		say := func(at time.Time, channel, lang string, d supportbot.Decision, reason, article string) string {
			t.Helper()
			now = at
			n++
			id := fmt.Sprint("r", n)
			r := supportbot.Reply{ID: id, Text: "x", Lang: lang, Decision: d, Reason: reason}
			if article != "" {
				r.Citations = []supportbot.Citation{{ArticleID: article}, {ArticleID: "other"}}
			}
			m := supportbot.Message{Channel: channel, UserID: "u", ConversationID: fmt.Sprint("c", n), Text: "q"}
			if err := s.SaveExchange(ctx, m, r); err != nil {
				t.Fatal(err)
			}
			return id
		}
		say(day0.Add(-time.Hour), "web", "en", supportbot.DecisionAnswer, "answered", "old") // before the period
		r1 := say(day0.Add(1*time.Hour), "web", "en", supportbot.DecisionAnswer, "answered", "reset-password")
		say(day0.Add(23*time.Hour), "telegram", "ko", supportbot.DecisionAnswer, "answered", "reset-password")
		say(day0.Add(25*time.Hour), "telegram", "ko", supportbot.DecisionEscalate, "low_confidence", "")
		say(day0.Add(26*time.Hour), "telegram", "ko", supportbot.DecisionSmallTalk, "greeting", "")
		// Day 2 is quiet; day 3 has two escalations and a clarification.
		say(day0.Add(72*time.Hour), "web", "ru", supportbot.DecisionEscalate, "account_compromised", "account-compromised")
		say(day0.Add(73*time.Hour), "discord", "ru", supportbot.DecisionEscalate, "low_confidence", "")
		say(day0.Add(74*time.Hour), "web", "ru", supportbot.DecisionClarify, "low_confidence", "")
		say(day0.Add(75*time.Hour), "web", "ru", supportbot.DecisionStatus, "ticket_status", "")
		for _, helpful := range []bool{true, true, false} {
			if _, err := s.SaveFeedback(ctx, supportbot.Feedback{ReplyID: r1, Channel: "web", ConversationID: "c2", Helpful: helpful}); err != nil {
				t.Fatal(err)
			}
		}

		a, err := s.Activity(ctx, day0)
		if err != nil {
			t.Fatal(err)
		}
		if want := (bot.Counts{Answered: 2, Clarified: 1, Escalated: 3}); a.Total != want {
			t.Errorf("total %+v, want %+v", a.Total, want)
		}
		if len(a.Days) != 4 || !a.Days[0].Day.Equal(day0) || !a.Days[3].Day.Equal(day0.AddDate(0, 0, 3)) {
			t.Fatalf("days %+v", a.Days)
		}
		for i, want := range []bot.Counts{{Answered: 2}, {Escalated: 1}, {}, {Clarified: 1, Escalated: 2}} {
			if a.Days[i].Counts != want {
				t.Errorf("day %d: %+v, want %+v", i, a.Days[i].Counts, want)
			}
		}
		keys := func(kcs []bot.KeyCount) string {
			s := ""
			for _, kc := range kcs {
				s += fmt.Sprintf("%s:%d/%d ", kc.Key, kc.Answered, kc.Questions())
			}
			return s
		}
		for name, got := range map[string]string{
			"languages": keys(a.ByLanguage), "channels": keys(a.ByChannel), "reasons": keys(a.Reasons), "articles": keys(a.Articles),
		} {
			want := map[string]string{
				"languages": "ru:0/3 ko:1/2 en:1/1 ",
				"channels":  "web:1/3 telegram:1/2 discord:0/1 ",
				"reasons":   "low_confidence:0/2 account_compromised:0/1 ",
				"articles":  "reset-password:2/2 ",
			}[name]
			if got != want {
				t.Errorf("%s: %q, want %q", name, got, want)
			}
		}
		if a.Helpful != 2 || a.Unhelpful != 1 || a.HelpfulRate() < 0.66 || a.HelpfulRate() > 0.67 {
			t.Errorf("ratings %d/%d", a.Helpful, a.Unhelpful)
		}
		if r := a.Total.AnswerRate(); r < 0.33 || r > 0.34 {
			t.Errorf("answer rate %v", r)
		}

		// Days in a time zone, across the end of daylight saving time in
		// New York (2026-11-01 06:00 UTC: UTC-4, then UTC-5).
		ny, err := time.LoadLocation("America/New_York")
		if err != nil {
			t.Fatal(err)
		}
		utc := func(month time.Month, day, hour, min int) time.Time {
			return time.Date(2026, month, day, hour, min, 0, 0, time.UTC)
		}
		say(utc(10, 31, 3, 30), "web", "en", supportbot.DecisionAnswer, "answered", "")        // Oct 30, 23:30 EDT: before
		say(utc(11, 1, 3, 30), "web", "en", supportbot.DecisionAnswer, "answered", "")         // Oct 31, 23:30 EDT
		say(utc(11, 1, 4, 30), "web", "en", supportbot.DecisionAnswer, "answered", "")         // Nov 1, 00:30 EDT
		say(utc(11, 2, 4, 30), "web", "en", supportbot.DecisionEscalate, "low_confidence", "") // Nov 1, 23:30 EST
		say(utc(11, 2, 5, 30), "web", "en", supportbot.DecisionClarify, "low_confidence", "")  // Nov 2, 00:30 EST
		now = utc(11, 2, 17, 0)
		a, err = s.Activity(ctx, time.Date(2026, 10, 31, 0, 0, 0, 0, ny))
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Days) != 3 || !a.Days[1].Day.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, ny)) || a.Days[2].Day.Location() != ny {
			t.Fatalf("New York days %+v", a.Days)
		}
		for i, want := range []bot.Counts{{Answered: 1}, {Answered: 1, Escalated: 1}, {Clarified: 1}} {
			if a.Days[i].Counts != want {
				t.Errorf("New York day %d: %+v, want %+v", i, a.Days[i].Counts, want)
			}
		}
		if want := (bot.Counts{Answered: 2, Clarified: 1, Escalated: 1}); a.Total != want {
			t.Errorf("New York total %+v, want %+v", a.Total, want)
		}
	})
}
