package api

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"communehr"
	"communehr/internal/store"
)

// Through the whole router: a browser's preflight carries no key (browsers never send Authorization on
// it), so it is answered before authentication, on every kind of route, even with a query; and a CSV
// download's file name (Content-Disposition) is readable by the page.
func TestCORSPreflightNeedsNoKeyAndExposesContentDisposition(t *testing.T) {
	t.Parallel()
	origin := "https://sonoivu.hanoi.gov.vn"
	h := NewRouter(Config{OpenAPI: communehr.OpenAPI, CORSOrigins: []string{origin}}, nil, slog.New(slog.DiscardHandler))
	for _, path := range []string{"/v1/provinces/01/cadres?q=an", "/v1/provinces/01", "/v1/national/summary?format=csv", "/v1/me"} {
		req := httptest.NewRequest("OPTIONS", path, nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "PATCH")
		req.Header.Set("Access-Control-Request-Headers", "authorization, if-match")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != origin ||
			!strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Authorization") {
			t.Errorf("preflight %s without a key: %d %v", path, rec.Code, rec.Header())
		}
		if !strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "Content-Disposition") {
			t.Errorf("preflight %s: Content-Disposition not exposed: %v", path, rec.Header())
		}
	}
	// A real request without a key is still refused, with the CORS headers so the page can read the 401.
	req := httptest.NewRequest("GET", "/v1/me", nil)
	req.Header.Set("Origin", origin)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized || rec.Header().Get("Access-Control-Allow-Origin") != origin ||
		!strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "Content-Disposition") {
		t.Fatalf("GET without a key: %d %v", rec.Code, rec.Header())
	}
}

// JSON and CSV are two media types of one response: ?format=csv or Accept: text/csv picks CSV.
func TestAcceptTextCSVPicksCSV(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ministry := e.key(store.RoleMinistry, "")
	for _, c := range []struct {
		path, accept, want string
	}{
		{"/v1/national/summary?as_of=2025-03-01", "text/csv", "text/csv"},
		{"/v1/national/summary?as_of=2025-03-01", "application/json", "application/json"},
		{"/v1/national/summary?as_of=2025-03-01", "", "application/json"},
		{"/v1/national/summary?as_of=2025-03-01&format=csv", "application/json", "text/csv"},
		{"/v1/provinces/01/allowances?as_of=2025-03-01", "text/csv", "text/csv"},
	} {
		r := e.do("GET", c.path, ministry, nil, "Accept", c.accept)
		mustStatus(t, r, 200)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, c.want) {
			t.Errorf("%s with Accept %q: %s, want %s", c.path, c.accept, ct, c.want)
		}
	}
}
