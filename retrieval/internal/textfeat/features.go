package textfeat

import "strings"

// Block says which family a feature belongs to. Families are weighted and
// normalised separately: word n-grams are precise, char n-grams are robust
// to typos, inflection and missing spaces, and neither should drown the
// other just because a text has more characters than words.
type Block uint8

// Feature blocks.
const (
	BlockWord    Block = iota // word uni- and bigrams; CJK char uni- and bigrams
	BlockChar                 // char n-grams inside words, padded with spaces
	BlockConcept              // lexicon concepts (see knowledge/lexicon)
	NumBlocks
)

// Options choose the features of a text.
type Options struct {
	WordNgrams int // longest word n-gram; 0 means 2
	CharMin    int // shortest char n-gram inside a word; 0 means 2
	CharMax    int // longest char n-gram inside a word; 0 means 5
	// Stem, when set, adds each word's stem as a word feature: the
	// char n-grams already relate "activate" and "activating", but a
	// shared stem is stronger evidence than a few shared n-grams.
	Stem func(string) string
	// SkipBigrams adds pairs of words one word apart ("card ... arrived"),
	// which survive an inserted adjective or article.
	SkipBigrams bool
	// CrossChar takes char n-grams over the whole token sequence joined by
	// single spaces instead of inside each word, so n-grams also span
	// word boundaries ("p up" in "top up").
	CrossChar bool
	// UseConcepts asks for the lexicon's concepts as features, in
	// BlockConcept: with them "cash out" and "withdraw" share a feature,
	// and so do a Turkish question and an English article. The caller
	// sets Concepts to the language's Matcher.Match.
	UseConcepts bool
	Concepts    func(toks []Token, emit func(concept string))
}

func (o *Options) setDefaults() {
	if o.WordNgrams == 0 {
		o.WordNgrams = 2
	}
	if o.CharMin == 0 {
		o.CharMin = 2
	}
	if o.CharMax == 0 {
		o.CharMax = 5
	}
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// hashString is FNV-1a, continued from h. It is written out rather than
// taken from hash/fnv so that the hot loop does not allocate.
func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hashByte(h uint64, b byte) uint64 {
	h ^= uint64(b)
	return h * fnvPrime
}

// Features calls emit once per occurrence of each feature of text, with a
// 64-bit hash (collisions are negligible at this width, so no vocabulary
// of strings has to be kept) and its block. text need not be normalised.
func Features(text string, o Options, emit func(h uint64, b Block)) {
	o.setDefaults()
	norm := Normalize(text)
	folded := Fold(norm)
	toks := Tokenize(folded)
	var raw []Token
	if folded != norm {
		raw = Tokenize(norm)
		if len(raw) != len(toks) {
			raw = nil // folding changed the token boundaries; skip raw words
		}
	}
	if o.Concepts != nil {
		seed := hashByte(fnvOffset, 'x')
		o.Concepts(toks, func(c string) { emit(hashString(seed, c), BlockConcept) })
	}
	wordSeed := hashByte(fnvOffset, 'w')
	for i := range toks {
		h := hashString(wordSeed, toks[i].Text)
		emit(h, BlockWord)
		if raw != nil && raw[i].Text != toks[i].Text {
			// The accented form as well: in Vietnamese the accents tell
			// words apart, so an exact match should count for more.
			emit(hashString(hashByte(fnvOffset, 'r'), raw[i].Text), BlockWord)
		}
		for n := 2; n <= o.WordNgrams && i+n <= len(toks); n++ {
			h = hashByte(h, ' ')
			h = hashString(h, toks[i+n-1].Text)
			emit(h, BlockWord)
		}
		if o.SkipBigrams && i+2 < len(toks) {
			h := hashString(hashByte(fnvOffset, 'k'), toks[i].Text)
			emit(hashString(hashByte(h, ' '), toks[i+2].Text), BlockWord)
		}
		if toks[i].CJK {
			continue
		}
		if o.Stem != nil {
			emit(hashString(hashByte(fnvOffset, 's'), o.Stem(toks[i].Text)), BlockWord)
		}
		if !o.CrossChar {
			charNgrams(toks[i].Text, o.CharMin, o.CharMax, emit)
		}
	}
	if o.CrossChar {
		var b strings.Builder
		for i, t := range toks {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t.Text)
		}
		charNgrams(b.String(), o.CharMin, o.CharMax, emit)
	}
}

// charNgrams emits the char n-grams of " word ".
func charNgrams(w string, min, max int, emit func(uint64, Block)) {
	// Rune start offsets of " " + w + " ", with the end offset appended.
	var buf [66]int
	offs := buf[:0] // grows on the heap for long inputs
	padded := " " + w + " "
	for i := range padded {
		offs = append(offs, i)
	}
	offs = append(offs, len(padded))
	nr := len(offs) - 1
	seed := hashByte(fnvOffset, 'c')
	for i := 0; i < nr; i++ {
		h := seed
		for n := 1; n <= max && i+n <= nr; n++ {
			h = hashString(h, padded[offs[i+n-1]:offs[i+n]])
			if n >= min && !(n == 1 && padded[offs[i]] == ' ') {
				emit(h, BlockChar)
			}
		}
	}
}
