package webchat

import (
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/supportbot/supportbot"
)

//go:embed templates/*.html
var templateFS embed.FS

// siteTemplates are parsed once; each page template defines "content"
// and is executed through "layout".
var siteTemplates = func() map[string]*template.Template {
	funcs := template.FuncMap{
		"t":           func(lang, key string, args ...string) string { return T(lang, key, args...) },
		"catName":     categoryName,
		"articlePath": ArticlePath,
		"langName":    func(l string) string { return supportbot.LanguageNames[l] },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2006-01-02")
		},
		"pathEscape":  url.PathEscape,
		"queryEscape": url.QueryEscape,
	}
	out := map[string]*template.Template{}
	for _, page := range []string{"home", "category", "article", "search", "notfound"} {
		out[page] = template.Must(template.New("layout.html").Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+page+".html"))
	}
	return out
}()

// page is the data every site template gets.
type page struct {
	SiteName string
	Lang     string
	Title    string
	// Path is the page's path without the language prefix ("/",
	// "/articles/x"), for the language switcher and hreflang links.
	Path string
	// Alternates are the languages this page exists in, with their URLs.
	Alternates []alternate
	// Switch lists every site language with the URL the switcher goes to:
	// this page in that language when it exists, else that language's home.
	Switch []alternate
	Base   string
	Query  string
	Data   any
}

type alternate struct {
	Lang string
	Name string
	URL  string
}

type categoryView struct {
	Slug     string
	Articles []*supportbot.Article
}

type articleView struct {
	Article      *supportbot.Article
	HTML         template.HTML
	Translations []alternate
	Related      []*supportbot.Article
}

type searchView struct {
	Query string
	Hits  []hitView
	Err   string
}

type hitView struct {
	SearchHit
	Snippet template.HTML
}

type notFoundView struct {
	// Elsewhere lists the languages an article exists in, when it is
	// missing only in the requested one.
	Elsewhere []alternate
}

// siteLangs returns the languages that have articles, in the order of
// supportbot.Languages.
func siteLangs(arts []*supportbot.Article) []string {
	have := map[string]bool{}
	for _, a := range arts {
		have[a.Lang] = true
	}
	var out []string
	for _, l := range supportbot.Languages {
		if have[l] {
			out = append(out, l)
		}
	}
	return out
}

// handleSite serves the help center: /{lang}/, /{lang}/categories/{slug},
// /{lang}/articles/{id}, /{lang}/search?q=, and / redirects to the
// visitor's language.
func (s *Server) handleSite(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if s.lib == nil {
		http.NotFound(w, r)
		return
	}
	arts := s.lib.Articles()
	langs := siteLangs(arts)
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if parts[0] == "" {
		http.Redirect(w, r, "/"+pickLang(r, langs)+"/", http.StatusFound)
		return
	}
	lang := parts[0]
	if !contains(langs, lang) {
		// A tag in another spelling (/zh-cn/, /EN/) goes to its canonical
		// form; anything else is not ours.
		if l := supportbot.NormalizeLang(lang); l != "" && contains(langs, l) {
			parts[0] = l
			http.Redirect(w, r, "/"+strings.Join(parts, "/"), http.StatusMovedPermanently)
			return
		}
		s.notFound(w, r, pickLang(r, langs), langs, nil)
		return
	}
	p := &page{SiteName: s.cfg.SiteName, Lang: lang, Base: s.publicBase(r)}
	rest := parts[1:]
	switch {
	case len(rest) == 0 || (len(rest) == 1 && rest[0] == ""):
		p.Path = "/"
		p.Title = T(lang, "home_title")
		p.Data = groupByCategory(arts, lang)
		s.renderPage(w, r, "home", p, langs, allLangs(langs))
	case len(rest) == 2 && rest[0] == "categories":
		cats := groupByCategory(arts, lang)
		for _, c := range cats {
			if c.Slug == rest[1] {
				p.Path = "/categories/" + url.PathEscape(c.Slug)
				p.Title = categoryName(lang, c.Slug)
				p.Data = c
				s.renderPage(w, r, "category", p, langs, categoryLangs(arts, c.Slug))
				return
			}
		}
		s.notFound(w, r, lang, langs, nil)
	case len(rest) == 2 && rest[0] == "articles":
		s.articlePage(w, r, p, arts, langs, rest[1])
	case len(rest) == 1 && rest[0] == "search":
		q := cleanText(r.URL.Query().Get("q"), 200)
		p.Path = "/search"
		p.Query = q
		p.Title = T(lang, "search")
		v := &searchView{Query: q}
		if q != "" {
			p.Title = T(lang, "results_for", "q", q)
			var hits []SearchHit
			var err error
			if se, ok := s.lib.(Searcher); ok {
				hits, err = se.Search(r.Context(), q, lang, 20)
			} else {
				hits = KeywordSearch(arts, q, lang, 20)
			}
			if err != nil {
				s.log.WithError(err).WithField("lang", lang).Warn("help center search failed")
				v.Err = T(lang, "error_generic")
			}
			for _, h := range hits {
				v.Hits = append(v.Hits, hitView{SearchHit: h, Snippet: template.HTML(s.render.Snippet(h.Snippet))})
			}
		}
		p.Data = v
		s.renderPage(w, r, "search", p, langs, allLangs(langs))
	default:
		s.notFound(w, r, lang, langs, nil)
	}
}

func (s *Server) articlePage(w http.ResponseWriter, r *http.Request, p *page, arts []*supportbot.Article, langs []string, id string) {
	var trans []alternate
	var have []string
	for _, a := range arts {
		if a.ID == id {
			have = append(have, a.Lang)
		}
	}
	for _, l := range supportbot.Languages {
		if contains(have, l) {
			trans = append(trans, alternate{Lang: l, Name: supportbot.LanguageNames[l], URL: ArticlePath(l, id)})
		}
	}
	a, ok := s.lib.Article(id, p.Lang)
	if !ok {
		s.notFound(w, r, p.Lang, langs, trans)
		return
	}
	var related []*supportbot.Article
	for _, o := range arts {
		if o.Lang == a.Lang && o.Category == a.Category && o.ID != a.ID {
			related = append(related, o)
		}
	}
	sortArticles(related)
	if len(related) > 6 {
		related = related[:6]
	}
	p.Path = "/articles/" + url.PathEscape(id)
	p.Title = a.Title
	var others []alternate
	for _, t := range trans {
		if t.Lang != p.Lang {
			others = append(others, t)
		}
	}
	p.Data = &articleView{Article: a, HTML: template.HTML(s.render.Article(a.Body)), Translations: others, Related: related}
	s.renderPage(w, r, "article", p, langs, have)
}

// renderPage fills the language links and writes the page. available is
// the languages the page exists in.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, name string, p *page, langs, available []string) {
	s.renderStatus(w, r, name, p, langs, available, http.StatusOK)
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, name string, p *page, langs, available []string, status int) {
	for _, l := range supportbot.Languages {
		if contains(available, l) {
			p.Alternates = append(p.Alternates, alternate{Lang: l, Name: supportbot.LanguageNames[l], URL: p.Base + "/" + l + p.Path})
		}
	}
	for _, l := range langs {
		u := "/" + l + "/"
		if contains(available, l) {
			u = "/" + l + p.Path
			if p.Query != "" {
				u += "?q=" + url.QueryEscape(p.Query)
			}
		}
		p.Switch = append(p.Switch, alternate{Lang: l, Name: supportbot.LanguageNames[l], URL: u})
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", p.Lang)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	// The site runs only its own scripts: any markup that slipped past
	// escaping and sanitizing still could not execute.
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "+
		"img-src 'self' data: blob: https:; connect-src 'self' ws: wss:; frame-ancestors 'self'; "+
		"base-uri 'none'; form-action 'self'; object-src 'none'")
	h.Set("Cache-Control", "public, max-age=60")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	if err := siteTemplates[name].Execute(w, p); err != nil {
		s.log.WithError(err).WithField("page", name).Error("render help center page")
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, lang string, langs []string, elsewhere []alternate) {
	if lang == "" {
		lang = supportbot.DefaultLang
	}
	p := &page{SiteName: s.cfg.SiteName, Lang: lang, Title: T(lang, "not_found"), Path: "/", Base: s.publicBase(r),
		Data: &notFoundView{Elsewhere: elsewhere}}
	s.renderStatus(w, r, "notfound", p, langs, nil, http.StatusNotFound)
}

// groupByCategory returns lang's categories, largest first, each with its
// articles by title.
func groupByCategory(arts []*supportbot.Article, lang string) []*categoryView {
	byCat := map[string]*categoryView{}
	var out []*categoryView
	for _, a := range arts {
		if a.Lang != lang {
			continue
		}
		c := byCat[a.Category]
		if c == nil {
			c = &categoryView{Slug: a.Category}
			byCat[a.Category] = c
			out = append(out, c)
		}
		c.Articles = append(c.Articles, a)
	}
	for _, c := range out {
		sortArticles(c.Articles)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i].Articles) != len(out[j].Articles) {
			return len(out[i].Articles) > len(out[j].Articles)
		}
		return out[i].Slug < out[j].Slug
	})
	return out
}

func categoryLangs(arts []*supportbot.Article, slug string) []string {
	var out []string
	for _, a := range arts {
		if a.Category == slug && !contains(out, a.Lang) {
			out = append(out, a.Lang)
		}
	}
	return out
}

func allLangs(langs []string) []string { return langs }

func sortArticles(as []*supportbot.Article) {
	sort.Slice(as, func(i, j int) bool { return as[i].Title < as[j].Title })
}

// pickLang chooses the site language for a visitor from Accept-Language,
// falling back to English, then to any language the site has.
func pickLang(r *http.Request, langs []string) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if l := supportbot.NormalizeLang(tag); l != "" && contains(langs, l) {
			return l
		}
	}
	if contains(langs, supportbot.DefaultLang) || len(langs) == 0 {
		return supportbot.DefaultLang
	}
	return langs[0]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
