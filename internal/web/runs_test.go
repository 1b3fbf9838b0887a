package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"communehr/internal/store"
)

// Done when: an editor starts an entitlement run from the runs page and is sent to the run's page, which
// follows it to its totals; a bad date is a form error; a viewer has no form and is refused a start.
func TestStartARunFromTheConsole(t *testing.T) {
	s := newSite(t)
	ed := s.browser()
	ed.login("bien.tap", s.user("bien.tap", store.RoleProvinceEditor, "99"), "một mật khẩu đủ dài")
	mustContain(t, ed.get("/reports/runs"), `id="start-run"`)
	bad := ed.post("/reports/runs", url.Values{"last_day_worked": {"31/13/2025"}, "reason": {"reorganisation"}})
	mustStatus(t, bad, http.StatusUnprocessableEntity)
	mustContain(t, bad, `id="last_day_worked"`, "31/13/2025")
	r := ed.post("/reports/runs", url.Values{"last_day_worked": {"31/07/2025"}, "reason": {"reorganisation"}})
	mustStatus(t, r, http.StatusSeeOther)
	if !strings.HasPrefix(r.Location, "/reports/runs/") {
		t.Fatalf("start sent the officer to %q", r.Location)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		p := ed.get(r.Location)
		mustStatus(t, p, 200)
		if strings.Contains(p.Body, "Đã xong") || strings.Contains(p.Body, "/results.csv") {
			mustContain(t, p, "01/08/2025")
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the run did not finish:\n%.2000s", p.Body)
		}
		time.Sleep(300 * time.Millisecond)
	}
	var status string
	var people int
	if err := s.admin.QueryRow(t.Context(), `SELECT status, people_total FROM entitlement_runs WHERE province_code = '99'`).Scan(&status, &people); err != nil || status != "succeeded" || people == 0 {
		t.Fatalf("run %s with %d people (%v)", status, people, err)
	}
	viewer := s.browser()
	viewer.login("xem.thu", s.user("xem.thu", store.RoleProvinceViewer, "99"), "một mật khẩu đủ dài")
	mustNotContain(t, viewer.get("/reports/runs"), `id="start-run"`, `action="/reports/runs"`)
	mustStatus(t, viewer.post("/reports/runs", url.Values{"last_day_worked": {"31/07/2025"}, "reason": {"reorganisation"}}), http.StatusForbidden)
}
