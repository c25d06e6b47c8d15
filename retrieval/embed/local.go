// Package embed holds supportbot.Embedder implementations: Local, the
// default, which needs no network and no model, and OpenAI, for any server
// that speaks the OpenAI embeddings API (OpenAI, Ollama, vLLM, LocalAI).
package embed

import (
	"context"
	"math"
	"slices"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/retrieval/internal/textfeat"
)

// DefaultDim is Local's vector size when Config.Dim is 0. At 512 dims the
// collisions of the hashing trick cost little for help-center texts (a few
// hundred distinct features per passage), and a 100k-passage index stays
// at 200 MB of float32.
const DefaultDim = 512

// Local embeds text by signed feature hashing (Weinberger et al. 2009) of
// word uni- and bigrams and char 2-4-grams inside words (CJK: char uni- and
// bigrams), after NFKC, lower-casing and accent folding, with sublinear tf,
// each family normalised then the whole vector L2-normalised.
//
// It is written here, not taken from a library, because supportbot must
// answer out of the box in 11 languages with no model download and no
// network: no pure-Go neural embedder can do that. Hashed n-grams carry
// no meaning beyond spelling, so similar wording, typos and inflections
// match but synonyms do not; the learned ranker in retrieval fills that
// gap from the articles' example questions. Output is deterministic: the
// same text gives the same vector on every machine and release of this
// feature set (Version names it in snapshots).
type Local struct {
	dim  int
	opts textfeat.Options
}

// LocalVersion names Local's feature set. A snapshot embedded with another
// version is re-embedded.
const LocalVersion = "local-hash-v2"

// NewLocal returns a Local embedder with dim dimensions; 0 means DefaultDim.
func NewLocal(dim int) *Local {
	if dim <= 0 {
		dim = DefaultDim
	}
	return &Local{dim: dim, opts: textfeat.Options{WordNgrams: 2, CharMin: 2, CharMax: 4}}
}

// Dim returns the vector size.
func (l *Local) Dim() int { return l.dim }

// Model names the embedding: version and size, e.g. "local-hash-v1/512".
func (l *Local) Model() string { return LocalVersion + "/" + itoa(l.dim) }

// Embed returns the unit-length hashed n-gram vector of text. Text with no
// letters or digits gives the zero vector (a zero vector matches nothing,
// which is what an empty query should do). It never fails.
func (l *Local) Embed(_ context.Context, text string) ([]float32, error) {
	return l.Vector(text), nil
}

// Vector is Embed without a context, for callers that embed in bulk.
//
// The features are counted and summed in sorted order, not by ranging
// over a map: Go randomises map order, and float sums in another order
// differ in the low bits, so the same text got slightly different vectors
// in different runs, and evaluations on the line moved between runs.
func (l *Local) Vector(text string) []float32 {
	// Block in the top byte, the hash's low 32 bits below; about three
	// features a byte of text for word, bigram and char 2-4-gram features.
	feats := make([]uint64, 0, 3*len(text)+8)
	textfeat.Features(text, l.opts, func(h uint64, b textfeat.Block) {
		feats = append(feats, uint64(b)<<56|uint64(uint32(h)))
	})
	slices.Sort(feats)
	v := make([]float32, l.dim)
	// Word features carry more meaning per feature than char n-grams;
	// weighting them up makes a shared word worth several shared n-grams.
	// No lexicon concepts: Local's options do not ask for them (measured,
	// they added nothing to the ranker's concept features).
	weights := [textfeat.NumBlocks]float64{1.0, 0.8, 0}
	for lo := 0; lo < len(feats); {
		b := feats[lo] >> 56
		hi := lo
		for hi < len(feats) && feats[hi]>>56 == b {
			hi++
		}
		block := feats[lo:hi]
		lo = hi
		if weights[b] == 0 {
			continue
		}
		// Each distinct feature once, with its sublinear tf.
		var norm float64
		forEachCount(block, func(_ uint32, tf int) {
			w := 1 + math.Log(float64(tf))
			norm += w * w
		})
		scale := weights[b] / math.Sqrt(norm)
		forEachCount(block, func(h uint32, tf int) {
			w := (1 + math.Log(float64(tf))) * scale
			// The top bit picks the sign, so that collisions cancel out in
			// expectation instead of adding up (the "signed" hashing trick).
			if h&(1<<31) != 0 {
				w = -w
			}
			v[int(h&0x7fffffff)%l.dim] += float32(w)
		})
	}
	normalize(v)
	return v
}

// forEachCount calls fn once for each distinct feature of the sorted
// feats, with its hash and how many times it occurs.
func forEachCount(feats []uint64, fn func(h uint32, n int)) {
	for i := 0; i < len(feats); {
		j := i + 1
		for j < len(feats) && feats[j] == feats[i] {
			j++
		}
		fn(uint32(feats[i]), j-i)
		i = j
	}
}

func normalize(v []float32) {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

var _ supportbot.Embedder = (*Local)(nil)
