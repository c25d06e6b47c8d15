package retrieval

import (
	"context"
	"fmt"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"

	"github.com/supportbot/supportbot"
)

// snippetRunes bounds a snippet built without a highlighted fragment.
const snippetRunes = 200

// Search runs a keyword search for the help center's search page: BM25
// over titles, tags and bodies, articles in lang ranked a little higher
// and shown in lang when they have it. Each hit's Snippet is escaped HTML
// with the matched terms in <mark>. limit <= 0 means 10.
func (ix *Index) Search(ctx context.Context, text, lang string, limit int) ([]SearchHit, error) {
	s := ix.current()
	text = strings.TrimSpace(text)
	if text == "" || len(s.articles) == 0 {
		return nil, nil
	}
	if limit <= 0 {
		limit = 10
	}
	// Ask for more than limit: several language versions of one article
	// collapse into one hit.
	req := bleve.NewSearchRequestOptions(s.keywordQuery(text, lang, "", []string{"title", "tags", "body"}), limit*4, 0, false)
	req.Highlight = searchHighlight()
	req.SortBy([]string{"-_score", "_id"}) // ties in the same order every run
	res, err := s.keyword.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	type found struct {
		a        *supportbot.Article
		fragment string
	}
	var order []string
	best := map[string]found{}
	for _, h := range res.Hits {
		a := s.byKey[h.ID]
		if a == nil {
			continue
		}
		frag := ""
		for _, field := range []string{"body_" + fieldLang(a.Lang), "title_" + fieldLang(a.Lang)} {
			if fs := h.Fragments[field]; len(fs) > 0 {
				frag = strings.Join(fs, " … ")
				break
			}
		}
		prev, seen := best[a.ID]
		if !seen {
			order = append(order, a.ID)
		}
		// Prefer the version in the wanted language, then the best ranked.
		if !seen || (a.Lang == lang && prev.a.Lang != lang) {
			best[a.ID] = found{a, frag}
		}
	}
	var out []SearchHit
	for _, id := range order {
		if len(out) == limit {
			break
		}
		f := best[id]
		snippet := f.fragment
		if snippet == "" {
			// The match was in tags, or in another language version:
			// show the start of the body, escaped, unhighlighted.
			snippet = html.EscapeString(truncateRunes(f.a.Body, snippetRunes))
		}
		out = append(out, SearchHit{ArticleID: f.a.ID, Lang: f.a.Lang, Title: f.a.Title,
			Category: f.a.Category, Snippet: snippet})
	}
	return out, nil
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}
