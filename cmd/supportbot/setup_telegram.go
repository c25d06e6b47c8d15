package main

import (
	"context"

	"github.com/supportbot/supportbot/connectors/telegram"
)

// setupTelegram wires the Telegram connector into the app: without a token
// it stays off and says so; with one, it is registered as the "telegram"
// channel (agent replies and ticket notices go through it), keeps its
// inbox of updates and its getUpdates offset in the shared database (so a
// restart loses and repeats nothing), takes CSAT ratings into escalation,
// answers on the public server's webhook path in webhook mode, and runs
// for the life of the server. Relative links in answers are made absolute
// with the help center's public URL, as Telegram requires. Owned by the
// telegram component's maintainer.
func setupTelegram(app *App) error {
	cfg := app.Config.Telegram
	log := app.Log.WithField("channel", telegram.Name)
	if cfg.Token == "" {
		log.Info("Telegram is off: set telegram.token (or SUPPORTBOT_TELEGRAM_TOKEN) to turn it on")
		return nil
	}
	if cfg.HelpCenterURL == "" {
		cfg.HelpCenterURL = app.Config.Bot.PublicURL
	}
	if cfg.HelpCenterURL == "" {
		cfg.HelpCenterURL = app.Config.HTTP.PublicURL
	}
	opts := []telegram.Option{telegram.WithLogger(app.Log)}
	if app.Escalator != nil {
		opts = append(opts, telegram.WithRater(app.Escalator))
	}
	conn, err := telegram.New(cfg, app.DB, opts...)
	if err != nil {
		return err
	}
	if err := conn.Open(context.Background()); err != nil {
		return err
	}
	if cfg.Mode == telegram.ModeWebhook {
		app.Mux.Handle(cfg.WebhookPath(), conn.WebhookHandler())
	}
	app.Channels[conn.Name()] = conn
	app.Runners = append(app.Runners, func(ctx context.Context) error { return conn.Run(ctx, app.Handler) })
	return nil
}
