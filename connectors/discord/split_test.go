package discord

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitMessage(t *testing.T) {
	link := "[How to withdraw](https://help.example.com/en/articles/withdraw-crypto)"
	tests := []struct {
		name  string
		text  string
		limit int
		// whole are substrings that must each appear unbroken in one part.
		whole []string
		parts int // expected number of parts; 0: don't check
	}{
		{name: "OK", text: "Short answer.", limit: 2000, parts: 1},
		{name: "Empty", text: "  \n ", limit: 2000, parts: 0},
		{name: "Paragraphs", text: strings.Repeat("a", 60) + "\n\n" + strings.Repeat("b", 60), limit: 100,
			whole: []string{strings.Repeat("a", 60), strings.Repeat("b", 60)}, parts: 2},
		{name: "LinkNotCut", text: strings.Repeat("word ", 15) + link + " end", limit: 100, whole: []string{link}},
		{name: "CodeSpanNotCut", text: strings.Repeat("x ", 40) + "`withdraw --address 0xabc --amount 1` done", limit: 90,
			whole: []string{"`withdraw --address 0xabc --amount 1`"}},
		{name: "MentionNotCut", text: strings.Repeat("y ", 45) + "<@123456789012345678> hello", limit: 100,
			whole: []string{"<@123456789012345678>"}},
		{name: "BareURLNotCut", text: strings.Repeat("z ", 40) + "https://example.com/a/very/long/path?x=1 ok", limit: 100,
			whole: []string{"https://example.com/a/very/long/path?x=1"}},
		{name: "CJKSentences", text: strings.Repeat("这是一个关于提现的句子。", 30), limit: 100},
		{name: "EmojiCountTwice", text: strings.Repeat("😀", 150), limit: 100, parts: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := splitMessage(tt.text, tt.limit)
			checkParts(t, tt.text, parts, tt.limit)
			if tt.parts != 0 && len(parts) != tt.parts {
				t.Errorf("got %d parts, want %d: %q", len(parts), tt.parts, parts)
			}
			if tt.parts == 0 && strings.TrimSpace(tt.text) == "" && len(parts) != 0 {
				t.Errorf("blank text gave parts %q", parts)
			}
			for _, w := range tt.whole {
				found := false
				for _, p := range parts {
					found = found || strings.Contains(p, w)
				}
				if !found {
					t.Errorf("%q was cut: parts %q", w, parts)
				}
			}
		})
	}
}

func TestSplitMessageCodeBlock(t *testing.T) {
	var b strings.Builder
	b.WriteString("Run this:\n\n```bash\n")
	for i := 0; i < 40; i++ {
		b.WriteString("echo line number " + strings.Repeat("x", i%7) + "\n")
	}
	b.WriteString("```\nDone.")
	parts := splitMessage(b.String(), 300)
	checkParts(t, b.String(), parts, 300)
	if len(parts) < 3 {
		t.Fatalf("expected the block to be split, got %d parts", len(parts))
	}
	for i, p := range parts {
		// Every part has balanced fences: each one renders on its own.
		if n := strings.Count(p, "```"); n%2 != 0 {
			t.Errorf("part %d has %d fences:\n%s", i, n, p)
		}
		if i > 0 && strings.Contains(parts[i-1], "echo") && strings.Contains(p, "echo") && !strings.HasPrefix(p, "```bash\n") {
			t.Errorf("part %d continues the block without reopening it with its language:\n%s", i, p)
		}
	}
}

// checkParts asserts the invariants of any split: parts are within the
// limit and not blank, and together they hold the text's words in order.
func checkParts(t *testing.T, text string, parts []string, limit int) {
	t.Helper()
	for i, p := range parts {
		if n := textLen(p); n > limit {
			t.Errorf("part %d is %d long, over %d", i, n, limit)
		}
		if strings.TrimSpace(p) == "" {
			t.Errorf("part %d is blank", i)
		}
		if !utf8.ValidString(p) {
			t.Errorf("part %d is not valid UTF-8", i)
		}
	}
	fence := regexp.MustCompile("```[a-z]*")
	norm := func(s string) string { return strings.Join(strings.Fields(fence.ReplaceAllString(s, "")), "") }
	if got, want := norm(strings.Join(parts, " ")), norm(text); got != want {
		t.Errorf("parts lost or changed text:\ngot  %q\nwant %q", got, want)
	}
}

func FuzzSplitMessage(f *testing.F) {
	f.Add("hello [link](https://x.y/z) `code` world\n\n```go\nfmt.Println()\n```", 40)
	f.Add(strings.Repeat("ab ", 100), 17)
	f.Add("😀😀😀 [a](b) <@1> https://e.x/a", 8)
	f.Fuzz(func(t *testing.T, text string, limit int) {
		if limit < 16 || limit > 3000 || !utf8.ValidString(text) {
			return
		}
		parts := splitMessage(text, limit)
		for i, p := range parts {
			if n := textLen(p); n > limit {
				t.Fatalf("part %d is %d long, over %d: %q", i, n, limit, p)
			}
			if !utf8.ValidString(p) {
				t.Fatalf("part %d is not valid UTF-8", i)
			}
		}
		// Nothing is lost: every non-space rune of the text is in the
		// parts, in order (fences added at cuts aside).
		joined := strings.Join(parts, "")
		j := 0
		for _, r := range text {
			if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
				continue
			}
			k := strings.IndexRune(joined[j:], r)
			if k < 0 {
				t.Fatalf("rune %q lost; text %q parts %q", r, text, parts)
			}
			j += k + utf8.RuneLen(r)
		}
	})
}

func BenchmarkSplitMessage(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 60; i++ {
		sb.WriteString("Open **Wallet → Withdraw**, pick the network and check [the fee table](https://help.example.com/en/articles/fees) before you confirm with `2FA`. ")
		if i%6 == 5 {
			sb.WriteString("\n\n```\nwithdraw --asset USDT --network TRC20\n```\n\n")
		}
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		splitMessage(text, MaxMessageLen)
	}
}
