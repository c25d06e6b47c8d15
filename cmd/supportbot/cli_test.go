package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// everyCommand is every command with the arguments it needs, for the tests
// of what they all do alike.
var everyCommand = [][]string{{"serve"}, {"ask", "q"}, {"ingest", "DIR"}, {"eval", "DIR"}, {"agent", "add"}, {"config"},
	{"unanswered"}, {"version"}}

// A command rejects an argument it does not take, naming it, with status
// 2: "serve extra-arg" does not start serving.
func TestCommandsRejectExtraArguments(t *testing.T) {
	// A command that went on would fail on this setting instead, quickly
	// (serve would otherwise start).
	t.Setenv("SUPPORTBOT_LOG_LEVEL", "loud")
	data := t.TempDir()
	for _, args := range [][]string{
		{"serve", "extra"}, {"version", "extra"}, {"config", "extra"}, {"unanswered", "extra"},
		{"agent", "add", "--email", "a@example.com", "--name", "A", "extra"}, {"ingest", "DIR", "extra"},
		{"eval", "DIR", "extra"}, {"help", "ask", "extra"},
	} {
		stdout, stderr, err := run(t, "", append([]string{"--data-dir", data}, args...)...)
		if err != exitError(2) || stdout != "" || !strings.Contains(stderr, `: unexpected argument "extra"`) {
			t.Errorf("%v: err = %v, stdout = %q, stderr = %q", args, err, stdout, stderr)
		}
	}
}

// Help that was asked for goes to stdout, and the command succeeds, in
// one format for every command: the usage line, a sentence saying what it
// does, its flags. "help CMD" is "CMD --help".
func TestHelpGoesToStdout(t *testing.T) {
	for _, cmd := range everyCommand {
		for _, args := range [][]string{append(cmd, "--help"), {cmd[0], "-h"}, {"help", cmd[0]}} {
			stdout, stderr, err := run(t, "", args...)
			paragraphs := strings.Split(stdout, "\n\n")
			if err != nil || stderr != "" || len(paragraphs) < 2 || !strings.HasPrefix(paragraphs[0], "usage: supportbot "+cmd[0]) ||
				strings.Contains(paragraphs[0], "\n") || !strings.HasSuffix(strings.TrimSpace(paragraphs[1]), ".") {
				t.Errorf("%v: err = %v, stderr = %q, stdout = %q", args, err, stderr, stdout)
			}
			if cmd[0] != "version" && (!strings.Contains(stdout, "\n\nFlags:\n  -") || !strings.Contains(stdout, "\n  -config string\n")) {
				t.Errorf("%v: no flags in %q", args, stdout)
			}
		}
	}
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		stdout, stderr, err := run(t, "", args...)
		if err != nil || stderr != "" || !strings.Contains(stdout, "Commands:\n") {
			t.Errorf("%v: err = %v, stderr = %q, stdout = %q", args, err, stderr, stdout)
		}
	}
	// Usage printed for a mistake goes to stderr.
	for _, args := range [][]string{{}, {"serve", "--no-such-flag"}, {"version", "--no-such-flag"}} {
		stdout, stderr, err := run(t, "", args...)
		if err != exitError(2) || stdout != "" || !strings.Contains(stderr, "supportbot") {
			t.Errorf("%v: err = %v, stderr = %q, stdout = %q", args, err, stderr, stdout)
		}
	}
}

// A usage error says what is wrong on its first line, then prints the
// usage. A blank question, or one without a word ("-"), is one: the
// engine would only answer "Please type your question.".
func TestUsageErrorsSayWhatIsWrong(t *testing.T) {
	t.Setenv("SUPPORTBOT_LOG_LEVEL", "loud") // as above: a command that went on fails on this instead
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"ask", ""}, "supportbot ask: missing QUESTION"},
		{[]string{"ask", "   "}, "supportbot ask: missing QUESTION"},
		{[]string{"ask", "--json"}, "supportbot ask: missing QUESTION"},
		{[]string{"ask", "-"}, `supportbot ask: QUESTION "-" has no words`},
		{[]string{"ingest"}, "supportbot ingest: missing DIR"},
		{[]string{"eval", "DIR", "extra"}, `supportbot eval: unexpected argument "extra"`},
		{[]string{"eval", "--no-such-flag", "DIR"}, "supportbot eval: flag provided but not defined: -no-such-flag"},
		{[]string{"unanswered", "--days", "0"}, "supportbot unanswered: --days must be at least 1, not 0"},
		{[]string{"agent"}, `supportbot agent: missing the subcommand "add"`},
		{[]string{"agent", "remove"}, `supportbot agent: unknown subcommand "remove"`},
		{[]string{"agent", "add", "--name", "A"}, "supportbot agent: missing --email"},
		{[]string{}, "supportbot: missing COMMAND"},
	} {
		stdout, stderr, err := run(t, "", c.args...)
		first, rest, _ := strings.Cut(stderr, "\n")
		if err != exitError(2) || stdout != "" || !strings.HasPrefix(first, c.want) || !strings.Contains(rest, "sage:") {
			t.Errorf("%q: err = %v, stdout = %q, stderr = %q", c.args, err, stdout, stderr)
		}
	}
}

// Each line of queries.jsonl is checked field by field: an error names
// the line, the field and what it must hold, never a Go type. A line
// without "expected" is one: it would be scored as "should escalate".
func TestEvalRejectsBadQueryLines(t *testing.T) {
	dir, data := t.TempDir(), t.TempDir()
	good := `{"query": "when will my card arrive", "expected": ["card"], "language": "en"}` + "\n"
	for _, c := range []struct{ line, want string }{
		{`{"query": "when will my card arrive", "language": "en"}`, `queries.jsonl:2: no "expected"`},
		{`{"query": "when will my card arrive", "expected": null}`, `queries.jsonl:2: no "expected"`},
		{`{"query": "when will my card arrive", "expected": "card"}`, `queries.jsonl:2: "expected" must be a list of article ids`},
		{`{"query": "when will my card arrive", "expected": [1]}`, `queries.jsonl:2: "expected" must be a list of article ids`},
		{`{"query": 7, "expected": []}`, `queries.jsonl:2: "query" must be a string`},
		{`{"query": "card", "expected": [], "language": ["en"]}`, `queries.jsonl:2: "language" must be a language code`},
		{`["card"]`, `queries.jsonl:2: not a JSON object`},
		{`{"query": "card", `, `queries.jsonl:2: not valid JSON`},
	} {
		os.WriteFile(filepath.Join(dir, "queries.jsonl"), []byte(good+c.line+"\n"), 0o644)
		_, _, err := run(t, "", "--data-dir", data, "eval", dir)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "Go ") || strings.Contains(err.Error(), "main.") {
			t.Errorf("%s: err = %v, want %q", c.line, err, c.want)
		}
	}
}

// A query without a language is counted under the language chat would
// detect, not under English; "expected": [] is a question to escalate.
func TestEvalDetectsTheLanguage(t *testing.T) {
	dir := t.TempDir()
	writeArticle(t, filepath.Join(dir, "articles"), "a.md", "card", "en", "Card delivery",
		"when will my card arrive|my card has not arrived|where is my new card", "Cards arrive in 5 days.")
	os.WriteFile(filepath.Join(dir, "queries.jsonl"), []byte(`{"query": "when will my card arrive", "expected": ["card"], "language": "en"}
{"query": "我的银行卡什么时候到", "expected": []}
`), 0o644)
	stdout, stderr, err := run(t, "", "--data-dir", t.TempDir(), "eval", "--json", dir)
	var rep evalReport
	if jerr := json.Unmarshal([]byte(stdout), &rep); jerr != nil || err != nil {
		t.Fatalf("err = %v, %v\nstdout = %s\nstderr = %s", err, jerr, stdout, stderr)
	}
	if zh, en := rep.ByLanguage["zh-Hans"], rep.ByLanguage["en"]; zh == nil || zh.Queries != 1 || en == nil || en.Queries != 1 {
		t.Fatalf("by language = %s", stdout)
	}
}

// The plain report prints the number of queries as a row, as the other
// figures.
func TestEvalReportHasAQueriesRow(t *testing.T) {
	var b bytes.Buffer
	printReport(&b, "dir", &evalReport{Queries: 7, Articles: 2, ByLanguage: map[string]*langReport{}})
	if !strings.Contains(b.String(), "\n  queries            7\n") {
		t.Fatalf("report:\n%s", b.String())
	}
}

// eval --json reports a failure as ask --json does: a JSON error object
// on stdout, and exit status 1.
func TestEvalJSONErrors(t *testing.T) {
	dir, data := t.TempDir(), t.TempDir()
	for _, c := range []struct{ queries, code, want string }{
		{"", "not_found", "queries.jsonl: no such file"},
		{`{"query": "card", "expected": "card"}`, "invalid", `queries.jsonl:1: "expected" must be a list of article ids`},
	} {
		if c.queries != "" {
			os.WriteFile(filepath.Join(dir, "queries.jsonl"), []byte(c.queries+"\n"), 0o644)
		}
		stdout, stderr, err := run(t, "", "--data-dir", data, "eval", "--json", dir)
		var got struct {
			Error struct{ Code, Message string }
		}
		if jerr := json.Unmarshal([]byte(stdout), &got); jerr != nil || err != exitError(1) || stderr != "" ||
			got.Error.Code != c.code || !strings.Contains(got.Error.Message, c.want) {
			t.Errorf("%s: err = %v, stdout = %q, stderr = %q", c.queries, err, stdout, stderr)
		}
	}
	// Without --json, the message alone, not the error's code=... form.
	_, _, err := run(t, "", "--data-dir", data, "eval", dir)
	if err == nil || !strings.HasPrefix(err.Error(), filepath.Join(dir, "queries.jsonl")+":1: ") {
		t.Errorf("err = %v", err)
	}
}

// A setting that is wrong in the config file or the environment is named
// by its key (and line, or variable) with what it takes, not by Go types;
// a misspelt key gets the nearest one.
func TestConfigErrorsNameTheSetting(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		env        []string
		want, hide string
	}{
		{"ErrUnknownKey", "bot:\n  top_kk: 3\n", nil, "c.yaml:2: unknown setting bot.top_kk (did you mean bot.top_k?)", ""},
		{"ErrUnknownFarKey", "frobnicate: 1\n", nil, "c.yaml:1: unknown setting frobnicate (`supportbot config` lists the settings)", ""},
		{"ErrUnknownListKey", "escalation:\n  webhooks:\n    - url: https://example.com\n      sekret: x\n", nil,
			"c.yaml:4: unknown setting escalation.webhooks[0].sekret (did you mean escalation.webhooks[0].secret?)", ""},
		{"ErrNumber", "bot:\n  top_k: abc\n", nil, `c.yaml:2: bot.top_k: must be a whole number, not "abc"`, ""},
		{"ErrDuration", "http:\n  shutdown_timeout: 5\n", nil, `c.yaml:2: http.shutdown_timeout: must be a duration such as 30s`, ""},
		{"ErrSection", "http: 8080\n", nil, "c.yaml:1: http: must be a section of settings", ""},
		{"ErrList", "webchat:\n  api_keys: sk-SECRET\n", nil, "c.yaml:2: webchat.api_keys: must be a list, not a single value", "sk-SECRET"},
		{"ErrEnvNumber", "", []string{"SUPPORTBOT_BOT_TOP_K=abc"}, `bot.top_k (SUPPORTBOT_BOT_TOP_K): must be a whole number, not "abc"`, ""},
		{"ErrEnvBool", "", []string{"SUPPORTBOT_WEBCHAT_TRUST_PROXY=maybe"}, `webchat.trust_proxy (SUPPORTBOT_WEBCHAT_TRUST_PROXY): must be true or false, not "maybe"`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := ""
			if c.yaml != "" {
				path = filepath.Join(t.TempDir(), "c.yaml")
				os.WriteFile(path, []byte(c.yaml), 0o600)
			}
			_, err := loadConfig(path, c.env)
			if err == nil || !strings.Contains(err.Error(), c.want) || (c.hide != "" && strings.Contains(err.Error(), c.hide)) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			for _, internal := range []string{"strconv", "unmarshal", "in type", "bot.Config", "time.Duration"} {
				if strings.Contains(err.Error(), internal) {
					t.Errorf("err = %v: %q is Go's, not the user's", err, internal)
				}
			}
		})
	}
	// What is right still loads.
	path := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(path, []byte("http:\n  shutdown_timeout: 5s\nbot:\n  top_k: 3\n  always_human_keywords: [lawsuit]\n"+
		"escalation:\n  webhooks:\n    - url: https://example.com\n"), 0o600)
	if c, err := loadConfig(path, nil); err != nil || c.Bot.TopK != 3 || len(c.Escalation.Webhooks) != 1 {
		t.Fatalf("err = %v", err)
	}
}
