package web_test

import (
	"testing"

	"communehr/internal/store"
)

// BenchmarkConsolePagesReorganisation renders the reorganisation page of the demo's real province (08
// with the old Hà Giang units: 330 units closed, about a thousand people) and its preview of the 2025
// merger, for the province's editor and for the Ministry, on a site of its own (so that the other pages'
// figures stay those of the demo province alone). make bench-console runs it with BenchmarkConsolePages.
func BenchmarkConsolePagesReorganisation(b *testing.B) {
	s := newSite(b)
	s.seedReference()
	ed := s.browser()
	ed.login("bien.tap", s.user("bien.tap", store.RoleProvinceEditor, "08"), "mật khẩu mới rất dài")
	m := s.browser()
	m.login("bo.truong", s.user("bo.truong", store.RoleMinistry, ""), "mật khẩu mới rất dài")
	pages := []struct {
		name, path string
		as         *browser
		post       bool
	}{
		{"form", "/reorganisation", ed, false},
		{"preview_08", "/reorganisation/preview", ed, true},
		{"preview_08_ministry", "/national/08/reorganisation/preview", m, true},
		{"runs", "/reports/runs", ed, false},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			size := 0
			for b.Loop() {
				var r page
				if p.post {
					r = p.as.post(p.path, national2025)
				} else {
					r = p.as.get(p.path)
				}
				if r.Status != 200 {
					b.Fatalf("%s: %d", p.path, r.Status)
				}
				size = len(r.Body)
			}
			b.ReportMetric(float64(size)/1024, "KB/page")
		})
	}
}
