package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"communehr"
	"communehr/internal/api"
	"communehr/internal/demo"
	"communehr/internal/store"
	"communehr/internal/testdb"
	"communehr/internal/web"
)

// site is the real router (API and console) on a test server over a migrated database with the demo
// province (99) seeded.
type site struct {
	t     testing.TB
	st    *store.Store
	srv   *httptest.Server
	logs  *syncBuffer
	admin *pgx.Conn
}

// communeWorker is a demo person whose commune-level post ended on 2025-07-31 (the two-level reform):
// id, full name and national id.
func (s *site) communeWorker() (id, name, nid string) {
	s.t.Helper()
	err := s.admin.QueryRow(context.Background(), `SELECT c.id::text, c.full_name, c.national_id FROM cadres c
		JOIN assignments a ON a.province_code = c.province_code AND a.cadre_id = c.id
		WHERE c.province_code = '99' AND a.commune_code IS NOT NULL AND a.end_date = '2025-07-31'
		  AND NOT EXISTS (SELECT 1 FROM assignments b WHERE b.province_code = c.province_code AND b.cadre_id = c.id AND b.id <> a.id)
		ORDER BY c.id LIMIT 1`).Scan(&id, &name, &nid)
	if err != nil {
		s.t.Fatal(err)
	}
	return id, name, nid
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func newSite(t testing.TB) *site {
	t.Helper()
	return newSiteWith(t, store.Options{})
}

// newSiteWith is newSite on a store opened with opt.
func newSiteWith(t testing.TB, opt store.Options) *site {
	t.Helper()
	st, dbURL := testdb.OpenWith(t, opt)
	if _, err := demo.Seed(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	s := &site{t: t, st: st, logs: &syncBuffer{}, admin: testdb.Admin(t, dbURL)}
	logger := slog.New(slog.NewJSONHandler(s.logs, nil))
	con := web.New(st, logger)
	h := api.NewRouter(api.Config{MaxBodyBytes: 64 << 10, OpenAPI: communehr.OpenAPI,
		Console: con.Routes, ConsoleImports: func(i *api.ImportService) { con.SetImporter(i) },
		ConsoleReports: func(rs *api.ReportService) { con.SetReports(rs) }}, st, logger)
	s.srv = httptest.NewServer(h)
	t.Cleanup(s.srv.Close)
	t.Cleanup(func() {
		testdb.CheckLogs(t, s.logs.String())
		if t.Failed() {
			t.Logf("server log:\n%s", s.logs.String())
		}
	})
	return s
}

// user creates an officer and returns the one-time password.
func (s *site) user(name, role, province string) string {
	s.t.Helper()
	_, pw, err := s.st.CreateUser(context.Background(), store.Principal{Role: store.RoleOperator, Username: "test"},
		store.NewUser{Username: name, Role: role, Province: province})
	if err != nil {
		s.t.Fatal(err)
	}
	return pw
}

// browser is an HTTP client with cookies that does not follow redirects and sends what a same-origin
// browser form sends (Origin, Sec-Fetch-Site).
type browser struct {
	t testing.TB
	s *site
	c *http.Client
}

func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: s.t, s: s, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type page struct {
	Status   int
	Header   http.Header
	Body     string
	Location string
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	if req.Header.Get("Accept") == "" { // as a browser navigating: GET / is the console only for a page request
		req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{Status: resp.StatusCode, Header: resp.Header, Body: string(body), Location: resp.Header.Get("Location")}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.s.srv.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.s.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.s.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// login logs in and, for a one-time password, sets newPassword.
func (b *browser) login(user, pw, newPassword string) {
	b.t.Helper()
	r := b.post("/login", url.Values{"username": {user}, "password": {pw}})
	if r.Status != http.StatusSeeOther {
		b.t.Fatalf("login %s: %d %s", user, r.Status, r.Body)
	}
	if r.Location == "/password" {
		r = b.post("/password", url.Values{"current_password": {pw}, "new_password": {newPassword}, "confirm_password": {newPassword}})
		if r.Status != http.StatusSeeOther || r.Location != "/" {
			b.t.Fatalf("password change: %d %s", r.Status, r.Body)
		}
	}
}

func mustStatus(t testing.TB, p page, want int) {
	t.Helper()
	if p.Status != want {
		t.Fatalf("status %d, want %d; body:\n%.2000s", p.Status, want, p.Body)
	}
}

func mustContain(t testing.TB, p page, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(p.Body, s) {
			t.Fatalf("page does not contain %q:\n%.3000s", s, p.Body)
		}
	}
}

func mustNotContain(t testing.TB, p page, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(p.Body, s) {
			t.Fatalf("page contains %q", s)
		}
	}
}
