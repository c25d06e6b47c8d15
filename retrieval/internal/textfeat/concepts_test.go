package textfeat

import (
	"slices"
	"testing"
)

func concepts(m *Matcher, text string) []string {
	var got []string
	m.Match(Tokenize(Fold(Normalize(text))), func(c string) { got = append(got, c) })
	slices.Sort(got)
	return slices.Compact(got)
}

func TestMatcher(t *testing.T) {
	m := NewMatcher(map[string][]string{
		"withdraw": {"withdraw*", "cash out", "提币", "출금*"},
		"card":     {"card", "debit card"},
		"phone":    {"téléphone"},
		"single":   {"币"}, // one CJK character: ignored
	})
	tests := []struct {
		in   string
		want []string
	}{
		{"How do I cash out?", []string{"withdraw"}},
		{"my withdrawals are slow", []string{"withdraw"}},
		{"cash", nil}, // half a form
		{"怎么提币到钱包", []string{"withdraw"}},              // inside a run of CJK
		{"提幣", []string{"withdraw"}},                   // Traditional folds to Simplified
		{"출금이 안 돼요", []string{"withdraw"}},             // a Korean particle after the stem
		{"lost my debit card", []string{"card"}},       // the shorter form inside the longer
		{"mon telephone est perdu", []string{"phone"}}, // accents folded on both sides
		{"币", nil},
		{"withdrawing withdraw", []string{"withdraw"}},
	}
	for _, tt := range tests {
		if got := concepts(m, tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMatcherOncePerPosition(t *testing.T) {
	m := NewMatcher(map[string][]string{"withdraw": {"withdraw*", "withdrawal*"}})
	n := 0
	m.Match(Tokenize("withdrawal withdrawal"), func(string) { n++ })
	if n != 2 {
		t.Fatalf("got %d matches, want one per occurrence (2)", n)
	}
}

// TestBuiltinConcepts checks the shipped lexicon through the matcher:
// everyday wording maps to the concept, in each language, and a word that
// is a concept in one language is not one in another that the query is in.
func TestBuiltinConcepts(t *testing.T) {
	tests := []struct {
		lang, in, concept string
	}{
		{"en", "how do I cash out my usdt", "withdraw"},
		{"en", "I got hacked", "hacked"},
		{"fr", "je n'ai pas reçu mon retrait", "withdraw"},
		{"es", "no me llega el código", "code"},
		{"pt", "esqueci minha senha", "password"},
		{"ru", "не приходит код", "code"},
		{"tr", "şifremi unuttum", "password"},
		{"vi", "quên mật khẩu", "password"},
		{"ko", "비밀번호를 잊어버렸어요", "password"},
		{"ja", "パスワードを忘れました", "password"},
		{"zh-Hans", "忘记密码了怎么办", "password"},
		{"zh-Hant", "忘記密碼怎麼辦", "password"},
		{"zh-Hant", "提幣一直在處理中", "withdraw"},
	}
	for _, tt := range tests {
		if got := concepts(Concepts(tt.lang), tt.in); !slices.Contains(got, tt.concept) {
			t.Errorf("%s %q: concepts %q, want %s among them", tt.lang, tt.in, got, tt.concept)
		}
	}
	if Concepts("xx") != Concepts("") {
		t.Error("an unknown language should get the matcher of all languages")
	}
}

func TestNormalizeTraditionalAndApostrophe(t *testing.T) {
	for in, want := range map[string]string{
		"帳號凍結":         "帐号冻结",
		"Can’t Log In": "can't log in",
		"忘记密码":         "忘记密码",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkConceptsMatch: 1.7 µs for a 17-word Russian question
// (go test ./retrieval/internal/textfeat -run X -bench Concepts).
func BenchmarkConceptsMatch(b *testing.B) {
	m := Concepts("ru")
	toks := Tokenize(Fold(Normalize("Здравствуйте, я не могу вывести деньги с аккаунта, вывод висит уже третий день, что делать?")))
	b.ReportAllocs()
	for b.Loop() {
		m.Match(toks, func(string) {})
	}
}
