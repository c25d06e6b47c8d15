package retrieval

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/analysis/lang/tr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/supportbot/supportbot"
)

// analyzers maps each supported language to a bleve analyzer: the
// language analyzers (stop words, Snowball or Porter stemming) where bleve
// has one, cjk (bigrams of Han, kana and Hangul) for Chinese, Japanese and
// Korean, and for Vietnamese, whose words are syllables separated by
// spaces and do not inflect, plain Unicode tokens lower-cased.
var analyzers = map[string]string{
	"en": en.AnalyzerName, "fr": fr.AnalyzerName, "es": es.AnalyzerName, "pt": pt.AnalyzerName,
	"ru": ru.AnalyzerName, "tr": tr.AnalyzerName,
	"zh-Hans": cjk.AnalyzerName, "zh-Hant": cjk.AnalyzerName, "ja": cjk.AnalyzerName, "ko": cjk.AnalyzerName,
	"vi": "vi_plain",
}

// fieldLang turns a language tag into a field-name suffix.
func fieldLang(lang string) string { return strings.ReplaceAll(strings.ToLower(lang), "-", "_") }

// keywordDoc is one language version of an article in the bleve index.
// Each text field is named after the language ("title_en", "body_ja") so
// that it is analysed with that language's analyzer; documents of
// different languages live in one index and one query searches all.
func keywordDoc(a *supportbot.Article) map[string]any {
	l := fieldLang(a.Lang)
	return map[string]any{
		"id":         a.ID,
		"lang":       a.Lang,
		"category":   a.Category,
		"title_" + l: a.Title,
		"tags_" + l:  strings.Join(a.Tags, " "),
		"body_" + l:  a.Body,
	}
}

// keywordMapping builds the index mapping: per-language text fields with
// term vectors (for highlighting), stored title and body (for snippets),
// keyword fields for filters, and BM25 scoring.
func keywordMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = index.BM25Scoring
	err := m.AddCustomAnalyzer("vi_plain", map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name},
	})
	if err != nil {
		return nil, fmt.Errorf("vi analyzer: %w", err)
	}
	doc := bleve.NewDocumentStaticMapping()
	kw := bleve.NewKeywordFieldMapping()
	kw.Store = false
	doc.AddFieldMappingsAt("id", kw)
	doc.AddFieldMappingsAt("lang", kw)
	doc.AddFieldMappingsAt("category", kw)
	for _, lang := range supportbot.Languages {
		l := fieldLang(lang)
		for _, f := range []string{"title", "tags", "body"} {
			tf := bleve.NewTextFieldMapping()
			tf.Analyzer = analyzers[lang]
			tf.Store = f != "tags"
			tf.IncludeTermVectors = true
			doc.AddFieldMappingsAt(f+"_"+l, tf)
		}
	}
	m.DefaultMapping = doc
	m.DefaultAnalyzer = "standard"
	return m, nil
}

// newKeywordIndex builds an in-memory bleve index over articles. It is
// rebuilt at open rather than persisted: building the help center's few
// thousand documents takes well under a second per thousand, and one
// snapshot file is simpler to replace atomically than a bleve directory.
func newKeywordIndex(articles []*supportbot.Article) (bleve.Index, error) {
	m, err := keywordMapping()
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing("", m, "scorch", "scorch", nil)
	if err != nil {
		return nil, fmt.Errorf("couldn't create keyword index: %w", err)
	}
	b := idx.NewBatch()
	for _, a := range articles {
		if err := b.Index(a.Key(), keywordDoc(a)); err != nil {
			idx.Close()
			return nil, fmt.Errorf("index %s: %w", a.Key(), err)
		}
		if b.Size() >= 500 {
			if err := idx.Batch(b); err != nil {
				idx.Close()
				return nil, fmt.Errorf("couldn't index articles: %w", err)
			}
			b = idx.NewBatch()
		}
	}
	if err := idx.Batch(b); err != nil {
		idx.Close()
		return nil, fmt.Errorf("couldn't index articles: %w", err)
	}
	return idx, nil
}

// keywordQuery matches text in every language's fields, each analysed by
// its own analyzer, title boosted; lang, when set, boosts documents in
// that language a little, and category filters.
func keywordQuery(text, lang, category string, fields, langs []string) query.Query {
	var should []query.Query
	for _, l := range langs {
		fl := fieldLang(l)
		for _, f := range fields {
			mq := bleve.NewMatchQuery(text)
			mq.SetField(f + "_" + fl)
			if f == "title" {
				mq.SetBoost(2)
			}
			should = append(should, mq)
		}
	}
	var q query.Query = bleve.NewDisjunctionQuery(should...)
	if category != "" {
		cq := bleve.NewTermQuery(category)
		cq.SetField("category")
		q = bleve.NewConjunctionQuery(q, cq)
	}
	if lang != "" {
		lq := bleve.NewTermQuery(lang)
		lq.SetField("lang")
		lq.SetBoost(0.1)
		bq := bleve.NewBooleanQuery()
		bq.AddMust(q)
		bq.AddShould(lq)
		q = bq
	}
	return q
}

// SearchHit is one result of Search, for the help center's search page.
type SearchHit struct {
	ArticleID string
	Lang      string
	Title     string
	Category  string
	// Snippet is HTML: article text escaped, matched terms wrapped in
	// <mark>...</mark>. Safe to insert into a page as is.
	Snippet string
}

// searchHighlight asks for escaped fragments with <mark> around terms.
func searchHighlight() *bleve.HighlightRequest {
	return bleve.NewHighlightWithStyle(html.Name)
}
