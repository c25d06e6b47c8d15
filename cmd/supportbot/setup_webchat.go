package main

import (
	"context"
	"fmt"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/connectors/webchat"
	"github.com/supportbot/supportbot/retrieval"
)

// setupWebchat wires web chat into the app: the help center, the widget and
// the JSON API are served from "/" on the public mux (more specific routes
// such as /metrics, /healthz or the agent console win over it), the
// connector is registered as the "webchat" channel for agent replies, its
// Run installs the engine, and shutdown waits for replies in flight.
// Owned by the webchat component's maintainer.
func setupWebchat(app *App) error {
	cfg := app.Config.Webchat
	if cfg.PublicURL == "" {
		cfg.PublicURL = app.Config.HTTP.PublicURL
	}
	opts := webchat.Options{Library: helpCenter{app.Index}, Log: app.Log, Metrics: app.Metrics}
	if app.Escalator != nil {
		opts.Rater = app.Escalator
	}
	srv := webchat.New(cfg, app.DB, opts)
	if err := srv.Open(context.Background()); err != nil {
		return fmt.Errorf("open web chat: %w", err)
	}
	app.Mux.Handle("/", srv)
	app.Channels[srv.Name()] = srv
	app.Runners = append(app.Runners, func(ctx context.Context) error { return srv.Run(ctx, app.Handler) })
	app.Shutdowns = append(app.Shutdowns, srv.Shutdown)
	return nil
}

// helpCenter adapts the retrieval index to what web chat reads: the
// articles, one article, and the keyword search with its highlighted
// snippets.
type helpCenter struct{ ix *retrieval.Index }

func (h helpCenter) Articles() []*supportbot.Article { return h.ix.Articles() }

func (h helpCenter) Article(id, lang string) (*supportbot.Article, bool) {
	a, err := h.ix.Article(id, lang)
	return a, err == nil
}

func (h helpCenter) Search(ctx context.Context, text, lang string, limit int) ([]webchat.SearchHit, error) {
	hits, err := h.ix.Search(ctx, text, lang, limit)
	if err != nil {
		return nil, err
	}
	out := make([]webchat.SearchHit, len(hits))
	for i, x := range hits {
		out[i] = webchat.SearchHit{ArticleID: x.ArticleID, Lang: x.Lang, Title: x.Title, Category: x.Category, Snippet: x.Snippet}
	}
	return out, nil
}

// Interface guards.
var (
	_ webchat.Library  = helpCenter{}
	_ webchat.Searcher = helpCenter{}
)
