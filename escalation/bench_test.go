package escalation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/supportbot/supportbot/escalation"
)

// BenchmarkEscalate opens a new ticket (a four-turn transcript, durable
// commit) per iteration, on SQLite.
func BenchmarkEscalate(b *testing.B) {
	e := newEnv(b, escalation.Config{})
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := e.svc.Escalate(ctx, esc(fmt.Sprint("u", i), fmt.Sprint("c", i), "my deposit is missing")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEscalateExisting escalates a conversation that has an open
// ticket: the dedupe path.
func BenchmarkEscalateExisting(b *testing.B) {
	e := newEnv(b, escalation.Config{})
	ctx := context.Background()
	mustEscalate(b, e.svc, esc("u", "c", "first"))
	for i := 0; b.Loop(); i++ {
		x := esc("u", "c", fmt.Sprint("again ", i))
		if _, err := e.svc.Escalate(ctx, x); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListTicketsQueue lists the queue of breached tickets (the
// first 100 of 1,500 among 2,000, by SLA deadline) as the console does.
func BenchmarkListTicketsQueue(b *testing.B) {
	e := newEnv(b, escalation.Config{})
	ctx := context.Background()
	prios := escalation.Priorities
	for i := 0; i < 2000; i++ {
		x := esc(fmt.Sprint("u", i), fmt.Sprint("c", i), "question")
		x.Priority = prios[i%len(prios)]
		mustEscalate(b, e.svc, x)
	}
	e.clock.Add(6 * time.Hour) // urgent, high and normal tickets are past their first-response targets
	for b.Loop() {
		ts, err := e.svc.ListTickets(ctx, escalation.Filter{Status: "active", Breached: true})
		if err != nil || len(ts) == 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeliver measures queueing an agent reply and delivering it
// through a channel (reply, outbox row, delivery, settle).
func BenchmarkDeliver(b *testing.B) {
	e := newEnv(b, escalation.Config{})
	ch := &recChannel{name: "webchat"}
	e.channels["webchat"] = ch
	ctx := context.Background()
	tk := mustEscalate(b, e.svc, esc("u", "c", "q"))
	for b.Loop() {
		if _, err := e.svc.Reply(ctx, e.admin, tk.ID, "an answer", ""); err != nil {
			b.Fatal(err)
		}
		if n, err := e.svc.DeliverDue(ctx); err != nil || n != 1 {
			b.Fatalf("delivered %d: %v", n, err)
		}
		e.clock.Add(time.Millisecond)
	}
	if len(ch.Sent()) == 0 {
		b.Fatal("nothing sent")
	}
}
