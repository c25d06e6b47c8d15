package textfeat

import (
	"slices"
	"testing"
	"unicode/utf8"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"OK", "don't reset my password!", []string{"don't", "reset", "my", "password"}},
		{"CJK", "忘记密码了", []string{"忘", "记", "密", "码", "了"}},
		{"Mixed", "2FA丢了", []string{"2fa", "丢", "了"}},
		{"Korean", "비밀번호를 잊었어요", []string{"비밀번호를", "잊었어요"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tok := range Tokenize(Normalize(tt.in)) {
				got = append(got, tok.Text)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"vérifier": "verifier", "tiền": "tien", "đổi": "doi", "ışık": "isik", "ёлка": "елка", "忘记": "忘记",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzFeatures(f *testing.F) {
	for _, s := range []string{"", "Reset my password", "忘记密码", "l'été", "\xff\xfe", "a  b\t\nc", "提幣\xff處理", "how do I cash out"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var a, b []uint64
		o := Options{Stem: Stemmer("en"), UseConcepts: true, Concepts: Concepts("").Match}
		Features(s, o, func(h uint64, _ Block) { a = append(a, h) })
		Features(s, o, func(h uint64, _ Block) { b = append(b, h) })
		if !slices.Equal(a, b) {
			t.Fatal("not deterministic")
		}
		if utf8.ValidString(s) && len(Tokenize(Fold(Normalize(s)))) > 0 && len(a) == 0 {
			t.Fatal("tokens but no features")
		}
	})
}
