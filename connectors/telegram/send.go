package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/sirupsen/logrus"
	"golang.org/x/time/rate"

	"github.com/supportbot/supportbot"
)

// outMsg is one message to send.
type outMsg struct {
	ChatID  int64
	Part    part
	Markup  *inlineKeyboard // nil: no buttons
	ReplyTo int             // message to reply to, 0 for none
}

// sender sends messages within Telegram's limits: about one message a
// second to a private chat, twenty a minute to a group and thirty a second
// in all. It waits for its turn rather than failing, honours 429
// retry_after, and retries network failures until its context ends.
type sender struct {
	api        *tgbot.Bot
	log        logrus.FieldLogger
	global     *rate.Limiter
	chatRate   rate.Limit
	groupRate  rate.Limit
	maxBackoff time.Duration

	mu    sync.Mutex
	chats map[int64]*chatLimiter
	swept time.Time
}

type chatLimiter struct {
	l     *rate.Limiter
	until time.Time // a 429 asked to wait until then
	used  time.Time
}

func newSender(api *tgbot.Bot, cfg Config, log logrus.FieldLogger) *sender {
	return &sender{api: api, log: log,
		global:     rate.NewLimiter(rate.Limit(cfg.GlobalRate), max(1, int(cfg.GlobalRate))),
		chatRate:   rate.Limit(cfg.ChatRate),
		groupRate:  rate.Limit(cfg.GroupRate / 60),
		maxBackoff: 30 * time.Second,
		chats:      map[int64]*chatLimiter{}}
}

// chat returns the limiter of a chat. Group chats have negative ids.
func (s *sender) chat(id int64) *chatLimiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if now.Sub(s.swept) > 10*time.Minute {
		for k, c := range s.chats {
			if now.Sub(c.used) > 10*time.Minute && now.After(c.until) {
				delete(s.chats, k)
			}
		}
		s.swept = now
	}
	c := s.chats[id]
	if c == nil {
		r, burst := s.chatRate, 2
		if id < 0 {
			r, burst = s.groupRate, 3
		}
		c = &chatLimiter{l: rate.NewLimiter(r, burst)}
		s.chats[id] = c
	}
	c.used = now
	return c
}

// wait blocks until a message may go to chat id.
func (s *sender) wait(ctx context.Context, id int64) error {
	c := s.chat(id)
	s.mu.Lock()
	until := c.until
	s.mu.Unlock()
	if d := time.Until(until); d > 0 {
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
	if err := c.l.Wait(ctx); err != nil {
		return err
	}
	return s.global.Wait(ctx)
}

// hold makes every sender to chat id wait d, after a 429.
func (s *sender) hold(id int64, d time.Duration) {
	c := s.chat(id)
	s.mu.Lock()
	if t := time.Now().Add(d); t.After(c.until) {
		c.until = t
	}
	s.mu.Unlock()
}

// permanentError marks a send that can never succeed: the user blocked the
// bot, the chat is gone, Telegram refuses the message. Retrying it later
// is pointless; Code says which.
type permanentError struct {
	err error
}

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

func permanent(code, msg string, cause error) error {
	return &permanentError{fmt.Errorf("%v: %w", cause, supportbot.Errorf(code, "%s", msg))}
}

func unavailable(cause error) error {
	return fmt.Errorf("%v: %w", cause, supportbot.Errorf(supportbot.EUNAVAILABLE, "Telegram cannot be reached now."))
}

// send delivers one message and returns it as Telegram stored it. Errors
// are a *permanentError (with code EFORBIDDEN, ENOTFOUND or EINVALID) or
// carry EUNAVAILABLE when ctx ended first.
func (s *sender) send(ctx context.Context, m outMsg) (*models.Message, error) {
	plain := false
	backoff := 500 * time.Millisecond
	migrated := false
	for {
		if err := s.wait(ctx, m.ChatID); err != nil {
			return nil, unavailable(err)
		}
		p := &tgbot.SendMessageParams{ChatID: m.ChatID, Text: m.Part.HTML, ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()}}
		if plain {
			p.Text, p.ParseMode = m.Part.Plain, ""
		}
		if m.Markup != nil {
			p.ReplyMarkup = m.Markup
		}
		if m.ReplyTo > 0 {
			p.ReplyParameters = &models.ReplyParameters{MessageID: m.ReplyTo, AllowSendingWithoutReply: true}
		}
		msg, err := s.api.SendMessage(ctx, p)
		if err == nil {
			return msg, nil
		}
		if strings.Contains(err.Error(), "error decode response result") {
			// Telegram answered ok: the message is sent; only its echo
			// could not be read. Sending again would repeat it.
			s.log.WithError(err).Warn("telegram: sent, but the answer could not be read")
			return nil, nil
		}
		var tooMany *tgbot.TooManyRequestsError
		var migrate *tgbot.MigrateError
		switch {
		case ctx.Err() != nil:
			return nil, unavailable(err)
		case errors.As(err, &tooMany):
			d := time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
			s.hold(m.ChatID, d)
			if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
				return nil, unavailable(err) // the caller retries later
			}
			s.log.WithField("conversation_id", m.ChatID).Warnf("telegram: rate limited, waiting %s", d)
		case errors.As(err, &migrate) && !migrated:
			// The group became a supergroup with a new id.
			m.ChatID, migrated = int64(migrate.MigrateToChatID), true
			continue
		case errors.Is(err, tgbot.ErrorForbidden):
			return nil, permanent(supportbot.EFORBIDDEN, "The user blocked the bot or left the chat.", err)
		case errors.Is(err, tgbot.ErrorBadRequest):
			desc := err.Error()
			if !plain && strings.Contains(desc, "parse entities") {
				// Should not happen; if our HTML is refused, the text
				// still goes out, without formatting.
				s.log.WithError(err).Error("telegram: HTML refused; sending as plain text")
				plain = true
				continue
			}
			if strings.Contains(desc, "chat not found") || strings.Contains(desc, "user not found") {
				return nil, permanent(supportbot.ENOTFOUND, "The chat no longer exists.", err)
			}
			return nil, permanent(supportbot.EINVALID, "Telegram refused the message.", err)
		case errors.Is(err, tgbot.ErrorUnauthorized), errors.Is(err, tgbot.ErrorNotFound):
			// A wrong or revoked token: retrying now cannot help, later may.
			return nil, unavailable(err)
		default:
			if err := sleep(ctx, backoff); err != nil {
				return nil, unavailable(err)
			}
			backoff = min(backoff*2, s.maxBackoff)
		}
		// Loop: wait honours the hold set by a 429.
	}
}

// typing shows "typing…" in a chat until the returned func is called.
// Telegram shows it for 5 seconds, so it is repeated every 4. It is
// cosmetic: it never waits for a rate limit and ignores errors.
func (s *sender) typing(ctx context.Context, chatID int64) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			if s.global.Allow() {
				cctx, c := context.WithTimeout(ctx, 10*time.Second)
				if _, err := s.api.SendChatAction(cctx, &tgbot.SendChatActionParams{ChatID: chatID,
					Action: models.ChatActionTyping}); err != nil && ctx.Err() == nil {
					s.log.WithError(err).Debug("telegram: sendChatAction failed")
				}
				c()
			}
			if sleep(ctx, 4*time.Second) != nil {
				return
			}
		}
	}()
	return func() { cancel(); <-done }
}

// Send implements supportbot.Channel: it delivers an agent's reply or a
// ticket notice to the chat in to.ConversationID. A reply with an ID is
// delivered once: a repeated Send of the same reply (the outbox retrying
// after a timeout) sends only the parts not yet delivered. It returns an
// EUNAVAILABLE error when Telegram cannot be reached before ctx ends, and
// a permanent error (EFORBIDDEN when the user blocked the bot, ENOTFOUND,
// EINVALID) when it never will succeed.
func (c *Connector) Send(ctx context.Context, to supportbot.Address, r supportbot.Reply) error {
	if to.Channel != "" && to.Channel != Name {
		return supportbot.Errorf(supportbot.EINVALID, "address of channel %q given to telegram", to.Channel)
	}
	chatID, err := strconv.ParseInt(to.ConversationID, 10, 64)
	if err != nil || chatID == 0 {
		return supportbot.Errorf(supportbot.EINVALID, "telegram conversation id %q is not a chat id", to.ConversationID)
	}
	if err := c.Open(ctx); err != nil {
		return unavailable(err)
	}
	st := c.getStore()
	msgs := c.compose(r, chatID, 0)
	if len(msgs) == 0 {
		return nil
	}
	done := 0
	if r.ID != "" {
		n, all, err := st.sentParts(ctx, to.ConversationID, r.ID)
		if err != nil {
			return unavailable(err)
		}
		if all {
			return nil
		}
		done = n
	}
	log := c.log.WithFields(logrus.Fields{"conversation_id": to.ConversationID, "ticket_id": r.TicketID})
	for i := done; i < len(msgs); i++ {
		if _, err := c.sender.send(ctx, msgs[i]); err != nil {
			log.WithError(err).Warn("telegram: delivery failed")
			return err
		}
		if r.ID != "" {
			if err := st.setSentParts(context.WithoutCancel(ctx), to.ConversationID, r.ID, i+1, i+1 == len(msgs)); err != nil {
				// Sent but not recorded: a retry may repeat this part,
				// which is better than losing the rest.
				log.WithError(err).Warn("telegram: cannot record delivery")
			}
		}
	}
	log.Info("telegram: delivered")
	return nil
}

// compose renders a reply into messages: the text in parts, the buttons
// under the last one, the first one replying to replyTo.
func (c *Connector) compose(r supportbot.Reply, chatID int64, replyTo int) []outMsg {
	if strings.TrimSpace(r.Text) == "" {
		return nil
	}
	parts := split(render(r.Text, c.base), maxMessageLen)
	out := make([]outMsg, len(parts))
	for i, p := range parts {
		out[i] = outMsg{ChatID: chatID, Part: p}
	}
	if len(out) > 0 {
		out[0].ReplyTo = replyTo
		out[len(out)-1].Markup = keyboard(r)
	}
	return out
}

// plainMsg is a message of the connector's own, as plain text.
func plainMsg(chatID int64, text string, replyTo int) outMsg {
	return outMsg{ChatID: chatID, Part: part{HTML: escapeHTML(text), Plain: text}, ReplyTo: replyTo}
}
