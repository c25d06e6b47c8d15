package webchat

import (
	"net/http"

	"github.com/supportbot/supportbot"
)

// routes builds the server's mux. The help center takes every path the
// API, the widget's files and the probes do not.
func (s *Server) routes() {
	mux := http.NewServeMux()
	mux.Handle("POST /api/v1/conversations", s.api("start", false, s.handleStart))
	mux.Handle("GET /api/v1/conversations", s.api("list_conversations", false, s.handleListConversations))
	mux.Handle("GET /api/v1/conversations/{id}", s.api("get_conversation", false, s.handleGetConversation))
	mux.Handle("GET /api/v1/conversations/{id}/messages", s.api("list_messages", false, s.handleListMessages))
	mux.Handle("POST /api/v1/conversations/{id}/messages", s.api("send", true, s.handleSend))
	mux.Handle("POST /api/v1/conversations/{id}/feedback", s.api("feedback", false, s.handleFeedback))
	mux.Handle("POST /api/v1/conversations/{id}/csat", s.api("csat", false, s.handleCSAT))
	mux.Handle("POST /api/v1/conversations/{id}/attachments", s.api("upload", false, s.handleUpload))
	mux.Handle("GET /api/v1/conversations/{id}/attachments/{aid}", s.api("download", false, s.handleDownload))
	mux.Handle("GET /api/v1/live", s.m.instrument("live", s.limitIP(http.HandlerFunc(s.handleLive))))
	mux.Handle("GET /api/openapi.yaml", s.m.instrument("openapi", http.HandlerFunc(s.handleOpenAPI)))
	mux.Handle("OPTIONS /api/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.cors(w, r)
		w.WriteHeader(http.StatusNoContent)
	}))
	mux.Handle("/api/", s.api("unknown", false, func(w http.ResponseWriter, r *http.Request) error {
		return supportbot.Errorf(supportbot.ENOTFOUND, "No API endpoint %s %s; see /api/openapi.yaml.", r.Method, r.URL.Path)
	}))
	mux.Handle("GET /webchat/{file}", s.m.instrument("static", http.HandlerFunc(s.handleStatic)))
	mux.Handle("GET /assets/{file}", s.m.instrument("static", http.HandlerFunc(s.handleStatic)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := s.Ready(r.Context()); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "error": toAPIError(err)})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.Handle("/", s.m.instrument("site", http.HandlerFunc(s.handleSite)))
	s.mux = mux
}

// limitIP applies the per-address limit to a handler outside s.api.
func (s *Server) limitIP(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, _ := s.ipLimits.allow(s.clientIP(r), s.now()); !ok {
			s.m.rateLimited.WithLabelValues("ip").Inc()
			s.writeError(w, r, supportbot.Errorf(supportbot.ERATELIMIT, "Too many requests."))
			return
		}
		h.ServeHTTP(w, r)
	})
}
