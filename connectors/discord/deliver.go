package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot"
)

// deliverOpts say how to send a reply's parts.
type deliverOpts struct {
	// ref makes the first part a reply to the user's message, which also
	// marks it answered (see Connector.answered).
	ref *discordgo.MessageReference
	// ping notifies the author of ref (in threads, which users may leave).
	ping bool
	// mention puts the user's mention in front of the first part: in a
	// new thread it adds the user to it and notifies them.
	mention string
	// nonce identifies the reply: each part is sent with nonce.<i> and
	// enforce_nonce, so Discord itself drops a part sent twice within a
	// few minutes (a retry after a timeout that had in fact succeeded).
	nonce string
	owner string
}

// messageCreate is the body of POST /channels/{id}/messages. discordgo's
// MessageSend has no nonce fields, hence this type.
type messageCreate struct {
	Content          string                            `json:"content,omitempty"`
	Embeds           []*discordgo.MessageEmbed         `json:"embeds,omitempty"`
	Components       []discordgo.MessageComponent      `json:"components,omitempty"`
	AllowedMentions  *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	MessageReference *discordgo.MessageReference       `json:"message_reference,omitempty"`
	Nonce            string                            `json:"nonce,omitempty"`
	EnforceNonce     bool                              `json:"enforce_nonce,omitempty"`
}

// nonceFor derives a message nonce (at most 25 characters) from an id.
func nonceFor(id string) string {
	h := fnv.New64a()
	h.Write([]byte(id))
	return "sb" + strconv.FormatUint(h.Sum64(), 36)
}

// deliver sends a reply's parts to a channel, retrying what fails for a
// reason that may pass (Discord down, a network error) until the parts
// are delivered or ctx ends. Rate limits are waited out by discordgo.
func (c *Connector) deliver(ctx context.Context, channelID string, parts []outMessage, o deliverOpts) error {
	wait := time.Second
	for {
		err := c.sendParts(ctx, channelID, parts, o)
		if err == nil || !transient(err) {
			return err
		}
		c.log.WithError(err).WithFields(logrus.Fields{"conversation_id": channelID, "retry_in": wait}).
			Warn("discord delivery failed; retrying")
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(wait*2, 30*time.Second)
	}
}

// sendParts sends the parts not yet delivered, in order, once each.
func (c *Connector) sendParts(ctx context.Context, channelID string, parts []outMessage, o deliverOpts) error {
	for i, p := range parts {
		nonce := o.nonce + "." + strconv.Itoa(i)
		key := channelID + "/" + nonce
		if c.sent.has(key) {
			continue
		}
		body := &messageCreate{
			Content: p.Content, Embeds: p.Embeds, Components: p.Components,
			// Nothing the bot says pings anyone but the user it addresses:
			// answers may quote users' words, "@everyone" included.
			AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}},
			Nonce:           nonce, EnforceNonce: true,
		}
		if i == 0 {
			if o.mention != "" {
				body.Content = "<@" + o.mention + "> " + body.Content
				body.AllowedMentions.Users = []string{o.mention}
			}
			if o.ref != nil {
				no := false
				ref := *o.ref
				ref.FailIfNotExists = &no
				body.MessageReference = &ref
				body.AllowedMentions.RepliedUser = o.ping
			}
		}
		if _, err := c.postMessage(ctx, channelID, body); err != nil {
			return err
		}
		c.sent.add(key)
	}
	return nil
}

func (c *Connector) postMessage(ctx context.Context, channelID string, body *messageCreate) (*discordgo.Message, error) {
	for _, e := range body.Embeds {
		e.Type = discordgo.EmbedTypeRich
	}
	ep := discordgo.EndpointChannelMessages(channelID)
	resp, err := c.sess.RequestWithBucketID(http.MethodPost, ep, body, ep, discordgo.WithContext(ctx))
	c.countSent(err)
	if err != nil {
		return nil, err
	}
	var m discordgo.Message
	if err := json.Unmarshal(resp, &m); err != nil {
		return nil, fmt.Errorf("decode message: %w", err)
	}
	return &m, nil
}

// countSent counts a message posted, or not.
func (c *Connector) countSent(err error) {
	if err != nil {
		c.m.deliveries.WithLabelValues("error").Inc()
		return
	}
	c.m.deliveries.WithLabelValues("ok").Inc()
}

// Send implements supportbot.Channel: it delivers an agent's reply or a
// ticket notice to the user's thread or DM. If the thread is gone or
// closed to the bot, it falls back to a direct message. It returns
// EUNAVAILABLE when Discord cannot be reached (the caller retries), and
// EFORBIDDEN or ENOTFOUND when it never will succeed (the user does not
// accept DMs from the bot). A reply with an id already delivered is not
// sent again.
func (c *Connector) Send(ctx context.Context, to supportbot.Address, r supportbot.Reply) error {
	if to.Channel != "" && to.Channel != ChannelName {
		return supportbot.Errorf(supportbot.EINVALID, "address is for channel %q, not discord", to.Channel)
	}
	if to.ConversationID == "" && to.UserID == "" {
		return supportbot.Errorf(supportbot.EINVALID, "no conversation or user to send to")
	}
	if r.Lang != "" && to.UserID != "" {
		c.langs.put(to.UserID, r.Lang)
	}
	parts := c.render(r, to.UserID)
	if len(parts) == 0 {
		return nil
	}
	id := r.ID
	if id == "" {
		id = newNonceSeed()
	}
	o := deliverOpts{nonce: nonceFor("send:" + id), owner: to.UserID}
	target := to.ConversationID
	if target == "" {
		dm, err := c.dmChannel(ctx, to.UserID)
		if err != nil {
			return classify(err)
		}
		target = dm
	} else if _, ok := c.thread(ctx, target); ok && to.UserID != "" {
		o.mention = to.UserID // users leave threads; the mention brings the news
	}
	err := c.sendParts(ctx, target, parts, o)
	if status, _ := restError(err); (status == http.StatusNotFound || status == http.StatusForbidden) && to.UserID != "" {
		// The thread was deleted, locked, or the bot lost access to it:
		// the user still has their DMs.
		if dm, derr := c.dmChannel(ctx, to.UserID); derr == nil && dm != target {
			c.log.WithError(err).WithField("conversation_id", target).Warn("discord thread unreachable; sending a DM")
			o.mention = ""
			err = c.sendParts(ctx, dm, parts, o)
		}
	}
	return classify(err)
}

// dmChannel opens (or finds) the DM channel with a user.
func (c *Connector) dmChannel(ctx context.Context, user string) (string, error) {
	if v, ok := c.dms.Load(user); ok {
		return v.(string), nil
	}
	ch, err := c.sess.UserChannelCreate(user, discordgo.WithContext(ctx))
	if err != nil {
		return "", err
	}
	c.dms.Store(user, ch.ID)
	return ch.ID, nil
}

// restError returns the HTTP status and Discord's error code of a REST
// failure, or zeros for any other error.
func restError(err error) (status, code int) {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		status = re.Response.StatusCode
		if re.Message != nil {
			code = re.Message.Code
		}
	}
	return status, code
}

// transient reports whether a failed REST call may succeed later.
func transient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	status, _ := restError(err)
	return status == 0 || status == http.StatusUnauthorized || status == http.StatusRequestTimeout ||
		status == http.StatusTooManyRequests || status >= 500
}

// classify maps a REST failure to the supportbot.Channel contract:
// EUNAVAILABLE to retry later, any other code for never.
func classify(err error) error {
	if err == nil {
		return nil
	}
	status, code := restError(err)
	var e *supportbot.Error
	switch {
	case transient(err) || errors.Is(err, context.Canceled):
		e = supportbot.Errorf(supportbot.EUNAVAILABLE, "Discord is unavailable.")
	case status == http.StatusForbidden:
		e = supportbot.Errorf(supportbot.EFORBIDDEN, "Discord refused the message (code %d): the user does not accept messages from the bot, or the bot lost access.", code)
	case status == http.StatusNotFound:
		e = supportbot.Errorf(supportbot.ENOTFOUND, "The Discord conversation no longer exists (code %d).", code)
	default:
		e = supportbot.Errorf(supportbot.EINVALID, "Discord rejected the message (HTTP %d, code %d).", status, code)
	}
	return fmt.Errorf("%w: %w", e, err)
}

// newNonceSeed makes a nonce seed for a reply without an id.
func newNonceSeed() string {
	return strconv.FormatInt(time.Now().UnixNano(), 36)
}

// noticeText joins the attachment notices into one message.
func noticeText(lang string, notices []notice) string {
	lines := make([]string, len(notices))
	for i, n := range notices {
		lines[i] = "⚠️ " + tr(lang, n.key, n.args...)
	}
	return strings.Join(lines, "\n")
}
