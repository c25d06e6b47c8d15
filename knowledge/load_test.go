package knowledge_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/knowledge"
)

func TestDemoHelpCenter(t *testing.T) {
	res, err := knowledge.Load(knowledge.Demo(), "articles")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors {
		t.Errorf("demo article rejected: %v", e)
	}
	byLang := map[string]map[string]bool{}
	for _, a := range res.Articles {
		if byLang[a.Lang] == nil {
			byLang[a.Lang] = map[string]bool{}
		}
		byLang[a.Lang][a.ID] = true
		if len(a.Questions) < 3 {
			t.Errorf("%s: %d example questions, want >= 3", a.Source, len(a.Questions))
		}
		if len([]rune(a.Body)) < 150 {
			t.Errorf("%s: body is only %d characters", a.Source, len([]rune(a.Body)))
		}
	}
	if n := len(byLang["en"]); n < 30 {
		t.Errorf("%d English articles, want >= 30", n)
	}
	// Every article in every language: a question about an article its
	// language lacks finds it far less often (see the README).
	for id := range byLang["en"] {
		for _, l := range supportbot.Languages {
			if !byLang[l][id] {
				t.Errorf("article %s has no %s version", id, l)
			}
		}
	}
	for _, l := range supportbot.Languages {
		if n := len(byLang[l]); n != len(byLang["en"]) {
			t.Errorf("%s has %d articles, English %d", l, n, len(byLang["en"]))
		}
	}

	// The evaluation file names only articles that exist in the query's
	// language (a query is answered from its language's version), and in
	// every language it asks about every article.
	f, err := knowledge.Demo().Open("queries.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	asked := map[string]map[string]bool{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var q struct {
			Query    string
			Expected []string
			Language string
		}
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			t.Fatalf("queries.jsonl:%d: %v", line, err)
		}
		if asked[q.Language] == nil {
			asked[q.Language] = map[string]bool{}
		}
		for _, id := range q.Expected {
			asked[q.Language][id] = true
			if !byLang[q.Language][id] {
				t.Errorf("queries.jsonl:%d: no %s version of article %q", line, q.Language, id)
			}
		}
	}
	for _, l := range supportbot.Languages {
		for id := range byLang["en"] {
			if !asked[l][id] {
				t.Errorf("queries.jsonl has no %s query about %s", l, id)
			}
		}
	}
}

func TestLoadReportsBrokenFilesAndKeepsTheRest(t *testing.T) {
	good := "---\nid: ok\ntitle: OK\nlanguage: en\ncategory: fees\nquestions:\n  - \"what fees?\"\n---\nBody text.\n"
	fsys := fstest.MapFS{
		"a/good.md":      {Data: []byte(good)},
		"a/dup.md":       {Data: []byte(good)},
		"a/nofm.md":      {Data: []byte("# just markdown\n")},
		"a/unclosed.md":  {Data: []byte("---\nid: x\n")},
		"a/badyaml.md":   {Data: []byte("---\nid: x\ntitle: [unclosed\nlanguage: en\n---\nbody\n")},
		"a/badflow.md":   {Data: []byte("---\nid: x\ntitle: T\nlanguage: en\ncategory: c\ntags: [a, b\n---\nbody\n")},
		"a/twice.md":     {Data: []byte("---\nid: x\ntitle: T\nlanguage: en\ncategory: c\nid: y\n---\nbody\n")},
		"a/nolang.md":    {Data: []byte("---\nid: x\ntitle: T\ncategory: c\n---\nbody\n")},
		"a/badlang.md":   {Data: []byte("---\nid: x\ntitle: T\nlanguage: klingon\ncategory: c\n---\nbody\n")},
		"a/unknown.md":   {Data: []byte("---\nid: x\ntitle: T\nlanguage: en\ncategory: c\nauthor: me\n---\nbody\n")},
		"a/badutf8.md":   {Data: []byte("---\nid: x\ntitle: T\nlanguage: en\ncategory: c\n---\nline\n\xff\xfe\n")},
		"a/questions.md": {Data: []byte("---\nid: x\ntitle: T\nlanguage: en\ncategory: c\nquestions: nope\n---\nbody\n")},
		"a/baddate.md":   {Data: []byte("---\nid: y\ntitle: T\nlanguage: en\ncategory: c\nupdated: yesterday\n---\nbody\n")},
		"a/README.md":    {Data: []byte("not an article")},
		"a/notes.txt":    {Data: []byte("ignored")},
		"a/sub/zh.md":    {Data: []byte("---\nid: ok\ntitle: 费用\nlanguage: zh-CN\ncategory: fees\n---\n正文\n")},
	}
	res, err := knowledge.Load(fsys, "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Articles) != 2 {
		t.Fatalf("loaded %d articles, want 2 (dup.md and sub/zh.md)", len(res.Articles))
	}
	if res.Articles[1].Lang != "zh-Hans" {
		t.Errorf("zh-CN normalised to %q, want zh-Hans", res.Articles[1].Lang)
	}
	want := map[string]string{ // file -> "line: fragment"
		"a/good.md":      "2:duplicate article", // dup.md comes first in walk order
		"a/nofm.md":      "1:missing front matter",
		"a/unclosed.md":  "1:not closed",
		"a/badyaml.md":   "3:did not find expected", // yaml.v3 itself says line 2 (see yamlerr.Line)
		"a/badflow.md":   "6:did not find expected",
		"a/twice.md":     "6:field \"id\" is given twice (first on line 2)",
		"a/nolang.md":    "1:missing required field \"language\"",
		"a/badlang.md":   "4:not supported",
		"a/unknown.md":   "6:unknown field \"author\"",
		"a/badutf8.md":   "8:invalid UTF-8",
		"a/questions.md": "6:must be a list",
		"a/baddate.md":   "6:not a date",
	}
	got := map[string]*knowledge.ParseError{}
	for _, e := range res.Errors {
		var pe *knowledge.ParseError
		if !errors.As(e, &pe) {
			t.Fatalf("error %v is not a *ParseError", e)
		}
		got[pe.File] = pe
	}
	for file, w := range want {
		pe := got[file]
		if pe == nil {
			t.Errorf("%s: no error reported", file)
			continue
		}
		line, frag, _ := strings.Cut(w, ":")
		if want := file + ":" + line + ":"; !strings.HasPrefix(pe.Error(), want) || !strings.Contains(pe.Error(), frag) {
			t.Errorf("%s: error %q, want prefix %q containing %q", file, pe.Error(), want, frag)
		}
	}
	if len(res.Errors) != len(want) {
		t.Errorf("%d errors, want %d: %v", len(res.Errors), len(want), res.Errors)
	}
}

func TestLoadDirNamesRealPaths(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad.md"), []byte("---\nid: x\n"), 0o644)
	res, err := knowledge.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].Error(), filepath.Join(dir, "bad.md")+":1:") {
		t.Fatalf("errors = %v", res.Errors)
	}
	if _, err := knowledge.LoadDir(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing dir: %v", err)
	}
}

// A help center's lexicon/ folder is read with its articles; its files are
// not articles, and a broken one is named with its line.
func TestLoadDirReadsTheLexiconFolder(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "lexicon"), 0o755)
	os.WriteFile(filepath.Join(dir, "a.md"), []byte("---\nid: a\ntitle: A\nlanguage: en\ncategory: c\n---\nBody.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "lexicon", "en.yaml"), []byte("moonpass: [moonpass, lunar card]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "lexicon", "ja.yaml"), []byte("moonpass: [ムーンパス]\nmoonpass: [x]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "lexicon", "notes.md"), []byte("not an article\n"), 0o644)
	for _, load := range []func() (knowledge.LoadResult, error){
		func() (knowledge.LoadResult, error) { return knowledge.LoadDir(dir) },
		func() (knowledge.LoadResult, error) {
			lx, errs := knowledge.LoadLexiconDir(dir)
			return knowledge.LoadResult{Lexicon: lx, Errors: errs}, nil
		},
	} {
		res, err := load()
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Lexicon["en"]["moonpass"]) != 2 || res.Lexicon["ja"] != nil {
			t.Errorf("lexicon = %v", res.Lexicon)
		}
		if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].Error(), filepath.Join(dir, "lexicon", "ja.yaml")+":2:") {
			t.Errorf("errors = %v", res.Errors)
		}
	}
	res, _ := knowledge.LoadDir(dir)
	if len(res.Articles) != 1 {
		t.Errorf("articles = %v (the lexicon folder holds no articles)", res.Articles)
	}
}

// What is not an article is left out: hidden files and folders, and
// links that lead out of the folder (those are reported); .markdown is
// Markdown too.
func TestLoadDirSkipsHiddenAndEscapingFiles(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	art := func(id string) []byte {
		return []byte("---\nid: " + id + "\ntitle: T\nlanguage: en\ncategory: c\n---\nBody.\n")
	}
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, ".git", "x.md"), art("git"), 0o644)
	os.WriteFile(filepath.Join(dir, ".draft.md"), art("draft"), 0o644)
	os.WriteFile(filepath.Join(dir, "long.markdown"), art("long"), 0o644)
	os.WriteFile(filepath.Join(dir, "README.markdown"), []byte("# notes\n"), 0o644)
	os.WriteFile(filepath.Join(outside, "secret.md"), art("secret"), 0o644)
	if err := os.Symlink(filepath.Join(outside, "secret.md"), filepath.Join(dir, "link.md")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	res, err := knowledge.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Articles) != 1 || res.Articles[0].ID != "long" {
		t.Errorf("articles %v, want only long.markdown", res.Articles)
	}
	if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].Error(), filepath.Join(dir, "link.md")) {
		t.Errorf("errors %v, want the link out of the folder", res.Errors)
	}
}

func TestChunk(t *testing.T) {
	a := &supportbot.Article{ID: "a", Lang: "en", Title: "T", Body: "Lead paragraph.\n\n## Steps\n\n1. One\n2. Two\n\n```\n# not a heading\n```\n\n## Limits\n\n" +
		strings.Repeat("A long paragraph of text. ", 40) + "\n\n" + strings.Repeat("Another long paragraph. ", 40)}
	ps := knowledge.Chunk(a)
	if len(ps) != 4 {
		t.Fatalf("%d passages, want 4: %+v", len(ps), ps)
	}
	if ps[0].Heading != "" || ps[0].Text != "Lead paragraph." {
		t.Errorf("lead = %+v", ps[0])
	}
	if ps[1].Heading != "Steps" || !strings.Contains(ps[1].Text, "# not a heading") {
		t.Errorf("steps = %+v", ps[1])
	}
	if ps[2].Heading != "Limits" || ps[3].Heading != "Limits" {
		t.Errorf("long section not split under its heading: %+v", ps[2:])
	}
	for _, p := range ps {
		if n := len([]rune(p.Text)); n > knowledge.MaxPassageRunes {
			t.Errorf("passage %d has %d runes", p.Index, n)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("---\nid: a\ntitle: T\nlanguage: en\ncategory: c\n---\nbody"))
	f.Add([]byte("---\n: :\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := knowledge.Parse("f.md", data)
		if err == nil && (a.ID == "" || a.Lang == "" || a.Title == "") {
			t.Fatalf("accepted an article without required fields: %+v", a)
		}
		var pe *knowledge.ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("error is not a *ParseError: %v", err)
		}
	})
}
