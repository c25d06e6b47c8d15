package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/supportbot/supportbot/escalation"
)

// events streams ticket changes to the browser as server-sent events
// ("event: ticket", data {"ticket_id","type"}); the page then reloads what
// it shows. SSE rather than a WebSocket: it only flows one way, it
// reconnects by itself, and it passes proxies as a plain HTTP response.
func (c *Console) events(w http.ResponseWriter, r *http.Request, _ *escalation.Session) {
	rc := http.NewResponseController(w)
	ch, cancel := c.svc.Subscribe()
	defer cancel()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n\n")
	if err := rc.Flush(); err != nil {
		return
	}
	ping := time.NewTicker(25 * time.Second) // keeps idle proxies from closing the stream
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
		case ch := <-ch:
			b, _ := json.Marshal(map[string]any{"ticket_id": ch.TicketID, "type": ch.Type})
			fmt.Fprintf(w, "event: ticket\ndata: %s\n\n", b)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
