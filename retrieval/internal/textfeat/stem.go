package textfeat

import (
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/portuguese"
	"github.com/blevesearch/snowballstem/russian"
	"github.com/blevesearch/snowballstem/spanish"
	"github.com/blevesearch/snowballstem/turkish"
)

// stemmers are the Snowball stemmers (the ones bleve's language analyzers
// use) for the languages that inflect with suffixes. Chinese and Japanese
// do not inflect that way, Vietnamese does not inflect, and Korean
// particles are covered by char n-grams.
var stemmers = map[string]func(*snowballstem.Env) bool{
	"en": english.Stem,
	"fr": french.Stem,
	"es": spanish.Stem,
	"pt": portuguese.Stem,
	"ru": russian.Stem,
	"tr": turkish.Stem,
}

// Stemmer returns the stemmer for a language, or nil.
func Stemmer(lang string) func(string) string {
	f := stemmers[lang]
	if f == nil {
		return nil
	}
	return func(w string) string {
		env := snowballstem.NewEnv(w)
		f(env)
		return env.Current()
	}
}
