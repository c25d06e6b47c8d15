package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/supportbot/supportbot"
)

func runAsk(ctx context.Context, g *globalFlags, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("ask", "usage: supportbot ask [--lang L] [--json] QUESTION\n\nAnswers one question from the help center as chat would, and prints the reply.", stderr)
	g.also(fs)
	lang := fs.String("lang", "", "answer in this language (en, zh-Hans, ja, ...); default: detected")
	asJSON := fs.Bool("json", false, "print the reply as JSON")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(strings.Join(pos, " "))
	switch {
	case q == "":
		return usageError(fs, "missing QUESTION")
	case !hasWord(q):
		// The engine would only reply "Please type your question." ("-"
		// is no question either: it does not mean standard input here.)
		return usageError(fs, "QUESTION %q has no words", q)
	}
	return reportError(ask(ctx, g, q, *lang, *asJSON, stdout, stderr), *asJSON, stdout)
}

// hasWord tells whether s has a letter or a digit: what the engine needs
// to see a question in a message (bot.Service.handle).
func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0
}

// reportError is how ask and eval end on err. With --json, err is printed
// as a JSON error object on stdout and the exit status is 1: a script that
// asked for JSON gets JSON for a failure too (the exit status saying it
// failed), not a line of text it cannot parse. Without, main prints its
// message on stderr. An exitError passes as it is: the command has
// printed its report.
func reportError(err error, asJSON bool, stdout io.Writer) error {
	var ee exitError
	switch {
	case err == nil || errors.As(err, &ee):
		return err
	case asJSON:
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		if encErr := enc.Encode(map[string]any{"error": map[string]string{
			"code": supportbot.ErrorCode(err), "message": askErrorMessage(err)}}); encErr != nil {
			return err
		}
		return exitError(1)
	}
	return errors.New(askErrorMessage(err))
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
