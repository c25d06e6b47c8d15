package lexicon

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
	"unicode/utf8"

	"github.com/supportbot/supportbot"
)

func TestBuiltinCoversEveryLanguageAndConcept(t *testing.T) {
	lx, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	ids := Concepts()
	if len(ids) < 100 {
		t.Fatalf("concepts.txt lists %d concepts, want the full list", len(ids))
	}
	known := map[string]bool{}
	for _, id := range ids {
		known[id] = true
	}
	for _, lang := range supportbot.Languages {
		forms, ok := lx[lang]
		if !ok {
			t.Errorf("no lexicon for %s", lang)
			continue
		}
		for c, fs := range forms {
			if !known[c] {
				t.Errorf("%s: concept %q is not in concepts.txt", lang, c)
			}
			for _, f := range fs {
				if r := []rune(strings.TrimSuffix(f, "*")); len(r) == 1 && unicode.Is(unicode.Han, r[0]) {
					t.Errorf("%s: %s: single-character form %q matches too much", lang, c, f)
				}
				if !utf8.ValidString(f) {
					t.Errorf("%s: %s: invalid UTF-8", lang, c)
				}
			}
		}
		// A language may leave out a concept it has no word for, but
		// not many.
		if missing := len(ids) - len(forms); missing > len(ids)/20 {
			t.Errorf("%s covers %d of %d concepts", lang, len(forms), len(ids))
		}
	}
	for l := range lx {
		if !supportbot.IsLanguage(l) {
			t.Errorf("lexicon file for unsupported language %q", l)
		}
	}
}

func TestParseErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		name, data string
		line       int
		msg        string
	}{
		{"not a map", "- a\n- b\n", 1, "want a map"},
		{"not a list", "withdraw: [cash out]\ndeposit: top up\n", 2, "want a list"},
		{"duplicate", "withdraw: [a]\n\nwithdraw: [b]\n", 3, "listed twice"},
		{"empty form", "withdraw: [cash out, \"\"]\n", 1, "empty"},
		{"bad yaml", "withdraw: [cash out\ndeposit: [x]\n", 0, "yaml"},
	}
	for _, tt := range tests {
		_, err := Parse("fr.yaml", []byte(tt.data))
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s: got %v, want *Error", tt.name, err)
			continue
		}
		if e.File != "fr.yaml" || (tt.line > 0 && e.Line != tt.line) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: got %v (line %d), want fr.yaml:%d ... %s", tt.name, err, e.Line, tt.line, tt.msg)
		}
	}
	m, err := Parse("en.yaml", []byte("# English\nwithdraw: [withdraw*, cash out, \"429\"]\n"))
	if err != nil || len(m["withdraw"]) != 3 || m["withdraw"][2] != "429" {
		t.Fatalf("got %v, %v", m, err)
	}
}

func TestFingerprintIsStable(t *testing.T) {
	a, b := Fingerprint(), Fingerprint()
	if a == "" || a != b || len(a) != 32 {
		t.Fatalf("fingerprint %q, then %q", a, b)
	}
}

func TestLoadReadsAHelpCentersAdditions(t *testing.T) {
	fsys := fstest.MapFS{
		"hc/lexicon/en.yaml":      {Data: []byte("withdraw: [take my money out]\nmoonpass: [moonpass, lunar card]\n")},
		"hc/lexicon/ko.yml":       {Data: []byte("moonpass: [문패스]\n")},
		"hc/lexicon/README.md":    {Data: []byte("notes\n")},
		"hc/lexicon/klingon.yaml": {Data: []byte("withdraw: [x]\n")},
		"hc/lexicon/fr.yaml":      {Data: []byte("withdraw: [retrait\nmoonpass: [x]\n")},
		"hc/lexicon/es.yaml":      {Data: []byte("withdraw: [retirar]\n\nwithdraw: [sacar]\n")},
	}
	lx, errs := Load(fsys, "hc/lexicon")
	if len(errs) != 3 {
		t.Fatalf("errors %v, want klingon, fr and es", errs)
	}
	want := map[string]int{"hc/lexicon/es.yaml": 3, "hc/lexicon/fr.yaml": 0, "hc/lexicon/klingon.yaml": 1}
	for _, err := range errs {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%v is not an *Error", err)
		}
		line, ok := want[e.File]
		if !ok || (line > 0 && e.Line != line) {
			t.Errorf("error %v: want one of %v with its line", err, want)
		}
	}
	if len(lx) != 2 || len(lx["en"]["moonpass"]) != 2 || lx["ko"]["moonpass"][0] != "문패스" || lx.Forms() != 4 {
		t.Fatalf("lexicon %v", lx)
	}
	if got, _ := Load(fsys, "hc/missing"); got != nil {
		t.Fatalf("a missing folder gave %v", got)
	}

	// Merged into the built-in lexicon: new forms and concepts added,
	// nothing lost, each form once, the inputs untouched.
	bi, _ := Builtin()
	before := len(bi["en"]["withdraw"])
	m := bi.Merge(lx).Merge(lx)
	if len(m["en"]["withdraw"]) != before+1 || len(m["en"]["moonpass"]) != 2 || len(bi["en"]["withdraw"]) != before ||
		bi["en"]["moonpass"] != nil || len(m["ru"]["withdraw"]) != len(bi["ru"]["withdraw"]) {
		t.Fatalf("merge: withdraw %d -> %d, moonpass %v", before, len(m["en"]["withdraw"]), m["en"]["moonpass"])
	}
}

func TestLexiconFingerprint(t *testing.T) {
	a := Lexicon{"en": {"x": {"a", "b"}, "y": {"c"}}, "fr": {"x": {"d"}}}
	b := Lexicon{"fr": {"x": {"d"}}, "en": {"y": {"c"}, "x": {"a", "b"}}}
	c := Lexicon{"en": {"x": {"a", "b"}, "y": {"c", "e"}}, "fr": {"x": {"d"}}}
	if a.Fingerprint() == "" || a.Fingerprint() != b.Fingerprint() || a.Fingerprint() == c.Fingerprint() {
		t.Fatalf("fingerprints %q %q %q", a.Fingerprint(), b.Fingerprint(), c.Fingerprint())
	}
	if Lexicon(nil).Fingerprint() != "" || (Lexicon{"en": {}}).Fingerprint() != "" {
		t.Fatal("an empty lexicon has a fingerprint")
	}
}
