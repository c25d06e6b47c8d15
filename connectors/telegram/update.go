package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot"
)

// handleUpdate processes one update. Errors are retried unless they are a
// *permanentError.
func (c *Connector) handleUpdate(ctx context.Context, p *pendingUpdate) error {
	var u models.Update
	if err := json.Unmarshal(p.Payload, &u); err != nil {
		return &permanentError{fmt.Errorf("decode update: %w", err)}
	}
	pr := &progress{c: c, p: p}
	switch {
	case u.Message != nil:
		return c.onMessage(ctx, pr, u.Message)
	case u.CallbackQuery != nil:
		return c.onCallback(ctx, pr, u.CallbackQuery)
	case u.MyChatMember != nil:
		if u.MyChatMember.NewChatMember.Type == models.ChatMemberTypeBanned {
			c.log.WithField("conversation_id", u.MyChatMember.Chat.ID).Info("telegram: the user blocked the bot")
		}
	}
	return nil // edits and other kinds are not answered
}

// Commands the engine knows; Telegram's are the same words.
var commands = map[string]string{
	"start":  supportbot.CmdStart,
	"help":   supportbot.CmdHelp,
	"lang":   supportbot.CmdLang,
	"human":  supportbot.CmdHuman,
	"ticket": supportbot.CmdTicket,
	"status": supportbot.CmdStatus,
}

// commandRE is a Telegram bot command at the start of a message:
// "/status", "/status@SupportBot 42".
var commandRE = regexp.MustCompile(`^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+|$)`)

// parseCommand splits a command message into the command, its target bot
// ("" when none is named) and its argument.
func parseCommand(text string) (cmd, target, arg string, ok bool) {
	m := commandRE.FindStringSubmatchIndex(text)
	if m == nil {
		return "", "", "", false
	}
	cmd = strings.ToLower(text[m[2]:m[3]])
	if m[4] >= 0 {
		target = text[m[4]:m[5]]
	}
	return cmd, target, strings.TrimSpace(text[m[1]:]), true
}

// onMessage answers a user's message.
func (c *Connector) onMessage(ctx context.Context, pr *progress, msg *models.Message) error {
	if msg.From == nil || msg.From.IsBot {
		return nil
	}
	chat := msg.Chat
	private := chat.Type == models.ChatTypePrivate
	if !private && chat.Type != models.ChatTypeGroup && chat.Type != models.ChatTypeSupergroup {
		return nil // channels
	}
	text, entities := msg.Text, msg.Entities
	if text == "" {
		text, entities = msg.Caption, msg.CaptionEntities
	}
	username := c.Username()
	cmd, target, arg, isCmd := parseCommand(text)
	if isCmd && target != "" && !strings.EqualFold(target, username) {
		return nil // a command for another bot in the group
	}
	if !private {
		// In groups the bot speaks when spoken to: a command of its own,
		// a mention, or a reply to one of its messages.
		known := isCmd && (commands[cmd] != "" || target != "")
		if !known && !c.mentioned(text, entities) && !c.repliesToBot(msg) {
			return nil
		}
		if !isCmd {
			text = stripMention(text, username)
		}
	}

	m := supportbot.Message{
		ID:             strconv.FormatInt(pr.p.ID, 10),
		Channel:        Name,
		UserID:         strconv.FormatInt(msg.From.ID, 10),
		ConversationID: conversationID(chat, msg.From.ID),
		Text:           text,
		HintLang:       supportbot.NormalizeLang(msg.From.LanguageCode),
		DisplayName:    displayName(msg.From),
		Time:           time.Unix(int64(msg.Date), 0),
	}
	if isCmd {
		m.Command, m.Text = cmd, arg
		if c, ok := commands[cmd]; ok {
			m.Command = c
		}
		if m.Command == supportbot.CmdStart && !private {
			m.Text = "" // an account-link token is never accepted where others can see it
		}
	}
	lang := langOf(msg.From.LanguageCode)

	atts, notice, err := c.attachments(ctx, msg, lang)
	if err != nil {
		return err
	}
	if notice != "" {
		if _, err := pr.send(ctx, plainMsg(chat.ID, notice, msg.ID)); err != nil {
			return err
		}
	}
	m.Attachments = atts
	if strings.TrimSpace(m.Text) == "" && m.Command == "" && len(atts) == 0 {
		if notice == "" && private {
			// A sticker, a voice message, a location: say what works.
			_, err := pr.send(ctx, plainMsg(chat.ID, T(lang, "unsupported"), msg.ID))
			return err
		}
		return nil
	}
	return c.answer(ctx, pr, m, chat, msg.From.ID, msg.ID)
}

// answer passes m to the engine, showing "typing…" meanwhile, and
// delivers the reply.
func (c *Connector) answer(ctx context.Context, pr *progress, m supportbot.Message, chat models.Chat, userID int64,
	replyTo int) error {
	stop := c.sender.typing(ctx, chat.ID)
	r, err := c.getHandler().Handle(ctx, m)
	stop()
	if err != nil {
		switch supportbot.ErrorCode(err) {
		case supportbot.EINVALID, supportbot.ETOOLARGE:
			// The engine's message says what is wrong, in the user's language.
			_, err := pr.send(ctx, plainMsg(chat.ID, supportbot.ErrorMessage(err), replyTo))
			return err
		}
		return err
	}
	return c.deliver(ctx, pr, r, chat, userID, replyTo)
}

func (c *Connector) getHandler() supportbot.Handler {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.handler
}

// deliver sends a reply to the chat it answers. In a group, a personal
// reply (a ticket, its status, anything about the account) goes to the
// user's private chat instead, and the group is told to look there.
func (c *Connector) deliver(ctx context.Context, pr *progress, r supportbot.Reply, chat models.Chat, userID int64,
	replyTo int) error {
	if r.Duplicate && pr.p.Attempts <= 1 {
		// The engine answered this message before, and not in an earlier
		// attempt of ours (that would count above 1): it was delivered
		// then. Sending it again would say everything twice.
		c.log.WithField("conversation_id", chat.ID).Debug("telegram: repeated message, reply already sent")
		return nil
	}
	personal := chat.Type != models.ChatTypePrivate && isPersonal(r)
	log := c.log.WithFields(logrus.Fields{"conversation_id": chat.ID, "lang": r.Lang, "ticket_id": r.TicketID})
	if !personal {
		for _, m := range c.compose(r, chat.ID, replyTo) {
			if _, err := pr.send(ctx, m); err != nil {
				return err
			}
		}
		return nil
	}
	blocked := false
	for _, m := range c.compose(r, userID, 0) {
		if blocked {
			pr.skip()
			continue
		}
		if _, err := pr.send(ctx, m); err != nil {
			if supportbot.ErrorCode(err) != supportbot.EFORBIDDEN {
				return err
			}
			// The user never opened a private chat with the bot: the
			// group message below has the link to do it.
			log.Info("telegram: cannot write to the user privately yet")
			blocked = true
		}
	}
	link := "https://t.me/" + c.Username()
	_, err := pr.send(ctx, plainMsg(chat.ID, T(r.Lang, "moved_to_dm", "link", link), replyTo))
	return err
}

// isPersonal reports whether a reply is about the user's own tickets or
// account, which must not be shown in a group.
func isPersonal(r supportbot.Reply) bool {
	if r.TicketID != "" || r.Decision == supportbot.DecisionEscalate || r.Decision == supportbot.DecisionStatus ||
		r.Decision == supportbot.DecisionAgent {
		return true
	}
	for _, w := range []string{"account", "link", "compromised", "undo", "ticket"} {
		if strings.Contains(r.Reason, w) {
			return true
		}
	}
	return false
}

// conversationID is the engine's conversation for a message: the chat in
// a private chat, and in a group the user's private chat with the bot, so
// that each member has their own conversation, their tickets are theirs
// alone and agents' replies reach them privately.
func conversationID(chat models.Chat, userID int64) string {
	if chat.Type == models.ChatTypePrivate {
		return strconv.FormatInt(chat.ID, 10)
	}
	return strconv.FormatInt(userID, 10)
}

func displayName(u *models.User) string {
	n := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if n == "" && u.Username != "" {
		n = "@" + u.Username
	}
	return n
}

// mentioned reports whether the message mentions the bot, as @username or
// as a text mention of its user.
func (c *Connector) mentioned(text string, entities []models.MessageEntity) bool {
	username := c.Username()
	if username == "" {
		return false
	}
	for _, e := range entities {
		switch e.Type {
		case models.MessageEntityTypeMention:
			if strings.EqualFold(entityText(text, e), "@"+username) {
				return true
			}
		case models.MessageEntityTypeTextMention:
			if e.User != nil && e.User.ID == c.botID {
				return true
			}
		}
	}
	// Without entities (some clients, forwarded text), look for the name.
	return len(entities) == 0 && strings.Contains(strings.ToLower(text), "@"+strings.ToLower(username))
}

func (c *Connector) repliesToBot(msg *models.Message) bool {
	r := msg.ReplyToMessage
	return r != nil && r.From != nil && r.From.ID == c.botID
}

// entityText returns the text an entity covers; Telegram counts offsets
// in UTF-16 code units.
func entityText(text string, e models.MessageEntity) string {
	u := utf16.Encode([]rune(text))
	if e.Offset < 0 || e.Length < 0 || e.Offset+e.Length > len(u) {
		return ""
	}
	return string(utf16.Decode(u[e.Offset : e.Offset+e.Length]))
}

// stripMention removes "@username" from a group message.
func stripMention(text, username string) string {
	if username == "" {
		return strings.TrimSpace(text)
	}
	re := regexp.MustCompile(`(?i)@` + regexp.QuoteMeta(username) + `\b`)
	return strings.TrimSpace(re.ReplaceAllString(text, ""))
}
