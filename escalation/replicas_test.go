package escalation_test

import (
	"context"
	"testing"
	"time"

	"github.com/supportbot/supportbot/escalation"
	"github.com/supportbot/supportbot/internal/sqldb"
	"github.com/supportbot/supportbot/internal/sqldb/sqldbtest"
)

// TestChangesReachOtherReplicas: two services sharing one PostgreSQL
// database, as two replicas do. A ticket escalated through one shows up,
// change by change, on the other's subscription (what the console's live
// updates read), and the replica that made the changes hears each of them
// once, not again through the database.
func TestChangesReachOtherReplicas(t *testing.T) {
	db := sqldbtest.Open(t, sqldb.Postgres) // skips without PostgreSQL
	ctx, cancel := context.WithCancel(context.Background())
	var replicas [2]*escalation.Service
	done := make(chan struct{}, 2)
	for i := range replicas {
		replicas[i] = escalation.New(escalation.Config{}, db, nil, nil)
		if err := replicas[i].Open(ctx); err != nil {
			t.Fatal(err)
		}
		go func() { replicas[i].Run(ctx); done <- struct{}{} }()
	}
	defer func() { cancel(); <-done; <-done }()
	for _, r := range replicas {
		select {
		case <-escalation.Listening(r):
		case <-time.After(20 * time.Second):
			t.Fatal("a replica never listened")
		}
	}
	subA, endA := replicas[0].Subscribe()
	defer endA()
	subB, endB := replicas[1].Subscribe()
	defer endB()

	tk := mustEscalate(t, replicas[0], esc("u1", "c1", "my withdrawal is stuck"))
	count := func(sub <-chan escalation.Change) int {
		n := 0
		for {
			select {
			case c := <-sub:
				if c.TicketID != tk.ID {
					t.Errorf("change of ticket %d, want %d", c.TicketID, tk.ID)
				}
				n++
			case <-time.After(2 * time.Second):
				return n
			}
		}
	}
	a, b := count(subA), count(subB)
	if b == 0 || a != b {
		t.Fatalf("the escalating replica heard %d changes, the other %d: want the same, at least one", a, b)
	}
}
