// Package discordtest is a fake Discord for tests: an HTTP server that
// speaks Discord's REST API (v9) and gateway protocol on loopback, close
// enough that the real discordgo client runs against it unchanged.
//
// No Discord emulator exists, so this one keeps Discord's rules where a
// bot could break them: message content of at most 2,000 characters
// (UTF-16 units), embed and component limits, interaction
// acknowledgements within 3 seconds and only once, command name rules,
// nonce de-duplication, rate limits with retry_after, gateway sessions
// with sequence numbers that RESUME replays, Message Content only with
// its intent. Tests play the users (Post, Command, Click), inject faults
// (RateLimit, Fail, Drop, InvalidateSessions) and read what the bot did
// (Messages, Interaction, Calls).
//
// Point a bot at it with its URL as the API base, e.g. the connector's
// Config.APIURL; the gateway is served at ws://<host>/ws/.
package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// discordEpoch is the start of snowflake time, in Unix milliseconds.
const discordEpoch = 1420070400000

// AckDeadline is how long the fake waits for an interaction's first
// response before refusing it. Discord's own window is 3 s; the fake is
// more lenient so that a loaded CI machine (race detector, two cores) does
// not turn it into a flaky timing assertion. That the connector answers
// with a deferred response before doing the slow work is checked by the
// order of the calls, not by the clock.
var AckDeadline = 30 * time.Second

// Server is a fake Discord. Create it with NewServer.
type Server struct {
	// URL is the base URL: REST under /api/v9, the gateway at /ws/.
	URL string
	// Token is the bot token the server accepts (without "Bot ").
	Token string
	// Bot is the bot's user; AppID its application id.
	Bot   User
	AppID string
	// GuildID is a guild with two text channels: SupportChannelID and
	// GeneralChannelID.
	GuildID, SupportChannelID, GeneralChannelID string
	// HeartbeatInterval is sent in HELLO. Default: 41.25 s, as Discord.
	HeartbeatInterval time.Duration
	// MessageContentAllowed says whether the bot may request the Message
	// Content intent (switched on in the Developer Portal). Default: true.
	MessageContentAllowed bool
	// NonceWindow is how long enforce_nonce finds an earlier message with
	// the same nonce ("the past few minutes"). Default: 5 minutes; 0
	// plays a retry that comes later than that.
	NonceWindow time.Duration

	srv *httptest.Server

	mu       sync.Mutex
	changed  chan struct{}
	lastID   uint64
	users    map[string]User
	guilds   []*guild
	channels map[string]*Channel
	messages map[string][]*Message // by channel, oldest first
	dms      map[string]string     // user id -> DM channel id
	commands map[string][]Command  // by scope: "" global, else guild id
	inters   map[string]*Interaction
	byToken  map[string]*Interaction
	nonces   map[string]nonceEntry
	files    map[string][]byte
	noDMs    map[string]bool
	denied   map[string]bool // channels where the bot may not create threads
	calls    []Call
	faults   []*fault
	limited  map[string]time.Time // route -> rate-limited until
	globalAt time.Time
	rate     struct{ served, early int }
	late     int

	sessions   map[string]*session
	conns      map[*gwConn]bool
	identifies []Identify
	resumes    []Resume
}

type guild struct {
	ID, Name, Locale string
}

type nonceEntry struct {
	messageID string
	at        time.Time
}

// NewServer starts a fake Discord with one guild, its support and general
// channels, and a bot; it stops when the test ends.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{
		Token: "fake-token-" + strconv.FormatInt(time.Now().UnixNano(), 36), HeartbeatInterval: 41250 * time.Millisecond,
		MessageContentAllowed: true, NonceWindow: 5 * time.Minute,
		changed: make(chan struct{}),
		users:   map[string]User{}, channels: map[string]*Channel{}, messages: map[string][]*Message{},
		dms: map[string]string{}, commands: map[string][]Command{}, inters: map[string]*Interaction{},
		byToken: map[string]*Interaction{}, nonces: map[string]nonceEntry{}, files: map[string][]byte{},
		noDMs: map[string]bool{}, denied: map[string]bool{}, limited: map[string]time.Time{},
		sessions: map[string]*session{}, conns: map[*gwConn]bool{},
	}
	s.AppID = s.newID()
	s.Bot = User{ID: s.AppID, Username: "supportbot", Discriminator: "0", Bot: true}
	s.users[s.Bot.ID] = s.Bot
	s.GuildID = s.newID()
	s.guilds = append(s.guilds, &guild{ID: s.GuildID, Name: "Exchange", Locale: "en-US"})
	s.SupportChannelID = s.addChannel(&Channel{Type: ChannelText, GuildID: s.GuildID, Name: "support"})
	s.GeneralChannelID = s.addChannel(&Channel{Type: ChannelText, GuildID: s.GuildID, Name: "general"})
	s.srv = httptest.NewServer(s.routes())
	s.URL = s.srv.URL
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server and drops every gateway connection.
func (s *Server) Close() {
	s.mu.Lock()
	for c := range s.conns {
		c.ws.CloseNow()
	}
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// newID returns a fresh snowflake: rising, with the current time in it.
// Called with s.mu held, or before the server is shared.
func (s *Server) newID() string {
	id := uint64(time.Now().UnixMilli()-discordEpoch) << 22
	if id <= s.lastID {
		id = s.lastID + 1
	}
	s.lastID = id
	return strconv.FormatUint(id, 10)
}

func (s *Server) addChannel(c *Channel) string {
	c.ID = s.newID()
	s.channels[c.ID] = c
	return c.ID
}

// notify wakes up WaitFor; called with s.mu held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// WaitFor waits until cond is true, checking it after every change of
// the fake's state, for at most timeout. It returns cond's last value.
// (The timeout is a safety net for a broken test, not a speed check.)
func (s *Server) WaitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return true
		}
		select {
		case <-ch:
		case <-deadline.C:
			return cond()
		}
	}
}

// NewUser makes a user.
func (s *Server) NewUser(name string) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := User{ID: s.newID(), Username: name, GlobalName: name, Discriminator: "0"}
	s.users[u.ID] = u
	return u
}

// DM returns the DM channel between the bot and u, opening it.
func (s *Server) DM(u User) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dmLocked(u.ID)
}

func (s *Server) dmLocked(user string) string {
	if id, ok := s.dms[user]; ok {
		return id
	}
	id := s.addChannel(&Channel{Type: ChannelDM, Recipients: []User{s.users[user]}})
	s.dms[user] = id
	return id
}

// BlockDMs makes the user refuse DMs from the bot (error 50007).
func (s *Server) BlockDMs(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noDMs[u.ID] = true
}

// DenyThreads takes the bot's permission to create threads in a channel.
func (s *Server) DenyThreads(channelID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denied[channelID] = true
}

// DeleteChannel deletes a channel or thread.
func (s *Server) DeleteChannel(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.channels, id)
	delete(s.messages, id)
	s.notify()
}

// PostOption adds to a user's message.
type PostOption func(s *Server, m *Message)

// WithFile attaches a file, served by the fake's CDN.
func WithFile(name string, data []byte) PostOption {
	return func(s *Server, m *Message) {
		id := s.newID()
		path := "/attachments/" + m.ChannelID + "/" + id + "/" + name
		s.files[path] = data
		m.Attachments = append(m.Attachments, Attachment{ID: id, Filename: name, Size: len(data),
			ContentType: http.DetectContentType(data), URL: s.URL + path, ProxyURL: s.URL + path})
	}
}

// WithClaimedSize makes the last attachment report size instead of its
// real one.
func WithClaimedSize(size int) PostOption {
	return func(_ *Server, m *Message) {
		if n := len(m.Attachments); n > 0 {
			m.Attachments[n-1].Size = size
		}
	}
}

// Post has a user write a message in a channel (a DM channel from DM, a
// guild channel, a thread) and dispatches MESSAGE_CREATE. "<@id>" in the
// content mentions that user (the bot: "<@"+s.Bot.ID+">").
func (s *Server) Post(channelID string, author User, content string, opts ...PostOption) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channels[channelID]
	if ch == nil {
		panic("discordtest: Post to unknown channel " + channelID)
	}
	m := &Message{ID: s.newID(), ChannelID: channelID, GuildID: ch.GuildID, Author: author, Content: content,
		Timestamp: time.Now().UTC(), Mentions: s.mentionsLocked(content), Attachments: []Attachment{},
		Embeds: []Embed{}, Components: []Component{}}
	if ch.GuildID != "" {
		m.Member = &Member{Roles: []string{}, JoinedAt: time.Now().UTC()}
	}
	for _, o := range opts {
		o(s, m)
	}
	s.messages[channelID] = append(s.messages[channelID], m)
	s.dispatchMessageLocked(m)
	s.notify()
	return *m
}

func (s *Server) mentionsLocked(content string) []User {
	out := []User{}
	for id, u := range s.users {
		if strings.Contains(content, "<@"+id+">") || strings.Contains(content, "<@!"+id+">") {
			out = append(out, u)
		}
	}
	return out
}

// Messages returns a channel's messages, oldest first, ephemeral ones
// included.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, 0, len(s.messages[channelID]))
	for _, m := range s.messages[channelID] {
		out = append(out, *m)
	}
	return out
}

// BotMessages returns the bot's messages in a channel, oldest first.
func (s *Server) BotMessages(channelID string) []Message {
	var out []Message
	for _, m := range s.Messages(channelID) {
		if m.Author.ID == s.Bot.ID {
			out = append(out, m)
		}
	}
	return out
}

// Channel returns a channel or thread.
func (s *Server) Channel(id string) (Channel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.channels[id]
	if !ok {
		return Channel{}, false
	}
	return *c, true
}

// Threads returns the threads in a parent channel, oldest first.
func (s *Server) Threads(parentID string) []Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Channel
	for _, c := range s.channels {
		if c.ParentID == parentID {
			out = append(out, *c)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && lessID(out[j].ID, out[j-1].ID); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Calls returns the REST calls received, in order; with method and
// pathContains set, only the matching ones.
func (s *Server) Calls(method, pathContains string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if (method == "" || c.Method == method) && strings.Contains(c.Path, pathContains) {
			out = append(out, c)
		}
	}
	return out
}

// Commands returns the commands registered globally (scope "") or in a
// guild.
func (s *Server) Commands(scope string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Command(nil), s.commands[scope]...)
}

// Identifies returns the IDENTIFY payloads received.
func (s *Server) Identifies() []Identify {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Identify(nil), s.identifies...)
}

// Resumes returns the RESUME payloads received.
func (s *Server) Resumes() []Resume {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Resume(nil), s.resumes...)
}

// RateLimits returns how many 429s were served, and how many requests
// came back before their retry_after had passed.
func (s *Server) RateLimits() (served, early int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rate.served, s.rate.early
}

// LateAcks returns how many interaction callbacks came after the 3-second
// deadline (and were refused).
func (s *Server) LateAcks() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.late
}

// fault is an injected failure for the next matching requests.
type fault struct {
	method, path string
	status, code int
	retryAfter   time.Duration
	global       bool
	times        int
}

// RateLimit answers the next request matching method and pathContains
// with 429 and retry_after; global makes it the global limit, which holds
// every route (but interaction callbacks) until it passes.
func (s *Server) RateLimit(method, pathContains string, retryAfter time.Duration, global bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{method: method, path: pathContains, status: http.StatusTooManyRequests,
		retryAfter: retryAfter, global: global, times: 1})
}

// Fail answers the next times requests matching method and pathContains
// with status and a Discord error code.
func (s *Server) Fail(method, pathContains string, status, code, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{method: method, path: pathContains, status: status, code: code, times: times})
}

// routes builds the REST API, the CDN and the gateway endpoint.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	api := func(pattern string, h func(w http.ResponseWriter, r *http.Request, body []byte)) {
		method, path, _ := strings.Cut(pattern, " ")
		mux.HandleFunc(method+" /api/v9"+path, func(w http.ResponseWriter, r *http.Request) {
			s.serveAPI(w, r, h)
		})
	}
	api("GET /gateway", s.getGateway)
	api("GET /gateway/bot", s.getGateway)
	api("GET /channels/{id}", s.getChannel)
	api("GET /channels/{id}/messages", s.getMessages)
	api("POST /channels/{id}/messages", s.postMessage)
	api("POST /channels/{id}/typing", func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if s.channelOr404(w, r.PathValue("id")) != nil {
			w.WriteHeader(http.StatusNoContent)
		}
	})
	api("POST /channels/{id}/messages/{mid}/threads", s.postMessageThread)
	api("POST /channels/{id}/threads", s.postThread)
	api("PUT /channels/{id}/thread-members/{uid}", s.putThreadMember)
	api("POST /users/@me/channels", s.postDM)
	api("PUT /applications/{app}/commands", s.putCommands)
	api("PUT /applications/{app}/guilds/{guild}/commands", s.putCommands)
	api("POST /interactions/{id}/{token}/callback", s.postCallback)
	api("GET /webhooks/{app}/{token}/messages/{mid}", s.getWebhookMessage)
	api("PATCH /webhooks/{app}/{token}/messages/{mid}", s.patchWebhookMessage)
	api("POST /webhooks/{app}/{token}", s.postFollowup)
	mux.HandleFunc("GET /attachments/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		data, ok := s.files[r.URL.Path]
		s.calls = append(s.calls, Call{Method: r.Method, Path: r.URL.Path, Status: http.StatusOK, Time: time.Now()})
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	})
	mux.HandleFunc("GET /ws/", s.serveGateway)
	return mux
}

// serveAPI checks authorization and faults, records the call and runs h.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, h func(http.ResponseWriter, *http.Request, []byte)) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	path := strings.TrimPrefix(r.URL.Path, "/api/v9")
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		s.mu.Lock()
		s.calls = append(s.calls, Call{Method: r.Method, Path: path, Query: r.URL.RawQuery, Body: body,
			Status: rec.status, Time: time.Now()})
		s.notify()
		s.mu.Unlock()
	}()
	interaction := strings.HasPrefix(path, "/interactions/") || strings.HasPrefix(path, "/webhooks/")
	if !interaction && !strings.HasPrefix(path, "/gateway") && r.Header.Get("Authorization") != "Bot "+s.Token {
		writeError(rec, http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	}
	if s.limit(rec, r.Method, path, interaction) {
		return
	}
	h(rec, r, body)
}

type recorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status.
func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// limit applies injected faults and rate limits; it reports whether it
// answered the request.
func (s *Server) limit(w http.ResponseWriter, method, path string, interaction bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	route := method + " " + path
	// A request before its retry_after passed: Discord answers 429 again
	// (and counts it toward a ban).
	if until, ok := s.limited[route]; ok && now.Before(until) {
		s.rate.early++
		s.write429Locked(w, until.Sub(now), false)
		return true
	}
	if !interaction && now.Before(s.globalAt) {
		s.rate.early++
		s.write429Locked(w, s.globalAt.Sub(now), true)
		return true
	}
	for i, f := range s.faults {
		if f.method != method || !strings.Contains(path, f.path) {
			continue
		}
		if f.times--; f.times <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		if f.status == http.StatusTooManyRequests {
			if f.global {
				s.globalAt = now.Add(f.retryAfter)
			} else {
				s.limited[route] = now.Add(f.retryAfter)
			}
			s.write429Locked(w, f.retryAfter, f.global)
			return true
		}
		writeError(w, f.status, f.code, http.StatusText(f.status))
		return true
	}
	return false
}

func (s *Server) write429Locked(w http.ResponseWriter, d time.Duration, global bool) {
	s.rate.served++
	secs := d.Seconds()
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	if global {
		h.Set("X-RateLimit-Global", "true")
		h.Set("X-RateLimit-Scope", "global")
	} else {
		h.Set("X-RateLimit-Scope", "user")
		h.Set("X-RateLimit-Limit", "5")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
		h.Set("X-RateLimit-Bucket", "fake-bucket")
	}
	w.WriteHeader(http.StatusTooManyRequests)
	json.NewEncoder(w).Encode(map[string]any{"message": "You are being rate limited.", "retry_after": secs, "global": global})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"message": msg, "code": code})
}

func (s *Server) getGateway(w http.ResponseWriter, _ *http.Request, _ []byte) {
	ws := "ws" + strings.TrimPrefix(s.URL, "http") + "/ws"
	writeJSON(w, http.StatusOK, map[string]any{"url": ws, "shards": 1,
		"session_start_limit": map[string]int{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
}

// channelOr404 returns a channel, or answers 404 Unknown Channel.
func (s *Server) channelOr404(w http.ResponseWriter, id string) *Channel {
	s.mu.Lock()
	c := s.channels[id]
	s.mu.Unlock()
	if c == nil {
		writeError(w, http.StatusNotFound, 10003, "Unknown Channel")
	}
	return c
}

func (s *Server) getChannel(w http.ResponseWriter, r *http.Request, _ []byte) {
	if c := s.channelOr404(w, r.PathValue("id")); c != nil {
		s.mu.Lock()
		v := *c
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, v)
	}
}

// getMessages serves history as Discord does: newest first, at most
// limit (default 50, at most 100); with after, the messages right after
// that id. Ephemeral messages are not in history, and history messages
// carry neither guild_id nor nonce.
func (s *Server) getMessages(w http.ResponseWriter, r *http.Request, _ []byte) {
	id := r.PathValue("id")
	if s.channelOr404(w, id) == nil {
		return
	}
	q := r.URL.Query()
	limit := 50
	if v, err := strconv.Atoi(q.Get("limit")); err == nil {
		limit = v
	}
	if limit < 1 || limit > 100 {
		writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: limit")
		return
	}
	s.mu.Lock()
	var all []Message
	for _, m := range s.messages[id] {
		if m.Flags&FlagEphemeral == 0 {
			v := *m
			v.GuildID, v.Nonce = "", ""
			all = append(all, v)
		}
	}
	s.mu.Unlock()
	var sel []Message
	if after := q.Get("after"); after != "" {
		for _, m := range all {
			if lessID(after, m.ID) {
				sel = append(sel, m)
				if len(sel) == limit {
					break
				}
			}
		}
	} else {
		sel = all
		if before := q.Get("before"); before != "" {
			sel = nil
			for _, m := range all {
				if lessID(m.ID, before) {
					sel = append(sel, m)
				}
			}
		}
		if len(sel) > limit {
			sel = sel[len(sel)-limit:]
		}
	}
	out := make([]Message, len(sel))
	for i, m := range sel {
		out[len(sel)-1-i] = m
	}
	writeJSON(w, http.StatusOK, out)
}

// messageBody is what a bot sends to create or edit a message.
type messageBody struct {
	Content          *string           `json:"content"`
	Embeds           *[]Embed          `json:"embeds"`
	Components       *[]Component      `json:"components"`
	AllowedMentions  *AllowedMentions  `json:"allowed_mentions"`
	MessageReference *MessageReference `json:"message_reference"`
	Flags            int               `json:"flags"`
	Nonce            json.RawMessage   `json:"nonce"`
	EnforceNonce     bool              `json:"enforce_nonce"`
}

func (b *messageBody) apply(m *Message) {
	if b.Content != nil {
		m.Content = *b.Content
	}
	if b.Embeds != nil {
		m.Embeds = append([]Embed{}, *b.Embeds...)
	}
	if b.Components != nil {
		m.Components = append([]Component{}, *b.Components...)
	}
	if b.AllowedMentions != nil {
		m.AllowedMentions = b.AllowedMentions
	}
}

func (s *Server) postMessage(w http.ResponseWriter, r *http.Request, body []byte) {
	id := r.PathValue("id")
	ch := s.channelOr404(w, id)
	if ch == nil {
		return
	}
	var b messageBody
	if err := json.Unmarshal(body, &b); err != nil {
		writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	nonce, err := parseNonce(b.Nonce)
	if err != nil {
		writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: nonce: "+err.Error())
		return
	}
	m := &Message{ChannelID: id, GuildID: ch.GuildID, Author: s.Bot, Timestamp: time.Now().UTC(), Nonce: nonce,
		Mentions: []User{}, Attachments: []Attachment{}, Embeds: []Embed{}, Components: []Component{}}
	b.apply(m)
	if msg := validateMessage(m, b.AllowedMentions); msg != "" {
		writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: "+msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch.Type == ChannelDM && len(ch.Recipients) > 0 && s.noDMs[ch.Recipients[0].ID] {
		writeError(w, http.StatusForbidden, 50007, "Cannot send messages to this user")
		return
	}
	if ref := b.MessageReference; ref != nil && ref.MessageID != "" {
		if s.findLocked(id, ref.MessageID) == nil {
			if ref.FailIfNotExists == nil || *ref.FailIfNotExists {
				writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: message_reference: Unknown message")
				return
			}
		} else {
			m.MessageReference = &MessageReference{MessageID: ref.MessageID, ChannelID: id, GuildID: ch.GuildID}
			m.Type = 19 // REPLY
		}
	}
	// enforce_nonce: the same nonce from the same author in the same
	// channel within a few minutes returns the first message.
	key := id + "/" + nonce
	if b.EnforceNonce && nonce != "" {
		if e, ok := s.nonces[key]; ok && time.Since(e.at) < s.NonceWindow {
			if prev := s.findLocked(id, e.messageID); prev != nil {
				writeJSON(w, http.StatusOK, *prev)
				return
			}
		}
	}
	m.ID = s.newID()
	m.Mentions = s.allowedMentionsLocked(m)
	s.messages[id] = append(s.messages[id], m)
	if b.EnforceNonce && nonce != "" {
		s.nonces[key] = nonceEntry{messageID: m.ID, at: time.Now()}
	}
	s.dispatchMessageLocked(m)
	s.notify()
	writeJSON(w, http.StatusOK, *m)
}

// allowedMentionsLocked returns the users a bot message pings.
func (s *Server) allowedMentionsLocked(m *Message) []User {
	out := []User{}
	am := m.AllowedMentions
	for _, u := range s.mentionsLocked(m.Content) {
		if am == nil || contains(am.Parse, "users") || contains(am.Users, u.ID) {
			out = append(out, u)
		}
	}
	return out
}

func (s *Server) findLocked(channelID, id string) *Message {
	for _, m := range s.messages[channelID] {
		if m.ID == id {
			return m
		}
	}
	return nil
}

func parseNonce(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", err
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case float64:
		s = strconv.FormatFloat(x, 'f', 0, 64)
	default:
		return "", fmt.Errorf("must be a string or an integer")
	}
	if len(s) > 25 {
		return "", fmt.Errorf("must be 25 or fewer in length")
	}
	return s, nil
}

// threadBody is what a bot sends to start a thread.
type threadBody struct {
	Name                string `json:"name"`
	AutoArchiveDuration int    `json:"auto_archive_duration"`
	Type                *int   `json:"type"`
	Invitable           *bool  `json:"invitable"`
}

func (s *Server) newThread(w http.ResponseWriter, parent *Channel, id string, b threadBody, typ int) {
	if n := utf16Len(b.Name); n < 1 || n > 100 {
		writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: name must be 1 to 100 characters")
		return
	}
	switch b.AutoArchiveDuration {
	case 0, 60, 1440, 4320, 10080:
	default:
		writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: auto_archive_duration")
		return
	}
	dur := b.AutoArchiveDuration
	if dur == 0 {
		dur = 4320
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.denied[parent.ID] {
		writeError(w, http.StatusForbidden, 50013, "Missing Permissions")
		return
	}
	if id == "" {
		id = s.newID()
	}
	invitable := true
	if b.Invitable != nil {
		invitable = *b.Invitable
	}
	t := &Channel{ID: id, Type: typ, GuildID: parent.GuildID, ParentID: parent.ID, OwnerID: s.Bot.ID, Name: b.Name,
		ThreadMetadata: &ThreadMetadata{AutoArchiveDuration: dur, Invitable: invitable,
			ArchiveTimestamp: time.Now().UTC().Format(time.RFC3339)},
		Members: []string{s.Bot.ID}}
	s.channels[id] = t
	s.dispatchLocked("THREAD_CREATE", t, t.GuildID, intentGuilds, nil)
	s.notify()
	writeJSON(w, http.StatusCreated, *t)
}

// postMessageThread starts a thread from a message; the thread's id is
// the message's.
func (s *Server) postMessageThread(w http.ResponseWriter, r *http.Request, body []byte) {
	parent := s.channelOr404(w, r.PathValue("id"))
	if parent == nil {
		return
	}
	if parent.Type != ChannelText {
		writeError(w, http.StatusBadRequest, 50024, "Cannot execute action on this channel type")
		return
	}
	mid := r.PathValue("mid")
	s.mu.Lock()
	msg := s.findLocked(parent.ID, mid)
	_, exists := s.channels[mid]
	s.mu.Unlock()
	if msg == nil {
		writeError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	if exists {
		writeError(w, http.StatusBadRequest, 160004, "A thread has already been created for this message")
		return
	}
	var b threadBody
	if err := json.Unmarshal(body, &b); err != nil {
		writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	s.newThread(w, parent, mid, b, ChannelPublicThread)
}

// postThread starts a thread without a message. Its type defaults to a
// private thread: API v9 kept that from the first thread documentation.
func (s *Server) postThread(w http.ResponseWriter, r *http.Request, body []byte) {
	parent := s.channelOr404(w, r.PathValue("id"))
	if parent == nil {
		return
	}
	var b threadBody
	if err := json.Unmarshal(body, &b); err != nil {
		writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	typ := ChannelPrivateThread
	if b.Type != nil {
		typ = *b.Type
	}
	if typ != ChannelPublicThread && typ != ChannelPrivateThread {
		writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: type")
		return
	}
	s.newThread(w, parent, "", b, typ)
}

func (s *Server) putThreadMember(w http.ResponseWriter, r *http.Request, _ []byte) {
	t := s.channelOr404(w, r.PathValue("id"))
	if t == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.Type != ChannelPublicThread && t.Type != ChannelPrivateThread {
		writeError(w, http.StatusBadRequest, 50024, "Cannot execute action on this channel type")
		return
	}
	uid := r.PathValue("uid")
	if !contains(t.Members, uid) {
		nt := *t
		nt.Members = append(append([]string{}, t.Members...), uid)
		s.channels[t.ID] = &nt
	}
	s.notify()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) postDM(w http.ResponseWriter, _ *http.Request, body []byte) {
	var b struct {
		RecipientID string `json:"recipient_id"`
	}
	json.Unmarshal(body, &b)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[b.RecipientID]; !ok {
		writeError(w, http.StatusBadRequest, 50033, "Invalid Recipient(s)")
		return
	}
	id := s.dmLocked(b.RecipientID)
	writeJSON(w, http.StatusOK, *s.channels[id])
}

func (s *Server) putCommands(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.PathValue("app") != s.AppID {
		writeError(w, http.StatusForbidden, 50001, "Missing Access")
		return
	}
	var cmds []Command
	if err := json.Unmarshal(body, &cmds); err != nil {
		writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	if msg := validateCommands(cmds); msg != "" {
		writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: "+msg)
		return
	}
	scope := r.PathValue("guild")
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range cmds {
		cmds[i].ID, cmds[i].ApplicationID, cmds[i].GuildID, cmds[i].Version = s.newID(), s.AppID, scope, s.newID()
		if cmds[i].Type == 0 {
			cmds[i].Type = 1
		}
	}
	s.commands[scope] = cmds
	s.notify()
	writeJSON(w, http.StatusOK, cmds)
}

func (s *Server) findCommandLocked(guildID, name string) (Command, bool) {
	for _, scope := range []string{guildID, ""} {
		for _, c := range s.commands[scope] {
			if c.Name == name {
				return c, true
			}
		}
		if guildID == "" {
			break
		}
	}
	return Command{}, false
}

func lessID(a, b string) bool {
	x, _ := strconv.ParseUint(a, 10, 64)
	y, _ := strconv.ParseUint(b, 10, 64)
	return x < y
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// SetNonceWindow changes NonceWindow while the server runs.
func (s *Server) SetNonceWindow(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.NonceWindow = d
}
