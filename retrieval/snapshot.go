package retrieval

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/klauspost/compress/zstd"

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
// Our own gob+zstd file rather than chromem-go's persistence: the vectors
// are only part of what must be replaced atomically together (articles,
// model, calibration), and NewPersistentDB writes one unsynced file per
// document (chromem-go issue 120 advises against it for many documents).
//
// Measured by BenchmarkSnapshot on 10,000 passages of 512-dim local
// embeddings (2,000 synthetic articles), 2-core machine, light load:
//
//	this snapshot (gob, zstd default, with the articles):   save 0.32 s, load 0.16 s, 8.5 MiB
//	chromem DB.ExportToFile (gob, gzip default, passages):  save 1.69 s, load 0.29 s, 7.9 MiB
//
// With gzip BestSpeed, as until 2026-11-25, ours took 0.57 s / 0.48 s /
// 9.4 MiB. chromem's export saves 5x slower, loads slower, and would
// still need a second file, not replaced atomically with it, for the
// articles, the ranker and the calibration.
//
// zstd (klauspost/compress, already in the module graph) rather than
// gzip since the demo help center grew to 352 articles (48.6 MB of gob):
// on it, gzip BestSpeed wrote 30.7 MB in 0.91 s and Go's inflate read it
// in 0.61 s; zstd writes 28.8 MB in 0.49 s and reads it in 0.12 s. Every
// `supportbot ask` and every start of serve pays that: `ask --lang en`
// on the demo went from 2.15 s to 1.55 s. A gzip snapshot of an earlier
// version (legacySnapshotFile) still loads.
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
	zw, err := zstd.NewWriter(bw)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("couldn't compress snapshot: %w", err)
	}
	if err := gob.NewEncoder(zw).Encode(snap); err != nil {
		zw.Close()
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
	zr, err := decompress(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("couldn't read snapshot %s: %w", path, err)
	}
	defer zr.Close()
	var snap snapshot
	if err := gob.NewDecoder(zr).Decode(&snap); err != nil {
		return nil, nil, fmt.Errorf("couldn't decode snapshot %s: %w", path, err)
	}
	return &snap, st, nil
}

// gzipMagic starts a gzip stream: snapshots written before zstd.
var gzipMagic = []byte{0x1f, 0x8b}

// decompress reads a zstd stream, or a gzip one of an earlier version.
func decompress(br *bufio.Reader) (io.ReadCloser, error) {
	if head, _ := br.Peek(len(gzipMagic)); bytes.Equal(head, gzipMagic) {
		return gzip.NewReader(br)
	}
	// One stream, read once: no decoding goroutines ahead of the reader,
	// and buffers sized to the stream, not to the fastest throughput.
	zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
	if err != nil {
		return nil, err
	}
	return zr.IOReadCloser(), nil
}

// migrateSnapshotName renames the snapshot of a version that named it
// legacySnapshotFile, unless dir already holds one under SnapshotFile.
func migrateSnapshotName(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, SnapshotFile)); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	err := os.Rename(filepath.Join(dir, legacySnapshotFile), filepath.Join(dir, SnapshotFile))
	if errors.Is(err, fs.ErrNotExist) { // none, or another process renamed it first
		return nil
	}
	return err
}
