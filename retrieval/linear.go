package retrieval

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/supportbot/supportbot/knowledge/lexicon"
	"github.com/supportbot/supportbot/retrieval/internal/textfeat"
)

// sparse is a sparse vector with sorted, distinct indexes.
type sparse struct {
	idx []int32
	val []float32
}

// dot is the dot product of s and w.
//
// go:norace: see svmClass.
//
//go:norace
func (s sparse) dot(w []float32) float32 {
	var sum float32
	for k, i := range s.idx {
		sum += w[i] * s.val[k]
	}
	return sum
}

func (s sparse) sqnorm() float32 {
	var sum float32
	for _, v := range s.val {
		sum += v * v
	}
	return sum
}

// vectorizer maps text to tf-idf vectors over a vocabulary learned from
// the training texts: sublinear tf (1+log tf), smoothed idf, each feature
// block L2-normalised and weighted, then the whole vector normalised.
type vectorizer struct {
	Opts        textfeat.Options
	BlockWeight [textfeat.NumBlocks]float32
	Vocab       map[uint64]int32
	Block       []uint8   // per feature index
	IDF         []float32 // per feature index
	// Lexicon is the help center's additions to the built-in support
	// lexicon, saved with the vectorizer so that questions are read with
	// the concepts the model was trained on.
	Lexicon lexicon.Lexicon

	conceptsOnce sync.Once
	concepts     *textfeat.ConceptSet
}

type hashed struct {
	h uint64
	b textfeat.Block
}

// stemmers caches textfeat.Stemmer per language.
var stemmers sync.Map

// options returns v's feature options for a text in lang.
func (v *vectorizer) options(lang string) textfeat.Options {
	o := v.Opts
	if o.UseConcepts {
		v.conceptsOnce.Do(func() { v.concepts = textfeat.ConceptsWith(v.Lexicon) })
		o.Concepts = v.concepts.For(lang).Match
	}
	if f, ok := stemmers.Load(lang); ok {
		o.Stem = f.(func(string) string)
		return o
	}
	f := textfeat.Stemmer(lang)
	if f != nil {
		stemmers.Store(lang, f)
	}
	o.Stem = f
	return o
}

func collect(text string, o textfeat.Options, buf []hashed) []hashed {
	buf = buf[:0]
	textfeat.Features(text, o, func(h uint64, b textfeat.Block) {
		buf = append(buf, hashed{h, b})
	})
	slices.SortFunc(buf, func(a, b hashed) int {
		switch {
		case a.h < b.h:
			return -1
		case a.h > b.h:
			return 1
		}
		return 0
	})
	return buf
}

// fit learns the vocabulary and idf. Features seen in fewer than minDF
// texts are dropped: they cannot generalise and would only add weights.
func (v *vectorizer) fit(texts, langs []string, minDF int) {
	df := map[uint64]int32{}
	blk := map[uint64]textfeat.Block{}
	var buf []hashed
	for i, t := range texts {
		buf = collect(t, v.options(langs[i]), buf)
		for i, f := range buf {
			if i > 0 && buf[i-1].h == f.h {
				continue
			}
			df[f.h]++
			blk[f.h] = f.b
		}
	}
	keys := make([]uint64, 0, len(df))
	for h, n := range df {
		if int(n) >= minDF {
			keys = append(keys, h)
		}
	}
	slices.Sort(keys) // deterministic feature order
	v.Vocab = make(map[uint64]int32, len(keys))
	v.Block = make([]uint8, len(keys))
	v.IDF = make([]float32, len(keys))
	n := float64(len(texts))
	for i, h := range keys {
		v.Vocab[h] = int32(i)
		v.Block[i] = uint8(blk[h])
		v.IDF[i] = float32(math.Log((1+n)/(1+float64(df[h]))) + 1)
	}
}

// transform vectorises text; unknown features are ignored.
func (v *vectorizer) transform(text, lang string) sparse {
	x, _ := v.transformNovelty(text, lang)
	return x
}

// novelty is what a query says about itself, whatever the candidates:
// the share of its distinct word and char features that no training text
// had (words no example question uses are a clear sign of a question about
// something the help center does not cover), and the classifier's score
// for the pseudo-outlier class.
type novelty struct {
	UnknownWords, UnknownChars float32
	Outlier, OutlierMargin     float32
}

// transformNovelty is transform that also reports the text's novelty.
func (v *vectorizer) transformNovelty(text, lang string) (sparse, novelty) {
	buf := collect(text, v.options(lang), make([]hashed, 0, 256))
	var seen, unknown [textfeat.NumBlocks]int
	var out sparse
	var norms [textfeat.NumBlocks]float32
	for i := 0; i < len(buf); {
		j := i + 1
		for j < len(buf) && buf[j].h == buf[i].h {
			j++
		}
		seen[buf[i].b]++
		if id, ok := v.Vocab[buf[i].h]; !ok {
			unknown[buf[i].b]++
		} else {
			w := (1 + float32(math.Log(float64(j-i)))) * v.IDF[id]
			out.idx = append(out.idx, id)
			out.val = append(out.val, w)
			norms[v.Block[id]] += w * w
		}
		i = j
	}
	var scale [textfeat.NumBlocks]float32
	var total float32
	for b := range norms {
		if norms[b] > 0 {
			scale[b] = v.BlockWeight[b] / float32(math.Sqrt(float64(norms[b])))
			total += v.BlockWeight[b] * v.BlockWeight[b]
		}
	}
	if total > 0 {
		t := 1 / float32(math.Sqrt(float64(total)))
		for k, id := range out.idx {
			out.val[k] *= scale[v.Block[id]] * t
		}
	}
	// Sort by index so that dot products walk memory in order.
	sortSparse(&out)
	var nov novelty
	if n := seen[textfeat.BlockWord]; n > 0 {
		nov.UnknownWords = float32(unknown[textfeat.BlockWord]) / float32(n)
	}
	if n := seen[textfeat.BlockChar]; n > 0 {
		nov.UnknownChars = float32(unknown[textfeat.BlockChar]) / float32(n)
	} else {
		// Text in CJK scripts has no char n-grams inside words: its
		// characters and their pairs are its word features. Reporting
		// 0 here said "every n-gram known" of a Chinese question on an
		// English help center.
		nov.UnknownChars = nov.UnknownWords
	}
	return out, nov
}

func sortSparse(s *sparse) {
	type p struct {
		i int32
		v float32
	}
	ps := make([]p, len(s.idx))
	for k := range ps {
		ps[k] = p{s.idx[k], s.val[k]}
	}
	slices.SortFunc(ps, func(a, b p) int { return int(a.i - b.i) })
	for k := range ps {
		s.idx[k], s.val[k] = ps[k].i, ps[k].v
	}
}

// linearModel is a one-vs-rest linear classifier: score(c) = W[c]·x + B[c].
// Weights are stored feature-major (W[f*K+c]) so that scoring a query
// touches one contiguous run of K weights per query feature.
type linearModel struct {
	K   int
	Dim int
	W   []float32 // Dim*K, feature-major
	B   []float32 // K
}

// scores writes every class's score for x into out (len K).
//
// go:norace: see svmClass.
//
//go:norace
func (m *linearModel) scores(x sparse, out []float32) {
	copy(out, m.B)
	for k, i := range x.idx {
		row := m.W[int(i)*m.K : int(i)*m.K+m.K]
		v := x.val[k]
		for c, w := range row {
			out[c] += w * v
		}
	}
}

// trainSVM fits one-vs-rest L2-regularised squared-hinge linear SVMs with
// the dual coordinate descent of liblinear (Hsieh et al. 2008). It is
// written here rather than imported because the only Go ports wrap the C
// library (cgo) or solve the primal with gradient descent, which needs
// tens of passes more on sparse text; dual CD converges in a few passes,
// costs O(nnz) per pass and is deterministic with a seeded shuffle.
// The bias is learned as the weight of a constant feature of value bias.
func trainSVM(xs []sparse, ys []int, k, dim int, c float64, epochs int, workers int) *linearModel {
	const bias = 1.0
	n := len(xs)
	qd := make([]float32, n)
	diag := float32(0.5 / c)
	for i, x := range xs {
		qd[i] = x.sqnorm() + bias*bias + diag
	}
	m := &linearModel{K: k, Dim: dim, W: make([]float32, dim*k), B: make([]float32, k)}
	var wg sync.WaitGroup
	next := make(chan int)
	var mu sync.Mutex
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := make([]float32, dim)
			alpha := make([]float32, n)
			perm := make([]int, n)
			for cls := range next {
				b := svmClass(xs, ys, cls, qd, diag, epochs, w, alpha, perm)
				mu.Lock()
				for f, v := range w {
					m.W[f*k+cls] = v
				}
				m.B[cls] = b * bias
				mu.Unlock()
			}
		}()
	}
	for cls := 0; cls < k; cls++ {
		next <- cls
	}
	close(next)
	wg.Wait()
	return m
}

// svmClass runs dual coordinate descent for class cls against the rest,
// leaving the weights in w (len dim) and returning the bias. w, alpha
// and perm are the caller's scratch space, overwritten.
//
// It is marked go:norace: it touches only its arguments, which belong to
// one goroutine, and the race detector's instrumentation of these loops
// made training ten times slower under `go test -race`, which the test
// suite runs.
//
//go:norace
func svmClass(xs []sparse, ys []int, cls int, qd []float32, diag float32, epochs int, w, alpha []float32, perm []int) float32 {
	const bias = 1.0
	n := len(xs)
	clear(w)
	clear(alpha)
	var b float32
	for i := range perm {
		perm[i] = i
	}
	rng := rand.New(rand.NewPCG(uint64(cls), 7))
	// liblinear's shrinking: a negative example whose
	// gradient shows it will stay at alpha=0 is dropped from
	// the active set, so later passes touch few examples.
	active := n
	pgMaxOld := float32(math.Inf(1))
	for ep := 0; ep < epochs; ep++ {
		rng.Shuffle(active, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		pgMaxNew, pgMinNew := float32(math.Inf(-1)), float32(math.Inf(1))
		for s := 0; s < active; s++ {
			i := perm[s]
			y := float32(-1)
			if ys[i] == cls {
				y = 1
			}
			g := y*(xs[i].dot(w)+b*bias) - 1 + diag*alpha[i]
			var pg float32
			if alpha[i] == 0 {
				if g > pgMaxOld {
					active--
					perm[s], perm[active] = perm[active], perm[s]
					s--
					continue
				} else if g < 0 {
					pg = g
				}
			} else {
				pg = g
			}
			pgMaxNew, pgMinNew = max(pgMaxNew, pg), min(pgMinNew, pg)
			if abs32(pg) < 1e-12 {
				continue
			}
			old := alpha[i]
			alpha[i] = max(old-g/qd[i], 0)
			if d := (alpha[i] - old) * y; d != 0 {
				for kk, f := range xs[i].idx {
					w[f] += d * xs[i].val[kk]
				}
				b += d * bias
			}
		}
		if pgMaxNew-pgMinNew <= svmEps {
			if active == n {
				break
			}
			active = n
			pgMaxOld = float32(math.Inf(1))
			continue
		}
		pgMaxOld = pgMaxNew
		if pgMaxOld <= 0 {
			pgMaxOld = float32(math.Inf(1))
		}
	}
	return b
}

// svmEps is liblinear's default stopping tolerance on the projected
// gradient's spread.
const svmEps = 0.1

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

// sparseModel is a linearModel stored by feature: the (class, weight)
// pairs of each feature with a non-negligible weight. One-vs-rest SVM
// weights are mostly near zero outside each class's own vocabulary, so
// this is several times smaller than a dense matrix, and scoring touches
// only the classes a query's features speak for.
type sparseModel struct {
	K   int
	Off []int32 // len Dim+1: the pairs of feature f are [Off[f], Off[f+1])
	Cls []int32
	W   []float32
	B   []float32
}

// sparsify keeps the weights whose magnitude is at least eps.
func (m *linearModel) sparsify(eps float32) *sparseModel {
	s := &sparseModel{K: m.K, Off: make([]int32, m.Dim+1), B: slices.Clone(m.B)}
	for f := 0; f < m.Dim; f++ {
		for c, w := range m.W[f*m.K : f*m.K+m.K] {
			if abs32(w) >= eps {
				s.Cls = append(s.Cls, int32(c))
				s.W = append(s.W, w)
			}
		}
		s.Off[f+1] = int32(len(s.W))
	}
	return s
}

// scores writes every class's score for x into out (len K).
//
// go:norace: see svmClass.
//
//go:norace
func (s *sparseModel) scores(x sparse, out []float32) {
	copy(out, s.B)
	for k, f := range x.idx {
		if int(f)+1 >= len(s.Off) {
			continue
		}
		v := x.val[k]
		for j := s.Off[f]; j < s.Off[f+1]; j++ {
			out[s.Cls[j]] += s.W[j] * v
		}
	}
}

// trainSoftmax fits a multinomial logistic regression by AdaGrad SGD
// over shuffled examples (seeded, so deterministic). Few passes and no
// explicit penalty: early stopping is the regulariser, as in fastText.
// It gives calibrated-looking class probabilities that complement the
// SVM's margins in the ensemble.
//
// go:norace: see svmClass.
//
//go:norace
func trainSoftmax(xs []sparse, ys []int, k, dim int, epochs int, lr float32) *linearModel {
	m := &linearModel{K: k, Dim: dim, W: make([]float32, dim*k), B: make([]float32, k)}
	g2 := make([]float32, dim*k)
	gb := make([]float32, k)
	perm := make([]int, len(xs))
	for i := range perm {
		perm[i] = i
	}
	rng := rand.New(rand.NewPCG(1, 2))
	s := make([]float32, k)
	for ep := 0; ep < epochs; ep++ {
		rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		for _, i := range perm {
			x := xs[i]
			m.scores(x, s)
			mx := s[0]
			for _, v := range s {
				mx = max(mx, v)
			}
			var z float32
			for c := range s {
				s[c] = float32(math.Exp(float64(s[c] - mx)))
				z += s[c]
			}
			for c := range s {
				s[c] /= z
			}
			s[ys[i]] -= 1 // gradient of the loss w.r.t. the scores
			for kk, f := range x.idx {
				v := x.val[kk]
				row := m.W[int(f)*k : int(f)*k+k]
				acc := g2[int(f)*k : int(f)*k+k]
				for c, g := range s {
					if g > -1e-4 && g < 1e-4 {
						continue
					}
					gg := g * v
					acc[c] += gg * gg
					row[c] -= lr * gg / float32(math.Sqrt(float64(acc[c])+1e-8))
				}
			}
			for c, g := range s {
				gb[c] += g * g
				m.B[c] -= lr * g / float32(math.Sqrt(float64(gb[c])+1e-8))
			}
		}
	}
	return m
}
