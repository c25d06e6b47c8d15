package discord

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot"
)

// onInteractionCreate takes slash commands and button presses. Discord
// drops an interaction that is not acknowledged within 3 seconds, so each
// one is acknowledged first, in its own goroutine (a REST call must not
// hold up the gateway), and answered later.
func (c *Connector) onInteractionCreate(_ *discordgo.Session, e *discordgo.InteractionCreate) {
	i := e.Interaction
	c.mu.Lock()
	ok := c.running && !c.closing
	if ok {
		c.wg.Add(1)
	}
	work := c.work
	c.mu.Unlock()
	if !ok || i == nil {
		return
	}
	go func() {
		defer c.wg.Done()
		switch i.Type {
		case discordgo.InteractionApplicationCommand:
			c.onCommand(work, i)
		case discordgo.InteractionMessageComponent:
			c.onComponent(work, i)
		}
	}()
}

func interactionUser(i *discordgo.Interaction) *discordgo.User {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User
	}
	return i.User
}

// interactionLang is the user's language as far as the connector knows:
// the language of their last answer, else their Discord client's.
func (c *Connector) interactionLang(i *discordgo.Interaction, user string) string {
	if l := c.langs.get(user); l != "" {
		return l
	}
	return supportbot.NormalizeLang(string(i.Locale))
}

// onCommand answers a slash command. In a DM or in the user's thread the
// answer replaces the deferred response; in a support channel, /ask,
// /human and /ticket open a thread for the conversation, and the other
// commands answer privately (ephemeral), their conversation being the
// user's DMs.
func (c *Connector) onCommand(ctx context.Context, i *discordgo.Interaction) {
	data := i.ApplicationCommandData()
	user := interactionUser(i)
	if user == nil {
		return
	}
	lang := c.interactionLang(i, user.ID)
	cmd, known := commands[data.Name]
	ephemeral := i.GuildID != "" && (cmd.private || !known)
	conv, newThread := "", false
	switch t, isThread := c.thread(ctx, i.ChannelID); {
	case i.GuildID == "":
		conv = i.ChannelID
	case isThread && t.UserID == user.ID:
		conv = t.ID
	case isThread:
		c.respondNow(ctx, i, tr(lang, "not_your_thread"))
		return
	case c.support[i.ChannelID] && !ephemeral:
		newThread = true
	case c.support[i.ChannelID]:
		// Private: answered to the user alone; the conversation is their DM.
	default:
		c.respondNow(ctx, i, c.useSupportText(lang))
		return
	}

	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{}}
	if ephemeral {
		resp.Data.Flags = discordgo.MessageFlagsEphemeral
	}
	ackErr := c.sess.InteractionRespond(i, resp, discordgo.WithContext(ctx))
	if ackErr != nil {
		c.log.WithError(ackErr).WithField("command", data.Name).Warn("acknowledge discord command")
	}

	c.m.received.WithLabelValues("command").Inc()
	text, fileIDs := commandArgs(data)
	key := conv
	switch {
	case newThread:
		key = "new:" + i.ID
	case conv == "":
		key = "dm:" + user.ID
	}
	c.spawn(key, func(ctx context.Context) {
		if newThread {
			t, err := c.openThread(ctx, i.ChannelID, nil, user.ID, threadName(text, displayName(user, i.Member)))
			if err != nil {
				c.log.WithError(err).Error("open discord thread")
				c.answerInteraction(ctx, i, ackErr, ephemeral, "", []outMessage{{Content: tr(lang, "no_thread")}})
				return
			}
			conv = t.ID
			if ackErr == nil {
				moved := tr(lang, "moved_to_thread", "<#"+t.ID+">")
				c.answerInteraction(ctx, i, nil, false, "", []outMessage{{Content: moved}})
			}
		}
		if conv == "" {
			dm, err := c.dmChannel(ctx, user.ID)
			if err != nil {
				c.log.WithError(err).Error("open discord DM")
				c.answerInteraction(ctx, i, ackErr, ephemeral, "", []outMessage{{Content: tr(lang, "error")}})
				return
			}
			conv = dm
		}
		var files []*discordgo.MessageAttachment
		if data.Resolved != nil {
			for _, id := range fileIDs {
				if a := data.Resolved.Attachments[id]; a != nil {
					files = append(files, a)
				}
			}
		}
		atts, notes := c.attachments(ctx, files)
		command := cmd.command
		if !known {
			command = data.Name // the engine tells the user it does not know it
		}
		m := supportbot.Message{ID: i.ID, Channel: ChannelName, UserID: user.ID, ConversationID: conv,
			Text: text, Command: command, HintLang: supportbot.NormalizeLang(string(i.Locale)),
			DisplayName: displayName(user, i.Member), Attachments: atts, Time: snowflakeTime(i.ID)}
		reply, dup := c.handle(ctx, m, lang)
		if dup {
			return
		}
		parts := c.render(reply, user.ID)
		if len(notes) > 0 {
			parts = append([]outMessage{{Content: noticeText(reply.Lang, notes)}}, parts...)
		}
		if newThread {
			if err := c.deliver(ctx, conv, parts, deliverOpts{mention: user.ID, nonce: nonceFor(i.ID), owner: user.ID}); err != nil {
				c.log.WithError(err).WithField("conversation_id", conv).Error("discord answer not delivered")
			}
			return
		}
		c.answerInteraction(ctx, i, ackErr, ephemeral, conv, parts)
	})
}

// commandArgs returns a command's text argument (its first string option)
// and the ids of its attachments.
func commandArgs(d discordgo.ApplicationCommandInteractionData) (text string, files []string) {
	for _, o := range d.Options {
		switch o.Type {
		case discordgo.ApplicationCommandOptionString:
			if s, ok := o.Value.(string); ok && text == "" {
				text = strings.TrimSpace(s)
			}
		case discordgo.ApplicationCommandOptionAttachment:
			if s, ok := o.Value.(string); ok {
				files = append(files, s)
			}
		}
	}
	return text, files
}

// handle passes a message to the engine. It reports dup when the engine
// had seen the message: an interaction is delivered once, so a repeat is
// a replay whose answer was already given.
func (c *Connector) handle(ctx context.Context, m supportbot.Message, lang string) (r supportbot.Reply, dup bool) {
	r, err := c.handler().Handle(ctx, m)
	if err != nil {
		c.log.WithError(err).WithField("conversation_id", m.ConversationID).Warn("discord interaction not handled")
		return c.errorReply(err, lang), false
	}
	if r.Lang != "" {
		c.langs.put(m.UserID, r.Lang)
	}
	return r, r.Duplicate
}

// answerInteraction puts the parts in the deferred response and its
// follow-ups. If the interaction could not be acknowledged (too late, or
// Discord was down), the answer goes to the conversation's channel
// instead: the user's DM when it was meant for them alone.
func (c *Connector) answerInteraction(ctx context.Context, i *discordgo.Interaction, ackErr error, ephemeral bool, conv string, parts []outMessage) {
	if len(parts) == 0 {
		return
	}
	user := interactionUser(i)
	if ackErr != nil {
		target := conv
		if ephemeral || target == "" {
			dm, err := c.dmChannel(ctx, user.ID)
			if err != nil {
				c.log.WithError(err).Error("open discord DM")
				return
			}
			target = dm
		}
		if err := c.deliver(ctx, target, parts, deliverOpts{nonce: nonceFor(i.ID), owner: user.ID}); err != nil {
			c.log.WithError(err).WithField("conversation_id", target).Error("discord answer not delivered")
		}
		return
	}
	none := &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
	for k, p := range parts {
		p := p
		err := c.retry(ctx, func() error {
			if k == 0 {
				_, err := c.sess.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &p.Content,
					Embeds: &p.Embeds, Components: &p.Components, AllowedMentions: none}, discordgo.WithContext(ctx))
				return err
			}
			params := &discordgo.WebhookParams{Content: p.Content, Embeds: p.Embeds, Components: p.Components,
				AllowedMentions: none}
			if ephemeral {
				params.Flags = discordgo.MessageFlagsEphemeral
			}
			_, err := c.sess.FollowupMessageCreate(i, true, params, discordgo.WithContext(ctx))
			return err
		})
		c.countSent(err)
		if err != nil {
			c.log.WithError(err).WithField("conversation_id", conv).Error("discord interaction answer not delivered")
			return
		}
	}
}

// followUp sends parts after a button press as follow-ups, or to the
// conversation's channel if the press could not be acknowledged.
func (c *Connector) followUp(ctx context.Context, i *discordgo.Interaction, ackErr error, ephemeral bool, conv string, parts []outMessage) {
	if len(parts) == 0 {
		return
	}
	if ackErr != nil {
		c.answerInteraction(ctx, i, ackErr, ephemeral, conv, parts)
		return
	}
	none := &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
	for _, p := range parts {
		params := &discordgo.WebhookParams{Content: p.Content, Embeds: p.Embeds, Components: p.Components, AllowedMentions: none}
		if ephemeral {
			params.Flags = discordgo.MessageFlagsEphemeral
		}
		err := c.retry(ctx, func() error {
			_, err := c.sess.FollowupMessageCreate(i, true, params, discordgo.WithContext(ctx))
			return err
		})
		c.countSent(err)
		if err != nil {
			c.log.WithError(err).WithField("conversation_id", conv).Error("discord follow-up not delivered")
			return
		}
	}
}

// retry runs fn until it succeeds, fails for good, or 2 minutes pass (an
// interaction token lasts 15).
func (c *Connector) retry(ctx context.Context, fn func() error) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	wait := 500 * time.Millisecond
	for {
		err := fn()
		if err == nil || !transient(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(wait*2, 15*time.Second)
	}
}

// respondNow answers an interaction at once, privately, with a short
// text; for the cases settled without the engine.
func (c *Connector) respondNow(ctx context.Context, i *discordgo.Interaction, text string) {
	err := c.sess.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: text, Flags: discordgo.MessageFlagsEphemeral,
			AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}},
	}, discordgo.WithContext(ctx))
	if err != nil {
		c.log.WithError(err).Warn("answer discord interaction")
	}
}

// useSupportText points the user to the support channels.
func (c *Connector) useSupportText(lang string) string {
	if len(c.cfg.SupportChannels) == 0 {
		return tr(lang, "dm_only")
	}
	links := make([]string, len(c.cfg.SupportChannels))
	for k, id := range c.cfg.SupportChannels {
		links[k] = "<#" + id + ">"
	}
	return tr(lang, "use_support_channel", strings.Join(links, ", "))
}

// onComponent handles a button under an answer: feedback, "talk to a
// human", a language, a CSAT rating. Only the user the conversation
// belongs to may press them.
func (c *Connector) onComponent(ctx context.Context, i *discordgo.Interaction) {
	data := i.MessageComponentData()
	user := interactionUser(i)
	if user == nil {
		return
	}
	lang := c.interactionLang(i, user.ID)
	kind, owner, args, ok := parseCustomID(data.CustomID)
	if !ok {
		c.respondNow(ctx, i, tr(lang, "error"))
		return
	}
	if owner != user.ID {
		c.respondNow(ctx, i, tr(lang, "not_your_buttons"))
		return
	}
	ackErr := c.sess.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredMessageUpdate}, discordgo.WithContext(ctx))
	if ackErr != nil {
		c.log.WithError(ackErr).Warn("acknowledge discord button")
	}
	c.m.received.WithLabelValues("button").Inc()
	ephemeral := i.Message != nil && i.Message.Flags&discordgo.MessageFlagsEphemeral != 0
	conv := ""
	if t, isThread := c.thread(ctx, i.ChannelID); i.GuildID == "" || (isThread && t.UserID == user.ID) {
		conv = i.ChannelID
	}
	key := conv
	if key == "" {
		key = "dm:" + user.ID
	}
	log := c.log.WithFields(logrus.Fields{"conversation_id": conv, "button": kind})
	c.spawn(key, func(ctx context.Context) {
		if conv == "" {
			dm, err := c.dmChannel(ctx, user.ID)
			if err != nil {
				log.WithError(err).Error("open discord DM")
				return
			}
			conv = dm
		}
		base := supportbot.Message{ID: i.ID, Channel: ChannelName, UserID: user.ID, ConversationID: conv,
			HintLang: supportbot.NormalizeLang(string(i.Locale)), DisplayName: displayName(user, i.Member),
			Time: snowflakeTime(i.ID)}
		var reply supportbot.Reply
		switch kind {
		case kindHelpful, kindNotHelpful:
			if len(args) != 1 {
				return
			}
			r, err := c.handler().Feedback(ctx, supportbot.Feedback{ReplyID: args[0], Channel: ChannelName,
				UserID: user.ID, ConversationID: conv, Helpful: kind == kindHelpful})
			if err != nil {
				log.WithError(err).Warn("discord feedback not recorded")
				reply = c.errorReply(err, lang)
				break
			}
			c.pressed(ctx, i, ackErr, data.CustomID, kindHelpful, kindNotHelpful)
			reply = r
		case kindHuman:
			base.Command = supportbot.CmdHuman
			r, dup := c.handle(ctx, base, lang)
			if dup {
				return
			}
			c.pressed(ctx, i, ackErr, data.CustomID, kindHuman)
			reply = r
		case kindLang:
			if len(args) != 1 {
				return
			}
			base.Command, base.Text = supportbot.CmdLang, args[0]
			r, dup := c.handle(ctx, base, lang)
			if dup {
				return
			}
			c.pressed(ctx, i, ackErr, data.CustomID, kindLang)
			reply = r
		case kindCSAT:
			reply = c.rate(ctx, args, user.ID, lang)
			if reply.Decision != supportbot.DecisionReject {
				c.pressed(ctx, i, ackErr, data.CustomID, kindCSAT)
			}
		default:
			return
		}
		c.followUp(ctx, i, ackErr, ephemeral, conv, c.render(reply, user.ID))
	})
}

// rate stores a CSAT rating from a "cs" button: args are the ticket id
// and the score.
func (c *Connector) rate(ctx context.Context, args []string, user, lang string) supportbot.Reply {
	if len(args) != 2 {
		return c.errorReply(supportbot.Errorf(supportbot.EINVALID, "%s", tr(lang, "error")), lang)
	}
	ticket, err1 := strconv.ParseInt(args[0], 10, 64)
	score, err2 := strconv.Atoi(args[1])
	if err1 != nil || err2 != nil || score < 1 || score > 5 {
		return c.errorReply(supportbot.Errorf(supportbot.EINVALID, "%s", tr(lang, "error")), lang)
	}
	if c.rater == nil {
		return c.errorReply(supportbot.Errorf(supportbot.EUNAVAILABLE, "ratings are not available"), lang)
	}
	if err := c.rater.RateTicket(ctx, ticket, ChannelName, user, score); err != nil {
		c.log.WithError(err).WithField("ticket_id", ticket).Warn("discord CSAT rating not stored")
		return c.errorReply(err, lang)
	}
	return supportbot.Reply{Text: tr(lang, "csat_thanks"), Lang: lang, Decision: supportbot.DecisionSmallTalk, Reason: "csat"}
}

// pressed updates the message whose button was pressed: the buttons of
// the same kinds are disabled, so a rating is given once, and the one
// pressed is highlighted.
func (c *Connector) pressed(ctx context.Context, i *discordgo.Interaction, ackErr error, id string, kinds ...string) {
	if ackErr != nil || i.Message == nil {
		return
	}
	rows := make([]discordgo.MessageComponent, 0, len(i.Message.Components))
	for _, comp := range i.Message.Components {
		var row discordgo.ActionsRow
		switch r := comp.(type) {
		case *discordgo.ActionsRow:
			row = *r
		case discordgo.ActionsRow:
			row = r
		default:
			rows = append(rows, comp)
			continue
		}
		buttons := make([]discordgo.MessageComponent, 0, len(row.Components))
		for _, bc := range row.Components {
			var b discordgo.Button
			switch v := bc.(type) {
			case *discordgo.Button:
				b = *v
			case discordgo.Button:
				b = v
			default:
				buttons = append(buttons, bc)
				continue
			}
			if k, _, _, ok := parseCustomID(b.CustomID); ok && contains(kinds, k) {
				b.Disabled = true
				if b.CustomID == id {
					b.Style = discordgo.PrimaryButton
				}
			}
			buttons = append(buttons, b)
		}
		rows = append(rows, discordgo.ActionsRow{Components: buttons})
	}
	if _, err := c.sess.InteractionResponseEdit(i, &discordgo.WebhookEdit{Components: &rows}, discordgo.WithContext(ctx)); err != nil {
		c.log.WithError(err).Warn("update discord buttons")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
