package webchat

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/supportbot/supportbot"
)

//go:embed static/*
var staticFS embed.FS

//go:embed openapi.yaml
var openAPISpec []byte

// buildWidget compiles the widget: its source with the UI strings of every
// language and the server's limits put in place of SB_STRINGS and
// SB_CONFIG. Done once at start-up, so the widget is one request and
// needs no build step.
func (s *Server) buildWidget() []byte {
	src, err := staticFS.ReadFile("static/widget.js")
	if err != nil {
		panic(err) // embedded at build time
	}
	strs, _ := json.Marshal(uiStrings)
	cfg, _ := json.Marshal(map[string]any{
		"languages":          supportbot.Languages,
		"languageNames":      supportbot.LanguageNames,
		"maxMessageBytes":    s.cfg.MaxMessageBytes,
		"maxAttachmentBytes": s.cfg.MaxAttachmentBytes,
		"maxAttachments":     s.cfg.MaxAttachments,
		"attachmentTypes":    s.cfg.AttachmentTypes,
	})
	out := bytes.Replace(src, []byte("SB_STRINGS;"), append(strs, ';'), 1)
	return bytes.Replace(out, []byte("SB_CONFIG;"), append(cfg, ';'), 1)
}

// handleStatic serves the widget and the site's assets with an ETag, so
// browsers revalidate cheaply, and CORS for the widget's stylesheet.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	var data []byte
	if name == "widget.js" && strings.HasPrefix(r.URL.Path, "/webchat/") {
		data = s.widget
	} else {
		b, err := staticFS.ReadFile("static/" + name)
		if err != nil || name == "widget.js" {
			http.NotFound(w, r)
			return
		}
		data = b
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Access-Control-Allow-Origin", "*")
	switch path.Ext(name) {
	case ".js":
		h.Set("Content-Type", "text/javascript; charset=utf-8")
	case ".css":
		h.Set("Content-Type", "text/css; charset=utf-8")
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}

// handleOpenAPI serves the API's OpenAPI 3 description.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/yaml; charset=utf-8")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPISpec)
}
