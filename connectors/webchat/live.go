package webchat

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/supportbot/supportbot"
)

// Event is what the server streams to clients, over SSE (a reply being
// written) and over the live WebSocket (everything that happens in a
// conversation, for every tab it is open in).
type Event struct {
	// Type is "message" (a logged message: the visitor's, a reply, an
	// agent's), "typing" (a reply is being written), "delta" (more text
	// of the reply being written), "error", or "ready" (live socket
	// authenticated).
	Type           string   `json:"type"`
	ConversationID string   `json:"conversation_id,omitempty"`
	Message        *Message `json:"message,omitempty"`
	// ReplyTo is the Seq of the user message being answered (typing, delta).
	ReplyTo int64 `json:"reply_to,omitempty"`
	// Delta is the new text; Text and HTML are the whole reply so far.
	Delta string    `json:"delta,omitempty"`
	Text  string    `json:"text,omitempty"`
	HTML  string    `json:"html,omitempty"`
	Error *apiError `json:"error,omitempty"`
}

// hub fans conversation events out to live subscribers. Publishing never
// blocks: a subscriber that cannot keep up is dropped (its socket is
// closed and the widget reconnects and catches up from the log), so one
// slow browser cannot stall a reply.
type hub struct {
	mu     sync.Mutex
	subs   map[string]map[*subscriber]struct{}
	closed bool
}

type subscriber struct {
	ch chan []byte
}

func newHub() *hub { return &hub{subs: map[string]map[*subscriber]struct{}{}} }

// subscribe returns a subscriber to convID's events, or nil when the hub
// is closed.
func (h *hub) subscribe(convID string) *subscriber {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	s := &subscriber{ch: make(chan []byte, 64)}
	if h.subs[convID] == nil {
		h.subs[convID] = map[*subscriber]struct{}{}
	}
	h.subs[convID][s] = struct{}{}
	return s
}

func (h *hub) unsubscribe(convID string, s *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if set, ok := h.subs[convID]; ok {
		if _, ok := set[s]; ok {
			delete(set, s)
			close(s.ch)
		}
		if len(set) == 0 {
			delete(h.subs, convID)
		}
	}
}

// publish sends ev to convID's subscribers.
func (h *hub) publish(convID string, ev Event) {
	ev.ConversationID = convID
	data, err := json.Marshal(ev)
	if err != nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[convID] {
		select {
		case s.ch <- data:
		default:
			delete(h.subs[convID], s)
			close(s.ch)
		}
	}
}

// following reports whether anyone here follows convID.
func (h *hub) following(convID string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[convID]) > 0
}

// dropAll ends every subscription without closing the hub: the sockets
// close, and the widgets reconnect and catch up from the log.
func (h *hub) dropAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.endAll()
}

// closeAll ends every subscription, at shutdown.
func (h *hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	h.endAll()
}

// endAll closes every subscriber; h.mu is held.
func (h *hub) endAll() {
	for id, set := range h.subs {
		for s := range set {
			close(s.ch)
		}
		delete(h.subs, id)
	}
}

// liveAuth is the first frame a browser sends on the live socket. The
// token travels in a frame, not the URL, so it never lands in access logs.
type liveAuth struct {
	Token string `json:"token"`
}

// handleLive serves GET /api/v1/live?conversation_id=ID as a WebSocket
// that streams the conversation's events.
func (s *Server) handleLive(w http.ResponseWriter, r *http.Request) {
	convID := r.URL.Query().Get("conversation_id")
	opts := &websocket.AcceptOptions{}
	if s.anyOrigin() {
		// Safe: the socket is authenticated by a token in its first frame,
		// never by cookies, so another site cannot ride a visitor's session.
		opts.InsecureSkipVerify = true
	} else {
		for _, o := range s.cfg.AllowedOrigins {
			if u, err := url.Parse(o); err == nil && u.Host != "" {
				opts.OriginPatterns = append(opts.OriginPatterns, u.Host)
			}
		}
	}
	c, err := websocket.Accept(w, r, opts)
	if err != nil {
		return // Accept has answered the request
	}
	defer c.CloseNow()
	c.SetReadLimit(4096)
	s.m.live.Inc()
	defer s.m.live.Dec()

	ctx := r.Context()
	fail := func(err error) {
		data, _ := json.Marshal(Event{Type: "error", Error: toAPIError(err)})
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_ = c.Write(wctx, websocket.MessageText, data)
		c.Close(websocket.StatusPolicyViolation, supportbot.ErrorCode(err))
	}

	// Servers may authenticate with the Authorization header; browsers,
	// which cannot set headers on a WebSocket, send the token first.
	var cl *caller
	if r.Header.Get("Authorization") != "" {
		if cl, err = s.authenticateHeader(r); err != nil {
			fail(err)
			return
		}
	} else {
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, data, err := c.Read(rctx)
		cancel()
		if err != nil {
			return
		}
		var a liveAuth
		if err := json.Unmarshal(data, &a); err != nil || a.Token == "" {
			fail(supportbot.Errorf(supportbot.EUNAUTHORIZED, `Send {"token": "..."} as the first frame.`))
			return
		}
		if cl, err = s.authenticateToken(ctx, a.Token); err != nil {
			fail(err)
			return
		}
	}
	conv, err := s.ownConversation(ctx, cl, convID)
	if err != nil {
		fail(err)
		return
	}
	sub := s.hub.subscribe(conv.ID)
	if sub == nil {
		c.Close(websocket.StatusGoingAway, "shutting down")
		return
	}
	defer s.hub.unsubscribe(conv.ID, sub)
	ready, _ := json.Marshal(Event{Type: "ready", ConversationID: conv.ID})
	if err := c.Write(ctx, websocket.MessageText, ready); err != nil {
		return
	}

	// Nothing more is read; CloseRead handles pings and the close frame
	// and cancels ctx when the browser goes away.
	ctx = c.CloseRead(ctx)
	ping := time.NewTicker(30 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case data, ok := <-sub.ch:
			if !ok {
				c.Close(websocket.StatusGoingAway, "reconnect")
				return
			}
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := c.Write(wctx, websocket.MessageText, data)
			cancel()
			if err != nil {
				return
			}
		case <-ping.C:
			pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := c.Ping(pctx)
			cancel()
			if err != nil && !errors.Is(err, context.Canceled) {
				return
			}
		}
	}
}

func (s *Server) anyOrigin() bool {
	for _, o := range s.cfg.AllowedOrigins {
		if strings.TrimSpace(o) == "*" {
			return true
		}
	}
	return false
}
