package retrieval

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/gob"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/philippgille/chromem-go"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/retrieval/embed"
)

// BenchmarkSnapshot compares this package's snapshot with chromem-go's
// DB export for 10,000 passages (2,000 synthetic articles) embedded by
// embed.Local: save and load time and file size.
//
//	go test ./retrieval/ -run '^$' -bench BenchmarkSnapshot -benchtime 3x
func BenchmarkSnapshot(b *testing.B) {
	arts := syntheticArticles(2000, 7)
	l := embed.NewLocal(0)
	vecs := map[string][]float32{}
	var docs []chromem.Document
	for _, a := range arts {
		for _, p := range knowledge.Chunk(a) {
			v := l.Vector(embedText(p))
			vecs[passageHash(l.Model(), p)] = v
			docs = append(docs, chromem.Document{ID: strconv.Itoa(len(docs)), Content: p.Text,
				Metadata: map[string]string{"article": a.Key()}, Embedding: v})
		}
	}
	if len(docs) != 10_000 {
		b.Fatalf("%d passages", len(docs))
	}
	dir := b.TempDir()
	ctx := context.Background()

	b.Run("own-gob-zstd", func(b *testing.B) {
		path := filepath.Join(dir, "own.gz")
		snap := &snapshot{Version: snapshotVersion, Model: l.Model(), Articles: arts, Vectors: vecs}
		var save, load time.Duration
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			if _, err := writeSnapshot(path, snap); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			if s, _, err := readSnapshot(path); err != nil || len(s.Vectors) != len(vecs) {
				b.Fatal(err)
			}
			save, load = save+t1.Sub(t0), load+time.Since(t1)
		}
		st, _ := os.Stat(path)
		b.ReportMetric(save.Seconds()/float64(b.N), "save-s")
		b.ReportMetric(load.Seconds()/float64(b.N), "load-s")
		b.ReportMetric(float64(st.Size())/(1<<20), "MiB")
	})
	b.Run("chromem-export-gzip", func(b *testing.B) {
		path := filepath.Join(dir, "chromem.gob.gz")
		db := chromem.NewDB()
		col, _ := db.CreateCollection("passages", nil, nil)
		for _, d := range docs {
			if err := col.AddDocument(ctx, d); err != nil {
				b.Fatal(err)
			}
		}
		var save, load time.Duration
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			if err := db.ExportToFile(path, true, ""); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			db2 := chromem.NewDB()
			if err := db2.ImportFromFile(path, ""); err != nil {
				b.Fatal(err)
			}
			save, load = save+t1.Sub(t0), load+time.Since(t1)
		}
		st, _ := os.Stat(path)
		b.ReportMetric(save.Seconds()/float64(b.N), "save-s")
		b.ReportMetric(load.Seconds()/float64(b.N), "load-s")
		b.ReportMetric(float64(st.Size())/(1<<20), "MiB")
	})
}

// A ranker is kept across a restart only while the training data it was
// trained on are the same: when a newer version derives other examples
// from the same articles, the snapshot's training hash no longer matches
// and the next Sync retrains (and then keeps the new model).
func TestSnapshotRetrainsWhenTrainingDataChanged(t *testing.T) {
	ctx := context.Background()
	cfg := Config{Dir: t.TempDir()}
	arts := helpCenter()
	// As written by a version that read the training data otherwise.
	rewriteSnapshot(t, cfg, arts, func(s *snapshot) { s.TrainHash = "trained-by-an-older-version" })
	for i, want := range []bool{true, false} {
		ix, err := Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		st, err := ix.Sync(ctx, arts, nil)
		ix.Close()
		if err != nil || st.Trained != want || len(st.Unchanged) != len(arts) {
			t.Fatalf("sync %d after reopening: trained %v, want %v (%+v, %v)", i, st.Trained, want, st, err)
		}
	}
}

// A snapshot written by another version of supportbot (an upgrade) keeps
// its articles: they are retrained at once and embedded again by the next
// SyncHelpCenter. Before, it was read as no snapshot at all, and a fresh
// start put the built-in demo help center in the operator's place.
func TestSnapshotOfAnotherVersionKeepsTheArticles(t *testing.T) {
	ctx := context.Background()
	cfg := Config{Dir: t.TempDir()}
	arts := helpCenter()
	path := rewriteSnapshot(t, cfg, arts, func(s *snapshot) { s.Version = snapshotVersion - 1 })
	ix, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.Len(); n != len(arts) || ix.Unembedded() == 0 {
		t.Fatalf("after an upgrade: %d articles (want %d), %d passages to embed", n, len(arts), ix.Unembedded())
	}
	st, err := ix.SyncHelpCenter(ctx, ix.HelpCenter(), nil)
	if err != nil || st.Embedded == 0 || len(st.Unchanged) != len(arts) || ix.Unembedded() != 0 {
		t.Fatalf("re-embedding: %+v, %v; %d left", st, err, ix.Unembedded())
	}
	r, err := ix.Retrieve(ctx, supportbot.Query{Text: "I forgot my password", Lang: "en", K: 1})
	if err != nil || len(r.Hits) == 0 || r.Hits[0].ArticleID != "reset-password" {
		t.Fatalf("retrieve: %+v, %v", r.Hits, err)
	}
	if snap, _, err := readSnapshot(path); err != nil || snap.Version != snapshotVersion {
		t.Fatalf("the snapshot was not rewritten: %v", err)
	}
}

// rewriteSnapshot syncs arts into cfg.Dir, then changes the snapshot on
// disk with edit, as another version would have written it; it returns
// the snapshot's path.
func rewriteSnapshot(t *testing.T, cfg Config, arts []*supportbot.Article, edit func(*snapshot)) string {
	t.Helper()
	ix, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := ix.Sync(context.Background(), arts, nil)
	ix.Close()
	if err != nil || !st.Trained {
		t.Fatalf("first sync: %+v, %v", st, err)
	}
	path := filepath.Join(cfg.Dir, SnapshotFile)
	snap, _, err := readSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	edit(snap)
	if _, err := writeSnapshot(path, snap); err != nil {
		t.Fatal(err)
	}
	return path
}

// A data folder of a version that wrote gzip snapshots under another name
// still opens with its articles, vectors and models (no re-embedding, no
// retraining); the next Sync writes zstd under the new name.
func TestSnapshotOfGzipVersionLoads(t *testing.T) {
	ctx := context.Background()
	cfg := Config{Dir: t.TempDir()}
	arts := helpCenter()
	path := rewriteSnapshot(t, cfg, arts, func(*snapshot) {})
	snap, _, err := readSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := gob.NewEncoder(zw).Encode(snap); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	legacy := filepath.Join(cfg.Dir, legacySnapshotFile)
	if err := os.WriteFile(legacy, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Remove(path)

	ix, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.Len(); n != len(arts) || ix.Unembedded() != 0 {
		t.Fatalf("from the gzip snapshot: %d articles (want %d), %d passages to embed", n, len(arts), ix.Unembedded())
	}
	r, err := ix.Retrieve(ctx, supportbot.Query{Text: "I forgot my password", Lang: "en", K: 1})
	if err != nil || len(r.Hits) == 0 || r.Hits[0].ArticleID != "reset-password" {
		t.Fatalf("retrieve: %+v, %v", r.Hits, err)
	}
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Errorf("the old name is still there: %v", err)
	}
	st, err := ix.Sync(ctx, append(arts[:len(arts):len(arts)], &supportbot.Article{ID: "new", Lang: "en", Title: "New", Category: "fees", Body: "Something new."}), nil)
	if err != nil || !st.Trained || len(st.Unchanged) != len(arts) {
		t.Fatalf("sync: %+v, %v", st, err)
	}
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte{0x28, 0xb5, 0x2f, 0xfd}) {
		t.Fatalf("after Sync the snapshot is not zstd: % x, %v", data[:min(4, len(data))], err)
	}
}
