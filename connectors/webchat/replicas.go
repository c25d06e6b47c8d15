package webchat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
)

// Replicas sharing one PostgreSQL database push each other's messages to
// their live sockets: a visitor's tabs may be connected to one replica
// while the message is logged by another (the visitor's POST went
// elsewhere, or another replica's outbox delivered an agent's reply).
// Each logged message sends a NOTIFY naming it, in the transaction that
// logs it; every replica LISTENs while Run runs, reads the message from
// the log and pushes it to its own subscribers of that conversation. The
// typing indicator (its start and its end) is sent as it happens, after
// the message it answers, so other tabs show it in order. The streamed
// text of a reply stays with the replica writing it, a notification per
// few words being too much for the database: a tab on another replica
// sees "typing", then the finished message. On SQLite there is one
// process and nothing to send.

// messagesChannel is the PostgreSQL notification channel.
const messagesChannel = "supportbot_webchat"

// logged is a notification: a logged message (Seq) or, with Type, a
// typing indicator's start or end.
type logged struct {
	From           string `json:"from"`
	ConversationID string `json:"conversation_id"`
	Seq            int64  `json:"seq,omitempty"`
	Type           string `json:"type,omitempty"`
	ReplyTo        int64  `json:"reply_to,omitempty"`
}

func newReplicaID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// listen relays the other replicas' messages to this one's live sockets
// until ctx ends, listening again a second after a broken connection.
// Messages logged while it was not listening are not replayed; instead
// every live socket is closed, and the widget reconnects and catches up
// from the log, as it does after any dropped socket.
func (s *Server) listen(ctx context.Context) {
	s.store.db.Follow(ctx, messagesChannel, func(again bool) {
		if again {
			s.hub.dropAll()
		}
		s.listeningOnce.Do(func() { close(s.listening) })
	}, func(payload string) { s.relay(ctx, payload) }, func(err error) {
		s.log.WithError(err).Warn("webchat: listening to the other replicas failed; retrying")
	})
}

// typing tells every tab, on every replica, that the reply to the
// message replyTo is being written (typing) or is over (done).
func (s *Server) typing(ctx context.Context, convID, typ string, replyTo int64) {
	s.hub.publish(convID, Event{Type: typ, ReplyTo: replyTo})
	b, err := json.Marshal(logged{From: s.store.replica, ConversationID: convID, Type: typ, ReplyTo: replyTo})
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := s.store.db.Notify(ctx, messagesChannel, string(b)); err != nil {
		// Only the other replicas' indicator is lost; the reply is not.
		s.log.WithError(err).Debug("webchat: telling the other replicas about typing")
	}
}

// relay pushes one message another replica logged, if a socket here
// follows its conversation.
func (s *Server) relay(ctx context.Context, payload string) {
	var n logged
	if err := json.Unmarshal([]byte(payload), &n); err != nil {
		s.log.WithError(err).Warn("webchat: a malformed message notification")
		return
	}
	if n.From == s.store.replica || !s.hub.following(n.ConversationID) {
		return
	}
	if n.Type != "" {
		s.hub.publish(n.ConversationID, Event{Type: n.Type, ReplyTo: n.ReplyTo})
		return
	}
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	m, err := s.store.message(rctx, n.ConversationID, n.Seq)
	if err != nil {
		s.log.WithError(err).WithField("conversation_id", n.ConversationID).Warn("webchat: reading another replica's message")
		return
	}
	s.decorate(m, strings.TrimRight(s.cfg.PublicURL, "/"))
	s.hub.publish(n.ConversationID, Event{Type: "message", Message: m})
}
