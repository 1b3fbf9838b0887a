package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"communehr/internal/store"
)

func TestReportsAllowancesRunsAndDownloads(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	e := s.browser()
	e.login("an.nguyen", s.user("an.nguyen", store.RoleProvinceEditor, "99"), "mật khẩu mới rất dài")
	var code, name string
	if err := s.admin.QueryRow(context.Background(), `SELECT c.code, c.name FROM communes c WHERE c.province_code = '99'
		AND EXISTS (SELECT 1 FROM hamlets h WHERE h.province_code = c.province_code AND h.commune_code = c.code) ORDER BY c.code LIMIT 1`).Scan(&code, &name); err != nil {
		t.Fatal(err)
	}

	r := e.get("/reports?as_of=2025-09-01")
	mustStatus(t, r, 200)
	mustContain(t, r, `aria-labelledby="report-chart"`, `class="fund"`, name, "/reports/communes/"+code+"?as_of=2025-09-01",
		`href="/reports/allowances.csv?as_of=2025-09-01"`)
	mustStatus(t, e.get("/reports?as_of=2025-13-01"), http.StatusUnprocessableEntity)
	// A day before any base salary is the date's error, as on the national summary (it was a 500).
	for _, path := range []string{"/reports?as_of=1900-01-01", "/reports/communes/" + code + "?as_of=1900-01-01"} {
		r = e.get(path)
		mustStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "mức lương cơ sở", `value="1900-01-01"`)
	}

	r = e.get("/reports/communes/" + code + "?as_of=2025-09-01")
	mustStatus(t, r, 200)
	mustContain(t, r, name, `aria-labelledby="commune-chart"`, "/hamlets/")
	mustStatus(t, e.get("/reports/communes/99999"), http.StatusNotFound)

	// The table downloads as the API's CSV export, with the session (no API key).
	r = e.get("/reports/allowances.csv?as_of=2025-09-01")
	mustStatus(t, r, 200)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.Contains(r.Body, "level,commune_code,hamlet_code,name") ||
		!strings.Contains(r.Body, name) {
		t.Fatalf("allowances.csv: %s %.500s", r.Header.Get("Content-Type"), r.Body)
	}

	// An entitlement run started through the API shows with its totals by policy; its results download.
	r = e.get("/reports/runs")
	mustStatus(t, r, 200)
	mustContain(t, r, "Chưa có lượt tính nào.")
	key := s.apiKey(store.RoleProvinceEditor, "99")
	run := s.api("POST", "/v1/provinces/99/entitlement-runs", key, `{"exit_date":"2025-08-01","reason":"reorganisation"}`)
	id := run["id"].(string)
	s.waitRun(key, id)
	r = e.get("/reports/runs")
	mustContain(t, r, "/reports/runs/"+id, "Hoàn tất")
	r = e.get("/reports/runs/" + id)
	mustStatus(t, r, 200)
	mustContain(t, r, "Tổng theo chế độ", "/reports/runs/"+id+"/results.csv")
	r = e.get("/reports/runs/" + id + "/results.csv")
	mustStatus(t, r, 200)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("results.csv: %s", r.Header.Get("Content-Type"))
	}

	// Another province's officer sees neither the run nor its results.
	if _, err := s.admin.Exec(context.Background(), `INSERT INTO provinces (province_code, name) VALUES ('01', 'Thành phố Hà Nội')`); err != nil {
		t.Fatal(err)
	}
	o := s.browser()
	o.login("c.le", s.user("c.le", store.RoleProvinceViewer, "01"), "mật khẩu mới rất dài")
	mustStatus(t, o.get("/reports/runs/"+id), http.StatusNotFound)
	if r := o.get("/reports/runs/" + id + "/results.csv"); r.Status == 200 {
		t.Fatal("another province downloads the run's results")
	}
	mustNotContain(t, o.get("/reports/allowances.csv?"+url.Values{"as_of": {"2025-09-01"}}.Encode()), name)
	// The Ministry downloads the national summary.
	m := s.browser()
	m.login("bo.truong", s.user("bo.truong", store.RoleMinistry, ""), "mật khẩu mới rất dài")
	r = m.get("/national/summary.csv?as_of=2025-09-01")
	mustStatus(t, r, 200)
	mustContain(t, r, "province,section,key1")
}

// apiKey creates an API key (for what the console does not do itself, such as starting a run).
func (s *site) apiKey(role, province string) string {
	s.t.Helper()
	_, token, err := store.CreateKey(context.Background(), s.admin, role, province, "test")
	if err != nil {
		s.t.Fatal(err)
	}
	return token
}

// api calls the JSON API with a key and decodes the answer.
func (s *site) api(method, path, key, body string) map[string]any {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "console-test-"+path+body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode >= 300 {
		s.t.Fatalf("%s %s: %d %v %v", method, path, resp.StatusCode, out, err)
	}
	return out
}

// waitRun waits until the run is no longer running.
func (s *site) waitRun(key, id string) {
	s.t.Helper()
	for i := 0; i < 300; i++ {
		if st := s.api("GET", "/v1/provinces/99/entitlement-runs/"+id, key, "")["status"]; st != "running" && st != "queued" {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatal("the run did not finish")
}
