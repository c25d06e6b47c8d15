package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// eval checks its queries against what it can score: an unsupported
// language or an empty article id is an error naming the line, and an
// expected article that is not among the articles a warning naming it.
func TestEvalChecksTheQueries(t *testing.T) {
	dir, data := t.TempDir(), t.TempDir()
	writeArticle(t, filepath.Join(dir, "articles"), "a.md", "card", "en", "Card delivery",
		"when will my card arrive|my card has not arrived|where is my new card", "Cards arrive in 5 days.")
	queries := filepath.Join(dir, "queries.jsonl")
	for body, want := range map[string]string{
		`{"query": "when will my card arrive", "expected": ["card"], "language": "xx"}`:                                             "queries.jsonl:1: language \"xx\" is not one of",
		`{"query": "when will my card arrive", "expected": ["card"]}` + "\n" + `{"query": "x", "expected": [""], "language": "en"}`: "queries.jsonl:2: an empty article id",
	} {
		os.WriteFile(queries, []byte(body+"\n"), 0o644)
		if _, _, err := run(t, "", "--data-dir", data, "eval", dir); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", body, err, want)
		}
	}
	// A byte-order mark and CRLF line ends, as Windows editors save it.
	os.WriteFile(queries, []byte("\ufeff"+`{"query": "when will my card arrive", "expected": ["card"], "language": "EN"}`+"\r\n"+
		`{"query": "staking rewards", "expected": ["staking"], "language": "en"}`+"\r\n"), 0o644)
	_, stderr, err := run(t, "", "--data-dir", data, "eval", dir)
	if err != nil || !strings.Contains(stderr, "queries.jsonl:2: expected article \"staking\" is not among the articles") {
		t.Fatalf("err = %v, stderr = %s", err, stderr)
	}
}

// Every command's -h prints its usage on stdout and succeeds; an unknown
// flag is a usage error (status 2).
func TestCommandHelpSucceeds(t *testing.T) {
	data := t.TempDir()
	for _, cmd := range [][]string{{"ask"}, {"ingest"}, {"eval"}, {"serve"}, {"config"}, {"unanswered"}, {"agent", "add"}, {"version"}} {
		stdout, _, err := run(t, "", append(append([]string{"--data-dir", data}, cmd...), "-h")...)
		if err != nil || !strings.HasPrefix(stdout, "usage: supportbot "+cmd[0]) {
			t.Errorf("%v -h: err %v, stdout %q", cmd, err, stdout)
		}
		if _, _, err := run(t, "", append(append([]string{"--data-dir", data}, cmd...), "--no-such-flag")...); err != exitError(2) {
			t.Errorf("%v --no-such-flag: err %v, want exit status 2", cmd, err)
		}
	}
}

// The global flags work after the command too.
func TestGlobalFlagsAfterTheCommand(t *testing.T) {
	data, src := filepath.Join(t.TempDir(), "data"), t.TempDir()
	writeArticle(t, src, "a.md", "alpha", "en", "Alpha", "how do I alpha|what is alpha", "Alpha body.")
	if _, _, err := run(t, "", "ingest", "--quiet", "--data-dir", data, src); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(data, "index")); err != nil {
		t.Fatalf("ingest --data-dir after the command: %v", err)
	}
	out, _, err := run(t, "", "--data-dir", filepath.Join(t.TempDir(), "other"), "ask", "--json", "--data-dir", data, "how do I alpha")
	if err != nil || !strings.Contains(out, `"article_id": "alpha"`) {
		t.Fatalf("ask with --data-dir after the command: %s %v", out, err)
	}
}

func TestVersion(t *testing.T) {
	out, _, err := run(t, "", "version")
	if err != nil || !strings.HasPrefix(out, "supportbot ") || !strings.Contains(out, "go1.") {
		t.Fatalf("version: %q %v", out, err)
	}
}

// A file that does not load is named on stderr; eval still prints its
// figures, over the articles that loaded, says how many files it
// rejected, and fails, as ingest does.
func TestEvalFailsWhenArticlesAreRejected(t *testing.T) {
	dir := t.TempDir()
	articles := filepath.Join(dir, "articles")
	writeArticle(t, articles, "a.md", "card", "en", "Card delivery",
		"when will my card arrive|my card has not arrived|where is my new card", "Cards arrive in 5 days.")
	os.WriteFile(filepath.Join(articles, "broken.md"), []byte("---\nid: x\ntitle: [\n---\nbody\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "queries.jsonl"), []byte(`{"query": "my card has not arrived yet", "expected": ["card"], "language": "en"}`+"\n"), 0o644)
	stdout, stderr, err := run(t, "", "--data-dir", t.TempDir(), "eval", "--json", dir)
	var rep evalReport
	if jerr := json.Unmarshal([]byte(stdout), &rep); jerr != nil {
		t.Fatalf("stdout is not the report: %v\n%s", jerr, stdout)
	}
	if err != exitError(1) || rep.Rejected != 1 || rep.Articles != 1 || rep.HitAt1 != 1 || !strings.Contains(stderr, "broken.md:") {
		t.Fatalf("err = %v, rejected %d, articles %d, hit@1 %v, stderr = %s", err, rep.Rejected, rep.Articles, rep.HitAt1, stderr)
	}
}

// ask --json answers a failure with a JSON error object on stdout (and a
// failing exit status), so a script can tell a refusal from a reply; a
// server's password stays out of it.
func TestAskJSONErrors(t *testing.T) {
	for _, c := range []struct {
		args       []string
		env, code  string
		want, hide string
	}{
		{args: []string{"--lang", "xx", "hello"}, code: "invalid", want: `--lang "xx" is not supported`},
		{args: []string{strings.Repeat("a", 5000)}, code: "too_large", want: "too long"},
		{args: []string{"hello"}, env: "http://u:EMBPASS@127.0.0.1:1/v1", code: "unavailable", want: "u:***@127.0.0.1:1", hide: "EMBPASS"},
	} {
		if c.env != "" {
			t.Setenv("SUPPORTBOT_EMBEDDER_PROVIDER", "openai")
			t.Setenv("SUPPORTBOT_EMBEDDER_MODEL", "m")
			t.Setenv("SUPPORTBOT_EMBEDDER_BASE_URL", c.env)
		}
		data := t.TempDir() // a new folder is indexed first: that is where the embedding server fails
		if c.env == "" {
			data = smallDataDir(t)
		}
		stdout, _, err := run(t, "", append([]string{"--data-dir", data, "ask", "--json"}, c.args...)...)
		var got struct {
			Error struct{ Code, Message string }
		}
		if jerr := json.Unmarshal([]byte(stdout), &got); jerr != nil || err != exitError(1) ||
			got.Error.Code != c.code || !strings.Contains(got.Error.Message, c.want) || (c.hide != "" && strings.Contains(stdout, c.hide)) {
			t.Errorf("%.20q: err = %v, stdout = %s", c.args, err, stdout)
		}
	}
}
