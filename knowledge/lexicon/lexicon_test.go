package lexicon

import (
	"errors"
	"strings"
	"testing"
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
