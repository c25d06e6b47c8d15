package retrieval

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/philippgille/chromem-go"
	"golang.org/x/sync/errgroup"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/knowledge/lexicon"
)

// passage is a knowledge.Passage with what retrieval needs about it.
type passage struct {
	knowledge.Passage
	ArticleID string
	Lang      string
	Category  string
	Label     int // index of ArticleID in state.labels
	Hash      string
	Vec       []float32 // nil until embedded with the current model
}

// storedRanker is the part of the ranker that is expensive to recompute
// and so is kept in the snapshot: the vocabulary and the SVM weights. The
// kNN postings are rebuilt from the articles at load.
type storedRanker struct {
	NumLabels int
	Vec       *vectorizer
	Model     *sparseModel
	LR        *sparseModel
}

// lexicon returns the lexicon additions r was trained with.
func (r *storedRanker) lexicon() lexicon.Lexicon {
	if r == nil || r.Vec == nil {
		return nil
	}
	return r.Vec.Lexicon
}

// tuning is what cross-validation learned.
type tuning struct {
	Fusion      fusion
	Calibration calibration
}

// state is an immutable view of the index; Sync and Reload build a new one
// and swap it in.
type state struct {
	articles  []*supportbot.Article // sorted by ID, then Lang
	byKey     map[string]*supportbot.Article
	byID      map[string][]*supportbot.Article
	hashes    map[string]string // article key -> content hash
	passages  []passage
	byArticle map[string][]int     // article key -> passage indexes
	vectors   map[string][]float32 // passage (and title) hash -> vector
	titleVecs map[string][]float32 // article key -> its title's vector
	langs     []string             // languages present

	dense   *chromem.Collection
	keyword bleve.Index

	labels    []string // article IDs; ranker labels index this
	labelIdx  map[string]int
	ranker    *ranker
	stored    *storedRanker
	tuning    *tuning
	trainHash string
}

// articleHash identifies an article's content; Sync compares it to tell
// changed articles from unchanged ones.
func articleHash(a *supportbot.Article) string {
	h := sha256.New()
	field := func(s string) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	field(a.ID)
	field(a.Lang)
	field(a.Title)
	field(a.Category)
	field(a.URL)
	field(a.Body)
	field(a.Updated.UTC().Format("2006-01-02T15:04:05Z"))
	field(strconv.Itoa(len(a.Tags)))
	for _, t := range a.Tags {
		field(t)
	}
	field(strconv.Itoa(len(a.Questions)))
	for _, q := range a.Questions {
		field(q)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// passageHash identifies a passage's embedding input under a model.
func passageHash(model string, p knowledge.Passage) string {
	h := sha256.Sum256([]byte(model + "\x00" + p.Heading + "\x00" + p.Text))
	return hex.EncodeToString(h[:16])
}

// titlePassage is an article's title as a pseudo-passage, embedded with
// the passages (a passage with the same text shares its vector).
func titlePassage(a *supportbot.Article) knowledge.Passage {
	return knowledge.Passage{ArticleKey: a.Key(), Index: -1, Text: a.Title}
}

// embedText is what is embedded for a passage: the heading gives a short
// section its topic.
func embedText(p knowledge.Passage) string {
	if p.Heading == "" {
		return p.Text
	}
	return p.Heading + "\n" + p.Text
}

// trainingHash identifies the training data of the ranker: article IDs,
// languages, titles and questions (with what derivedExamples reads from
// the bodies of articles without enough of them), and the lexicon. Other
// body edits do not retrain it.
func trainingHash(arts []*supportbot.Article, lx lexicon.Lexicon) string {
	h := sha256.New()
	// The lexicon's concepts are features of the ranker: another lexicon
	// means retraining.
	fmt.Fprintf(h, "lexicon %s %s\n", lexicon.Fingerprint(), lx.Fingerprint())
	for _, a := range arts {
		fmt.Fprintf(h, "%q %q %q %d\n", a.ID, a.Lang, a.Title, len(a.Questions))
		for _, q := range a.Questions {
			fmt.Fprintf(h, "%q\n", q)
		}
		for _, t := range derivedExamples(a) {
			fmt.Fprintf(h, "derived %q\n", t)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// batchEmbedder is implemented by embedders that embed many texts in one
// request (embed.OpenAI).
type batchEmbedder interface {
	EmbedBatch(ctx context.Context, texts []string) ([][]float32, error)
}

// embedAll embeds passages, batched when the embedder can, with at most
// cfg.EmbedConcurrency calls in flight, cancelling on the first error.
func (ix *Index) embedAll(ctx context.Context, ps []knowledge.Passage, progress func(done, total int)) (map[string][]float32, error) {
	texts := make([]string, len(ps))
	for i, p := range ps {
		texts[i] = embedText(p)
	}
	vs, err := ix.embedTexts(ctx, texts, progress)
	if err != nil {
		return nil, fmt.Errorf("embed passages: %w", err)
	}
	out := make(map[string][]float32, len(ps))
	for i, p := range ps {
		out[passageHash(ix.model, p)] = vs[i]
	}
	return out, nil
}

// embedTexts embeds texts in batches of 64 (one request each when the
// embedder takes batches), with at most cfg.EmbedConcurrency batches in
// flight, cancelling on the first error. progress, if not nil, is called
// after each batch (and once with 0, 0 for no texts).
func (ix *Index) embedTexts(ctx context.Context, texts []string, progress func(done, total int)) ([][]float32, error) {
	out := make([][]float32, len(texts))
	if len(texts) == 0 {
		if progress != nil {
			progress(0, 0)
		}
		return out, nil
	}
	const batch = 64
	var mu sync.Mutex
	done := 0
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(ix.cfg.EmbedConcurrency)
	for start := 0; start < len(texts); start += batch {
		part := texts[start:min(start+batch, len(texts))]
		g.Go(func() error {
			var vs [][]float32
			if be, ok := ix.cfg.Embedder.(batchEmbedder); ok {
				var err error
				if vs, err = be.EmbedBatch(ctx, part); err != nil {
					return err
				}
				if len(vs) != len(part) {
					return fmt.Errorf("the embedder returned %d vectors for %d texts", len(vs), len(part))
				}
			} else {
				for _, t := range part {
					v, err := ix.cfg.Embedder.Embed(ctx, t)
					if err != nil {
						return err
					}
					vs = append(vs, v)
				}
			}
			copy(out[start:], vs)
			mu.Lock()
			defer mu.Unlock()
			done += len(part)
			if progress != nil {
				progress(done, len(texts))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// build assembles a state from articles and the vectors of their
// passages (by passage hash; missing ones are left unembedded). With a
// stored ranker and tuning it reuses them, otherwise it trains.
func (ix *Index) build(ctx context.Context, arts []*supportbot.Article, lx lexicon.Lexicon, vecs map[string][]float32, stored *storedRanker, tun *tuning, progress func(done, total int)) (*state, error) {
	arts = slices.Clone(arts)
	sort.Slice(arts, func(i, j int) bool {
		if arts[i].ID != arts[j].ID {
			return arts[i].ID < arts[j].ID
		}
		return arts[i].Lang < arts[j].Lang
	})
	s := &state{
		articles:  arts,
		byKey:     make(map[string]*supportbot.Article, len(arts)),
		byID:      map[string][]*supportbot.Article{},
		hashes:    make(map[string]string, len(arts)),
		byArticle: make(map[string][]int, len(arts)),
		vectors:   map[string][]float32{},
		titleVecs: map[string][]float32{},
		labelIdx:  map[string]int{},
	}
	langSeen := map[string]bool{}
	for _, a := range arts {
		s.byKey[a.Key()] = a
		s.byID[a.ID] = append(s.byID[a.ID], a)
		s.hashes[a.Key()] = articleHash(a)
		if !langSeen[a.Lang] {
			langSeen[a.Lang] = true
			s.langs = append(s.langs, a.Lang)
		}
	}
	sort.Strings(s.langs)

	labels, exs := trainingSet(arts)
	s.labels = labels
	for i, l := range labels {
		s.labelIdx[l] = i
	}

	db := chromem.NewDB()
	col, err := db.CreateCollection("passages", nil, chromem.EmbeddingFunc(ix.cfg.Embedder.Embed))
	if err != nil {
		return nil, fmt.Errorf("couldn't create collection: %w", err)
	}
	s.dense = col
	for _, a := range arts {
		for _, p := range knowledge.Chunk(a) {
			h := passageHash(ix.model, p)
			v := vecs[h]
			if v != nil {
				s.vectors[h] = v // kept even when zero: embedded, not to be embedded again
			}
			if v != nil && !nonZero(v) {
				v = nil // zero vectors cannot be normalised; they match nothing
			}
			i := len(s.passages)
			s.passages = append(s.passages, passage{Passage: p, ArticleID: a.ID, Lang: a.Lang,
				Category: a.Category, Label: s.labelIdx[a.ID], Hash: h, Vec: v})
			s.byArticle[a.Key()] = append(s.byArticle[a.Key()], i)
			if v == nil {
				continue
			}
			err := col.AddDocument(ctx, chromem.Document{
				ID:        strconv.Itoa(i),
				Metadata:  map[string]string{"category": a.Category},
				Embedding: v,
			})
			if err != nil {
				return nil, fmt.Errorf("couldn't add passage %s#%d: %w", a.Key(), p.Index, err)
			}
		}
	}
	// Title vectors, for choosing the passage to quote (bestPassage).
	for _, a := range arts {
		h := passageHash(ix.model, titlePassage(a))
		v := vecs[h]
		if v != nil {
			s.vectors[h] = v
		}
		if v != nil && nonZero(v) {
			s.titleVecs[a.Key()] = v
		}
	}
	if s.keyword, err = newKeywordIndex(arts); err != nil {
		return nil, err
	}

	s.trainHash = trainingHash(arts, lx)
	params := rankerParams{C: ix.cfg.C, Epochs: 10, MaxLabels: ix.cfg.MaxClassifierLabels, LREpochs: 5, Lexicon: lx}
	switch {
	case len(exs) == 0:
		s.tuning = &tuning{Fusion: defaultFusion, Calibration: defaultCalibration}
	case stored != nil && stored.NumLabels == len(labels) && tun != nil:
		s.ranker = &ranker{NumLabels: stored.NumLabels, Vec: stored.Vec, Model: stored.Model, LR: stored.LR}
		s.ranker.index(exs)
		s.stored, s.tuning = stored, tun
	default:
		t, err := s.crossValidate(ctx, ix, exs, params, progress)
		if err != nil {
			s.keyword.Close()
			return nil, err
		}
		s.tuning = t
		s.ranker = trainRanker(exs, len(labels), params, true)
		if progress != nil {
			progress(ix.cfg.Folds+1, ix.cfg.Folds+1)
		}
		s.stored = &storedRanker{NumLabels: len(labels), Vec: s.ranker.Vec, Model: s.ranker.Model, LR: s.ranker.LR}
	}
	return s, nil
}

// dot is the dot product of equal-length vectors, unrolled by four: the
// dense scan's inner loop.
//
// go:norace: see svmClass.
//
//go:norace
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

func nonZero(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return true
		}
	}
	return false
}

// request is one retrieval request after defaults.
type request struct {
	text, lang, category string
	vec                  []float32 // the text's embedding; nil when empty
}

// contentSignals are the signals that do not depend on the learned ranker:
// dense passage similarity and BM25, per label, for labels that pass the
// category filter.
func (s *state) contentSignals(ctx context.Context, q request, n int, useChromem bool) (dense, bm25 map[int]float32, err error) {
	dense, bm25 = map[int]float32{}, map[int]float32{}
	if q.vec != nil && s.dense.Count() > 0 {
		if err := s.denseSignals(ctx, q, n, dense, useChromem); err != nil {
			return nil, nil, err
		}
	}
	if len(s.articles) > 0 {
		req := bleve.NewSearchRequestOptions(s.keywordQuery(q.text, "", q.category, []string{"title", "tags", "body"}), n, 0, false)
		// Ties by ID: bleve breaks them by its internal document order,
		// which follows map order while indexing, so which of several
		// equally scored articles made the top n changed from run to run.
		req.SortBy([]string{"-_score", "_id"})
		res, err := s.keyword.SearchInContext(ctx, req)
		if err != nil {
			return nil, nil, fmt.Errorf("keyword search: %w", err)
		}
		// Raw scores: merge divides them by the best remaining one, after
		// excluding labels (in cross-validation, the held-out articles,
		// whose score must not set the scale of the others').
		for _, h := range res.Hits {
			id := strings.SplitN(h.ID, "@", 2)[0]
			l, ok := s.labelIdx[id]
			if !ok {
				continue
			}
			if v := float32(h.Score); v > bm25[l] {
				bm25[l] = v
			}
		}
	}
	return dense, bm25, nil
}

// parallelDenseMin is the passage count from which the dense scan is
// split over GOMAXPROCS goroutines; below it the goroutines cost more in
// scheduling than they save.
const parallelDenseMin = 20_000

// denseSignals fills dense with each label's best passage similarity among
// the top 3n passages.
//
// By default the scan is ours, over the vectors chromem-go stores: at
// 100,000 passages chromem's QueryEmbedding cost about 170 ms of CPU per
// query on this machine (a channel send per document to filter, a mutex
// per candidate, vectors scattered on the heap) against 20-40 ms for a
// plain scan. Config.ChromemQuery switches back to chromem's search.
func (s *state) denseSignals(ctx context.Context, q request, n int, dense map[int]float32, useChromem bool) error {
	if useChromem {
		var where map[string]string
		if q.category != "" {
			where = map[string]string{"category": q.category}
		}
		res, err := s.dense.QueryEmbedding(ctx, q.vec, min(n*3, s.dense.Count()), where, nil)
		if err != nil {
			return fmt.Errorf("query passages: %w", err)
		}
		for _, r := range res {
			i, _ := strconv.Atoi(r.ID)
			l := s.labelIdx[s.passages[i].ArticleID]
			if v, ok := dense[l]; !ok || r.Similarity > v {
				dense[l] = r.Similarity
			}
		}
		return nil
	}
	// Best similarity per label directly; then keep the top n labels.
	scan := func(ps []passage, best []float32, seen []bool) {
		for i := range ps {
			p := &ps[i]
			if len(p.Vec) != len(q.vec) || (q.category != "" && p.Category != q.category) {
				continue
			}
			sim := dot(p.Vec, q.vec)
			if !seen[p.Label] || sim > best[p.Label] {
				best[p.Label], seen[p.Label] = sim, true
			}
		}
	}
	best := make([]float32, len(s.labels))
	seen := make([]bool, len(s.labels))
	if workers := runtime.GOMAXPROCS(0); len(s.passages) >= parallelDenseMin && workers > 1 {
		bests := make([][]float32, workers)
		seens := make([][]bool, workers)
		var wg sync.WaitGroup
		per := (len(s.passages) + workers - 1) / workers
		for w := 0; w < workers; w++ {
			bests[w], seens[w] = make([]float32, len(s.labels)), make([]bool, len(s.labels))
			lo, hi := min(w*per, len(s.passages)), min((w+1)*per, len(s.passages))
			wg.Add(1)
			go func() {
				defer wg.Done()
				scan(s.passages[lo:hi], bests[w], seens[w])
			}()
		}
		wg.Wait()
		for w := range bests {
			for l, ok := range seens[w] {
				if ok && (!seen[l] || bests[w][l] > best[l]) {
					best[l], seen[l] = bests[w][l], true
				}
			}
		}
	} else {
		scan(s.passages, best, seen)
	}
	type ls struct {
		l int
		s float32
	}
	all := make([]ls, 0, len(best))
	for l, v := range best {
		if seen[l] {
			all = append(all, ls{l, v})
		}
	}
	slices.SortFunc(all, func(a, b ls) int {
		switch {
		case a.s > b.s:
			return -1
		case a.s < b.s:
			return 1
		}
		return a.l - b.l
	})
	for _, x := range all[:min(len(all), n)] {
		dense[x.l] = x.s
	}
	return nil
}

// keywordQuery restricts keywordQuery to the languages in the index:
// analysing the text with an analyzer for a language no article is in
// only costs time.
func (s *state) keywordQuery(text, lang, category string, fields []string) query.Query {
	return keywordQuery(text, lang, category, fields, s.langs)
}

// allowed reports whether an article ID passes the category filter.
func (s *state) allowed(id, category string) bool {
	if category == "" {
		return true
	}
	for _, a := range s.byID[id] {
		if a.Category == category {
			return true
		}
	}
	return false
}

// candidates gathers each signal's best articles and fills in all four
// signals for each of them.
func (s *state) candidates(ctx context.Context, r *ranker, q request, n int, useChromem bool, exclude func(label int) bool) ([]candidate, novelty, error) {
	dense, bm25, err := s.contentSignals(ctx, q, n, useChromem)
	if err != nil {
		return nil, novelty{}, err
	}
	cands, nov := s.merge(r, q, n, dense, bm25, exclude)
	return cands, nov, nil
}

func (s *state) merge(r *ranker, q request, n int, dense, bm25 map[int]float32, exclude func(label int) bool) ([]candidate, novelty) {
	var clf, knn, lr []float32
	var nov novelty
	if r != nil {
		clf, knn, lr, nov = r.signals(q.text, q.lang)
	}
	pool := map[int]bool{}
	add := func(l int) {
		if exclude != nil && exclude(l) {
			return
		}
		if q.category != "" && !s.allowed(s.labels[l], q.category) {
			return
		}
		pool[l] = true
	}
	if clf != nil {
		for _, l := range topLabels(clf, n, false) {
			add(l)
		}
	}
	if knn != nil {
		for _, l := range topLabels(knn, n, true) {
			add(l)
		}
	}
	for l := range dense {
		add(l)
	}
	for l := range bm25 {
		add(l)
	}
	var top float32
	for l := range pool {
		top = max(top, bm25[l])
	}
	out := make([]candidate, 0, len(pool))
	for l := range pool {
		c := candidate{Label: l}
		if clf != nil {
			c.Sig[sigClf] = clf[l]
		}
		if knn != nil {
			c.Sig[sigKNN] = knn[l]
		}
		if lr != nil {
			c.Sig[sigLR] = lr[l]
		}
		c.Sig[sigDense] = dense[l]
		if top > 0 {
			c.Sig[sigBM25] = bm25[l] / top
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b candidate) int { return a.Label - b.Label })
	return out, nov
}

// unknownShareDefault: one in this many articles is held out per fold to
// play unknown questions. A quarter is about the share of questions a
// help center cannot answer in the open-intent benchmarks (BANKING77 with
// 25% of intents unknown); the abstain threshold moves with it.
var unknownShareDefault = 4

// maxCVQuestions bounds the questions evaluated in cross-validation.
const maxCVQuestions = 6000

// minCVQuestions is the least the budget goes down to for large indexes.
const minCVQuestions = 1000

// vectorDim returns one passage vector (for its length), or nil.
func (s *state) vectorDim() []float32 {
	for _, p := range s.passages {
		if p.Vec != nil {
			return p.Vec
		}
	}
	return nil
}

// crossValidate fits the fusion weights and the calibration on the
// example questions: k folds of the questions, and in each fold one k-th
// of the articles is held out entirely, so that their questions play
// questions no article answers and must get a low confidence.
func (s *state) crossValidate(ctx context.Context, ix *Index, exs []example, p rankerParams, progress func(done, total int)) (*tuning, error) {
	folds := ix.cfg.Folds
	numLabels := len(s.labels)
	var qidx []int // examples that are questions
	for i, e := range exs {
		if !e.Fixed {
			qidx = append(qidx, i)
		}
	}
	// Evaluate at most maxCVQuestions of them (every k-th): enough to fit
	// a handful of weights, and it bounds the cost for large help
	// centers, where each evaluation scans all passages.
	// Each evaluated question scans every passage vector: bound the
	// total to about 3e9 multiply-adds (a few seconds).
	budget := maxCVQuestions
	if work := len(s.passages) * max(1, len(s.vectorDim())); work > 0 {
		budget = min(budget, max(minCVQuestions, 3_000_000_000/work))
	}
	step := max(1, (len(qidx)+budget-1)/budget)
	var evalIdx []int
	for j := 0; j < len(qidx); j += step {
		evalIdx = append(evalIdx, qidx[j])
	}
	if folds < 2 || len(qidx) < 2*folds || numLabels < 2 {
		return &tuning{Fusion: defaultFusion, Calibration: defaultCalibration}, nil
	}
	// Stratified fold of each question: its rank within its label.
	fold := make([]int, len(exs))
	perLabel := make([]int, numLabels)
	for _, i := range qidx {
		fold[i] = perLabel[exs[i].Label] % folds
		perLabel[exs[i].Label]++
	}
	// Held-out articles: a quarter of the labels in folds 0-3, by a hash
	// of the ID so that the choice does not follow alphabetical order.
	// A quarter (not 1/folds) keeps the share of unknown questions near
	// what a help center sees whatever the number of folds. A small help
	// center (under 8 articles) holds out one article per fold instead:
	// without simulated unknowns the confidence model never sees a
	// question it should not answer, and answers anything. That holds for
	// two articles too: each fold then keeps one, and its questions have
	// a single candidate (see confFeatures for the margins).
	unknownShare := unknownShareDefault
	unknownFold := make([]int, numLabels)
	for l, id := range s.labels {
		if numLabels < 2*unknownShare {
			unknownFold[l] = l % folds
			continue
		}
		h := sha256.Sum256([]byte(id))
		unknownFold[l] = int(binary.LittleEndian.Uint32(h[:4]) % uint32(unknownShare))
	}
	simulateUnknown := numLabels >= 2

	// Content signals do not depend on the fold: compute them once. The
	// questions are embedded in batches: a remote embedder gets one
	// request per 64 questions, not one per question.
	n := ix.cfg.Candidates
	type content struct{ dense, bm25 map[int]float32 }
	cs := make([]content, len(evalIdx))
	qs := make([]request, len(evalIdx))
	texts := make([]string, len(evalIdx))
	for j, i := range evalIdx {
		texts[j] = exs[i].Text
	}
	vecs, err := ix.embedTexts(ctx, texts, nil)
	if err != nil {
		return nil, fmt.Errorf("embed questions: %w", err)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for j, i := range evalIdx {
		g.Go(func() error {
			q := request{text: exs[i].Text, lang: exs[i].Lang}
			if v := vecs[j]; nonZero(v) {
				q.vec = v
			}
			d, b, err := s.contentSignals(gctx, q, n, ix.cfg.ChromemQuery)
			if err != nil {
				return err
			}
			qs[j], cs[j] = q, content{d, b}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	var cv []cvQuery
	for f := 0; f < folds; f++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if progress != nil {
			progress(f, folds+1) // f folds done; the final model is the last step
		}
		unknown := func(l int) bool { return simulateUnknown && unknownFold[l] == f }
		var train []example
		for i, e := range exs {
			if unknown(e.Label) || (!e.Fixed && fold[i] == f) {
				continue
			}
			train = append(train, e)
		}
		r := trainRanker(train, numLabels, p, true)
		for j, i := range evalIdx {
			if fold[i] != f {
				continue
			}
			gold := exs[i].Label
			if unknown(gold) {
				gold = -1
			}
			cands, nov := s.merge(r, qs[j], n, cs[j].dense, cs[j].bm25, unknown)
			cv = append(cv, cvQuery{Gold: gold, Lang: exs[i].Lang, Cands: cands, Novelty: nov})
		}
	}
	if progress != nil {
		progress(folds, folds+1)
	}
	fu := tuneFusion(cv, numLabels <= p.MaxLabels)
	var xs [][numConfFeatures]float64
	var ys, unk []bool
	st := fitLabelStats(numLabels, cv, fu)
	for _, q := range cv {
		r := fu.rank(q.Cands)
		xs = append(xs, confFeatures(r, &st, q.Novelty))
		ys = append(ys, len(r) > 0 && r[0].Label == q.Gold)
		unk = append(unk, q.Gold < 0)
	}
	cal := fitCalibration(xs, ys, unk)
	cal.Labels = st
	cal.CV.Questions = len(cv)
	byLang := map[string][2]int{} // known-article questions, right ones
	for i, q := range cv {
		if unk[i] {
			cal.CV.Unknown++
			continue
		}
		c := byLang[q.Lang]
		c[0]++
		if ys[i] {
			c[1]++
		}
		byLang[q.Lang] = c
	}
	known, right := 0, 0
	for _, c := range byLang {
		known, right = known+c[0], right+c[1]
	}
	if known > 0 {
		cal.CV.HitAt1 = float64(right) / float64(known)
		cal.CV.ByLanguage = make(map[string]LanguageValidation, len(byLang))
		for l, c := range byLang {
			cal.CV.ByLanguage[l] = LanguageValidation{Questions: c[0], HitAt1: float64(c[1]) / float64(c[0])}
		}
	}
	return &tuning{Fusion: fu, Calibration: cal}, nil
}

// Retrieve ranks articles for q: each Hit is one article, in q.Lang when
// the article has that language (else English, else any), with its best
// passage. Confidence is the calibrated probability that Hits[0] is
// right. It returns an empty Result for an empty query or index, and
// EUNAVAILABLE when a remote embedder is down.
func (ix *Index) Retrieve(ctx context.Context, q supportbot.Query) (supportbot.Result, error) {
	s := ix.current()
	text := strings.TrimSpace(q.Text)
	if text == "" || len(s.articles) == 0 {
		return supportbot.Result{}, nil
	}
	k := q.K
	if k <= 0 {
		k = 5
	}
	qq := request{text: text, lang: q.Lang, category: q.Category}
	if s.dense.Count() > 0 {
		v, err := ix.cfg.Embedder.Embed(ctx, text)
		if err != nil {
			return supportbot.Result{}, fmt.Errorf("embed query: %w", err)
		}
		if nonZero(v) {
			qq.vec = v
		}
	}
	cands, nov, err := s.candidates(ctx, s.ranker, qq, max(ix.cfg.Candidates, k), ix.cfg.ChromemQuery, nil)
	if err != nil {
		return supportbot.Result{}, err
	}
	ranked := s.tuning.Fusion.rank(cands)
	var res supportbot.Result
	if len(ranked) == 0 {
		return res, nil
	}
	res.Confidence = s.tuning.Calibration.confidence(confFeatures(ranked, &s.tuning.Calibration.Labels, nov))
	for _, c := range ranked {
		if len(res.Hits) == k {
			break
		}
		a := s.version(s.labels[c.Label], q.Lang, q.Category)
		if a == nil {
			continue
		}
		h := supportbot.Hit{ArticleID: a.ID, Lang: a.Lang, Title: a.Title, Category: a.Category,
			URL: a.URL, Score: c.Score}
		if p := s.bestPassage(a, qq.vec); p != nil {
			h.Heading, h.Passage = p.Heading, p.Text
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// version picks the language version of an article to show: lang, else
// English, else the first; only versions in category when it is set.
func (s *state) version(id, lang, category string) *supportbot.Article {
	var en, first *supportbot.Article
	for _, a := range s.byID[id] {
		if category != "" && a.Category != category {
			continue
		}
		switch {
		case a.Lang == lang:
			return a
		case a.Lang == supportbot.DefaultLang:
			en = a
		}
		if first == nil {
			first = a
		}
	}
	if en != nil {
		return en
	}
	return first
}

// leadBonus is the similarity an article's lead (the text before its first
// heading) gets over its sections when choosing the passage to quote. Help
// articles open with the direct answer and then detail it section by
// section; a section that repeats the query's words ("cancelling a
// withdrawal" for "why is my withdrawal pending?") should only win when it
// is clearly closer. 0.05 of cosine is about the gap between a section that
// shares one extra content word and one that does not, with the local
// embedder.
const leadBonus = 0.05

// bestPassage returns the passage of a to quote for the query vector: the
// most similar, with the lead favoured by leadBonus; the first passage
// when there is no vector to compare.
func (s *state) bestPassage(a *supportbot.Article, vec []float32) *passage {
	idx := s.byArticle[a.Key()]
	if len(idx) == 0 {
		return nil
	}
	best, bestSim := idx[0], float32(math.Inf(-1))
	if vec == nil {
		return &s.passages[best]
	}
	for _, i := range idx {
		p := &s.passages[i]
		if p.Vec == nil || len(p.Vec) != len(vec) {
			continue
		}
		sim := dot(p.Vec, vec)
		if p.Heading == "" && p.Index == 0 {
			// The lead answers the question the title asks: a query
			// that restates the title ("Pourquoi mon retrait est-il en
			// attente ?") gets the lead, not a section that shares its
			// words ("Annuler un retrait").
			if t := s.titleVecs[a.Key()]; len(t) == len(vec) {
				sim = max(sim, dot(t, vec))
			}
			sim += leadBonus
		}
		if sim > bestSim {
			best, bestSim = i, sim
		}
	}
	return &s.passages[best]
}
