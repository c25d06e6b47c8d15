package retrieval

import (
	"math"
	"slices"
)

// Signals fused into an article's score.
const (
	sigClf   = iota // linear SVM over the example questions
	sigKNN          // best cosine to one example question
	sigDense        // best passage embedding cosine
	sigBM25         // bleve BM25 over title, tags and body, divided by the best
	sigLR           // softmax regression log-probability, minus the best one's
	numSignals
)

// fusion is a learned linear combination of the signals. Weighted score
// fusion rather than reciprocal rank fusion: the scores carry how sure
// each signal is, which RRF throws away and the calibration needs.
type fusion struct {
	W [numSignals]float64
}

// defaultFusion is used when there are too few example questions to
// cross-validate: mostly content (dense and BM25) with the question
// signals as a tiebreak.
var defaultFusion = fusion{W: [numSignals]float64{1, 0.5, 1, 0.5, 0.1}}

func (f fusion) score(s [numSignals]float32) float64 {
	var sum float64
	for i, w := range f.W {
		sum += w * float64(s[i])
	}
	return sum
}

// candidate is one article (label) with its signals, for one query.
type candidate struct {
	Label int
	Sig   [numSignals]float32
}

// cvQuery is a held-out example question with the candidates the fold's
// index found, for tuning the fusion and the calibration. Gold is -1 for a
// question whose article was held out entirely (a simulated unknown intent).
type cvQuery struct {
	Gold    int
	Lang    string // the question's language
	Cands   []candidate
	Novelty novelty
}

// rank orders cands by fused score, best first, ties by label.
func (f fusion) rank(cands []candidate) []scored {
	out := make([]scored, len(cands))
	for i, c := range cands {
		out[i] = scored{c, f.score(c.Sig)}
	}
	slices.SortFunc(out, func(a, b scored) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return a.Label - b.Label
	})
	return out
}

type scored struct {
	candidate
	Score float64
}

// tuneFusion picks the fusion weights that maximise top-1 accuracy (ties
// broken by mean reciprocal rank) on the known-intent CV questions, by
// coordinate ascent over a grid of values per weight: the objective is a
// step function, so gradients are useless, and a full grid over five
// weights would cost minutes. The classifier's weight is fixed at 1 (it
// sets the scale) when there is a classifier.
func tuneFusion(qs []cvQuery, hasClf bool) fusion {
	grid := []float64{0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2}
	best := defaultFusion
	free := []int{sigKNN, sigDense, sigBM25, sigLR}
	if !hasClf {
		best.W[sigClf], best.W[sigLR] = 0, 0
		free = []int{sigKNN, sigDense, sigBM25}
	}
	bestObj := best.objective(qs)
	for round := 0; round < 3; round++ {
		improved := false
		for _, sig := range free {
			for _, v := range grid {
				f := best
				f.W[sig] = v
				if obj := f.objective(qs); obj > bestObj+1e-9 {
					best, bestObj, improved = f, obj, true
				}
			}
		}
		if !improved {
			break
		}
	}
	return best
}

func (f fusion) objective(qs []cvQuery) float64 {
	var acc, mrr float64
	n := 0
	for _, q := range qs {
		if q.Gold < 0 {
			continue
		}
		n++
		gold := math.Inf(-1)
		for _, c := range q.Cands {
			if c.Label == q.Gold {
				gold = f.score(c.Sig)
			}
		}
		if math.IsInf(gold, -1) {
			continue
		}
		rank := 0
		for _, c := range q.Cands {
			if c.Label == q.Gold {
				continue
			}
			if sc := f.score(c.Sig); sc > gold || (sc == gold && c.Label < q.Gold) {
				rank++
			}
		}
		if rank == 0 {
			acc++
		}
		mrr += 1 / float64(rank+1)
	}
	if n == 0 {
		return 0
	}
	return (acc + 0.01*mrr) / float64(n)
}

// confFeatures describe how sure a ranking is: the top fused score, its
// margin over the second, the top article's raw classifier and kNN
// signals (an unknown intent tends to have a low kNN similarity even when
// the classifier, forced to choose, is confident), the classifier's and
// kNN's own margins between their best and second-best articles, and the
// softmax regression's maximum probability (the classic out-of-scope
// baseline of Hendrycks and Gimpel), over the candidates; then the top
// fused score and kNN similarity relative to what is typical for that
// article's own questions (labelStats): like the per-class decision
// boundaries of ADB (Zhang et al. 2021), an article whose questions are
// all alike needs a closer match than one whose questions vary; last,
// the best kNN similarity to any article, and whether the softmax
// regression agrees with the fused top article (its relative
// log-probability, 0 when it does); then what the query itself says
// (novelty): the share of its words and of its char n-grams that no
// example question has, and the classifier's score for the pseudo-outlier
// class (see pseudoOutliers), alone and against the best article's.
const numConfFeatures = 15

// labelStats are the mean fused score and kNN similarity of each label's
// correctly ranked questions in cross-validation; Global is the fallback
// for labels without any.
type labelStats struct {
	Score, KNN             []float64
	GlobalScore, GlobalKNN float64
}

func fitLabelStats(numLabels int, cv []cvQuery, fu fusion) labelStats {
	st := labelStats{Score: make([]float64, numLabels), KNN: make([]float64, numLabels)}
	n := make([]int, numLabels)
	total := 0
	for _, q := range cv {
		r := fu.rank(q.Cands)
		if q.Gold < 0 || len(r) == 0 || r[0].Label != q.Gold {
			continue
		}
		st.Score[q.Gold] += r[0].Score
		st.KNN[q.Gold] += float64(r[0].Sig[sigKNN])
		st.GlobalScore += r[0].Score
		st.GlobalKNN += float64(r[0].Sig[sigKNN])
		n[q.Gold]++
		total++
	}
	if total > 0 {
		st.GlobalScore /= float64(total)
		st.GlobalKNN /= float64(total)
	}
	for l := range n {
		if n[l] == 0 {
			st.Score[l], st.KNN[l] = st.GlobalScore, st.GlobalKNN
		} else {
			// Shrink towards the global mean: a few questions give a noisy mean.
			const prior = 3
			st.Score[l] = (st.Score[l] + prior*st.GlobalScore) / float64(n[l]+prior)
			st.KNN[l] = (st.KNN[l] + prior*st.GlobalKNN) / float64(n[l]+prior)
		}
	}
	return st
}

func confFeatures(r []scored, st *labelStats, nov novelty) [numConfFeatures]float64 {
	var x [numConfFeatures]float64
	x[11] = float64(nov.UnknownWords)
	x[12] = float64(nov.UnknownChars)
	x[13] = float64(nov.Outlier)
	x[14] = float64(nov.OutlierMargin)
	if len(r) == 0 {
		return x
	}
	if st != nil && r[0].Label < len(st.Score) {
		x[7] = r[0].Score - st.Score[r[0].Label]
		x[8] = float64(r[0].Sig[sigKNN]) - st.KNN[r[0].Label]
	}
	x[0] = r[0].Score
	if len(r) > 1 {
		x[1] = r[0].Score - r[1].Score
	} else {
		x[1] = r[0].Score
	}
	x[2] = float64(r[0].Sig[sigClf])
	x[3] = float64(r[0].Sig[sigKNN])
	for k, sig := range []int{sigClf, sigKNN} {
		var a, b float32 = -1e9, -1e9
		for _, c := range r {
			if v := c.Sig[sig]; v > a {
				a, b = v, a
			} else if v > b {
				b = v
			}
		}
		// With a single candidate, the margin is over nothing (0), as
		// x[1]'s is. That happens in cross-validation of a two-article
		// help center, in the folds that hold one out: a margin of 0
		// there taught the confidence model that any question with two
		// candidates, as every question has after training, is known
		// ("car insurance" answered at 0.47 with two articles).
		if b > -1e9 {
			x[4+k] = float64(a - b)
		} else {
			x[4+k] = float64(a)
		}
	}
	// Sig[sigLR] is the log-probability minus the best one's, so the best
	// probability is 1/sum(exp(Sig)).
	var z float64
	for _, c := range r {
		z += math.Exp(float64(c.Sig[sigLR]))
	}
	x[6] = -math.Log(z)
	for _, c := range r {
		x[9] = max(x[9], float64(c.Sig[sigKNN]))
	}
	x[10] = float64(r[0].Sig[sigLR])
	return x
}

// calibration maps confidence features to the probability that the top
// article is right: logistic regression (Platt scaling generalised to a
// few features), fitted on cross-validated rankings.
type calibration struct {
	Mean, Scale [numConfFeatures]float64
	// Lo and Hi are the range of each standardised feature in the data
	// the model was fitted on; expand clamps to it, because a quadratic
	// model evaluated far outside its data says anything (a Chinese
	// question on an English help center, all of its words unknown, got
	// 1.0). Both zero (an old snapshot, the default) means no clamping.
	Lo, Hi [numConfFeatures]float64
	// W weighs the standardised features and their pairwise products
	// (see expand): the evidence for an unknown question is in
	// combinations, such as a confident classifier with a far nearest
	// neighbour.
	W []float64
	B float64
	// Linear is a model linear in the standardised features, bias last,
	// for questions outside the range of the fitted data.
	Linear []float64
	// Threshold is the recommended abstain threshold on the confidence.
	Threshold float64
	Labels    labelStats
	// CV is what cross-validation measured, for operators.
	CV Validation
}

// Validation is what cross-validation over the example questions measured
// when the index was trained: how the fused ranking and the abstain
// threshold did on questions the models had not seen, with some articles
// held out entirely.
type Validation struct {
	Questions        int     // held-out questions evaluated
	Unknown          int     // of which from held-out articles
	HitAt1           float64 // top-1 accuracy on the known-article questions
	DecisionAccuracy float64 // right answers plus right abstentions, at Threshold
	// ByLanguage is HitAt1 for each language's known-article questions:
	// which language's example questions the help center should work on.
	ByLanguage map[string]LanguageValidation
}

// LanguageValidation is cross-validation's top-1 accuracy on one
// language's held-out questions about known articles.
type LanguageValidation struct {
	Questions int
	HitAt1    float64
}

// defaultCalibration is used before there is data to fit one: it maps the
// top fused score through a sigmoid centred on a middling score.
var defaultCalibration = calibration{
	Scale: [numConfFeatures]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
	W:     []float64{6}, B: -3, Threshold: 0.5,
}

// expand standardises x and appends the pairwise products (squares
// included) of the standardised features.
func (c *calibration) expand(x [numConfFeatures]float64) []float64 {
	e, _ := c.expandOutside(x)
	return e
}

// expandOutside is expand, and also says whether some feature of x lies
// beyond the range of the fitted data by more than a quarter of a
// standard deviation (it is clamped to the range either way).
func (c *calibration) expandOutside(x [numConfFeatures]float64) (e []float64, outside bool) {
	e = make([]float64, 0, numConfFeatures*(numConfFeatures+3)/2)
	for i := range x {
		v := (x[i] - c.Mean[i]) / c.Scale[i]
		if c.Lo[i] < c.Hi[i] {
			outside = outside || v < c.Lo[i]-0.25 || v > c.Hi[i]+0.25
			v = min(max(v, c.Lo[i]), c.Hi[i])
		}
		e = append(e, v)
	}
	for i := 0; i < numConfFeatures; i++ {
		for j := i; j < numConfFeatures; j++ {
			e = append(e, e[i]*e[j])
		}
	}
	return e, outside
}

func (c *calibration) confidence(x [numConfFeatures]float64) float64 {
	e, outside := c.expandOutside(x)
	w, b := c.W, c.B
	if len(c.Linear) == numConfFeatures+1 && outside {
		w, b = c.Linear[:numConfFeatures], c.Linear[numConfFeatures]
	}
	z := b
	for i, v := range e[:len(w)] {
		z += w[i] * v
	}
	return sigmoid(z)
}

// fitCalibration fits the logistic regression by Newton's method with a
// small ridge penalty (deterministic, converges in a few iterations for
// a few parameters) and then picks the abstain threshold that maximises
// decision accuracy: right when a known intent is answered correctly or an
// unknown one (unknown[i]) is abstained on. Abstaining on a known intent
// is wrong even when the answer would have been wrong, as in the
// evaluation's definition.
func fitCalibration(xs [][numConfFeatures]float64, ys, unknown []bool) calibration {
	const d = numConfFeatures
	var c calibration
	n := float64(len(xs))
	if len(xs) < 10 {
		return defaultCalibration
	}
	for j := 0; j < d; j++ {
		var s, ss float64
		for _, x := range xs {
			s += x[j]
			ss += x[j] * x[j]
		}
		c.Mean[j] = s / n
		c.Scale[j] = math.Sqrt(max(ss/n-c.Mean[j]*c.Mean[j], 1e-12))
	}
	for j := 0; j < d; j++ {
		c.Lo[j], c.Hi[j] = math.Inf(1), math.Inf(-1)
		for _, x := range xs {
			v := (x[j] - c.Mean[j]) / c.Scale[j]
			c.Lo[j], c.Hi[j] = min(c.Lo[j], v), max(c.Hi[j], v)
		}
	}
	// The pairwise products need data: 135 weights fitted on a small
	// help center's few dozen mistakes and unknowns separate them
	// perfectly and extrapolate wildly (an off-topic question got 1.0).
	// Below minPairEvidence of the rarer outcome, the model is linear in
	// the 15 features, with a stronger ridge.
	rare := 0
	for _, y := range ys {
		if !y {
			rare++
		}
	}
	rare = min(rare, len(ys)-rare)
	zs := make([][]float64, len(xs))
	for i, x := range xs {
		zs[i] = c.expand(x)
	}
	// The linear model is also kept for questions outside the data's
	// range (see confidence), where it is the safer one: monotone in
	// each feature, and in the direction that feature can only point.
	c.Linear = fitMonotone(zs, ys, 1e-2)
	if rare < minPairEvidence {
		c.W, c.B = c.Linear[:d], c.Linear[d]
	} else {
		// The ridge keeps the product weights small where the data do
		// not ask for them.
		w := fitLogistic(zs, len(zs[0]), ys, 1e-3)
		c.W, c.B = w[:len(w)-1], w[len(w)-1]
	}

	// Threshold: try every distinct confidence as a cut point.
	type pc struct {
		p       float64
		ok, unk bool
	}
	ps := make([]pc, len(xs))
	for i, x := range xs {
		ps[i] = pc{c.confidence(x), ys[i], unknown[i]}
	}
	slices.SortFunc(ps, func(a, b pc) int {
		switch {
		case a.p < b.p:
			return -1
		case a.p > b.p:
			return 1
		}
		return 0
	})
	// Abstaining below ps[i].p: right on the wrong ones below, and on the
	// right ones at or above. Start with abstaining on nothing.
	right := 0
	for _, p := range ps {
		if p.ok {
			right++
		}
	}
	best, bestT := right, 0.0
	for i := 0; i < len(ps); i++ {
		if ps[i].ok {
			right--
		} else if ps[i].unk {
			right++
		}
		if i+1 < len(ps) && ps[i+1].p == ps[i].p {
			continue
		}
		if right > best {
			best = right
			if i+1 < len(ps) {
				bestT = (ps[i].p + ps[i+1].p) / 2
			} else {
				bestT = math.Nextafter(ps[i].p, 2)
			}
		}
	}
	c.Threshold = bestT
	c.CV.DecisionAccuracy = float64(best) / n
	return c
}

// confSign is the direction in which each confidence feature (see
// confFeatures) can only move the odds that the top article is right:
// scores, similarities, margins and agreement up; the share of unknown
// words and n-grams and the pseudo-outlier class's score down.
var confSign = [numConfFeatures]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1}

// fitMonotone fits the linear logistic model over the standardised
// features with every weight's sign as confSign says, or zero. The
// features are strongly correlated, and on a small help center's few
// hundred questions an unconstrained fit gives some of them the wrong
// sign as a contrast to the others (it weighed the softmax regression's
// top probability negatively, so that a Chinese question about the
// weather on a four-article English help center got 0.45 because no
// article was likely). Active set: drop the feature whose weight is the
// most wrong and refit, until none is; a dropped feature's column is
// zeroed, which the ridge holds at a zero weight.
func fitMonotone(zs [][]float64, ys []bool, lambda float64) []float64 {
	const d = numConfFeatures
	cols := make([][]float64, len(zs))
	for i, z := range zs {
		cols[i] = slices.Clone(z[:d])
	}
	for {
		w := fitLogistic(cols, d, ys, lambda)
		worst := -1
		for j := range d {
			if v := w[j] * confSign[j]; v < 0 && (worst < 0 || v < w[worst]*confSign[worst]) {
				worst = j
			}
		}
		if worst < 0 {
			return w
		}
		for _, z := range cols {
			z[worst] = 0
		}
	}
}

// fitLogistic fits a logistic regression on the first dim values of each
// of zs by Newton's method with a ridge penalty lambda (not on the bias),
// and returns the weights with the bias last.
func fitLogistic(zs [][]float64, dim int, ys []bool, lambda float64) []float64 {
	n := float64(len(zs))
	dim++ // the bias
	z := func(i, j int) float64 {
		if j == dim-1 {
			return 1
		}
		return zs[i][j]
	}
	w := make([]float64, dim)
	for iter := 0; iter < 30; iter++ {
		g := make([]float64, dim)
		h := make([][]float64, dim)
		for j := range h {
			h[j] = make([]float64, dim)
		}
		for i := range zs {
			var t float64
			for j := range w {
				t += w[j] * z(i, j)
			}
			p := sigmoid(t)
			y := 0.0
			if ys[i] {
				y = 1
			}
			pq := p * (1 - p)
			for j := 0; j < dim; j++ {
				zj := z(i, j)
				g[j] += (p - y) * zj
				hj := h[j]
				for k := j; k < dim; k++ {
					hj[k] += pq * zj * z(i, k)
				}
			}
		}
		for j := 0; j < dim; j++ {
			for k := 0; k < j; k++ {
				h[j][k] = h[k][j]
			}
			if j < dim-1 {
				g[j] += lambda * n * w[j]
				h[j][j] += lambda * n
			}
		}
		h[dim-1][dim-1] += 1e-9
		step := solve(h, g)
		var moved float64
		for j := range w {
			w[j] -= step[j]
			moved = max(moved, math.Abs(step[j]))
		}
		if moved < 1e-7 {
			break
		}
	}
	return w
}

// minPairEvidence is the number of wrong-or-unknown (and of right) CV
// questions below which the calibration has no pairwise products.
const minPairEvidence = 100

// solve solves the small dense system a x = b by Gaussian elimination
// with partial pivoting. a and b are overwritten.
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	for col := 0; col < n; col++ {
		p := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		a[col], a[p] = a[p], a[col]
		b[col], b[p] = b[p], b[col]
		if a[col][col] == 0 {
			continue
		}
		for r := col + 1; r < n; r++ {
			f := a[r][col] / a[col][col]
			for k := col; k < n; k++ {
				a[r][k] -= f * a[col][k]
			}
			b[r] -= f * b[col]
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < n; k++ {
			s -= a[r][k] * x[k]
		}
		if a[r][r] != 0 {
			x[r] = s / a[r][r]
		}
	}
	return x
}
