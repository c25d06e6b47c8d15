package escalation

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
)

// Replicas sharing one PostgreSQL database tell each other about ticket
// changes, so that an agent's console shows a ticket escalated, answered
// or rated through another replica without a reload, and the outbox a
// replica filled is delivered at once by whichever replica is free.
// Each commit that changes tickets sends one NOTIFY (delivered only if the
// transaction commits); every replica LISTENs while Run runs. On SQLite
// there is one process and nothing to send.

// changesChannel is the PostgreSQL notification channel.
const changesChannel = "supportbot_escalation"

// maxAnnounced bounds the changes one notification carries (NOTIFY takes
// under 8,000 bytes); a commit with more sends a resync instead, and
// consoles reload what they show.
const maxAnnounced = 50

// ChangeResync tells subscribers that changes may have been missed (a
// replica's connection to the others broke): reload everything shown.
const ChangeResync = "resync"

type announcement struct {
	From    string   `json:"from"`
	Changes []Change `json:"changes"`
	Outbox  bool     `json:"outbox,omitempty"`
}

func newReplicaID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// announce queues the notification of t's changes in its transaction.
func (s *Service) announce(ctx context.Context, t *txn) error {
	if len(t.changes) == 0 && !t.outbox {
		return nil
	}
	a := announcement{From: s.replica, Changes: t.changes, Outbox: t.outbox}
	if len(a.Changes) > maxAnnounced {
		a.Changes = []Change{{Type: ChangeResync}}
	}
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return t.Notify(ctx, changesChannel, string(b))
}

// listen relays the other replicas' changes to this one's subscribers
// until ctx ends, listening again a second after a broken connection (and
// telling subscribers to resync, since changes may have been missed).
func (s *Service) listen(ctx context.Context) {
	s.db.Follow(ctx, changesChannel, func(again bool) {
		if again {
			s.publish([]Change{{Type: ChangeResync}})
			s.poke()
		}
		s.listeningOnce.Do(func() { close(s.listening) })
	}, s.received, func(err error) {
		s.log.WithError(err).Warn("escalation: listening to the other replicas failed; retrying")
	})
}

// received handles one notification.
func (s *Service) received(payload string) {
	var a announcement
	if err := json.Unmarshal([]byte(payload), &a); err != nil {
		s.log.WithError(err).Warn("escalation: a malformed change notification")
		return
	}
	if a.From == s.replica {
		return // published when it committed
	}
	if a.Outbox {
		s.poke()
	}
	s.publish(a.Changes)
}
