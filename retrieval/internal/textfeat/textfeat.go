// Package textfeat turns text in any of supportbot's languages into the
// normalised tokens and hashed features that the local embedder and the
// learned ranker share. It is hand-written rather than built on bleve's
// analyzers because it must run per query in microseconds without
// allocating an analysis pipeline, must treat 11 languages with one code
// path (the query's language is not always known), and must produce
// features that are stable across releases: they are hashed into stored
// models and vectors.
package textfeat

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in NFKC form (full-width Latin and half-width kana
// become their usual forms), lower-cased, with Traditional Chinese
// characters written in their Simplified form.
//
// The Traditional-to-Simplified step lets a question in one script find an
// article's example questions in the other (the demo help center has every
// article in zh-Hans, only the most asked in zh-Hant); Japanese kanji that
// have a simplified form are folded the same way on both sides, so they
// still match each other, and now also Chinese text about the same thing.
func Normalize(s string) string {
	s = norm.NFKC.String(s)
	s = strings.ToLower(s)
	// Phone keyboards type "can’t" with a typographic apostrophe.
	s = strings.ReplaceAll(s, "’", "'")
	if hasHan(s) {
		if cc := t2s(); cc != nil {
			if out, err := cc.Convert(s); err == nil {
				s = out
			}
		}
	}
	return s
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x3400 && unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// t2s returns OpenCC's Traditional-to-Simplified converter (phrase and
// character tables), or nil if it cannot load, in which case text is left
// as it is.
var t2s = sync.OnceValue(func() *opencc.OpenCC {
	cc, err := opencc.New("t2s")
	if err != nil {
		return nil
	}
	return cc
})

// Fold removes diacritics from Latin, Cyrillic and Greek letters ("é" ->
// "e", "ı" -> "i", "ё" -> "е", "đ" -> "d") so that users who type without
// accents, as many Vietnamese, French and Turkish users do on phones, still
// match. CJK text is returned unchanged: NFD would split Hangul syllables
// into jamo, which is not what a Korean reader would call an accent.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf || IsCJK(r) {
			b.WriteRune(r)
			continue
		}
		switch r {
		case 'ı':
			b.WriteByte('i')
			continue
		case 'đ':
			b.WriteByte('d')
			continue
		case 'ß':
			b.WriteString("ss")
			continue
		case 'ø':
			b.WriteByte('o')
			continue
		case 'œ':
			b.WriteString("oe")
			continue
		case 'æ':
			b.WriteString("ae")
			continue
		}
		d := norm.NFD.String(string(r))
		for _, c := range d {
			if !unicode.Is(unicode.Mn, c) {
				b.WriteRune(c)
			}
		}
	}
	return b.String()
}

// IsCJK reports whether r is written without spaces between words: Han,
// Hiragana, Katakana. Hangul is not included: Korean separates words with
// spaces, so it is tokenised like Latin text (and gets char n-grams for
// its suffixes).
func IsCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || r == 'ー'
}

// Token is one unit of text: a word, or one CJK character.
type Token struct {
	Text string
	CJK  bool // a single Han or kana character
}

// Tokenize splits normalised text into words (runs of letters, digits and
// inner apostrophes) and single CJK characters. Punctuation is dropped.
func Tokenize(s string) []Token {
	var out []Token
	start := -1
	flush := func(end int) {
		if start >= 0 {
			w := strings.Trim(s[start:end], "'’")
			if w != "" {
				out = append(out, Token{Text: w})
			}
			start = -1
		}
	}
	for i, r := range s {
		switch {
		case IsCJK(r):
			flush(i)
			out = append(out, Token{Text: s[i : i+utf8.RuneLen(r)], CJK: true})
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			if start < 0 {
				start = i
			}
		case (r == '\'' || r == '’') && start >= 0:
			// keep "don't" and "l'argent" as one token; trimmed at the ends
		default:
			flush(i)
		}
	}
	flush(len(s))
	return out
}
