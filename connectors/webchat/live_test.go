package webchat_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/supportbot/supportbot/connectors/webchat"
	"github.com/supportbot/supportbot/connectors/webchat/webchattest"
)

type liveConn struct {
	c *websocket.Conn
}

// dialLive opens the live socket for v's conversation, authenticates with
// the first frame and waits for "ready".
func dialLive(t testing.TB, env *webchattest.Env, v visitor) *liveConn {
	t.Helper()
	l := dialRaw(t, env, v.conv)
	if err := l.c.Write(context.Background(), websocket.MessageText, []byte(`{"token":"`+v.token+`"}`)); err != nil {
		t.Fatal(err)
	}
	if ev := l.next(t); ev.Type != "ready" || ev.ConversationID != v.conv {
		t.Fatalf("first event %+v", ev)
	}
	return l
}

func dialRaw(t testing.TB, env *webchattest.Env, conv string) *liveConn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	u := "ws" + strings.TrimPrefix(env.URL, "http") + "/api/v1/live?conversation_id=" + conv
	c, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	return &liveConn{c: c}
}

func (l *liveConn) next(t testing.TB) webchat.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, data, err := l.c.Read(ctx)
	if err != nil {
		t.Fatalf("read live event: %v", err)
	}
	var ev webchat.Event
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestLive(t *testing.T) {
	env := webchattest.Start(t, testConfig(), webchattest.Options{})
	v := startVisitor(t, env)
	other := startVisitor(t, env)

	t.Run("OtherTabSeesConversation", func(t *testing.T) {
		tab := dialLive(t, env, v)
		send(t, env, v, "How do I enable 2FA?")
		var types []string
		for len(types) < 4 {
			ev := tab.next(t)
			types = append(types, ev.Type)
			if ev.Type == "message" && ev.Message.Role == "bot" && len(ev.Message.Citations) != 1 {
				t.Fatalf("reply without citation: %+v", ev.Message)
			}
		}
		if got := strings.Join(types, ","); got != "message,typing,message,done" {
			t.Fatalf("events %s", got)
		}
	})
	for _, tc := range []struct {
		name, conv, first, code string
	}{
		{"ErrNoToken", v.conv, `{}`, "unauthorized"},
		{"ErrNotJSON", v.conv, `hello`, "unauthorized"},
		{"ErrBadToken", v.conv, `{"token":"wct_forged"}`, "unauthorized"},
		{"ErrOtherVisitor", other.conv, `{"token":"` + v.token + `"}`, "not_found"},
		{"ErrUnknownConversation", "c_nope", `{"token":"` + v.token + `"}`, "not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := dialRaw(t, env, tc.conv)
			if err := l.c.Write(context.Background(), websocket.MessageText, []byte(tc.first)); err != nil {
				t.Fatal(err)
			}
			ev := l.next(t)
			if ev.Type != "error" || ev.Error == nil || ev.Error.Code != tc.code {
				t.Fatalf("got %+v", ev)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if _, _, err := l.c.Read(ctx); websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
				t.Fatalf("socket not closed as a policy violation: %v", err)
			}
		})
	}
	t.Run("ShutdownClosesSockets", func(t *testing.T) {
		tab := dialLive(t, env, v)
		if err := env.Server.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, _, err := tab.c.Read(ctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
			t.Fatalf("after shutdown: %v", err)
		}
	})
}

func TestLiveHeaderAuth(t *testing.T) {
	env := webchattest.Start(t, testConfig(), webchattest.Options{})
	v := startVisitor(t, env)
	dial := func(key string) *liveConn {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		u := "ws" + strings.TrimPrefix(env.URL, "http") + "/api/v1/live?conversation_id=" + v.conv
		c, _, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + key}}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.CloseNow() })
		return &liveConn{c: c}
	}
	// A server with an API key follows any conversation without a first frame.
	if ev := dial(testAPIKey).next(t); ev.Type != "ready" {
		t.Fatalf("API key: %+v", ev)
	}
	// A bad key is refused at once, not after waiting for a frame.
	if ev := dial("sk_wrong").next(t); ev.Type != "error" || ev.Error.Code != "unauthorized" {
		t.Fatalf("bad key: %+v", ev)
	}
}
