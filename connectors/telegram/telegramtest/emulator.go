// Package telegramtest runs a Telegram Bot API emulator for end-to-end
// tests: the npm package telegram-test-api, wrapped by
// connectors/telegram/testdata/start.js (see there for what the wrapper
// fixes). The test plays the user through the emulator's client API and
// reads what the bot sent; the bot under test talks to URL as if it were
// api.telegram.org.
//
// Before the tests: cd connectors/telegram/testdata && npm ci.
package telegramtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Token is a well-formed bot token for tests.
const Token = "123456:TEST-token_abc"

// BotUsername is the username the emulator's getMe reports.
const BotUsername = "TestNameBot"

// Dir is the folder with start.js, package.json and node_modules.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata")
}

// Emulator is a running emulator.
type Emulator struct {
	// URL is the Bot API server to give the bot (go-telegram's WithServerURL).
	URL   string
	Token string

	mu     sync.Mutex
	unread map[int64][]BotMessage // messages read from the emulator, not yet taken by a test
	client *http.Client
}

// Start starts an emulator on a free loopback port for the test and stops
// it at the end. It skips the test when node_modules is missing (npm ci
// has not run in Dir) and fails it when node cannot start the emulator.
func Start(tb testing.TB) *Emulator {
	tb.Helper()
	dir := Dir()
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "telegram-test-api")); err != nil {
		tb.Skipf("telegram emulator not installed: run `npm ci` in %s (needs Node.js)", dir)
	}
	cmd := exec.Command("node", "start.js")
	cmd.Dir = dir
	stdin, err := cmd.StdinPipe() // the emulator exits when this closes, even if the test binary is killed
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start the telegram emulator: %v", err)
	}
	tb.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
		if s := stderr.String(); s != "" {
			tb.Logf("telegram emulator stderr:\n%s", s)
		}
	})
	portc := make(chan int, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			var v struct{ Port int }
			if json.Unmarshal(sc.Bytes(), &v) == nil {
				portc <- v.Port
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case port := <-portc:
		return &Emulator{URL: "http://127.0.0.1:" + strconv.Itoa(port), Token: Token,
			unread: map[int64][]BotMessage{}, client: &http.Client{Timeout: 30 * time.Second}}
	case <-time.After(20 * time.Second):
		tb.Fatalf("the telegram emulator did not start: %s", stderr.String())
	}
	return nil
}

// User is a Telegram user.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Chat is a Telegram chat.
type Chat struct {
	ID    int64  `json:"id"`
	Type  string `json:"type"` // private, group, supergroup
	Title string `json:"title,omitempty"`
}

// Private returns the private chat of a user with the bot.
func Private(u User) Chat { return Chat{ID: u.ID, Type: "private"} }

func (e *Emulator) post(tb testing.TB, path string, body any, out any) {
	tb.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := e.client.Post(e.URL+path, "application/json", bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("emulator %s: %v", path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("emulator %s: HTTP %d %s", path, resp.StatusCode, data)
	}
	if out != nil {
		var env struct {
			Result json.RawMessage `json:"result"`
		}
		if err := json.Unmarshal(data, &env); err != nil {
			tb.Fatalf("emulator %s: %v", path, err)
		}
		if err := json.Unmarshal(env.Result, out); err != nil {
			tb.Fatalf("emulator %s result: %v (%s)", path, err, env.Result)
		}
	}
}

// Send makes the user send a message in chat; msg holds the message's
// fields besides from, chat and date (text, photo, document, caption,
// entities, reply_to_message). It returns the update id.
func (e *Emulator) Send(tb testing.TB, from User, chat Chat, msg map[string]any) int64 {
	tb.Helper()
	m := map[string]any{"botToken": e.Token, "from": from, "chat": chat, "date": time.Now().Unix()}
	for k, v := range msg {
		m[k] = v
	}
	var r struct {
		UpdateID int64 `json:"update_id"`
	}
	e.post(tb, "/sendMessage", m, &r)
	return r.UpdateID
}

// SendText makes the user write text in their private chat.
func (e *Emulator) SendText(tb testing.TB, from User, text string) int64 {
	tb.Helper()
	return e.Send(tb, from, Private(from), map[string]any{"text": text})
}

// Press makes the user press a button of a bot message.
func (e *Emulator) Press(tb testing.TB, from User, m BotMessage, data string) int64 {
	tb.Helper()
	chatType := "private"
	if m.ChatID < 0 {
		chatType = "group"
	}
	msg := map[string]any{"message_id": m.MessageID, "date": time.Now().Unix(), "text": m.Text,
		"chat": Chat{ID: m.ChatID, Type: chatType}, "from": User{ID: 123456, IsBot: true, FirstName: "Bot"}}
	if m.ReplyMarkup != nil {
		msg["reply_markup"] = m.ReplyMarkup
	}
	var r struct {
		UpdateID int64 `json:"update_id"`
	}
	e.post(tb, "/sendCallback", map[string]any{"botToken": e.Token, "from": from, "message": msg, "data": data}, &r)
	return r.UpdateID
}

// AddFile registers a file the bot can fetch with getFile; the message
// refers to it by fileID.
func (e *Emulator) AddFile(tb testing.TB, fileID string, data []byte) {
	tb.Helper()
	e.post(tb, "/test/files", map[string]any{"file_id": fileID, "data": base64.StdEncoding.EncodeToString(data)}, nil)
}

// Fail makes the next times calls of a Bot API method (to chatID, if not
// 0) fail with an error code, a description and, for 429, retry_after.
func (e *Emulator) Fail(tb testing.TB, method string, chatID int64, times, code int, desc string, retryAfter int) {
	tb.Helper()
	f := map[string]any{"method": method, "times": times, "error_code": code, "description": desc}
	if chatID != 0 {
		f["chat_id"] = chatID
	}
	if retryAfter > 0 {
		f["retry_after"] = retryAfter
	}
	e.post(tb, "/test/fail", f, nil)
}

// Redeliver makes getUpdates return an update again, as Telegram does
// with an update whose receipt was not confirmed.
func (e *Emulator) Redeliver(tb testing.TB, updateID int64) {
	tb.Helper()
	e.post(tb, "/test/redeliver", map[string]any{"update_id": updateID}, nil)
}

// Call is one Bot API call the bot made.
type Call struct {
	Method string         `json:"method"`
	Body   map[string]any `json:"body"`
	Time   int64          `json:"time"` // Unix milliseconds
}

// Calls returns the bot's calls of a method ("" for all), oldest first.
func (e *Emulator) Calls(tb testing.TB, method string) []Call {
	tb.Helper()
	resp, err := e.client.Get(e.URL + "/test/calls?method=" + method)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Result []Call `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		tb.Fatal(err)
	}
	return env.Result
}

// Button is an inline keyboard button.
type Button struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

// Keyboard is an inline keyboard.
type Keyboard struct {
	InlineKeyboard [][]Button `json:"inline_keyboard"`
}

// BotMessage is a message the bot sent, as the emulator stored it.
type BotMessage struct {
	MessageID   int
	ChatID      int64
	Text        string
	ParseMode   string
	ReplyTo     int // the message it replies to, 0 for none
	ReplyMarkup *Keyboard
}

// Data returns the callback data of the button whose data starts with
// prefix, or "".
func (m BotMessage) Data(prefix string) string {
	if m.ReplyMarkup == nil {
		return ""
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if len(b.CallbackData) >= len(prefix) && b.CallbackData[:len(prefix)] == prefix {
				return b.CallbackData
			}
		}
	}
	return ""
}

type stored struct {
	MessageID int `json:"messageId"`
	Message   struct {
		ChatID          any             `json:"chat_id"`
		Text            string          `json:"text"`
		ParseMode       string          `json:"parse_mode"`
		ReplyMarkup     json.RawMessage `json:"reply_markup"`
		ReplyParameters any             `json:"reply_parameters"`
	} `json:"message"`
}

// fetch reads the messages the bot sent to chat since the last fetch.
func (e *Emulator) fetch(tb testing.TB, chatID int64) {

	tb.Helper()
	var ss []stored
	e.post(tb, "/getUpdates", map[string]any{"token": e.Token, "chatId": chatID}, &ss)
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range ss {
		m := BotMessage{MessageID: s.MessageID, ChatID: chatID, Text: s.Message.Text, ParseMode: s.Message.ParseMode}
		if len(s.Message.ReplyMarkup) > 0 && string(s.Message.ReplyMarkup) != "null" {
			var kb Keyboard
			raw := s.Message.ReplyMarkup
			var str string
			if json.Unmarshal(raw, &str) == nil {
				raw = []byte(str)
			}
			if err := json.Unmarshal(raw, &kb); err != nil {
				tb.Fatalf("reply_markup %s: %v", raw, err)
			}
			m.ReplyMarkup = &kb
		}
		m.ReplyTo = replyTo(s.Message.ReplyParameters)
		e.unread[chatID] = append(e.unread[chatID], m)
	}
}

func replyTo(v any) int {
	var rp struct {
		MessageID int `json:"message_id"`
	}
	switch v := v.(type) {
	case string:
		json.Unmarshal([]byte(v), &rp)
	case map[string]any:
		b, _ := json.Marshal(v)
		json.Unmarshal(b, &rp)
	}
	return rp.MessageID
}

// Wait waits for n messages from the bot in chat and returns them,
// failing the test after timeout.
func (e *Emulator) Wait(tb testing.TB, chatID int64, n int, timeout time.Duration) []BotMessage {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		e.fetch(tb, chatID)
		e.mu.Lock()
		if got := e.unread[chatID]; len(got) >= n {
			out := got[:n:n]
			e.unread[chatID] = got[n:]
			e.mu.Unlock()
			return out
		}
		have := len(e.unread[chatID])
		e.mu.Unlock()
		if time.Now().After(deadline) {
			tb.Fatalf("waited %s for %d messages in chat %d, got %d", timeout, n, chatID, have)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Quiet asserts that the bot sends nothing to chat for d.
func (e *Emulator) Quiet(tb testing.TB, chatID int64, d time.Duration) {
	tb.Helper()
	time.Sleep(d)
	e.fetch(tb, chatID)
	e.mu.Lock()
	defer e.mu.Unlock()
	if got := e.unread[chatID]; len(got) > 0 {
		tb.Fatalf("expected no message in chat %d, got %d: %q", chatID, len(got), got[0].Text)
	}
}

// WaitCall waits until the bot has made a call of method for which ok
// returns true, and returns it.
func (e *Emulator) WaitCall(tb testing.TB, method string, timeout time.Duration, ok func(Call) bool) Call {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		for _, c := range e.Calls(tb, method) {
			if ok == nil || ok(c) {
				return c
			}
		}
		select {
		case <-ctx.Done():
			tb.Fatalf("waited %s for a %s call", timeout, method)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// String describes the emulator, for logs.
func (e *Emulator) String() string { return fmt.Sprintf("telegram emulator at %s", e.URL) }
