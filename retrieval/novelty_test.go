package retrieval

import (
	"math"
	"testing"
)

func TestAddNormalized(t *testing.T) {
	a := sparse{idx: []int32{0, 3}, val: []float32{1, 1}}
	b := sparse{idx: []int32{0, 2}, val: []float32{1, 1}}
	got := addNormalized(a, b)
	// (2, 1, 1) at 0, 2, 3, over sqrt(6).
	want := map[int32]float64{0: 2 / math.Sqrt(6), 2: 1 / math.Sqrt(6), 3: 1 / math.Sqrt(6)}
	if len(got.idx) != 3 {
		t.Fatalf("got %+v", got)
	}
	for k, i := range got.idx {
		if k > 0 && got.idx[k-1] >= i {
			t.Fatalf("indexes not sorted: %v", got.idx)
		}
		if math.Abs(float64(got.val[k])-want[i]) > 1e-6 {
			t.Errorf("index %d: %v, want %v", i, got.val[k], want[i])
		}
	}
}

func TestPseudoOutliersMixTwoArticles(t *testing.T) {
	// Each example has one feature of its own: a pseudo-outlier must have
	// two, from examples of different labels.
	var xs []sparse
	var ys []int
	for i := range 20 {
		xs = append(xs, sparse{idx: []int32{int32(i)}, val: []float32{1}})
		ys = append(ys, i%4)
	}
	out := pseudoOutliers(xs, ys, 30)
	if len(out) != 30 {
		t.Fatalf("got %d outliers, want 30", len(out))
	}
	for _, o := range out {
		if len(o.idx) != 2 || ys[o.idx[0]] == ys[o.idx[1]] {
			t.Fatalf("outlier %+v does not mix two articles", o)
		}
		if n := o.sqnorm(); math.Abs(float64(n)-1) > 1e-5 {
			t.Fatalf("outlier norm² %v", n)
		}
	}
	again := pseudoOutliers(xs, ys, 30)
	for i := range out {
		if out[i].idx[0] != again[i].idx[0] || out[i].idx[1] != again[i].idx[1] {
			t.Fatal("pseudo-outliers are not deterministic")
		}
	}
	if got := pseudoOutliers(xs[:5], make([]int, 5), 10); len(got) != 0 {
		t.Fatalf("one label gave %d outliers", len(got))
	}
}

func TestNoveltyCountsUnseenWords(t *testing.T) {
	v := &vectorizer{Opts: vecOptions, BlockWeight: blockWeights}
	v.fit([]string{"reset my password", "withdrawal is pending"}, []string{"en", "en"}, 1)
	_, seen := v.transformNovelty("reset my password", "en")
	_, mixed := v.transformNovelty("reset my lasagna recipe", "en")
	_, unseen := v.transformNovelty("zebra quokka", "en")
	if seen.UnknownWords != 0 || !(mixed.UnknownWords > 0 && mixed.UnknownWords < 1) || unseen.UnknownWords != 1 {
		t.Fatalf("unknown word shares: seen %v, mixed %v, unseen %v", seen.UnknownWords, mixed.UnknownWords, unseen.UnknownWords)
	}
	if !(unseen.UnknownChars > mixed.UnknownChars && mixed.UnknownChars > seen.UnknownChars) {
		t.Fatalf("unknown char shares: %v, %v, %v", seen.UnknownChars, mixed.UnknownChars, unseen.UnknownChars)
	}
}

// Text in a CJK script has no char n-grams inside words (its characters
// are its word features), so its unknown char share is its unknown word
// share: a Chinese question on an English help center is all unknown, and
// one on a Chinese help center is not.
func TestNoveltyOfCJKText(t *testing.T) {
	v := &vectorizer{Opts: vecOptions, BlockWeight: blockWeights}
	v.fit([]string{"reset my password", "忘记密码怎么办"}, []string{"en", "zh-Hans"}, 1)
	_, weather := v.transformNovelty("明天天气怎么样", "zh-Hans")
	if weather.UnknownChars < 0.5 || weather.UnknownChars != weather.UnknownWords {
		t.Fatalf("unseen Chinese text: unknown words %v, chars %v", weather.UnknownWords, weather.UnknownChars)
	}
	_, seen := v.transformNovelty("忘记密码", "zh-Hans")
	if seen.UnknownChars != 0 {
		t.Fatalf("seen Chinese text: unknown chars %v", seen.UnknownChars)
	}
}
