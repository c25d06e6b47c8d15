package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/bot"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/retrieval"
)

// evalQuery is one line of queries.jsonl.
type evalQuery struct {
	Query    string   `json:"query"`
	Expected []string `json:"expected"`
	Language string   `json:"language"`
	line     int      // in queries.jsonl
}

// evalReport is what `supportbot eval` prints.
type evalReport struct {
	Queries          int                    `json:"queries"`
	HitAt1           float64                `json:"hit_at_1"`
	HitAt5           float64                `json:"hit_at_5"`
	MRR              float64                `json:"mrr"`
	Accuracy         float64                `json:"accuracy"`
	AbstainPrecision float64                `json:"abstain_precision"`
	AbstainRecall    float64                `json:"abstain_recall"`
	P50Ms            float64                `json:"p50_ms"`
	P99Ms            float64                `json:"p99_ms"`
	IndexSeconds     float64                `json:"index_seconds"`
	Articles         int                    `json:"articles"`
	Rejected         int                    `json:"rejected"` // article and lexicon files that did not load
	Threshold        float64                `json:"threshold"`
	ByLanguage       map[string]*langReport `json:"by_language"`

	// CVHitAt1 is cross-validation's hit@1 on the articles' own example
	// questions, held out in turn (the queries play no part in it): what
	// the engine expects on questions like those, to set the queries'
	// figure against.
	CVHitAt1 *float64 `json:"cv_hit_at_1,omitempty"`
}

type langReport struct {
	Queries  int      `json:"queries"`
	HitAt1   float64  `json:"hit_at_1"`
	Accuracy float64  `json:"accuracy"`
	CVHitAt1 *float64 `json:"cv_hit_at_1,omitempty"` // absent without example questions in the language

	answerable, hits1, correct int
}

const evalUsage = `usage: supportbot eval [--json] [--misses] DIR

Measures how well the help center in DIR/articles/*.md answers the questions in DIR/queries.jsonl.

queries.jsonl holds one query a line: {"query": "...", "expected": ["article-id", ...], "language": "en"}.
"expected": [] marks a question no article answers, which should be escalated. "language" is optional:
without it, the query's language is detected as in chat. DIR/lexicon/<lang>.yaml, if present, adds to
the support lexicon. The articles are indexed into a temporary store: the data folder is not touched.`

func runEval(ctx context.Context, g *globalFlags, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("eval", evalUsage, stderr)
	g.also(fs)
	asJSON := fs.Bool("json", false, "print one JSON object (an error too: {\"error\": {\"code\", \"message\"}})")
	misses := fs.Bool("misses", false, "list the queries answered wrongly on stderr")
	dir, err := oneArg(fs, args)
	if err != nil {
		return err
	}
	return reportError(evalDir(ctx, g, dir, *asJSON, *misses, stdout, stderr), *asJSON, stdout)
}

// evalDir measures the help center in dir and prints the report.
func evalDir(ctx context.Context, g *globalFlags, dir string, asJSON, misses bool, stdout, stderr io.Writer) error {
	cfg, err := g.load()
	if err != nil {
		return err
	}
	queries, err := readQueries(filepath.Join(dir, "queries.jsonl"))
	if err != nil {
		return err
	}
	res, err := knowledge.LoadDir(filepath.Join(dir, "articles"))
	if err != nil {
		return fmt.Errorf("read articles: %w", err)
	}
	// The help center's lexicon additions sit next to its articles.
	lx, lexErrs := knowledge.LoadLexiconDir(dir)
	res.Lexicon = res.Lexicon.Merge(lx)
	res.Errors = append(res.Errors, lexErrs...)
	for _, e := range res.Errors {
		fmt.Fprintf(stderr, "rejected: %v\n", e)
	}
	// An expected article that is not among the articles can never be
	// hit: most likely a typo, or an article that was rejected above.
	ids := map[string]bool{}
	for _, a := range res.Articles {
		ids[a.ID] = true
	}
	for _, q := range queries {
		for _, id := range q.Expected {
			if !ids[id] {
				fmt.Fprintf(stderr, "warning: %s:%d: expected article %q is not among the articles\n",
					filepath.Join(dir, "queries.jsonl"), q.line, id)
			}
		}
	}
	if len(res.Articles) == 0 {
		return fmt.Errorf("no valid articles in %s", filepath.Join(dir, "articles"))
	}

	// Everything goes to a temporary folder: eval never touches the
	// user's data.
	tmp, err := os.MkdirTemp("", "supportbot-eval-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	emb, err := newEmbedder(cfg)
	if err != nil {
		return err
	}
	idx, err := retrieval.Open(retrieval.Config{Dir: "", Embedder: emb})
	if err != nil {
		return err
	}
	defer idx.Close()
	start := time.Now()
	if _, err := idx.SyncHelpCenter(ctx, retrieval.HelpCenter{Articles: res.Articles, Lexicon: res.Lexicon}, nil); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	indexSeconds := time.Since(start).Seconds()
	db, store, err := openStore(ctx, filepath.Join(tmp, "eval.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	quiet := logrus.New()
	quiet.Out = io.Discard
	detector := bot.NewDetector()
	svc := bot.New(cfg.Bot, bot.Deps{Store: store, Detector: detector, Retriever: idx, Log: quiet})
	// A query without a language is in the one chat would detect, and is
	// counted under it: a Chinese query is not an English one.
	for i, q := range queries {
		if q.Language == "" {
			if l, _ := detector.Detect(ctx, q.Query); l != "" {
				queries[i].Language = l
			} else {
				queries[i].Language = supportbot.DefaultLang // as chat, without a language to go by
			}
		}
	}

	var missOut io.Writer
	if misses {
		missOut = stderr
	}
	rep := evaluate(ctx, svc, queries, stderr, missOut)
	rep.IndexSeconds = round(indexSeconds, 3)
	rep.Articles = len(res.Articles)
	rep.Rejected = len(res.Errors)
	rep.Threshold = round(svc.Threshold(), 4)
	if v := idx.Validation(); v.Questions > 0 {
		rep.CVHitAt1 = new(round(v.HitAt1, 4))
		for l, lr := range rep.ByLanguage {
			if lv, ok := v.ByLanguage[l]; ok {
				lr.CVHitAt1 = new(round(lv.HitAt1, 4))
			}
		}
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printReport(stdout, dir, rep)
	}
	if rep.Rejected > 0 {
		// As ingest: the figures are printed, over the files that loaded;
		// the exit status says they are not over the whole help center.
		return exitError(1)
	}
	return nil
}

// evaluate runs every query through the engine's decision path. The
// expected answers are used only here, for scoring.
func evaluate(ctx context.Context, svc *bot.Service, queries []evalQuery, progress, misses io.Writer) *evalReport {
	rep := &evalReport{Queries: len(queries), ByLanguage: map[string]*langReport{}}
	var answerable, hits1, hits5 int
	var rr float64
	var correct, abstained, abstainedRight, shouldAbstain int
	lat := make([]float64, 0, len(queries))
	for _, q := range queries {
		t0 := time.Now()
		res, decision, _, err := svc.Decide(ctx, q.Query, q.Language)
		lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
		if err != nil {
			fmt.Fprintf(progress, "query %q: %v\n", q.Query, err)
		}
		lr := rep.ByLanguage[q.Language]
		if lr == nil {
			lr = &langReport{}
			rep.ByLanguage[q.Language] = lr
		}
		lr.Queries++
		expected := map[string]bool{}
		for _, id := range q.Expected {
			expected[id] = true
		}
		rank := 0
		for i, h := range res.Hits {
			if expected[h.ArticleID] {
				rank = i + 1
				break
			}
		}
		escalated := decision == supportbot.DecisionEscalate
		if escalated {
			abstained++
		}
		ok := false
		if len(q.Expected) == 0 {
			shouldAbstain++
			ok = escalated
			if escalated {
				abstainedRight++
			}
		} else {
			answerable++
			lr.answerable++
			if rank == 1 {
				hits1++
				lr.hits1++
			}
			if rank >= 1 && rank <= 5 {
				hits5++
			}
			if rank > 0 {
				rr += 1 / float64(rank)
			}
			// Right when the reply the user gets leads with the expected
			// article: an answer, or a clarifying question whose first
			// option is it, never an escalation.
			ok = rank == 1 && (decision == supportbot.DecisionAnswer || decision == supportbot.DecisionClarify)
		}
		if ok {
			correct++
			lr.correct++
		} else if misses != nil {
			top := "-"
			if len(res.Hits) > 0 {
				top = res.Hits[0].ArticleID
			}
			fmt.Fprintf(misses, "miss [%s] %q expected %v got %s (%s, confidence %.3f, rank %d)\n",
				q.Language, q.Query, q.Expected, top, decision, res.Confidence, rank)
		}
	}
	rep.HitAt1 = ratio(hits1, answerable)
	rep.HitAt5 = ratio(hits5, answerable)
	rep.MRR = round(rr/math.Max(1, float64(answerable)), 4)
	rep.Accuracy = ratio(correct, len(queries))
	rep.AbstainPrecision = ratio(abstainedRight, abstained)
	rep.AbstainRecall = ratio(abstainedRight, shouldAbstain)
	sort.Float64s(lat)
	rep.P50Ms = round(percentile(lat, 0.50), 3)
	rep.P99Ms = round(percentile(lat, 0.99), 3)
	for _, lr := range rep.ByLanguage {
		lr.HitAt1 = ratio(lr.hits1, lr.answerable)
		lr.Accuracy = ratio(lr.correct, lr.Queries)
	}
	return rep
}

// readQueries reads queries.jsonl. Its errors name the line, and the
// field and what it must hold, never a Go type.
func readQueries(path string) ([]evalQuery, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, supportbot.Errorf(supportbot.ENOTFOUND, "%s: no such file (eval reads its queries there)", path)
	} else if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []evalQuery
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		b := sc.Bytes()
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\ufeff")) // a byte-order mark, as Windows editors write
		}
		if len(strings.TrimSpace(string(b))) == 0 {
			continue
		}
		q, err := parseQuery(b)
		if err != nil {
			return nil, supportbot.Errorf(supportbot.EINVALID, "%s:%d: %s", path, line, err)
		}
		q.line = line
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, supportbot.Errorf(supportbot.EINVALID, "%s: no queries", path)
	}
	return out, nil
}

// parseQuery reads one line of queries.jsonl. Language stays empty when
// the line has none: eval detects it.
func parseQuery(b []byte) (evalQuery, error) {
	var q evalQuery
	if !utf8.Valid(b) {
		return q, errors.New("invalid UTF-8")
	}
	// Each field is decoded on its own, to say which one is wrong.
	var raw struct{ Query, Expected, Language json.RawMessage }
	var te *json.UnmarshalTypeError
	if err := json.Unmarshal(b, &raw); errors.As(err, &te) {
		return q, errors.New(`not a JSON object: a line is {"query": "...", "expected": ["article-id", ...], "language": "en"}`)
	} else if err != nil {
		return q, fmt.Errorf("not valid JSON: %v", err)
	}
	if decodeField(raw.Query, &q.Query) != nil {
		return q, errors.New(`"query" must be a string`)
	}
	if strings.TrimSpace(q.Query) == "" {
		return q, errors.New("empty query")
	}
	if decodeField(raw.Expected, &q.Expected) != nil {
		return q, errors.New(`"expected" must be a list of article ids`)
	}
	// Without "expected", the query would count as one no article
	// answers: a forgotten field would silently score as an escalation.
	if q.Expected == nil {
		return q, errors.New(`no "expected": list the ids of the articles that answer the query, or [] if none does (it should be escalated)`)
	}
	if slices.Contains(q.Expected, "") {
		return q, errors.New("an empty article id in expected (use [] for a question no article answers)")
	}
	if decodeField(raw.Language, &q.Language) != nil {
		return q, fmt.Errorf(`"language" must be a language code (one of %s)`, strings.Join(supportbot.Languages, ", "))
	}
	if q.Language != "" {
		l := supportbot.NormalizeLang(q.Language)
		if l == "" {
			return q, fmt.Errorf("language %q is not one of %s", q.Language, strings.Join(supportbot.Languages, ", "))
		}
		q.Language = l
	}
	return q, nil
}

// decodeField decodes one field of a line into v; absent or null, it
// leaves v as it is.
func decodeField(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		return nil
	}
	return json.Unmarshal(raw, v)
}

func printReport(w io.Writer, dir string, r *evalReport) {
	fmt.Fprintf(w, "eval %s: %s, %s, answer threshold %.3f\n", dir, count(r.Articles, "article", "articles"), count(r.Queries, "query", "queries"), r.Threshold)
	if r.Rejected > 0 {
		fmt.Fprintf(w, "  %d files rejected (listed on stderr): the figures are over the articles that loaded\n", r.Rejected)
	}
	fmt.Fprintln(w)
	rows := [][2]string{
		{"queries", fmt.Sprintf("%d", r.Queries)}, {"hit_at_1", fmt.Sprintf("%.4f", r.HitAt1)}, {"hit_at_5", fmt.Sprintf("%.4f", r.HitAt5)},
		{"mrr", fmt.Sprintf("%.4f", r.MRR)}, {"accuracy", fmt.Sprintf("%.4f", r.Accuracy)},
		{"abstain_precision", fmt.Sprintf("%.4f", r.AbstainPrecision)}, {"abstain_recall", fmt.Sprintf("%.4f", r.AbstainRecall)},
		{"p50_ms", fmt.Sprintf("%.3f", r.P50Ms)}, {"p99_ms", fmt.Sprintf("%.3f", r.P99Ms)},
		{"index_seconds", fmt.Sprintf("%.2f", r.IndexSeconds)},
	}
	if r.CVHitAt1 != nil {
		rows = append(rows, [2]string{"cv_hit_at_1", fmt.Sprintf("%.4f  (cross-validation on the example questions)", *r.CVHitAt1)})
	}
	for _, row := range rows {
		fmt.Fprintf(w, "  %-18s %s\n", row[0], row[1])
	}
	langs := make([]string, 0, len(r.ByLanguage))
	for l := range r.ByLanguage {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	if len(langs) > 1 {
		fmt.Fprintf(w, "\n  %-8s %8s %9s %9s %12s\n", "language", "queries", "hit_at_1", "accuracy", "cv_hit_at_1")
		for _, l := range langs {
			lr := r.ByLanguage[l]
			cv := "-"
			if lr.CVHitAt1 != nil {
				cv = fmt.Sprintf("%.4f", *lr.CVHitAt1)
			}
			fmt.Fprintf(w, "  %-8s %8d %9.4f %9.4f %12s\n", l, lr.Queries, lr.HitAt1, lr.Accuracy, cv)
		}
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return round(float64(a)/float64(b), 4)
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	if i < 0 {
		i = 0
	}
	return sorted[i]
}
