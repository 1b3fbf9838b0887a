package api

import (
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"communehr/internal/msg"
)

// indexLink is one entry of the index GET / gives an API caller.
type indexLink struct {
	Rel   string `json:"rel"`
	Href  string `json:"href"`
	Title string `json:"title"`
}

// index is GET / for an API caller: where to start, titled in the caller's language.
type index struct {
	Title string      `json:"title"`
	Links []indexLink `json:"links"`
}

// indexLinks are the starting points of the API: relation, path, catalogue code of the title.
var indexLinks = []struct{ rel, href, code string }{
	{"self", "/", "index.self"},
	{"service-desc", "/openapi.yaml", "index.openapi"},
	{"me", "/v1/me", "index.me"},
	{"provinces", "/v1/provinces", "index.provinces"},
	{"national", "/v1/national/summary", "index.national"},
	{"positions", "/v1/positions", "index.positions"},
	{"status", "/healthz", "index.health"},
}

// serveIndex writes the JSON index of links.
func (s *Server) serveIndex(w http.ResponseWriter, r *http.Request) error {
	l := langOf(r)
	out := index{Title: msg.New("index.title").Render(l)}
	for _, k := range indexLinks {
		out.Links = append(out.Links, indexLink{Rel: k.rel, Href: k.href, Title: msg.New(k.code).Render(l)})
	}
	if s.cfg.Console != nil {
		out.Links = append(out.Links, indexLink{Rel: "console", Href: "/login", Title: msg.New("index.console").Render(l)})
	}
	w.Header().Set("Vary", "Accept, Accept-Language")
	contentLanguage(w, r)
	return writeJSON(w, http.StatusOK, out)
}

// rootIndex answers GET / with the JSON index when the caller is not a browser asking for a page; a
// browser (Accept preferring text/html) goes on to the console, which shows its dashboard or sends it to
// the login page.
func (s *Server) rootIndex(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead) && !wantsHTML(r) {
			if rc := chi.RouteContext(r.Context()); rc != nil { // the access log and metrics name the route
				rc.RoutePatterns = append(rc.RoutePatterns, "/")
			}
			handle(s.serveIndex)(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// wantsHTML reports whether the Accept header ranks an HTML page above JSON. No Accept header, */*
// alone, or JSON first: not HTML.
func wantsHTML(r *http.Request) bool {
	var html, json float64
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		switch mt {
		case "text/html", "application/xhtml+xml":
			html = max(html, q)
		case "application/json", "application/*":
			json = max(json, q)
		}
	}
	return html > 0 && html > json
}
