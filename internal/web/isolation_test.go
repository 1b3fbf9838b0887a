package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"communehr/internal/store"
	"communehr/internal/web"
)

// publicRoutes are the console routes a visitor without a session may use.
var publicRoutes = map[string]bool{"GET /login": true, "POST /login": true, "POST /lang": true, "GET /static/{sum}/{name}": true}

// TestEveryConsoleRouteNeedsASession walks the console's route table: every route but the public ones
// sends a visitor without a session to the login page and does nothing.
func TestEveryConsoleRouteNeedsASession(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	r := chi.NewRouter()
	web.New(s.st, slog.New(slog.NewTextHandler(io.Discard, nil))).Routes(r)
	n := 0
	err := chi.Walk(r, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if publicRoutes[method+" "+route] {
			return nil
		}
		n++
		path := strings.ReplaceAll(route, "{id}", "00000000-0000-4000-8000-000000000001")
		req := httptest.NewRequest(method, path, strings.NewReader(url.Values{"reason": {"reorganisation"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login") {
			t.Errorf("%s %s without a session: %d %q, want 303 to /login", method, route, w.Code, w.Header().Get("Location"))
		}
		return nil
	})
	if err != nil || n < 8 {
		t.Fatalf("walked %d routes: %v", n, err)
	}
}

// TestAnotherProvincesDecisionIsNotFound: an editor of province 01 cannot read, print, approve or
// supersede a decision of province 99; each answers 404 and changes nothing.
func TestAnotherProvincesDecisionIsNotFound(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	if _, err := s.admin.Exec(context.Background(), `INSERT INTO provinces (province_code, name) VALUES ('01', 'Thành phố Hà Nội')`); err != nil {
		t.Fatal(err)
	}
	id, _, _ := s.communeWorker()
	own := s.browser()
	own.login("an.nguyen", s.user("an.nguyen", store.RoleProvinceEditor, "99"), "mật khẩu mới rất dài")
	r := own.post("/people/"+id+"/decisions", url.Values{"last_day_worked": {"2025-07-31"}, "reason": {"reorganisation"}})
	mustStatus(t, r, http.StatusSeeOther)
	dpath := r.Location

	other := s.browser()
	other.login("c.le", s.user("c.le", store.RoleProvinceEditor, "01"), "mật khẩu mới rất dài")
	for _, get := range []string{dpath, dpath + "/print"} {
		mustStatus(t, other.get(get), http.StatusNotFound)
	}
	mustStatus(t, other.post(dpath+"/approve", url.Values{"version": {"1"}, "decision_number": {"1"}, "decision_date": {"2025-07-20"}, "signer_title": {"CHỦ TỊCH"}}), http.StatusNotFound)
	mustStatus(t, other.post(dpath+"/supersede", url.Values{"last_day_worked": {"2025-07-30"}, "reason": {"reorganisation"}}), http.StatusNotFound)
	r = own.get(dpath)
	mustContain(t, r, "Dự thảo")
	mustNotContain(t, r, "Đã bị thay thế")
}

// TestAnotherProvinceCannotReorganise: an editor of province 01 cannot reach province 08's reorganisation
// (the Ministry's pages send them home), and their own apply acts on 01 only: refused there (01 has no
// units), with nothing written anywhere.
func TestAnotherProvinceCannotReorganise(t *testing.T) {
	s := newSite(t)
	s.seedReference()
	if _, err := s.admin.Exec(context.Background(), `INSERT INTO provinces (province_code, name) VALUES ('01', 'Thành phố Hà Nội')`); err != nil {
		t.Fatal(err)
	}
	other := s.browser()
	other.login("c.le", s.user("c.le", store.RoleProvinceEditor, "01"), "mật khẩu mới rất dài")
	for _, r := range []page{other.get("/national/08/reorganisation"), other.post("/national/08/reorganisation/preview", national2025)} {
		if r.Status != http.StatusSeeOther || r.Location != "/" {
			t.Errorf("another province's editor on 08's reorganisation: %d %q", r.Status, r.Location)
		}
	}
	form := url.Values{"confirm": {"yes"}}
	for k, v := range national2025 {
		form[k] = v
	}
	r := other.post("/reorganisation/apply", form)
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustNotContain(t, r, "Hà Giang")
	var n, closed int
	if err := s.admin.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM reorganisations),
		(SELECT count(*) FROM audit_log WHERE entity = 'reorganisation')`).Scan(&n, &closed); err != nil || n+closed != 0 {
		t.Fatalf("%d reorganisations and %d audit rows written (%v)", n, closed, err)
	}
}
