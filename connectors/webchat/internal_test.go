package webchat

import (
	"strings"
	"testing"

	"github.com/supportbot/supportbot"
)

func TestStringsComplete(t *testing.T) {
	for _, l := range supportbot.Languages {
		if _, ok := uiStrings[l]; !ok {
			t.Errorf("no UI strings for %s", l)
		}
	}
	for key, en := range uiStrings["en"] {
		for _, l := range supportbot.Languages {
			s, ok := uiStrings[l][key]
			if !ok || strings.TrimSpace(s) == "" {
				t.Errorf("%s: missing %q", l, key)
				continue
			}
			// Placeholders must survive translation.
			for _, ph := range []string{"{q}", "{n}", "{size}", "{date}", "{category}"} {
				if strings.Contains(en, ph) != strings.Contains(s, ph) {
					t.Errorf("%s %q: placeholder %s lost or added: %q", l, key, ph, s)
				}
			}
		}
	}
	for l, m := range uiStrings {
		for key := range m {
			if _, ok := uiStrings["en"][key]; !ok {
				t.Errorf("%s has %q, which English lacks", l, key)
			}
		}
	}
	if got := T("fr", "results_for", "q", "retrait"); got != "Résultats pour « retrait »" {
		t.Errorf("T = %q", got)
	}
	if got := T("xx", "send"); got != "Send" {
		t.Errorf("fallback = %q", got)
	}
}

func TestRenderChat(t *testing.T) {
	r := newRenderer()
	for _, tc := range []struct {
		name, md      string
		want, notWant []string
	}{
		{"OK", "**Bold** and a [guide](/en/articles/lost-2fa).",
			[]string{"<strong>Bold</strong>", `href="https://help.example.com/en/articles/lost-2fa"`, `target="_blank"`, "noopener", "noreferrer"}, nil},
		{"ErrScript", "hi <script>alert(1)</script>", []string{"hi"}, []string{"<script"}},
		{"ErrHandler", `<img src=x onerror="alert(1)">`, nil, []string{"onerror", "<img"}},
		{"ErrJavascriptLink", "[click](javascript:alert(1))", []string{"click"}, []string{"javascript:"}},
		{"ErrDataLink", "[click](data:text/html;base64,PHNjcmlwdD4=)", nil, []string{"data:"}},
		{"ImageBecomesLink", "![pixel](https://tracker.example.net/p.png)", []string{`href="https://tracker.example.net/p.png"`, "pixel"}, []string{"<img"}},
		{"Table", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Chat(tc.md, "https://help.example.com")
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("%q has %q", got, w)
				}
			}
		})
	}
	for in, want := range map[string]string{
		`a <mark>b</mark> <script>x</script><b onclick=1>c</b>`:                                                       "a <mark>b</mark> c",
		`so funds go to [Use the <mark>whitelist</mark>](/en/articles/<mark>withdrawal</mark>-x). ## If you **fell**`: "so funds go to Use the <mark>whitelist</mark>. If you fell",
		`| Used for | |---|---| | Spot | trading |`:                                                                   "Used for Spot trading",
	} {
		if got := r.Snippet(in); got != want {
			t.Errorf("Snippet(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeywordSearchSnippet(t *testing.T) {
	got := Snippet("Withdrawals <b> are reviewed; a pending WITHDRAWAL waits.", []string{"withdrawal", "pending"}, 200)
	want := "<mark>Withdrawal</mark>s &lt;b&gt; are reviewed; a <mark>pending</mark> <mark>WITHDRAWAL</mark> waits."
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if terms := searchTerms("忘记密码 reset"); strings.Join(terms, ",") != "忘记,记密,密码,reset" {
		t.Errorf("terms %v", terms)
	}
}

func FuzzReadJSONText(f *testing.F) {
	f.Add("hello\x00world\r\n")
	f.Add("\u202eevil")
	f.Fuzz(func(t *testing.T, s string) {
		out := cleanText(s, 50)
		if strings.ContainsAny(out, "\x00\r") || len([]rune(out)) > 50 {
			t.Fatalf("cleanText(%q) = %q", s, out)
		}
		name := cleanFileName(s)
		if name == "" || strings.ContainsAny(name, "/\\\"\n") {
			t.Fatalf("cleanFileName(%q) = %q", s, name)
		}
	})
}
