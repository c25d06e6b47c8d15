package discord

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/supportbot/supportbot"
)

// place says where a user's message was written, and so where the
// conversation lives.
type place int

const (
	placeNone    place = iota // not for the bot
	placeDM                   // a direct message: the DM channel is the conversation
	placeThread               // the user's thread: the thread is the conversation
	placeMention              // a mention in a support channel: a new thread will be
)

// onMessageCreate routes a message from the gateway. It runs in the
// gateway's reading goroutine, so it only decides and enqueues.
func (c *Connector) onMessageCreate(_ *discordgo.Session, e *discordgo.MessageCreate) {
	c.receive(e.Message, false)
}

// receive takes a message for handling, from the gateway or read back
// after a lost session. It returns whether the message was taken.
func (c *Connector) receive(m *discordgo.Message, backfill bool) bool {
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.System || m.WebhookID != "" {
		return false
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return false // joins, pins, thread-created notices...
	}
	where := c.locate(m)
	if where == placeNone {
		return false
	}
	// The same message can arrive twice: replayed by the gateway and read
	// back from history. The engine would answer it once anyway; this
	// spares it the second call.
	if !c.seen.add(m.ID) {
		return false
	}
	key := m.ChannelID
	if where == placeMention {
		key = "new:" + m.ID // a conversation of its own, from the start
	}
	c.track.begin(m.ChannelID, m.ID)
	ok := c.spawn(key, func(ctx context.Context) {
		if c.handleMessage(ctx, m, where, backfill) {
			c.saveCursor(ctx, m.ChannelID, m.ID)
			return
		}
		// Not delivered (Discord down until shutdown): the message stays
		// before the cursor, and the next session's read-back takes it
		// again; the engine then returns its answer as a duplicate, which
		// is sent since it is not in the conversation.
		c.seen.remove(m.ID)
	})
	if !ok {
		c.seen.remove(m.ID)
		return false
	}
	c.m.received.WithLabelValues("message").Inc()
	return true
}

// locate decides whether a message is for the bot, and where.
func (c *Connector) locate(m *discordgo.Message) place {
	if m.GuildID == "" {
		return placeDM
	}
	if c.support[m.ChannelID] {
		if c.mentionsBot(m) {
			return placeMention
		}
		return placeNone
	}
	// Most guild chatter is in channels the session's state knows, which
	// are not threads of a support channel: settled without the store.
	if ch, err := c.sess.State.Channel(m.ChannelID); err == nil && (!ch.IsThread() || !c.support[ch.ParentID]) {
		return placeNone
	}
	if t, ok := c.thread(context.Background(), m.ChannelID); ok {
		// Only the user whose conversation it is talks to the bot in it;
		// moderators and others may chat in the thread without the bot
		// answering them, or taking their words into the user's ticket.
		if t.UserID == m.Author.ID {
			return placeThread
		}
	}
	return placeNone
}

func (c *Connector) mentionsBot(m *discordgo.Message) bool {
	bot := c.botID()
	if bot == "" {
		return false
	}
	for _, u := range m.Mentions {
		if u != nil && u.ID == bot {
			return true
		}
	}
	return strings.Contains(m.Content, "<@"+bot+">") || strings.Contains(m.Content, "<@!"+bot+">")
}

// thread returns the bot's thread with id, from memory or the store.
func (c *Connector) thread(ctx context.Context, id string) (Thread, bool) {
	if v, ok := c.threads.Load(id); ok {
		t, ok := v.(Thread)
		return t, ok
	}
	t, ok, err := c.store.Thread(ctx, id)
	if err != nil {
		c.log.WithError(err).WithField("conversation_id", id).Error("read discord thread")
		return Thread{}, false
	}
	if ok {
		c.threads.Store(id, t)
	}
	return t, ok
}

// saveCursor records that the channel's messages up to id were handled.
func (c *Connector) saveCursor(ctx context.Context, channelID, id string) {
	cursor := c.track.end(channelID, id)
	if cursor == "" {
		return
	}
	if err := c.store.SaveCursor(context.WithoutCancel(ctx), channelID, cursor, c.now()); err != nil {
		c.log.WithError(err).WithField("conversation_id", channelID).Error("save discord cursor")
	}
}

// handleMessage answers one message. It returns false when the answer
// could not be delivered, so the message stays before the cursor.
func (c *Connector) handleMessage(ctx context.Context, m *discordgo.Message, where place, backfill bool) bool {
	user := m.Author.ID
	lang := c.userLang(user, m.GuildID)
	conv := m.ChannelID
	log := c.log.WithField("conversation_id", conv)
	firstInThread := false

	if where == placeMention {
		var t Thread
		err := c.retry(ctx, func() (err error) {
			t, err = c.openThread(ctx, m.ChannelID, m, user, threadName(c.stripMention(m.Content), displayName(m.Author, m.Member)))
			return err
		})
		if err != nil {
			log.WithError(err).Error("open discord thread")
			if status, _ := restError(err); status != http.StatusForbidden {
				return false
			}
			// No permission to open threads: say so where the user asked,
			// rather than answering in the public channel.
			ref := &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID}
			err := c.deliver(ctx, m.ChannelID, []outMessage{{Content: tr(lang, "no_thread")}}, deliverOpts{ref: ref, nonce: nonceFor("nt" + m.ID)})
			return err == nil
		}
		conv, firstInThread = t.ID, true
		log = c.log.WithField("conversation_id", conv)
	}

	opts := deliverOpts{nonce: nonceFor(m.ID), owner: user}
	if firstInThread {
		// The user is not in the new thread yet: mentioning them adds them
		// and notifies them.
		opts.mention = user
	} else {
		opts.ref = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID}
		opts.ping = where == placeThread // users leave threads; DMs notify anyway
	}

	stopTyping := c.typing(ctx, conv)
	atts, notices := c.attachments(ctx, m.Attachments)
	msg := supportbot.Message{
		ID: m.ID, Channel: ChannelName, UserID: user, ConversationID: conv,
		Text: c.stripMention(m.Content), HintLang: lang,
		DisplayName: displayName(m.Author, m.Member), Attachments: atts, Time: m.Timestamp,
	}
	if msg.Text == "" && len(atts) == 0 {
		// A sticker, an empty mention, or only files that were refused:
		// nothing for the engine; say why the files were not taken.
		stopTyping()
		if len(notices) == 0 {
			return true
		}
		return c.deliver(ctx, conv, []outMessage{{Content: noticeText(lang, notices)}}, opts) == nil
	}
	reply, err := c.handler().Handle(ctx, msg)
	stopTyping()
	if err != nil {
		reply = c.errorReply(err, lang)
		log.WithError(err).Warn("discord message not handled")
	}
	if reply.Lang != "" {
		c.langs.put(user, reply.Lang)
		lang = reply.Lang
	}
	if reply.Duplicate && (!backfill || c.answered(ctx, conv, m.ID, where)) {
		return true // answered before; do not say it twice
	}

	parts := c.render(reply, user)
	if len(notices) > 0 {
		parts = append([]outMessage{{Content: noticeText(lang, notices)}}, parts...)
	}
	if err := c.deliver(ctx, conv, parts, opts); err != nil {
		log.WithError(err).WithField("lang", reply.Lang).Error("discord answer not delivered")
		return false
	}
	return true
}

// errorReply turns a Handle error into what the user is told: the
// message of an application error (it is written for users), or a polite
// apology for anything else.
func (c *Connector) errorReply(err error, lang string) supportbot.Reply {
	var text string
	switch supportbot.ErrorCode(err) {
	case supportbot.EINVALID, supportbot.ETOOLARGE, supportbot.ERATELIMIT, supportbot.ENOTFOUND, supportbot.EFORBIDDEN:
		text = supportbot.ErrorMessage(err)
	default:
		text = tr(lang, "error")
	}
	return supportbot.Reply{Text: text, Lang: lang, Decision: supportbot.DecisionReject, Reason: "error"}
}

// answered reports whether the bot already replied to message id in the
// conversation: a reply that references it in a DM or thread, or any bot
// message in the thread opened from it. Read-back messages that the
// engine has seen are only answered again when no answer reached Discord
// (the process stopped between the two).
func (c *Connector) answered(ctx context.Context, conv, id string, where place) bool {
	msgs, err := c.sess.ChannelMessages(conv, 50, "", id, "", discordgo.WithContext(ctx))
	if err != nil {
		// Cannot tell: saying nothing is better than saying it twice.
		c.log.WithError(err).WithField("conversation_id", conv).Warn("cannot tell whether a read-back message was answered")
		return true
	}
	bot := c.botID()
	for _, m := range msgs {
		if m.Author == nil || m.Author.ID != bot {
			continue
		}
		if where == placeMention || (m.MessageReference != nil && m.MessageReference.MessageID == id) {
			return true
		}
	}
	return false
}

// openThread opens the conversation's thread in a support channel: from
// the user's message (public), or a private thread the user is added to.
func (c *Connector) openThread(ctx context.Context, parentID string, m *discordgo.Message, user, name string) (Thread, error) {
	var (
		ch  *discordgo.Channel
		err error
	)
	if c.cfg.PrivateThreads || m == nil {
		typ := discordgo.ChannelTypeGuildPublicThread
		if c.cfg.PrivateThreads {
			typ = discordgo.ChannelTypeGuildPrivateThread
		}
		// Type must be given: API v9 defaults to a private thread.
		ch, err = c.sess.ThreadStartComplex(parentID, &discordgo.ThreadStart{
			Name: name, AutoArchiveDuration: c.cfg.ThreadArchiveMinutes, Type: typ, Invitable: false,
		}, discordgo.WithContext(ctx))
		if err == nil {
			err = c.sess.ThreadMemberAdd(ch.ID, user, discordgo.WithContext(ctx))
		}
	} else {
		ch, err = c.sess.MessageThreadStartComplex(parentID, m.ID, &discordgo.ThreadStart{
			Name: name, AutoArchiveDuration: c.cfg.ThreadArchiveMinutes,
		}, discordgo.WithContext(ctx))
		if status, code := restError(err); status == http.StatusBadRequest && code == 160004 {
			// A thread was already started from this message (by us, before
			// a restart): it is the conversation.
			ch, err = c.sess.Channel(m.ID, discordgo.WithContext(ctx))
		}
	}
	if err != nil {
		return Thread{}, err
	}
	t := Thread{ID: ch.ID, ParentID: parentID, UserID: user, Created: c.now()}
	c.threads.Store(t.ID, t)
	if err := c.store.SaveThread(context.WithoutCancel(ctx), t); err != nil {
		c.log.WithError(err).WithField("conversation_id", t.ID).Error("save discord thread")
	}
	return t, nil
}

// typing shows "Bot is typing..." in channelID until the returned
// function is called. Discord shows it for 10 seconds per call.
func (c *Connector) typing(ctx context.Context, channelID string) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			_ = c.sess.ChannelTyping(channelID, discordgo.WithContext(ctx)) // cosmetic
			select {
			case <-ctx.Done():
				return
			case <-time.After(8 * time.Second):
			}
		}
	}()
	return func() { cancel(); <-done }
}

// stripMention removes the bot's mention from a message's text.
func (c *Connector) stripMention(s string) string {
	if bot := c.botID(); bot != "" {
		s = strings.ReplaceAll(s, "<@!"+bot+">", "")
		s = strings.ReplaceAll(s, "<@"+bot+">", "")
	}
	return strings.TrimSpace(s)
}

// userLang is the best guess of a user's language before the engine
// answers: their last answer's language, else their guild's.
func (c *Connector) userLang(user, guildID string) string {
	if l := c.langs.get(user); l != "" {
		return l
	}
	if guildID != "" {
		if g, err := c.sess.State.Guild(guildID); err == nil {
			return supportbot.NormalizeLang(g.PreferredLocale)
		}
	}
	return ""
}

func displayName(u *discordgo.User, m *discordgo.Member) string {
	if m != nil && m.Nick != "" {
		return m.Nick
	}
	if u == nil {
		return ""
	}
	if u.GlobalName != "" {
		return u.GlobalName
	}
	return u.Username
}

// threadName names a thread after the question's first line (Discord
// allows 100 characters), or after the user.
func threadName(text, user string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	line = strings.Join(strings.Fields(line), " ")
	if line == "" {
		line = user
	}
	if line == "" {
		line = "Support"
	}
	if utf8.RuneCountInString(line) > 90 {
		r := []rune(line)
		line = strings.TrimSpace(string(r[:89])) + "…"
	}
	return line
}
