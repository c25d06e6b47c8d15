package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot/retrieval"
)

// demoIndex is the demo help center indexed once for the whole test
// binary, by the first test that needs it: indexing trains and calibrates
// the retrieval model, which is too slow to repeat in every test (and a
// run of only the tests that do not need it skips it). demoDataDir hands
// each test a copy of its snapshot.
var demoIndex struct {
	once     sync.Once
	dir      string // removed by TestMain
	snapshot string
	out      strings.Builder // what opening it printed
	err      error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoIndex.dir != "" {
		os.RemoveAll(demoIndex.dir)
	}
	os.Exit(code)
}

func demoSnapshot() (string, error) {
	demoIndex.once.Do(func() {
		dir, err := os.MkdirTemp("", "supportbot-demo-index-*")
		if err != nil {
			demoIndex.err = err
			return
		}
		demoIndex.dir = dir
		cfg := &Config{DataDir: dir}
		cfg.setDefaults()
		// As `ask` opens it: logging only warnings, its output not a
		// terminal.
		quiet := logrus.New()
		quiet.Out = io.Discard
		quiet.SetLevel(logrus.WarnLevel)
		idx, err := openIndex(context.Background(), cfg, quiet, &demoIndex.out)
		if err != nil {
			demoIndex.err = fmt.Errorf("index the demo help center: %w", err)
			return
		}
		idx.Close()
		demoIndex.snapshot = filepath.Join(dir, "index", retrieval.SnapshotFile)
	})
	return demoIndex.snapshot, demoIndex.err
}

// demoDataDir returns a fresh data folder whose index already holds the
// demo help center.
func demoDataDir(tb testing.TB) string {
	tb.Helper()
	data := tb.TempDir()
	if err := os.MkdirAll(filepath.Join(data, "index"), 0o700); err != nil {
		tb.Fatal(err)
	}
	snap, err := demoSnapshot()
	if err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile(snap)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "index", retrieval.SnapshotFile), b, 0o600); err != nil {
		tb.Fatal(err)
	}
	return data
}

// smallDataDir is a data folder with a help center of three small English
// articles ingested: quicker to open than the demo's, for tests of what
// happens around the answer rather than of the answer.
func smallDataDir(t *testing.T) string {
	t.Helper()
	data, src := filepath.Join(t.TempDir(), "data"), t.TempDir()
	writeArticle(t, src, "pw.md", "reset-password", "en", "Reset your password",
		"I forgot my password|how do I reset my password|my login is locked", "Use **Forgot password** on the login page.")
	writeArticle(t, src, "wd.md", "withdrawal-pending", "en", "Pending withdrawals",
		"my withdrawal is stuck|withdrawal still pending|when will my withdrawal arrive", "Withdrawals are reviewed within 30 minutes.")
	writeArticle(t, src, "fee.md", "trading-fees", "en", "Trading fees",
		"what are your fees|how much is the taker fee|fee for trading", "Maker fee is 0.1% and taker fee is 0.2%.")
	if _, _, err := run(t, "", "--data-dir", data, "ingest", "--quiet", src); err != nil {
		t.Fatal(err)
	}
	return data
}

// serveApp opens the app for cfg with every component, checks that the
// channel registered itself, and serves on ln until the test ends (or the
// returned cancel is called): the common start of the connectors'
// end-to-end tests.
func serveApp(t *testing.T, ctx context.Context, cancel context.CancelFunc, cfg *Config, ln net.Listener, channel string) *App {
	t.Helper()
	app, err := openApp(ctx, cfg, io.Discard, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	if app.Channels[channel] == nil {
		t.Fatalf("setup did not register the %s channel", channel)
	}
	served := make(chan error, 1)
	go func() { served <- app.Serve(ctx, ln, io.Discard) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("Serve did not stop")
		}
	})
	return app
}
