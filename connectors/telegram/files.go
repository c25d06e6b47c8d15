package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/supportbot/supportbot"
)

// fileRef is a file a message refers to.
type fileRef struct {
	ID   string
	Name string
	Size int64 // as Telegram claims; 0 when unknown
}

// errFileTooLarge is a file over MaxAttachmentBytes.
var errFileTooLarge = errors.New("file too large")

// attachments downloads the photo or document of a message, within the
// same limits as web chat: at most MaxAttachmentBytes, and a type among
// AttachmentTypes as sniffed from the content (a script named cat.png is
// refused). A refused file gives a notice for the user instead; a download
// that fails for another reason is an error, and the update is retried.
func (c *Connector) attachments(ctx context.Context, msg *models.Message, lang string) ([]supportbot.Attachment, string, error) {
	var refs []fileRef
	if len(msg.Photo) > 0 {
		// Telegram sends each photo in several sizes; take the largest
		// that fits the limit.
		best := -1
		for i, p := range msg.Photo {
			if int64(p.FileSize) > c.cfg.MaxAttachmentBytes {
				continue
			}
			if best < 0 || p.Width*p.Height > msg.Photo[best].Width*msg.Photo[best].Height {
				best = i
			}
		}
		if best < 0 {
			best = 0 // all too large: the smallest is refused below with a clear notice
			for i, p := range msg.Photo {
				if p.FileSize < msg.Photo[best].FileSize {
					best = i
				}
			}
		}
		p := msg.Photo[best]
		refs = append(refs, fileRef{ID: p.FileID, Name: "photo-" + safeName(p.FileUniqueID) + ".jpg", Size: int64(p.FileSize)})
	}
	if d := msg.Document; d != nil {
		name := d.FileName
		if name == "" {
			name = "document-" + safeName(d.FileUniqueID)
		}
		refs = append(refs, fileRef{ID: d.FileID, Name: name, Size: d.FileSize})
	}
	var out []supportbot.Attachment
	var notices []string
	maxMB := strconv.FormatInt(c.cfg.MaxAttachmentBytes>>20, 10)
	for _, f := range refs {
		data, err := c.download(ctx, f)
		if errors.Is(err, errFileTooLarge) {
			notices = append(notices, T(lang, "file_too_large", "max", maxMB))
			continue
		} else if err != nil {
			return nil, "", err
		}
		ct := sniff(data)
		if !contains(c.cfg.AttachmentTypes, ct) {
			notices = append(notices, T(lang, "file_type"))
			continue
		}
		out = append(out, supportbot.Attachment{Name: f.Name, ContentType: ct, Data: data})
	}
	return out, strings.Join(notices, "\n"), nil
}

// download fetches a file with getFile and the file URL, reading at most
// one byte past the limit so an oversized file is never held in memory.
func (c *Connector) download(ctx context.Context, f fileRef) ([]byte, error) {
	max := c.cfg.MaxAttachmentBytes
	if f.Size > max {
		return nil, errFileTooLarge
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	file, err := c.api.GetFile(ctx, &tgbot.GetFileParams{FileID: f.ID})
	if err != nil {
		if errors.Is(err, tgbot.ErrorBadRequest) && strings.Contains(err.Error(), "too big") {
			return nil, errFileTooLarge // over the Bot API's own 20 MB
		}
		return nil, fmt.Errorf("getFile: %s", c.redact(err.Error()))
	}
	if file.FileSize > max {
		return nil, errFileTooLarge
	}
	// The link contains the token: it must never reach a log.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.api.FileDownloadLink(file), nil)
	if err != nil {
		return nil, errors.New(c.redact(err.Error()))
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download file: %s", c.redact(err.Error()))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download file: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("download file: %s", c.redact(err.Error()))
	}
	if int64(len(data)) > max {
		return nil, errFileTooLarge
	}
	return data, nil
}

// sniff returns the content's media type by the WHATWG algorithm, without
// parameters, as the escalation desk checks it.
func sniff(data []byte) string {
	ct, _, err := mime.ParseMediaType(http.DetectContentType(data))
	if err != nil {
		return "application/octet-stream"
	}
	return ct
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "file"
	}
	return b.String()
}
