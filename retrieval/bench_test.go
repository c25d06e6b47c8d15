package retrieval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/supportbot/supportbot"
)

// benchVocab is a vocabulary of 5,000 pseudo-words, drawn from with a
// Zipf distribution as in real text: a handful of very common words and a
// long tail, so that keyword postings have realistic lengths.
var benchVocab = func() []string {
	syll := strings.Fields("ka ro mi tu se pa li no ve da shi ru te bo ga fe zu ni lo ma")
	rng := rand.New(rand.NewPCG(3, 4))
	seen := map[string]bool{}
	var out []string
	for len(out) < 5000 {
		n := 1 + rng.IntN(4)
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(syll[rng.IntN(len(syll))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}()

// syntheticArticles makes articles with 5 passages each and 2 example
// questions, deterministically from seed.
func syntheticArticles(nArticles int, seed uint64) []*supportbot.Article {
	zipf := rand.NewZipf(rand.New(rand.NewPCG(seed, 2)), 1.1, 1, uint64(len(benchVocab)-1))
	words := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(benchVocab[zipf.Uint64()])
		}
		return b.String()
	}
	cats := []string{"account", "wallet", "trading", "security"}
	arts := make([]*supportbot.Article, nArticles)
	for i := range arts {
		var body strings.Builder
		body.WriteString(words(40))
		for s := 1; s < 5; s++ {
			fmt.Fprintf(&body, "\n\n## %s\n\n%s", words(3), words(50))
		}
		arts[i] = &supportbot.Article{
			ID: fmt.Sprintf("a%06d", i), Lang: "en", Category: cats[i%len(cats)],
			Title: words(5), Body: body.String(),
			// Three: with fewer, an article also learns from its headings
			// and sentences (derivedExamples), which this benchmark does
			// not measure; see the README for that cost.
			Questions: []string{words(8) + "?", words(6) + "?", words(7) + "?"},
		}
	}
	return arts
}

// BenchmarkRetrieve measures Retrieve latency at 1k, 10k and 100k passages
// (5 per article), and reports the Sync time and the Go heap after Sync.
//
//	go test ./retrieval/ -run '^$' -bench BenchmarkRetrieve -benchtime 200x
func BenchmarkRetrieve(b *testing.B) {
	for _, chunks := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("chunks=%d", chunks), func(b *testing.B) {
			if chunks > 10_000 && testing.Short() {
				b.Skip("100k passages skipped in -short mode")
			}
			ctx := context.Background()
			// The testing package calls this function once with N=1 before
			// the real run: build each size once.
			bi, ok := benchIndexes[chunks]
			if !ok {
				bi = buildBenchIndex(b, chunks)
				benchIndexes[chunks] = bi
			}
			ix, arts := bi.ix, bi.arts
			if _, n := ix.Len(); n != chunks {
				b.Fatalf("%d passages, want %d", n, chunks)
			}
			queries := make([]string, 64)
			for i := range queries {
				queries[i] = arts[(i*7919)%len(arts)].Questions[0]
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if _, err := ix.Retrieve(ctx, supportbot.Query{Text: queries[i%len(queries)], Lang: "en"}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			// CPU time per query, which unlike ns/op does not grow when
			// other processes compete for the cores.
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
			b.ReportMetric(bi.sync.Seconds(), "sync-s")
			b.ReportMetric(bi.syncCPU.Seconds(), "sync-cpu-s")
			b.ReportMetric(bi.heapMiB, "heap-MiB")
		})
	}
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type benchIndex struct {
	ix            *Index
	arts          []*supportbot.Article
	sync, syncCPU time.Duration
	heapMiB       float64
}

var benchIndexes = map[int]*benchIndex{}

func buildBenchIndex(b *testing.B, chunks int) *benchIndex {
	arts := syntheticArticles(chunks/5, 42)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start, cpu0 := time.Now(), cpuTime()
	ix, err := Open(Config{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ix.Sync(context.Background(), arts, nil); err != nil {
		b.Fatal(err)
	}
	bi := &benchIndex{ix: ix, arts: arts, sync: time.Since(start), syncCPU: cpuTime() - cpu0}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	bi.heapMiB = float64(after.HeapAlloc-min(before.HeapAlloc, after.HeapAlloc)) / (1 << 20)
	return bi
}
