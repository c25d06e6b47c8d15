package discordtest

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// Gateway intents the fake looks at.
const (
	intentGuilds         = 1 << 0
	intentGuildMessages  = 1 << 9
	intentDirectMessages = 1 << 12
	intentMessageContent = 1 << 15
)

// session is a gateway session: what a client identified with, and every
// event dispatched to it, so that RESUME can replay what a dropped
// connection missed.
type session struct {
	id      string
	token   string
	intents int
	shard   [2]int
	seq     int64
	log     []logged
	conn    *gwConn
	invalid bool
}

type logged struct {
	seq  int64
	data []byte
}

// gwConn is one websocket connection.
type gwConn struct {
	ws   *websocket.Conn
	sess *session
}

// serveGateway speaks the gateway protocol on one connection: HELLO,
// then IDENTIFY (READY and GUILD_CREATE follow) or RESUME (the missed
// events, then RESUMED), heartbeats and their ACKs.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("v") != "9" || r.URL.Query().Get("encoding") != "json" {
		http.Error(w, "expected ?v=9&encoding=json", http.StatusBadRequest)
		return
	}
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	ws.SetReadLimit(1 << 20)
	c := &gwConn{ws: ws}
	s.mu.Lock()
	s.conns[c] = true
	hello, _ := json.Marshal(map[string]any{"heartbeat_interval": s.HeartbeatInterval.Milliseconds()})
	s.sendLocked(c, payload{Op: 10, D: hello})
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		if c.sess != nil && c.sess.conn == c {
			c.sess.conn = nil
		}
		s.notify()
		s.mu.Unlock()
		ws.CloseNow()
	}()
	ctx := context.Background()
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			// Closing with 1000 or 1001 ends the session for good, as on
			// Discord; any other end of the connection leaves it resumable.
			if st := websocket.CloseStatus(err); (st == websocket.StatusNormalClosure || st == websocket.StatusGoingAway) && c.sess != nil {
				s.mu.Lock()
				c.sess.invalid = true
				s.mu.Unlock()
			}
			return
		}
		var p payload
		if err := json.Unmarshal(data, &p); err != nil {
			ws.Close(4002, "Decode error")
			return
		}
		if !s.handleOp(c, p) {
			return
		}
	}
}

// handleOp handles one client payload; false ends the connection.
func (s *Server) handleOp(c *gwConn, p payload) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch p.Op {
	case 1: // heartbeat
		s.sendLocked(c, payload{Op: 11})
	case 2: // identify
		var id Identify
		json.Unmarshal(p.D, &id)
		s.identifies = append(s.identifies, id)
		if strings.TrimPrefix(id.Token, "Bot ") != s.Token {
			c.ws.Close(4004, "Authentication failed.")
			return false
		}
		if id.Intents&intentMessageContent != 0 && !s.MessageContentAllowed {
			c.ws.Close(4014, "Disallowed intent(s).")
			return false
		}
		shard := [2]int{0, 1}
		if id.Shard != nil {
			shard = *id.Shard
		}
		if shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1] {
			c.ws.Close(4010, "Invalid shard.")
			return false
		}
		sess := &session{id: "sess" + s.newID(), token: id.Token, intents: id.Intents, shard: shard, conn: c}
		s.sessions[sess.id] = sess
		c.sess = sess
		s.readyLocked(sess)
	case 6: // resume
		var rs Resume
		json.Unmarshal(p.D, &rs)
		s.resumes = append(s.resumes, rs)
		sess := s.sessions[rs.SessionID]
		if sess == nil || sess.invalid || strings.TrimPrefix(rs.Token, "Bot ") != s.Token {
			s.sendLocked(c, payload{Op: 9, D: json.RawMessage("false")})
			break
		}
		if old := sess.conn; old != nil && old != c {
			old.ws.CloseNow()
		}
		sess.conn, c.sess = c, sess
		for _, e := range sess.log {
			if e.seq > rs.Seq {
				c.write(e.data)
			}
		}
		s.dispatchToLocked(sess, "RESUMED", map[string]any{})
	default:
		// Presence updates and the like are accepted and ignored.
	}
	s.notify()
	return true
}

// readyLocked sends READY and one GUILD_CREATE per guild of the shard.
func (s *Server) readyLocked(sess *session) {
	var guilds []map[string]any
	for _, g := range s.guilds {
		if s.shardOf(g.ID, sess.shard[1]) == sess.shard[0] {
			guilds = append(guilds, map[string]any{"id": g.ID, "unavailable": true})
		}
	}
	s.dispatchToLocked(sess, "READY", map[string]any{
		"v": 9, "user": s.Bot, "session_id": sess.id, "resume_gateway_url": "ws" + strings.TrimPrefix(s.URL, "http") + "/ws",
		"shard": sess.shard, "application": map[string]any{"id": s.AppID, "flags": 0},
		"guilds": guilds, "private_channels": []any{},
	})
	for _, g := range s.guilds {
		if s.shardOf(g.ID, sess.shard[1]) != sess.shard[0] {
			continue
		}
		var channels, threads []Channel
		for _, c := range s.channels {
			switch {
			case c.GuildID != g.ID:
			case c.Type == ChannelPublicThread || c.Type == ChannelPrivateThread:
				threads = append(threads, *c)
			default:
				channels = append(channels, *c)
			}
		}
		s.dispatchToLocked(sess, "GUILD_CREATE", map[string]any{
			"id": g.ID, "name": g.Name, "preferred_locale": g.Locale, "channels": channels, "threads": threads,
			"members": []any{}, "roles": []any{}, "emojis": []any{}, "unavailable": false,
			"joined_at": time.Now().UTC().Format(time.RFC3339), "member_count": 2,
		})
	}
}

func (s *Server) shardOf(guildID string, count int) int {
	if guildID == "" || count <= 1 {
		return 0
	}
	id, _ := strconv.ParseUint(guildID, 10, 64)
	return int((id >> 22) % uint64(count))
}

// dispatchLocked sends an event to every live session that should get
// it: of the guild's shard (DMs: shard 0) and with the intent (0: none
// needed). transform, if set, adapts the event to one session.
func (s *Server) dispatchLocked(t string, d any, guildID string, intent int, transform func(*session) any) {
	for _, sess := range s.sessions {
		if sess.invalid || s.shardOf(guildID, sess.shard[1]) != sess.shard[0] {
			continue
		}
		if intent != 0 && sess.intents&intent == 0 {
			continue
		}
		v := d
		if transform != nil {
			v = transform(sess)
		}
		s.dispatchToLocked(sess, t, v)
	}
}

// dispatchToLocked numbers an event in the session and sends it if the
// session has a connection; otherwise it waits in the log for RESUME.
func (s *Server) dispatchToLocked(sess *session, t string, d any) {
	sess.seq++
	seq := sess.seq
	raw, _ := json.Marshal(d)
	data, _ := json.Marshal(payload{Op: 0, T: t, S: &seq, D: raw})
	sess.log = append(sess.log, logged{seq: seq, data: data})
	if sess.conn != nil {
		if err := sess.conn.write(data); err != nil {
			sess.conn = nil
		}
	}
}

// dispatchMessageLocked sends MESSAGE_CREATE. Without the Message Content
// intent a bot gets no content, embeds, attachments or components, except
// in DMs, in messages that mention it, and in its own messages.
func (s *Server) dispatchMessageLocked(m *Message) {
	intent := intentGuildMessages
	if m.GuildID == "" {
		intent = intentDirectMessages
	}
	s.dispatchLocked("MESSAGE_CREATE", *m, m.GuildID, intent, func(sess *session) any {
		if sess.intents&intentMessageContent != 0 || m.GuildID == "" || m.Author.ID == s.Bot.ID {
			return *m
		}
		for _, u := range m.Mentions {
			if u.ID == s.Bot.ID {
				return *m
			}
		}
		v := *m
		v.Content, v.Embeds, v.Attachments, v.Components = "", []Embed{}, []Attachment{}, []Component{}
		return v
	})
}

func (s *Server) sendLocked(c *gwConn, p payload) {
	data, _ := json.Marshal(p)
	c.write(data)
}

func (c *gwConn) write(data []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.ws.Write(ctx, websocket.MessageText, data)
}

// Drop cuts every gateway connection without a close frame, as a network
// failure would. Sessions stay resumable; events dispatched meanwhile
// wait for RESUME.
func (s *Server) Drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.ws.CloseNow()
		if c.sess != nil && c.sess.conn == c {
			c.sess.conn = nil
		}
	}
	s.notify()
}

// InvalidateSessions makes every session unresumable: a RESUME gets
// INVALID_SESSION (op 9), and events dispatched before a new IDENTIFY are
// lost to the bot, as on Discord.
func (s *Server) InvalidateSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sess := range s.sessions {
		sess.invalid = true
	}
}

// RequestReconnect sends RECONNECT (op 7) on every connection.
func (s *Server) RequestReconnect() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		s.sendLocked(c, payload{Op: 7})
	}
}

// Connected reports how many gateway connections have a live session.
func (s *Server) Connected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for c := range s.conns {
		if c.sess != nil && !c.sess.invalid && c.sess.conn == c {
			n++
		}
	}
	return n
}
