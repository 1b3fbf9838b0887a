package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"communehr/internal/store"
)

// untranslated finds a catalogue key shown as text, which is what a missing translation looks like.
var untranslated = regexp.MustCompile(`\b(?:app|nav|login|password|error|flash|dashboard|people|person|post|decision|compute|reason|policy|basis|line|form|print|communes|kind|why|status|gender|role|common|hamlets|hamlet|national|chart|level|imports|import|schedule|reports|report)\.[a-z_0-9]+\b`)

// TestEveryPageInBothLanguages renders each page in Vietnamese and English: 200, the right lang, no key
// shown in place of a translation.
func TestEveryPageInBothLanguages(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser()
	b.login("an.nguyen", s.user("an.nguyen", store.RoleProvinceEditor, "99"), "mật khẩu mới rất dài")
	id, _, nid := s.communeWorker()
	r := b.post("/people/"+id+"/decisions", url.Values{"last_day_worked": {"2025-07-31"}, "reason": {"reorganisation"}})
	mustStatus(t, r, http.StatusSeeOther)
	decision := r.Location
	var code, hamlet string
	if err := s.admin.QueryRow(context.Background(), `SELECT code FROM communes WHERE province_code = '99' ORDER BY code LIMIT 1`).Scan(&code); err != nil {
		t.Fatal(err)
	}
	if err := s.admin.QueryRow(context.Background(), `SELECT code FROM hamlets WHERE province_code = '99' ORDER BY code LIMIT 1`).Scan(&hamlet); err != nil {
		t.Fatal(err)
	}
	pages := []string{"/", "/password", "/people", "/people?q=" + nid, "/people/" + id + "?last_day_worked=2025-07-31&reason=reorganisation",
		decision, decision + "/print", "/communes", "/communes/" + code,
		"/hamlets", "/hamlets/" + hamlet + "?as_of=2025-09-01", "/hamlets/" + hamlet + "?as_of=2020-01-01", "/schedule", "/imports", "/reports?as_of=2025-09-01", "/reports/communes/" + code + "?as_of=2025-09-01", "/reports/runs"}
	for _, lang := range []string{"vi", "en"} {
		mustStatus(t, b.post("/lang", url.Values{"lang": {lang}}), http.StatusSeeOther)
		for _, p := range pages {
			r := b.get(p)
			mustStatus(t, r, 200)
			want := `lang="` + lang + `"`
			if p == decision+"/print" {
				want = `lang="vi"` // the act is in Vietnamese whatever the console's language
			}
			mustContain(t, r, want)
			for _, k := range untranslated.FindAllString(r.Body, -1) {
				if k != "app.css" && k != "app.js" && k != "print.css" { // asset names, not keys
					t.Errorf("%s in %s shows the key %q", p, lang, k)
				}
			}
		}
	}
	b2 := s.browser()
	for _, lang := range []string{"vi", "en"} {
		mustStatus(t, b2.post("/lang", url.Values{"lang": {lang}}), http.StatusSeeOther)
		r := b2.get("/login")
		mustStatus(t, r, 200)
		mustContain(t, r, `lang="`+lang+`"`)
	}
}
