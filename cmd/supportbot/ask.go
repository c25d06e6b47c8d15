package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/supportbot/supportbot"
)

func runAsk(ctx context.Context, g *globalFlags, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	g.also(fs)
	fs.SetOutput(stderr)
	lang := fs.String("lang", "", "answer in this language (en, zh-Hans, ja, ...); default: detected")
	asJSON := fs.Bool("json", false, "print the reply as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: supportbot ask [--lang L] [--json] QUESTION")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return parseError(err)
	}
	q := strings.TrimSpace(strings.Join(pos, " "))
	if q == "" {
		fs.Usage()
		return exitError(2)
	}
	err = ask(ctx, g, q, *lang, *asJSON, stdout, stderr)
	switch {
	case err == nil:
		return nil
	case *asJSON:
		// A script that asked for JSON gets JSON for a failure too (on
		// stdout, with the exit status saying it failed), not a line of
		// text it cannot parse.
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		if encErr := enc.Encode(map[string]any{"error": map[string]string{
			"code": supportbot.ErrorCode(err), "message": askErrorMessage(err)}}); encErr != nil {
			return err
		}
		return exitError(1)
	default:
		return errors.New(askErrorMessage(err))
	}
}

// askErrorMessage is what the user reads: the message of a refusal the
// engine returned (too long, not valid UTF-8), the whole chain of any
// other error, which says where it came from (a configuration file, the
// embedding server at a redacted address).
func askErrorMessage(err error) string {
	if e, ok := err.(*supportbot.Error); ok {
		return e.Message
	}
	return err.Error()
}

// ask answers q once and prints the reply, streamed as it comes unless
// asJSON.
func ask(ctx context.Context, g *globalFlags, q, lang string, asJSON bool, stdout, stderr io.Writer) error {
	if lang != "" && supportbot.NormalizeLang(lang) == "" {
		return supportbot.Errorf(supportbot.EINVALID, "--lang %q is not supported (one of %s)", lang, strings.Join(supportbot.Languages, ", "))
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	cfg.Log.Level = "warn" // the answer is the output; logs only for trouble
	app, err := openApp(ctx, cfg, stderr, false)
	if err != nil {
		return err
	}
	defer app.Close()
	m := supportbot.Message{Channel: "cli", UserID: "cli", ConversationID: newCLIConversation(), Text: q,
		Lang: supportbot.NormalizeLang(lang)}
	streamed := false
	emit := func(d string) {
		if !asJSON {
			streamed = true
			fmt.Fprint(stdout, d)
		}
	}
	r, err := app.Bot.HandleStream(ctx, m, emit)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(replyJSON(r))
	}
	if !streamed {
		fmt.Fprint(stdout, r.Text)
	}
	fmt.Fprintln(stdout)
	return nil
}

// replyJSON is the stable JSON form of a reply, for scripts.
func replyJSON(r supportbot.Reply) map[string]any {
	cites := make([]map[string]string, 0, len(r.Citations))
	for _, c := range r.Citations {
		cites = append(cites, map[string]string{"article_id": c.ArticleID, "title": c.Title, "url": c.URL, "lang": c.Lang})
	}
	return map[string]any{"text": r.Text, "lang": r.Lang, "decision": r.Decision, "reason": r.Reason,
		"confidence": r.Confidence, "citations": cites, "ticket_id": r.TicketID, "generated": r.Generated}
}
