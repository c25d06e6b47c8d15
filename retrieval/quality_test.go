package retrieval

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/knowledge"
)

// evalResult is what evaluate measured on a query set.
type evalResult struct {
	HitAt1, HitAt5   float64 // over queries with an expected article
	DecisionAccuracy float64 // answered right or abstained on out-of-scope
	P50, P99         time.Duration
	SyncTime         time.Duration
	Threshold        float64
}

// evaluate syncs the articles of a dataset into a fresh memory index and
// runs its queries. The queries are only used to measure: nothing is
// tuned on them.
func evaluate(tb testing.TB, name string) evalResult {
	tb.Helper()
	dir := datasetDir(tb, name)
	lr, err := knowledge.LoadDir(filepath.Join(dir, "articles"))
	if err != nil {
		tb.Fatal(err)
	}
	if len(lr.Errors) > 0 {
		tb.Fatalf("parse errors: %v", lr.Errors)
	}
	ix, err := Open(Config{})
	if err != nil {
		tb.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	start, cpu0 := time.Now(), cpuTime()
	if _, err := ix.Sync(ctx, lr.Articles, nil); err != nil {
		tb.Fatal(err)
	}
	var r evalResult
	r.SyncTime = time.Since(start)
	tb.Logf("%s: Sync took %v wall, %v CPU (all cores)", name, r.SyncTime, cpuTime()-cpu0)
	r.Threshold = ix.AbstainThreshold()
	tb.Logf("%s cross-validation on the training questions: %+v", name, ix.Validation())
	qs := loadQueries(tb, filepath.Join(dir, "queries.jsonl"))
	var lat []time.Duration
	var in, h1, h5, right int
	for _, q := range qs {
		t0 := time.Now()
		res, err := ix.Retrieve(ctx, supportbot.Query{Text: q.Query, Lang: q.Language, K: 5})
		lat = append(lat, time.Since(t0))
		if err != nil {
			tb.Fatal(err)
		}
		abstain := len(res.Hits) == 0 || res.Confidence < r.Threshold
		if len(q.Expected) == 0 {
			if abstain {
				right++
			}
			continue
		}
		in++
		for i, h := range res.Hits {
			if slices.Contains(q.Expected, h.ArticleID) {
				if i == 0 {
					h1++
					if !abstain {
						right++
					}
				}
				h5++
				break
			}
		}
	}
	slices.Sort(lat)
	r.HitAt1 = float64(h1) / float64(in)
	r.HitAt5 = float64(h5) / float64(in)
	r.DecisionAccuracy = float64(right) / float64(len(qs))
	r.P50 = lat[len(lat)/2]
	r.P99 = lat[len(lat)*99/100]
	return r
}

// qualityEnv enables the BANKING77 quality tests: each syncs (trains)
// the full dataset, which takes 20-60 s on a shared 2-core machine, too
// slow for the default suite.
const qualityEnv = "SUPPORTBOT_QUALITY"

func skipUnlessQuality(t *testing.T) {
	t.Helper()
	if os.Getenv(qualityEnv) == "" {
		t.Skipf("set %s=1 to run the BANKING77 quality tests", qualityEnv)
	}
}

func TestQualityBanking77(t *testing.T) {
	skipUnlessQuality(t)
	r := evaluate(t, "banking77")
	t.Logf("banking77: hit@1 %.4f hit@5 %.4f decision %.4f p50 %v p99 %v sync %v threshold %.3f",
		r.HitAt1, r.HitAt5, r.DecisionAccuracy, r.P50, r.P99, r.SyncTime, r.Threshold)
	if r.HitAt1 < 0.92 || r.HitAt5 < 0.98 {
		t.Errorf("hit@1 %.4f (want >= 0.92), hit@5 %.4f (want >= 0.98)", r.HitAt1, r.HitAt5)
	}
}

func TestQualityBanking77Open(t *testing.T) {
	skipUnlessQuality(t)
	r := evaluate(t, "banking77-open75")
	t.Logf("banking77-open75: hit@1 %.4f hit@5 %.4f decision %.4f p50 %v p99 %v sync %v threshold %.3f",
		r.HitAt1, r.HitAt5, r.DecisionAccuracy, r.P50, r.P99, r.SyncTime, r.Threshold)
	if r.DecisionAccuracy < 0.82 {
		t.Errorf("decision accuracy %.4f, want >= 0.82", r.DecisionAccuracy)
	}
}

// TestQualityCrossLingual: for each of five languages, remove the demo
// help center's versions in that language and ask their example questions
// (about 1,600 a language, all 32 articles): they must still find the
// article, now only in other languages (through the lexicon's concepts,
// shared terms and char n-grams). Measured 0.804 (fr 0.81, vi 0.80); the
// bar is 0.78, because moving one example question between two articles
// moved it by 0.7 point (it changes the sample cross-validation tunes
// on). Six questions an article are in plain words, without the help
// center's terms, and are harder to find across languages: on the others
// it was 0.850 (0.862 before the plain-words ones were added).
// It was 0.890 when these languages had only the ten most asked articles,
// whose 2,000 questions were an easier set (0.51 without the lexicon).
func TestQualityCrossLingual(t *testing.T) {
	skipUnlessQuality(t)
	lr, err := knowledge.LoadDir(filepath.Join("..", "knowledge", "demo", "articles"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	total, right := 0, 0
	for _, lang := range []string{"fr", "ko", "tr", "vi", "ja"} {
		var keep, held []*supportbot.Article
		for _, a := range lr.Articles {
			if a.Lang == lang {
				held = append(held, a)
			} else {
				keep = append(keep, a)
			}
		}
		ix := openSynced(t, Config{}, keep)
		n, h := 0, 0
		for _, a := range held {
			for _, q := range a.Questions {
				res, err := ix.Retrieve(ctx, supportbot.Query{Text: q, Lang: lang, K: 1})
				if err != nil {
					t.Fatal(err)
				}
				n++
				if len(res.Hits) > 0 && res.Hits[0].ArticleID == a.ID {
					h++
				}
			}
		}
		t.Logf("%s questions, %s versions removed: hit@1 %d/%d = %.3f", lang, lang, h, n, float64(h)/float64(n))
		total, right = total+n, right+h
	}
	got := float64(right) / float64(total)
	t.Logf("cross-lingual hit@1 %.3f", got)
	if got < 0.78 {
		t.Errorf("cross-lingual hit@1 %.3f, want >= 0.78", got)
	}
}
