package webchat_test

import (
	"context"
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
	tabA, tabB := dialLive(t, a, v), dialLive(t, b, v)

	send(t, a, v, "How do I enable 2FA?")
	// Both tabs see the conversation in the same order: the question, the
	// typing indicator, the answer, its end. Only the streamed text of the
	// answer stays on A.
	for name, tab := range map[string]*liveConn{"A": tabA, "B": tabB} {
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

	// Agents' replies delivered by B, then by A, reach both tabs, each
	// once: notifications arrive in commit order, so a second push of the
	// first would come before the second.
	deliver := func(env *webchattest.Env, id string) {
		t.Helper()
		r := supportbot.Reply{ID: id, Text: "Hi, I am **Ana** from support.", Decision: supportbot.DecisionAgent, TicketID: "7"}
		if err := env.Server.Send(context.Background(), supportbot.Address{Channel: "webchat", ConversationID: v.conv}, r); err != nil {
			t.Fatal(err)
		}
	}
	deliver(b, "agent-1")
	deliver(a, "agent-2")
	for name, tab := range map[string]*liveConn{"A": tabA, "B": tabB} {
		for _, want := range []string{"agent-1", "agent-2"} {
			if ev := tab.next(t); ev.Type != "message" || ev.Message.Role != "agent" || ev.Message.ID != want {
				t.Fatalf("tab on %s: %+v, want %s", name, ev, want)
			}
		}
	}

	// When the connections listening to the others break, the replicas
	// listen again and close their sockets, since messages may have been
	// missed meanwhile: the widget reconnects and reads the log.
	if _, err := a.DB.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN%'`); err != nil {
		t.Fatal(err)
	}
	for name, tab := range map[string]*liveConn{"A": tabA, "B": tabB} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		_, _, err := tab.c.Read(ctx)
		cancel()
		if websocket.CloseStatus(err) != websocket.StatusGoingAway {
			t.Fatalf("tab on %s after the broken connection: %v", name, err)
		}
	}
	tabB = dialLive(t, b, v)
	deliver(a, "agent-3")
	if ev := tabB.next(t); ev.Type != "message" || ev.Message.ID != "agent-3" {
		t.Fatalf("after listening again: %+v", ev)
	}
}
