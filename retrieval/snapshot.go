package retrieval

import (
	"bufio"
	"compress/gzip"
	"encoding/gob"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/supportbot/supportbot"
)

// snapshotVersion changes when the snapshot's layout or the meaning of
// its contents (feature hashing, model) changes. Of a snapshot of another
// version only the articles are used (Reload): the vectors and models are
// rebuilt.
const snapshotVersion = 5

// snapshot is everything an Index needs to serve after a restart without
// re-embedding or retraining: the articles themselves (the help-center
// site serves them from here), passage vectors by content hash, the
// trained ranker and the fitted fusion and calibration.
//
// Our own gob+gzip file rather than chromem-go's persistence: the vectors
// are only part of what must be replaced atomically together (articles,
// model, calibration), and NewPersistentDB writes one unsynced file per
// document (chromem-go issue 120 advises against it for many documents).
//
// Measured by BenchmarkSnapshot on 10,000 passages of 512-dim local
// embeddings (2,000 synthetic articles), 2-core machine, light load:
//
//	this snapshot (gob, gzip BestSpeed, with the articles): save 0.57 s, load 0.48 s, 9.4 MiB
//	chromem DB.ExportToFile (gob, gzip default, passages):  save 2.12 s, load 0.35 s, 7.9 MiB
//
// (Under heavy load from other builds: 3.0/2.1 s vs 7.1/0.6 s.) chromem's
// export saves 4x slower (default compression level), loads a little
// faster, and would still need a second file, not replaced atomically
// with it, for the articles, the ranker and the calibration.
type snapshot struct {
	Version   int
	Model     string // the embedder's model; vectors of another are dropped
	Articles  []*supportbot.Article
	Vectors   map[string][]float32 // passage hash -> vector
	Ranker    *storedRanker
	Tuning    *tuning
	TrainHash string
}

func (s *state) snapshot(model string) *snapshot {
	return &snapshot{
		Version:   snapshotVersion,
		Model:     model,
		Articles:  s.articles,
		Vectors:   s.vectors,
		Ranker:    s.stored,
		Tuning:    s.tuning,
		TrainHash: s.trainHash,
	}
}

// writeSnapshot writes snap to path atomically: to a temporary file in the
// same directory, fsynced, renamed over path, and the directory fsynced,
// so that a crash leaves either the old snapshot or the new one, never a
// torn file under path.
func writeSnapshot(path string, snap *snapshot) (os.FileInfo, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("couldn't create %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".snapshot-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("couldn't create snapshot: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after the rename
	bw := bufio.NewWriterSize(f, 1<<20)
	// BestSpeed: vectors compress little at any level, and a slower
	// level doubles the save time of a large help center.
	zw, _ := gzip.NewWriterLevel(bw, gzip.BestSpeed)
	if err := gob.NewEncoder(zw).Encode(snap); err != nil {
		f.Close()
		return nil, fmt.Errorf("couldn't encode snapshot: %w", err)
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return nil, fmt.Errorf("couldn't write snapshot: %w", err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return nil, fmt.Errorf("couldn't write snapshot: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("couldn't sync snapshot: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("couldn't close snapshot: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("couldn't replace snapshot: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the rename durable; not all file systems support it
		d.Close()
	}
	return os.Stat(path)
}

// readSnapshot reads the snapshot at path. A missing file or one of
// another version gives (nil, nil, nil).
func readSnapshot(path string) (*snapshot, os.FileInfo, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, fmt.Errorf("couldn't open snapshot: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("couldn't stat snapshot: %w", err)
	}
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("couldn't read snapshot %s: %w", path, err)
	}
	var snap snapshot
	if err := gob.NewDecoder(zr).Decode(&snap); err != nil {
		return nil, nil, fmt.Errorf("couldn't decode snapshot %s: %w", path, err)
	}
	return &snap, st, nil
}
