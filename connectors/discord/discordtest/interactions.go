package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"
)

// Option types of slash-command options.
const (
	OptionString     = 3
	OptionAttachment = 11
)

// CommandOpt sets an option of a slash command.
type CommandOpt func(s *Server, data map[string]any)

// Opt gives a string option.
func Opt(name, value string) CommandOpt {
	return func(_ *Server, data map[string]any) {
		data["options"] = append(data["options"].([]any), map[string]any{"name": name, "type": OptionString, "value": value})
	}
}

// FileOpt gives an attachment option, with the file served by the CDN.
func FileOpt(name, filename string, content []byte) CommandOpt {
	return func(s *Server, data map[string]any) {
		id := s.newID()
		path := "/attachments/" + id + "/" + filename
		s.files[path] = content
		data["options"] = append(data["options"].([]any), map[string]any{"name": name, "type": OptionAttachment, "value": id})
		res := data["resolved"].(map[string]any)
		atts, _ := res["attachments"].(map[string]any)
		if atts == nil {
			atts = map[string]any{}
			res["attachments"] = atts
		}
		atts[id] = Attachment{ID: id, Filename: filename, Size: len(content), ContentType: http.DetectContentType(content),
			URL: s.URL + path, ProxyURL: s.URL + path}
	}
}

// Command has user run a registered slash command in a channel, with the
// client language locale (e.g. "ja", "pt-BR"), and dispatches
// INTERACTION_CREATE. It fails if no such command is registered where the
// channel is (Discord would not show it).
func (s *Server) Command(channelID string, user User, locale, name string, opts ...CommandOpt) (Interaction, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channels[channelID]
	if ch == nil {
		return Interaction{}, fmt.Errorf("unknown channel %s", channelID)
	}
	cmd, ok := s.findCommandLocked(ch.GuildID, name)
	if !ok {
		return Interaction{}, fmt.Errorf("command /%s is not registered", name)
	}
	data := map[string]any{"id": cmd.ID, "name": name, "type": 1, "options": []any{}, "resolved": map[string]any{}}
	for _, o := range opts {
		o(s, data)
	}
	in := &Interaction{ID: s.newID(), Token: "tok" + s.newID(), Type: InteractionCommand, ChannelID: channelID,
		GuildID: ch.GuildID, User: user, Locale: locale, Created: time.Now(), Name: name, Options: map[string]any{}}
	for _, o := range data["options"].([]any) {
		m := o.(map[string]any)
		in.Options[m["name"].(string)] = m["value"]
	}
	s.startInteractionLocked(in, data, nil)
	return *in, nil
}

// Click has user press a button of a message. It fails if the message has
// no enabled button with that custom id.
func (s *Server) Click(user User, m Message, customID string) (Interaction, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.findLocked(m.ChannelID, m.ID)
	if cur == nil {
		// Ephemeral messages are only in the interaction's record.
		for _, in := range s.inters {
			if in.Original != nil && in.Original.ID == m.ID {
				cur = in.Original
			}
			for i := range in.Followups {
				if in.Followups[i].ID == m.ID {
					cur = &in.Followups[i]
				}
			}
		}
	}
	if cur == nil {
		return Interaction{}, fmt.Errorf("unknown message %s", m.ID)
	}
	found := false
	for _, b := range cur.Buttons() {
		if b.CustomID == customID && !b.Disabled {
			found = true
		}
	}
	if !found {
		return Interaction{}, fmt.Errorf("message %s has no enabled button %q", m.ID, customID)
	}
	ch := s.channels[cur.ChannelID]
	guildID := ""
	if ch != nil {
		guildID = ch.GuildID
	}
	in := &Interaction{ID: s.newID(), Token: "tok" + s.newID(), Type: InteractionComponent, ChannelID: cur.ChannelID,
		GuildID: guildID, User: user, Locale: "en-US", Created: time.Now(), CustomID: customID}
	data := map[string]any{"custom_id": customID, "component_type": ComponentButton}
	s.startInteractionLocked(in, data, cur)
	return *in, nil
}

// startInteractionLocked records an interaction and dispatches it.
func (s *Server) startInteractionLocked(in *Interaction, data map[string]any, msg *Message) {
	s.inters[in.ID] = in
	s.byToken[in.Token] = in
	v := map[string]any{"id": in.ID, "application_id": s.AppID, "type": in.Type, "data": data, "token": in.Token,
		"version": 1, "channel_id": in.ChannelID, "locale": in.Locale, "app_permissions": "0"}
	if in.GuildID != "" {
		v["guild_id"] = in.GuildID
		v["guild_locale"] = "en-US"
		v["member"] = Member{User: &in.User, Roles: []string{}, JoinedAt: time.Now().UTC()}
		v["context"] = 0
	} else {
		v["user"] = in.User
		v["context"] = 1
	}
	if msg != nil {
		v["message"] = *msg
	}
	s.dispatchLocked("INTERACTION_CREATE", v, in.GuildID, 0, nil)
	s.notify()
}

// Interaction returns an interaction and what the bot answered to it.
func (s *Server) Interaction(id string) (Interaction, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.inters[id]
	if !ok {
		return Interaction{}, false
	}
	v := *in
	v.Followups = append([]Message(nil), in.Followups...)
	if in.Original != nil {
		o := *in.Original
		v.Original = &o
	}
	return v, true
}

// callbackBody is an interaction response.
type callbackBody struct {
	Type int          `json:"type"`
	Data *messageBody `json:"data"`
}

// postCallback takes an interaction's first response: once, within 3
// seconds.
func (s *Server) postCallback(w http.ResponseWriter, r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.inters[r.PathValue("id")]
	if in == nil || in.Token != r.PathValue("token") {
		writeError(w, http.StatusNotFound, 10062, "Unknown interaction")
		return
	}
	if time.Since(in.Created) > AckDeadline {
		s.late++
		writeError(w, http.StatusNotFound, 10062, "Unknown interaction")
		return
	}
	if in.AckType != 0 {
		writeError(w, http.StatusBadRequest, 40060, "Interaction has already been acknowledged.")
		return
	}
	var b callbackBody
	if err := json.Unmarshal(body, &b); err != nil {
		writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	if b.Data == nil {
		b.Data = &messageBody{}
	}
	switch {
	case b.Type == 4 || b.Type == 5:
		m := &Message{ChannelID: in.ChannelID, GuildID: in.GuildID, Author: s.Bot, Timestamp: time.Now().UTC(),
			Type: 20, WebhookID: s.AppID, ApplicationID: s.AppID, InteractionID: in.ID, Flags: b.Data.Flags & FlagEphemeral,
			Mentions: []User{}, Attachments: []Attachment{}, Embeds: []Embed{}, Components: []Component{}}
		if b.Type == 5 {
			m.Flags |= FlagLoading
		} else {
			b.Data.apply(m)
			if msg := validateMessage(m, b.Data.AllowedMentions); msg != "" {
				writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: "+msg)
				return
			}
		}
		m.ID = s.newID()
		in.Original = m
		if m.Flags&FlagEphemeral == 0 {
			s.messages[m.ChannelID] = append(s.messages[m.ChannelID], m)
			if b.Type == 4 {
				s.dispatchMessageLocked(m)
			}
		}
	case (b.Type == 6 || b.Type == 7) && in.Type == InteractionComponent:
		in.Original = s.componentMessageLocked(in)
		if b.Type == 7 && in.Original != nil {
			m := *in.Original
			b.Data.apply(&m)
			s.replaceLocked(&m)
			in.Original = &m
		}
	default:
		writeError(w, http.StatusBadRequest, 50035, fmt.Sprintf("Invalid Form Body: interaction response type %d", b.Type))
		return
	}
	in.AckType, in.AckedAt = b.Type, time.Now()
	s.notify()
	w.WriteHeader(http.StatusNoContent)
}

// componentMessageLocked finds the message whose button was pressed.
func (s *Server) componentMessageLocked(in *Interaction) *Message {
	for _, m := range s.messages[in.ChannelID] {
		for _, b := range m.Buttons() {
			if b.CustomID == in.CustomID {
				return m
			}
		}
	}
	// An ephemeral message lives only in its interaction's record.
	for _, other := range s.inters {
		if other.Original != nil {
			for _, b := range other.Original.Buttons() {
				if b.CustomID == in.CustomID {
					return other.Original
				}
			}
		}
		for i := range other.Followups {
			for _, b := range other.Followups[i].Buttons() {
				if b.CustomID == in.CustomID {
					return &other.Followups[i]
				}
			}
		}
	}
	return nil
}

// replaceLocked stores a new version of a message, wherever it lives.
func (s *Server) replaceLocked(m *Message) {
	for i, old := range s.messages[m.ChannelID] {
		if old.ID == m.ID {
			s.messages[m.ChannelID][i] = m
		}
	}
	for _, in := range s.inters {
		if in.Original != nil && in.Original.ID == m.ID {
			in.Original = m
		}
		for i := range in.Followups {
			if in.Followups[i].ID == m.ID {
				in.Followups[i] = *m
			}
		}
	}
}

// webhookInteraction finds the interaction of a webhook token, which
// must have been acknowledged.
func (s *Server) webhookInteractionLocked(w http.ResponseWriter, r *http.Request) *Interaction {
	in := s.byToken[r.PathValue("token")]
	if r.PathValue("app") != s.AppID || in == nil {
		writeError(w, http.StatusNotFound, 10015, "Unknown Webhook")
		return nil
	}
	if in.AckType == 0 {
		writeError(w, http.StatusNotFound, 10008, "Unknown Message")
		return nil
	}
	return in
}

func (s *Server) getWebhookMessage(w http.ResponseWriter, r *http.Request, _ []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.webhookInteractionLocked(w, r)
	if in == nil {
		return
	}
	if m := s.webhookMessageLocked(in, r.PathValue("mid")); m != nil {
		writeJSON(w, http.StatusOK, *m)
		return
	}
	writeError(w, http.StatusNotFound, 10008, "Unknown Message")
}

func (s *Server) webhookMessageLocked(in *Interaction, mid string) *Message {
	if mid == "@original" {
		return in.Original
	}
	for i := range in.Followups {
		if in.Followups[i].ID == mid {
			return &in.Followups[i]
		}
	}
	return nil
}

// patchWebhookMessage edits the response (@original) or a follow-up.
func (s *Server) patchWebhookMessage(w http.ResponseWriter, r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.webhookInteractionLocked(w, r)
	if in == nil {
		return
	}
	old := s.webhookMessageLocked(in, r.PathValue("mid"))
	if old == nil {
		writeError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	var b messageBody
	if err := json.Unmarshal(body, &b); err != nil {
		writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	m := *old
	b.apply(&m)
	m.Flags &^= FlagLoading
	if msg := validateMessage(&m, b.AllowedMentions); msg != "" {
		writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: "+msg)
		return
	}
	m.Mentions = s.allowedMentionsLocked(&m)
	s.replaceLocked(&m)
	if r.PathValue("mid") == "@original" {
		in.Original = &m
	}
	s.notify()
	writeJSON(w, http.StatusOK, m)
}

// postFollowup creates a follow-up message of an interaction.
func (s *Server) postFollowup(w http.ResponseWriter, r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.webhookInteractionLocked(w, r)
	if in == nil {
		return
	}
	var b messageBody
	if err := json.Unmarshal(body, &b); err != nil {
		writeError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	m := &Message{ID: s.newID(), ChannelID: in.ChannelID, GuildID: in.GuildID, Author: s.Bot,
		Timestamp: time.Now().UTC(), WebhookID: s.AppID, ApplicationID: s.AppID, InteractionID: in.ID,
		Flags: b.Flags & FlagEphemeral, Mentions: []User{}, Attachments: []Attachment{}, Embeds: []Embed{}, Components: []Component{}}
	b.apply(m)
	if msg := validateMessage(m, b.AllowedMentions); msg != "" {
		writeError(w, http.StatusBadRequest, 50035, "Invalid Form Body: "+msg)
		return
	}
	m.Mentions = s.allowedMentionsLocked(m)
	in.Followups = append(in.Followups, *m)
	if m.Flags&FlagEphemeral == 0 {
		s.messages[m.ChannelID] = append(s.messages[m.ChannelID], m)
		s.dispatchMessageLocked(m)
	}
	s.notify()
	if r.URL.Query().Get("wait") == "true" {
		writeJSON(w, http.StatusOK, *m)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Interactions returns the interactions, oldest first.
func (s *Server) Interactions() []Interaction {
	s.mu.Lock()
	ids := make([]string, 0, len(s.inters))
	for id := range s.inters {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	sort.Slice(ids, func(a, b int) bool { return lessID(ids[a], ids[b]) })
	out := make([]Interaction, 0, len(ids))
	for _, id := range ids {
		if in, ok := s.Interaction(id); ok {
			out = append(out, in)
		}
	}
	return out
}
