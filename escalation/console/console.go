// Package console is the agents' web console: log in, work the ticket
// queue, read transcripts, reply, add notes, use canned replies, change
// status, priority, assignee and tags, run account actions, and, for
// admins, manage agents, SLA targets and canned replies. A JSON API under
// /console/api offers the same actions to scripts.
//
// It is served from the binary: html/template pages (which escape
// everything users wrote), one small script and one stylesheet, embedded
// with go:embed; there is no front-end build step. Pages update live over
// server-sent events.
//
// Security: every route but the login page and the static files needs an
// agent session (a random token in an HttpOnly cookie; only its hash is
// stored). Every POST must carry the session's CSRF token (a form field or
// the X-CSRF-Token header) and, when the browser sends one, an Origin of
// this host. Logins are rate limited per address and per email. A strict
// Content-Security-Policy allows no inline script.
package console

import (
	"crypto/subtle"
	"embed"
	"encoding/json"
	"html/template"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"golang.org/x/time/rate"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/escalation"
)

// Prefix is where the console is mounted: mount the Console at Prefix+"/".
const Prefix = "/console"

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options are the console's optional dependencies.
type Options struct {
	// Retriever suggests help-center articles on the ticket page; nil
	// shows none.
	Retriever supportbot.Retriever
	// LLM drafts replies; nil hides the "Draft with AI" button.
	LLM supportbot.LLM
	// Insights feeds the insights page (the bot's answers, escalations
	// and unanswered questions, with charts); nil hides it.
	Insights Insights
	// Log receives errors; nil discards.
	Log logrus.FieldLogger
}

// Console is an http.Handler serving the agent console under Prefix.
type Console struct {
	svc   *escalation.Service
	opts  Options
	cfg   escalation.ConsoleConfig
	mux   *http.ServeMux
	pages map[string]*template.Template

	mu     sync.Mutex
	limits map[string]*limit // login attempts per address and per email
}

type limit struct {
	*rate.Limiter
	seen time.Time
}

// New returns the console for svc.
func New(svc *escalation.Service, opts Options) (*Console, error) {
	if opts.Log == nil {
		l := logrus.New()
		l.SetOutput(io.Discard)
		opts.Log = l
	}
	c := &Console{svc: svc, opts: opts, cfg: svc.Config().Console, mux: http.NewServeMux(), limits: map[string]*limit{}}
	if err := c.parseTemplates(); err != nil {
		return nil, err
	}
	c.routes()
	return c, nil
}

func (c *Console) routes() {
	m := c.mux
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET "+Prefix+"/static/", http.StripPrefix(Prefix+"/static/", http.FileServerFS(static)))
	m.HandleFunc("GET "+Prefix+"/login", c.loginPage)
	m.HandleFunc("POST "+Prefix+"/login", c.login)
	m.HandleFunc("GET "+Prefix+"/lang", c.setLang)

	// Pages: without a session they redirect to the login page.
	page := func(pattern string, h func(http.ResponseWriter, *http.Request, *escalation.Session)) {
		m.HandleFunc(pattern, c.authPage(h))
	}
	page("POST "+Prefix+"/logout", c.logout)
	page("GET "+Prefix+"/{$}", c.queuePage)
	page("GET "+Prefix+"/tickets/{id}", c.ticketPage)
	page("POST "+Prefix+"/tickets/{id}/reply", c.replyForm)
	page("POST "+Prefix+"/tickets/{id}/note", c.noteForm)
	page("POST "+Prefix+"/tickets/{id}/status", c.statusForm)
	page("POST "+Prefix+"/tickets/{id}/priority", c.priorityForm)
	page("POST "+Prefix+"/tickets/{id}/assign", c.assignForm)
	page("POST "+Prefix+"/tickets/{id}/tags", c.tagsForm)
	page("POST "+Prefix+"/tickets/{id}/action", c.actionForm)
	page("POST "+Prefix+"/deliveries/{id}/retry", c.retryForm)
	page("GET "+Prefix+"/attachments/{id}", c.attachment)
	page("GET "+Prefix+"/admin", c.adminPage)
	page("GET "+Prefix+"/insights", c.insightsPage)
	page("POST "+Prefix+"/admin/agents", c.addAgentForm)
	page("POST "+Prefix+"/admin/agents/{id}/active", c.agentActiveForm)
	page("POST "+Prefix+"/admin/agents/{id}/password", c.agentPasswordForm)
	page("POST "+Prefix+"/admin/sla", c.slaForm)
	page("POST "+Prefix+"/admin/macros", c.addMacroForm)
	page("POST "+Prefix+"/admin/macros/{id}/delete", c.deleteMacroForm)

	// The JSON API: without a session it answers 401.
	api := func(pattern string, h func(http.ResponseWriter, *http.Request, *escalation.Session)) {
		m.HandleFunc(pattern, c.authAPI(h))
	}
	api("GET "+Prefix+"/events", c.events)
	api("GET "+Prefix+"/api/me", c.apiMe)
	api("GET "+Prefix+"/api/insights", c.apiInsights)
	api("GET "+Prefix+"/api/tickets", c.apiTickets)
	api("GET "+Prefix+"/api/tickets/{id}", c.apiTicket)
	api("POST "+Prefix+"/api/tickets/{id}/reply", c.apiReply)
	api("POST "+Prefix+"/api/tickets/{id}/note", c.apiNote)
	api("POST "+Prefix+"/api/tickets/{id}/status", c.apiStatus)
	api("POST "+Prefix+"/api/tickets/{id}/priority", c.apiPriority)
	api("POST "+Prefix+"/api/tickets/{id}/assign", c.apiAssign)
	api("POST "+Prefix+"/api/tickets/{id}/tags", c.apiTags)
	api("POST "+Prefix+"/api/tickets/{id}/draft", c.apiDraft)
	api("GET "+Prefix+"/api/agents", c.apiAgents)
	api("GET "+Prefix+"/api/macros", c.apiMacros)
	// Anything else under the prefix is 404 for agents and a login
	// redirect for everyone else, so the console reveals nothing.
	page(Prefix+"/", func(w http.ResponseWriter, r *http.Request, _ *escalation.Session) {
		http.NotFound(w, r)
	})
}

// ServeHTTP implements http.Handler.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	c.mux.ServeHTTP(w, r)
}

// secure tells whether cookies get the Secure flag for this request.
func (c *Console) secure(r *http.Request) bool {
	switch c.cfg.SecureCookies {
	case "always":
		return true
	case "never":
		return false
	}
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// sessionCookie is "__Host-" prefixed when secure, so the browser only
// accepts it over HTTPS, for this host, on path /.
func (c *Console) sessionCookie(r *http.Request) string {
	if c.secure(r) {
		return "__Host-sb_console"
	}
	return "sb_console"
}

func (c *Console) session(r *http.Request) (*escalation.Session, error) {
	ck, err := r.Cookie(c.sessionCookie(r))
	if err != nil {
		return nil, supportbot.Errorf(supportbot.EUNAUTHORIZED, "Not logged in.")
	}
	return c.svc.LookupSession(r.Context(), ck.Value)
}

// checkCSRF checks a state-changing request: the session's token in the
// form or header, and the Origin (when sent) of this host.
func checkCSRF(r *http.Request, sess *escalation.Session) bool {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" {
		tok = r.PostFormValue("csrf")
	}
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(sess.CSRF)) == 1
}

func (c *Console) authPage(h func(http.ResponseWriter, *http.Request, *escalation.Session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		sess, err := c.session(r)
		if err != nil {
			if supportbot.ErrorCode(err) != supportbot.EUNAUTHORIZED {
				c.fail(w, r, err)
				return
			}
			if r.Method == http.MethodGet {
				http.Redirect(w, r, Prefix+"/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Error(w, "Not logged in.", http.StatusUnauthorized)
			return
		}
		if r.Method != http.MethodGet && !checkCSRF(r, sess) {
			http.Error(w, "Invalid or missing CSRF token. Reload the page and try again.", http.StatusForbidden)
			return
		}
		h(w, r, sess)
	}
}

func (c *Console) authAPI(h func(http.ResponseWriter, *http.Request, *escalation.Session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		sess, err := c.session(r)
		if err != nil {
			writeError(w, err)
			return
		}
		if r.Method != http.MethodGet && !checkCSRF(r, sess) {
			writeError(w, supportbot.Errorf(supportbot.EFORBIDDEN, "Invalid or missing CSRF token."))
			return
		}
		h(w, r, sess)
	}
}

// status maps an error code to an HTTP status.
func status(err error) int {
	switch supportbot.ErrorCode(err) {
	case supportbot.EINVALID:
		return http.StatusBadRequest
	case supportbot.ENOTFOUND:
		return http.StatusNotFound
	case supportbot.ECONFLICT:
		return http.StatusConflict
	case supportbot.EFORBIDDEN:
		return http.StatusForbidden
	case supportbot.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case supportbot.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case supportbot.ERATELIMIT:
		return http.StatusTooManyRequests
	case supportbot.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	writeJSON(w, status(err), map[string]string{"code": supportbot.ErrorCode(err), "error": supportbot.ErrorMessage(err)})
}

// fail shows an error page; internal errors are logged and shown as a
// generic message.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	if supportbot.ErrorCode(err) == supportbot.EINTERNAL {
		c.opts.Log.WithError(err).WithField("path", r.URL.Path).Error("console: request failed")
	}
	http.Error(w, supportbot.ErrorMessage(err), status(err))
}

// pathID reads the {id} wildcard.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, supportbot.Errorf(supportbot.ENOTFOUND, "Not found.")
	}
	return id, nil
}

// clientIP is the connection's address. X-Forwarded-For is not trusted:
// anyone can send it, and the login limit must not be that easy to dodge.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// allowLogin takes one login attempt from the address's and the email's
// budgets; both must have one left.
func (c *Console) allowLogin(ip, email string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if len(c.limits) > 10000 { // forget idle entries so the map stays small
		for k, l := range c.limits {
			if now.Sub(l.seen) > 10*time.Minute {
				delete(c.limits, k)
			}
		}
	}
	n := c.cfg.LoginAttempts
	get := func(k string) *limit {
		l, ok := c.limits[k]
		if !ok {
			l = &limit{Limiter: rate.NewLimiter(rate.Every(time.Minute/time.Duration(n)), n)}
			c.limits[k] = l
		}
		l.seen = now
		return l
	}
	a, b := get("ip:"+ip), get("email:"+strings.ToLower(strings.TrimSpace(email)))
	okA, okB := a.Allow(), b.Allow()
	return okA && okB
}

// safeNext keeps post-login redirects inside the console.
func safeNext(next string) string {
	if !strings.HasPrefix(next, Prefix+"/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return Prefix + "/"
	}
	return next
}
