package webchat

import (
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/supportbot/supportbot"
)

// KeywordSearch is a plain keyword search over articles with highlighted
// snippets, for libraries that have no search of their own. Words are
// matched case-insensitively as substrings; text in scripts written
// without spaces (Chinese, Japanese) is matched by runs of characters.
// A title match counts three times a body match. Results in lang come
// first; others follow when lang has too few.
func KeywordSearch(arts []*supportbot.Article, query, lang string, limit int) []SearchHit {
	terms := searchTerms(query)
	if len(terms) == 0 {
		return nil
	}
	type scoredHit struct {
		a     *supportbot.Article
		score int
		other bool
	}
	var hits []scoredHit
	for _, a := range arts {
		title, body := strings.ToLower(a.Title), strings.ToLower(a.Body)
		qs := strings.ToLower(strings.Join(a.Questions, " "))
		score, matched := 0, 0
		for _, t := range terms {
			n := 3*strings.Count(title, t) + strings.Count(body, t) + strings.Count(qs, t)
			if n > 0 {
				matched++
				score += n
			}
		}
		if matched == 0 {
			continue
		}
		score += 10 * matched // documents matching more of the words rank first
		hits = append(hits, scoredHit{a: a, score: score, other: a.Lang != lang})
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].other != hits[j].other {
			return !hits[i].other
		}
		return hits[i].score > hits[j].score
	})
	var out []SearchHit
	seen := map[string]bool{}
	for _, h := range hits {
		if seen[h.a.ID] || len(out) >= limit {
			continue // one language version of each article
		}
		seen[h.a.ID] = true
		// Snippets only for what is shown: they are the costly part.
		out = append(out, SearchHit{ArticleID: h.a.ID, Lang: h.a.Lang, Title: h.a.Title, Category: h.a.Category,
			Snippet: Snippet(plainText(h.a.Body), terms, 220)})
	}
	return out
}

// searchTerms splits a query into lowercase terms of at least two runes.
func searchTerms(q string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, f := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	}) {
		switch rs := []rune(f); {
		case isCJK(f) && len(rs) > 2:
			// No spaces between words: overlapping character pairs find
			// the words without a dictionary.
			for i := 0; i+1 < len(rs); i++ {
				add(string(rs[i : i+2]))
			}
		case len(rs) >= 2 || isCJK(f):
			add(f)
		}
	}
	return out
}

func isCJK(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			return true
		}
	}
	return false
}

// Snippet returns about width runes of text around the first term found,
// HTML-escaped, with every term occurrence wrapped in <mark>.
func Snippet(text string, terms []string, width int) string {
	runes := []rune(text)
	lower := []rune(strings.ToLower(text))
	if len(lower) != len(runes) { // case folding changed lengths: match on the original
		lower = runes
	}
	ls := string(lower)
	first := -1
	for _, t := range terms {
		if i := strings.Index(ls, t); i >= 0 {
			if ri := utf8.RuneCountInString(ls[:i]); first < 0 || ri < first {
				first = ri
			}
		}
	}
	start := 0
	if first > width/3 {
		start = first - width/3
	}
	end := start + width
	if end > len(runes) {
		end = len(runes)
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	window, wl := runes[start:end], lower[start:end]
	tr := make([][]rune, len(terms))
	for i, t := range terms {
		tr[i] = []rune(t)
	}
	for i := 0; i < len(window); {
		matched := 0
		for _, t := range tr {
			if len(t) > matched && i+len(t) <= len(wl) && runesEqual(wl[i:i+len(t)], t) {
				matched = len(t)
			}
		}
		if matched > 0 {
			b.WriteString("<mark>" + html.EscapeString(string(window[i:i+matched])) + "</mark>")
			i += matched
			continue
		}
		b.WriteString(html.EscapeString(string(window[i])))
		i++
	}
	if end < len(runes) {
		b.WriteString("…")
	}
	return b.String()
}

// plainText strips the Markdown syntax that would look odd in a snippet.
func plainText(md string) string {
	r := strings.NewReplacer("**", "", "__", "", "`", "", "#", "", "> ", "", "|", " ")
	s := r.Replace(md)
	return strings.Join(strings.Fields(s), " ")
}

func runesEqual(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
