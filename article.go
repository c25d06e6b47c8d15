package supportbot

import (
	"context"
	"time"
)

// Article is one help-center article in one language. Translations of an
// article share its ID and differ in Lang.
type Article struct {
	ID        string
	Title     string
	Lang      string
	Category  string
	Tags      []string
	Questions []string // example questions users ask; training data for retrieval
	Body      string   // Markdown, without the front matter
	Updated   time.Time
	URL       string
	// Source is where the article was loaded from, for error messages.
	Source string
}

// Key identifies one language version of an article: "id@lang".
func (a *Article) Key() string { return a.ID + "@" + a.Lang }

// Query asks the retriever for articles.
type Query struct {
	Text string
	// Lang is the language to answer in. Articles in Lang are preferred;
	// articles that exist only in other languages are still found.
	Lang string
	// Category, when set, keeps only articles of that category.
	Category string
	// K is how many articles to return; 0 means 5.
	K int
}

// Hit is an article that answers a query, ranked, with its best passage.
type Hit struct {
	ArticleID string
	Lang      string // the language of Title and Passage
	Title     string
	Category  string
	URL       string
	Heading   string // the section the passage is in, if any
	Passage   string // the best matching passage, Markdown
	Score     float64
}

// Result is the answer to a Query.
type Result struct {
	Hits []Hit
	// Confidence is the calibrated probability that Hits[0] answers the
	// query: tuned so that among queries with Confidence 0.8, about 80% are
	// answered by the top article.
	Confidence float64
}

// Retriever finds the articles that answer a question.
type Retriever interface {
	// Retrieve ranks articles for q. It returns an empty Result, not an
	// error, when nothing matches.
	Retrieve(ctx context.Context, q Query) (Result, error)
}

// Embedder turns text into a vector. chromem.EmbeddingFunc(e.Embed) plugs an
// Embedder into the vector store.
type Embedder interface {
	// Embed returns a unit-length vector for text. It returns EUNAVAILABLE
	// when a remote embedding server cannot be reached.
	Embed(ctx context.Context, text string) ([]float32, error)
}
