package retrieval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/retrieval/internal/textfeat"
)

type evalQuery struct {
	Query    string   `json:"query"`
	Expected []string `json:"expected"`
	Language string   `json:"language"`
}

func loadQueries(tb testing.TB, path string) []evalQuery {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var qs []evalQuery
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var q evalQuery
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			tb.Fatal(err)
		}
		qs = append(qs, q)
	}
	return qs
}

func datasetDir(tb testing.TB, name string) string {
	tb.Helper()
	dir := filepath.Join("..", "..", "shared", "datasets", name)
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("dataset %s not found at %s (it lives in shared/datasets beside the repo)", name, dir)
	}
	return dir
}

func argmax(s []float32) int {
	best := 0
	for j := range s {
		if s[j] > s[best] {
			best = j
		}
	}
	return best
}

// TestExperimentLinear is the cross-validation harness used to choose the
// feature set and the ensemble (5 folds over BANKING77's training
// questions only; the test queries are never read).
func TestExperimentLinear(t *testing.T) {
	if os.Getenv("SUPPORTBOT_EXPERIMENT") == "" {
		t.Skip("set SUPPORTBOT_EXPERIMENT=1")
	}
	dir := datasetDir(t, "banking77")
	res, err := knowledge.LoadDir(filepath.Join(dir, "articles"))
	if err != nil {
		t.Fatal(err)
	}
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
	folds := 5
	fold := make([]int, len(texts))
	cnt := make([]int, k)
	for i, y := range ys {
		fold[i] = cnt[y] % folds
		cnt[y]++
	}
	for _, cfg := range []struct {
		o  textfeat.Options
		bw [textfeat.NumBlocks]float32
	}{
		{textfeat.Options{}, [textfeat.NumBlocks]float32{1, 1}},
	} {
		c := envFloat("CV_C", 1)
		lrEpochs, lrRate := int(envFloat("CV_LR_EPOCHS", 5)), float32(envFloat("CV_LR_RATE", 0.5))
		start := time.Now()
		var svmS, knnS, lrS [][]float32
		var gold []int
		for f := 0; f < folds; f++ {
			var trT []string
			var trY []int
			var teT []string
			var teY []int
			for i := range texts {
				if fold[i] == f {
					teT, teY = append(teT, texts[i]), append(teY, ys[i])
				} else {
					trT, trY = append(trT, texts[i]), append(trY, ys[i])
				}
			}
			v := &vectorizer{Opts: cfg.o, BlockWeight: cfg.bw}
			v.fit(trT, enLangs(len(trT)), 1)
			xs := make([]sparse, len(trT))
			for i, t := range trT {
				xs[i] = v.transform(t, "en")
			}
			m := trainSVM(xs, trY, k, len(v.IDF), c, 10, 2)
			lm := trainSoftmax(xs, trY, k, len(v.IDF), lrEpochs, lrRate)
			// inverted index for kNN
			post := make([][]int32, len(v.IDF))
			pval := make([][]float32, len(v.IDF))
			for i, x := range xs {
				for kk, f := range x.idx {
					post[f] = append(post[f], int32(i))
					pval[f] = append(pval[f], x.val[kk])
				}
			}
			sims := make([]float32, len(xs))
			for i, t := range teT {
				x := v.transform(t, "en")
				sc := make([]float32, k)
				m.scores(x, sc)
				svmS = append(svmS, sc)
				ls := make([]float32, k)
				lm.scores(x, ls)
				lrS = append(lrS, ls)
				clear(sims)
				for kk, f := range x.idx {
					for j, d := range post[f] {
						sims[d] += x.val[kk] * pval[f][j]
					}
				}
				ks := make([]float32, k)
				for j, s := range sims {
					if s > ks[trY[j]] {
						ks[trY[j]] = s
					}
				}
				knnS = append(knnS, ks)
				gold = append(gold, teY[i])
			}
		}
		acc := func(w float32) float64 {
			ok := 0
			for i := range gold {
				sc := make([]float32, k)
				for j := range sc {
					sc[j] = svmS[i][j] + w*knnS[i][j]
				}
				if argmax(sc) == gold[i] {
					ok++
				}
			}
			return float64(ok) / float64(len(gold))
		}
		fmt.Printf("lr %d/%.2f cfg %+v bw %v C=%v svm %.4f knn-only %.4f", lrEpochs, lrRate, cfg.o, cfg.bw, c, acc(0), func() float64 {
			ok := 0
			for i := range gold {
				if argmax(knnS[i]) == gold[i] {
					ok++
				}
			}
			return float64(ok) / float64(len(gold))
		}())
		for _, w := range []float32{0.5} {
			fmt.Printf(" +knn%.2f %.4f", w, acc(w))
		}
		accLR := func(wl, wk float32) float64 {
			ok := 0
			for i := range gold {
				sc := make([]float32, k)
				mx := lrS[i][0]
				for _, v := range lrS[i] {
					mx = max(mx, v)
				}
				for j := range sc {
					sc[j] = svmS[i][j] + wl*(lrS[i][j]-mx) + wk*knnS[i][j]
				}
				if argmax(sc) == gold[i] {
					ok++
				}
			}
			return float64(ok) / float64(len(gold))
		}
		fmt.Printf(" lr-only %.4f", func() float64 {
			ok := 0
			for i := range gold {
				if argmax(lrS[i]) == gold[i] {
					ok++
				}
			}
			return float64(ok) / float64(len(gold))
		}())
		for _, wl := range []float32{0.05, 0.1, 0.2, 0.4} {
			fmt.Printf(" svm+lr%.2f %.4f +knn %.4f", wl, accLR(wl, 0), accLR(wl, 0.5))
		}
		fmt.Printf(" (%v)\n", time.Since(start))
	}
	_ = math.Log
	_ = sort.Ints
}

func envFloat(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return v
	}
	return def
}

func enLangs(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = "en"
	}
	return s
}
