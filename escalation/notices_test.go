package escalation

import (
	"regexp"
	"testing"

	"github.com/supportbot/supportbot"
)

// TestNoticesComplete: users get ticket notices in each of the 11
// languages, with the same format verbs in the same order as English.
func TestNoticesComplete(t *testing.T) {
	verbs := regexp.MustCompile(`%[a-z]`)
	for _, lang := range supportbot.Languages {
		for k, en := range notices["en"] {
			s, ok := notices[lang][k]
			if !ok || s == "" {
				t.Errorf("%s lacks %q", lang, k)
				continue
			}
			a, b := verbs.FindAllString(en, -1), verbs.FindAllString(s, -1)
			if len(a) != len(b) {
				t.Errorf("%s %q: verbs %v, English %v", lang, k, b, a)
				continue
			}
			for i := range a {
				if a[i] != b[i] {
					t.Errorf("%s %q: verbs %v, English %v", lang, k, b, a)
				}
			}
		}
	}
	if got := notice("xx", "status_changed", 7, StatusName("xx", supportbot.StatusSolved)); got != "Your ticket #7 is now: solved." {
		t.Errorf("fallback: %q", got)
	}
}
