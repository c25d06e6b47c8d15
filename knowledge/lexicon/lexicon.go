// Package lexicon holds supportbot's built-in support lexicon: for each of
// the 11 languages, the words users and help centers write for shared
// concepts ("withdraw", "two_factor", "not_received"), so that retrieval
// can match a question to an article that says the same thing in other
// words or in another language. README.md describes the file format.
package lexicon

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/internal/yamlerr"
)

//go:embed *.yaml concepts.txt
var files embed.FS

// Lexicon maps a language to its concepts and each concept to its forms.
type Lexicon map[string]map[string][]string

// Error is a problem in a lexicon file, with the line it is on.
type Error struct {
	File string
	Line int
	Msg  string
	// Lang is the language the file is for, when Load read one of a
	// supported language: a rejected file's language keeps what the
	// index holds for it.
	Lang string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Parse reads one language file: a YAML map from concept ID to a list of
// forms. Every error names the file and line.
func Parse(name string, data []byte) (map[string][]string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: name, Line: yamlerr.Line(data, err), Msg: yamlerr.Message(err)}
	}
	out := map[string][]string{}
	if len(doc.Content) == 0 {
		return out, nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: m.Line, Msg: "want a map from concept ID to a list of forms"}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if v.Kind != yaml.SequenceNode {
			return nil, &Error{File: name, Line: v.Line, Msg: fmt.Sprintf("concept %q: want a list of forms", k.Value)}
		}
		if _, dup := out[k.Value]; dup {
			return nil, &Error{File: name, Line: k.Line, Msg: fmt.Sprintf("concept %q listed twice", k.Value)}
		}
		forms := make([]string, 0, len(v.Content))
		for _, f := range v.Content {
			s := strings.TrimSpace(f.Value)
			if f.Kind != yaml.ScalarNode || s == "" || s == "*" {
				return nil, &Error{File: name, Line: f.Line, Msg: fmt.Sprintf("concept %q: empty or non-text form", k.Value)}
			}
			forms = append(forms, s)
		}
		out[k.Value] = forms
	}
	return out, nil
}

// yamlLine digs the line number out of a yaml.v3 error ("yaml: line 3: ...").
// Concepts returns the concept IDs defined in concepts.txt, sorted.
func Concepts() []string {
	data, _ := files.ReadFile("concepts.txt")
	var ids []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if id, _, ok := strings.Cut(l, ":"); ok {
			ids = append(ids, strings.TrimSpace(id))
		}
	}
	sort.Strings(ids)
	return ids
}

var (
	builtinOnce sync.Once
	builtin     Lexicon
	builtinErr  error
)

// Builtin returns the lexicon embedded in the binary. It is parsed once;
// the files are checked by this package's tests, so an error here means a
// broken build.
func Builtin() (Lexicon, error) {
	builtinOnce.Do(func() {
		// The same loader as a help center's additions; the built-in
		// files must all load.
		var errs []error
		builtin, errs = Load(files, ".")
		builtinErr = errors.Join(errs...)
	})
	return builtin, builtinErr
}

// Load reads a help center's additions to the lexicon: the files
// dir/<lang>.yaml of fsys, in the format of the built-in ones. A concept
// may be one of the built-in concepts (its forms are added to theirs) or a
// new one (an exchange's product names, local payment methods). A broken
// file is reported, naming its file and line, and does not stop the
// others. A missing dir is no lexicon and no error.
func Load(fsys fs.FS, dir string) (Lexicon, []error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*"))
	if err != nil || len(names) == 0 {
		return nil, nil
	}
	sort.Strings(names)
	var errs []error
	lx := Lexicon{}
	for _, n := range names {
		if path.Ext(n) != ".yaml" && path.Ext(n) != ".yml" {
			continue
		}
		lang := strings.TrimSuffix(path.Base(n), path.Ext(n))
		if !supportbot.IsLanguage(lang) {
			errs = append(errs, &Error{File: n, Line: 1, Msg: fmt.Sprintf(
				"%q is not a supported language: name the file <lang>.yaml, one of %s", lang, strings.Join(supportbot.Languages, ", "))})
			continue
		}
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			errs = append(errs, &Error{File: n, Line: 1, Msg: err.Error(), Lang: lang})
			continue
		}
		m, err := Parse(n, data)
		if err != nil {
			if e, ok := err.(*Error); ok {
				e.Lang = lang
			}
			errs = append(errs, err)
			continue
		}
		if len(m) > 0 {
			lx[lang] = m
		}
	}
	if len(lx) == 0 {
		lx = nil
	}
	return lx, errs
}

// Merge returns lx with the forms of add added, each form once; neither
// is modified.
func (lx Lexicon) Merge(add Lexicon) Lexicon {
	out := make(Lexicon, len(lx))
	for _, src := range []Lexicon{lx, add} {
		for lang, concepts := range src {
			if out[lang] == nil {
				out[lang] = map[string][]string{}
			}
			for c, forms := range concepts {
				for _, f := range forms {
					if !slices.Contains(out[lang][c], f) {
						out[lang][c] = append(out[lang][c], f)
					}
				}
			}
		}
	}
	return out
}

// Forms returns the number of forms in lx.
func (lx Lexicon) Forms() int {
	n := 0
	for _, concepts := range lx {
		for _, forms := range concepts {
			n += len(forms)
		}
	}
	return n
}

// Fingerprint identifies lx's content, independent of map order; "" for
// an empty lexicon.
func (lx Lexicon) Fingerprint() string {
	if lx.Forms() == 0 {
		return ""
	}
	h := sha256.New()
	for _, lang := range slices.Sorted(maps.Keys(lx)) {
		for _, c := range slices.Sorted(maps.Keys(lx[lang])) {
			fmt.Fprintf(h, "%q %q %q\n", lang, c, lx[lang][c])
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Fingerprint identifies the built-in lexicon's content: an index trained
// with another lexicon is retrained (retrieval includes it in its
// training hash).
var Fingerprint = sync.OnceValue(func() string {
	h := sha256.New()
	names, _ := fs.Glob(files, "*")
	sort.Strings(names)
	for _, n := range names {
		data, _ := files.ReadFile(n)
		fmt.Fprintf(h, "%s %d\n", n, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
})
