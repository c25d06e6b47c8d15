package bot_test

import (
	"context"
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
