package webchat

import (
	"bytes"
	"html"
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// renderer turns Markdown into HTML that is safe to insert in a page.
// Rendering happens on the server (goldmark, CommonMark + GFM) and the
// result always passes bluemonday, so neither an article author, an LLM
// nor a prompt injection can put a script, a handler attribute or a
// javascript: link into a page. Raw HTML in the Markdown is dropped by
// goldmark already; bluemonday is the second wall.
type renderer struct {
	md goldmark.Markdown
	// chat is for replies shown in the widget: no images (an LLM could be
	// talked into embedding a tracking pixel) and every link opens in a
	// new tab with rel="noopener noreferrer".
	chat *bluemonday.Policy
	// article is for help-center pages: images allowed, headings keep
	// their ids for anchors.
	article *bluemonday.Policy
	// snippet allows only <mark>, for search-result snippets.
	snippet *bluemonday.Policy
}

func newRenderer() *renderer {
	chat := bluemonday.UGCPolicy()
	chat.RequireNoFollowOnLinks(false)
	chat.RequireNoReferrerOnLinks(true)
	chat.AddTargetBlankToFullyQualifiedLinks(true)
	chat.AllowURLSchemes("http", "https", "mailto")
	chat.AllowElements("del")

	article := bluemonday.UGCPolicy()
	article.RequireNoFollowOnLinks(false)
	article.RequireNoReferrerOnFullyQualifiedLinks(true)
	article.AddTargetBlankToFullyQualifiedLinks(true)
	article.AllowURLSchemes("http", "https", "mailto")
	article.AllowAttrs("id").Matching(regexp.MustCompile(`^[\pL\pN_-]{1,128}$`)).OnElements("h1", "h2", "h3", "h4", "h5", "h6")
	article.AllowElements("del")

	snippet := bluemonday.NewPolicy()
	snippet.AllowElements("mark")

	return &renderer{
		md: goldmark.New(
			goldmark.WithExtensions(extension.GFM),
			goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		),
		chat:    chat,
		article: article,
		snippet: snippet,
	}
}

// Chat renders a chat reply. Relative links (an article path such as
// /en/articles/x) are resolved against base, because the widget runs on
// other sites where a relative link would point at the wrong host; all
// links then are absolute and open in a new tab. Images become links.
func (r *renderer) Chat(src, base string) string {
	var b *url.URL
	if base != "" {
		b, _ = url.Parse(base)
	}
	source := []byte(src)
	doc := r.md.Parser().Parse(text.NewReader(source))
	var images []*ast.Image
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			n.Destination = resolveLink(b, n.Destination)
		case *ast.AutoLink:
			// Autolinks render their own URL; nothing to resolve.
		case *ast.Image:
			images = append(images, n)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		link := ast.NewLink()
		link.Destination = resolveLink(b, img.Destination)
		link.Title = img.Title
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			link.AppendChild(link, c)
			c = next
		}
		img.Parent().ReplaceChild(img.Parent(), img, link)
	}
	var buf bytes.Buffer
	if err := r.md.Renderer().Render(&buf, source, doc); err != nil {
		return r.chat.Sanitize(html.EscapeString(src))
	}
	return strings.TrimSpace(r.chat.Sanitize(buf.String()))
}

// Article renders a help-center article body.
func (r *renderer) Article(src string) string {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return r.article.Sanitize(html.EscapeString(src))
	}
	return r.article.Sanitize(buf.String())
}

// Snippet cleans a search snippet (escaped text with <mark> highlights)
// so that only the highlights survive as markup, and drops the Markdown
// syntax a snippet cut from an article body carries (**bold**, "## ",
// link targets, table rules), which reads as noise on a results page.
func (r *renderer) Snippet(s string) string { return r.snippet.Sanitize(tidySnippet(s)) }

var (
	snippetLink  = regexp.MustCompile(`\]\([^)\s]*\)`)           // "](target)" of [text](target)
	snippetRule  = regexp.MustCompile(`\|?(\s*:?-{3,}:?\s*\|)+`) // table rules |---|---|
	snippetMarks = strings.NewReplacer("**", "", "__", "", "`", "", "[", "", "|", " ")
	snippetHead  = regexp.MustCompile(`(^|\s)#{1,6}\s`) // "## Heading"
	snippetSpace = regexp.MustCompile(`\s{2,}`)
)

func tidySnippet(s string) string {
	s = snippetLink.ReplaceAllString(s, "")
	s = snippetRule.ReplaceAllString(s, " ")
	s = snippetHead.ReplaceAllString(s, "$1")
	s = snippetMarks.Replace(s)
	return strings.TrimSpace(snippetSpace.ReplaceAllString(s, " "))
}

// resolveLink makes a link destination absolute against base.
func resolveLink(base *url.URL, dest []byte) []byte {
	if base == nil || len(dest) == 0 {
		return dest
	}
	u, err := url.Parse(string(dest))
	if err != nil || u.IsAbs() || strings.HasPrefix(string(dest), "#") {
		return dest
	}
	return []byte(base.ResolveReference(u).String())
}
