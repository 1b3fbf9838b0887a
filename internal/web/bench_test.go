package web_test

import (
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
	pages := []struct{ name, path string }{
		{"dashboard", "/"},
		{"search_by_cccd", "/people?q=" + nid},
		{"search_by_name", "/people?q=" + url.QueryEscape(fold(name))},
		{"person_with_computation", "/people/" + id + "?last_day_worked=2025-07-31&reason=reorganisation"},
		{"decision", decision},
		{"print", decision + "/print"},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			size := 0
			for b.Loop() {
				r := br.get(p.path)
				if r.Status != 200 {
					b.Fatalf("%s: %d", p.path, r.Status)
				}
				size = len(r.Body)
			}
			b.ReportMetric(float64(size)/1024, "KB/page")
		})
	}
}
