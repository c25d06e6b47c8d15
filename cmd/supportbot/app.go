package main

import (
	"context"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/bot"
	"github.com/supportbot/supportbot/internal/sqldb"
	"github.com/supportbot/supportbot/retrieval"
)

// App is a running supportbot: what `serve` wires together. Each
// component's setup function (setup_*.go) reads what it needs from here and
// registers routes, channels and background runners.
type App struct {
	Config *Config
	Log    *logrus.Logger
	DB     *sqldb.DB
	// Index is the help center: its articles, retrieval and keyword
	// search over them.
	Index *retrieval.Index
	// Bot is the engine; Handler is the same value as the interface that
	// connectors see.
	Bot     *bot.Service
	Handler supportbot.Handler
	// Store is the bot's conversations, feedback and audit trail.
	Store *bot.Store
	// LLM is nil when no model is configured.
	LLM supportbot.LLM
	// Escalator is set by setupEscalation.
	Escalator supportbot.Escalator
	// Mux is the public HTTP server's router.
	Mux *http.ServeMux
	// Metrics is where components register Prometheus metrics; Gatherer
	// serves them at /metrics.
	Metrics  prometheus.Registerer
	Gatherer prometheus.Gatherer
	// Channels maps a channel name to its connector, for deliveries that
	// do not answer a message (agent replies, ticket notices).
	Channels map[string]supportbot.Channel
	// Runners run for the life of the server, under one errgroup; each
	// returns nil when ctx is done.
	Runners []func(ctx context.Context) error
	// Shutdowns run on shutdown, before the stores close, with a deadline.
	Shutdowns []func(ctx context.Context) error
}
