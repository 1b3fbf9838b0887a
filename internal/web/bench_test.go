package web_test

import (
	"context"
	"net/url"
	"testing"

	"communehr/internal/store"
)

// BenchmarkConsolePages renders the console's main pages of the demo province as a logged-in editor
// through the real router and PostgreSQL (make bench-console). It reports the page size too: the goals
// are under 100 ms per page on the server and under 200 KB per page.
func BenchmarkConsolePages(b *testing.B) {
	s := newSite(b)
	br := s.browser()
	br.login("an.nguyen", s.user("an.nguyen", store.RoleProvinceEditor, "99"), "mật khẩu mới rất dài")
	id, name, nid := s.communeWorker()
	r := br.post("/people/"+id+"/decisions", url.Values{"last_day_worked": {"2025-07-31"}, "reason": {"reorganisation"}})
	if r.Status != 303 {
		b.Fatalf("save draft: %d", r.Status)
	}
	decision := r.Location
	var commune, hamlet string
	if err := s.admin.QueryRow(context.Background(), `SELECT commune_code, code FROM hamlets WHERE province_code = '99' ORDER BY code LIMIT 1`).Scan(&commune, &hamlet); err != nil {
		b.Fatal(err)
	}
	job := br.upload("cadres", "validate", "nguoi.csv", badCadres).Location
	m := s.browser()
	m.login("bo.truong", s.user("bo.truong", store.RoleMinistry, ""), "mật khẩu mới rất dài")
	pages := []struct{ name, path string }{
		{"dashboard", "/"},
		{"search_by_cccd", "/people?q=" + nid},
		{"search_by_name", "/people?q=" + url.QueryEscape(fold(name))},
		{"person_with_computation", "/people/" + id + "?last_day_worked=2025-07-31&reason=reorganisation"},
		{"decision", decision},
		{"print", decision + "/print"},
		{"communes", "/communes"},
		{"commune", "/communes/" + commune},
		{"hamlets", "/hamlets"},
		{"hamlet", "/hamlets/" + hamlet + "?as_of=2025-09-01"},
		{"schedule", "/schedule"},
		{"imports", "/imports"},
		{"import_with_errors", job},
		{"reports", "/reports?as_of=2025-09-01"},
		{"report_commune", "/reports/communes/" + commune + "?as_of=2025-09-01"},
		{"runs", "/reports/runs"},
	}
	type bp struct {
		name, path string
		as         *browser
	}
	all := []bp{}
	for _, p := range pages {
		all = append(all, bp{p.name, p.path, br})
	}
	all = append(all, bp{"national", "/national?as_of=2025-09-01", m}, bp{"national_province", "/national/99?as_of=2025-09-01", m})
	for _, p := range all {
		b.Run(p.name, func(b *testing.B) {
			size := 0
			for b.Loop() {
				r := p.as.get(p.path)
				if r.Status != 200 {
					b.Fatalf("%s: %d", p.path, r.Status)
				}
				size = len(r.Body)
			}
			b.ReportMetric(float64(size)/1024, "KB/page")
		})
	}
}
