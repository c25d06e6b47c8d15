package knowledge

import (
	"strings"
	"unicode/utf8"

	"github.com/supportbot/supportbot"
)

// Passage is a piece of an article that can answer a question on its own:
// the text under one heading, split further when it is long.
type Passage struct {
	ArticleKey string // Article.Key()
	Index      int    // position in the article, from 0
	Heading    string // the "## " heading the text is under; "" for the lead
	Text       string // Markdown
}

// MaxPassageRunes is the size above which a section is split at paragraph
// boundaries. About 120-250 words: long enough to answer, short enough to
// quote in a chat message.
const MaxPassageRunes = 1200

// Chunk splits an article's body into passages: the lead paragraph(s)
// before the first heading, then each section. Sections longer than
// MaxPassageRunes are split between paragraphs, keeping the heading.
func Chunk(a *supportbot.Article) []Passage {
	var out []Passage
	add := func(heading, text string) {
		text = strings.TrimSpace(text)
		if text == "" {
			return
		}
		for _, part := range splitParagraphs(text, MaxPassageRunes) {
			out = append(out, Passage{ArticleKey: a.Key(), Index: len(out), Heading: heading, Text: part})
		}
	}
	heading := ""
	var b strings.Builder
	inFence := false
	for _, line := range strings.Split(a.Body, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "```") {
			inFence = !inFence
		}
		if !inFence && isHeading(t) {
			add(heading, b.String())
			b.Reset()
			heading = strings.TrimSpace(strings.TrimLeft(t, "#"))
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	add(heading, b.String())
	if len(out) == 0 {
		out = append(out, Passage{ArticleKey: a.Key(), Heading: "", Text: a.Title})
	}
	return out
}

// isHeading matches "# x" to "###### x"; a title-level "# " heading is
// treated like the others.
func isHeading(t string) bool {
	n := 0
	for n < len(t) && t[n] == '#' {
		n++
	}
	return n >= 1 && n <= 6 && len(t) > n && t[n] == ' '
}

func splitParagraphs(text string, max int) []string {
	if utf8.RuneCountInString(text) <= max {
		return []string{text}
	}
	var out []string
	var cur strings.Builder
	for _, p := range strings.Split(text, "\n\n") {
		if cur.Len() > 0 && utf8.RuneCountInString(cur.String())+utf8.RuneCountInString(p) > max {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
		cur.WriteString(p)
		cur.WriteString("\n\n")
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
