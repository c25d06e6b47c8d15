package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// runUnanswered lists the questions the help center did not answer (the
// bot escalated them for low confidence, or users rated the answer
// unhelpful twice), most asked first: what to write articles about next.
func runUnanswered(ctx context.Context, g *globalFlags, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("unanswered", "usage: supportbot unanswered [--days N] [--limit N] [--json]\n\nLists the questions the help center did not answer, most asked first: what to write articles about next.", stderr)
	g.also(fs)
	days := fs.Int("days", 30, "look back this many days (at least 1)")
	limit := fs.Int("limit", 50, "at most this many questions (at least 1)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	switch {
	case *days < 1:
		return usageError(fs, "--days must be at least 1, not %d", *days)
	case *limit < 1:
		return usageError(fs, "--limit must be at least 1, not %d", *limit)
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	db, store, err := openStore(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	qs, err := store.Unanswered(ctx, time.Now().AddDate(0, 0, -*days), *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(qs)
	}
	if len(qs) == 0 {
		fmt.Fprintf(stdout, "no unanswered questions in the last %d days\n", *days)
		return nil
	}
	fmt.Fprintf(stdout, "%5s  %-8s  %-16s  %s\n", "asked", "language", "last", "question")
	for _, q := range qs {
		fmt.Fprintf(stdout, "%5d  %-8s  %-16s  %s\n", q.Count, q.Lang, q.Last.Local().Format("2006-01-02 15:04"), q.Text)
	}
	return nil
}
