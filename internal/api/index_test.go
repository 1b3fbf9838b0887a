package api

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"

	"communehr"
	"communehr/internal/msg/msgcheck"
)

// GET / gives an API caller (JSON or no Accept) an index of links titled in its language, matching
// openapi.yaml; the titles carry no developer text.
func TestIndexForAPICallersInTheirLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct{ accept, lang, want, title string }{
		{"", "", "en", "Register of non-professional local officials in communes"},
		{"application/json", "vi-VN,vi;q=0.9", "vi", "Hệ thống quản lý người hoạt động không chuyên trách ở cấp xã"},
		{"*/*", "en", "en", "Register of non-professional local officials in communes"},
		{"application/json, text/html;q=0.5", "vi", "vi", "Hệ thống quản lý người hoạt động không chuyên trách ở cấp xã"},
	} {
		var h []string
		if c.accept != "" {
			h = append(h, "Accept", c.accept)
		}
		if c.lang != "" {
			h = append(h, "Accept-Language", c.lang)
		}
		r := e.do("GET", "/", "", nil, h...)
		mustStatus(t, r, 200)
		if got := r.Header.Get("Content-Language"); got != c.want {
			t.Errorf("Accept-Language %q: Content-Language %q, want %q", c.lang, got, c.want)
		}
		var ix index
		r.json(t, &ix)
		if ix.Title != c.title {
			t.Errorf("Accept-Language %q: title %q", c.lang, ix.Title)
		}
		hrefs := map[string]string{}
		for _, l := range ix.Links {
			hrefs[l.Rel] = l.Href
			if bad := msgcheck.DeveloperText(l.Title); bad != "" || l.Title == "" {
				t.Errorf("link %s title %q carries %q", l.Rel, l.Title, bad)
			}
		}
		for rel, href := range map[string]string{"service-desc": "/openapi.yaml", "me": "/v1/me",
			"provinces": "/v1/provinces", "national": "/v1/national/summary"} {
			if hrefs[rel] != href {
				t.Errorf("link %s = %q, want %q (all: %v)", rel, hrefs[rel], href, hrefs)
			}
		}
		if _, ok := hrefs["console"]; ok {
			t.Error("a console link on a server without the console")
		}
	}
	// Every link the index gives is routed: none answers 404.
	var ix index
	e.do("GET", "/", "", nil).json(t, &ix)
	for _, l := range ix.Links {
		if r := e.do("GET", l.Href, "", nil); r.Status == http.StatusNotFound {
			t.Errorf("link %s %s answers 404", l.Rel, l.Href)
		}
	}
}

// With the console, a browser (Accept preferring text/html) gets the console's own "/" (which sends an
// anonymous visitor to the login page); an API caller still gets the index, with a link to the console.
func TestIndexLeavesBrowsersToTheConsole(t *testing.T) {
	t.Parallel()
	console := func(r chi.Router) {
		r.Get("/", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/login", http.StatusSeeOther) })
	}
	srv := httptest.NewServer(NewRouter(Config{OpenAPI: communehr.OpenAPI, Console: console}, nil, slog.Default()))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(accept string) *http.Response {
		req, _ := http.NewRequest("GET", srv.URL+"/", nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	browser := "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
	if res := get(browser); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Errorf("browser: %d %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
	}
	for _, accept := range []string{"", "application/json", "*/*"} {
		res := get(accept)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
			t.Errorf("Accept %q: %d %s, want the JSON index", accept, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
}

func TestWantsHTML(t *testing.T) {
	t.Parallel()
	for accept, want := range map[string]bool{
		"": false, "*/*": false, "application/json": false, "text/html": true,
		"text/html;q=0.5, application/json": false, "application/json;q=0.1, text/html": true,
		"text/html;q=0": false, "application/xhtml+xml": true,
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept", accept)
		if got := wantsHTML(r); got != want {
			t.Errorf("Accept %q: wantsHTML %v, want %v", accept, got, want)
		}
	}
}
