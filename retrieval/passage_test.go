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
	for _, name := range []string{"en/withdrawal-pending", "en/deposit-not-credited", "fr/withdrawal-pending",
		"fr/deposit-not-credited", "ja/deposit-not-credited", "zh-Hant/deposit-not-credited"} {
		data, err := fs.ReadFile(knowledge.Demo(), "articles/"+name+".md")
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
	// A question that restates the title gets the lead too, even when a
	// section shares more of its words (QA found the French, Japanese and
	// Traditional Chinese titles quoting "Annuler un retrait" or the
	// minimum-deposit section).
	for _, tc := range []struct{ q, lang, article, want string }{
		{"why is my withdrawal still pending?", "en", "withdrawal-pending", ""},
		{"how do I cancel a withdrawal I just made?", "en", "withdrawal-pending", "Cancelling a withdrawal"},
		{"Pourquoi mon retrait est-il en attente ?", "fr", "withdrawal-pending", ""},
		{"Comment annuler un retrait ?", "fr", "withdrawal-pending", "Annuler un retrait"},
		{"Mon dépôt n'est pas arrivé", "fr", "deposit-not-credited", ""},
		{"入金が反映されません", "ja", "deposit-not-credited", ""},
		{"充值一直沒到帳怎麼辦", "zh-Hant", "deposit-not-credited", ""},
	} {
		res, err := ix.Retrieve(ctx, supportbot.Query{Text: tc.q, Lang: tc.lang})
		if err != nil || len(res.Hits) == 0 || res.Hits[0].ArticleID != tc.article {
			t.Fatalf("%q: %+v, %v", tc.q, res, err)
		}
		if got := res.Hits[0].Heading; !strings.Contains(got, tc.want) || (tc.want == "" && got != "") {
			t.Errorf("%q quoted the section %q, want %q", tc.q, got, tc.want)
		}
	}
}
