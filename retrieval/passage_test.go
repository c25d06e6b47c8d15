package retrieval

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/knowledge"
)

// The quoted passage is the article's lead, its direct answer, for a
// general question, and the matching section for a specific one. Without
// the lead's bonus, "why is my withdrawal still pending?" quotes the demo
// article's "Cancelling a withdrawal" section, which repeats its words.
func TestBestPassagePrefersLeadUnlessASectionIsCloser(t *testing.T) {
	ctx := context.Background()
	var arts []*supportbot.Article
	for _, name := range []string{"withdrawal-pending", "deposit-not-credited"} {
		data, err := fs.ReadFile(knowledge.Demo(), "articles/en/"+name+".md")
		if err != nil {
			t.Fatal(err)
		}
		a, err := knowledge.Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		arts = append(arts, a)
	}
	ix, err := Open(Config{Folds: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(ctx, arts, nil); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{
		"why is my withdrawal still pending?":       "",                        // the lead
		"how do I cancel a withdrawal I just made?": "Cancelling a withdrawal", // a section
	} {
		res, err := ix.Retrieve(ctx, supportbot.Query{Text: q, Lang: "en"})
		if err != nil || len(res.Hits) == 0 || res.Hits[0].ArticleID != "withdrawal-pending" {
			t.Fatalf("%q: %+v, %v", q, res, err)
		}
		if got := res.Hits[0].Heading; !strings.Contains(got, want) || (want == "" && got != "") {
			t.Errorf("%q quoted the section %q, want %q", q, got, want)
		}
	}
}
