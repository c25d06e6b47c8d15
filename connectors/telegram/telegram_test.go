package telegram

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/connectors/telegram/telegramtest"
	"github.com/supportbot/supportbot/internal/sqldb"
)

func TestParseCommand(t *testing.T) {
	for _, tc := range []struct {
		text, cmd, target, arg string
		ok                     bool
	}{
		{"/start", "start", "", "", true},
		{"/start AbC_12-xyz", "start", "", "AbC_12-xyz", true},
		{"/Status@SupportBot  42 ", "status", "SupportBot", "42", true},
		{"/ticket my deposit\nis missing", "ticket", "", "my deposit\nis missing", true},
		{"/lang ja", "lang", "", "ja", true},
		{"hello /start", "", "", "", false},
		{"/", "", "", "", false},
		{"/start-now", "", "", "", false},
		{"//start", "", "", "", false},
	} {
		cmd, target, arg, ok := parseCommand(tc.text)
		if cmd != tc.cmd || target != tc.target || arg != tc.arg || ok != tc.ok {
			t.Errorf("parseCommand(%q) = %q %q %q %v", tc.text, cmd, target, arg, ok)
		}
	}
}

func TestParseCallback(t *testing.T) {
	for _, tc := range []struct {
		data string
		want callback
		ok   bool
	}{
		{"fb:1:0123abcdef", callback{Kind: "feedback", Helpful: true, ReplyID: "0123abcdef"}, true},
		{"fb:0:esc-12", callback{Kind: "feedback", ReplyID: "esc-12"}, true},
		{"human", callback{Kind: "human"}, true},
		{"lang:zh-Hant", callback{Kind: "lang", Lang: "zh-Hant"}, true},
		{"csat:4:17", callback{Kind: "csat", Score: 4, Ticket: 17}, true},
		{"csat:6:17", callback{}, false},
		{"csat:0:17", callback{}, false},
		{"csat:3:-1", callback{}, false},
		{"lang:xx", callback{}, false},
		{"fb:2:abc", callback{}, false},
		{"fb:1:a b", callback{}, false},
		{"fb:1:", callback{}, false},
		{"", callback{}, false},
		{"humans", callback{}, false},
	} {
		got, ok := parseCallback(tc.data)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseCallback(%q) = %+v %v", tc.data, got, ok)
		}
	}
}

func TestKeyboard(t *testing.T) {
	r := supportbot.Reply{ID: strings.Repeat("a", 24), TicketID: "7", Actions: []supportbot.Action{
		{Kind: "helpful", Label: "Helpful"}, {Kind: "not_helpful", Label: "Not helpful"}, {Kind: "human", Label: "Talk to a human"},
		{Kind: "csat:1"}, {Kind: "csat:5", Label: "★★★★★"}, {Kind: "lang:xx"}, {Kind: "unknown"}}}
	for _, l := range supportbot.Languages {
		r.Actions = append(r.Actions, supportbot.Action{Kind: "lang:" + l, Label: supportbot.LanguageNames[l]})
	}
	kb := keyboard(r)
	var rows []string
	for _, row := range kb.InlineKeyboard {
		var s []string
		for _, b := range row {
			if len(b.CallbackData) > maxCallbackData || b.Text == "" {
				t.Errorf("bad button %+v", b)
			}
			s = append(s, b.CallbackData)
		}
		rows = append(rows, strings.Join(s, ","))
	}
	want := []string{"fb:1:" + r.ID + ",fb:0:" + r.ID, "human", "lang:en,lang:zh-Hans,lang:zh-Hant", "lang:ja,lang:ko,lang:ru",
		"lang:es,lang:vi,lang:tr", "lang:pt,lang:fr", "csat:1:7,csat:5:7"}
	if strings.Join(rows, "|") != strings.Join(want, "|") {
		t.Errorf("rows\n got %v\nwant %v", rows, want)
	}
	if kb.InlineKeyboard[0][0].Text != "👍 Helpful" {
		t.Errorf("label %q", kb.InlineKeyboard[0][0].Text)
	}
	// Without a reply id there is nothing to rate.
	if kb := keyboard(supportbot.Reply{Actions: []supportbot.Action{{Kind: "helpful"}}}); kb != nil {
		t.Errorf("feedback buttons without a reply id: %+v", kb)
	}
	// What remains after a rating.
	left := withoutRows(kb.InlineKeyboard, "fb:")
	if len(left.InlineKeyboard) != len(kb.InlineKeyboard)-1 || left.InlineKeyboard[0][0].CallbackData != "human" {
		t.Errorf("withoutRows: %+v", left)
	}
}

func TestCatalogIsComplete(t *testing.T) {
	for key, m := range catalog {
		for _, l := range supportbot.Languages {
			s := m[l]
			if s == "" {
				t.Errorf("%s: no %s text", key, l)
			}
			if strings.Contains(m["en"], "{link}") != strings.Contains(s, "{link}") {
				t.Errorf("%s/%s: placeholder {link} missing", key, l)
			}
			if strings.Contains(m["en"], "{max}") != strings.Contains(s, "{max}") {
				t.Errorf("%s/%s: placeholder {max} missing", key, l)
			}
			if strings.HasPrefix(key, "cmd.") && (len([]rune(s)) < 3 || len([]rune(s)) > 256) {
				t.Errorf("%s/%s: a command description has 3 to 256 characters", key, l)
			}
		}
	}
	if got := T("xx", "rated"); got != catalog["rated"]["en"] {
		t.Errorf("unknown language does not fall back to English: %q", got)
	}
	ms := menus()
	if len(ms) != 11 || ms[0].LanguageCode != "" || ms[2].LanguageCode != "zh" {
		t.Errorf("menus: %d, first codes %q %q", len(ms), ms[0].LanguageCode, ms[2].LanguageCode)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := Config{Token: "123:abc-DEF_4"}
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"OK", func(*Config) {}, ""},
		{"BadToken", func(c *Config) { c.Token = "not a token" }, "token"},
		{"BadMode", func(c *Config) { c.Mode = "push" }, "mode"},
		{"WebhookOK", func(c *Config) {
			c.Mode, c.WebhookURL, c.WebhookSecret = ModeWebhook, "https://x.example/tg/hook", "abc_DEF-123"
		}, ""},
		{"WebhookNoSecret", func(c *Config) { c.Mode, c.WebhookURL = ModeWebhook, "https://x.example/hook" }, "webhook_secret"},
		{"WebhookBadSecret", func(c *Config) {
			c.Mode, c.WebhookURL, c.WebhookSecret = ModeWebhook, "https://x.example/hook", "has space"
		}, "webhook_secret"},
		{"WebhookLongSecret", func(c *Config) {
			c.Mode, c.WebhookURL, c.WebhookSecret = ModeWebhook, "https://x.example/hook", strings.Repeat("a", 257)
		}, "webhook_secret"},
		{"WebhookNoURL", func(c *Config) { c.Mode, c.WebhookSecret = ModeWebhook, "abc" }, "webhook_url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			c.SetDefaults()
			err := c.Validate()
			if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Validate() = %v, want an error about %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), c.Token) {
				t.Errorf("the error shows the token")
			}
		})
	}
	c := Config{WebhookURL: "https://x.example/tg/hook"}
	if c.WebhookPath() != "/tg/hook" {
		t.Errorf("WebhookPath = %q", c.WebhookPath())
	}
	if (&Config{}).WebhookPath() != "/telegram/webhook" {
		t.Errorf("default WebhookPath")
	}
}

func TestParseEnvelope(t *testing.T) {
	for _, tc := range []struct{ raw, key string }{
		{`{"update_id":5,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42}}}`, "42"},
		{`{"update_id":6,"message":{"chat":{"id":-100,"type":"supergroup"},"from":{"id":42}}}`, "-100:42"},
		{`{"update_id":7,"callback_query":{"from":{"id":42},"message":{"chat":{"id":42,"type":"private"},"date":1}}}`, "42"},
		{`{"update_id":8,"callback_query":{"from":{"id":42}}}`, "u42"},
		{`{"update_id":9,"poll":{}}`, "none"},
	} {
		u, err := parseEnvelope([]byte(tc.raw))
		if err != nil || u.ChatKey != tc.key {
			t.Errorf("parseEnvelope(%s) = %q, %v; want %q", tc.raw, u.ChatKey, err, tc.key)
		}
	}
	for _, bad := range []string{`{}`, `{"update_id":0}`, `[1]`, `{"update_id":"x"}`} {
		if _, err := parseEnvelope([]byte(bad)); err == nil {
			t.Errorf("parseEnvelope(%s) accepted", bad)
		}
	}
}

func TestIsPersonal(t *testing.T) {
	for _, tc := range []struct {
		r    supportbot.Reply
		want bool
	}{
		{supportbot.Reply{Decision: supportbot.DecisionAnswer, Reason: "answered"}, false},
		{supportbot.Reply{Decision: supportbot.DecisionSmallTalk, Reason: "help"}, false},
		{supportbot.Reply{Decision: supportbot.DecisionEscalate, Reason: "low_confidence"}, true},
		{supportbot.Reply{Decision: supportbot.DecisionStatus}, true},
		{supportbot.Reply{Decision: supportbot.DecisionAnswer, TicketID: "3"}, true},
		{supportbot.Reply{Decision: supportbot.DecisionSmallTalk, Reason: "account_linked"}, true},
		{supportbot.Reply{Decision: supportbot.DecisionReject, Reason: "link_refused"}, true},
	} {
		if got := isPersonal(tc.r); got != tc.want {
			t.Errorf("isPersonal(%+v) = %v", tc.r, got)
		}
	}
}

// handlerFunc is a supportbot.Handler from a function, counting calls.
type handlerFunc struct {
	mu    sync.Mutex
	calls []supportbot.Message
	fn    func(supportbot.Message) (supportbot.Reply, error)
}

func (h *handlerFunc) Handle(ctx context.Context, m supportbot.Message) (supportbot.Reply, error) {
	h.mu.Lock()
	h.calls = append(h.calls, m)
	h.mu.Unlock()
	return h.fn(m)
}

func (h *handlerFunc) HandleStream(ctx context.Context, m supportbot.Message, emit func(string)) (supportbot.Reply, error) {
	return h.Handle(ctx, m)
}

func (h *handlerFunc) Feedback(ctx context.Context, f supportbot.Feedback) (supportbot.Reply, error) {
	return supportbot.Reply{}, nil
}

// TestCrashAfterTheEngineAnswered covers a crash between the engine's
// answer and its delivery: the update is still in the inbox, claimed once.
// When its lease ends it is processed again, the engine says Duplicate,
// and this time the reply is sent, because the first attempt never did.
// A crash halfway through a long reply resumes after the parts sent.
func TestCrashAfterTheEngineAnswered(t *testing.T) {
	emu := telegramtest.Start(t)
	db, err := sqldb.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	long := strings.Repeat("word ", 700) + "\n\n" + strings.Repeat("more ", 700)
	h := &handlerFunc{fn: func(m supportbot.Message) (supportbot.Reply, error) {
		// The engine saw the updates the dead process handled.
		dup := m.ID == "900" || m.ID == "901" || m.ID == "902"
		if m.Text == "long" {
			return supportbot.Reply{ID: "r2", Text: long, Duplicate: dup}, nil
		}
		return supportbot.Reply{ID: "r1", Text: "the answer", Duplicate: dup}, nil
	}}
	c, err := New(Config{Token: emu.Token, APIURL: emu.URL, BotUsername: "TestNameBot", PollTimeout: 2 * time.Second}, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Open(ctx); err != nil {
		t.Fatal(err)
	}
	st := c.getStore()
	// Two updates claimed by a process that then died: the lease ended.
	msg := func(id int64, text string) inUpdate {
		raw := `{"update_id":` + strconv.FormatInt(id, 10) + `,"message":{"message_id":1,"date":1,"from":{"id":42,"is_bot":false,"first_name":"A"},"chat":{"id":42,"type":"private"},"text":"` + text + `"}}`
		u, err := parseEnvelope([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	if _, err := st.addUpdates(ctx, []inUpdate{msg(900, "q"), msg(901, "long")}, false); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{900, 901} {
		p := pendingUpdate{inUpdate: inUpdate{ID: id}}
		if ok, err := st.claim(ctx, &p, time.Now().Add(-time.Second)); !ok || err != nil {
			t.Fatal(ok, err)
		}
	}
	if err := st.setProgress(ctx, 901, 1); err != nil { // the first part of the long reply went out
		t.Fatal(err)
	}
	// A duplicate that this inbox sees for the first time is not sent.
	if _, err := st.addUpdates(ctx, []inUpdate{msg(902, "q")}, false); err != nil {
		t.Fatal(err)
	}

	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- c.Run(runCtx, h) }()
	defer func() { cancel(); <-done }()

	got := emu.Wait(t, 42, 2, 20*time.Second)
	if got[0].Text != "the answer" {
		t.Errorf("first message %q", got[0].Text)
	}
	parts := split(render(long, nil), maxMessageLen)
	if len(parts) != 2 || got[1].Text != parts[1].HTML {
		t.Errorf("the long reply was not resumed at its second part (%d parts)", len(parts))
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		s, _, _ := st.status(ctx, 902)
		if s == statusDone {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("update 902 is %s", s)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, id := range []int64{900, 901} {
		if s, attempts, _ := st.status(ctx, id); s != statusDone || attempts != 2 {
			t.Errorf("update %d: %s after %d attempts", id, s, attempts)
		}
	}
	emu.SendText(t, telegramtest.User{ID: 42, FirstName: "A"}, "q")
	if m := emu.Wait(t, 42, 1, 20*time.Second)[0]; m.Text != "the answer" {
		t.Errorf("after the repeats: %q", m.Text)
	}
}
