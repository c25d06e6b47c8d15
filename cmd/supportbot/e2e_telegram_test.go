package main

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/connectors/telegram"
	"github.com/supportbot/supportbot/connectors/telegram/telegramtest"
	"github.com/supportbot/supportbot/escalation"
)

// TestE2ETelegram runs the app as `serve` does (the real engine over the
// demo help center, escalation with its delivery worker, the Telegram
// connector wired by setupTelegram) against the Telegram Bot API emulator,
// in long-polling and in webhook mode: a question gets a cited answer,
// /human opens a ticket, and an agent's reply from the desk reaches the
// chat through the outbox.
func TestE2ETelegram(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	for _, mode := range []string{telegram.ModePolling, telegram.ModeWebhook} {
		t.Run(mode, func(t *testing.T) {
			emu := telegramtest.Start(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			cfg := &Config{DataDir: demoDataDir(t)}
			cfg.Telegram = telegram.Config{Token: emu.Token, APIURL: emu.URL, PollTimeout: 5 * time.Second, Mode: mode}
			cfg.HTTP.PublicURL = "http://" + ln.Addr().String()
			cfg.Bot.PublicURL = cfg.HTTP.PublicURL
			if mode == telegram.ModeWebhook {
				cfg.Telegram.WebhookURL = cfg.HTTP.PublicURL + "/hooks/telegram"
				cfg.Telegram.WebhookSecret = "e2e-Secret_42"
			}
			cfg.setDefaults()
			app := serveApp(t, ctx, cancel, cfg, ln, "telegram")

			if mode == telegram.ModeWebhook {
				emu.WaitCall(t, "setWebhook", 30*time.Second, nil)
				// The mounted handler refuses a request without the secret.
				resp, err := http.Post(cfg.Telegram.WebhookURL, "application/json",
					strings.NewReader(`{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"from":{"id":1,"first_name":"x"},"text":"/help"}}`))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("webhook without the secret: HTTP %d", resp.StatusCode)
				}
			}

			alice := telegramtest.User{ID: 9001, FirstName: "Alice", LanguageCode: "en"}
			emu.SendText(t, alice, "How do I reset my password?")
			ans := emu.Wait(t, alice.ID, 1, 30*time.Second)[0]
			if !strings.Contains(ans.Text, `href="`+cfg.HTTP.PublicURL+`/en/articles/reset-password"`) {
				t.Errorf("answer does not cite the article:\n%s", ans.Text)
			}

			emu.SendText(t, alice, "/human")
			emu.Wait(t, alice.ID, 1, 30*time.Second)
			desk := app.Escalator.(*escalation.Service)
			tk, err := desk.FindOpenTicket(ctx, "telegram", strconv.FormatInt(alice.ID, 10))
			if err != nil {
				t.Fatalf("no ticket after /human: %v", err)
			}
			agent, err := escalation.AddAgent(ctx, app.DB, "ana@example.com", "Ana", "correct horse battery", escalation.RoleAgent)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := desk.Reply(ctx, agent, tk.ID, "We are on it: **24 h** at most.", ""); err != nil {
				t.Fatal(err)
			}
			// The delivery worker runs under Serve: no manual step.
			got := emu.Wait(t, alice.ID, 1, 30*time.Second)[0]
			if !strings.Contains(got.Text, "We are on it: <b>24 h</b> at most.") {
				t.Errorf("agent reply: %q", got.Text)
			}
		})
	}
}
