package bot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/supportbot/supportbot/bot"
	"github.com/supportbot/supportbot/internal/sqldb"
	"github.com/supportbot/supportbot/internal/sqldb/sqldbtest"
)

// BenchmarkActivity sums a month of the bot's work for the insights page:
// 100,000 questions over the last 30 days (200,000 turns) in 4 channels
// and 11 languages, after three months as busy that the period leaves
// out, on SQLite.
func BenchmarkActivity(b *testing.B) {
	ctx := context.Background()
	db := sqldbtest.Open(b, sqldb.SQLite)
	st, err := bot.OpenStore(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	tx, err := db.Begin(ctx)
	if err != nil {
		b.Fatal(err)
	}
	langs := []string{"en", "zh-Hans", "zh-Hant", "ja", "ko", "ru", "es", "vi", "tr", "pt", "fr"}
	channels := []string{"webchat", "telegram", "discord", "email"}
	decisions := []string{"answer", "answer", "answer", "clarify", "escalate"}
	const n = 400_000
	for i := range n {
		at := now.Add(-time.Duration(i) * (120 * 24 * time.Hour / n)) // 120 days back, evenly
		ch, lang, conv := channels[i%4], langs[i%11], fmt.Sprint("c", i)
		if _, err := tx.Exec(ctx, `INSERT INTO bot_turns (channel, conversation_id, user_id, role, text, lang, created_at)
			VALUES (?, ?, 'u', 'user', 'a question', ?, ?)`, ch, conv, lang, sqldb.Millis(at)); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO bot_turns (channel, conversation_id, user_id, role, text, lang, decision, reason,
			article_ids, created_at) VALUES (?, ?, 'u', 'bot', 'an answer', ?, ?, 'low_confidence', ?, ?)`,
			ch, conv, lang, decisions[i%5], fmt.Sprint("article-", i%40), sqldb.Millis(at)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	since := now.Add(-30 * 24 * time.Hour)
	for b.Loop() {
		a, err := st.Activity(ctx, since)
		if err != nil || a.Total.Questions() < n/4-10 || a.Total.Questions() > n/4+10 {
			b.Fatalf("%d questions, %v", a.Total.Questions(), err)
		}
	}
}
