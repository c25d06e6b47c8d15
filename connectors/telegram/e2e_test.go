package telegram_test

// End-to-end tests: the real connector talks to a Telegram Bot API
// emulator (telegram-test-api, run by telegramtest) over HTTP, and passes
// messages to the real engine (bot.Service over the demo help center and
// the real retrieval index) with the real escalation desk, all on SQLite.
// The test plays the user through the emulator's client API.

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/bot"
	"github.com/supportbot/supportbot/connectors/telegram"
	"github.com/supportbot/supportbot/connectors/telegram/telegramtest"
	"github.com/supportbot/supportbot/escalation"
	"github.com/supportbot/supportbot/internal/sqldb"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/retrieval"
)

const (
	helpCenter = "https://help.example.com"
	wait       = 20 * time.Second // generous: the machine is shared
)

var (
	indexOnce sync.Once
	index     *retrieval.Index
	indexErr  error
)

// demoIndex is the real retrieval index over the demo help center, built
// once for all tests.
func demoIndex(tb testing.TB) *retrieval.Index {
	tb.Helper()
	indexOnce.Do(func() {
		lr, err := knowledge.Load(knowledge.Demo(), "articles")
		if err != nil {
			indexErr = err
			return
		}
		ix, err := retrieval.Open(retrieval.Config{})
		if err != nil {
			indexErr = err
			return
		}
		if _, err := ix.Sync(context.Background(), lr.Articles, nil); err != nil {
			indexErr = err
			return
		}
		index = ix
	})
	if indexErr != nil {
		tb.Fatal(indexErr)
	}
	return index
}

// env is one supportbot with its Telegram connector.
type env struct {
	emu    *telegramtest.Emulator
	db     *sqldb.DB
	engine *bot.Service
	desk   *escalation.Service
	agent  *escalation.Agent
	conn   *telegram.Connector
	cfg    telegram.Config
	stop   func()
}

type options struct {
	llm     supportbot.LLM
	webhook bool
	connDB  *sqldb.DB // the connector's own database, to simulate a lost inbox
}

func openDB(tb testing.TB) *sqldb.DB {
	tb.Helper()
	db, err := sqldb.Open(context.Background(), filepath.Join(tb.TempDir(), "supportbot.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func newEnv(tb testing.TB, emu *telegramtest.Emulator, o options) *env {
	tb.Helper()
	ctx := context.Background()
	if emu == nil {
		emu = telegramtest.Start(tb)
	}
	e := &env{emu: emu, db: openDB(tb)}
	log := logrus.New()
	log.SetOutput(io.Discard)
	if testing.Verbose() {
		log.SetOutput(tbWriter{tb})
		log.SetLevel(logrus.DebugLevel)
	}
	channels := map[string]supportbot.Channel{}
	e.desk = escalation.New(escalation.Config{AttachmentDir: filepath.Join(tb.TempDir(), "files")}, e.db, channels, log)
	if err := e.desk.Open(ctx); err != nil {
		tb.Fatal(err)
	}
	agent, err := escalation.AddAgent(ctx, e.db, "agent@example.com", "Ana Agent", "correct horse battery", escalation.RoleAgent)
	if err != nil {
		tb.Fatal(err)
	}
	e.agent = agent
	st, err := bot.OpenStore(ctx, e.db)
	if err != nil {
		tb.Fatal(err)
	}
	e.engine = bot.New(bot.Config{PublicURL: helpCenter}, bot.Deps{Store: st, Detector: bot.NewDetector(),
		Retriever: demoIndex(tb), LLM: o.llm, Escalator: e.desk, Log: log})

	e.cfg = telegram.Config{Token: emu.Token, APIURL: emu.URL, PollTimeout: 5 * time.Second, HelpCenterURL: helpCenter}
	var mux *http.ServeMux
	if o.webhook {
		mux = http.NewServeMux()
		srv := httptest.NewServer(mux)
		tb.Cleanup(srv.Close)
		e.cfg.Mode = telegram.ModeWebhook
		e.cfg.WebhookURL = srv.URL + "/telegram/webhook"
		e.cfg.WebhookSecret = "s3cret-Token_for-tests"
	}
	connDB := e.db
	if o.connDB != nil {
		connDB = o.connDB
	}
	e.conn, err = telegram.New(e.cfg, connDB, telegram.WithLogger(log), telegram.WithRater(e.desk))
	if err != nil {
		tb.Fatal(err)
	}
	if err := e.conn.Open(ctx); err != nil {
		tb.Fatal(err)
	}
	if mux != nil {
		mux.Handle(e.cfg.WebhookPath(), e.conn.WebhookHandler())
	}
	channels[telegram.Name] = e.conn
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- e.conn.Run(runCtx, e.engine) }()
	e.stop = func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("Run: %v", err)
		}
		e.stop = func() {}
	}
	tb.Cleanup(func() { e.stop() })
	return e
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

var alice = telegramtest.User{ID: 4201, FirstName: "Alice", LanguageCode: "en"}

// visible is the text a Telegram client shows for an HTML message.
func visible(tb testing.TB, html string) string {
	tb.Helper()
	var b strings.Builder
	d := xml.NewDecoder(strings.NewReader("<m>" + html + "</m>"))
	d.Strict = true
	allowed := map[string]bool{"m": true, "b": true, "i": true, "s": true, "u": true, "code": true, "pre": true,
		"a": true, "blockquote": true}
	for {
		t, err := d.Token()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			tb.Fatalf("not valid Telegram HTML: %v\n%s", err, html)
		}
		switch t := t.(type) {
		case xml.StartElement:
			if !allowed[t.Name.Local] {
				tb.Fatalf("tag <%s> is not Telegram HTML:\n%s", t.Name.Local, html)
			}
		case xml.CharData:
			b.Write(t)
		}
	}
}

func TestAskGetsCitedAnswer(t *testing.T) {
	e := newEnv(t, nil, options{})
	id := e.emu.SendText(t, alice, "How do I reset my password?")
	msgs := e.emu.Wait(t, alice.ID, 1, wait)
	m := msgs[0]
	if m.ParseMode != "HTML" {
		t.Errorf("parse_mode = %q, want HTML", m.ParseMode)
	}
	if !strings.Contains(m.Text, `<a href="https://help.example.com/en/articles/reset-password">`) {
		t.Errorf("answer does not cite the reset-password article:\n%s", m.Text)
	}
	if !strings.Contains(visible(t, m.Text), "password") {
		t.Errorf("answer is not about passwords: %s", m.Text)
	}
	if m.ReplyTo == 0 {
		t.Errorf("the answer should reply to the question")
	}
	for _, p := range []string{"fb:1:", "fb:0:", "human"} {
		if m.Data(p) == "" {
			t.Errorf("no %q button under the answer: %+v", p, m.ReplyMarkup)
		}
	}
	// "typing…" was shown in the chat while the answer was prepared.
	e.emu.WaitCall(t, "sendChatAction", wait, func(c telegramtest.Call) bool {
		return c.Body["chat_id"] == strconv.FormatInt(alice.ID, 10) && c.Body["action"] == "typing"
	})
	_ = id

	// The command menu is registered in every language Telegram tells apart.
	var langs []string
	deadline := time.Now().Add(wait)
	for len(langs) < 11 && time.Now().Before(deadline) {
		langs = langs[:0]
		for _, c := range e.emu.Calls(t, "setMyCommands") {
			code, _ := c.Body["language_code"].(string)
			langs = append(langs, code)
			if code == "ja" && !strings.Contains(fmt.Sprint(c.Body["commands"]), "担当者と話す") {
				t.Errorf("Japanese menu not localized: %v", c.Body["commands"])
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	want := "|en|zh|ja|ko|ru|es|vi|tr|pt|fr" // "" is the default menu
	if got := strings.Join(langs, "|"); got != want {
		t.Errorf("setMyCommands languages = %q, want %q", got, want)
	}
}

func TestStartAndLangSwitch(t *testing.T) {
	e := newEnv(t, nil, options{})
	e.emu.SendText(t, alice, "/start")
	start := e.emu.Wait(t, alice.ID, 1, wait)[0]
	if start.Data("lang:ja") == "" || start.Data("lang:zh-Hant") == "" {
		t.Fatalf("/start offers no language keyboard: %+v", start.ReplyMarkup)
	}
	n := 0
	for _, row := range start.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if strings.HasPrefix(b.CallbackData, "lang:") {
				n++
			}
		}
	}
	if n != len(supportbot.Languages) {
		t.Errorf("%d language buttons, want %d", n, len(supportbot.Languages))
	}

	e.emu.Press(t, alice, start, "lang:ja")
	set := e.emu.Wait(t, alice.ID, 1, wait)[0]
	if !strings.Contains(set.Text, "日本語") {
		t.Errorf("language switch not confirmed in Japanese: %q", set.Text)
	}
	e.emu.WaitCall(t, "answerCallbackQuery", wait, nil)

	// The next answer is in Japanese, although the question is English
	// and the client says "en".
	e.emu.SendText(t, alice, "How do I reset my password?")
	ans := e.emu.Wait(t, alice.ID, 1, wait)[0]
	if !strings.Contains(ans.Text, "より") || !strings.Contains(ans.Text, "/ja/articles/") {
		t.Errorf("answer is not in Japanese: %s", ans.Text)
	}

	// /lang with an argument switches too.
	e.emu.SendText(t, alice, "/lang ru")
	if got := e.emu.Wait(t, alice.ID, 1, wait)[0].Text; !strings.Contains(got, "по-русски") {
		t.Errorf("/lang ru: %q", got)
	}
}

func TestFeedbackButtonIsStored(t *testing.T) {
	e := newEnv(t, nil, options{})
	e.emu.SendText(t, alice, "How do I reset my password?")
	ans := e.emu.Wait(t, alice.ID, 1, wait)[0]
	data := ans.Data("fb:1:")
	replyID := strings.TrimPrefix(data, "fb:1:")
	e.emu.Press(t, alice, ans, data)

	// The press is answered with a toast, the buttons go away.
	c := e.emu.WaitCall(t, "answerCallbackQuery", wait, nil)
	if c.Body["text"] != "Thanks for your feedback!" {
		t.Errorf("answerCallbackQuery text = %v", c.Body["text"])
	}
	edit := e.emu.WaitCall(t, "editMessageReplyMarkup", wait, nil)
	if s := fmt.Sprint(edit.Body["reply_markup"]); strings.Contains(s, "fb:") || !strings.Contains(s, "human") {
		t.Errorf("feedback buttons not removed (or others lost): %s", s)
	}
	fbs, err := e.engine.Store().ListFeedback(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(fbs) != 1 || !fbs[0].Helpful || fbs[0].ReplyID != replyID || fbs[0].Channel != "telegram" ||
		fbs[0].UserID != strconv.FormatInt(alice.ID, 10) {
		t.Fatalf("feedback stored = %+v, want one helpful rating of %s", fbs, replyID)
	}

	// A forged button (another reply id) is refused, and still answered.
	before := len(e.emu.Calls(t, "answerCallbackQuery"))
	e.emu.Press(t, alice, ans, "fb:0:0123456789abcdef01234567")
	e.emu.WaitCall(t, "answerCallbackQuery", wait, func(c telegramtest.Call) bool {
		return c.Body["text"] == "This button is no longer active."
	})
	if n := len(e.emu.Calls(t, "answerCallbackQuery")); n != before+1 {
		t.Errorf("%d answerCallbackQuery calls for one press", n-before)
	}
	if fbs, _ := e.engine.Store().ListFeedback(context.Background(), 10); len(fbs) != 1 {
		t.Errorf("a forged rating was stored: %+v", fbs)
	}
}

func TestHumanEscalatesAndAgentReplyArrives(t *testing.T) {
	e := newEnv(t, nil, options{})
	ctx := context.Background()
	e.emu.SendText(t, alice, "My withdrawal to my bank has been stuck for three days")
	e.emu.Wait(t, alice.ID, 1, wait)
	e.emu.SendText(t, alice, "/human")
	esc := e.emu.Wait(t, alice.ID, 1, wait)[0]
	tk, err := e.desk.FindOpenTicket(ctx, "telegram", strconv.FormatInt(alice.ID, 10))
	if err != nil {
		t.Fatalf("no ticket after /human: %v (bot said %q)", err, esc.Text)
	}
	if !strings.Contains(esc.Text, "#"+strconv.FormatInt(tk.ID, 10)) {
		t.Errorf("the user is not told the ticket number %d: %q", tk.ID, esc.Text)
	}
	if tk.UserID != strconv.FormatInt(alice.ID, 10) || tk.DisplayName != "Alice" {
		t.Errorf("ticket user = %q %q", tk.UserID, tk.DisplayName)
	}

	// The agent answers in the console; the outbox delivers through Send.
	reply := "Hi Alice, your transfer is back. Check <Assets> & History, or read [the guide](/en/articles/withdrawal-pending)."
	if _, err := e.desk.Reply(ctx, e.agent, tk.ID, reply, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	got := e.emu.Wait(t, alice.ID, 1, wait)[0]
	text := visible(t, got.Text)
	if !strings.Contains(text, "Check <Assets> & History") || !strings.Contains(text, "Ana Agent") {
		t.Errorf("agent reply not delivered intact: %q", text)
	}
	if !strings.Contains(got.Text, "&lt;Assets&gt; &amp; History") ||
		!strings.Contains(got.Text, `<a href="https://help.example.com/en/articles/withdrawal-pending">the guide</a>`) {
		t.Errorf("agent reply not rendered as Telegram HTML: %s", got.Text)
	}
	ds, err := e.desk.Deliveries(ctx, tk.ID)
	if err != nil || len(ds) == 0 || ds[len(ds)-1].Status != escalation.DeliveryDelivered {
		t.Errorf("delivery not recorded as delivered: %+v %v", ds, err)
	}

	// Solving asks for a rating; the star buttons rate the ticket.
	if err := e.desk.SetStatus(ctx, e.agent, tk.ID, supportbot.StatusSolved); err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	notices := e.emu.Wait(t, alice.ID, 2, wait)
	csat := notices[1]
	data := csat.Data("csat:5:")
	if data != "csat:5:"+strconv.FormatInt(tk.ID, 10) {
		t.Fatalf("CSAT buttons = %+v", csat.ReplyMarkup)
	}
	e.emu.Press(t, alice, csat, data)
	e.emu.WaitCall(t, "answerCallbackQuery", wait, func(c telegramtest.Call) bool {
		return c.Body["text"] == "Thank you for your rating!"
	})
	rated, err := e.desk.Ticket(ctx, tk.ID)
	if err != nil || rated.CSAT != 5 {
		t.Errorf("CSAT = %d (%v), want 5", rated.CSAT, err)
	}
}

// png is a 1x1 PNG.
var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func TestPhotoLandsOnTicket(t *testing.T) {
	e := newEnv(t, nil, options{})
	ctx := context.Background()
	e.emu.SendText(t, alice, "/ticket My deposit has not arrived")
	e.emu.Wait(t, alice.ID, 1, wait)
	tk, err := e.desk.FindOpenTicket(ctx, "telegram", strconv.FormatInt(alice.ID, 10))
	if err != nil {
		t.Fatal(err)
	}

	// A photo (Telegram sends several sizes) with a caption.
	e.emu.AddFile(t, "photo-small", png)
	e.emu.AddFile(t, "photo-large", png)
	e.emu.Send(t, alice, telegramtest.Private(alice), map[string]any{
		"caption": "here is the screenshot",
		"photo": []map[string]any{
			{"file_id": "photo-small", "file_unique_id": "s1", "width": 90, "height": 90, "file_size": len(png)},
			{"file_id": "photo-large", "file_unique_id": "l1", "width": 800, "height": 800, "file_size": len(png)},
		}})
	e.emu.Wait(t, alice.ID, 1, wait)

	// A "PNG" that is really a script, and a file over the limit.
	e.emu.AddFile(t, "fake", []byte("#!/bin/sh\nrm -rf /\n"))
	e.emu.Send(t, alice, telegramtest.Private(alice), map[string]any{
		"document": map[string]any{"file_id": "fake", "file_unique_id": "f1", "file_name": "cat.png", "mime_type": "image/png"}})
	refused := e.emu.Wait(t, alice.ID, 1, wait)[0]
	if !strings.Contains(refused.Text, "PDF") {
		t.Errorf("a script named cat.png was not refused: %q", refused.Text)
	}
	e.emu.Send(t, alice, telegramtest.Private(alice), map[string]any{
		"document": map[string]any{"file_id": "huge", "file_unique_id": "h1", "file_name": "statement.pdf", "file_size": 11 << 20}})
	if got := e.emu.Wait(t, alice.ID, 1, wait)[0].Text; !strings.Contains(got, "10 MB") {
		t.Errorf("an 11 MB file was not refused: %q", got)
	}

	atts, err := e.desk.Attachments(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(atts) != 1 || atts[0].ContentType != "image/png" || atts[0].Size != int64(len(png)) {
		t.Fatalf("attachments = %+v, want the one PNG", atts)
	}
	_, data, err := e.desk.OpenAttachment(ctx, atts[0].ID)
	if err != nil || string(data) != string(png) {
		t.Errorf("stored photo differs: %v", err)
	}
	// The largest size was fetched.
	var fetched []string
	for _, c := range e.emu.Calls(t, "getFile") {
		fetched = append(fetched, fmt.Sprint(c.Body["file_id"]))
	}
	if len(fetched) == 0 || fetched[0] != "photo-large" {
		t.Errorf("getFile calls = %v, want the large photo first", fetched)
	}
	for _, f := range fetched {
		if f == "huge" {
			t.Errorf("an oversized file was downloaded")
		}
	}
}

// longLLM answers with a long Markdown text: numbered steps with bold,
// links and characters that must be escaped.
type longLLM struct{ text string }

func (l longLLM) Complete(ctx context.Context, p supportbot.Prompt) (supportbot.Completion, error) {
	return supportbot.Completion{Text: l.text}, nil
}

func (l longLLM) Stream(ctx context.Context, p supportbot.Prompt, emit func(string)) (supportbot.Completion, error) {
	emit(l.text)
	return supportbot.Completion{Text: l.text}, nil
}

func TestLongAnswerArrivesSplitAndIntact(t *testing.T) {
	var b strings.Builder
	b.WriteString("To reset your password, follow these steps [1]:\n\n")
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, "%d. **Step %d**: open *Settings* → Security & check that 2 < 3 > 1, then see [the guide](https://help.example.com/en/articles/reset-password) — ünïcödé 密码 🔐 done.\n", i, i)
	}
	b.WriteString("\nA final paragraph with `code <x>` and a very long word: " + strings.Repeat("x", 5000) + " end.")
	e := newEnv(t, nil, options{llm: longLLM{b.String()}})
	e.emu.SendText(t, alice, "How do I reset my password?")

	// Wait for all parts: the last one carries the buttons.
	var parts []telegramtest.BotMessage
	for len(parts) == 0 || parts[len(parts)-1].ReplyMarkup == nil {
		parts = append(parts, e.emu.Wait(t, alice.ID, 1, wait)...)
		if len(parts) > 10 {
			t.Fatal("too many parts")
		}
	}
	if len(parts) < 3 {
		t.Fatalf("%d parts; a text of %d characters needs at least 3", len(parts), b.Len())
	}
	var all strings.Builder
	for i, p := range parts {
		v := visible(t, p.Text)
		if n := len(utf16.Encode([]rune(v))); n > 4096 {
			t.Errorf("part %d has %d characters", i, n)
		}
		all.WriteString(v)
		all.WriteString(" ")
		if (i == 0) != (p.ReplyTo != 0) {
			t.Errorf("part %d: reply_to = %d; only the first part replies", i, p.ReplyTo)
		}
	}
	// Every word arrives, in order, none cut in two except the 5000-x word,
	// which has to be.
	got := strings.Fields(all.String())
	joined := strings.Join(got, " ")
	for i := 1; i <= 60; i++ {
		step := fmt.Sprintf("%d. Step %d: open Settings → Security & check that 2 < 3 > 1, then see the guide — ünïcödé 密码 🔐 done.", i, i)
		if !strings.Contains(joined, step) {
			t.Fatalf("step %d is not intact in the parts", i)
		}
	}
	if strings.Count(strings.ReplaceAll(all.String(), " ", ""), "x") < 5000 || !strings.HasSuffix(joined, "end.") {
		t.Errorf("the long word or the end is lost")
	}
	if strings.Count(strings.Join(func() []string {
		var s []string
		for _, p := range parts {
			s = append(s, p.Text)
		}
		return s
	}(), ""), `<a href="https://help.example.com/en/articles/reset-password">`) < 60 {
		t.Errorf("links lost in splitting")
	}
}

func TestRepeatedUpdateIsAnsweredOnce(t *testing.T) {
	emu := telegramtest.Start(t)
	e := newEnv(t, emu, options{})
	id := emu.SendText(t, alice, "How do I reset my password?")
	first := emu.Wait(t, alice.ID, 1, wait)[0]

	// Telegram delivers the same update again (its receipt was not
	// confirmed): the inbox drops it. The next message is answered, and
	// it is the only new message.
	emu.Redeliver(t, id)
	emu.SendText(t, alice, "/help")
	next := emu.Wait(t, alice.ID, 1, wait)[0]
	if next.Text == first.Text || next.Data("fb:") != "" {
		t.Fatalf("the repeated update was answered again: %q", next.Text)
	}

	// The inbox was lost (a new database for the connector), but the
	// engine remembers the message: its reply, marked Duplicate, is not
	// sent twice.
	e.stop()
	e2 := newEnvSameEngine(t, e)
	emu.Redeliver(t, id)
	emu.SendText(t, alice, "/help")
	again := emu.Wait(t, alice.ID, 1, wait)[0]
	if again.Text != next.Text {
		t.Fatalf("after the repeat, got %q, want only the /help answer", again.Text)
	}
	_ = e2
}

// newEnvSameEngine runs a second connector on a fresh database of its own
// with the first env's engine.
func newEnvSameEngine(tb testing.TB, e *env) *telegram.Connector {
	tb.Helper()
	conn, err := telegram.New(e.cfg, openDB(tb))
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- conn.Run(ctx, e.engine) }()
	tb.Cleanup(func() { cancel(); <-done })
	return conn
}

func TestWebhook(t *testing.T) {
	e := newEnv(t, nil, options{webhook: true})
	// setWebhook registered the URL and the secret token.
	c := e.emu.WaitCall(t, "setWebhook", wait, nil)
	if c.Body["url"] != e.cfg.WebhookURL || c.Body["secret_token"] != e.cfg.WebhookSecret {
		t.Fatalf("setWebhook = %v", c.Body)
	}
	// The emulator posts the user's message with the token: answered.
	e.emu.SendText(t, alice, "How do I reset my password?")
	if m := e.emu.Wait(t, alice.ID, 1, wait)[0]; !strings.Contains(m.Text, "reset-password") {
		t.Errorf("webhook update not answered: %q", m.Text)
	}

	url := e.cfg.WebhookURL
	bob := telegramtest.User{ID: 777, FirstName: "Bob"}
	update := func(id int, text string) string {
		return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":5,"date":1700000000,"from":{"id":777,"is_bot":false,"first_name":"Bob"},"chat":{"id":777,"type":"private"},"text":%q}}`, id, text)
	}
	post := func(secret, body string) int {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set(telegram.SecretHeader, secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for name, secret := range map[string]string{"none": "", "wrong": "s3cret-Token_for-testX", "prefix": "s3cret"} {
		if code := post(secret, update(9000, "/status")); code != http.StatusUnauthorized {
			t.Errorf("%s secret: HTTP %d, want 401", name, code)
		}
	}
	if code := post(e.cfg.WebhookSecret, "{not json"); code != http.StatusBadRequest {
		t.Errorf("bad JSON: HTTP %d, want 400", code)
	}
	// Refused requests did nothing; the real one is handled, once.
	// The refused request was not stored: the same update id with the
	// secret is new, and handled.
	if code := post(e.cfg.WebhookSecret, update(9000, "/help")); code != http.StatusOK {
		t.Fatalf("with the secret: HTTP %d", code)
	}
	if code := post(e.cfg.WebhookSecret, update(9000, "/help")); code != http.StatusOK {
		t.Fatalf("repeat: HTTP %d", code)
	}
	help := e.emu.Wait(t, bob.ID, 1, wait)[0]
	if !strings.Contains(help.Text, "/human") {
		t.Errorf("/help answer: %q", help.Text)
	}
	// The repeat was dropped: the next message after /help answers /start.
	if code := post(e.cfg.WebhookSecret, update(9001, "/start")); code != http.StatusOK {
		t.Fatal(code)
	}
	if got := e.emu.Wait(t, bob.ID, 1, wait)[0]; got.Data("lang:") == "" {
		t.Errorf("the repeated /help was answered twice; got %q", got.Text)
	}
}

func TestGroupAnswersWhenAddressedAndMovesPersonalToPrivate(t *testing.T) {
	e := newEnv(t, nil, options{})
	group := telegramtest.Chat{ID: -1001, Type: "supergroup", Title: "Traders"}
	bob := telegramtest.User{ID: 555, FirstName: "Bob", LanguageCode: "en"}

	e.emu.Send(t, bob, group, map[string]any{"text": "hello everyone"}) // not for the bot
	e.emu.Send(t, bob, group, map[string]any{"text": "@TestNameBot how do I reset my password?",
		"entities": []map[string]any{{"type": "mention", "offset": 0, "length": 12}}})
	m := e.emu.Wait(t, group.ID, 1, wait)[0]
	if !strings.Contains(m.Text, "reset-password") || m.ReplyTo == 0 {
		t.Fatalf("mention not answered in the group: %q (reply_to %d)", m.Text, m.ReplyTo)
	}

	// A ticket is personal: the details go to Bob privately, the group
	// only gets a pointer to the private chat.
	e.emu.Send(t, bob, group, map[string]any{"text": "/human@TestNameBot",
		"entities": []map[string]any{{"type": "bot_command", "offset": 0, "length": 18}}})
	dm := e.emu.Wait(t, bob.ID, 1, wait)[0]
	note := e.emu.Wait(t, group.ID, 1, wait)[0]
	tk, err := e.desk.FindOpenTicket(context.Background(), "telegram", "555")
	if err != nil {
		t.Fatalf("no ticket in Bob's private conversation: %v", err)
	}
	if !strings.Contains(dm.Text, "#"+strconv.FormatInt(tk.ID, 10)) {
		t.Errorf("ticket not in the private chat: %q", dm.Text)
	}
	if strings.Contains(note.Text, strconv.FormatInt(tk.ID, 10)) || !strings.Contains(note.Text, "https://t.me/TestNameBot") {
		t.Errorf("group note: %q", note.Text)
	}
	// A command for another bot is ignored; a command for this one is not.
	e.emu.Send(t, bob, group, map[string]any{"text": "/help@OtherBot"})
	e.emu.Send(t, bob, group, map[string]any{"text": "/help"})
	if got := e.emu.Wait(t, group.ID, 1, wait)[0].Text; !strings.Contains(got, "/human") {
		t.Errorf("/help in the group: %q", got)
	}
}

func TestSendHonoursRateLimitsAndFailures(t *testing.T) {
	e := newEnv(t, nil, options{})
	ctx := context.Background()
	to := supportbot.Address{Channel: "telegram", ConversationID: strconv.FormatInt(alice.ID, 10)}

	// 429 with retry_after: waited out, then delivered.
	e.emu.Fail(t, "sendMessage", alice.ID, 1, 429, "Too Many Requests: retry after 1", 1)
	if err := e.conn.Send(ctx, to, supportbot.Reply{ID: "r1", Text: "Your ticket **#7** is solved."}); err != nil {
		t.Fatalf("Send after 429: %v", err)
	}
	if m := e.emu.Wait(t, alice.ID, 1, wait)[0]; m.Text != "Your ticket <b>#7</b> is solved." {
		t.Errorf("got %q", m.Text)
	}
	calls := e.emu.Calls(t, "sendMessage")
	if len(calls) != 2 || calls[1].Time-calls[0].Time < 1000 {
		t.Errorf("429 retry_after not honoured: %d calls", len(calls))
	}

	// The same reply again (the outbox retrying): not sent twice.
	if err := e.conn.Send(ctx, to, supportbot.Reply{ID: "r1", Text: "Your ticket **#7** is solved."}); err != nil {
		t.Fatal(err)
	}
	if err := e.conn.Send(ctx, to, supportbot.Reply{ID: "r1b", Text: "next"}); err != nil {
		t.Fatal(err)
	}
	if m := e.emu.Wait(t, alice.ID, 1, wait)[0]; m.Text != "next" {
		t.Errorf("a reply sent twice: got %q, want the next one", m.Text)
	}

	// Blocked by the user: a permanent error, not EUNAVAILABLE.
	e.emu.Fail(t, "sendMessage", alice.ID, 1, 403, "Forbidden: bot was blocked by the user", 0)
	err := e.conn.Send(ctx, to, supportbot.Reply{ID: "r2", Text: "hello"})
	if code := supportbot.ErrorCode(err); code != supportbot.EFORBIDDEN {
		t.Errorf("blocked: error %v (code %s), want EFORBIDDEN", err, code)
	}

	// Telegram down until the caller's deadline: EUNAVAILABLE, retried
	// by the caller later, and then delivered.
	e.emu.Fail(t, "sendMessage", alice.ID, 4, 502, "Bad Gateway", 0)
	dctx, cancel := context.WithTimeout(ctx, 1200*time.Millisecond)
	err = e.conn.Send(dctx, to, supportbot.Reply{ID: "r3", Text: "still there?"})
	cancel()
	if code := supportbot.ErrorCode(err); code != supportbot.EUNAVAILABLE {
		t.Fatalf("Telegram down: error %v (code %s), want EUNAVAILABLE", err, code)
	}
	dctx, cancel = context.WithTimeout(ctx, wait)
	err = e.conn.Send(dctx, to, supportbot.Reply{ID: "r3", Text: "still there?"})
	cancel()
	if err != nil {
		t.Fatalf("after Telegram came back: %v", err)
	}
	if m := e.emu.Wait(t, alice.ID, 1, wait)[0]; m.Text != "still there?" {
		t.Errorf("got %q", m.Text)
	}

	// Not a Telegram chat id.
	if err := e.conn.Send(ctx, supportbot.Address{Channel: "telegram", ConversationID: "web-123"},
		supportbot.Reply{Text: "x"}); supportbot.ErrorCode(err) != supportbot.EINVALID {
		t.Errorf("bad address: %v", err)
	}
}
