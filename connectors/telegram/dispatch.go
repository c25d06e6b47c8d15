package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot"
)

// The dispatcher reads pending updates from the inbox and hands them to at
// most Workers goroutines. A chat's updates go one at a time in update_id
// order: while one is in flight, leased or waiting to be retried, the
// chat's later updates wait, so a conversation never overtakes itself.
// Different chats run in parallel. go-telegram's WithWorkers would not do
// this: its workers take updates from one queue, in any order per chat.

const (
	// lease is how long a claimed update is reserved for its worker: more
	// than the engine's 60 s per message plus sending. After a crash the
	// update is claimed again once the lease ends.
	lease = 3 * time.Minute
	// processTimeout bounds the work on one update.
	processTimeout = 2*time.Minute + 30*time.Second
	// idleRecheck is how often the inbox is read without being woken, for
	// updates another replica stored (webhook mode).
	idleRecheck = 30 * time.Second
)

// dispatch runs until ctx is done, then waits for the workers.
func (c *Connector) dispatch(ctx context.Context) {
	st := c.getStore()
	sem := make(chan struct{}, c.cfg.Workers)
	var mu sync.Mutex
	busy := map[string]bool{}
	var wg sync.WaitGroup
	defer wg.Wait()
	var pruned time.Time

	for {
		wait := idleRecheck
		rows, err := st.pending(ctx, 500)
		if err != nil && ctx.Err() == nil {
			c.log.WithError(err).Error("telegram: cannot read the inbox")
			wait = 5 * time.Second
		}
		now := c.now()
		seen := map[string]bool{}
	scan:
		for i := range rows {
			p := rows[i]
			if seen[p.ChatKey] {
				continue // an earlier update of this chat goes first
			}
			seen[p.ChatKey] = true
			mu.Lock()
			b := busy[p.ChatKey]
			mu.Unlock()
			if b {
				continue
			}
			if d := p.NextAttempt.Sub(now); d > 0 {
				wait = min(wait, d)
				continue
			}
			select {
			case sem <- struct{}{}:
			default:
				break scan // all workers busy; a finishing one wakes us
			}
			ok, err := st.claim(ctx, &p, now.Add(lease))
			if err != nil || !ok {
				<-sem
				if err != nil && ctx.Err() == nil {
					c.log.WithError(err).Error("telegram: cannot claim an update")
				}
				continue
			}
			mu.Lock()
			busy[p.ChatKey] = true
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.process(ctx, &p)
				mu.Lock()
				delete(busy, p.ChatKey)
				mu.Unlock()
				<-sem
				c.poke()
			}()
		}
		if now.Sub(pruned) > time.Hour {
			if err := st.prune(ctx, now.Add(-c.cfg.Retention)); err != nil && ctx.Err() == nil {
				c.log.WithError(err).Warn("telegram: cannot prune old updates")
			}
			pruned = now
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-c.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// process handles one claimed update and records the outcome: done,
// retried later with a growing delay, or, after MaxAttempts, failed with
// an apology to the user. A shutdown leaves it pending for the next run.
func (c *Connector) process(ctx context.Context, p *pendingUpdate) {
	st := c.getStore()
	c.log.WithFields(logrus.Fields{"update_id": p.ID, "attempt": p.Attempts, "progress": p.Progress}).
		Debug("telegram: processing update")
	pctx, cancel := context.WithTimeout(ctx, processTimeout)
	err := c.handleUpdate(pctx, p)
	cancel()
	bg := context.WithoutCancel(ctx)
	log := c.log.WithFields(logrus.Fields{"update_id": p.ID, "attempt": p.Attempts})
	var perm *permanentError
	switch {
	case err == nil:
		err = st.finish(bg, p.ID, statusDone, "")
	case ctx.Err() != nil:
		// Shutting down: try again first thing next time.
		err = st.retryLater(bg, p.ID, c.now(), "interrupted by shutdown")
	case errors.As(err, &perm):
		log.WithError(err).Warn("telegram: update cannot be answered")
		err = st.finish(bg, p.ID, statusFailed, c.redact(err.Error()))
	case p.Attempts >= c.cfg.MaxAttempts:
		log.WithError(err).Error("telegram: giving up on an update")
		c.apologize(bg, p)
		err = st.finish(bg, p.ID, statusFailed, c.redact(err.Error()))
	default:
		delay := time.Duration(1<<min(p.Attempts-1, 8)) * 2 * time.Second
		log.WithError(err).Warnf("telegram: update failed; retrying in %s", delay)
		err = st.retryLater(bg, p.ID, c.now().Add(delay), c.redact(err.Error()))
	}
	if err != nil {
		log.WithError(err).Error("telegram: cannot record the outcome of an update")
	}
}

// apologize tells the user their message could not be handled, once it
// has failed for good, so that it is not silently ignored.
func (c *Connector) apologize(ctx context.Context, p *pendingUpdate) {
	var u models.Update
	if json.Unmarshal(p.Payload, &u) != nil {
		return
	}
	var chat int64
	var lang string
	switch {
	case u.Message != nil && u.Message.From != nil:
		chat, lang = u.Message.Chat.ID, u.Message.From.LanguageCode
	case u.CallbackQuery != nil:
		chat, lang = u.CallbackQuery.From.ID, u.CallbackQuery.From.LanguageCode
	default:
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := c.sender.send(ctx, plainMsg(chat, T(langOf(lang), "error"), 0)); err != nil {
		c.log.WithError(err).Warn("telegram: cannot send the apology")
	}
}

func langOf(telegramCode string) string {
	if l := supportbot.NormalizeLang(telegramCode); l != "" {
		return l
	}
	return supportbot.DefaultLang
}

// progress sends an update's outgoing messages, skipping those that an
// earlier attempt already sent. The messages of an update are the same on
// every attempt (the engine returns the same reply for the same message),
// so counting them is enough.
type progress struct {
	c *Connector
	p *pendingUpdate
	i int
}

// send sends m unless an earlier attempt did.
func (pr *progress) send(ctx context.Context, m outMsg) (*models.Message, error) {
	pr.i++
	if pr.i <= pr.p.Progress {
		return nil, nil
	}
	msg, err := pr.c.sender.send(ctx, m)
	if err != nil {
		pr.i--
		return nil, err
	}
	pr.p.Progress = pr.i
	if err := pr.c.getStore().setProgress(context.WithoutCancel(ctx), pr.p.ID, pr.i); err != nil {
		pr.c.log.WithError(err).Warn("telegram: cannot record progress")
	}
	return msg, nil
}

// skip counts a message that will not be sent, keeping the numbering of
// the following ones the same on every attempt.
func (pr *progress) skip() { pr.i++ }
