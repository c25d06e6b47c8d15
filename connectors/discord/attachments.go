package discord

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/supportbot/supportbot"
)

// notice is something to tell the user about their files, localized when
// sent.
type notice struct {
	key  string
	args []any
}

// attachments downloads a message's files within the limits: at most
// MaxAttachments files of at most MaxAttachmentBytes each, of an accepted
// type as sniffed from the content. Files over the size Discord reports
// are refused without being downloaded, and a download stops one byte
// past the limit whatever the report said. Refused files are reported as
// notices; the message goes on without them.
func (c *Connector) attachments(ctx context.Context, in []*discordgo.MessageAttachment) ([]supportbot.Attachment, []notice) {
	var out []supportbot.Attachment
	var notes []notice
	for i, a := range in {
		if a == nil {
			continue
		}
		if i >= c.cfg.MaxAttachments {
			notes = append(notes, notice{key: "too_many_files", args: []any{c.cfg.MaxAttachments}})
			break
		}
		name := cleanName(a.Filename)
		if int64(a.Size) > c.cfg.MaxAttachmentBytes {
			notes = append(notes, notice{key: "file_too_large", args: []any{name, c.cfg.MaxAttachmentBytes >> 20}})
			continue
		}
		data, err := c.download(ctx, a.URL)
		switch {
		case err == errTooLarge:
			notes = append(notes, notice{key: "file_too_large", args: []any{name, c.cfg.MaxAttachmentBytes >> 20}})
			continue
		case err != nil:
			c.log.WithError(err).Warn("download discord attachment")
			notes = append(notes, notice{key: "file_failed", args: []any{name}})
			continue
		}
		ct := sniff(data)
		if !c.types[ct] {
			notes = append(notes, notice{key: "file_type", args: []any{name}})
			continue
		}
		out = append(out, supportbot.Attachment{Name: name, ContentType: ct, Data: data})
	}
	return out, notes
}

var errTooLarge = fmt.Errorf("attachment too large")

// download fetches a file from Discord's CDN (or from api_url's host).
// Other hosts are refused: the URL comes from Discord, but a client that
// can fetch anything is one bug away from fetching the operator's
// internal network.
func (c *Connector) download(ctx context.Context, raw string) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil || !c.allowedFileHost(u) {
		return nil, fmt.Errorf("attachment URL %q is not on Discord's CDN", raw)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download attachment: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxAttachmentBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > c.cfg.MaxAttachmentBytes {
		return nil, errTooLarge
	}
	return data, nil
}

func (c *Connector) allowedFileHost(u *url.URL) bool {
	switch {
	case u.Scheme == "https" && (u.Host == "cdn.discordapp.com" || u.Host == "media.discordapp.net"):
		return true
	case c.tr.api != nil && u.Scheme == c.tr.api.Scheme && u.Host == c.tr.api.Host:
		return true
	}
	return false
}

// sniff returns the content's media type (the WHATWG algorithm, as
// escalation checks it), without parameters.
func sniff(data []byte) string {
	ct, _, err := mime.ParseMediaType(http.DetectContentType(data))
	if err != nil {
		return "application/octet-stream"
	}
	return ct
}

// cleanName keeps a file name's base, without control characters.
func cleanName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" {
		return "file"
	}
	return truncate(name, 100)
}
