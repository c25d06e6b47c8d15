package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// Long polling is hand-written rather than go-telegram's Start: the
// library moves its offset past an update as soon as the update is queued
// in memory, so the next getUpdates confirms it to Telegram before it is
// processed, and a crash in between loses it. Here the offset only moves
// after the updates are committed to the inbox table.

// offsetMaxAge is how old a stored offset may be and still be sent.
// Telegram keeps an update for at most 24 hours, so anything older was
// confirmed long ago; and after a week without updates Telegram numbers
// the next one at random, possibly below an old offset, which would
// confirm (drop) it unseen. Without an offset Telegram returns every
// unconfirmed update, and the inbox drops the repeats.
const offsetMaxAge = 24 * time.Hour

// poll runs getUpdates until ctx is done.
func (c *Connector) poll(ctx context.Context) {
	st := c.getStore()
	var next int64
	if last, at, err := st.offset(ctx); err != nil {
		c.log.WithError(err).Warn("telegram: cannot read the stored offset; starting without one")
	} else if last > 0 && c.now().Sub(at) < offsetMaxAge {
		next = last + 1
	}
	lastUpdate := c.now()

	// A webhook left from an earlier webhook-mode run makes getUpdates
	// fail with 409 Conflict; pending updates are kept.
	if err := retry(ctx, c.log, "deleteWebhook", func(ctx context.Context) error {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		_, err := c.api.DeleteWebhook(cctx, &tgbot.DeleteWebhookParams{})
		return err
	}); err != nil {
		return
	}

	delay := time.Duration(0)
	for ctx.Err() == nil {
		if delay > 0 && sleep(ctx, delay) != nil {
			return
		}
		if next > 0 && c.now().Sub(lastUpdate) > offsetMaxAge {
			next = 0
		}
		ups, err := c.getUpdates(ctx, next)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			var tooMany *tgbot.TooManyRequestsError
			if errors.As(err, &tooMany) {
				delay = time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
			} else {
				delay = min(max(delay*2, time.Second), 30*time.Second)
			}
			c.log.WithError(err).Warnf("telegram getUpdates failed; retrying in %s", delay)
			continue
		}
		delay = 0
		if len(ups) == 0 {
			continue
		}
		if _, err := st.addUpdates(ctx, ups, true); err != nil {
			// Not stored, so not confirmed: Telegram sends them again.
			delay = 5 * time.Second
			c.log.WithError(err).Error("telegram: cannot store updates; retrying")
			continue
		}
		for _, u := range ups {
			next = max(next, u.ID+1)
		}
		lastUpdate = c.now()
		c.poke()
	}
}

// apiResponse is the Bot API's answer envelope.
type apiResponse struct {
	OK          bool              `json:"ok"`
	Result      []json.RawMessage `json:"result"`
	ErrorCode   int               `json:"error_code"`
	Description string            `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// getUpdates makes one long-polling call. offset 0 is left out.
func (c *Connector) getUpdates(ctx context.Context, offset int64) ([]inUpdate, error) {
	body, _ := json.Marshal(struct {
		Offset         int64    `json:"offset,omitempty"`
		Timeout        int      `json:"timeout"`
		AllowedUpdates []string `json:"allowed_updates"`
	}{offset, int(c.cfg.PollTimeout / time.Second), allowedUpdates})
	ctx, cancel := context.WithTimeout(ctx, c.cfg.PollTimeout+15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.APIURL+"/bot"+c.cfg.Token+"/getUpdates",
		bytes.NewReader(body))
	if err != nil {
		return nil, errors.New(c.redact(err.Error()))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errors.New(c.redact(err.Error()))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("read getUpdates: %s", c.redact(err.Error()))
	}
	var r apiResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("getUpdates: HTTP %d, not a Bot API answer", resp.StatusCode)
	}
	if !r.OK {
		if r.ErrorCode == http.StatusTooManyRequests {
			return nil, &tgbot.TooManyRequestsError{Message: r.Description, RetryAfter: r.Parameters.RetryAfter}
		}
		return nil, fmt.Errorf("getUpdates: %d %s", r.ErrorCode, r.Description)
	}
	out := make([]inUpdate, 0, len(r.Result))
	for _, raw := range r.Result {
		u, err := parseEnvelope(raw)
		if err != nil {
			c.log.WithError(err).Warn("telegram: skipping an update that cannot be read")
			continue
		}
		out = append(out, u)
	}
	return out, nil
}

// envelope is the part of an update needed to store and order it.
type envelope struct {
	UpdateID int64        `json:"update_id"`
	Message  *envMessage  `json:"message"`
	Edited   *envMessage  `json:"edited_message"`
	Callback *envCallback `json:"callback_query"`
	Member   *envMessage  `json:"my_chat_member"`
}

type envMessage struct {
	Chat struct {
		ID   int64  `json:"id"`
		Type string `json:"type"`
	} `json:"chat"`
	From *struct {
		ID int64 `json:"id"`
	} `json:"from"`
}

type envCallback struct {
	From struct {
		ID int64 `json:"id"`
	} `json:"from"`
	Message *envMessage `json:"message"`
}

// parseEnvelope reads an update's id and the key that orders it: the chat
// for a private chat, the chat and the user in a group (each user has
// their own conversation there).
func parseEnvelope(raw []byte) (inUpdate, error) {
	var e envelope
	if err := json.Unmarshal(raw, &e); err != nil {
		return inUpdate{}, fmt.Errorf("decode update: %w", err)
	}
	if e.UpdateID <= 0 {
		return inUpdate{}, errors.New("update without an update_id")
	}
	key := "none"
	m := e.Message
	if m == nil {
		m = e.Edited
	}
	if m == nil {
		m = e.Member
	}
	switch {
	case m != nil:
		key = chatKey(m.Chat.ID, m.Chat.Type, m.From)
	case e.Callback != nil && e.Callback.Message != nil:
		from := &struct {
			ID int64 `json:"id"`
		}{e.Callback.From.ID}
		key = chatKey(e.Callback.Message.Chat.ID, e.Callback.Message.Chat.Type, from)
	case e.Callback != nil:
		key = "u" + strconv.FormatInt(e.Callback.From.ID, 10)
	}
	return inUpdate{ID: e.UpdateID, ChatKey: key, Payload: raw}, nil
}

func chatKey(chat int64, typ string, from *struct {
	ID int64 `json:"id"`
}) string {
	k := strconv.FormatInt(chat, 10)
	if typ != "private" && typ != "" && from != nil {
		k += ":" + strconv.FormatInt(from.ID, 10)
	}
	return k
}
