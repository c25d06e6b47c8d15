package telegram

import (
	"encoding/xml"
	"io"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkHTML fails unless s is well-formed Telegram HTML (only its tags,
// balanced, entities valid) and returns the text it shows.
func checkHTML(tb testing.TB, s string) string {
	tb.Helper()
	allowed := map[string]bool{"m": true, "b": true, "i": true, "s": true, "u": true, "code": true, "pre": true,
		"a": true, "blockquote": true}
	d := xml.NewDecoder(strings.NewReader("<m>" + s + "</m>"))
	d.Strict = true
	var b strings.Builder
	for {
		t, err := d.Token()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			tb.Fatalf("not valid Telegram HTML (%v):\n%s", err, s)
		}
		switch t := t.(type) {
		case xml.StartElement:
			if !allowed[t.Name.Local] {
				tb.Fatalf("<%s> is not Telegram HTML:\n%s", t.Name.Local, s)
			}
			for _, a := range t.Attr {
				if a.Name.Local == "href" && !strings.HasPrefix(a.Value, "http") && !strings.HasPrefix(a.Value, "tg:") &&
					!strings.HasPrefix(a.Value, "mailto:") {
					tb.Fatalf("unsafe href %q", a.Value)
				}
			}
		case xml.CharData:
			b.Write(t)
		}
	}
}

func renderOne(md string) string {
	base, _ := url.Parse("https://help.example.com/")
	var b strings.Builder
	for _, p := range split(render(md, base), maxMessageLen) {
		b.WriteString(p.HTML)
	}
	return b.String()
}

func TestRender(t *testing.T) {
	for _, tc := range []struct{ name, md, want string }{
		{"OK", "Hello **bold** and *it* and `c<d>`", "Hello <b>bold</b> and <i>it</i> and <code>c&lt;d&gt;</code>"},
		{"Escapes", `1 < 2 & 3 > 2 "q"`, "1 &lt; 2 &amp; 3 &gt; 2 &quot;q&quot;"},
		{"EntityReferences", `AT&amp;T &lt;b&gt; &#169; \*not bold\*`, "AT&amp;T &lt;b&gt; © *not bold*"},
		{"RawHTMLIsText", `Click <a href="javascript:x">here</a> <script>alert(1)</script>`,
			"Click &lt;a href=&quot;javascript:x&quot;&gt;here&lt;/a&gt; &lt;script&gt;alert(1)&lt;/script&gt;"},
		{"Link", "[Reset](https://help.example.com/en/articles/reset-password?a=1&b=2)",
			`<a href="https://help.example.com/en/articles/reset-password?a=1&amp;b=2">Reset</a>`},
		{"RelativeLink", "[Fees](/en/articles/trading-fees)", `<a href="https://help.example.com/en/articles/trading-fees">Fees</a>`},
		{"UnsafeLink", "[x](javascript:alert(1))", "x (javascript:alert(1))"},
		{"AutoLink", "see https://example.com/a", `see <a href="https://example.com/a">https://example.com/a</a>`},
		{"Lists", "Steps:\n\n1. One\n2. **Two**\n\n- a\n- b\n  - nested",
			"Steps:\n\n1. One\n2. <b>Two</b>\n\n• a\n• b\n    • nested"},
		{"Heading", "# Title\n\nBody", "<b>Title</b>\n\nBody"},
		{"Code", "```go\nx := a < b\n```", `<pre><code class="language-go">x := a &lt; b</code></pre>`},
		{"Quote", "> quoted\n> text", "<blockquote>quoted text</blockquote>"},
		{"Strike", "~~old~~ new", "<s>old</s> new"},
		{"CitationLink", "Answer [[1]](https://help.example.com/en/articles/x).",
			`Answer <a href="https://help.example.com/en/articles/x">[1]</a>.`},
		{"HardBreak", "line one  \nline two", "line one\nline two"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := renderOne(tc.md)
			if got != tc.want {
				t.Errorf("render(%q)\n got %q\nwant %q", tc.md, got, tc.want)
			}
			checkHTML(t, got)
		})
	}
}

func TestRenderWithoutBaseKeepsRelativeLinksAsText(t *testing.T) {
	got := split(render("[Fees](/en/articles/trading-fees)", nil), maxMessageLen)[0].HTML
	if got != "Fees (/en/articles/trading-fees)" {
		t.Errorf("got %q", got)
	}
}

func TestSplit(t *testing.T) {
	t.Run("BetweenBlocks", func(t *testing.T) {
		var md strings.Builder
		for i := 0; i < 30; i++ {
			md.WriteString(strings.Repeat("word ", 40) + "**end**\n\n")
		}
		parts := split(render(md.String(), nil), 1000)
		for i, p := range parts {
			text := checkHTML(t, p.HTML)
			if utf16Len(text) > 1000 {
				t.Errorf("part %d: %d characters", i, utf16Len(text))
			}
			if !strings.HasSuffix(strings.TrimSpace(text), "end") {
				t.Errorf("part %d cuts a paragraph although whole ones fit: ...%q", i, text[max(0, len(text)-20):])
			}
		}
	})
	t.Run("InsideATag", func(t *testing.T) {
		md := "**" + strings.TrimSpace(strings.Repeat("bold ", 500)) + "** [" + strings.Repeat("link ", 300) + "](https://x.example/)"
		parts := split(render(md, nil), 700)
		if len(parts) < 4 {
			t.Fatalf("%d parts", len(parts))
		}
		var all strings.Builder
		for _, p := range parts {
			text := checkHTML(t, p.HTML)
			if utf16Len(text) > 700 {
				t.Errorf("part has %d characters", utf16Len(text))
			}
			all.WriteString(text + " ")
		}
		if got := len(strings.Fields(all.String())); got != 800 {
			t.Errorf("%d words arrived, want 800", got)
		}
		if !strings.HasPrefix(parts[1].HTML, "<b>") {
			t.Errorf("bold not reopened in the next part: %.40q", parts[1].HTML)
		}
	})
	t.Run("EntitiesNeverCut", func(t *testing.T) {
		md := strings.Repeat("&<>", 3000)
		for _, p := range split(render(md, nil), 100) {
			checkHTML(t, p.HTML)
		}
	})
	t.Run("SurrogatePairsCount", func(t *testing.T) {
		md := strings.Repeat("🔐", 3000) // 2 UTF-16 units each
		parts := split(render(md, nil), maxMessageLen)
		if len(parts) != 2 || utf16Len(parts[0].Plain) != 4096 || !utf8.ValidString(parts[0].Plain) {
			t.Errorf("%d parts, first %d units", len(parts), utf16Len(parts[0].Plain))
		}
	})
	t.Run("Empty", func(t *testing.T) {
		if parts := split(render("   \n\n ", nil), maxMessageLen); len(parts) != 0 {
			t.Errorf("parts for blank text: %q", parts)
		}
	})
}

// FuzzRenderSplit checks, for any Markdown, that every part is valid
// Telegram HTML within the limit and that no text is lost or duplicated
// by splitting.
func FuzzRenderSplit(f *testing.F) {
	for _, s := range []string{"**a** _b_ `c`", "1. x\n2. y\n\n- z", "[l](https://e.x/?a&b)", "<b>raw</b> &amp;",
		"> q\n>> qq", "```\ncode\n```", strings.Repeat("long words ", 100), "🔐" + strings.Repeat("字", 50),
		"***x** y*", "[a](</x y>)", "\\*", "- [ ] task\n- [x] done", "a\x00b"} {
		f.Add(s, 60)
	}
	f.Fuzz(func(t *testing.T, md string, limit int) {
		if limit < 8 || limit > 5000 || !utf8.ValidString(md) || strings.ContainsRune(md, 0) {
			t.Skip()
		}
		base, _ := url.Parse("https://help.example.com/")
		blocks := render(md, base)
		whole := split(blocks, 1<<30)
		parts := split(blocks, limit)
		var a, b strings.Builder
		for _, p := range whole {
			a.WriteString(checkHTML(t, p.HTML))
		}
		for _, p := range parts {
			text := checkHTML(t, p.HTML)
			if utf16Len(text) > limit {
				t.Fatalf("part of %d characters over %d", utf16Len(text), limit)
			}
			if text != p.Plain {
				t.Fatalf("plain %q differs from the HTML's text %q", p.Plain, text)
			}
			b.WriteString(text)
		}
		if strip(a.String()) != strip(b.String()) {
			t.Fatalf("text changed by splitting:\n%q\n%q", a.String(), b.String())
		}
	})
}

// strip drops whitespace, which splitting may move to a cut or drop.
func strip(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// BenchmarkRenderSplit measures turning a long Markdown answer (about
// 12,000 characters: a 60-step list with bold, links and escapes) into
// Telegram HTML parts.
func BenchmarkRenderSplit(b *testing.B) {
	var md strings.Builder
	for i := 1; i <= 60; i++ {
		md.WriteString("1. **Step**: open *Settings* → Security & check 2 < 3, see [the guide](/en/articles/reset-password) 🔐.\n")
		md.WriteString("   " + strings.Repeat("More words here. ", 5) + "\n")
	}
	base, _ := url.Parse("https://help.example.com/")
	src := md.String()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if parts := split(render(src, base), maxMessageLen); len(parts) < 2 {
			b.Fatal(len(parts))
		}
	}
}
