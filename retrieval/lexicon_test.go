package retrieval

import (
	"context"
	"testing"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/knowledge/lexicon"
)

// A help center's own lexicon additions are features of the ranker: its
// word for a product finds the article that calls it something else, the
// additions are saved with the index, and changing them retrains it.
func TestHelpCenterLexicon(t *testing.T) {
	ctx := context.Background()
	arts := append(helpCenter(), article("z-lunar-card", "en", "cards", "The Lunar card",
		"Order the Lunar card in the app. It is free and arrives in 5 days.",
		"how do I order a lunar card", "is the lunar card free", "lunar card delivery time"))
	lx := lexicon.Lexicon{"en": {"moonpass": {"moonpass", "lunar card"}}}
	top := func(ix *Index) string {
		t.Helper()
		res, err := ix.Retrieve(ctx, supportbot.Query{Text: "where is my moonpass", Lang: "en", K: 3})
		if err != nil || len(res.Hits) == 0 {
			t.Fatalf("retrieve: %v %v", res, err)
		}
		return res.Hits[0].ArticleID
	}

	dir := t.TempDir()
	ix, err := Open(Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(ctx, arts, nil); err != nil {
		t.Fatal(err)
	}
	if got := top(ix); got == "z-lunar-card" {
		t.Fatalf("without the lexicon %q already finds the card: the test proves nothing", got)
	}
	st, err := ix.SyncHelpCenter(ctx, HelpCenter{Articles: arts, Lexicon: lx}, nil)
	if err != nil || !st.Trained || st.Embedded != 0 {
		t.Fatalf("sync with a lexicon: %+v %v (want retrained, nothing re-embedded)", st, err)
	}
	if got := top(ix); got != "z-lunar-card" {
		t.Fatalf("with the lexicon the top hit is %q", got)
	}
	ix.Close()

	ix, err = Open(Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got := top(ix); got != "z-lunar-card" {
		t.Fatalf("after reopening, the top hit is %q: the lexicon was not saved", got)
	}
	if st, err := ix.SyncHelpCenter(ctx, HelpCenter{Articles: arts, Lexicon: lx}, nil); err != nil || st.Trained {
		t.Fatalf("same articles and lexicon: %+v %v (want no retraining)", st, err)
	}
	if st, err := ix.Sync(ctx, arts, nil); err != nil || !st.Trained || top(ix) == "z-lunar-card" {
		t.Fatalf("lexicon removed: %+v %v, top %q", st, err, top(ix))
	}
}
