package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/supportbot/supportbot/escalation"
	"github.com/supportbot/supportbot/escalation/console"
)

// setupEscalation wires tickets and the agent console into the app: the
// escalation service becomes the engine's Escalator, its delivery worker
// (agent replies, notices, webhooks) runs for the life of the server and
// sends through app.Channels (filled by the connectors' setup, which runs
// later: the map is read at delivery time), and the console is served at
// /console/ on the public mux. Attachments live under
// <data_dir>/attachments. Create the first admin with `supportbot agent
// add`. Owned by the escalation component's maintainer.
func setupEscalation(app *App) error {
	cfg := app.Config.Escalation
	if cfg.AttachmentDir == "" {
		cfg.AttachmentDir = filepath.Join(app.Config.DataDir, "attachments")
	}
	if cfg.Console.URL == "" && app.Config.HTTP.PublicURL != "" {
		cfg.Console.URL = strings.TrimRight(app.Config.HTTP.PublicURL, "/") + console.Prefix
	}
	log := app.Log.WithField("component", "escalation")
	svc := escalation.New(cfg, app.DB, app.Channels, log)
	if err := svc.Open(context.Background()); err != nil {
		return err
	}
	if app.Metrics != nil {
		if err := svc.RegisterMetrics(app.Metrics); err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
	}
	opts := console.Options{LLM: app.LLM, Log: log}
	if app.Index != nil {
		opts.Retriever = app.Index
	}
	if app.Store != nil {
		opts.Insights = app.Store
	}
	con, err := console.New(svc, opts)
	if err != nil {
		return fmt.Errorf("console: %w", err)
	}
	app.Mux.Handle(console.Prefix+"/", con)
	app.Escalator = svc
	app.Runners = append(app.Runners, svc.Run)
	return nil
}
