package knowledge

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/knowledge/lexicon"
)

// LoadResult is what loading a folder of articles found.
type LoadResult struct {
	Articles []*supportbot.Article // valid articles, sorted by ID then language
	// Lexicon is the help center's additions to the built-in support
	// lexicon, from the folder's lexicon/<lang>.yaml files; nil if none.
	Lexicon lexicon.Lexicon
	// Errors has one entry per rejected file: a *ParseError for an
	// article, a *lexicon.Error for a lexicon file.
	Errors []error
}

// LexiconDir is the folder, next to the articles, that holds a help
// center's additions to the support lexicon.
const LexiconDir = "lexicon"

// Load reads every *.md file below root in fsys, and the lexicon files in
// root/lexicon. A broken file is reported in Errors and does not stop the
// others; two files with the same id and language reject the second.
// Files named README.md are skipped.
func Load(fsys fs.FS, root string) (LoadResult, error) {
	var res LoadResult
	lexDir := path.Join(root, LexiconDir)
	res.Lexicon, res.Errors = lexicon.Load(fsys, lexDir)
	seen := map[string]string{} // key -> source
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p == lexDir {
			return fs.SkipDir
		}
		// Hidden files and folders (.git, editors' .swp, .obsidian) are
		// not articles.
		if p != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !isArticleFile(d.Name()) {
			return nil
		}
		a, err := parseFile(fsys, p)
		if err != nil {
			res.Errors = append(res.Errors, err)
			return nil
		}
		if prev, ok := seen[a.Key()]; ok {
			res.Errors = append(res.Errors, &ParseError{File: p, Line: 2,
				Msg: fmt.Sprintf("duplicate article %q in language %s (also in %s)", a.ID, a.Lang, prev)})
			return nil
		}
		seen[a.Key()] = p
		res.Articles = append(res.Articles, a)
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("walk %s: %w", root, err)
	}
	sort.Slice(res.Articles, func(i, j int) bool {
		a, b := res.Articles[i], res.Articles[j]
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Lang < b.Lang
	})
	return res, nil
}

// isArticleFile says name is an article: Markdown (.md or .markdown), not
// a README.
func isArticleFile(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return (ext == ".md" || ext == ".markdown") && !strings.EqualFold(strings.TrimSuffix(name, path.Ext(name)), "README")
}

// LoadDir is Load on a folder of the file system. Sources are the paths
// below dir joined to dir, so errors name the real files.
func LoadDir(dir string) (LoadResult, error) {
	if st, err := os.Stat(dir); err != nil {
		return LoadResult{}, err
	} else if !st.IsDir() {
		return LoadResult{}, fmt.Errorf("%s is not a directory", dir)
	}
	// os.Root rather than os.DirFS: a symbolic link that leads out of
	// dir (to /etc/passwd, say) is an error, not an article.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return LoadResult{}, err
	}
	defer root.Close()
	res, err := Load(root.FS(), ".")
	for _, a := range res.Articles {
		a.Source = path.Join(dir, a.Source)
	}
	prefixErrors(dir, res.Errors)
	return res, err
}

// LoadLexiconDir reads the lexicon additions in dir/lexicon, as Load
// does for a folder of articles.
func LoadLexiconDir(dir string) (lexicon.Lexicon, []error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil // no folder, no lexicon
	}
	defer root.Close()
	lx, errs := lexicon.Load(root.FS(), LexiconDir)
	prefixErrors(dir, errs)
	return lx, errs
}

// prefixErrors makes the file names in errs, relative to dir, paths.
func prefixErrors(dir string, errs []error) {
	for _, e := range errs {
		switch e := e.(type) {
		case *ParseError:
			e.File = path.Join(dir, e.File)
		case *lexicon.Error:
			e.File = path.Join(dir, e.File)
		}
	}
}

func parseFile(fsys fs.FS, p string) (*supportbot.Article, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, &ParseError{File: p, Msg: err.Error()}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxArticleBytes+1))
	if err != nil {
		return nil, &ParseError{File: p, Msg: err.Error()}
	}
	return Parse(p, data)
}

//go:embed demo/articles demo/queries.jsonl
var demoFS embed.FS

// Demo returns the built-in demo help center of Kestrel, a fictional
// exchange: its articles below "articles/" and its evaluation queries in
// "queries.jsonl", the layout `supportbot eval` reads.
func Demo() fs.FS {
	sub, err := fs.Sub(demoFS, "demo")
	if err != nil {
		panic(err) // the embedded layout is fixed at build time
	}
	return sub
}
