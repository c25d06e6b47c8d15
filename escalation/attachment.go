package escalation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/internal/sqldb"
)

// Attachment is a file stored with a ticket. Its content lives under the
// attachment directory, named by its SHA-256, so a file sent twice is
// stored once.
type Attachment struct {
	ID          int64
	TicketID    int64
	MessageID   int64
	Name        string
	ContentType string // sniffed from the content
	Size        int64
	SHA256      string // hex
	CreatedAt   time.Time
}

// fileIn is an attachment that passed the checks.
type fileIn struct {
	Name        string
	ContentType string
	Data        []byte
}

// storedFile is an attachment whose content is on disk.
type storedFile struct {
	Name        string
	ContentType string
	Size        int64
	SHA256      string
}

// checkAttachment checks a file's size and type. The type is sniffed from
// the first bytes of the content (http.DetectContentType, the WHATWG
// algorithm), never taken from the name or the sender's claim: a script
// named cat.png is refused.
func (s *Service) checkAttachment(a supportbot.Attachment) (fileIn, error) {
	name := cleanFileName(a.Name)
	if len(a.Data) == 0 {
		return fileIn{}, supportbot.Errorf(supportbot.EINVALID, "The file %q is empty.", name)
	}
	if int64(len(a.Data)) > s.cfg.MaxAttachmentBytes {
		return fileIn{}, supportbot.Errorf(supportbot.ETOOLARGE, "The file %q is too large (at most %d MB).",
			name, s.cfg.MaxAttachmentBytes>>20)
	}
	ct := sniff(a.Data)
	ok := false
	for _, t := range s.cfg.AttachmentTypes {
		if t == ct {
			ok = true
			break
		}
	}
	if !ok {
		return fileIn{}, supportbot.Errorf(supportbot.EINVALID, "Files of type %s are not accepted (%q).", ct, name)
	}
	return fileIn{Name: name, ContentType: ct, Data: a.Data}, nil
}

// sniff returns the content's media type without parameters.
func sniff(data []byte) string {
	ct, _, err := mime.ParseMediaType(http.DetectContentType(data))
	if err != nil {
		return "application/octet-stream"
	}
	return ct
}

// prepareAttachments splits attachments into the accepted ones and
// notes, for agents, about the refused ones.
func (s *Service) prepareAttachments(as []supportbot.Attachment) ([]fileIn, []string) {
	var ok []fileIn
	var rejected []string
	for i, a := range as {
		if i >= s.cfg.MaxAttachments {
			rejected = append(rejected, fmt.Sprintf("Attachment refused: %s (too many files).", cleanFileName(a.Name)))
			continue
		}
		f, err := s.checkAttachment(a)
		if err != nil {
			rejected = append(rejected, "Attachment refused: "+supportbot.ErrorMessage(err))
			continue
		}
		ok = append(ok, f)
	}
	return ok, rejected
}

func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(clean(name, 200), "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "file"
	}
	return name
}

// storeFiles writes each file's content to disk, durably, before the
// transaction that refers to it commits: a ticket that survived a crash
// always finds its files.
func (s *Service) storeFiles(files []fileIn) ([]storedFile, error) {
	out := make([]storedFile, 0, len(files))
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		h := hex.EncodeToString(sum[:])
		if err := s.writeBlob(h, f.Data); err != nil {
			return nil, err
		}
		out = append(out, storedFile{Name: f.Name, ContentType: f.ContentType, Size: int64(len(f.Data)), SHA256: h})
	}
	return out, nil
}

func (s *Service) blobPath(hash string) string {
	return filepath.Join(s.cfg.AttachmentDir, hash[:2], hash)
}

func (s *Service) writeBlob(hash string, data []byte) error {
	if s.cfg.AttachmentDir == "" {
		return fmt.Errorf("store attachment: no attachment directory configured")
	}
	path := s.blobPath(hash)
	if fi, err := os.Stat(path); err == nil && fi.Size() == int64(len(data)) {
		return nil // same content, stored before
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("store attachment: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("store attachment: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("store attachment: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("store attachment: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("store attachment: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("store attachment: %w", err)
	}
	// The rename is durable only once the directory entry is.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

const attachmentColumns = `id, ticket_id, message_id, name, content_type, size, sha256, created_at`

func scanAttachment(r scanner) (Attachment, error) {
	var a Attachment
	var ca int64
	err := r.Scan(&a.ID, &a.TicketID, &a.MessageID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &ca)
	a.CreatedAt = sqldb.Time(ca)
	return a, err
}

// Attachments returns a ticket's attachments, oldest first.
func (s *Service) Attachments(ctx context.Context, ticketID int64) ([]Attachment, error) {
	rows, err := s.db.Query(ctx, `SELECT `+attachmentColumns+` FROM esc_attachments WHERE ticket_id = ? ORDER BY id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("list attachments: %w", err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, fmt.Errorf("list attachments: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// OpenAttachment returns an attachment's record and content, or ENOTFOUND.
// It is for agents: it does not check who asks.
func (s *Service) OpenAttachment(ctx context.Context, id int64) (Attachment, []byte, error) {
	a, err := scanAttachment(s.db.QueryRow(ctx, `SELECT `+attachmentColumns+` FROM esc_attachments WHERE id = ?`, id))
	if err != nil {
		return a, nil, supportbot.Errorf(supportbot.ENOTFOUND, "Attachment not found.")
	}
	data, err := os.ReadFile(s.blobPath(a.SHA256))
	if errors.Is(err, os.ErrNotExist) {
		return a, nil, supportbot.Errorf(supportbot.ENOTFOUND, "Attachment content missing.")
	} else if err != nil {
		return a, nil, fmt.Errorf("read attachment: %w", err)
	}
	return a, data, nil
}
