package discord_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/supportbot/supportbot/connectors/discord/discordtest"
)

// BenchmarkDMRoundTrip measures a user's DM through the gateway to the
// handler and the answer back over REST, against the fake Discord on
// loopback: the connector's own overhead per message (the engine here
// answers at once).
func BenchmarkDMRoundTrip(b *testing.B) {
	fake := discordtest.NewServer(b)
	h := start(b, fake, config(fake), newEngine(), nil)
	u := fake.NewUser("bench")
	dm := fake.DM(u)
	i := 0
	for b.Loop() {
		i++
		m := fake.Post(dm, u, "question "+strconv.Itoa(i))
		if !fake.WaitFor(10*time.Second, func() bool { return len(repliesTo(fake, dm, m.ID)) == 1 }) {
			b.Fatal("no answer")
		}
	}
	b.StopTimer()
	h.stop()
}
