package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot/retrieval"
)

// demoSnapshot is the demo help center indexed once for the whole test
// binary: indexing trains and calibrates the retrieval model, which is too
// slow to repeat in every test. demoDataDir hands each test a copy.
var demoSnapshot string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "supportbot-demo-index-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	cfg := &Config{DataDir: dir}
	cfg.setDefaults()
	quiet := logrus.New()
	quiet.Out = io.Discard
	idx, err := openIndex(context.Background(), cfg, quiet)
	if err != nil {
		fmt.Fprintln(os.Stderr, "index the demo help center:", err)
		return 1
	}
	idx.Close()
	demoSnapshot = filepath.Join(dir, "index", retrieval.SnapshotFile)
	return m.Run()
}

// demoDataDir returns a fresh data folder whose index already holds the
// demo help center.
func demoDataDir(tb testing.TB) string {
	tb.Helper()
	data := tb.TempDir()
	if err := os.MkdirAll(filepath.Join(data, "index"), 0o700); err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile(demoSnapshot)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "index", retrieval.SnapshotFile), b, 0o600); err != nil {
		tb.Fatal(err)
	}
	return data
}
