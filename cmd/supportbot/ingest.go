package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/knowledge/lexicon"
	"github.com/supportbot/supportbot/retrieval"
)

func runIngest(ctx context.Context, g *globalFlags, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("ingest", "usage: supportbot ingest [--quiet] DIR\n\nIndexes the Markdown articles below DIR, with the support-lexicon additions in DIR/lexicon/<lang>.yaml;\nthe index then holds exactly them.", stderr)
	g.also(fs)
	quiet := fs.Bool("quiet", false, "no progress bar")
	dir, err := oneArg(fs, args)
	if err != nil {
		return err
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	res, err := knowledge.LoadDir(dir)
	if err != nil {
		return fmt.Errorf("read articles: %w", err)
	}
	for _, e := range res.Errors {
		fmt.Fprintf(stderr, "rejected: %v\n", e)
	}
	if len(res.Articles) == 0 {
		return fmt.Errorf("no valid articles in %s (%d rejected): nothing indexed, the index is unchanged", dir, len(res.Errors))
	}
	emb, err := newEmbedder(cfg)
	if err != nil {
		return err
	}
	idx, err := openDataIndex(cfg, emb)
	if err != nil {
		return err
	}
	defer idx.Close()

	progress, finish := retrieval.Progress(nil), func() {}
	if !*quiet {
		progress, finish = syncProgress(stderr, true)
	}
	// An indexed article whose file is now rejected keeps its indexed
	// version: a typo in an edit must not take the article away from
	// users until someone notices. The same goes for a rejected lexicon
	// file (lexicon/<lang>.yaml): the language's indexed additions stay.
	hc := retrieval.HelpCenter{Articles: res.Articles, Lexicon: res.Lexicon}
	kept := keepRejected(&hc, idx.HelpCenter(), res.Errors)
	start := time.Now()
	st, err := idx.SyncHelpCenter(ctx, hc, progress)
	finish()
	switch {
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		// Sync swaps in the new index only when it is complete.
		return fmt.Errorf("interrupted: nothing was indexed, the index is as it was (%w)", err)
	case err != nil:
		return fmt.Errorf("index: %w", err)
	}
	// What was (re-)embedded and whether the ranker was retrained are
	// said too: a new embedding model re-embeds every passage while no
	// article changed.
	retrained := ""
	if st.Trained {
		retrained = ", ranker retrained"
	}
	fmt.Fprintf(stdout, "indexed %s from %s in %.1fs: %d added, %d changed, %d removed, %d unchanged, %d rejected; %s embedded%s\n",
		count(len(res.Articles), "article", "articles"), dir, time.Since(start).Seconds(), len(st.Added), len(st.Changed), len(st.Removed),
		len(st.Unchanged), len(res.Errors), count(st.Embedded, "passage", "passages"), retrained)
	if n := hc.Lexicon.Forms(); n > 0 {
		fmt.Fprintf(stdout, "  lexicon: %d forms (%s) from %s\n", n, strings.Join(slices.Sorted(maps.Keys(hc.Lexicon)), ", "),
			filepath.Join(dir, knowledge.LexiconDir))
	}
	for _, l := range []struct {
		name string
		keys []string
	}{{"added", st.Added}, {"changed", st.Changed}, {"removed", st.Removed}} {
		for _, k := range l.keys {
			fmt.Fprintf(stdout, "  %s %s\n", l.name, k)
		}
	}
	for _, k := range kept {
		fmt.Fprintf(stdout, "  kept %s\n", k)
	}
	var few []string
	for _, a := range res.Articles {
		if len(a.Questions) < retrieval.MinQuestions {
			few = append(few, a.Key())
		}
	}
	if len(few) > 0 {
		have := "have"
		if len(few) == 1 {
			have = "has"
		}
		fmt.Fprintf(stdout, "  note: %s %s fewer than %d example questions (%s): they are matched from their headings and sentences, and found less often; add the questions users ask (supportbot unanswered lists those the help center missed)\n",
			count(len(few), "article", "articles"), have, retrieval.MinQuestions, strings.Join(firstN(few, 5), ", "))
	}
	for _, note := range partlyTranslated(res.Articles) {
		fmt.Fprintf(stdout, "  note: %s\n", note)
	}
	if line := validationLine(idx.Validation()); line != "" {
		fmt.Fprintf(stdout, "  %s\n", line)
	}
	if len(res.Errors) > 0 {
		return exitError(1) // the good articles are indexed; the exit status says some were not
	}
	return nil
}

// validationLine says how well the ranker finds the articles of its own
// example questions when they are held out, overall and, with several
// languages, for each, weakest first: the languages whose questions most
// need more or better examples. Empty when cross-validation did not run
// (too few example questions).
func validationLine(v retrieval.Validation) string {
	if v.Questions == 0 {
		return ""
	}
	line := fmt.Sprintf("cross-validation on the example questions: hit@1 %.3f", v.HitAt1)
	if len(v.ByLanguage) < 2 {
		return line
	}
	langs := slices.SortedFunc(maps.Keys(v.ByLanguage), func(a, b string) int {
		return cmp.Or(cmp.Compare(v.ByLanguage[a].HitAt1, v.ByLanguage[b].HitAt1), cmp.Compare(a, b))
	})
	parts := make([]string, len(langs))
	for i, l := range langs {
		parts[i] = fmt.Sprintf("%s %.2f", l, v.ByLanguage[l].HitAt1)
	}
	return line + " (" + strings.Join(parts, ", ") + ")"
}

// partlyTranslated names the languages that have some of the help
// center's articles but not all, grouped by what they lack. A language's
// questions about its missing articles are pulled to the articles it has:
// on the demo help center with nine languages at ten of 32 articles, 198
// such queries found their article first 22% of the time, 88% once it was
// translated (supportbot eval). With none of a language's articles, its
// questions find them in other languages 80% of the time
// (TestQualityCrossLingual).
func partlyTranslated(arts []*supportbot.Article) []string {
	ids := map[string]bool{}
	byLang := map[string]map[string]bool{}
	for _, a := range arts {
		ids[a.ID] = true
		if byLang[a.Lang] == nil {
			byLang[a.Lang] = map[string]bool{}
		}
		byLang[a.Lang][a.ID] = true
	}
	type gap struct{ missing, langs []string }
	var gaps []*gap // in the order of their first language
	byMissing := map[string]*gap{}
	for _, lang := range slices.Sorted(maps.Keys(byLang)) {
		var missing []string
		for _, id := range slices.Sorted(maps.Keys(ids)) {
			if !byLang[lang][id] {
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 {
			continue
		}
		key := strings.Join(missing, "\x00")
		if byMissing[key] == nil {
			byMissing[key] = &gap{missing: missing}
			gaps = append(gaps, byMissing[key])
		}
		byMissing[key].langs = append(byMissing[key].langs, lang)
	}
	var notes []string
	for _, g := range gaps {
		ls := strings.Join(g.langs, ", ")
		has := "has"
		if len(g.langs) > 1 {
			has = "have"
		}
		notes = append(notes, fmt.Sprintf("%s %s %d of %s (missing %s): questions in %s about the missing ones are found far less often than with all of them translated or none; translate them",
			ls, has, len(ids)-len(g.missing), count(len(ids), "article", "articles"), strings.Join(firstN(g.missing, 5), ", "), ls))
	}
	return notes
}

// firstN is s cut to n elements, with "..." for the rest.
func firstN(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(slices.Clone(s[:n]), "...")
}

// count is n and its noun, one or many: "1 passage", "3 passages".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// keepRejected adds to hc what the index holds from files that are now
// rejected: each article whose source file was rejected (unless a valid
// file now has its ID and language), and the indexed lexicon additions of
// a language whose lexicon file was rejected. It returns what it kept, as
// lines for the report.
func keepRejected(hc *retrieval.HelpCenter, indexed retrieval.HelpCenter, errs []error) []string {
	files := map[string]bool{}
	var langs []string
	for _, e := range errs {
		var pe *knowledge.ParseError
		var le *lexicon.Error
		switch {
		case errors.As(e, &pe):
			files[pe.File] = true
		case errors.As(e, &le):
			if indexed.Lexicon[le.Lang] != nil {
				langs = append(langs, le.Lang)
			}
		}
	}
	valid := map[string]bool{}
	for _, a := range hc.Articles {
		valid[a.Key()] = true
	}
	var kept []string
	for _, a := range indexed.Articles {
		if files[a.Source] && !valid[a.Key()] {
			hc.Articles = append(hc.Articles, a)
			kept = append(kept, fmt.Sprintf("%s (its file %s was rejected: the indexed version stays until the file is fixed)", a.Key(), a.Source))
		}
	}
	for _, lang := range langs {
		if hc.Lexicon == nil {
			hc.Lexicon = lexicon.Lexicon{}
		}
		hc.Lexicon[lang] = indexed.Lexicon[lang]
		kept = append(kept, fmt.Sprintf("the %s lexicon additions (its file was rejected: the indexed ones stay until it is fixed)", lang))
	}
	return kept
}
