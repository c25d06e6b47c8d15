package webchat_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/connectors/webchat"
	"github.com/supportbot/supportbot/connectors/webchat/webchattest"
	"github.com/supportbot/supportbot/internal/sqldb"
)

// TestMessagesReachOtherReplicas: two web chat servers sharing one
// PostgreSQL database, as two replicas behind a load balancer. A visitor
// has one tab on each. What one replica logs (the visitor's message and
// the bot's answer, an agent's reply its outbox delivered) and its typing
// indicator reach the tab on the other, and the replica that logged it
// pushes it once, not again through the database.
func TestMessagesReachOtherReplicas(t *testing.T) {
	a := webchattest.Start(t, testConfig(), webchattest.Options{Dialect: sqldb.Postgres}) // skips without PostgreSQL
	b := webchattest.Start(t, testConfig(), webchattest.Options{DB: a.DB})
	for _, env := range []*webchattest.Env{a, b} {
		select {
		case <-webchat.Listening(env.Server):
		case <-time.After(20 * time.Second):
			t.Fatal("a replica never listened")
		}
	}
	v := startVisitor(t, a)
	tabA, tabB := follow(dialLive(t, a, v)), follow(dialLive(t, b, v))
	tabs := map[string]*feed{"A": tabA, "B": tabB}

	send(t, a, v, "How do I enable 2FA?")
	// Both tabs see the conversation in the same order: the question, the
	// typing indicator, the answer, its end. Only the streamed text of the
	// answer stays on A.
	for name, tab := range tabs {
		for _, want := range []string{"message", "typing", "message", "done"} {
			ev := tab.next(t)
			if ev.Type != want {
				t.Fatalf("tab on %s: %s, want %s", name, ev.Type, want)
			}
			if ev.Type == "message" && ev.Message.Role == "bot" && (len(ev.Message.Citations) != 1 ||
				ev.Message.Citations[0].URL == "" || ev.Message.HTML == "") {
				t.Fatalf("tab on %s: the answer %+v", name, ev.Message)
			}
			if (ev.Type == "typing" || ev.Type == "done") && ev.ReplyTo == 0 {
				t.Fatalf("tab on %s: %s without the message it answers", name, ev.Type)
			}
		}
	}

	// Agents' replies delivered by B and by A reach both tabs, each once.
	// A replica pushes its own at once and the other's when notified, so
	// they may arrive in either order (the widget sorts by seq).
	deliver := func(env *webchattest.Env, id string) {
		t.Helper()
		r := supportbot.Reply{ID: id, Text: "Hi, I am **Ana** from support.", Decision: supportbot.DecisionAgent, TicketID: "7"}
		if err := env.Server.Send(context.Background(), supportbot.Address{Channel: "webchat", ConversationID: v.conv}, r); err != nil {
			t.Fatal(err)
		}
	}
	deliver(b, "agent-1")
	deliver(a, "agent-2")
	for name, tab := range tabs {
		seen := map[string]bool{}
		for len(seen) < 2 {
			ev := tab.next(t)
			if ev.Type != "message" || ev.Message.Role != "agent" || seen[ev.Message.ID] {
				t.Fatalf("tab on %s, having seen %v: %+v", name, seen, ev)
			}
			seen[ev.Message.ID] = true
		}
		select {
		case ev := <-tab.ev:
			t.Fatalf("tab on %s got more: %+v", name, ev)
		case <-time.After(time.Second):
		}
	}

	// When the connections listening to the others break, the replicas
	// listen again and close their sockets, since messages may have been
	// missed meanwhile: the widget reconnects and reads the log.
	if _, err := a.DB.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN%'`); err != nil {
		t.Fatal(err)
	}
	for name, tab := range tabs {
		select {
		case err := <-tab.end:
			if websocket.CloseStatus(err) != websocket.StatusGoingAway {
				t.Fatalf("tab on %s after the broken connection: %v", name, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("tab on %s still open after the broken connection", name)
		}
	}
	again := dialLive(t, b, v)
	deliver(a, "agent-3")
	if ev := again.next(t); ev.Type != "message" || ev.Message.ID != "agent-3" {
		t.Fatalf("after listening again: %+v", ev)
	}
}

// feed reads a live socket in the background, so a test can wait for an
// event with a deadline without the deadline closing the socket.
type feed struct {
	ev  chan webchat.Event
	end chan error // the read error that ended the socket
}

func follow(l *liveConn) *feed {
	f := &feed{ev: make(chan webchat.Event, 32), end: make(chan error, 1)}
	go func() {
		for {
			_, data, err := l.c.Read(context.Background())
			if err != nil {
				f.end <- err
				return
			}
			var ev webchat.Event
			if err := json.Unmarshal(data, &ev); err != nil {
				f.end <- err
				return
			}
			f.ev <- ev
		}
	}()
	return f
}

func (f *feed) next(t *testing.T) webchat.Event {
	t.Helper()
	select {
	case ev := <-f.ev:
		return ev
	case err := <-f.end:
		t.Fatalf("the socket ended: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("no live event within 5 s")
	}
	return webchat.Event{}
}
