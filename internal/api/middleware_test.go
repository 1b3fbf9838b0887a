package api

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCORSAllowsOnlyConfiguredOrigins(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	h := cors([]string{"https://sonoivu.hanoi.gov.vn"})(ok)

	req := httptest.NewRequest("OPTIONS", "/v1/me", nil)
	req.Header.Set("Origin", "https://sonoivu.hanoi.gov.vn")
	req.Header.Set("Access-Control-Request-Method", "PATCH")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "https://sonoivu.hanoi.gov.vn" ||
		!strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "If-Match") ||
		!strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "PATCH") {
		t.Fatalf("preflight: %d %v", rec.Code, rec.Header())
	}

	req = httptest.NewRequest("GET", "/v1/me", nil)
	req.Header.Set("Origin", "https://evil.example")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("an unlisted origin was allowed: %v", rec.Header())
	}

	req = httptest.NewRequest("GET", "/v1/me", nil)
	req.Header.Set("Origin", "https://sonoivu.hanoi.gov.vn")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Header().Get("Access-Control-Allow-Origin") != "https://sonoivu.hanoi.gov.vn" ||
		!strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "ETag") || rec.Header().Get("Vary") != "Origin" {
		t.Fatalf("simple request: %v", rec.Header())
	}
	if got := cors(nil)(ok); got == nil {
		t.Fatal("no origins must leave the handler as it is")
	}
}

func TestPanicBecomesALoggedProblemWithoutDetails(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	boom := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("secret internal state") })
	h := requestID(accessLog(logger)(recoverer(boom)))
	req := httptest.NewRequest("GET", "/v1/provinces/01/communes", nil)
	req.Header.Set("Accept-Language", "vi")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusInternalServerError || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d, content type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var p problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(rec.Body.String(), "secret") || p.Title != "Lỗi hệ thống" || p.RequestID == "" ||
		p.RequestID != rec.Header().Get("X-Request-Id") {
		t.Fatalf("problem %s", rec.Body.String())
	}
	if !strings.Contains(logs.String(), "secret internal state") || !strings.Contains(logs.String(), p.RequestID) ||
		!strings.Contains(logs.String(), `"status":500`) {
		t.Fatalf("the panic is not in the log with its request id:\n%s", logs.String())
	}
}

func TestAcceptLanguagePicksVietnameseOnlyWhenFirst(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{"vi": true, "vi-VN,en;q=0.8": true, "en-US,vi;q=0.9": false, "": false, "fr": false, "VI": true}
	for header, want := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Language", header)
		if got := vietnamese(r); got != want {
			t.Errorf("Accept-Language %q: vietnamese = %v, want %v", header, got, want)
		}
	}
}
