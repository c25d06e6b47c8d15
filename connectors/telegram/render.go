package telegram

import (
	"bufio"
	"bytes"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// Replies are Markdown; Telegram shows a small HTML subset (parse_mode
// HTML: b, i, s, code, pre, a, blockquote; no lists, no headings, no
// paragraphs). render turns the Markdown AST (goldmark, so the Markdown is
// read exactly as web chat reads it) into tokens of that subset, and split
// packs them into messages of at most maxMessageLen characters, cutting
// between paragraphs or list items where it can and closing and reopening
// tags where it must, so no part has a broken tag or entity.

// maxMessageLen is Telegram's limit on a message's text after entity
// parsing, counted here in UTF-16 code units as Telegram counts offsets
// (at least the number of characters, so never too many).
const maxMessageLen = 4096

type tokKind uint8

const (
	tokText  tokKind = iota // plain text, escaped when written
	tokOpen                 // an opening tag
	tokClose                // a closing tag
)

// tok is one piece of rendered output.
type tok struct {
	kind tokKind
	text string // tokText: the visible text
	tag  string // tokOpen, tokClose: the element
	attr string // tokOpen: attributes, already escaped, with a leading space
}

func (t tok) html() string {
	switch t.kind {
	case tokOpen:
		return "<" + t.tag + t.attr + ">"
	case tokClose:
		return "</" + t.tag + ">"
	}
	return escapeHTML(t.text)
}

// block is a unit that split keeps whole when it can: a paragraph, a list
// item, a code block. sep is the text that separates it from the block
// before, dropped at the start of a message.
type block struct {
	sep  string
	toks []tok
}

// escapeHTML escapes the three characters Telegram's HTML parser needs
// escaped, and the quote for attribute values.
func escapeHTML(s string) string {
	return htmlEscaper.Replace(s)
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

var md = goldmark.New(goldmark.WithExtensions(extension.Strikethrough, extension.Linkify))

// render parses Markdown and returns its blocks. base resolves relative
// links; without it they are shown as text with the link in brackets.
func render(markdown string, base *url.URL) []block {
	src := []byte(markdown)
	doc := md.Parser().Parse(text.NewReader(src))
	r := &renderer{src: src, base: base}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if l, ok := n.(*ast.List); ok {
			// Each item of a top-level list is its own block, so long
			// lists are split between items.
			i := 0
			for it := l.FirstChild(); it != nil; it = it.NextSibling() {
				sep := "\n"
				if i == 0 {
					sep = "\n\n"
				}
				r.toks = nil
				r.listItem(l, it, i, 0)
				r.blocks = append(r.blocks, block{sep: sep, toks: r.toks})
				i++
			}
			continue
		}
		r.toks = nil
		r.block(n, 0)
		if len(r.toks) > 0 {
			r.blocks = append(r.blocks, block{sep: "\n\n", toks: r.toks})
		}
	}
	return r.blocks
}

type renderer struct {
	src    []byte
	base   *url.URL
	toks   []tok
	blocks []block
	buf    bytes.Buffer // plain's scratch space
	w      *bufio.Writer
}

func (r *renderer) text(s string) {
	s = strings.Map(dropControl, s)
	if s == "" {
		return
	}
	if n := len(r.toks); n > 0 && r.toks[n-1].kind == tokText {
		r.toks[n-1].text += s
		return
	}
	r.toks = append(r.toks, tok{kind: tokText, text: s})
}

func (r *renderer) open(tag, attr string) {
	r.toks = append(r.toks, tok{kind: tokOpen, tag: tag, attr: attr})
}
func (r *renderer) close(tag string) { r.toks = append(r.toks, tok{kind: tokClose, tag: tag}) }

// dropControl removes control characters (other than line breaks and
// tabs) and non-characters: invisible, and some clients choke on them.
func dropControl(r rune) rune {
	if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7F || r == 0xFFFE || r == 0xFFFF || r == utf8.RuneError {
		return -1
	}
	return r
}

// block renders a block node; depth is the list nesting, for indents.
func (r *renderer) block(n ast.Node, depth int) {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		r.inlines(n)
	case *ast.Heading:
		r.open("b", "")
		r.inlines(n)
		r.close("b")
	case *ast.ThematicBreak:
		r.text("――――――")
	case *ast.FencedCodeBlock:
		lang := safeLang.FindString(strings.ToLower(string(n.Language(r.src))))
		r.open("pre", "")
		if lang != "" {
			r.open("code", ` class="language-`+lang+`"`)
		}
		r.text(strings.TrimRight(r.lines(n), "\n"))
		if lang != "" {
			r.close("code")
		}
		r.close("pre")
	case *ast.CodeBlock:
		r.open("pre", "")
		r.text(strings.TrimRight(r.lines(n), "\n"))
		r.close("pre")
	case *ast.HTMLBlock:
		// Raw HTML is shown as the text it is, never interpreted.
		r.text(strings.TrimRight(r.lines(n), "\n"))
	case *ast.Blockquote:
		r.open("blockquote", "")
		r.children(n, depth, "\n")
		r.close("blockquote")
	case *ast.List:
		i := 0
		for it := n.FirstChild(); it != nil; it = it.NextSibling() {
			if i > 0 {
				r.text("\n")
			}
			r.listItem(n, it, i, depth)
			i++
		}
	default:
		r.children(n, depth, "\n\n")
	}
}

// children renders a container's blocks, separated by sep.
func (r *renderer) children(n ast.Node, depth int, sep string) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c != n.FirstChild() {
			r.text(sep)
		}
		r.block(c, depth)
	}
}

// listItem renders "• item" or "3. item", indented by depth; nested
// lists go on the following lines, indented one more step.
func (r *renderer) listItem(l *ast.List, it ast.Node, i, depth int) {
	r.text(strings.Repeat("    ", depth))
	if l.IsOrdered() {
		r.text(strconv.Itoa(l.Start+i) + ". ")
	} else {
		r.text("• ")
	}
	for c := it.FirstChild(); c != nil; c = c.NextSibling() {
		if c != it.FirstChild() {
			r.text("\n")
		}
		if _, nested := c.(*ast.List); nested {
			r.block(c, depth+1)
			continue
		}
		r.block(c, depth)
	}
}

func (r *renderer) lines(n ast.Node) string {
	var b strings.Builder
	ls := n.Lines()
	for i := 0; i < ls.Len(); i++ {
		seg := ls.At(i)
		b.Write(seg.Value(r.src))
	}
	return b.String()
}

var safeLang = regexp.MustCompile(`^[a-z0-9_+#-]{1,20}`)

func (r *renderer) inlines(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.inline(c)
	}
}

func (r *renderer) inline(n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		r.text(r.plain(n.Segment.Value(r.src)))
		switch {
		case n.HardLineBreak():
			r.text("\n")
		case n.SoftLineBreak():
			r.text(" ")
		}
	case *ast.String:
		if n.IsCode() || n.IsRaw() {
			r.text(string(n.Value))
		} else {
			r.text(r.plain(n.Value))
		}
	case *ast.CodeSpan:
		r.open("code", "")
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch t := c.(type) {
			case *ast.Text:
				r.text(string(t.Segment.Value(r.src)))
			case *ast.String:
				r.text(string(t.Value))
			}
		}
		r.close("code")
	case *ast.Emphasis:
		tag := "i"
		if n.Level >= 2 {
			tag = "b"
		}
		r.open(tag, "")
		r.inlines(n)
		r.close(tag)
	case *east.Strikethrough:
		r.open("s", "")
		r.inlines(n)
		r.close("s")
	case *ast.Link:
		r.link(string(n.Destination), func() { r.inlines(n) })
	case *ast.AutoLink:
		u := string(n.URL(r.src))
		label := string(n.Label(r.src))
		if n.AutoLinkType == ast.AutoLinkEmail {
			r.text(label)
			return
		}
		r.link(u, func() { r.text(label) })
	case *ast.Image:
		r.link(string(n.Destination), func() {
			if n.ChildCount() == 0 {
				r.text(string(n.Destination))
			}
			r.inlines(n)
		})
	case *ast.RawHTML:
		// Shown as text: what the user or the model wrote is never markup.
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			r.text(string(seg.Value(r.src)))
		}
	default:
		r.inlines(n)
	}
}

// link renders an <a> for an absolute http(s), tg or mailto URL
// (relative ones resolved against the base), and otherwise the label
// with the target in brackets, so nothing is lost and nothing unsafe is
// made clickable.
func (r *renderer) link(dest string, label func()) {
	href := r.resolve(dest)
	if href == "" {
		label()
		if dest != "" {
			r.text(" (" + dest + ")")
		}
		return
	}
	r.open("a", ` href="`+escapeHTML(href)+`"`)
	label()
	r.close("a")
}

func (r *renderer) resolve(dest string) string {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil || dest == "" {
		return ""
	}
	if !u.IsAbs() {
		if r.base == nil || strings.HasPrefix(dest, "//") {
			return ""
		}
		u = r.base.ResolveReference(u)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "tg", "mailto":
		if u.Scheme != "mailto" && u.Scheme != "tg" && u.Host == "" {
			return ""
		}
		return u.String()
	}
	return ""
}

// plain resolves backslash escapes and entity references the way
// goldmark's HTML renderer does, and returns the visible text.
func (r *renderer) plain(v []byte) string {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return string(v) // nothing to resolve: most text
	}
	if r.w == nil {
		r.w = bufio.NewWriter(&r.buf)
	}
	r.buf.Reset()
	ghtml.DefaultWriter.Write(r.w, v)
	r.w.Flush()
	return html.UnescapeString(r.buf.String())
}

// part is one outgoing message: its HTML, and the same as plain text for
// when Telegram refuses the HTML.
type part struct {
	HTML  string
	Plain string
}

// split packs blocks into messages of at most limit visible characters.
func split(blocks []block, limit int) []part {
	var parts []part
	var cur, plain strings.Builder
	n := 0
	flush := func() {
		if n > 0 && strings.TrimSpace(plain.String()) != "" {
			parts = append(parts, part{HTML: cur.String(), Plain: plain.String()})
		}
		cur.Reset()
		plain.Reset()
		n = 0
	}
	for _, b := range blocks {
		bl := visibleLen(b.toks)
		sep := b.sep
		if n == 0 {
			sep = ""
		}
		if n+utf16Len(sep)+bl <= limit {
			cur.WriteString(escapeHTML(sep))
			plain.WriteString(sep)
			writeToks(&cur, &plain, b.toks)
			n += utf16Len(sep) + bl
			continue
		}
		flush()
		if bl <= limit {
			writeToks(&cur, &plain, b.toks)
			n = bl
			continue
		}
		chunks := splitBlock(b.toks, limit)
		for _, c := range chunks[:len(chunks)-1] {
			parts = append(parts, c)
		}
		last := chunks[len(chunks)-1]
		cur.WriteString(last.HTML)
		plain.WriteString(last.Plain)
		n = utf16Len(last.Plain)
	}
	flush()
	return parts
}

func writeToks(h, p *strings.Builder, toks []tok) {
	for _, t := range toks {
		h.WriteString(t.html())
		if t.kind == tokText {
			p.WriteString(t.text)
		}
	}
}

func visibleLen(toks []tok) int {
	n := 0
	for _, t := range toks {
		if t.kind == tokText {
			n += utf16Len(t.text)
		}
	}
	return n
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// splitBlock cuts one block that is longer than limit, inside its text,
// closing the open tags at each cut and reopening them after it.
func splitBlock(toks []tok, limit int) []part {
	var out []part
	var stack []tok
	var h, p strings.Builder
	n := 0
	cut := func() {
		if n > 0 {
			for i := len(stack) - 1; i >= 0; i-- {
				h.WriteString("</" + stack[i].tag + ">")
			}
			out = append(out, part{HTML: h.String(), Plain: p.String()})
		}
		h.Reset()
		p.Reset()
		n = 0
		for _, t := range stack {
			h.WriteString(t.html())
		}
	}
	for _, t := range toks {
		switch t.kind {
		case tokOpen:
			h.WriteString(t.html())
			stack = append(stack, t)
		case tokClose:
			h.WriteString(t.html())
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case tokText:
			s := t.text
			for s != "" {
				room := limit - n
				if l := utf16Len(s); l <= room {
					h.WriteString(escapeHTML(s))
					p.WriteString(s)
					n += l
					break
				}
				i := cutPoint(s, room)
				if i == 0 {
					if n == 0 { // not even one character fits: cannot happen for limit >= 2
						i = len(string([]rune(s)[:1]))
					} else {
						cut()
						continue
					}
				}
				h.WriteString(escapeHTML(s[:i]))
				p.WriteString(s[:i])
				n += utf16Len(s[:i])
				s = s[i:]
				cut()
			}
		}
	}
	if n > 0 || len(out) == 0 {
		out = append(out, part{HTML: h.String(), Plain: p.String()})
	}
	return out
}

// cutPoint returns where to cut s so that s[:i] has at most room
// characters: after the last line break, else after the last space or
// sentence-ending punctuation, in the second half of what fits; else at
// the last whole character that fits.
func cutPoint(s string, room int) int {
	end, n := 0, 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > room {
			break
		}
		n += w
		end = i + utf8.RuneLen(r)
	}
	if end == 0 {
		return 0
	}
	head := s[:end]
	if i := strings.LastIndexByte(head, '\n'); i >= end/2 {
		return i + 1
	}
	best := -1
	for i, r := range head {
		if unicode.IsSpace(r) || strings.ContainsRune("。！？；，、.!?;", r) {
			best = i + utf8.RuneLen(r)
		}
	}
	if best >= end/2 {
		return best
	}
	return end
}
