package discord

import (
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxMessageLen is Discord's limit on a message's content. Discord counts
// in UTF-16 code units (it is a JavaScript string length), so characters
// outside the Basic Multilingual Plane (most emoji) count twice.
const MaxMessageLen = 2000

// textLen is the length of s as Discord counts it.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// fits reports whether textLen(s) <= n, reading no more of s than it
// must.
func fits(s string, n int) bool {
	if len(s) <= n { // UTF-8 never takes fewer bytes than UTF-16 units
		return true
	}
	used := 0
	for _, r := range s {
		if used += utf16.RuneLen(r); used > n {
			return false
		}
	}
	return true
}

// span is a byte range of a message that must not be cut: a link, a code
// span, a mention. A fenced code block is a span too, but one too long to
// fit a message may be cut between its lines, closing the fence at the end
// of one part and opening it again at the start of the next.
type span struct {
	start, end int // text[start:end]
	fence      string
	open       string // the opening fence line, with the info string
}

// splitMessage cuts text into parts of at most limit (in Discord's
// count), preferring paragraph breaks, then line breaks, then the ends of
// sentences, then spaces, and never cutting inside a Markdown link, an
// inline code span, a URL, a Discord mention or emoji, or a code block's
// line. Whitespace at the cuts is dropped. Only a single unbreakable run
// longer than limit (a 2,000-character URL) is cut where it must be.
func splitMessage(text string, limit int) []string {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	if fits(text, limit) {
		return []string{text}
	}
	spans := protectedSpans(text)
	// Leave room to close a code fence that a cut might fall into.
	reserve := 0
	for _, s := range spans {
		if s.fence != "" && len(s.fence)+1 > reserve {
			reserve = len(s.fence) + 1
		}
	}
	var parts []string
	open := "" // a code fence reopened at the start of the next part
	p := 0
	for p < len(text) {
		budget := limit - textLen(open)
		rest := text[p:]
		if fits(rest, budget) {
			parts = append(parts, open+rest)
			break
		}
		q := p + prefixBytes(rest, budget-reserve)
		cut, in := bestCut(text, p, q, spans)
		chunk, next := text[p:cut], ""
		if in != nil {
			chunk = strings.TrimRight(chunk, "\n") + "\n" + in.fence
			next = in.open + "\n"
		} else {
			chunk = strings.TrimRightFunc(chunk, isSpace)
		}
		if strings.TrimSpace(chunk) != "" {
			parts = append(parts, open+chunk)
		}
		open = next
		p = cut
		if in == nil {
			for p < len(text) {
				r, n := utf8.DecodeRuneInString(text[p:])
				if !isSpace(r) {
					break
				}
				p += n
			}
		}
	}
	return parts
}

func isSpace(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == '\r' }

// prefixBytes returns the length in bytes of the longest prefix of s
// whose Discord length is at most n.
func prefixBytes(s string, n int) int {
	if n < 1 {
		n = 1
	}
	used := 0
	for i, r := range s {
		used += utf16.RuneLen(r)
		if used > n {
			if i == 0 {
				return len(string(r)) // always make progress
			}
			return i
		}
	}
	return len(s)
}

// bestCut chooses where to end the part that starts at p and may extend
// to q (q < len(text)). It returns the cut, and the fenced code block the
// cut falls into, if any.
func bestCut(text string, p, q int, spans []span) (int, *span) {
	bestAt, bestRank := -1, -1
	var bestIn *span
	half := p + (q-p)/2
	for i := q; i > p; i-- {
		if !utf8.RuneStart(text[i]) {
			continue
		}
		ok, in := allowedCut(i, spans)
		if !ok {
			continue
		}
		r := cutRank(text, i)
		if in != nil {
			if text[i-1] != '\n' {
				continue // inside a code block, only between lines
			}
			r = 2
		}
		if r > bestRank {
			bestAt, bestRank, bestIn = i, r, in
		}
		// A good break in the second half of the window is good enough:
		// parts stay long, and there are few of them.
		if i < half && bestRank >= 1 {
			break
		}
		if bestRank == 4 {
			break
		}
	}
	if bestAt < 0 {
		return q, nil // one unbreakable run longer than a part
	}
	return bestAt, bestIn
}

// cutRank scores a cut before text[i]: 4 between paragraphs, 3 between
// lines, 2 after a sentence, 1 at a space, 0 elsewhere.
func cutRank(text string, i int) int {
	switch {
	case strings.HasSuffix(text[:i], "\n\n"):
		return 4
	case text[i-1] == '\n':
		return 3
	case text[i-1] == ' ' || text[i-1] == '\t':
		j := strings.TrimRight(text[:i], " \t")
		if strings.HasSuffix(j, ".") || strings.HasSuffix(j, "!") || strings.HasSuffix(j, "?") {
			return 2
		}
		return 1
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	switch r {
	case '。', '！', '？', '．':
		return 2
	case '，', '、', '；':
		return 1
	}
	return 0
}

// allowedCut reports whether text may be cut before byte i, and the code
// block that a permitted cut falls into. Spans are in order and do not
// overlap, so only the last one starting before i can contain it.
func allowedCut(i int, spans []span) (bool, *span) {
	k := sort.Search(len(spans), func(k int) bool { return spans[k].start >= i }) - 1
	if k < 0 || i >= spans[k].end {
		return true, nil
	}
	if s := &spans[k]; s.fence != "" {
		return true, s
	}
	return false, nil
}

// protectedSpans finds the ranges that must not be cut, in order.
func protectedSpans(text string) []span {
	var spans []span
	i := 0
	lineStart := true
	for i < len(text) {
		c := text[i]
		if lineStart {
			if s, ok := fenceAt(text, i); ok {
				spans = append(spans, s)
				i = s.end
				lineStart = true
				continue
			}
		}
		lineStart = false
		switch {
		case c == '\n':
			lineStart = true
			i++
			continue
		case c == '`':
			n := runLen(text, i, '`')
			if end := closingRun(text, i+n, n); end > 0 {
				spans = append(spans, span{start: i, end: end})
				i = end
				continue
			}
			i += n
			continue
		case c == '[':
			if end := linkEnd(text, i); end > 0 {
				spans = append(spans, span{start: i, end: end})
				i = end
				continue
			}
		case c == '<':
			if end := strings.IndexByte(text[i:], '>'); end > 1 && end < 300 &&
				!strings.ContainsAny(text[i:i+end], " \n\t<") {
				spans = append(spans, span{start: i, end: i + end + 1})
				i += end + 1
				continue
			}
		case c == 'h' && (strings.HasPrefix(text[i:], "https://") || strings.HasPrefix(text[i:], "http://")):
			end := i
			for end < len(text) && !isSpace(rune(text[end])) {
				end++
			}
			spans = append(spans, span{start: i, end: end})
			i = end
			continue
		}
		i++
	}
	return spans
}

// fenceAt recognizes a fenced code block opening at text[i] (a line of
// ``` or ~~~, with up to three spaces before it) and returns its span, up
// to and including its closing fence, or to the end of the text.
func fenceAt(text string, i int) (span, bool) {
	j := i
	for j < len(text) && j-i < 3 && text[j] == ' ' {
		j++
	}
	if j >= len(text) || (text[j] != '`' && text[j] != '~') {
		return span{}, false
	}
	ch := text[j]
	n := runLen(text, j, ch)
	if n < 3 {
		return span{}, false
	}
	eol := strings.IndexByte(text[j:], '\n')
	if eol < 0 {
		eol = len(text) - j
	}
	info := text[j+n : j+eol]
	if ch == '`' && strings.Contains(info, "`") {
		return span{}, false
	}
	s := span{start: i, fence: strings.Repeat(string(ch), n), open: strings.TrimRight(text[j:j+eol], " \r")}
	k := j + eol
	for k < len(text) {
		k++ // past '\n'
		lineEnd := strings.IndexByte(text[k:], '\n')
		if lineEnd < 0 {
			lineEnd = len(text) - k
		}
		line := strings.TrimLeft(text[k:k+lineEnd], " ")
		if strings.HasPrefix(line, s.fence) && strings.TrimRight(strings.TrimLeft(line, string(ch)), " \r") == "" {
			s.end = k + lineEnd
			return s, true
		}
		k += lineEnd
	}
	s.end = len(text)
	return s, true
}

func runLen(text string, i int, c byte) int {
	n := 0
	for i+n < len(text) && text[i+n] == c {
		n++
	}
	return n
}

// closingRun finds the end of the next run of exactly n backticks at or
// after i, which closes an inline code span; 0 if there is none.
func closingRun(text string, i, n int) int {
	for i < len(text) {
		k := strings.IndexByte(text[i:], '`')
		if k < 0 {
			return 0
		}
		k += i
		m := runLen(text, k, '`')
		if m == n {
			return k + m
		}
		i = k + m
	}
	return 0
}

// linkEnd returns the end of a Markdown link [text](target) that starts at
// text[i] == '[', or 0 if there is none.
func linkEnd(text string, i int) int {
	depth := 0
	j := i
	for ; j < len(text); j++ {
		switch text[j] {
		case '\\':
			j++
			continue
		case '[':
			depth++
		case ']':
			depth--
		case '\n':
			if j+1 < len(text) && text[j+1] == '\n' {
				return 0 // links do not span paragraphs
			}
		}
		if depth == 0 {
			break
		}
	}
	if j+1 >= len(text) || text[j] != ']' || text[j+1] != '(' {
		return 0
	}
	depth = 0
	for k := j + 1; k < len(text); k++ {
		switch text[k] {
		case '\\':
			k++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return k + 1
			}
		case '\n', ' ':
			if text[k] == '\n' {
				return 0
			}
		}
	}
	return 0
}
