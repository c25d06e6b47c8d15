package discord_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/connectors/discord"
	"github.com/supportbot/supportbot/connectors/discord/discordtest"
)

// engine stands in for bot.Service: it answers with the message's text,
// a citation and the buttons the real engine offers, and it keeps the
// engine's contract of answering a (channel, message id) once: a repeat
// gets the first reply, marked Duplicate.
type engine struct {
	mu        sync.Mutex
	handled   []supportbot.Message
	feedback  []supportbot.Feedback
	replies   map[string]supportbot.Reply
	AnswerFn  func(m supportbot.Message) supportbot.Reply // optional
	handleErr error
}

func newEngine() *engine { return &engine{replies: map[string]supportbot.Reply{}} }

func (e *engine) Handle(_ context.Context, m supportbot.Message) (supportbot.Reply, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if r, ok := e.replies[m.Channel+"/"+m.ID]; ok {
		r.Duplicate = true
		return r, nil
	}
	e.handled = append(e.handled, m)
	var r supportbot.Reply
	switch {
	case e.AnswerFn != nil:
		r = e.AnswerFn(m)
	case m.Command != "":
		r = supportbot.Reply{Text: fmt.Sprintf("Command %s: %s", m.Command, m.Text), Lang: "en",
			Decision: supportbot.DecisionEscalate, TicketID: "12"}
	default:
		r = supportbot.Reply{Text: "Answer to: " + m.Text, Lang: "en", Decision: supportbot.DecisionAnswer,
			Citations: []supportbot.Citation{{ArticleID: "withdraw", Title: "How to withdraw", URL: "/en/articles/withdraw", Lang: "en"}},
			Actions: []supportbot.Action{{Kind: "helpful", Label: "Helpful"}, {Kind: "not_helpful", Label: "Not helpful"},
				{Kind: "human", Label: "Talk to a person"}}}
	}
	r.ID = "r-" + m.ID
	e.replies[m.Channel+"/"+m.ID] = r
	return r, nil
}

func (e *engine) HandleStream(ctx context.Context, m supportbot.Message, emit func(string)) (supportbot.Reply, error) {
	r, err := e.Handle(ctx, m)
	if err == nil && emit != nil {
		emit(r.Text)
	}
	return r, err
}

func (e *engine) Feedback(_ context.Context, f supportbot.Feedback) (supportbot.Reply, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.feedback = append(e.feedback, f)
	return supportbot.Reply{Text: "Thanks for the feedback.", Lang: "en", Decision: supportbot.DecisionSmallTalk}, nil
}

// message returns the message with id the engine handled, and how many
// times it was handled (not counting duplicates).
func (e *engine) message(id string) (supportbot.Message, int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var m supportbot.Message
	n := 0
	for _, h := range e.handled {
		if h.ID == id {
			m, n = h, n+1
		}
	}
	return m, n
}

func (e *engine) feedbacks() []supportbot.Feedback {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]supportbot.Feedback(nil), e.feedback...)
}

// rater records CSAT ratings.
type rater struct {
	mu      sync.Mutex
	ratings []string
}

func (r *rater) RateTicket(_ context.Context, ticket int64, channel, user string, score int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ratings = append(r.ratings, fmt.Sprintf("%d %s %s %d", ticket, channel, user, score))
	return nil
}

func (r *rater) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.ratings...)
}

// harness is a connector running against a fake Discord.
type harness struct {
	fake    *discordtest.Server
	conn    *discord.Connector
	eng     *engine
	rater   *rater
	metrics *prometheus.Registry
	stop    func() error
}

// counter sums a counter's series whose labels include the given ones.
func (h *harness) counter(t *testing.T, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := h.metrics.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			for k, v := range labels {
				found := false
				for _, lp := range m.GetLabel() {
					found = found || (lp.GetName() == k && lp.GetValue() == v)
				}
				if !found {
					continue next
				}
			}
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}

func config(fake *discordtest.Server) discord.Config {
	return discord.Config{Token: fake.Token, APIURL: fake.URL, SupportChannels: []string{fake.SupportChannelID},
		PublicURL: "https://help.example.com"}
}

// start runs a connector until the test ends. Each one costs a second
// at the end: discordgo's Session.Close waits that long.
func start(t testing.TB, fake *discordtest.Server, cfg discord.Config, eng *engine, store discord.Store) *harness {
	t.Helper()
	h := &harness{fake: fake, eng: eng, rater: &rater{}, metrics: prometheus.NewRegistry()}
	conn, err := discord.New(cfg, discord.Options{Rater: h.rater, Store: store, Metrics: h.metrics})
	if err != nil {
		t.Fatal(err)
	}
	h.conn = conn
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- conn.Run(ctx, eng) }()
	var once sync.Once
	var runErr error
	h.stop = func() error {
		once.Do(func() { cancel(); runErr = <-done })
		return runErr
	}
	t.Cleanup(func() { h.stop() })
	wait(t, fake, "the gateway session", func() bool { return fake.Connected() == 1 })
	if cfg.Commands != "off" && cfg.ShardID == 0 {
		scope := ""
		if len(cfg.Guilds) > 0 {
			scope = cfg.Guilds[0]
		}
		wait(t, fake, "slash commands", func() bool { return len(fake.Commands(scope)) > 0 })
	}
	return h
}

func wait(t testing.TB, fake *discordtest.Server, what string, cond func() bool) {
	t.Helper()
	if !fake.WaitFor(10*time.Second, cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}

// repliesTo returns the bot's messages in a channel that reply to id.
func repliesTo(fake *discordtest.Server, channelID, id string) []discordtest.Message {
	var out []discordtest.Message
	for _, m := range fake.BotMessages(channelID) {
		if m.MessageReference != nil && m.MessageReference.MessageID == id {
			out = append(out, m)
		}
	}
	return out
}

func hasButton(m discordtest.Message, customID string, disabled bool) bool {
	for _, b := range m.Buttons() {
		if b.CustomID == customID && b.Disabled == disabled {
			return true
		}
	}
	return false
}

func findMessage(fake *discordtest.Server, channelID, id string) discordtest.Message {
	for _, m := range fake.Messages(channelID) {
		if m.ID == id {
			return m
		}
	}
	return discordtest.Message{}
}

// TestConnector runs one connector through the conversations users have
// with it. The subtests share it, and run in order.
func TestConnector(t *testing.T) {
	fake := discordtest.NewServer(t)
	eng := newEngine()
	h := start(t, fake, config(fake), eng, nil)
	bot := fake.Bot.ID
	alice, bob, carol := fake.NewUser("alice"), fake.NewUser("bob"), fake.NewUser("carol")
	ctx := context.Background()

	t.Run("CommandsRegisteredGloballyWithLocalizations", func(t *testing.T) {
		cmds := fake.Commands("")
		var names []string
		for _, c := range cmds {
			names = append(names, c.Name)
			for _, loc := range []string{"zh-CN", "zh-TW", "ja", "ko", "ru", "es-ES", "es-419", "vi", "tr", "pt-BR", "fr"} {
				if c.NameLocalizations[loc] == "" || c.DescriptionLocalizations[loc] == "" {
					t.Errorf("/%s: no %s localization", c.Name, loc)
				}
			}
		}
		if got := strings.Join(names, " "); got != "ask human ticket status lang link help" {
			t.Errorf("commands %q", got)
		}
	})

	var thread string
	t.Run("MentionInSupportChannelGetsCitedAnswerInNewThread", func(t *testing.T) {
		m := fake.Post(fake.SupportChannelID, alice, "<@"+bot+"> How do I withdraw USDT?")
		wait(t, fake, "the answer in the thread", func() bool { return len(fake.BotMessages(m.ID)) > 0 })
		th, ok := fake.Channel(m.ID)
		if !ok || th.Type != discordtest.ChannelPublicThread || th.ParentID != fake.SupportChannelID || th.Name != "How do I withdraw USDT?" {
			t.Fatalf("thread %+v (found %v)", th, ok)
		}
		thread = th.ID
		a := fake.BotMessages(thread)[0]
		if !strings.HasPrefix(a.Content, "<@"+alice.ID+"> Answer to: How do I withdraw USDT?") {
			t.Errorf("answer %q", a.Content)
		}
		if len(a.Mentions) != 1 || a.Mentions[0].ID != alice.ID {
			t.Errorf("the answer pings %+v, want alice only", a.Mentions)
		}
		if len(a.Embeds) != 1 || a.Embeds[0].Title != "How to withdraw" || a.Embeds[0].URL != "https://help.example.com/en/articles/withdraw" {
			t.Errorf("embeds %+v", a.Embeds)
		}
		if !hasButton(a, "sb:fy:"+alice.ID+":r-"+m.ID, false) || !hasButton(a, "sb:hu:"+alice.ID, false) {
			t.Errorf("buttons %+v", a.Buttons())
		}
		if n := len(fake.BotMessages(fake.SupportChannelID)); n != 0 {
			t.Errorf("the bot wrote %d messages in the support channel", n)
		}
		got, n := eng.message(m.ID)
		if n != 1 || got.ConversationID != thread || got.Text != "How do I withdraw USDT?" || got.UserID != alice.ID ||
			got.Channel != "discord" || got.DisplayName != "alice" {
			t.Errorf("engine got %+v (%d times)", got, n)
		}
	})

	t.Run("ThreadFollowUpWithoutMention", func(t *testing.T) {
		// A bystander's message in the thread, and a message without a
		// mention in the support channel, are not for the bot; the
		// gateway delivers them before alice's, so when alice is answered
		// they were passed over.
		other := fake.Post(thread, bob, "I have the same problem")
		chatter := fake.Post(fake.SupportChannelID, bob, "anyone around?")
		m := fake.Post(thread, alice, "And what is the fee?")
		wait(t, fake, "the follow-up answer", func() bool { return len(repliesTo(fake, thread, m.ID)) == 1 })
		r := repliesTo(fake, thread, m.ID)[0]
		if !strings.Contains(r.Content, "Answer to: And what is the fee?") || r.AllowedMentions == nil || !r.AllowedMentions.RepliedUser {
			t.Errorf("reply %q, allowed mentions %+v", r.Content, r.AllowedMentions)
		}
		if got, _ := eng.message(m.ID); got.ConversationID != thread {
			t.Errorf("conversation %q, want the thread", got.ConversationID)
		}
		for _, id := range []string{other.ID, chatter.ID} {
			if _, n := eng.message(id); n != 0 {
				t.Errorf("message %s not for the bot was handled", id)
			}
		}
	})

	dm := fake.DM(alice)
	var dmAnswer discordtest.Message
	var dmQuestion discordtest.Message
	t.Run("DirectMessage", func(t *testing.T) {
		dmQuestion = fake.Post(dm, alice, "hello @everyone, how do I deposit?")
		wait(t, fake, "the DM answer", func() bool { return len(repliesTo(fake, dm, dmQuestion.ID)) == 1 })
		dmAnswer = repliesTo(fake, dm, dmQuestion.ID)[0]
		if !strings.Contains(dmAnswer.Content, "Answer to: hello @everyone, how do I deposit?") {
			t.Errorf("answer %q", dmAnswer.Content)
		}
		if am := dmAnswer.AllowedMentions; am == nil || len(am.Parse) != 0 || am.RepliedUser {
			t.Errorf("allowed mentions %+v: the bot must not ping anyone in a DM", am)
		}
		if got, _ := eng.message(dmQuestion.ID); got.ConversationID != dm {
			t.Errorf("conversation %q, want the DM channel", got.ConversationID)
		}
	})

	t.Run("SlashAskInDM", func(t *testing.T) {
		in, err := fake.Command(dm, alice, "ja", "ask", discordtest.Opt("question", "入金方法は？"))
		if err != nil {
			t.Fatal(err)
		}
		wait(t, fake, "the /ask answer", func() bool {
			in, _ := fake.Interaction(in.ID)
			return in.Original != nil && in.Original.Flags&discordtest.FlagLoading == 0
		})
		in, _ = fake.Interaction(in.ID)
		if in.AckType != 5 {
			t.Errorf("acknowledged with type %d, want 5 (deferred)", in.AckType)
		}
		if !strings.Contains(in.Original.Content, "Answer to: 入金方法は？") || len(in.Original.Embeds) != 1 ||
			!hasButton(*in.Original, "sb:fn:"+alice.ID+":r-"+in.ID, false) {
			t.Errorf("response %+v", in.Original)
		}
		got, _ := eng.message(in.ID)
		if got.Text != "入金方法は？" || got.Command != "" || got.HintLang != "ja" || got.ConversationID != dm {
			t.Errorf("engine got %+v", got)
		}
	})

	var bobThread string
	t.Run("SlashAskInSupportChannelOpensThread", func(t *testing.T) {
		in, err := fake.Command(fake.SupportChannelID, bob, "fr", "ask", discordtest.Opt("question", "Le staking est-il sûr ?"))
		if err != nil {
			t.Fatal(err)
		}
		wait(t, fake, "the thread", func() bool {
			for _, th := range fake.Threads(fake.SupportChannelID) {
				if len(fake.BotMessages(th.ID)) > 0 && th.ID != thread {
					bobThread = th.ID
					return true
				}
			}
			return false
		})
		a := fake.BotMessages(bobThread)[0]
		if !strings.HasPrefix(a.Content, "<@"+bob.ID+"> Answer to: Le staking est-il sûr ?") {
			t.Errorf("answer %q", a.Content)
		}
		th, _ := fake.Channel(bobThread)
		if th.Type != discordtest.ChannelPublicThread || !contains(th.Members, bob.ID) {
			t.Errorf("thread %+v: want a public thread bob is in", th)
		}
		wait(t, fake, "the pointer to the thread", func() bool {
			in, _ := fake.Interaction(in.ID)
			return in.Original != nil && strings.Contains(in.Original.Content, "<#"+bobThread+">")
		})
	})

	t.Run("SlashHumanInOwnThread", func(t *testing.T) {
		in, err := fake.Command(bobThread, bob, "en-US", "human", discordtest.Opt("message", "please"))
		if err != nil {
			t.Fatal(err)
		}
		wait(t, fake, "the /human answer", func() bool {
			in, _ := fake.Interaction(in.ID)
			return in.Original != nil && strings.Contains(in.Original.Content, "Command human: please")
		})
		if got, _ := eng.message(in.ID); got.Command != supportbot.CmdHuman || got.ConversationID != bobThread {
			t.Errorf("engine got %+v", got)
		}
	})

	t.Run("SlashHumanInSomeoneElsesThreadIsRefused", func(t *testing.T) {
		in, _ := fake.Command(bobThread, carol, "en-US", "human")
		wait(t, fake, "the refusal", func() bool { in, _ := fake.Interaction(in.ID); return in.Original != nil })
		in, _ = fake.Interaction(in.ID)
		if in.AckType != 4 || in.Original.Flags&discordtest.FlagEphemeral == 0 || !strings.Contains(in.Original.Content, "someone else") {
			t.Errorf("response %d %+v", in.AckType, in.Original)
		}
		if _, n := eng.message(in.ID); n != 0 {
			t.Error("the engine was asked")
		}
	})

	t.Run("SlashStatusIsPrivate", func(t *testing.T) {
		in, _ := fake.Command(fake.SupportChannelID, carol, "en-US", "status")
		wait(t, fake, "the /status answer", func() bool {
			in, _ := fake.Interaction(in.ID)
			return in.Original != nil && strings.Contains(in.Original.Content, "Command status")
		})
		in, _ = fake.Interaction(in.ID)
		if in.Original.Flags&discordtest.FlagEphemeral == 0 {
			t.Error("/status answered publicly in a guild channel")
		}
		if got, _ := eng.message(in.ID); got.ConversationID != fake.DM(carol) {
			t.Errorf("conversation %q, want carol's DM", got.ConversationID)
		}
	})

	t.Run("SlashCommandOutsideSupportChannels", func(t *testing.T) {
		in, _ := fake.Command(fake.GeneralChannelID, carol, "en-US", "ask", discordtest.Opt("question", "hi"))
		wait(t, fake, "the pointer", func() bool { in, _ := fake.Interaction(in.ID); return in.Original != nil })
		in, _ = fake.Interaction(in.ID)
		if !strings.Contains(in.Original.Content, "<#"+fake.SupportChannelID+">") {
			t.Errorf("response %q", in.Original.Content)
		}
	})

	t.Run("FeedbackButton", func(t *testing.T) {
		id := "sb:fy:" + alice.ID + ":r-" + dmQuestion.ID
		in, err := fake.Click(alice, dmAnswer, id)
		if err != nil {
			t.Fatal(err)
		}
		wait(t, fake, "the feedback", func() bool { return len(eng.feedbacks()) == 1 })
		f := eng.feedbacks()[0]
		if f.ReplyID != "r-"+dmQuestion.ID || !f.Helpful || f.UserID != alice.ID || f.ConversationID != dm || f.Channel != "discord" {
			t.Errorf("feedback %+v", f)
		}
		wait(t, fake, "the thanks and the disabled buttons", func() bool {
			in, _ := fake.Interaction(in.ID)
			return len(in.Followups) == 1 && hasButton(findMessage(fake, dm, dmAnswer.ID), id, true)
		})
		in, _ = fake.Interaction(in.ID)
		if in.AckType != 6 || in.Followups[0].Content != "Thanks for the feedback." {
			t.Errorf("ack %d, follow-up %+v", in.AckType, in.Followups)
		}
		// "Talk to a person" stays available.
		if !hasButton(findMessage(fake, dm, dmAnswer.ID), "sb:hu:"+alice.ID, false) {
			t.Error("the human button was disabled by feedback")
		}
	})

	t.Run("ButtonsBelongToTheAsker", func(t *testing.T) {
		a := fake.BotMessages(thread)[0]
		in, err := fake.Click(bob, a, "sb:hu:"+alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		wait(t, fake, "the refusal", func() bool { in, _ := fake.Interaction(in.ID); return in.Original != nil })
		in, _ = fake.Interaction(in.ID)
		if in.Original.Flags&discordtest.FlagEphemeral == 0 || !strings.Contains(in.Original.Content, "person who asked") {
			t.Errorf("response %+v", in.Original)
		}
		if _, n := eng.message(in.ID); n != 0 {
			t.Error("bob escalated alice's conversation")
		}
	})

	t.Run("HumanButton", func(t *testing.T) {
		a := fake.BotMessages(thread)[0]
		in, err := fake.Click(alice, a, "sb:hu:"+alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		wait(t, fake, "the escalation reply", func() bool { in, _ := fake.Interaction(in.ID); return len(in.Followups) == 1 })
		if got, _ := eng.message(in.ID); got.Command != supportbot.CmdHuman || got.ConversationID != thread || got.UserID != alice.ID {
			t.Errorf("engine got %+v", got)
		}
	})

	t.Run("AgentReplyReachesThread", func(t *testing.T) {
		before := len(fake.BotMessages(thread))
		r := supportbot.Reply{ID: "esc-1", Text: "Agent: we refunded the fee.", Lang: "en", Decision: supportbot.DecisionAgent, TicketID: "12"}
		to := supportbot.Address{Channel: "discord", ConversationID: thread, UserID: alice.ID}
		if err := h.conn.Send(ctx, to, r); err != nil {
			t.Fatal(err)
		}
		msgs := fake.BotMessages(thread)
		if len(msgs) != before+1 || msgs[len(msgs)-1].Content != "<@"+alice.ID+"> Agent: we refunded the fee." {
			t.Fatalf("thread after Send: %+v", msgs[before:])
		}
		// The outbox may deliver again after a timeout: same reply, no
		// second message.
		if err := h.conn.Send(ctx, to, r); err != nil {
			t.Fatal(err)
		}
		if n := len(fake.BotMessages(thread)); n != before+1 {
			t.Errorf("a repeated Send posted again (%d messages)", n-before)
		}
	})

	t.Run("CSATButtons", func(t *testing.T) {
		r := supportbot.Reply{ID: "esc-2", Text: "How happy are you with ticket #12?", Lang: "en",
			Decision: supportbot.DecisionAgent, TicketID: "12"}
		for i := 1; i <= 5; i++ {
			r.Actions = append(r.Actions, supportbot.Action{Kind: fmt.Sprintf("csat:%d", i), Label: strings.Repeat("★", i)})
		}
		if err := h.conn.Send(ctx, supportbot.Address{Channel: "discord", ConversationID: dm, UserID: alice.ID}, r); err != nil {
			t.Fatal(err)
		}
		msgs := fake.BotMessages(dm)
		m := msgs[len(msgs)-1]
		if len(m.Buttons()) != 5 {
			t.Fatalf("buttons %+v", m.Buttons())
		}
		id := "sb:cs:" + alice.ID + ":12:4"
		in, err := fake.Click(alice, m, id)
		if err != nil {
			t.Fatal(err)
		}
		wait(t, fake, "the rating", func() bool { return len(h.rater.all()) == 1 })
		if got := h.rater.all()[0]; got != "12 discord "+alice.ID+" 4" {
			t.Errorf("rating %q", got)
		}
		wait(t, fake, "the thanks", func() bool {
			in, _ := fake.Interaction(in.ID)
			return len(in.Followups) == 1 && hasButton(findMessage(fake, dm, m.ID), "sb:cs:"+alice.ID+":12:1", true)
		})
		if in, _ := fake.Interaction(in.ID); in.Followups[0].Content != "Thank you for your rating!" {
			t.Errorf("follow-up %q", in.Followups[0].Content)
		}
	})

	t.Run("AgentReplyToDeletedThreadGoesToDM", func(t *testing.T) {
		fake.DeleteChannel(bobThread)
		err := h.conn.Send(ctx, supportbot.Address{Channel: "discord", ConversationID: bobThread, UserID: bob.ID},
			supportbot.Reply{ID: "esc-3", Text: "Your ticket is solved.", Lang: "en", Decision: supportbot.DecisionAgent})
		if err != nil {
			t.Fatal(err)
		}
		msgs := fake.BotMessages(fake.DM(bob))
		if len(msgs) == 0 || msgs[len(msgs)-1].Content != "Your ticket is solved." {
			t.Errorf("bob's DMs: %+v", msgs)
		}
	})

	t.Run("SendErrors", func(t *testing.T) {
		dave := fake.NewUser("dave")
		fake.BlockDMs(dave)
		err := h.conn.Send(ctx, supportbot.Address{Channel: "discord", ConversationID: fake.DM(dave), UserID: dave.ID},
			supportbot.Reply{ID: "esc-4", Text: "hi"})
		if supportbot.ErrorCode(err) != supportbot.EFORBIDDEN {
			t.Errorf("blocked DMs: %v, want a permanent forbidden error", err)
		}
		fake.Fail("POST", "/channels/"+dm+"/messages", 503, 0, 1)
		err = h.conn.Send(ctx, supportbot.Address{Channel: "discord", ConversationID: dm, UserID: alice.ID},
			supportbot.Reply{ID: "esc-5", Text: "hi"})
		if supportbot.ErrorCode(err) != supportbot.EUNAVAILABLE {
			t.Errorf("Discord down: %v, want EUNAVAILABLE", err)
		}
		// The outbox retries later, and the reply arrives once.
		if err := h.conn.Send(ctx, supportbot.Address{Channel: "discord", ConversationID: dm, UserID: alice.ID},
			supportbot.Reply{ID: "esc-5", Text: "hi"}); err != nil {
			t.Errorf("retry: %v", err)
		}
	})

	t.Run("RateLimitIsWaitedOut", func(t *testing.T) {
		for _, global := range []bool{false, true} {
			served, _ := fake.RateLimits()
			fake.RateLimit("POST", "/channels/"+dm+"/messages", 300*time.Millisecond, global)
			m := fake.Post(dm, alice, fmt.Sprintf("rate limited (global %v)?", global))
			wait(t, fake, "the answer", func() bool { return len(repliesTo(fake, dm, m.ID)) == 1 })
			after, early := fake.RateLimits()
			if after != served+1 || early != 0 {
				t.Errorf("global %v: %d rate limits served (want 1), %d requests retried too early", global, after-served, early)
			}
		}
	})

	t.Run("LongAnswerIsSplit", func(t *testing.T) {
		link := "[Withdrawal limits](https://help.example.com/en/articles/limits)"
		var b strings.Builder
		for i := 0; i < 30; i++ {
			fmt.Fprintf(&b, "Step %d: open the wallet, check %s and confirm with `2FA code %d`. ", i, link, i)
			if i%5 == 4 {
				b.WriteString("\n\n")
			}
		}
		long := b.String()
		eng.AnswerFn = func(m supportbot.Message) supportbot.Reply {
			return supportbot.Reply{Text: long, Lang: "en", Decision: supportbot.DecisionAnswer,
				Citations: []supportbot.Citation{{ArticleID: "limits", Title: "Limits", URL: "/en/articles/limits"}},
				Actions:   []supportbot.Action{{Kind: "human", Label: "Talk to a person"}}}
		}
		defer func() { eng.AnswerFn = nil }()
		before := len(fake.BotMessages(dm))
		m := fake.Post(dm, alice, "Tell me everything about withdrawals")
		wait(t, fake, "the first part", func() bool { return len(repliesTo(fake, dm, m.ID)) == 1 })
		// The buttons come with the last part.
		wait(t, fake, "every part", func() bool {
			msgs := fake.BotMessages(dm)
			return len(msgs) > before && len(msgs[len(msgs)-1].Buttons()) > 0
		})
		parts := fake.BotMessages(dm)[before:]
		if len(parts) < 2 {
			t.Fatalf("%d bytes sent in %d message", len(long), len(parts))
		}
		var joined strings.Builder
		for i, p := range parts {
			joined.WriteString(p.Content + " ")
			if n := strings.Count(p.Content, "[Withdrawal limits]("); n != strings.Count(p.Content, link) {
				t.Errorf("part %d cuts a link", i)
			}
			if strings.Count(p.Content, "`")%2 != 0 {
				t.Errorf("part %d cuts a code span", i)
			}
			last := i == len(parts)-1
			if (len(p.Buttons()) > 0) != last || (len(p.Embeds) > 0) != last {
				t.Errorf("part %d: %d buttons, %d embeds; they belong under the last part only", i, len(p.Buttons()), len(p.Embeds))
			}
		}
		if strings.Join(strings.Fields(joined.String()), " ") != strings.Join(strings.Fields(long), " ") {
			t.Error("the parts do not add up to the answer")
		}
	})

	t.Run("Attachments", func(t *testing.T) {
		png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
		m := fake.Post(dm, alice, "here is my screenshot", discordtest.WithFile("shot.png", png),
			discordtest.WithFile("run.sh", []byte("#!/bin/sh\nrm -rf /\n")),
			discordtest.WithFile("huge.png", png), discordtest.WithClaimedSize(11<<20))
		wait(t, fake, "the answer", func() bool { return len(repliesTo(fake, dm, m.ID)) == 1 })
		got, _ := eng.message(m.ID)
		if len(got.Attachments) != 1 || got.Attachments[0].Name != "shot.png" || got.Attachments[0].ContentType != "image/png" ||
			string(got.Attachments[0].Data) != string(png) {
			t.Fatalf("attachments %+v", got.Attachments)
		}
		notice := repliesTo(fake, dm, m.ID)[0].Content
		if !strings.Contains(notice, "run.sh") || !strings.Contains(notice, "huge.png") {
			t.Errorf("notice %q does not name the refused files", notice)
		}
		for _, c := range fake.Calls("GET", "/attachments/") {
			if strings.HasSuffix(c.Path, "/huge.png") {
				t.Error("a file over the limit was downloaded")
			}
		}
	})

	t.Run("SlashLinkIsPrivateStartWithToken", func(t *testing.T) {
		in, _ := fake.Command(fake.SupportChannelID, carol, "en-US", "link", discordtest.Opt("code", "AbC123_-x"))
		wait(t, fake, "the /link answer", func() bool {
			in, _ := fake.Interaction(in.ID)
			return in.Original != nil && strings.Contains(in.Original.Content, "Command start")
		})
		in, _ = fake.Interaction(in.ID)
		if in.Original.Flags&discordtest.FlagEphemeral == 0 {
			t.Error("/link answered publicly")
		}
		if got, _ := eng.message(in.ID); got.Command != supportbot.CmdStart || got.Text != "AbC123_-x" {
			t.Errorf("engine got %+v", got)
		}
	})

	t.Run("UnacknowledgedCommandIsStillAnswered", func(t *testing.T) {
		// Discord forgot the interaction (or the acknowledgement failed):
		// the answer goes to the conversation as a plain message.
		fake.Fail("POST", "/interactions/", 404, 10062, 1)
		in, _ := fake.Command(dm, alice, "en-US", "ask", discordtest.Opt("question", "still there?"))
		wait(t, fake, "the answer in the DM", func() bool {
			for _, m := range fake.BotMessages(dm) {
				if strings.Contains(m.Content, "Answer to: still there?") {
					return true
				}
			}
			return false
		})
		if in, _ := fake.Interaction(in.ID); in.AckType != 0 {
			t.Errorf("ack type %d", in.AckType)
		}
	})

	t.Run("NoThreadPermission", func(t *testing.T) {
		fake.DenyThreads(fake.SupportChannelID)
		m := fake.Post(fake.SupportChannelID, carol, "<@"+bot+"> help")
		wait(t, fake, "the explanation", func() bool { return len(repliesTo(fake, fake.SupportChannelID, m.ID)) == 1 })
		if r := repliesTo(fake, fake.SupportChannelID, m.ID)[0]; !strings.Contains(r.Content, "direct message") {
			t.Errorf("reply %q", r.Content)
		}
		if _, n := eng.message(m.ID); n != 0 {
			t.Error("the question was answered in the public channel")
		}
	})

	t.Run("Metrics", func(t *testing.T) {
		for _, c := range []struct {
			name   string
			labels map[string]string
			min    float64
		}{
			{"supportbot_discord_received_total", map[string]string{"kind": "message"}, 5},
			{"supportbot_discord_received_total", map[string]string{"kind": "command"}, 5},
			{"supportbot_discord_received_total", map[string]string{"kind": "button"}, 3},
			{"supportbot_discord_messages_sent_total", map[string]string{"result": "ok"}, 10},
			{"supportbot_discord_rate_limits_total", map[string]string{"scope": "global"}, 1},
			{"supportbot_discord_rate_limits_total", map[string]string{"scope": "route"}, 1},
			{"supportbot_discord_gateway_events_total", map[string]string{"event": "ready"}, 1},
		} {
			if got := h.counter(t, c.name, c.labels); got < c.min {
				t.Errorf("%s%v = %v, want at least %v", c.name, c.labels, got, c.min)
			}
		}
	})

	if late := fake.LateAcks(); late != 0 {
		t.Errorf("%d interactions were acknowledged after Discord's 3 seconds", late)
	}
	if err := h.stop(); err != nil {
		t.Errorf("Run: %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
