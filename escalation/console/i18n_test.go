package console

import (
	"regexp"
	"testing"

	"github.com/supportbot/supportbot"
)

var verbs = regexp.MustCompile(`%[a-z]`)

// TestMessagesComplete: every language has every console string, with the
// same format verbs as English.
func TestMessagesComplete(t *testing.T) {
	for _, lang := range supportbot.Languages {
		m, ok := messages[lang]
		if !ok {
			t.Errorf("no console strings in %s", lang)
			continue
		}
		for k, en := range messages["en"] {
			s, ok := m[k]
			if !ok || s == "" {
				t.Errorf("%s lacks %q", lang, k)
				continue
			}
			if a, b := verbs.FindAllString(en, -1), verbs.FindAllString(s, -1); len(a) != len(b) {
				t.Errorf("%s %q has verbs %v, English %v", lang, k, b, a)
			}
		}
		for k := range m {
			if _, ok := messages["en"][k]; !ok {
				t.Errorf("%s has %q, which English lacks", lang, k)
			}
		}
	}
}
