package retrieval

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/retrieval/internal/textfeat"
)

func TestExperimentTest(t *testing.T) {
	if os.Getenv("SUPPORTBOT_EXPERIMENT") == "" {
		t.Skip("set SUPPORTBOT_EXPERIMENT=1")
	}
	dir := datasetDir(t, "banking77")
	res, _ := knowledge.LoadDir(filepath.Join(dir, "articles"))
	labels := map[string]int{}
	var texts []string
	var ys []int
	for _, a := range res.Articles {
		labels[a.ID] = len(labels)
		for _, q := range a.Questions {
			texts = append(texts, q)
			ys = append(ys, labels[a.ID])
		}
	}
	k := len(labels)
	v := &vectorizer{Opts: textfeat.Options{Stem: textfeat.Stemmer("en")}, BlockWeight: [2]float32{1, 1}}
	v.fit(texts, enLangs(len(texts)), 1)
	xs := make([]sparse, len(texts))
	for i, t := range texts {
		xs[i] = v.transform(t, "en")
	}
	m := trainSVM(xs, ys, k, len(v.IDF), 1, 10, 2)
	qs := loadQueries(t, filepath.Join(dir, "queries.jsonl"))
	ok, ok5 := 0, 0
	sc := make([]float32, k)
	for _, q := range qs {
		m.scores(v.transform(q.Query, "en"), sc)
		g := labels[q.Expected[0]]
		if argmax(sc) == g {
			ok++
		}
		rank := 0
		for j := range sc {
			if sc[j] > sc[g] {
				rank++
			}
		}
		if rank < 5 {
			ok5++
		}
	}
	fmt.Printf("test svm top1 %.4f top5 %.4f\n", float64(ok)/float64(len(qs)), float64(ok5)/float64(len(qs)))
}
