package retrieval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/knowledge"
)

// Diagnostic only: how good could any threshold be on these features?
func TestExperimentOracle(t *testing.T) {
	if os.Getenv("SUPPORTBOT_EXPERIMENT") == "" {
		t.Skip("set SUPPORTBOT_EXPERIMENT=1")
	}
	dir := datasetDir(t, "banking77-open75")
	lr, _ := knowledge.LoadDir(filepath.Join(dir, "articles"))
	ix := openSynced(t, Config{}, lr.Articles)
	fmt.Printf("fusion %+v\n", ix.current().tuning.Fusion)
	type pc struct {
		p       float64
		ok, unk bool
	}
	var ps []pc
	for _, q := range loadQueries(t, filepath.Join(dir, "queries.jsonl")) {
		res, _ := ix.Retrieve(context.Background(), supportbot.Query{Text: q.Query, Lang: "en"})
		ok := len(q.Expected) > 0 && len(res.Hits) > 0 && slices.Contains(q.Expected, res.Hits[0].ArticleID)
		ps = append(ps, pc{res.Confidence, ok, len(q.Expected) == 0})
	}
	slices.SortFunc(ps, func(a, b pc) int {
		if a.p < b.p {
			return -1
		} else if a.p > b.p {
			return 1
		}
		return 0
	})
	right := 0
	for _, p := range ps {
		if p.ok {
			right++
		}
	}
	best, bestT := right, 0.0
	chosen := 0
	for _, p := range ps {
		if (p.p >= ix.AbstainThreshold() && p.ok) || (p.p < ix.AbstainThreshold() && p.unk) {
			chosen++
		}
	}
	fmt.Printf("decision at chosen threshold %.4f\n", float64(chosen)/float64(len(ps)))
	for _, p := range ps {
		if p.ok {
			right--
		} else if p.unk {
			right++
		}
		if right > best {
			best, bestT = right, p.p
		}
	}
	fmt.Printf("oracle decision %.4f at %.3f; chosen threshold %.3f\n", float64(best)/float64(len(ps)), bestT, ix.AbstainThreshold())
}
