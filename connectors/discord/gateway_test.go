package discord_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/connectors/discord"
	"github.com/supportbot/supportbot/connectors/discord/discordtest"
)

// TestGatewayDropsLoseNoMessage drops the gateway in the middle of a
// conversation three ways, and checks that every message the user sent
// is answered exactly once: a resumed session (Discord replays what was
// missed), a session Discord will not resume (history is read back), and
// a restart with a stale cursor and an answer that was never delivered.
func TestGatewayDropsLoseNoMessage(t *testing.T) {
	fake := discordtest.NewServer(t)
	eng := newEngine()
	cfg := config(fake)
	cfg.Guilds = []string{fake.GuildID}
	h := start(t, fake, cfg, eng, discord.NewMemoryStore())
	alice := fake.NewUser("alice")
	dm := fake.DM(alice)
	var sent []discordtest.Message

	say := func(text string) discordtest.Message {
		m := fake.Post(dm, alice, text)
		sent = append(sent, m)
		return m
	}
	answered := func(m discordtest.Message) {
		t.Helper()
		wait(t, fake, "the answer to "+m.Content, func() bool { return len(repliesTo(fake, dm, m.ID)) > 0 })
	}

	answered(say("first"))

	t.Run("Resumed", func(t *testing.T) {
		fake.Drop()
		m := say("second, sent while the connection is down")
		answered(m)
		rs := fake.Resumes()
		if len(rs) != 1 || rs[0].SessionID == "" || rs[0].Seq < 1 {
			t.Errorf("resumes %+v, want one RESUME with the session and its sequence", rs)
		}
		if n := len(fake.Identifies()); n != 1 {
			t.Errorf("%d IDENTIFY, want 1: the session should have been resumed", n)
		}
		if !strings.Contains(fake.Identifies()[0].Token, fake.Token) || fake.Identifies()[0].Intents&(1<<15) == 0 {
			t.Errorf("identify %+v: want the token and the Message Content intent", fake.Identifies()[0])
		}
	})

	t.Run("SessionNotResumable", func(t *testing.T) {
		fake.InvalidateSessions()
		fake.Drop()
		// No session gets this message: only reading history finds it.
		m := say("third, sent while the bot has no session")
		answered(m)
		if n := len(fake.Identifies()); n != 2 {
			t.Errorf("%d IDENTIFY, want 2", n)
		}
		reads := fake.Calls("GET", "/channels/"+dm+"/messages")
		if len(reads) == 0 || !strings.Contains(reads[0].Query, "after="+sent[1].ID) {
			t.Errorf("history reads %+v, want one after the last handled message %s", reads, sent[1].ID)
		}
	})

	t.Run("Restart", func(t *testing.T) {
		if err := h.stop(); err != nil {
			t.Fatal(err)
		}
		// The restart comes later than Discord's nonce memory: only the
		// connector can tell what it answered.
		fake.SetNonceWindow(0)
		// While no bot runs: a message, and one the engine answered but
		// whose answer never reached Discord (the process stopped between).
		say("fourth, sent while the bot is down")
		undelivered := say("fifth, answered but not delivered")
		if _, err := eng.Handle(context.Background(), supportbot.Message{ID: undelivered.ID, Channel: "discord",
			UserID: alice.ID, ConversationID: dm, Text: undelivered.Content}); err != nil {
			t.Fatal(err)
		}
		// A cursor older than it should be: history from "first" on comes
		// back, and what was answered must not be answered again.
		store := discord.NewMemoryStore()
		store.SaveCursor(context.Background(), dm, sent[0].ID, time.Now())
		start(t, fake, cfg, eng, store)
		for _, m := range sent[3:] {
			answered(m)
		}
	})

	for _, m := range sent {
		if n := len(repliesTo(fake, dm, m.ID)); n != 1 {
			t.Errorf("%q got %d answers, want 1", m.Content, n)
		}
		if _, n := eng.message(m.ID); n != 1 {
			t.Errorf("%q was handled %d times, want 1", m.Content, n)
		}
	}
}

// TestSharding checks that a shard identifies as itself, and that only
// shard 0 registers commands (it alone would overwrite them otherwise).
func TestSharding(t *testing.T) {
	fake := discordtest.NewServer(t)
	cfg := config(fake)
	cfg.ShardID, cfg.ShardCount = 1, 2
	h := start(t, fake, cfg, newEngine(), nil)
	ids := fake.Identifies()
	if len(ids) != 1 || ids[0].Shard == nil || *ids[0].Shard != [2]int{1, 2} {
		t.Errorf("identify %+v, want shard [1 2]", ids)
	}
	h.stop()
	if n := len(fake.Calls("PUT", "/commands")); n != 0 {
		t.Errorf("shard 1 registered commands %d times", n)
	}
}

// TestMessageContentIntentRequired checks that a bot whose Message
// Content intent is off in the Developer Portal stops with a clear error
// instead of answering empty messages.
func TestMessageContentIntentRequired(t *testing.T) {
	fake := discordtest.NewServer(t)
	fake.MessageContentAllowed = false
	conn, err := discord.New(config(fake), discord.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = conn.Run(ctx, newEngine())
	if err == nil || !strings.Contains(err.Error(), "Message Content intent") {
		t.Errorf("Run() = %v, want the Message Content intent error", err)
	}
}

func TestNewWithoutToken(t *testing.T) {
	if _, err := discord.New(discord.Config{}, discord.Options{}); err != discord.ErrNoToken {
		t.Errorf("New() = %v, want ErrNoToken", err)
	}
}

// TestPrivateThreads checks the private_threads setting: the
// conversation moves into a private thread the user is added to.
func TestPrivateThreads(t *testing.T) {
	fake := discordtest.NewServer(t)
	cfg := config(fake)
	cfg.PrivateThreads = true
	start(t, fake, cfg, newEngine(), nil)
	alice := fake.NewUser("alice")
	m := fake.Post(fake.SupportChannelID, alice, "<@"+fake.Bot.ID+"> my account was hacked")
	var th discordtest.Channel
	wait(t, fake, "the private thread's answer", func() bool {
		for _, c := range fake.Threads(fake.SupportChannelID) {
			if len(fake.BotMessages(c.ID)) > 0 {
				th = c
				return true
			}
		}
		return false
	})
	if th.Type != discordtest.ChannelPrivateThread || th.ID == m.ID || !contains(th.Members, alice.ID) ||
		th.ThreadMetadata == nil || th.ThreadMetadata.Invitable {
		t.Errorf("thread %+v: want a private, not invitable thread alice is in", th)
	}
	if a := fake.BotMessages(th.ID)[0]; !strings.HasPrefix(a.Content, "<@"+alice.ID+"> Answer to: my account was hacked") {
		t.Errorf("answer %q", a.Content)
	}
}
