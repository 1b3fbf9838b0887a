package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"communehr/internal/store"
)

func TestNationalSummaryAndDrillDown(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	m := s.browser()
	m.login("bo.truong", s.user("bo.truong", store.RoleMinistry, ""), "mật khẩu mới rất dài")

	r := m.get("/national?as_of=2025-09-01")
	mustStatus(t, r, 200)
	// The chart (server-rendered SVG with a title), a link into the province and the country's row.
	mustContain(t, r, `<svg role="img" aria-labelledby="national-chart"`, "Quỹ phụ cấp và số đã chi theo tỉnh",
		`href="/national/99?as_of=2025-09-01"`, "Tỉnh Mẫu", "Cả nước", `class="fund"`)
	r = m.get("/national?as_of=31/02/2025")
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Ngày không hợp lệ")
	r = m.get("/national?as_of=1900-01-01")
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "mức lương cơ sở")

	r = m.get("/national/99?as_of=2025-09-01")
	mustStatus(t, r, 200)
	mustContain(t, r, "Tỉnh Mẫu", "Chỉ xem", "Quỹ phụ cấp thôn, tổ dân phố", `aria-labelledby="province-chart"`)
	mustNotContain(t, r, `method="post" action="/national`)
	mustStatus(t, m.get("/national/42"), http.StatusNotFound)
	mustStatus(t, m.get("/national/x1"), http.StatusNotFound)
	// The Ministry's menu leads to the summary; province pages are not theirs.
	mustContain(t, m.get("/"), `href="/national"`)

	for _, lang := range []string{"en", "vi"} {
		mustStatus(t, m.post("/lang", url.Values{"lang": {lang}}), http.StatusSeeOther)
		for _, path := range []string{"/", "/national", "/national/99?as_of=2025-09-01", "/national/99?as_of=2020-01-01"} {
			r := m.get(path)
			mustStatus(t, r, 200)
			mustContain(t, r, `lang="`+lang+`"`)
			for _, k := range untranslated.FindAllString(r.Body, -1) {
				if k != "app.css" && k != "app.js" {
					t.Errorf("%s in %s shows the key %q", path, lang, k)
				}
			}
		}
	}

	// A province officer is sent back to their dashboard: the national view is the Ministry's.
	p := s.browser()
	p.login("an.nguyen", s.user("an.nguyen", store.RoleProvinceEditor, "99"), "mật khẩu mới rất dài")
	r = p.get("/national")
	mustStatus(t, r, http.StatusSeeOther)
	if r.Location != "/" {
		t.Fatalf("province officer on /national: to %q", r.Location)
	}
	mustStatus(t, p.get("/national/99"), http.StatusSeeOther)
}
