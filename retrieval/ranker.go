package retrieval

import (
	"math"
	"math/rand/v2"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/knowledge/lexicon"
	"github.com/supportbot/supportbot/retrieval/internal/textfeat"
)

// example is one training text: an article's example question or title,
// labelled with the article ID, so that every language version of an
// article teaches the same label and a question in one language can find
// an article in another.
type example struct {
	Text  string
	Lang  string
	Label int
	// Fixed examples (titles, and the sentences of an article without
	// enough example questions) are always trained on and never held out
	// in CV: only users' questions tell how well users' questions are
	// answered.
	Fixed bool
}

// trainingSet returns the labels (article IDs, sorted) and examples of
// articles.
func trainingSet(articles []*supportbot.Article) ([]string, []example) {
	idx := map[string]int{}
	var labels []string
	for _, a := range articles {
		if _, ok := idx[a.ID]; !ok {
			idx[a.ID] = 0
			labels = append(labels, a.ID)
		}
	}
	sort.Strings(labels)
	for i, l := range labels {
		idx[l] = i
	}
	var exs []example
	for _, a := range articles {
		exs = append(exs, example{Text: a.Title, Lang: a.Lang, Label: idx[a.ID], Fixed: true})
		for _, q := range a.Questions {
			exs = append(exs, example{Text: q, Lang: a.Lang, Label: idx[a.ID]})
		}
		for _, t := range derivedExamples(a) {
			exs = append(exs, example{Text: t, Lang: a.Lang, Label: idx[a.ID], Fixed: true})
		}
	}
	return labels, exs
}

// MinQuestions is the number of example questions under which an article
// also learns from its own text (derivedExamples): it is found less often
// than with questions, so ingest points such articles out.
const MinQuestions = 3

// maxDerived bounds the examples derived from one article: the headings
// and sentences of a long article would multiply the training set (and
// the time and memory of Sync). On the demo with five articles' questions
// removed (see derivedExamples), 20 find 41 of their 75 queries first,
// all of them (up to 40 an article) 42, and 12 only 36.
const maxDerived = 20

var (
	mdLink     = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	sentEnd    = regexp.MustCompile(`[.!?](\s|$)|[。！？]|\n`)
	listMarker = regexp.MustCompile(`^(\d+[.)]|[-*+>#]+)\s+`)
)

// derivedExamples stands in for the example questions an article lacks:
// its section headings and the sentences of its body. Known only by its
// title, such an article is all but unreachable in a help center whose
// other articles have questions, because the learned signals carry most
// of the fused score. Measured on the demo help center with five
// articles' questions removed in every language (their 75 queries, in
// supportbot eval): hit@1 0.12 with the title alone, 0.55 with the first
// 20 headings and sentences (0.17 with the headings, 0.41 with each
// section's first sentence). An article with enough questions gets none: its body's
// sentences as extra examples cost the demo's cross-validation 0.7 point.
func derivedExamples(a *supportbot.Article) []string {
	if len(a.Questions) >= MinQuestions {
		return nil
	}
	var out []string
	seen := map[string]bool{a.Title: true}
	add := func(t string) {
		t = strings.Trim(listMarker.ReplaceAllString(strings.TrimSpace(t), ""), " |*-")
		if utf8.RuneCountInString(t) >= 8 && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, p := range knowledge.Chunk(a) {
		add(p.Heading)
		text := strings.ReplaceAll(mdLink.ReplaceAllString(p.Text, "$1"), "**", "")
		for _, t := range sentEnd.Split(text, -1) {
			add(t)
		}
	}
	if len(out) > maxDerived {
		out = out[:maxDerived]
	}
	return out
}

// rankerParams are the learned model's hyperparameters. The defaults were
// chosen by 5-fold cross-validation on BANKING77's training questions
// (never its test queries); see DESIGN notes in index.go.
type rankerParams struct {
	C         float64 // SVM regularisation
	Epochs    int     // dual CD passes at most
	MaxLabels int     // above this many articles, no SVM (kNN only)
	LREpochs  int     // softmax regression passes
	// Lexicon is the help center's additions to the support lexicon: not
	// a hyperparameter, but it shapes the features like one.
	Lexicon lexicon.Lexicon
}

// ranker is the learned part of retrieval: a one-vs-rest linear SVM over
// tf-idf word 1-2-grams and char 2-5-grams of the example questions, and a
// nearest-neighbour vote over the same vectors. The SVM generalises across
// wording; kNN keeps rare phrasings that the SVM regularises away.
type ranker struct {
	NumLabels int
	Vec       *vectorizer
	Model     *sparseModel // nil when there are too many labels
	LR        *sparseModel // softmax regression; nil with Model

	// kNN postings, derived from the examples at build and load time.
	post   [][]int32
	pval   [][]float32
	labels []int32
}

// pseudoOutliers returns n synthetic questions that belong to no article:
// the normalised sum of two questions of different articles (the
// "mixup" outliers of Zhan et al. 2021). Trained as one more class, they
// teach the classifier what a blend of known topics looks like, which is
// what a question about an uncovered topic often is ("when will my card
// arrive": card words from one article, arrival words from another).
func pseudoOutliers(xs []sparse, ys []int, n int) []sparse {
	if len(xs) < 2 {
		return nil
	}
	rng := rand.New(rand.NewPCG(11, 13))
	out := make([]sparse, 0, n)
	for tries := 0; len(out) < n && tries < 4*n; tries++ {
		a, b := rng.IntN(len(xs)), rng.IntN(len(xs))
		if ys[a] == ys[b] {
			continue
		}
		out = append(out, addNormalized(xs[a], xs[b]))
	}
	return out
}

// addNormalized returns (a+b)/|a+b| for sparse vectors sorted by index.
func addNormalized(a, b sparse) sparse {
	var out sparse
	i, j := 0, 0
	for i < len(a.idx) || j < len(b.idx) {
		switch {
		case j >= len(b.idx) || (i < len(a.idx) && a.idx[i] < b.idx[j]):
			out.idx, out.val = append(out.idx, a.idx[i]), append(out.val, a.val[i])
			i++
		case i >= len(a.idx) || b.idx[j] < a.idx[i]:
			out.idx, out.val = append(out.idx, b.idx[j]), append(out.val, b.val[j])
			j++
		default:
			out.idx, out.val = append(out.idx, a.idx[i]), append(out.val, a.val[i]+b.val[j])
			i++
			j++
		}
	}
	if n := out.sqnorm(); n > 0 {
		inv := float32(1 / math.Sqrt(float64(n)))
		for k := range out.val {
			out.val[k] *= inv
		}
	}
	return out
}

var vecOptions = textfeat.Options{WordNgrams: 2, CharMin: 2, CharMax: 5, UseConcepts: true}

// blockWeights weigh word, char and concept features, equally. Chosen on
// the demo help center's example questions: cross-lingual hit@1 (an
// article's versions in fr, ko, tr, vi or ja removed, their example
// questions asked; TestQualityCrossLingual) went 0.508 / 0.883 / 0.899 /
// 0.915 / 0.909 with concept weights 0 / 0.5 / 0.75 / 1 / 1.5, and the
// monolingual cross-validation 0.888 (none) / 0.917 (0.5) / 0.923 (1).
// BANKING77 did not move (hit@1 0.9205 at 0.5 and at 1).
var blockWeights = [textfeat.NumBlocks]float32{1, 1, 1}

// pseudoShare is the number of pseudo-outliers trained per example
// question. Cross-validation on BANKING77 (open-intent, 19 of 77 intents
// held out) put 0.25, 0.5 and 1 within noise of each other, all above none
// (decision accuracy 0.824 -> 0.827-0.830, hit@1 0.926 -> 0.928).
const pseudoShare = 0.5

// trainRanker fits a ranker on exs. Examples with Label < 0 are skipped.
func trainRanker(exs []example, numLabels int, p rankerParams, train bool) *ranker {
	texts := make([]string, 0, len(exs))
	langs := make([]string, 0, len(exs))
	for _, e := range exs {
		texts = append(texts, e.Text)
		langs = append(langs, e.Lang)
	}
	v := &vectorizer{Opts: vecOptions, BlockWeight: blockWeights, Lexicon: p.Lexicon}
	v.fit(texts, langs, 1)
	r := &ranker{NumLabels: numLabels, Vec: v}
	xs := r.index(exs)
	if train && numLabels >= 2 && numLabels <= p.MaxLabels {
		ys := make([]int, len(exs))
		for i, e := range exs {
			ys[i] = e.Label
		}
		svmXs, svmYs, k := xs, ys, numLabels
		if pseudoShare > 0 {
			px := pseudoOutliers(xs, ys, int(pseudoShare*float64(len(xs))))
			svmXs = append(slices.Clone(xs), px...)
			svmYs = slices.Clone(ys)
			for range px {
				svmYs = append(svmYs, numLabels)
			}
			k++
		}
		m := trainSVM(svmXs, svmYs, k, len(v.IDF), p.C, p.Epochs, runtime.GOMAXPROCS(0))
		r.Model = m.sparsify(1e-4)
		r.LR = trainSoftmax(xs, ys, numLabels, len(v.IDF), p.LREpochs, 0.5).sparsify(1e-3)
	}
	return r
}

// index vectorises exs in parallel and builds the kNN postings.
func (r *ranker) index(exs []example) []sparse {
	xs := make([]sparse, len(exs))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(exs); i += workers {
				xs[i] = r.Vec.transform(exs[i].Text, exs[i].Lang)
			}
		}()
	}
	wg.Wait()
	r.post = make([][]int32, len(r.Vec.IDF))
	r.pval = make([][]float32, len(r.Vec.IDF))
	r.labels = make([]int32, len(exs))
	for i, x := range xs {
		r.labels[i] = int32(exs[i].Label)
		for k, f := range x.idx {
			r.post[f] = append(r.post[f], int32(i))
			r.pval[f] = append(r.pval[f], x.val[k])
		}
	}
	return xs
}

// signals returns, per label, the SVM score and the softmax regression's
// log-probability relative to the best (nil without a model) and the best
// cosine similarity to one of the label's examples.
func (r *ranker) signals(text, lang string) (clf, knn, lr []float32, nov novelty) {
	x, nov := r.Vec.transformNovelty(text, lang)
	if r.Model != nil {
		clf = make([]float32, r.Model.K)
		r.Model.scores(x, clf)
		if r.Model.K > r.NumLabels {
			// The pseudo-outlier class: how much the query looks like a
			// blend of articles rather than one of them.
			top := clf[0]
			for _, v := range clf[:r.NumLabels] {
				top = max(top, v)
			}
			nov.Outlier = clf[r.NumLabels]
			nov.OutlierMargin = clf[r.NumLabels] - top
			clf = clf[:r.NumLabels]
		}
	}
	if r.LR != nil {
		lr = make([]float32, r.NumLabels)
		r.LR.scores(x, lr)
		// Log-softmax minus its maximum is just the scores minus their
		// maximum: 0 for the favourite, negative for the others.
		mx := lr[0]
		for _, v := range lr {
			mx = max(mx, v)
		}
		for i := range lr {
			lr[i] -= mx
		}
	}
	knn = make([]float32, r.NumLabels)
	if len(r.labels) == 0 {
		return clf, knn, lr, nov
	}
	r.nearest(x, knn)
	return clf, knn, lr, nov
}

// nearest sets knn[l] to the best cosine similarity between x and an
// example of label l.
//
// go:norace: see svmClass.
//
//go:norace
func (r *ranker) nearest(x sparse, knn []float32) {
	sims := make([]float32, len(r.labels))
	for k, f := range x.idx {
		v := x.val[k]
		pv := r.pval[f]
		for j, d := range r.post[f] {
			sims[d] += v * pv[j]
		}
	}
	for i, s := range sims {
		if l := r.labels[i]; s > knn[l] {
			knn[l] = s
		}
	}
}

// sigmoid is the logistic function.
func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// topLabels returns the indexes of the n largest values of s; with
// positive set, only of positive values (kNN similarities: with thousands
// of articles most are 0 and need no sorting).
func topLabels(s []float32, n int, positive bool) []int {
	idx := make([]int, 0, min(len(s), 1024))
	for i, v := range s {
		if !positive || v > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case s[a] > s[b]:
			return -1
		case s[a] < s[b]:
			return 1
		}
		return 0
	})
	if len(idx) > n {
		idx = idx[:n]
	}
	return idx
}
