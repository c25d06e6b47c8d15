package main

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/bot"
	"github.com/supportbot/supportbot/connectors/discord"
	"github.com/supportbot/supportbot/connectors/discord/discordtest"
	"github.com/supportbot/supportbot/escalation"
)

// TestE2EDiscord runs the app as `serve` does (the real engine over the
// demo help center, escalation and its delivery worker, the Discord
// connector wired by setupDiscord) against a fake Discord that speaks the
// real REST and gateway protocols to the real discordgo client.
func TestE2EDiscord(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	fake := discordtest.NewServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	cfg := &Config{DataDir: demoDataDir(t)}
	cfg.Discord = discord.Config{Token: fake.Token, APIURL: fake.URL, SupportChannels: []string{fake.SupportChannelID}}
	cfg.setDefaults()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.HTTP.PublicURL = "http://" + ln.Addr().String()
	cfg.Bot.PublicURL = cfg.HTTP.PublicURL
	cfg.Bot.LinkSecret = "discord-e2e-link-secret"
	app := serveApp(t, ctx, cancel, cfg, ln, "discord")
	wait := func(what string, cond func() bool) {
		t.Helper()
		if !fake.WaitFor(30*time.Second, cond) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
	wait("the gateway session and the commands", func() bool { return fake.Connected() == 1 && len(fake.Commands("")) == 7 })

	botID := fake.Bot.ID
	alice := fake.NewUser("alice")
	dm := fake.DM(alice)
	replyTo := func(channelID, id string) (discordtest.Message, int) {
		var last discordtest.Message
		n := 0
		for _, m := range fake.BotMessages(channelID) {
			if m.MessageReference != nil && m.MessageReference.MessageID == id {
				last, n = m, n+1
			}
		}
		return last, n
	}

	t.Run("MentionGetsCitedAnswerInThread", func(t *testing.T) {
		m := fake.Post(fake.SupportChannelID, alice, "<@"+botID+"> What do I need to upload to get verified so I can cash out?")
		wait("the answer in a new thread", func() bool { return len(fake.BotMessages(m.ID)) > 0 })
		a := fake.BotMessages(m.ID)[0]
		if !strings.HasPrefix(a.Content, "<@"+alice.ID+">") || len(a.Embeds) == 0 ||
			!strings.HasPrefix(a.Embeds[0].URL, cfg.HTTP.PublicURL+"/") {
			t.Fatalf("answer %q with embeds %+v: want a cited answer addressed to alice", a.Content, a.Embeds)
		}
		if !hasCustomID(a, "sb:fy:"+alice.ID+":") {
			t.Errorf("no feedback buttons: %+v", a.Buttons())
		}
	})

	var dmAnswer discordtest.Message
	t.Run("DirectMessage", func(t *testing.T) {
		m := fake.Post(dm, alice, "How do I verify my identity?")
		wait("the DM answer", func() bool { _, n := replyTo(dm, m.ID); return n == 1 })
		dmAnswer, _ = replyTo(dm, m.ID)
		if len(dmAnswer.Embeds) == 0 {
			t.Errorf("answer %q has no cited article", dmAnswer.Content)
		}
	})

	t.Run("FeedbackButton", func(t *testing.T) {
		var id string
		for _, b := range dmAnswer.Buttons() {
			if strings.HasPrefix(b.CustomID, "sb:fy:") {
				id = b.CustomID
			}
		}
		in, err := fake.Click(alice, dmAnswer, id)
		if err != nil {
			t.Fatal(err)
		}
		wait("the thanks", func() bool { in, _ := fake.Interaction(in.ID); return len(in.Followups) == 1 })
		if in, _ := fake.Interaction(in.ID); in.Followups[0].Content != "Thanks for your feedback!" {
			t.Errorf("follow-up %q", in.Followups[0].Content)
		}
		fb, err := app.Bot.Store().ListFeedback(ctx, 10)
		if err != nil || len(fb) != 1 || fb[0].Channel != "discord" || fb[0].UserID != alice.ID || fb[0].ConversationID != dm {
			t.Errorf("stored feedback %+v (%v)", fb, err)
		}
	})

	t.Run("SlashAsk", func(t *testing.T) {
		in, err := fake.Command(dm, alice, "en-US", "ask", discordtest.Opt("question", "What are the withdrawal fees?"))
		if err != nil {
			t.Fatal(err)
		}
		wait("the /ask answer", func() bool {
			in, _ := fake.Interaction(in.ID)
			return in.Original != nil && in.Original.Flags&discordtest.FlagLoading == 0 && in.Original.Content != ""
		})
		if in, _ := fake.Interaction(in.ID); in.AckType != 5 || len(in.Original.Embeds) == 0 {
			t.Errorf("ack %d, answer %+v", in.AckType, in.Original)
		}
	})

	var ticket *supportbot.Ticket
	t.Run("SlashHumanOpensTicket", func(t *testing.T) {
		in, err := fake.Command(dm, alice, "en-US", "human", discordtest.Opt("message", "I need a person to look at my verification"))
		if err != nil {
			t.Fatal(err)
		}
		wait("the ticket", func() bool {
			in, _ := fake.Interaction(in.ID)
			return in.Original != nil && strings.Contains(in.Original.Content, "#")
		})
		ticket, err = app.Escalator.FindOpenTicket(ctx, "discord", dm)
		if err != nil {
			t.Fatalf("no open ticket for the DM: %v", err)
		}
		if ticket.UserID != alice.ID || ticket.DisplayName != "alice" {
			t.Errorf("ticket %+v", ticket)
		}
	})

	t.Run("AgentReplyAndCSAT", func(t *testing.T) {
		svc := app.Escalator.(*escalation.Service)
		agent, err := escalation.AddAgent(ctx, app.DB, "ada@example.com", "Ada", "a long admin password", "admin")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Reply(ctx, agent, ticket.ID, "Hello, this is Ada: your documents are approved.", ""); err != nil {
			t.Fatal(err)
		}
		wait("the agent's reply in the DM", func() bool {
			for _, m := range fake.BotMessages(dm) {
				if strings.Contains(m.Content, "your documents are approved") {
					return true
				}
			}
			return false
		})
		if err := svc.SetStatus(ctx, agent, ticket.ID, supportbot.StatusSolved); err != nil {
			t.Fatal(err)
		}
		var rating discordtest.Message
		wait("the rating request", func() bool {
			for _, m := range fake.BotMessages(dm) {
				if len(m.Buttons()) == 5 && hasCustomID(m, "sb:cs:") {
					rating = m
					return true
				}
			}
			return false
		})
		var five string
		for _, b := range rating.Buttons() {
			if strings.HasSuffix(b.CustomID, ":5") {
				five = b.CustomID
			}
		}
		if _, err := fake.Click(alice, rating, five); err != nil {
			t.Fatal(err)
		}
		wait("the rating stored", func() bool {
			tk, err := svc.Ticket(ctx, ticket.ID)
			return err == nil && tk.CSAT == 5
		})
	})

	t.Run("SlashLinkLinksAccount", func(t *testing.T) {
		dave := fake.NewUser("dave")
		token, err := bot.NewLinkToken(cfg.Bot.LinkSecret, "acct-42", 10*time.Minute, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		// In the support channel: the code must not be shown to others.
		in, err := fake.Command(fake.SupportChannelID, dave, "en-US", "link", discordtest.Opt("code", token))
		if err != nil {
			t.Fatal(err)
		}
		wait("the link confirmation", func() bool {
			in, _ := fake.Interaction(in.ID)
			return in.Original != nil && strings.Contains(in.Original.Content, "linked")
		})
		if in, _ := fake.Interaction(in.ID); in.Original.Flags&discordtest.FlagEphemeral == 0 {
			t.Error("the link confirmation was public")
		}
		u, err := app.Bot.Store().GetUser(ctx, "discord", dave.ID)
		if err != nil || u.Account != "acct-42" {
			t.Errorf("user %+v (%v), want account acct-42 linked", u, err)
		}
	})

	t.Run("GatewayDropMidConversation", func(t *testing.T) {
		bob := fake.NewUser("bob")
		bobDM := fake.DM(bob)
		first := fake.Post(bobDM, bob, "I forgot my password")
		wait("the first answer", func() bool { _, n := replyTo(bobDM, first.ID); return n == 1 })
		fake.Drop()
		second := fake.Post(bobDM, bob, "How do I enable two-factor authentication?")
		wait("the answer after the resume", func() bool { _, n := replyTo(bobDM, second.ID); return n == 1 })
		fake.InvalidateSessions()
		fake.Drop()
		third := fake.Post(bobDM, bob, "my selfie keeps failing the match with my passport photo")
		wait("the answer read back after a new session", func() bool { _, n := replyTo(bobDM, third.ID); return n == 1 })
		for _, m := range []discordtest.Message{first, second, third} {
			if _, n := replyTo(bobDM, m.ID); n != 1 {
				t.Errorf("%q answered %d times", m.Content, n)
			}
		}
		if len(fake.Resumes()) < 1 {
			t.Error("the session was never resumed")
		}
	})

	t.Run("RateLimitWaitedOut", func(t *testing.T) {
		carol := fake.NewUser("carol")
		carolDM := fake.DM(carol)
		fake.RateLimit("POST", "/channels/"+carolDM+"/messages", 500*time.Millisecond, false)
		m := fake.Post(carolDM, carol, "how to complete KYC verification")
		wait("the answer", func() bool { _, n := replyTo(carolDM, m.ID); return n == 1 })
		if served, early := fake.RateLimits(); served < 1 || early != 0 {
			t.Errorf("%d rate limits served, %d requests retried too early", served, early)
		}
	})

	if n := fake.LateAcks(); n != 0 {
		t.Errorf("%d interactions acknowledged after 3 seconds", n)
	}
}

func hasCustomID(m discordtest.Message, prefix string) bool {
	for _, b := range m.Buttons() {
		if strings.HasPrefix(b.CustomID, prefix) {
			return true
		}
	}
	return false
}
