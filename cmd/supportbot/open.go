package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/bot"
	"github.com/supportbot/supportbot/bot/llm"
	"github.com/supportbot/supportbot/internal/sqldb"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/retrieval"
	"github.com/supportbot/supportbot/retrieval/embed"
)

// openApp opens the database, the help-center index and the engine. With
// serving, it also sets up escalation (which the engine needs) and the
// connectors; otherwise the engine runs without tickets (CLI).
func openApp(ctx context.Context, cfg *Config, logOut io.Writer, serving bool) (*App, error) {
	log, err := newLogger(cfg.Log, logOut)
	if err != nil {
		return nil, err
	}
	app := &App{Config: cfg, Log: log, Mux: http.NewServeMux(), Channels: map[string]supportbot.Channel{}}
	ok := false
	defer func() {
		if !ok {
			app.Close()
		}
	}()
	if app.DB, err = openDB(ctx, cfg.Database); err != nil {
		return nil, err
	}
	warnIfShared(log, cfg.DataDir, strings.TrimPrefix(cfg.Database, "sqlite:"))
	idx, err := openIndex(ctx, cfg, log, logOut)
	if err != nil {
		return nil, err
	}
	app.Index = idx
	if cfg.LLM.Model != "" {
		app.LLM = llm.New(llm.Config{BaseURL: cfg.LLM.BaseURL, Model: cfg.LLM.Model, APIKey: cfg.LLM.APIKey})
	}
	store, err := bot.OpenStore(ctx, app.DB)
	if err != nil {
		return nil, err
	}
	app.Store = store
	if serving {
		reg := prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		app.Metrics, app.Gatherer = reg, reg
		if err := setupEscalation(app); err != nil {
			return nil, fmt.Errorf("escalation: %w", err)
		}
	}
	det := bot.NewDetector()
	if serving {
		// The first Latin-script message would wait for lingua's models
		// (about 0.5 s); the server loads them while it starts instead.
		go det.Warm()
	}
	app.Bot = bot.New(cfg.Bot, bot.Deps{Store: store, Detector: det, Retriever: idx, LLM: app.LLM,
		Escalator: app.Escalator, Log: log, Metrics: app.Metrics})
	app.Handler = app.Bot
	if serving {
		for _, setup := range []struct {
			name string
			fn   func(*App) error
		}{{"webchat", setupWebchat}, {"telegram", setupTelegram}, {"discord", setupDiscord}} {
			if err := setup.fn(app); err != nil {
				return nil, fmt.Errorf("%s: %w", setup.name, err)
			}
		}
	}
	ok = true
	return app, nil
}

// openStore opens the database at dsn and the engine's store in it (its
// migrations applied): what the commands that read or write conversations
// without the whole app need. The caller closes the DB.
func openStore(ctx context.Context, dsn string) (*sqldb.DB, *bot.Store, error) {
	db, err := openDB(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	store, err := bot.OpenStore(ctx, db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, store, nil
}

// newEmbedder returns the configured embedder.
func newEmbedder(cfg *Config) (supportbot.Embedder, error) {
	switch cfg.Embedder.Provider {
	case "local":
		return embed.NewLocal(0), nil
	case "openai":
		if cfg.Embedder.Model == "" {
			return nil, fmt.Errorf("embedder: provider openai needs a model")
		}
		return embed.NewOpenAI(embed.OpenAIConfig{BaseURL: cfg.Embedder.BaseURL, Model: cfg.Embedder.Model,
			APIKey: cfg.Embedder.APIKey}), nil
	}
	return nil, fmt.Errorf("embedder: unknown provider %q (local or openai)", cfg.Embedder.Provider)
}

// openIndex opens the persisted index under the data folder. An empty
// index gets the built-in demo help center, so a fresh install answers
// questions at once, and an index that holds an older version's demo gets
// this version's. An index made with another embedding model is embedded
// again with the configured one; if that server cannot be reached, the
// index still answers, from keyword search and the ranker.
func openIndex(ctx context.Context, cfg *Config, log logrus.FieldLogger, progressOut io.Writer) (*retrieval.Index, error) {
	emb, err := newEmbedder(cfg)
	if err != nil {
		return nil, err
	}
	idx, err := openDataIndex(cfg, emb)
	if err != nil {
		return nil, err
	}
	held := idx.Articles()
	demo, err := demoFor(held)
	if err != nil {
		idx.Close()
		return nil, err
	}
	switch {
	case demo != nil && !idx.Holds(demo): // none held, or an older version's demo
		what := "First start: indexing the built-in demo help center"
		if len(held) > 0 {
			what = "The built-in demo help center changed in this version: indexing it again"
		}
		log.Infof("%s (%d articles); load your own with: supportbot ingest DIR", what, len(demo))
		// This takes most of a minute. On a terminal a progress bar shows
		// it; elsewhere (ask piped, which logs only warnings) one line
		// says why nothing happens meanwhile.
		progress, finish := syncProgress(progressOut, false)
		if l, ok := log.(*logrus.Logger); progress != nil || ok && !l.IsLevelEnabled(logrus.InfoLevel) {
			fmt.Fprintf(progressOut, "%s (%d articles, about a minute). Load your own with: supportbot ingest DIR\n", what, len(demo))
		}
		_, err = idx.Sync(ctx, demo, progress)
		finish()
		if err != nil {
			idx.Close()
			return nil, fmt.Errorf("index demo help center: %w", err)
		}
	case idx.Unembedded() > 0:
		log.Info("embedding the help center with the configured embedding model (the index was made with another)")
		progress, finish := syncProgress(progressOut, false)
		_, err := idx.SyncHelpCenter(ctx, idx.HelpCenter(), progress)
		finish()
		if err != nil {
			log.WithError(err).Warn("could not embed the help center: answers use keyword search and the ranker until it is (at the next start, or with supportbot ingest)")
		}
	}
	return idx, nil
}

// demoSource marks the built-in demo's articles (Article.Source), which
// tells them from a help center the operator ingested.
const demoSource = "builtin-demo:"

// demoArticles loads the built-in demo help center.
func demoArticles() ([]*supportbot.Article, error) {
	res, err := knowledge.Load(knowledge.Demo(), "articles")
	if err != nil {
		return nil, err
	}
	for _, a := range res.Articles {
		a.Source = demoSource + a.Source
	}
	return res.Articles, nil
}

// demoFor returns the built-in demo's articles when held, an index's
// articles, are none or a version of the demo; nil for a help center the
// operator ingested, without reading the demo at every start (40 ms).
func demoFor(held []*supportbot.Article) ([]*supportbot.Article, error) {
	for _, a := range held {
		if !strings.HasPrefix(a.Source, demoSource) && !strings.HasPrefix(a.Source, "articles/") {
			return nil, nil
		}
	}
	demo, err := demoArticles()
	if err != nil || !isDemo(held, demo) {
		return nil, err
	}
	return demo, nil
}

// isDemo says whether held, an index's articles, are a version of the
// built-in demo: each marked as the demo's, or (indexed before the mark
// existed) each with a key and file name of the demo's.
func isDemo(held, demo []*supportbot.Article) bool {
	files := map[string]bool{}
	for _, a := range demo {
		files[a.Key()+" "+strings.TrimPrefix(a.Source, demoSource)] = true
	}
	for _, a := range held {
		if !strings.HasPrefix(a.Source, demoSource) && !files[a.Key()+" "+a.Source] {
			return false
		}
	}
	return true
}

// The data folder holds conversations, tickets, attachments and the
// index: what supportbot creates in it is its owner's alone, whatever the
// umask. Left to retrieval and SQLite, the folder would be 0755 (made by
// ingest) and the database file 0644.
const (
	privateDir  = 0o700
	privateFile = 0o600
)

// warnIfShared warns about a data folder or database file that other
// users of the machine may read: one created by an older version, or by
// hand. It is not changed behind the operator's back (a deployment may
// share it with a backup user on purpose), but said at every start.
func warnIfShared(log logrus.FieldLogger, paths ...string) {
	if runtime.GOOS == "windows" { // no Unix permission bits
		return
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm()&0o077 == 0 {
			continue
		}
		want := privateFile
		if st.IsDir() {
			want = privateDir
		}
		log.Warnf("%s is open to other users of this machine (mode %04o); it holds conversations and tickets: chmod %o %s",
			p, st.Mode().Perm(), want, p)
	}
}

// openDataIndex opens the search index in the data folder, creating the
// folder private first.
func openDataIndex(cfg *Config, emb supportbot.Embedder) (*retrieval.Index, error) {
	dir := filepath.Join(cfg.DataDir, "index")
	if err := os.MkdirAll(dir, privateDir); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	idx, err := retrieval.Open(retrieval.Config{Dir: dir, Embedder: emb})
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	return idx, nil
}

// openDB opens the database at dsn. A SQLite file (what sqldb.Open takes
// for one: not a postgres URL, nor :memory:) is created first, private,
// with its folder; SQLite gives its -wal and -shm files the database
// file's mode. Existing files keep theirs.
func openDB(ctx context.Context, dsn string) (*sqldb.DB, error) {
	path := strings.TrimPrefix(dsn, "sqlite:")
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") && path != ":memory:" {
		if err := os.MkdirAll(filepath.Dir(path), privateDir); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, privateFile)
		if err != nil {
			return nil, fmt.Errorf("create database: %w", err)
		}
		f.Close()
	}
	return sqldb.Open(ctx, dsn)
}

// Close releases what openApp opened.
func (a *App) Close() error {
	if a.Index != nil {
		a.Index.Close()
	}
	if a.DB != nil {
		return a.DB.Close()
	}
	return nil
}

func newCLIConversation() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "cli-" + hex.EncodeToString(b)
}
