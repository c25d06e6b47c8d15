package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"
)

// runUnanswered lists the questions the help center did not answer (the
// bot escalated them for low confidence, or users rated the answer
// unhelpful twice), most asked first: what to write articles about next.
func runUnanswered(ctx context.Context, g *globalFlags, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("unanswered", flag.ContinueOnError)
	g.also(fs)
	fs.SetOutput(stderr)
	days := fs.Int("days", 30, "look back this many days")
	limit := fs.Int("limit", 50, "at most this many questions")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if *days < 1 || *limit < 1 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: supportbot unanswered [--days N] [--limit N] [--json], with N >= 1")
		return exitError(2)
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
