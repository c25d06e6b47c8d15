package console

import (
	"context"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/escalation"
)

// base is what every page's template gets.
type base struct {
	Lang    string
	UILangs []string
	Langs   []string
	CSRF    string
	Agent   *escalation.Agent
	Path    string
	Flash   *flash
	Now     time.Time
	// Insights shows the insights page in the menu.
	Insights bool
	names    map[string]string
}

type flash struct{ Kind, Text string }

// AgentName returns an agent's name by id ("" for unassigned).
func (b base) AgentName(id string) string {
	if id == "" {
		return tr(b.Lang, "unassigned")
	}
	if n, ok := b.names[id]; ok {
		return n
	}
	return "#" + id
}

// Due describes a ticket's next SLA deadline relative to now.
func (b base) Due(t *supportbot.Ticket) string {
	next := escalation.NextDue(t)
	if next.IsZero() {
		return tr(b.Lang, "done")
	}
	if !t.SLAPausedAt.IsZero() {
		return tr(b.Lang, "sla_paused")
	}
	if d := next.Sub(b.Now); d >= 0 {
		return tr(b.Lang, "due_in", span(d))
	} else {
		return tr(b.Lang, "overdue", span(-d))
	}
}

// Breached reports whether an open ticket is past an SLA target.
func (b base) Breached(t *supportbot.Ticket) bool { return escalation.Breached(t, b.Now) }

// span formats a duration for people: "45m", "3h 10m", "2d 4h".
func span(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd %dh", int(d.Hours())/24, int(d.Hours())%24)
}

// langName names a language tag in its own language ("Español").
func langName(tag string) string {
	if n, ok := supportbot.LanguageNames[tag]; ok {
		return n
	}
	return tag
}

var funcs = template.FuncMap{
	"t":        tr,
	"langName": langName,
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"bytes": func(n int64) string {
		switch {
		case n >= 1<<20:
			return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
		case n >= 1<<10:
			return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
		}
		return fmt.Sprintf("%d B", n)
	},
	"join": strings.Join,
	"add":  func(a, b int) int { return a + b },
	// detail renders an audit event's detail as "key=value" pairs, sorted.
	"detail": func(e escalation.Event) string {
		keys := make([]string, 0, len(e.Detail))
		for k := range e.Detail {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			v := fmt.Sprint(e.Detail[k])
			if r := []rune(v); len(r) > 120 {
				v = string(r[:120]) + "…"
			}
			parts = append(parts, k+"="+v)
		}
		return strings.Join(parts, " ")
	},
}

func (c *Console) parseTemplates() error {
	c.pages = map[string]*template.Template{}
	for _, p := range []string{"login", "queue", "ticket", "admin", "insights"} {
		t, err := template.New(p).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+p+".html")
		if err != nil {
			return fmt.Errorf("console template %s: %w", p, err)
		}
		c.pages[p] = t
	}
	return nil
}

func (c *Console) base(r *http.Request, sess *escalation.Session) base {
	b := base{Lang: pickLang(r), UILangs: uiLangs, Langs: supportbot.Languages, Path: r.URL.RequestURI(), Now: c.svc.Now().UTC(),
		Insights: c.opts.Insights != nil}
	if sess != nil {
		b.Agent, b.CSRF = sess.Agent, sess.CSRF
	}
	if k := r.URL.Query().Get("flash"); k != "" {
		// Only known keys: a link cannot make the console say anything.
		if _, ok := messages["en"]["flash_"+k]; ok {
			b.Flash = &flash{Kind: "ok", Text: tr(b.Lang, "flash_"+k)}
		}
	}
	return b
}

func (c *Console) render(w http.ResponseWriter, r *http.Request, page string, code int, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var buf strings.Builder
	if err := c.pages[page].ExecuteTemplate(&buf, "layout", data); err != nil {
		c.fail(w, r, fmt.Errorf("render %s: %w", page, err))
		return
	}
	w.WriteHeader(code)
	w.Write([]byte(buf.String()))
}

// loginData is the login page's data.
type loginData struct {
	base
	LoginCSRF string
	Next      string
	Email     string
	Error     string
}

const loginCookie = "sb_login_csrf"

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if _, err := c.session(r); err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	c.showLogin(w, r, http.StatusOK, next, "", "")
}

// showLogin renders the login form with a fresh double-submit token: the
// form carries it and a cookie does, so another site cannot log a
// victim's browser into the attacker's account.
func (c *Console) showLogin(w http.ResponseWriter, r *http.Request, code int, next, email, msg string) {
	tok := escalation.NewKey()
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: tok, Path: Prefix + "/login", HttpOnly: true,
		Secure: c.secure(r), SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	c.render(w, r, "login", code, loginData{base: c.base(r, nil), LoginCSRF: tok, Next: next, Email: email, Error: msg})
}

func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	lang := pickLang(r)
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	ck, err := r.Cookie(loginCookie)
	form := r.PostFormValue("csrf")
	if err != nil || form == "" || ck.Value != form {
		http.Error(w, "Invalid or missing CSRF token. Reload the page and try again.", http.StatusForbidden)
		return
	}
	if !c.allowLogin(clientIP(r), email) {
		c.showLogin(w, r, http.StatusTooManyRequests, next, email, tr(lang, "login_limited"))
		return
	}
	a, err := c.svc.Authenticate(r.Context(), email, password)
	if err != nil {
		if supportbot.ErrorCode(err) != supportbot.EUNAUTHORIZED {
			c.fail(w, r, err)
			return
		}
		c.opts.Log.WithField("ip", clientIP(r)).Info("console: failed login")
		c.showLogin(w, r, http.StatusUnauthorized, next, email, tr(lang, "login_failed"))
		return
	}
	token, sess, err := c.svc.CreateSession(r.Context(), a)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: c.sessionCookie(r), Value: token, Path: "/", HttpOnly: true,
		Secure: c.secure(r), SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt})
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: Prefix + "/login", MaxAge: -1})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request, _ *escalation.Session) {
	if ck, err := r.Cookie(c.sessionCookie(r)); err == nil {
		if err := c.svc.DeleteSession(r.Context(), ck.Value); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: c.sessionCookie(r), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: c.secure(r)})
	http.Redirect(w, r, Prefix+"/login", http.StatusSeeOther)
}

// agentNames maps agent ids (as tickets store them) to names.
func (c *Console) agents(ctx context.Context) ([]*escalation.Agent, map[string]string, error) {
	as, err := c.svc.Agents(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(as))
	for _, a := range as {
		names[strconv.FormatInt(a.ID, 10)] = a.Name
	}
	return as, names, nil
}

// queueData is the queue page's data.
type queueData struct {
	base
	F            escalation.Filter
	Tickets      []*supportbot.Ticket
	Agents       []*escalation.Agent
	Statuses     []supportbot.Status
	Priorities   []supportbot.Priority
	ChannelNames []string
}

// filterFrom reads the queue filter from a query; without a status the
// queue shows the tickets that still need work.
func filterFrom(q url.Values, me *escalation.Agent) escalation.Filter {
	f := escalation.Filter{
		Status: q.Get("status"), Priority: supportbot.Priority(q.Get("priority")), Lang: q.Get("lang"),
		Channel: q.Get("channel"), Assignee: q.Get("assignee"), Breached: q.Get("breached") != "", Text: q.Get("q"),
	}
	switch f.Status {
	case "":
		f.Status = "active"
	case "all":
		f.Status = ""
	}
	if f.Assignee == "me" {
		f.Assignee = strconv.FormatInt(me.ID, 10)
	}
	f.Limit, _ = strconv.Atoi(q.Get("limit"))
	return f
}

func (c *Console) queuePage(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	f := filterFrom(r.URL.Query(), sess.Agent)
	ts, err := c.svc.ListTickets(r.Context(), f)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	as, names, err := c.agents(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := queueData{base: c.base(r, sess), F: f, Tickets: ts, Agents: as, Statuses: escalation.Statuses,
		Priorities: escalation.Priorities, ChannelNames: []string{"webchat", "telegram", "discord"}}
	d.names = names
	c.render(w, r, "queue", http.StatusOK, d)
}

// ticketData is the ticket page's data.
type ticketData struct {
	base
	T            *supportbot.Ticket
	Thread       []*escalation.Message
	Events       []escalation.Event
	Others       []*supportbot.Ticket
	Macros       []escalation.Macro
	Agents       []*escalation.Agent
	Actions      []escalation.ActionRecord
	Suggestions  []supportbot.Hit
	Statuses     []supportbot.Status
	Priorities   []supportbot.Priority
	AgentActions []string
	ActionKey    string
	HasLLM       bool
	FRBreached   bool
	ResBreached  bool
}

func (c *Console) ticketPage(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	t, err := c.svc.Ticket(ctx, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := ticketData{base: c.base(r, sess), T: t, Statuses: escalation.Statuses, Priorities: escalation.Priorities,
		AgentActions: escalation.AgentActions, ActionKey: escalation.NewKey(), HasLLM: c.opts.LLM != nil}
	d.FRBreached, d.ResBreached = escalation.SLAState(t, d.Now)
	for _, load := range []func() error{
		func() (err error) { d.Thread, err = c.svc.Thread(ctx, id); return },
		func() (err error) { d.Events, err = c.svc.Events(ctx, id); return },
		func() (err error) { d.Others, err = c.svc.OtherTickets(ctx, t); return },
		func() (err error) { d.Macros, err = c.svc.Macros(ctx); return },
		func() (err error) { d.Actions, err = c.svc.Actions(ctx, id); return },
		func() (err error) { d.Agents, d.names, err = c.agents(ctx); return },
	} {
		if err := load(); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	// Live refreshes only swap the thread, facts and audit trail; they
	// skip the retrieval.
	if r.Header.Get("X-Live") == "" {
		d.Suggestions = c.suggest(ctx, t, d.Thread)
	}
	c.render(w, r, "ticket", http.StatusOK, d)
}

// suggest asks the retriever for articles that answer the ticket: its
// subject and the user's latest message.
func (c *Console) suggest(ctx context.Context, t *supportbot.Ticket, thread []*escalation.Message) []supportbot.Hit {
	if c.opts.Retriever == nil {
		return nil
	}
	q := t.Subject
	for i := len(thread) - 1; i >= 0; i-- {
		if thread[i].Kind == escalation.KindUser {
			if thread[i].Body != t.Subject {
				q += "\n" + thread[i].Body
			}
			break
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	res, err := c.opts.Retriever.Retrieve(ctx, supportbot.Query{Text: q, Lang: t.Lang, K: 3})
	if err != nil {
		c.opts.Log.WithError(err).WithField("ticket_id", t.ID).Warn("console: article suggestions failed")
		return nil
	}
	return res.Hits
}

// afterPost answers a form post: back to the ticket with a flash, or an
// error page.
func (c *Console) afterPost(w http.ResponseWriter, r *http.Request, id int64, flashKey string, err error) {
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("%s/tickets/%d?flash=%s", Prefix, id, flashKey), http.StatusSeeOther)
}

func (c *Console) replyForm(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	id, err := pathID(r)
	if err == nil {
		_, err = c.svc.Reply(r.Context(), sess.Agent, id, r.PostFormValue("text"), supportbot.Status(r.PostFormValue("status")))
	}
	c.afterPost(w, r, id, "replied", err)
}

func (c *Console) noteForm(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	id, err := pathID(r)
	if err == nil {
		_, err = c.svc.AddNote(r.Context(), sess.Agent, id, r.PostFormValue("text"))
	}
	c.afterPost(w, r, id, "noted", err)
}

func (c *Console) statusForm(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	id, err := pathID(r)
	if err == nil {
		err = c.svc.SetStatus(r.Context(), sess.Agent, id, supportbot.Status(r.PostFormValue("status")))
	}
	c.afterPost(w, r, id, "saved", err)
}

func (c *Console) priorityForm(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	id, err := pathID(r)
	if err == nil {
		err = c.svc.SetPriority(r.Context(), sess.Agent, id, supportbot.Priority(r.PostFormValue("priority")))
	}
	c.afterPost(w, r, id, "saved", err)
}

func (c *Console) assignForm(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	id, err := pathID(r)
	if err == nil {
		agent, _ := strconv.ParseInt(r.PostFormValue("agent"), 10, 64)
		err = c.svc.Assign(r.Context(), sess.Agent, id, agent)
	}
	c.afterPost(w, r, id, "saved", err)
}

func (c *Console) tagsForm(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	id, err := pathID(r)
	if err == nil {
		err = c.svc.SetTags(r.Context(), sess.Agent, id, strings.Split(r.PostFormValue("tags"), ","))
	}
	c.afterPost(w, r, id, "saved", err)
}

func (c *Console) actionForm(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	id, err := pathID(r)
	if err == nil {
		var params map[string]string
		if a := strings.TrimSpace(r.PostFormValue("address")); a != "" && r.PostFormValue("action") == escalation.ActionChangeWithdrawal {
			params = map[string]string{"address": a}
		}
		_, err = c.svc.AccountAction(r.Context(), sess.Agent, id, r.PostFormValue("action"), r.PostFormValue("reason"),
			r.PostFormValue("key"), params)
	}
	c.afterPost(w, r, id, "saved", err)
}

func (c *Console) retryForm(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	id, err := pathID(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if err := c.svc.RetryDelivery(r.Context(), sess.Agent, id); err != nil {
		c.fail(w, r, err)
		return
	}
	ticket, _ := strconv.ParseInt(r.PostFormValue("ticket"), 10, 64)
	c.afterPost(w, r, ticket, "saved", nil)
}

// attachment serves a stored file with its sniffed type. Images show
// inline; anything else downloads. The sandbox CSP keeps even a file that
// fooled the sniffer from running script in the console's origin.
func (c *Console) attachment(w http.ResponseWriter, r *http.Request, _ *escalation.Session) {
	id, err := pathID(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	a, data, err := c.svc.OpenAttachment(r.Context(), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	disp := "attachment"
	if strings.HasPrefix(a.ContentType, "image/") {
		disp = "inline"
	}
	w.Header().Set("Content-Type", a.ContentType)
	if cd := mime.FormatMediaType(disp, map[string]string{"filename": a.Name}); cd != "" {
		disp = cd
	}
	w.Header().Set("Content-Disposition", disp)
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

// adminData is the admin page's data.
type adminData struct {
	base
	Agents []*escalation.Agent
	Macros []escalation.Macro
	SLA    []slaRow
}

type slaRow struct {
	Priority                  supportbot.Priority
	FirstResponse, Resolution string
}

func (c *Console) adminPage(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	if !sess.Agent.IsAdmin() {
		c.fail(w, r, supportbot.Errorf(supportbot.EFORBIDDEN, "Only admins can do this."))
		return
	}
	ctx := r.Context()
	d := adminData{base: c.base(r, sess)}
	var err error
	if d.Agents, d.names, err = c.agents(ctx); err == nil {
		d.Macros, err = c.svc.Macros(ctx)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	sla, err := c.svc.SLATargets(ctx)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	for i := len(escalation.Priorities) - 1; i >= 0; i-- {
		p := escalation.Priorities[i]
		t := sla.Target(p)
		d.SLA = append(d.SLA, slaRow{Priority: p, FirstResponse: shortDur(t.FirstResponse), Resolution: shortDur(t.Resolution)})
	}
	c.render(w, r, "admin", http.StatusOK, d)
}

// shortDur prints 4h0m0s as 4h and 15m0s as 15m.
func shortDur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func (c *Console) afterAdmin(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Prefix+"/admin?flash=saved", http.StatusSeeOther)
}

func (c *Console) addAgentForm(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	_, err := c.svc.CreateAgent(r.Context(), sess.Agent, r.PostFormValue("email"), r.PostFormValue("name"),
		r.PostFormValue("password"), r.PostFormValue("role"))
	c.afterAdmin(w, r, err)
}

func (c *Console) agentActiveForm(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	id, err := pathID(r)
	if err == nil {
		err = c.svc.SetAgentActive(r.Context(), sess.Agent, id, r.PostFormValue("active") == "1")
	}
	c.afterAdmin(w, r, err)
}

func (c *Console) agentPasswordForm(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	id, err := pathID(r)
	if err == nil {
		err = c.svc.SetPassword(r.Context(), sess.Agent, id, r.PostFormValue("password"))
	}
	c.afterAdmin(w, r, err)
}

func (c *Console) slaForm(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	if !sess.Agent.IsAdmin() {
		c.fail(w, r, supportbot.Errorf(supportbot.EFORBIDDEN, "Only admins can do this."))
		return
	}
	cur, err := c.svc.SLATargets(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	for _, p := range escalation.Priorities {
		fr, err1 := time.ParseDuration(r.PostFormValue("fr_" + string(p)))
		res, err2 := time.ParseDuration(r.PostFormValue("res_" + string(p)))
		if err1 != nil || err2 != nil {
			c.fail(w, r, supportbot.Errorf(supportbot.EINVALID, "Durations look like 15m, 4h or 72h."))
			return
		}
		t := escalation.SLATarget{FirstResponse: fr, Resolution: res}
		if t == cur.Target(p) {
			continue
		}
		if err := c.svc.SetSLATarget(r.Context(), sess.Agent, p, t); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	c.afterAdmin(w, r, nil)
}

func (c *Console) addMacroForm(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	_, err := c.svc.CreateMacro(r.Context(), sess.Agent, r.PostFormValue("title"), r.PostFormValue("body"))
	c.afterAdmin(w, r, err)
}

func (c *Console) deleteMacroForm(w http.ResponseWriter, r *http.Request, sess *escalation.Session) {
	id, err := pathID(r)
	if err == nil {
		err = c.svc.DeleteMacro(r.Context(), sess.Agent, id)
	}
	c.afterAdmin(w, r, err)
}
