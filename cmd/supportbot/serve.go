package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"
)

func runServe(ctx context.Context, g *globalFlags, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("serve", "usage: supportbot serve [--addr HOST:PORT]\n\nRuns the server: web chat, help center, agent console, API and the connectors configured, until interrupted.", stderr)
	g.also(fs)
	addr := fs.String("addr", "", "listen address (default 127.0.0.1:8080, or http.addr in the config)")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	if *addr != "" {
		cfg.HTTP.Addr = *addr
	}
	ln, err := net.Listen("tcp", cfg.HTTP.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if cfg.HTTP.PublicURL == "" {
		cfg.HTTP.PublicURL = "http://" + ln.Addr().String()
	}
	if cfg.Bot.PublicURL == "" {
		cfg.Bot.PublicURL = cfg.HTTP.PublicURL
	}
	app, err := openApp(ctx, cfg, stderr, true)
	if err != nil {
		ln.Close()
		return err
	}
	defer app.Close()
	return app.Serve(ctx, ln, stdout)
}

// Serve runs the HTTP server and every runner until ctx is done, then shuts
// down gracefully: the server stops accepting, replies in flight finish
// (up to the shutdown timeout), and the stores close after that.
func (a *App) Serve(ctx context.Context, ln net.Listener, stdout io.Writer) error {
	a.Mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"ok"}`)
	})
	a.Mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if err := a.DB.PingContext(r.Context()); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"status":"database unavailable"}`)
			return
		}
		if len(a.Index.Articles()) == 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"status":"no articles indexed"}`)
			return
		}
		io.WriteString(w, `{"status":"ready"}`)
	})
	a.Mux.Handle("GET /metrics", promhttp.HandlerFor(a.Gatherer, promhttp.HandlerOpts{}))
	a.Runners = append(a.Runners, a.watchIndex)

	srv := &http.Server{Handler: a.Mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	for _, run := range a.Runners {
		g.Go(func() error {
			if err := run(gctx); err != nil && !errors.Is(err, context.Canceled) {
				return err
			}
			return nil
		})
	}
	a.Log.WithField("url", a.Config.HTTP.PublicURL).Info("supportbot is serving")
	fmt.Fprintf(stdout, "supportbot is running: open %s/ in your browser (help center and chat)\n", a.Config.HTTP.PublicURL)
	g.Go(func() error {
		<-gctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.Config.HTTP.ShutdownTimeout)
		defer cancel()
		for _, fn := range a.Shutdowns {
			if err := fn(sctx); err != nil {
				a.Log.WithError(err).Warn("shutdown")
			}
		}
		return srv.Shutdown(sctx)
	})
	err := g.Wait()
	a.Log.Info("supportbot stopped")
	return err
}

// watchIndex picks up articles that `supportbot ingest` wrote from another
// process, so the help center and the answers follow without a restart.
func (a *App) watchIndex(ctx context.Context) error {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			changed, err := a.Index.Reload(ctx)
			if err != nil {
				a.Log.WithError(err).Warn("reload index")
			} else if changed {
				a.Log.WithField("articles", len(a.Index.Articles())).Info("help center reloaded")
			}
		}
	}
}
