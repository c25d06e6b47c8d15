package telegram

import (
	"context"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/supportbot/supportbot"
)

// maxToast is the longest text answerCallbackQuery shows.
const maxToast = 200

// onCallback handles a button press. Every press is answered with
// answerCallbackQuery, whatever happens, so the client stops its spinner.
func (c *Connector) onCallback(ctx context.Context, pr *progress, q *models.CallbackQuery) error {
	var chat models.Chat
	var msg *models.Message
	switch {
	case q.Message.Message != nil:
		msg = q.Message.Message
		chat = msg.Chat
	case q.Message.InaccessibleMessage != nil:
		chat = q.Message.InaccessibleMessage.Chat
	default:
		chat = models.Chat{ID: q.From.ID, Type: models.ChatTypePrivate}
	}
	lang := langOf(q.From.LanguageCode)
	answered := false
	answer := func(text string) {
		if answered {
			return
		}
		answered = true
		if utf16Len(text) > maxToast {
			text = string([]rune(text)[:maxToast-1]) + "…"
		}
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		defer cancel()
		if _, err := c.api.AnswerCallbackQuery(cctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: q.ID,
			Text: text}); err != nil {
			// A query answered late ("query is too old") cannot be
			// answered again; nothing else to do.
			c.log.WithError(err).Debug("telegram: answerCallbackQuery failed")
		}
	}
	defer answer("")

	cb, ok := parseCallback(q.Data)
	if !ok {
		answer(T(lang, "button_expired"))
		return nil
	}
	userID := strconv.FormatInt(q.From.ID, 10)
	base := supportbot.Message{
		ID:             strconv.FormatInt(pr.p.ID, 10),
		Channel:        Name,
		UserID:         userID,
		ConversationID: conversationID(chat, q.From.ID),
		HintLang:       supportbot.NormalizeLang(q.From.LanguageCode),
		DisplayName:    displayName(&q.From),
	}
	switch cb.Kind {
	case "human", "lang":
		answer("") // the answer comes as a message
		base.Command = supportbot.CmdHuman
		if cb.Kind == "lang" {
			base.Command, base.Text = supportbot.CmdLang, cb.Lang
		}
		return c.answer(ctx, pr, base, chat, q.From.ID, 0)

	case "feedback":
		r, err := c.getHandler().Feedback(ctx, supportbot.Feedback{ReplyID: cb.ReplyID, Channel: Name, UserID: userID,
			ConversationID: base.ConversationID, Helpful: cb.Helpful})
		if err != nil {
			switch supportbot.ErrorCode(err) {
			case supportbot.ENOTFOUND, supportbot.EINVALID:
				answer(T(lang, "button_expired"))
				return nil
			}
			return err
		}
		c.removeButtons(ctx, msg, "fb:")
		if len(r.Actions) == 0 && r.TicketID == "" && utf16Len(r.Text) <= maxToast {
			answer(plainText(r.Text))
			return nil
		}
		answer("")
		return c.deliver(ctx, pr, r, chat, q.From.ID, 0)

	case "csat":
		if c.rater == nil {
			answer(T(lang, "button_expired"))
			return nil
		}
		if err := c.rater.RateTicket(ctx, cb.Ticket, Name, userID, cb.Score); err != nil {
			switch supportbot.ErrorCode(err) {
			case supportbot.ENOTFOUND, supportbot.ECONFLICT, supportbot.EINVALID:
				answer(supportbot.ErrorMessage(err))
				return nil
			}
			return err
		}
		c.removeButtons(ctx, msg, "csat:")
		answer(T(lang, "rated"))
	}
	return nil
}

// removeButtons takes the buttons with the given data prefix off a
// message once they have been used. It is cosmetic; errors are ignored.
func (c *Connector) removeButtons(ctx context.Context, msg *models.Message, prefix string) {
	if msg == nil || msg.ReplyMarkup == nil {
		return
	}
	var rows [][]inlineButton
	for _, row := range msg.ReplyMarkup.InlineKeyboard {
		var r []inlineButton
		for _, b := range row {
			r = append(r, inlineButton{Text: b.Text, CallbackData: b.CallbackData, URL: b.URL})
		}
		rows = append(rows, r)
	}
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := c.api.EditMessageReplyMarkup(cctx, &tgbot.EditMessageReplyMarkupParams{ChatID: msg.Chat.ID,
		MessageID: msg.ID, ReplyMarkup: withoutRows(rows, prefix)}); err != nil {
		c.log.WithError(err).Debug("telegram: editMessageReplyMarkup failed")
	}
}

// plainText is a short Markdown reply as plain text, for a toast.
func plainText(md string) string {
	var b strings.Builder
	for _, p := range split(render(md, nil), maxMessageLen) {
		b.WriteString(p.Plain)
	}
	return b.String()
}
