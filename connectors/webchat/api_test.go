package webchat_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"gopkg.in/yaml.v3"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/connectors/webchat"
	"github.com/supportbot/supportbot/connectors/webchat/webchattest"
	"github.com/supportbot/supportbot/internal/sqldb/sqldbtest"
)

const (
	testSecret = "identity-secret-for-tests"
	testAPIKey = "sk_test_0123456789"
)

func testConfig() webchat.Config {
	return webchat.Config{
		IdentitySecret: testSecret,
		APIKeys:        []string{testAPIKey},
		// Tests make many requests from one address quickly.
		IPRate: 1000, IPBurst: 1000, SessionRate: 1000, SessionBurst: 1000, VisitorRate: 1000, VisitorBurst: 1000,
	}
}

// resp is a decoded API response.
type resp struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

// errCode returns the error code of a JSON error body, or "".
func (r resp) errCode() string {
	e, _ := r.Body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func (r resp) str(path ...string) string {
	var v any = r.Body
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	s, _ := v.(string)
	return s
}

// call makes an API request; body is JSON-encoded unless it is []byte.
func call(t testing.TB, method, url, token string, body any, hdr ...string) resp {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := resp{Status: res.StatusCode, Header: res.Header, Raw: raw}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.Body); err != nil {
			t.Fatalf("%s %s: bad JSON %q: %v", method, url, raw, err)
		}
	}
	return r
}

// visitor is an anonymous visitor with a started conversation.
type visitor struct {
	token, conv, id string
}

func startVisitor(t testing.TB, env *webchattest.Env) visitor {
	t.Helper()
	r := call(t, "POST", env.URL+"/api/v1/conversations", "", map[string]any{"hint_lang": "en"})
	if r.Status != http.StatusCreated {
		t.Fatalf("start: %d %s", r.Status, r.Raw)
	}
	return visitor{token: r.str("token"), conv: r.str("conversation", "id"), id: r.str("visitor", "id")}
}

func sign(userID string) string { return hex.EncodeToString(webchat.SignIdentity(testSecret, userID)) }

func TestStart(t *testing.T) {
	env := webchattest.Start(t, testConfig(), webchattest.Options{})
	url := env.URL + "/api/v1/conversations"
	t.Run("OK", func(t *testing.T) {
		r := call(t, "POST", url, "", nil)
		if r.Status != 201 || !strings.HasPrefix(r.str("token"), "wct_") || r.str("conversation", "id") == "" {
			t.Fatalf("got %d %s", r.Status, r.Raw)
		}
		if r.Body["visitor"].(map[string]any)["verified"] != false {
			t.Fatalf("anonymous visitor is verified: %s", r.Raw)
		}
		// The token is stored hashed, never as is.
		var n int
		if err := env.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM webchat_tokens WHERE token_hash = ?`,
			r.str("token")).Scan(&n); err != nil || n != 0 {
			t.Fatalf("token stored in clear: n=%d err=%v", n, err)
		}
	})
	t.Run("SignedIdentity", func(t *testing.T) {
		r := call(t, "POST", url, "", map[string]any{"identity": map[string]string{"user_id": "u-1001", "user_hash": sign("u-1001")}})
		if r.Status != 201 || r.Body["visitor"].(map[string]any)["verified"] != true || r.str("visitor", "user_id") != "u-1001" {
			t.Fatalf("got %d %s", r.Status, r.Raw)
		}
		// Another browser of the same user gets the same visitor.
		r2 := call(t, "POST", url, "", map[string]any{"identity": map[string]string{"user_id": "u-1001", "user_hash": sign("u-1001")}})
		if r2.str("visitor", "id") != r.str("visitor", "id") || r2.str("token") == r.str("token") {
			t.Fatalf("second browser: %s vs %s", r2.Raw, r.Raw)
		}
		// The verified account reaches the engine.
		v := visitor{token: r.str("token"), conv: r.str("conversation", "id")}
		send(t, env, v, "How do I reset my password?")
		ms := env.Handler.Messages()
		if m := ms[len(ms)-1]; m.Account != "u-1001" || m.UserID != "user:u-1001" || m.Channel != "webchat" {
			t.Fatalf("engine got %+v", m)
		}
	})
	for _, tc := range []struct {
		name   string
		body   any
		hdr    []string
		status int
		code   string
	}{
		{"ErrBadSignature", map[string]any{"identity": map[string]string{"user_id": "u-1001", "user_hash": sign("u-1002")}}, nil, 401, "unauthorized"},
		{"ErrUnsigned", map[string]any{"identity": map[string]string{"user_id": "u-1001"}}, nil, 401, "unauthorized"},
		{"ErrSignatureNotHex", map[string]any{"identity": map[string]string{"user_id": "u-1001", "user_hash": "zz"}}, nil, 401, "unauthorized"},
		{"ErrInvalidJSON", []byte(`{"lang": "en"`), nil, 400, "invalid"},
		{"ErrInvalidUTF8", []byte("{\"display_name\": \"\xff\xfe\"}"), nil, 400, "invalid"},
		{"ErrUnknownField", []byte(`{"langg": "en"}`), nil, 400, "invalid"},
		{"ErrTrailingData", []byte(`{} {}`), nil, 400, "invalid"},
		{"ErrBadLang", map[string]any{"lang": "xx-klingon"}, nil, 400, "invalid"},
		{"ErrOversize", []byte(`{"display_name": "` + strings.Repeat("a", 70<<10) + `"}`), nil, 413, "too_large"},
		{"ErrUnknownToken", nil, []string{"Authorization", "Bearer wct_nope"}, 401, "unauthorized"},
		{"ErrAPIKeyNoUser", map[string]any{}, []string{"Authorization", "Bearer " + testAPIKey}, 400, "invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, "POST", url, "", tc.body, tc.hdr...)
			if r.Status != tc.status || r.errCode() != tc.code || r.str("error", "message") == "" {
				t.Fatalf("got %d %s, want %d %s", r.Status, r.Raw, tc.status, tc.code)
			}
		})
	}
	t.Run("ErrIdentityNotConfigured", func(t *testing.T) {
		env := webchattest.Start(t, webchat.Config{}, webchattest.Options{})
		r := call(t, "POST", env.URL+"/api/v1/conversations", "",
			map[string]any{"identity": map[string]string{"user_id": "u-1", "user_hash": sign("u-1")}})
		if r.Status != 401 || !strings.Contains(r.str("error", "message"), "not configured") {
			t.Fatalf("got %d %s", r.Status, r.Raw)
		}
	})
	t.Run("APIKey", func(t *testing.T) {
		r := call(t, "POST", url, testAPIKey, map[string]any{"user_id": "crm-7"})
		if r.Status != 201 || r.str("token") != "" || r.Body["visitor"].(map[string]any)["verified"] != true {
			t.Fatalf("got %d %s", r.Status, r.Raw)
		}
		// The API key lists the user's conversations by user id.
		l := call(t, "GET", url+"?user_id=crm-7", testAPIKey, nil)
		cs := l.Body["conversations"].([]any)
		if l.Status != 200 || len(cs) != 1 || cs[0].(map[string]any)["id"] != r.str("conversation", "id") {
			t.Fatalf("list: %d %s", l.Status, l.Raw)
		}
	})
}

// send posts a message as JSON and returns the response.
func send(t testing.TB, env *webchattest.Env, v visitor, text string) resp {
	t.Helper()
	r := call(t, "POST", env.URL+"/api/v1/conversations/"+v.conv+"/messages", v.token, map[string]any{"text": text})
	if r.Status != 200 {
		t.Fatalf("send %q: %d %s", text, r.Status, r.Raw)
	}
	return r
}

// forEachDialect runs f on a fresh server over each database dialect.
func forEachDialect(t *testing.T, cfg webchat.Config, f func(t *testing.T, env *webchattest.Env)) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { f(t, webchattest.Start(t, cfg, webchattest.Options{Dialect: d})) })
	}
}

func TestSend(t *testing.T) {
	forEachDialect(t, testConfig(), func(t *testing.T, env *webchattest.Env) {
		v := startVisitor(t, env)
		msgs := env.URL + "/api/v1/conversations/" + v.conv + "/messages"

		r := call(t, "POST", msgs, v.token, map[string]any{"id": "m1", "text": "Why is my withdrawal still pending?", "hint_lang": "en-US"})
		if r.Status != 200 {
			t.Fatalf("send: %d %s", r.Status, r.Raw)
		}
		reply := r.Body["reply"].(map[string]any)
		cits := reply["citations"].([]any)
		if len(cits) != 1 || cits[0].(map[string]any)["article_id"] != "withdrawal-pending" {
			t.Fatalf("citations: %s", r.Raw)
		}
		if u := cits[0].(map[string]any)["url"].(string); u != env.URL+"/en/articles/withdrawal-pending" {
			t.Fatalf("citation url %q", u)
		}
		if !strings.Contains(reply["html"].(string), "<p>") || reply["role"] != "bot" || reply["id"] == "" {
			t.Fatalf("reply: %s", r.Raw)
		}
		got := env.Handler.Messages()[0]
		if got.ID != v.conv+"/m1" || got.ConversationID != v.conv || got.UserID != v.id || got.HintLang != "en" || got.Account != "" {
			t.Fatalf("engine got %+v", got)
		}

		// A retry with the same id is answered from the log, not processed again.
		r2 := call(t, "POST", msgs, v.token, map[string]any{"id": "m1", "text": "Why is my withdrawal still pending?"})
		if r2.Status != 200 || r2.Body["reply"].(map[string]any)["id"] != reply["id"] || len(env.Handler.Messages()) != 1 {
			t.Fatalf("retry: %d %s; handled %d times", r2.Status, r2.Raw, len(env.Handler.Messages()))
		}

		// History has both, in order, and ?after= pages.
		h := call(t, "GET", msgs, v.token, nil)
		ms := h.Body["messages"].([]any)
		if len(ms) != 2 || ms[0].(map[string]any)["role"] != "user" || ms[1].(map[string]any)["role"] != "bot" {
			t.Fatalf("history: %s", h.Raw)
		}
		first := int(ms[0].(map[string]any)["seq"].(float64))
		h2 := call(t, "GET", fmt.Sprintf("%s?after=%d", msgs, first), v.token, nil)
		if n := len(h2.Body["messages"].([]any)); n != 1 {
			t.Fatalf("after: %d messages", n)
		}
		// The conversation is named after its first message and listed.
		l := call(t, "GET", env.URL+"/api/v1/conversations", v.token, nil)
		cs := l.Body["conversations"].([]any)
		if len(cs) != 1 || cs[0].(map[string]any)["title"] != "Why is my withdrawal still pending?" {
			t.Fatalf("list: %s", l.Raw)
		}
		g := call(t, "GET", env.URL+"/api/v1/conversations/"+v.conv, v.token, nil)
		if g.Status != 200 || g.str("conversation", "id") != v.conv {
			t.Fatalf("get: %d %s", g.Status, g.Raw)
		}
	})
}

func TestSendErrors(t *testing.T) {
	env := webchattest.Start(t, testConfig(), webchattest.Options{})
	v := startVisitor(t, env)
	other := startVisitor(t, env)
	msgs := env.URL + "/api/v1/conversations/" + v.conv + "/messages"
	send(t, env, other, "How do I enable 2FA?")
	for _, tc := range []struct {
		name   string
		url    string
		token  string
		body   any
		status int
		code   string
	}{
		{"ErrNoToken", msgs, "", map[string]any{"text": "hi"}, 401, "unauthorized"},
		{"ErrBadToken", msgs, "wct_forged", map[string]any{"text": "hi"}, 401, "unauthorized"},
		{"ErrUnknownConversation", env.URL + "/api/v1/conversations/c_nope/messages", v.token, map[string]any{"text": "hi"}, 404, "not_found"},
		{"ErrOtherVisitorsConversation", env.URL + "/api/v1/conversations/" + other.conv + "/messages", v.token, map[string]any{"text": "hi"}, 404, "not_found"},
		{"ErrInvalidJSON", msgs, v.token, []byte(`{"text": hi}`), 400, "invalid"},
		{"ErrInvalidUTF8", msgs, v.token, []byte("{\"text\": \"caf\xe9\"}"), 400, "invalid"},
		{"ErrWrongType", msgs, v.token, []byte(`{"text": 42}`), 400, "invalid"},
		{"ErrEmpty", msgs, v.token, map[string]any{"text": "   "}, 400, "invalid"},
		{"ErrNoBody", msgs, v.token, []byte(``), 400, "invalid"},
		{"ErrTooLong", msgs, v.token, map[string]any{"text": strings.Repeat("é", 8001)}, 413, "too_large"}, // 16002 bytes
		{"ErrBodyTooLarge", msgs, v.token, []byte(`{"text": "` + strings.Repeat("a", 65<<10) + `"}`), 413, "too_large"},
		{"ErrUnknownCommand", msgs, v.token, map[string]any{"command": "rm -rf"}, 400, "invalid"},
		{"ErrBadLang", msgs, v.token, map[string]any{"text": "hi", "lang": "tlh"}, 400, "invalid"},
		{"ErrBadID", msgs, v.token, map[string]any{"text": "hi", "id": "has space"}, 400, "invalid"},
		{"ErrUnknownAttachment", msgs, v.token, map[string]any{"text": "hi", "attachments": []string{"a_nope"}}, 404, "not_found"},
		{"ErrNoEndpoint", env.URL + "/api/v1/nope", v.token, nil, 404, "not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, "POST", tc.url, tc.token, tc.body)
			if r.Status != tc.status || r.errCode() != tc.code || r.str("error", "message") == "" {
				t.Fatalf("got %d %s, want %d %s", r.Status, r.Raw, tc.status, tc.code)
			}
		})
	}
	// Nothing was processed or logged for the refused messages.
	if n := len(env.Handler.Messages()); n != 1 {
		t.Fatalf("engine saw %d messages, want 1", n)
	}
	h := call(t, "GET", msgs, v.token, nil)
	if n := len(h.Body["messages"].([]any)); n != 0 {
		t.Fatalf("%d messages logged", n)
	}
	// Reading another visitor's conversation is refused the same way.
	for _, p := range []string{"", "/messages"} {
		r := call(t, "GET", env.URL+"/api/v1/conversations/"+other.conv+p, v.token, nil)
		if r.Status != 404 || r.errCode() != "not_found" {
			t.Fatalf("GET other%s: %d %s", p, r.Status, r.Raw)
		}
	}
	r := call(t, "GET", msgs+"?after=-3", v.token, nil)
	if r.Status != 400 {
		t.Fatalf("bad after: %d", r.Status)
	}
	// 1500 Chinese characters (4500 bytes) are far from the engine's 4000
	// characters: the transport's byte limit does not refuse them first.
	if r := call(t, "POST", msgs, v.token, map[string]any{"text": strings.Repeat("币", 1500)}); r.Status != 200 {
		t.Fatalf("1500 Chinese characters: %d %s", r.Status, r.Raw)
	}
}

func TestSendEngineErrors(t *testing.T) {
	env := webchattest.Start(t, testConfig(), webchattest.Options{})
	v := startVisitor(t, env)
	env.Handler.SetStream(func(ctx context.Context, m supportbot.Message, emit func(string)) (supportbot.Reply, error) {
		if m.Text == "bad" {
			return supportbot.Reply{}, supportbot.Errorf(supportbot.EINVALID, "That input is refused.")
		}
		return supportbot.Reply{}, errors.New("database on fire at 10.0.0.3")
	})
	r := call(t, "POST", env.URL+"/api/v1/conversations/"+v.conv+"/messages", v.token, map[string]any{"text": "bad"})
	if r.Status != 400 || r.str("error", "message") != "That input is refused." {
		t.Fatalf("engine EINVALID: %d %s", r.Status, r.Raw)
	}
	r = call(t, "POST", env.URL+"/api/v1/conversations/"+v.conv+"/messages", v.token, map[string]any{"text": "x"})
	if r.Status != 503 || strings.Contains(string(r.Raw), "10.0.0.3") {
		t.Fatalf("engine failure leaked or wrong status: %d %s", r.Status, r.Raw)
	}
	// A silent engine (message added to an open ticket) gives no reply.
	env.Handler.SetStream(nil)
	r = call(t, "POST", env.URL+"/api/v1/conversations/"+v.conv+"/messages", v.token, map[string]any{"text": "more info"})
	if r.Status != 200 || r.Body["reply"] != nil || r.Body["message"] == nil {
		t.Fatalf("silent: %d %s", r.Status, r.Raw)
	}
}

// sseEvent is one server-sent event.
type sseEvent struct {
	Name string
	Data webchat.Event
}

func readSSE(t testing.TB, body io.Reader) []sseEvent {
	t.Helper()
	var out []sseEvent
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			ev.Name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.Data); err != nil {
				t.Fatalf("bad event data %q: %v", line, err)
			}
		case line == "":
			out = append(out, ev)
			ev = sseEvent{}
		}
	}
	return out
}

func TestSendStream(t *testing.T) {
	env := webchattest.Start(t, testConfig(), webchattest.Options{})
	env.Handler.SetStream(webchattest.Engine(env.Library, time.Millisecond))
	v := startVisitor(t, env)
	req, _ := http.NewRequest("POST", env.URL+"/api/v1/conversations/"+v.conv+"/messages",
		strings.NewReader(`{"text": "忘记密码了怎么办？"}`))
	req.Header.Set("Authorization", "Bearer "+v.token)
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	evs := readSSE(t, res.Body)
	var names []string
	deltas := ""
	for _, e := range evs {
		if len(names) == 0 || names[len(names)-1] != e.Name {
			names = append(names, e.Name)
		}
		if e.Name == "delta" {
			deltas += e.Data.Delta
		}
	}
	if got := strings.Join(names, ","); got != "message,typing,delta,message,done" {
		t.Fatalf("events %s", got)
	}
	final := evs[len(evs)-2].Data.Message
	if final.Role != "bot" || final.Text != deltas || final.Lang != "zh-Hans" || len(final.Citations) != 1 ||
		final.Citations[0].ArticleID != "reset-password" || !strings.Contains(final.Citations[0].URL, "/zh-Hans/articles/reset-password") {
		t.Fatalf("final %+v (deltas %q)", final, deltas)
	}
	if n := strings.Count(deltas, ""); n < 2 || len(evs) < 6 {
		t.Fatalf("not streamed in pieces: %d events", len(evs))
	}

	// An error before the stream starts is a plain JSON error.
	res2 := call(t, "POST", env.URL+"/api/v1/conversations/"+v.conv+"/messages?stream=true", v.token, []byte(`{"text": ""}`))
	if res2.Status != 400 || res2.errCode() != "invalid" {
		t.Fatalf("stream error: %d %s", res2.Status, res2.Raw)
	}
}

func TestFeedback(t *testing.T) {
	forEachDialect(t, testConfig(), func(t *testing.T, env *webchattest.Env) {
		v := startVisitor(t, env)
		other := startVisitor(t, env)
		r := send(t, env, v, "How do I enable 2FA?")
		replyID := r.Body["reply"].(map[string]any)["id"].(string)
		fb := env.URL + "/api/v1/conversations/" + v.conv + "/feedback"

		env.Handler.SetFeedback(func(ctx context.Context, f supportbot.Feedback) (supportbot.Reply, error) {
			return supportbot.Reply{ID: "fb-reply", Text: "Sorry it did not help. Want a human?", Decision: supportbot.DecisionClarify,
				Actions: []supportbot.Action{{Kind: "human", Label: "Talk to a human"}}}, nil
		})
		got := call(t, "POST", fb, v.token, map[string]any{"message_id": replyID, "helpful": false, "comment": "It did not cover SMS"})
		if got.Status != 200 || got.str("reply", "id") != "fb-reply" {
			t.Fatalf("feedback: %d %s", got.Status, got.Raw)
		}
		fs := env.Handler.Feedbacks()
		if len(fs) != 1 || fs[0].ReplyID != replyID || fs[0].Helpful || fs[0].Comment != "It did not cover SMS" ||
			fs[0].ConversationID != v.conv || fs[0].UserID != v.id || fs[0].Channel != "webchat" {
			t.Fatalf("engine got %+v", fs)
		}
		// The rating is in the log, so the widget shows it after a reload; the
		// engine's answer to it is logged too.
		h := call(t, "GET", env.URL+"/api/v1/conversations/"+v.conv+"/messages", v.token, nil)
		ms := h.Body["messages"].([]any)
		if len(ms) != 3 {
			t.Fatalf("history %s", h.Raw)
		}
		if f, _ := ms[1].(map[string]any)["feedback"].(map[string]any); f == nil || f["helpful"] != false || f["comment"] != "It did not cover SMS" {
			t.Fatalf("feedback not logged: %s", h.Raw)
		}

		for _, tc := range []struct {
			name   string
			url    string
			body   any
			status int
		}{
			{"ErrMissingHelpful", fb, map[string]any{"message_id": replyID}, 400},
			{"ErrUnknownMessage", fb, map[string]any{"message_id": "nope", "helpful": true}, 404},
			{"ErrUserMessage", fb, map[string]any{"message_id": r.Body["message"].(map[string]any)["id"], "helpful": true}, 404},
			{"ErrCommentTooLong", fb, map[string]any{"message_id": replyID, "helpful": true, "comment": strings.Repeat("x", 2001)}, 413},
			{"ErrOtherVisitor", env.URL + "/api/v1/conversations/" + other.conv + "/feedback", map[string]any{"message_id": replyID, "helpful": true}, 404},
			{"ErrInvalidUTF8", fb, []byte("{\"message_id\": \"" + replyID + "\", \"helpful\": true, \"comment\": \"\xc3\x28\"}"), 400},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if r := call(t, "POST", tc.url, v.token, tc.body); r.Status != tc.status {
					t.Fatalf("got %d %s, want %d", r.Status, r.Raw, tc.status)
				}
			})
		}
	})
}

// pngBytes is a valid 1x1 PNG.
var pngBytes, _ = hex.DecodeString("89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
	"1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")

func TestAttachments(t *testing.T) {
	cfg := testConfig()
	cfg.MaxAttachmentBytes = 1 << 10
	forEachDialect(t, cfg, func(t *testing.T, env *webchattest.Env) {
		v := startVisitor(t, env)
		other := startVisitor(t, env)
		up := env.URL + "/api/v1/conversations/" + v.conv + "/attachments"

		r := call(t, "POST", up+"?name=screen%20shot.png", v.token, pngBytes, "Content-Type", "application/octet-stream")
		if r.Status != 201 || r.str("content_type") != "image/png" || r.str("name") != "screen shot.png" {
			t.Fatalf("upload: %d %s", r.Status, r.Raw)
		}
		att := r.str("id")

		// Multipart works too; a PDF is sniffed from its content.
		var mp bytes.Buffer
		boundary := "XyZ"
		fmt.Fprintf(&mp, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"statement.pdf\"\r\nContent-Type: image/png\r\n\r\n%%PDF-1.4\n%%EOF\n\r\n--%s--\r\n", boundary, boundary)
		r = call(t, "POST", up, v.token, mp.Bytes(), "Content-Type", "multipart/form-data; boundary="+boundary)
		if r.Status != 201 || r.str("content_type") != "application/pdf" || r.str("name") != "statement.pdf" {
			t.Fatalf("multipart: %d %s", r.Status, r.Raw)
		}

		for _, tc := range []struct {
			name   string
			body   []byte
			ct     string
			status int
			msg    string
		}{
			// An HTML page named .png and claimed as image/png is refused: types are sniffed.
			{"ErrDisguisedHTML", []byte("<html><script>alert(1)</script></html>"), "image/png", 400, "cannot be attached"},
			{"ErrTooLarge", append(append([]byte{}, pngBytes...), make([]byte, 2<<10)...), "image/png", 413, "limit"},
			{"ErrEmpty", []byte{}, "image/png", 400, "empty"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := call(t, "POST", up+"?name=x.png", v.token, tc.body, "Content-Type", tc.ct)
				if r.Status != tc.status || !strings.Contains(r.str("error", "message"), tc.msg) {
					t.Fatalf("got %d %s", r.Status, r.Raw)
				}
			})
		}

		// Sent with a message, the engine gets the bytes and the log keeps the name.
		r = call(t, "POST", env.URL+"/api/v1/conversations/"+v.conv+"/messages", v.token,
			map[string]any{"text": "my deposit is not credited, screenshot attached", "attachments": []string{att}})
		if r.Status != 200 {
			t.Fatalf("send: %d %s", r.Status, r.Raw)
		}
		ms := env.Handler.Messages()
		if a := ms[len(ms)-1].Attachments; len(a) != 1 || !bytes.Equal(a[0].Data, pngBytes) || a[0].ContentType != "image/png" {
			t.Fatalf("engine got attachments %+v", a)
		}
		if as := r.Body["message"].(map[string]any)["attachments"].([]any); len(as) != 1 {
			t.Fatalf("logged attachments: %s", r.Raw)
		}

		// The owner downloads it, safely typed; another visitor cannot.
		dl := call(t, "GET", up+"/"+att, v.token, nil)
		if dl.Status != 200 || !bytes.Equal(dl.Raw, pngBytes) || dl.Header.Get("Content-Type") != "image/png" ||
			!strings.Contains(dl.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("download: %d %v", dl.Status, dl.Header)
		}
		if r := call(t, "GET", up+"/"+att, other.token, nil); r.Status != 404 {
			t.Fatalf("other visitor downloaded: %d", r.Status)
		}
		if r := call(t, "GET", env.URL+"/api/v1/conversations/"+other.conv+"/attachments/"+att, other.token, nil); r.Status != 404 {
			t.Fatalf("attachment of another conversation: %d", r.Status)
		}
	})
}

func TestCSAT(t *testing.T) {
	env := webchattest.Start(t, testConfig(), webchattest.Options{})
	v := startVisitor(t, env)
	// The escalator asks for a rating through Send.
	if err := env.Server.Send(context.Background(), supportbot.Address{Channel: "webchat", ConversationID: v.conv, UserID: v.id},
		supportbot.Reply{ID: "notice-1", Text: "Your ticket #42 is solved. How did we do?", Decision: supportbot.DecisionAgent,
			TicketID: "42", Actions: []supportbot.Action{{Kind: "csat:1"}, {Kind: "csat:5"}}}); err != nil {
		t.Fatal(err)
	}
	u := env.URL + "/api/v1/conversations/" + v.conv + "/csat"
	if r := call(t, "POST", u, v.token, map[string]any{"ticket_id": "42", "score": 5}); r.Status != 200 {
		t.Fatalf("csat: %d %s", r.Status, r.Raw)
	}
	if rs := env.Rater.Ratings(); len(rs) != 1 || rs[0] != (webchattest.Rating{TicketID: 42, Channel: "webchat", UserID: v.id, Score: 5}) {
		t.Fatalf("ratings %+v", rs)
	}
	for _, tc := range []struct {
		name   string
		body   any
		status int
	}{
		{"ErrScore", map[string]any{"ticket_id": "42", "score": 6}, 400},
		{"ErrTicketNotHere", map[string]any{"ticket_id": "43", "score": 3}, 404},
		{"ErrTicketID", map[string]any{"ticket_id": "abc", "score": 3}, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := call(t, "POST", u, v.token, tc.body); r.Status != tc.status {
				t.Fatalf("got %d %s", r.Status, r.Raw)
			}
		})
	}
}

func TestChannelSend(t *testing.T) {
	env := webchattest.Start(t, testConfig(), webchattest.Options{})
	v := startVisitor(t, env)
	ctx := context.Background()
	live := dialLive(t, env, v)

	reply := supportbot.Reply{ID: "agent-1", Text: "Hi, I am **Ana** from support. See [the guide](/en/articles/lost-2fa).",
		Decision: supportbot.DecisionAgent, TicketID: "42"}
	if err := env.Server.Send(ctx, supportbot.Address{Channel: "webchat", ConversationID: v.conv}, reply); err != nil {
		t.Fatal(err)
	}
	ev := live.next(t)
	if ev.Type != "message" || ev.Message.Role != "agent" || ev.Message.ID != "agent-1" ||
		!strings.Contains(ev.Message.HTML, "<strong>Ana</strong>") {
		t.Fatalf("pushed %+v", ev)
	}
	// A retried delivery is logged once.
	if err := env.Server.Send(ctx, supportbot.Address{Channel: "webchat", ConversationID: v.conv}, reply); err != nil {
		t.Fatal(err)
	}
	h := call(t, "GET", env.URL+"/api/v1/conversations/"+v.conv+"/messages", v.token, nil)
	if ms := h.Body["messages"].([]any); len(ms) != 1 || ms[0].(map[string]any)["role"] != "agent" {
		t.Fatalf("history after retry: %s", h.Raw)
	}
	err := env.Server.Send(ctx, supportbot.Address{Channel: "webchat", ConversationID: "c_gone"}, reply)
	if supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Fatalf("unknown conversation: %v", err)
	}
}

func TestShutdownFinishesReplies(t *testing.T) {
	env := webchattest.Start(t, testConfig(), webchattest.Options{})
	v := startVisitor(t, env)
	entered, release := make(chan struct{}), make(chan struct{})
	env.Handler.SetStream(func(ctx context.Context, m supportbot.Message, emit func(string)) (supportbot.Reply, error) {
		emit("Working on it… ")
		close(entered)
		<-release
		emit("done.")
		return supportbot.Reply{Text: "Working on it… done.", Decision: supportbot.DecisionAnswer}, nil
	})
	var wg sync.WaitGroup
	var streamed []sseEvent
	wg.Add(1)
	go func() {
		defer wg.Done()
		req, _ := http.NewRequest("POST", env.URL+"/api/v1/conversations/"+v.conv+"/messages?stream=1", strings.NewReader(`{"text": "slow one"}`))
		req.Header.Set("Authorization", "Bearer "+v.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return
		}
		defer res.Body.Close()
		streamed = readSSE(t, res.Body)
	}()
	<-entered
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shut <- env.Server.Shutdown(ctx)
	}()
	// While draining, new messages are refused and readiness fails.
	deadline := time.Now().Add(5 * time.Second)
	for env.Server.Ready(context.Background()) == nil && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if r := call(t, "POST", env.URL+"/api/v1/conversations/"+v.conv+"/messages", v.token, map[string]any{"text": "another"}); r.Status != 503 {
		t.Fatalf("message while draining: %d %s", r.Status, r.Raw)
	}
	if r := call(t, "GET", env.URL+"/readyz", "", nil); r.Status != 503 {
		t.Fatalf("readyz while draining: %d", r.Status)
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned before the reply finished: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if len(streamed) < 2 || streamed[len(streamed)-1].Name != "done" || streamed[len(streamed)-2].Data.Message.Text != "Working on it… done." {
		t.Fatalf("stream did not finish: %+v", streamed)
	}
}

func TestShutdownTimeout(t *testing.T) {
	env := webchattest.Start(t, testConfig(), webchattest.Options{})
	v := startVisitor(t, env)
	entered, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	env.Handler.SetStream(func(ctx context.Context, m supportbot.Message, emit func(string)) (supportbot.Reply, error) {
		close(entered)
		<-release
		return supportbot.Reply{Text: "late"}, nil
	})
	go func() {
		req, _ := http.NewRequest("POST", env.URL+"/api/v1/conversations/"+v.conv+"/messages", strings.NewReader(`{"text": "stuck"}`))
		req.Header.Set("Authorization", "Bearer "+v.token)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	<-entered
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := env.Server.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want deadline exceeded", err)
	}
}

func TestRateLimits(t *testing.T) {
	t.Run("Visitor", func(t *testing.T) {
		cfg := testConfig()
		cfg.VisitorRate, cfg.VisitorBurst = 0.001, 2
		env := webchattest.Start(t, cfg, webchattest.Options{})
		v := startVisitor(t, env)
		send(t, env, v, "hello")
		send(t, env, v, "hello again")
		r := call(t, "POST", env.URL+"/api/v1/conversations/"+v.conv+"/messages", v.token, map[string]any{"text": "third"})
		if r.Status != 429 || r.errCode() != "rate_limited" || r.Header.Get("Retry-After") == "" {
			t.Fatalf("got %d %s", r.Status, r.Raw)
		}
		// Another visitor is not affected.
		send(t, env, startVisitor(t, env), "hello")
	})
	t.Run("IP", func(t *testing.T) {
		cfg := testConfig()
		cfg.IPRate, cfg.IPBurst = 0.001, 3
		env := webchattest.Start(t, cfg, webchattest.Options{})
		var last resp
		for i := 0; i < 4; i++ {
			last = call(t, "GET", env.URL+"/api/v1/conversations", "wct_x", nil)
		}
		if last.Status != 429 || last.errCode() != "rate_limited" {
			t.Fatalf("got %d %s", last.Status, last.Raw)
		}
	})
	t.Run("Sessions", func(t *testing.T) {
		cfg := testConfig()
		cfg.SessionRate, cfg.SessionBurst = 0.001, 1
		env := webchattest.Start(t, cfg, webchattest.Options{})
		startVisitor(t, env)
		if r := call(t, "POST", env.URL+"/api/v1/conversations", "", nil); r.Status != 429 {
			t.Fatalf("got %d %s", r.Status, r.Raw)
		}
	})
}

func TestHealth(t *testing.T) {
	env := webchattest.Start(t, testConfig(), webchattest.Options{NoRun: true})
	if r := call(t, "GET", env.URL+"/healthz", "", nil); r.Status != 200 {
		t.Fatalf("healthz %d", r.Status)
	}
	if r := call(t, "GET", env.URL+"/readyz", "", nil); r.Status != 503 {
		t.Fatalf("readyz before Run: %d", r.Status)
	}
	// Until Run installs the engine, chat is unavailable but the site works.
	v := startVisitor(t, env)
	if r := call(t, "POST", env.URL+"/api/v1/conversations/"+v.conv+"/messages", v.token, map[string]any{"text": "hi"}); r.Status != 503 {
		t.Fatalf("send before Run: %d", r.Status)
	}
	go env.Server.Run(t.Context(), env.Handler)
	deadline := time.Now().Add(5 * time.Second)
	for call(t, "GET", env.URL+"/readyz", "", nil).Status != 200 {
		if time.Now().After(deadline) {
			t.Fatal("never ready")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestOpenAPIAndCORS(t *testing.T) {
	env := webchattest.Start(t, testConfig(), webchattest.Options{})
	r := call(t, "GET", env.URL+"/api/openapi.yaml", "", nil)
	if r.Status != 200 || !bytes.HasPrefix(r.Raw, []byte("openapi: 3")) {
		t.Fatalf("openapi: %d %.40s", r.Status, r.Raw)
	}
	var spec struct {
		OpenAPI string         `yaml:"openapi"`
		Paths   map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(r.Raw, &spec); err != nil || spec.OpenAPI == "" || len(spec.Paths) < 10 {
		t.Fatalf("openapi.yaml does not parse: %v (%d paths)", err, len(spec.Paths))
	}
	// Every route the server serves is documented.
	for _, p := range []string{"/api/v1/conversations:", "/api/v1/conversations/{id}:", "/api/v1/conversations/{id}/messages:",
		"/api/v1/conversations/{id}/feedback:", "/api/v1/conversations/{id}/csat:", "/api/v1/conversations/{id}/attachments:",
		"/api/v1/conversations/{id}/attachments/{aid}:", "/api/v1/live:", "/healthz:", "/readyz:"} {
		if !bytes.Contains(r.Raw, []byte("  "+p)) {
			t.Errorf("openapi.yaml does not document %s", p)
		}
	}
	pre := call(t, "OPTIONS", env.URL+"/api/v1/conversations", "", nil, "Origin", "https://www.example.com",
		"Access-Control-Request-Method", "POST")
	if pre.Status != 204 || pre.Header.Get("Access-Control-Allow-Origin") != "https://www.example.com" ||
		!strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight: %d %v", pre.Status, pre.Header)
	}
	cfg := testConfig()
	cfg.AllowedOrigins = []string{"https://shop.example.com"}
	env2 := webchattest.Start(t, cfg, webchattest.Options{})
	if r := call(t, "OPTIONS", env2.URL+"/api/v1/conversations", "", nil, "Origin", "https://evil.example.net"); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("foreign origin allowed: %v", r.Header)
	}
}

func TestReplyTimeout(t *testing.T) {
	cfg := testConfig()
	cfg.ReplyTimeout = 50 * time.Millisecond
	env := webchattest.Start(t, cfg, webchattest.Options{})
	v := startVisitor(t, env)
	env.Handler.SetStream(func(ctx context.Context, m supportbot.Message, emit func(string)) (supportbot.Reply, error) {
		<-ctx.Done() // an engine stuck on a dependency
		return supportbot.Reply{}, ctx.Err()
	})
	r := call(t, "POST", env.URL+"/api/v1/conversations/"+v.conv+"/messages", v.token, map[string]any{"text": "hello?"})
	if r.Status != 503 || r.errCode() != "unavailable" {
		t.Fatalf("got %d %s", r.Status, r.Raw)
	}
}

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	env := webchattest.Start(t, testConfig(), webchattest.Options{Opts: webchat.Options{Metrics: reg}})
	v := startVisitor(t, env)
	send(t, env, v, "How do I enable 2FA?")
	call(t, "GET", env.URL+"/api/v1/conversations/c_nope", v.token, nil)
	want := map[string]bool{`start 201`: false, `send 200`: false, `get_conversation 404`: false}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, mf := range mfs {
		names[mf.GetName()] = true
		if mf.GetName() != "supportbot_webchat_http_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			var route, code string
			for _, l := range m.GetLabel() {
				switch l.GetName() {
				case "route":
					route = l.GetValue()
				case "code":
					code = l.GetValue()
				}
			}
			if _, ok := want[route+" "+code]; ok && m.GetCounter().GetValue() >= 1 {
				want[route+" "+code] = true
			}
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("no request counted for %s", k)
		}
	}
	for _, n := range []string{"supportbot_webchat_http_request_duration_seconds", "supportbot_webchat_reply_first_delta_seconds"} {
		if !names[n] {
			t.Errorf("metric %s missing", n)
		}
	}
	// A second server on the same registry shares the series instead of failing.
	webchattest.Start(t, testConfig(), webchattest.Options{Opts: webchat.Options{Metrics: reg}})
}
