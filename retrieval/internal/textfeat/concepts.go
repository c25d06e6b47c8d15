package textfeat

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/supportbot/supportbot/knowledge/lexicon"
)

// Matcher finds the lexicon's concepts in a token sequence: a trie over
// normalised tokens, where a form's last token may be a prefix ("withdraw*").
// It is written here rather than with a general Aho-Corasick library
// because it must match on the same tokens as every other feature (CJK as
// single characters, accents folded) and support prefix tokens, which
// byte-level automata do not.
type Matcher struct {
	root *node
}

type node struct {
	next map[string]*node
	// prefixes are the forms whose last token is a prefix, by the
	// prefix's first rune: the root has hundreds, and a token is only
	// compared with those that can match it.
	prefixes map[rune][]prefixForm
	concepts []string // forms that end at this node
}

type prefixForm struct {
	prefix   string
	concepts []string
}

// NewMatcher builds a Matcher for forms by concept.
func NewMatcher(forms map[string][]string) *Matcher {
	m := &Matcher{root: &node{}}
	for concept, fs := range forms {
		for _, f := range fs {
			m.add(concept, f)
		}
	}
	return m
}

func (m *Matcher) add(concept, form string) {
	prefix := strings.HasSuffix(form, "*")
	toks := Tokenize(Fold(Normalize(strings.TrimSuffix(form, "*"))))
	if len(toks) == 0 || (len(toks) == 1 && toks[0].CJK) {
		return // a single Han or kana character means too many things
	}
	n := m.root
	last := len(toks) - 1
	for _, t := range toks[:last] {
		n = n.child(t.Text)
	}
	t := toks[last].Text
	if prefix && !toks[last].CJK && utf8.RuneCountInString(t) >= 2 {
		r, _ := utf8.DecodeRuneInString(t)
		ps := n.prefixes[r]
		for i := range ps {
			if ps[i].prefix == t {
				ps[i].concepts = appendNew(ps[i].concepts, concept)
				return
			}
		}
		if n.prefixes == nil {
			n.prefixes = map[rune][]prefixForm{}
		}
		n.prefixes[r] = append(ps, prefixForm{t, []string{concept}})
		return
	}
	c := n.child(t)
	c.concepts = appendNew(c.concepts, concept)
}

func (n *node) child(t string) *node {
	if n.next == nil {
		n.next = map[string]*node{}
	}
	c := n.next[t]
	if c == nil {
		c = &node{}
		n.next[t] = c
	}
	return c
}

func appendNew(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// Match calls emit once for each concept of each form that occurs in
// toks, at most once per concept and start position.
func (m *Matcher) Match(toks []Token, emit func(concept string)) {
	if m == nil || m.root == nil {
		return
	}
	var seen []string
	for i := range toks {
		seen = seen[:0]
		once := func(c string) {
			for _, s := range seen {
				if s == c {
					return
				}
			}
			seen = append(seen, c)
			emit(c)
		}
		n := m.root
		for j := i; j < len(toks); j++ {
			t := toks[j].Text
			r, _ := utf8.DecodeRuneInString(t)
			for _, p := range n.prefixes[r] {
				if strings.HasPrefix(t, p.prefix) {
					for _, c := range p.concepts {
						once(c)
					}
				}
			}
			n = n.next[t]
			if n == nil {
				break
			}
			for _, c := range n.concepts {
				once(c)
			}
		}
	}
}

// ConceptSet is a lexicon's Matchers, one per language.
type ConceptSet struct {
	byLang map[string]*Matcher
}

// NewConceptSet builds the Matchers of lx: for each language its forms
// (both Chinese scripts for either), and for an empty or unknown language
// every language's.
func NewConceptSet(lx lexicon.Lexicon) *ConceptSet {
	s := &ConceptSet{byLang: map[string]*Matcher{}}
	all := map[string][]string{}
	for l, forms := range lx {
		merged := map[string][]string{}
		add := func(fs map[string][]string) {
			for c, f := range fs {
				merged[c] = append(merged[c], f...)
			}
		}
		add(forms)
		if other := chineseSibling(l); other != "" {
			add(lx[other])
		}
		s.byLang[l] = NewMatcher(merged)
		for c, f := range forms {
			all[c] = append(all[c], f...)
		}
	}
	s.byLang[""] = NewMatcher(all)
	return s
}

// For returns lang's Matcher.
func (s *ConceptSet) For(lang string) *Matcher {
	if m, ok := s.byLang[lang]; ok {
		return m
	}
	return s.byLang[""]
}

// builtinConcepts is the built-in lexicon's ConceptSet. It is empty if the
// lexicon cannot be loaded, which the lexicon's tests rule out.
var builtinConcepts = sync.OnceValue(func() *ConceptSet {
	lx, err := lexicon.Builtin()
	if err != nil {
		return &ConceptSet{}
	}
	return NewConceptSet(lx)
})

// Concepts returns the built-in lexicon's Matcher for lang.
func Concepts(lang string) *Matcher {
	return builtinConcepts().For(lang)
}

// ConceptsWith returns the ConceptSet of the built-in lexicon with a help
// center's additions; the built-in one when there are none.
//
// Sets are cached by the additions' fingerprint: every cross-validation
// fold trains a ranker with the same additions, and building a set (about
// 13,000 forms into 12 tries) each time would be wasted.
func ConceptsWith(add lexicon.Lexicon) *ConceptSet {
	fp := add.Fingerprint()
	if fp == "" {
		return builtinConcepts()
	}
	if cs, ok := withCache.Load(fp); ok {
		return cs.(*ConceptSet)
	}
	lx, err := lexicon.Builtin()
	if err != nil {
		lx = nil
	}
	cs, _ := withCache.LoadOrStore(fp, NewConceptSet(lx.Merge(add)))
	return cs.(*ConceptSet)
}

// withCache maps a lexicon's additions' fingerprint to its ConceptSet. It
// holds one entry per distinct set of additions a process has trained
// with: one for a server, a few in tests.
var withCache sync.Map

func chineseSibling(lang string) string {
	switch lang {
	case "zh-Hans":
		return "zh-Hant"
	case "zh-Hant":
		return "zh-Hans"
	}
	return ""
}
