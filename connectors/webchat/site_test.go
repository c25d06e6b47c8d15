package webchat_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/connectors/webchat/webchattest"
)

// get fetches a page without following redirects.
func get(t testing.TB, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestSite(t *testing.T) {
	// The demo has every article in every language: drop one translation
	// so that the page of a missing one has a case.
	var arts []*supportbot.Article
	for _, a := range webchattest.DemoLibrary(t).Articles() {
		if a.Lang != "vi" || a.ID != "api-keys" {
			arts = append(arts, a)
		}
	}
	env := webchattest.Start(t, testConfig(), webchattest.Options{Library: webchattest.NewLibrary(arts)})
	mustContain := func(t *testing.T, page string, subs ...string) {
		t.Helper()
		for _, s := range subs {
			if !strings.Contains(page, s) {
				t.Errorf("page lacks %q", s)
			}
		}
	}
	t.Run("RootRedirectsToBrowserLanguage", func(t *testing.T) {
		for accept, want := range map[string]string{"zh-CN,zh;q=0.9": "/zh-Hans/", "ko-KR": "/ko/", "de-DE": "/en/", "": "/en/"} {
			res, _ := get(t, env.URL+"/", "Accept-Language", accept)
			if res.StatusCode != http.StatusFound || res.Header.Get("Location") != want {
				t.Errorf("Accept-Language %q: %d %s, want %s", accept, res.StatusCode, res.Header.Get("Location"), want)
			}
		}
		res, _ := get(t, env.URL+"/zh-cn/articles/reset-password")
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/zh-Hans/articles/reset-password" {
			t.Errorf("alias: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
	})
	t.Run("Home", func(t *testing.T) {
		res, page := get(t, env.URL+"/en/")
		if res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
		mustContain(t, page, `<html lang="en">`, "How can we help?", `href="/en/categories/withdrawals"`, "Withdrawals",
			`<script src="/webchat/widget.js" data-lang="en" defer></script>`,
			`hreflang="zh-Hans" href="`+env.URL+`/zh-Hans/"`, `hreflang="x-default"`)
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("CSP %q", csp)
		}
		// Every language with articles is in the switcher, and only those.
		withArticles := map[string]bool{}
		for _, a := range env.Library.Articles() {
			withArticles[a.Lang] = true
		}
		for _, l := range supportbot.Languages {
			if has := strings.Contains(page, `data-lang="`+l+`"`); has != withArticles[l] {
				t.Errorf("switcher offers %s: %v, has articles: %v", l, has, withArticles[l])
			}
		}
		_, zh := get(t, env.URL+"/zh-Hans/")
		mustContain(t, zh, `<html lang="zh-Hans">`, "有什么可以帮您？", "提现", `data-lang="zh-Hans"`)
	})
	t.Run("Category", func(t *testing.T) {
		res, page := get(t, env.URL+"/en/categories/withdrawals")
		if res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
		mustContain(t, page, "<h1>Withdrawals</h1>", `href="/en/articles/withdrawal-pending"`, "Why is my withdrawal pending?")
		if res, _ := get(t, env.URL+"/en/categories/nope"); res.StatusCode != 404 {
			t.Errorf("unknown category: %d", res.StatusCode)
		}
	})
	t.Run("Article", func(t *testing.T) {
		res, page := get(t, env.URL+"/en/articles/withdrawal-pending")
		if res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
		mustContain(t, page, "<h1>Why is my withdrawal pending?</h1>", `<h2 id="common-reasons-for-a-pending-withdrawal">`,
			"<strong>Security hold (24 hours):</strong>", `hreflang="zh-Hans" href="`+env.URL+`/zh-Hans/articles/withdrawal-pending"`,
			`href="/ja/articles/withdrawal-pending" hreflang="ja"`, "More in Withdrawals", "Updated 2026-11-01")
		// An article missing in one language links to the ones it is in.
		res, page = get(t, env.URL+"/vi/articles/api-keys")
		if res.StatusCode != 404 {
			t.Fatalf("missing translation: %d", res.StatusCode)
		}
		mustContain(t, page, "Bài viết này chưa có", `href="/en/articles/api-keys"`)
		if res, _ := get(t, env.URL+"/en/articles/nope"); res.StatusCode != 404 {
			t.Errorf("unknown article: %d", res.StatusCode)
		}
		if res, _ := get(t, env.URL+"/xx/"); res.StatusCode != 404 {
			t.Errorf("unknown language: %d", res.StatusCode)
		}
	})
	t.Run("Search", func(t *testing.T) {
		_, page := get(t, env.URL+"/en/search?q=withdrawal+pending")
		mustContain(t, page, `href="/en/articles/withdrawal-pending"`, "<mark>", "Results for “withdrawal pending”")
		_, page = get(t, env.URL+"/zh-Hans/search?q=忘记密码")
		mustContain(t, page, `href="/zh-Hans/articles/reset-password"`, "<mark>密码</mark>")
		_, page = get(t, env.URL+"/en/search?q=zqxjvkwpfh")
		mustContain(t, page, "No articles match “zqxjvkwpfh”")
		// The query is shown as text, never as markup.
		_, page = get(t, env.URL+"/en/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E+withdrawal")
		if strings.Contains(page, "<script>alert") {
			t.Fatal("search query rendered as markup")
		}
		mustContain(t, page, "&lt;script&gt;alert(1)&lt;/script&gt;")
	})
	t.Run("Static", func(t *testing.T) {
		res, js := get(t, env.URL+"/webchat/widget.js")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") || res.Header.Get("ETag") == "" {
			t.Fatalf("widget.js: %d %v", res.StatusCode, res.Header)
		}
		if strings.Contains(js, "SB_STRINGS;") || !strings.Contains(js, `"placeholder":"输入您的问题…"`) {
			t.Fatal("widget.js lacks its compiled strings")
		}
		for _, p := range []string{"/webchat/widget.css", "/assets/site.css"} {
			if res, _ := get(t, env.URL+p); res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
				t.Errorf("%s: %d", p, res.StatusCode)
			}
		}
		if res, _ := get(t, env.URL+"/assets/nope.js"); res.StatusCode != 404 {
			t.Errorf("missing asset: %d", res.StatusCode)
		}
	})
}
