package main

import (
	"context"
	"fmt"

	"github.com/supportbot/supportbot/connectors/discord"
)

// setupDiscord wires the Discord connector into the app: without a token
// it stays off and says so; with one, it is registered as the "discord"
// channel (agent replies and ticket notices go through it), remembers its
// threads and how far it read each conversation in the shared database
// (so a restart loses no message), takes CSAT ratings into escalation,
// and runs for the life of the server. Owned by the discord component's
// maintainer.
func setupDiscord(app *App) error {
	cfg := app.Config.Discord
	if cfg.Token == "" {
		app.Log.WithField("channel", discord.ChannelName).
			Info("Discord is off: set discord.token (or SUPPORTBOT_DISCORD_TOKEN) to turn it on")
		return nil
	}
	if cfg.PublicURL == "" {
		cfg.PublicURL = app.Config.Bot.PublicURL
	}
	if cfg.PublicURL == "" {
		cfg.PublicURL = app.Config.HTTP.PublicURL
	}
	store, err := discord.OpenSQLStore(context.Background(), app.DB)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	opts := discord.Options{Store: store, Log: app.Log, Metrics: app.Metrics}
	if app.Escalator != nil {
		opts.Rater = app.Escalator
	}
	conn, err := discord.New(cfg, opts)
	if err != nil {
		return err
	}
	app.Channels[conn.Name()] = conn
	app.Runners = append(app.Runners, func(ctx context.Context) error { return conn.Run(ctx, app.Handler) })
	return nil
}
