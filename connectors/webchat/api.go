package webchat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/supportbot/supportbot"
)

// apiError is the body of every API error: {"error": {"code", "message"}},
// with a supportbot error code and a message safe to show a user.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func toAPIError(err error) *apiError {
	return &apiError{Code: supportbot.ErrorCode(err), Message: supportbot.ErrorMessage(err)}
}

// statusOf maps an error code to its HTTP status.
func statusOf(code string) int {
	switch code {
	case supportbot.EINVALID:
		return http.StatusBadRequest
	case supportbot.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case supportbot.EFORBIDDEN:
		return http.StatusForbidden
	case supportbot.ENOTFOUND:
		return http.StatusNotFound
	case supportbot.ECONFLICT:
		return http.StatusConflict
	case supportbot.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case supportbot.ERATELIMIT:
		return http.StatusTooManyRequests
	case supportbot.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// writeError answers with err as JSON. Internal errors are logged and
// shown only as "Internal error.".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := supportbot.ErrorCode(err)
	if code == supportbot.EINTERNAL {
		s.log.WithError(err).WithField("path", r.URL.Path).Error("web chat request failed")
	}
	writeJSON(w, statusOf(code), map[string]any{"error": toAPIError(err)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true) // harmless for clients; keeps "<" inert if a browser sniffs
	_ = enc.Encode(v)
}

// apiFunc is an API endpoint; a returned error becomes the JSON error.
type apiFunc func(w http.ResponseWriter, r *http.Request) error

// api wraps an endpoint with what every API request gets: CORS, no
// caching, the per-IP rate limit, read and request deadlines, metrics.
// Streaming endpoints bound their own work (ReplyTimeout) instead of the
// request deadline.
func (s *Server) api(route string, streaming bool, f apiFunc) http.Handler {
	return s.m.instrument(route, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.cors(w, r)
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if ok, retry := s.ipLimits.allow(s.clientIP(r), s.now()); !ok {
			s.m.rateLimited.WithLabelValues("ip").Inc()
			w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
			s.writeError(w, r, supportbot.Errorf(supportbot.ERATELIMIT, "Too many requests; retry in %d s.",
				int(retry.Seconds())+1))
			return
		}
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Now().Add(s.cfg.RequestTimeout))
		if streaming {
			// The reply may take longer than the server's write timeout.
			_ = rc.SetWriteDeadline(time.Now().Add(s.cfg.ReplyTimeout + s.cfg.RequestTimeout))
		} else {
			ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
			defer cancel()
			r = r.WithContext(ctx)
		}
		if err := f(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}))
}

// cors lets the widget call the API from the sites it is embedded in.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return
	}
	allowed := s.anyOrigin()
	for _, o := range s.cfg.AllowedOrigins {
		if strings.EqualFold(strings.TrimRight(o, "/"), origin) {
			allowed = true
		}
	}
	if !allowed {
		return
	}
	h := w.Header()
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, X-Attachment-Name")
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	h.Set("Access-Control-Max-Age", "600")
}

// readJSON decodes a JSON request body into dst, strictly: the body must
// fit MaxBodyBytes, be valid UTF-8 (encoding/json would silently turn bad
// bytes into U+FFFD), be one JSON value and name no unknown field.
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request, dst any, allowEmpty bool) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return supportbot.Errorf(supportbot.ETOOLARGE, "The request body is over the limit of %d bytes.", mbe.Limit)
	} else if err != nil {
		return supportbot.Errorf(supportbot.EINVALID, "The request body could not be read.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if allowEmpty {
			return nil
		}
		return supportbot.Errorf(supportbot.EINVALID, "The request body is empty; send a JSON object.")
	}
	if !utf8.Valid(body) {
		return supportbot.Errorf(supportbot.EINVALID, "The request body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return supportbot.Errorf(supportbot.EINVALID, "The request body is not valid JSON: %s.", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return supportbot.Errorf(supportbot.EINVALID, "The request body has data after the JSON object.")
	}
	return nil
}

// jsonProblem describes a decoding error without echoing the input.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q must be %s", te.Field, te.Type)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "it ends too early"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "it cannot be decoded"
}

// caller is who makes an API request: a visitor (by token) or a server
// (by API key, acting for any user).
type caller struct {
	visitor *Visitor // nil for an API key
	apiKey  bool
}

// authenticateHeader reads "Authorization: Bearer <token or API key>". It
// returns EUNAUTHORIZED when the header is missing or the token unknown.
func (s *Server) authenticateHeader(r *http.Request) (*caller, error) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return nil, supportbot.Errorf(supportbot.EUNAUTHORIZED,
			"Missing credentials: send \"Authorization: Bearer <visitor token or API key>\".")
	}
	return s.authenticateToken(r.Context(), strings.TrimSpace(tok))
}

func (s *Server) authenticateToken(ctx context.Context, tok string) (*caller, error) {
	if s.isAPIKey(tok) {
		return &caller{apiKey: true}, nil
	}
	if !strings.HasPrefix(tok, "wct_") || len(tok) > 100 {
		return nil, supportbot.Errorf(supportbot.EUNAUTHORIZED, "The token is not a visitor token or API key.")
	}
	v, err := s.store.visitorByToken(ctx, tok)
	if err != nil {
		return nil, err
	}
	return &caller{visitor: v}, nil
}

// ownConversation loads a conversation the caller may see. Another
// visitor's conversation is reported exactly like a missing one, so ids
// cannot be probed.
func (s *Server) ownConversation(ctx context.Context, cl *caller, id string) (*Conversation, error) {
	if id == "" || len(id) > 64 {
		return nil, supportbot.Errorf(supportbot.ENOTFOUND, "Conversation not found.")
	}
	c, err := s.store.conversation(ctx, id)
	if err != nil {
		return nil, err
	}
	if !cl.apiKey && c.VisitorID != cl.visitor.ID {
		return nil, supportbot.Errorf(supportbot.ENOTFOUND, "Conversation not found.")
	}
	return c, nil
}

// convFromRequest authenticates and loads the {id} conversation.
func (s *Server) convFromRequest(r *http.Request) (*caller, *Conversation, error) {
	cl, err := s.authenticateHeader(r)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.ownConversation(r.Context(), cl, r.PathValue("id"))
	return cl, c, err
}

// startRequest is the body of POST /api/v1/conversations.
type startRequest struct {
	// Lang is the visitor's chosen language, HintLang the browser's.
	Lang     string `json:"lang"`
	HintLang string `json:"hint_lang"`
	// Identity is a signed identity from the operator's page.
	Identity *identity `json:"identity"`
	// UserID names the user an API key acts for.
	UserID      string `json:"user_id"`
	DisplayName string `json:"display_name"`
}

type identity struct {
	UserID   string `json:"user_id"`
	UserHash string `json:"user_hash"`
	Name     string `json:"name"`
}

type startResponse struct {
	Visitor      visitorView   `json:"visitor"`
	Token        string        `json:"token,omitempty"`
	Conversation *Conversation `json:"conversation"`
}

// visitorView is what the API shows of a visitor.
type visitorView struct {
	ID       string `json:"id"`
	Verified bool   `json:"verified"`
	// UserID is the verified user id, for verified visitors.
	UserID string `json:"user_id,omitempty"`
}

func viewVisitor(v *Visitor) visitorView {
	return visitorView{ID: v.ID, Verified: v.Verified(), UserID: v.Account}
}

// handleStart starts a conversation. Without credentials it creates an
// anonymous visitor and issues its token; with a signed identity it
// finds or creates the verified visitor and issues a new token (a new
// browser of the same user); with a visitor token it adds a conversation
// for that visitor; with an API key it acts for body.user_id.
func (s *Server) handleStart(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var req startRequest
	if err := s.readJSON(w, r, &req, true); err != nil {
		return err
	}
	lang, err := optionalLang(req.Lang, "lang")
	if err != nil {
		return err
	}
	name := cleanText(req.DisplayName, 100)
	var v *Visitor
	var token string
	hasAuth := r.Header.Get("Authorization") != ""
	switch {
	case req.Identity != nil:
		if err := s.verifyIdentity(req.Identity.UserID, req.Identity.UserHash); err != nil {
			return err
		}
		if req.Identity.Name != "" {
			name = cleanText(req.Identity.Name, 100)
		}
		if v, err = s.store.findOrCreateVisitor(ctx, "user:"+req.Identity.UserID, req.Identity.UserID, name, lang); err != nil {
			return err
		}
		if token, err = s.store.issueToken(ctx, v.ID); err != nil {
			return err
		}
	case hasAuth:
		cl, err := s.authenticateHeader(r)
		if err != nil {
			return err
		}
		if cl.apiKey {
			if req.UserID == "" || len(req.UserID) > 256 || !utf8.ValidString(req.UserID) {
				return supportbot.Errorf(supportbot.EINVALID, "An API key must name the user: user_id, 1 to 256 bytes.")
			}
			if v, err = s.store.findOrCreateVisitor(ctx, "user:"+req.UserID, req.UserID, name, lang); err != nil {
				return err
			}
		} else {
			v = cl.visitor
		}
	default:
		if ok, retry := s.sessionLimits.allow(s.clientIP(r), s.now()); !ok {
			s.m.rateLimited.WithLabelValues("session").Inc()
			w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
			return supportbot.Errorf(supportbot.ERATELIMIT, "Too many new conversations from this address; retry later.")
		}
		if v, err = s.store.findOrCreateVisitor(ctx, "", "", name, lang); err != nil {
			return err
		}
		if token, err = s.store.issueToken(ctx, v.ID); err != nil {
			return err
		}
	}
	if lang != "" && lang != v.Lang {
		_ = s.store.setVisitorLang(ctx, v.ID, lang)
	}
	c, err := s.store.createConversation(ctx, v.ID, lang)
	if err != nil {
		return err
	}
	s.log.WithField("conversation_id", c.ID).Debug("conversation started")
	writeJSON(w, http.StatusCreated, startResponse{Visitor: viewVisitor(v), Token: token, Conversation: c})
	return nil
}

// handleListConversations lists the caller's conversations; an API key
// names the user with ?user_id=.
func (s *Server) handleListConversations(w http.ResponseWriter, r *http.Request) error {
	cl, err := s.authenticateHeader(r)
	if err != nil {
		return err
	}
	v := cl.visitor
	if cl.apiKey {
		uid := r.URL.Query().Get("user_id")
		if uid == "" {
			return supportbot.Errorf(supportbot.EINVALID, "An API key must name the user: ?user_id=.")
		}
		if v, err = s.store.visitorByUserID(r.Context(), "user:"+uid); supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
			writeJSON(w, http.StatusOK, map[string]any{"conversations": []*Conversation{}})
			return nil
		} else if err != nil {
			return err
		}
	}
	cs, err := s.store.conversations(r.Context(), v.ID, 100)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"conversations": cs})
	return nil
}

func (s *Server) handleGetConversation(w http.ResponseWriter, r *http.Request) error {
	_, c, err := s.convFromRequest(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"conversation": c})
	return nil
}

// handleListMessages lists a conversation's messages after ?after=SEQ.
func (s *Server) handleListMessages(w http.ResponseWriter, r *http.Request) error {
	_, c, err := s.convFromRequest(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	after, limit := int64(0), 200
	if a := q.Get("after"); a != "" {
		if after, err = strconv.ParseInt(a, 10, 64); err != nil || after < 0 {
			return supportbot.Errorf(supportbot.EINVALID, "after must be a message seq (a non-negative integer).")
		}
	}
	if l := q.Get("limit"); l != "" {
		if limit, err = strconv.Atoi(l); err != nil || limit < 1 || limit > 500 {
			return supportbot.Errorf(supportbot.EINVALID, "limit must be 1 to 500.")
		}
	}
	ms, err := s.store.messages(r.Context(), c.ID, after, limit)
	if err != nil {
		return err
	}
	base := s.publicBase(r)
	for _, m := range ms {
		s.decorate(m, base)
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": ms})
	return nil
}

// sendRequest is the body of POST /api/v1/conversations/{id}/messages.
type sendRequest struct {
	// ID is the client's id for the message; a retry with the same id is
	// answered with the first reply instead of being processed again.
	ID      string `json:"id"`
	Text    string `json:"text"`
	Command string `json:"command"`
	// Lang is the language the visitor chose; HintLang the browser's.
	Lang        string   `json:"lang"`
	HintLang    string   `json:"hint_lang"`
	Attachments []string `json:"attachments"`
}

var commands = map[string]bool{
	"": true, supportbot.CmdStart: true, supportbot.CmdHelp: true, supportbot.CmdLang: true,
	supportbot.CmdHuman: true, supportbot.CmdTicket: true, supportbot.CmdStatus: true,
}

// handleSend logs a visitor's message, has the engine answer it and
// returns the reply: as JSON, or as server-sent events when the client
// accepts text/event-stream or asks ?stream=true.
func (s *Server) handleSend(w http.ResponseWriter, r *http.Request) error {
	_, c, err := s.convFromRequest(r)
	if err != nil {
		return err
	}
	var req sendRequest
	if err := s.readJSON(w, r, &req, false); err != nil {
		return err
	}
	if err := s.validateSend(&req); err != nil {
		return err
	}
	if ok, retry := s.visitorLimits.allow(c.VisitorID, s.now()); !ok {
		s.m.rateLimited.WithLabelValues("visitor").Inc()
		w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
		return supportbot.Errorf(supportbot.ERATELIMIT, "You are sending messages too quickly; retry in %d s.",
			int(retry.Seconds())+1)
	}
	if wantsStream(r) {
		return s.streamSend(w, r, c, &req)
	}
	res, err := s.converse(r.Context(), c, &req, s.publicBase(r), nil)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func wantsStream(r *http.Request) bool {
	if v := r.URL.Query().Get("stream"); v != "" {
		b, _ := strconv.ParseBool(v)
		return b
	}
	return strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// validateSend checks and normalizes a message before anything is logged.
func (s *Server) validateSend(req *sendRequest) error {
	if len(req.ID) > 128 || strings.IndexFunc(req.ID, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return supportbot.Errorf(supportbot.EINVALID, "id must be at most 128 printable characters without spaces.")
	}
	if len(req.Text) > s.cfg.MaxMessageBytes {
		return supportbot.Errorf(supportbot.ETOOLARGE, "The message is %d bytes; the limit is %d.",
			len(req.Text), s.cfg.MaxMessageBytes)
	}
	req.Text = cleanText(req.Text, -1)
	if !commands[req.Command] {
		return supportbot.Errorf(supportbot.EINVALID, "Unknown command %q; use one of start, help, lang, human, ticket, status.",
			truncateRunes(req.Command, 32))
	}
	if req.Text == "" && req.Command == "" && len(req.Attachments) == 0 {
		return supportbot.Errorf(supportbot.EINVALID, "The message is empty.")
	}
	var err error
	if req.Lang, err = optionalLang(req.Lang, "lang"); err != nil {
		return err
	}
	if req.Command == supportbot.CmdLang && req.Text != "" {
		tag := supportbot.NormalizeLang(req.Text)
		if tag == "" {
			return supportbot.Errorf(supportbot.EINVALID, "Language %q is not supported.", truncateRunes(req.Text, 32))
		}
		req.Text = tag
	}
	req.HintLang = supportbot.NormalizeLang(req.HintLang) // a hint may be anything; unknown is dropped
	if len(req.Attachments) > s.cfg.MaxAttachments {
		return supportbot.Errorf(supportbot.ETOOLARGE, "A message may carry at most %d attachments.", s.cfg.MaxAttachments)
	}
	return nil
}

// sendResult is the JSON answer to a message.
type sendResult struct {
	Message *Message `json:"message"`
	// Reply is nil when the engine stays silent (a message added to an
	// open ticket that agents will answer).
	Reply *Message `json:"reply"`
}

// sink receives a reply's events as they happen (SSE); nil for JSON.
type sink func(Event)

// converse is the heart of web chat: log the visitor's message, have the
// engine answer it (streaming through emit), log and publish the reply.
// The engine runs on a context detached from the request: a visitor who
// reloads mid-answer finds the finished reply in the history.
func (s *Server) converse(ctx context.Context, c *Conversation, req *sendRequest, base string, emit sink) (*sendResult, error) {
	hb := s.handler.Load()
	if hb == nil {
		return nil, supportbot.Errorf(supportbot.EUNAVAILABLE, "The chat is starting; try again in a moment.")
	}
	if !s.begin() {
		return nil, supportbot.Errorf(supportbot.EUNAVAILABLE, "The server is restarting; try again in a moment.")
	}
	defer s.inflight.Done()
	s.m.inflight.Inc()
	defer s.m.inflight.Dec()
	if emit == nil {
		emit = func(Event) {}
	}
	start := s.now()

	v, err := s.store.visitor(ctx, c.VisitorID)
	if err != nil {
		return nil, err
	}
	var atts []supportbot.Attachment
	user := &Message{ID: req.ID, ConversationID: c.ID, Role: RoleUser, Text: req.Text, Command: req.Command,
		Lang: req.Lang}
	for _, id := range req.Attachments {
		info, data, linked, err := s.store.attachment(ctx, c.ID, id)
		if err != nil {
			return nil, err
		}
		if linked && req.ID == "" {
			return nil, supportbot.Errorf(supportbot.ECONFLICT, "Attachment %s was already sent.", id)
		}
		user.Attachments = append(user.Attachments, info)
		atts = append(atts, supportbot.Attachment{Name: info.Name, ContentType: info.ContentType, Data: data})
	}
	dup, err := s.store.addMessage(ctx, user)
	if err != nil {
		return nil, err
	}
	if dup {
		if old, err := s.store.replyTo(ctx, c.ID, user.Seq); err == nil {
			s.decorate(old, base)
			emit(Event{Type: "message", Message: user})
			emit(Event{Type: "message", Message: old})
			return &sendResult{Message: user, Reply: old}, nil
		}
		// Logged but unanswered (the process stopped mid-answer): answer
		// now; the engine's own dedup returns its first reply if it had one.
	} else {
		s.hub.publish(c.ID, Event{Type: "message", Message: user})
	}
	emit(Event{Type: "message", Message: user})
	s.typing(ctx, c.ID, "typing", user.Seq)
	// Every tab showing the typing indicator learns that it is over, even
	// when the engine stays silent or fails.
	defer s.typing(ctx, c.ID, "done", user.Seq)
	emit(Event{Type: "typing", ReplyTo: user.Seq})

	msg := supportbot.Message{
		ID:             c.ID + "/" + user.ID, // client ids are only unique within a conversation
		Channel:        ChannelName,
		UserID:         v.UserID,
		ConversationID: c.ID,
		Text:           user.Text,
		Command:        user.Command,
		Lang:           req.Lang,
		HintLang:       req.HintLang,
		Account:        v.Account,
		DisplayName:    v.DisplayName,
		Attachments:    atts,
		Time:           user.CreatedAt,
	}
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ReplyTimeout)
	defer cancel()
	var acc strings.Builder
	first := true
	reply, err := hb.h.HandleStream(hctx, msg, func(delta string) {
		if delta == "" {
			return
		}
		if first {
			s.m.firstByte.Observe(s.now().Sub(start).Seconds())
			first = false
		}
		acc.WriteString(delta)
		emit(Event{Type: "delta", ReplyTo: user.Seq, Delta: delta, Text: acc.String(),
			HTML: s.render.Chat(acc.String(), base)})
	})
	log := s.log.WithField("conversation_id", c.ID)
	if err != nil {
		code := supportbot.ErrorCode(err)
		if code == supportbot.EINTERNAL {
			log.WithError(err).Error("engine failed to answer")
			err = supportbot.Errorf(supportbot.EUNAVAILABLE, "The assistant could not answer just now; try again in a moment.")
		}
		return nil, err
	}
	res := &sendResult{Message: user}
	if strings.TrimSpace(reply.Text) == "" && len(reply.Actions) == 0 {
		return res, nil // the engine chose silence (e.g. the message went to an open ticket)
	}
	bot := replyMessage(c.ID, RoleBot, reply)
	bot.ReplyTo = user.Seq
	if _, err := s.store.addMessage(context.WithoutCancel(ctx), bot); err != nil {
		return nil, err
	}
	s.decorate(bot, base)
	log.WithField("lang", reply.Lang).Debug("replied")
	s.hub.publish(c.ID, Event{Type: "message", Message: bot})
	emit(Event{Type: "message", Message: bot})
	res.Reply = bot
	return res, nil
}

// replyMessage turns an engine or agent reply into a log message.
func replyMessage(convID, role string, r supportbot.Reply) *Message {
	m := &Message{ID: r.ID, ConversationID: convID, Role: role, Text: r.Text, Lang: r.Lang,
		Decision: string(r.Decision), Reason: r.Reason, TicketID: r.TicketID}
	if m.ID == "" {
		m.ID = newID("r_")
	}
	for _, c := range r.Citations {
		m.Citations = append(m.Citations, Citation{ArticleID: c.ArticleID, Title: c.Title, URL: c.URL, Lang: c.Lang})
	}
	for _, a := range r.Actions {
		m.Actions = append(m.Actions, Action{Kind: a.Kind, Label: a.Label})
	}
	return m
}

// decorate fills what is derived, not stored: the rendered HTML of
// replies, and the URLs of citations the engine gave without one (under
// base, which may differ between the help center and the API's callers).
func (s *Server) decorate(m *Message, base string) {
	if m.Role != RoleUser && m.HTML == "" {
		m.HTML = s.render.Chat(m.Text, base)
	}
	for i, c := range m.Citations {
		if c.URL == "" && c.ArticleID != "" {
			m.Citations[i].URL = base + ArticlePath(c.Lang, c.ArticleID)
		}
	}
}

// streamSend answers a message as server-sent events: message (the
// visitor's, logged), typing, delta (repeated), message (the reply), and
// finally done, or error.
func (s *Server) streamSend(w http.ResponseWriter, r *http.Request, c *Conversation, req *sendRequest) error {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	started := false
	write := func(ev Event) {
		if !started {
			w.WriteHeader(http.StatusOK)
			started = true
		}
		data, err := json.Marshal(ev)
		if err != nil {
			return
		}
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.Type, data)
		_ = rc.Flush()
	}
	res, err := s.converse(r.Context(), c, req, s.publicBase(r), write)
	if err != nil {
		if !started {
			h.Set("Content-Type", "application/json; charset=utf-8")
			return err
		}
		write(Event{Type: "error", Error: toAPIError(err)})
		return nil
	}
	write(Event{Type: "done", ReplyTo: res.Message.Seq, Message: res.Reply})
	return nil
}

// feedbackRequest rates a reply.
type feedbackRequest struct {
	MessageID string `json:"message_id"`
	Helpful   *bool  `json:"helpful"`
	Comment   string `json:"comment"`
}

// handleFeedback passes a rating to the engine (which stores it with the
// answer, its citations and the question) and notes it in the log.
func (s *Server) handleFeedback(w http.ResponseWriter, r *http.Request) error {
	_, c, err := s.convFromRequest(r)
	if err != nil {
		return err
	}
	var req feedbackRequest
	if err := s.readJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.Helpful == nil {
		return supportbot.Errorf(supportbot.EINVALID, "helpful (true or false) is required.")
	}
	if len(req.Comment) > 2000 {
		return supportbot.Errorf(supportbot.ETOOLARGE, "The comment is over 2000 bytes.")
	}
	m, err := s.store.messageByID(r.Context(), c.ID, RoleBot, req.MessageID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		m, err = s.store.messageByID(r.Context(), c.ID, RoleAgent, req.MessageID)
	}
	if err != nil {
		return err
	}
	hb := s.handler.Load()
	if hb == nil {
		return supportbot.Errorf(supportbot.EUNAVAILABLE, "The chat is starting; try again in a moment.")
	}
	v, err := s.store.visitor(r.Context(), c.VisitorID)
	if err != nil {
		return err
	}
	comment := cleanText(req.Comment, -1)
	reply, err := hb.h.Feedback(r.Context(), supportbot.Feedback{ReplyID: m.ID, Channel: ChannelName, UserID: v.UserID,
		ConversationID: c.ID, Helpful: *req.Helpful, Comment: comment})
	if err != nil {
		return err
	}
	if err := s.store.setFeedback(r.Context(), m.Seq, *req.Helpful, comment); err != nil {
		return err
	}
	out := map[string]any{"ok": true, "reply": nil}
	if strings.TrimSpace(reply.Text) != "" {
		base := s.publicBase(r)
		bm := replyMessage(c.ID, RoleBot, reply)
		if _, err := s.store.addMessage(r.Context(), bm); err != nil {
			return err
		}
		s.decorate(bm, base)
		s.hub.publish(c.ID, Event{Type: "message", Message: bm})
		out["reply"] = bm
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type csatRequest struct {
	TicketID string `json:"ticket_id"`
	Score    int    `json:"score"`
}

// handleCSAT rates a ticket of this conversation (the "csat:N" buttons).
func (s *Server) handleCSAT(w http.ResponseWriter, r *http.Request) error {
	_, c, err := s.convFromRequest(r)
	if err != nil {
		return err
	}
	var req csatRequest
	if err := s.readJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.Score < 1 || req.Score > 5 {
		return supportbot.Errorf(supportbot.EINVALID, "score must be 1 to 5.")
	}
	id, ok := parseTicketID(req.TicketID)
	if !ok {
		return supportbot.Errorf(supportbot.EINVALID, "ticket_id must be a ticket number.")
	}
	// Only tickets this conversation was told about can be rated from it.
	if has, err := s.store.hasTicket(r.Context(), c.ID, req.TicketID); err != nil {
		return err
	} else if !has {
		return supportbot.Errorf(supportbot.ENOTFOUND, "Ticket not found in this conversation.")
	}
	if s.rater == nil {
		return supportbot.Errorf(supportbot.EUNAVAILABLE, "Ratings are not available.")
	}
	v, err := s.store.visitor(r.Context(), c.VisitorID)
	if err != nil {
		return err
	}
	if err := s.rater.RateTicket(r.Context(), id, ChannelName, v.UserID, req.Score); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	return nil
}

// handleUpload stores an attachment for a later message. The body is the
// file (name in ?name= or X-Attachment-Name) or a multipart form with a
// "file" part. The type is sniffed from the content; what the browser
// claims is ignored.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) error {
	_, c, err := s.convFromRequest(r)
	if err != nil {
		return err
	}
	limit := s.cfg.MaxAttachmentBytes
	body := http.MaxBytesReader(w, r.Body, limit+64<<10) // room for multipart headers
	name := r.URL.Query().Get("name")
	if name == "" {
		name = r.Header.Get("X-Attachment-Name")
	}
	var src io.Reader = body
	if mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				return tooLargeOr(err, limit, supportbot.Errorf(supportbot.EINVALID, `The form has no "file" part.`))
			}
			if p.FormName() == "file" {
				name, src = p.FileName(), p
				break
			}
		}
	}
	data, err := io.ReadAll(io.LimitReader(src, limit+1))
	if err != nil {
		return tooLargeOr(err, limit, supportbot.Errorf(supportbot.EINVALID, "The file could not be read."))
	}
	if int64(len(data)) > limit {
		return supportbot.Errorf(supportbot.ETOOLARGE, "The file is over the limit of %s.", formatSize(limit))
	}
	if len(data) == 0 {
		return supportbot.Errorf(supportbot.EINVALID, "The file is empty.")
	}
	ct, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	allowed := false
	for _, t := range s.cfg.AttachmentTypes {
		allowed = allowed || t == ct
	}
	if !allowed {
		return supportbot.Errorf(supportbot.EINVALID, "Files of type %s cannot be attached; send an image (PNG, JPEG, GIF, WebP) or a PDF.", ct)
	}
	info := &AttachmentInfo{Name: cleanFileName(name), ContentType: ct, Size: int64(len(data))}
	if err := s.store.addAttachment(r.Context(), c.ID, info, data); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, info)
	return nil
}

func tooLargeOr(err error, limit int64, other error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return supportbot.Errorf(supportbot.ETOOLARGE, "The file is over the limit of %s.", formatSize(limit))
	}
	return other
}

// handleDownload serves an attachment to the conversation's owner. It is
// sent with its sniffed type, nosniff and a sandbox CSP, so even a file
// crafted to look like HTML to a browser cannot run in our origin.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) error {
	_, c, err := s.convFromRequest(r)
	if err != nil {
		return err
	}
	info, data, _, err := s.store.attachment(r.Context(), c.ID, r.PathValue("aid"))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", info.ContentType)
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
	disp := "attachment"
	if strings.HasPrefix(info.ContentType, "image/") {
		disp = "inline"
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": info.Name}))
	h.Set("Cache-Control", "private, max-age=3600")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
	return nil
}

// optionalLang validates a language field: "" or a supported tag (in any
// common spelling, normalized).
func optionalLang(tag, field string) (string, error) {
	if tag == "" {
		return "", nil
	}
	l := supportbot.NormalizeLang(tag)
	if l == "" {
		return "", supportbot.Errorf(supportbot.EINVALID, "%s %q is not a supported language (%s).", field,
			truncateRunes(tag, 32), strings.Join(supportbot.Languages, ", "))
	}
	return l, nil
}

// cleanText drops control characters other than newlines and tabs, and
// trims; max > 0 also cuts it to max runes.
func cleanText(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r == '\r' || unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if max > 0 {
		if r := []rune(s); len(r) > max {
			s = string(r[:max])
		}
	}
	return s
}

func cleanFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = cleanText(strings.Map(func(r rune) rune {
		if r == '"' || r == '/' || r == '\n' || r == '\t' {
			return '_'
		}
		return r
	}, name), 128)
	if name == "" || name == "." || name == "/" {
		return "attachment"
	}
	return name
}

func formatSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// ArticlePath is the help-center path of an article: /{lang}/articles/{id}.
// The engine can use it to build citation URLs under the public URL.
func ArticlePath(lang, id string) string {
	return "/" + lang + "/articles/" + url.PathEscape(id)
}

// publicBase is the scheme and host links in replies are made absolute
// with: the configured public URL, or the request's own host.
func (s *Server) publicBase(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimRight(s.cfg.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || (s.cfg.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
