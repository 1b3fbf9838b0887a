package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// alertOf is the visible text of the page's refusal box.
func alertOf(body string) string {
	_, after, _ := strings.Cut(body, `class="alert" role="alert"`)
	box, _, _ := strings.Cut(after, "</div>")
	return visibleText(box)
}

// Done when: a refused preview shows the planner's reasons as an officer reads them: the field's label,
// dates as dd/mm/yyyy, no API pointer or field name, in Vietnamese and in English.
func TestReorganisationRefusalReadsAsWords(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser()
	b.login("bien.tap", s.user("bien.tap", store.RoleProvinceEditor, "99"), "một mật khẩu đủ dài")
	cases := []struct {
		name, date, mapping string
		want                []string
	}{
		{"a date out of range", "01/01/1900", "old,new,coverage\n99001,99901,full\n", []string{"Ngày có hiệu lực:", "1901"}},
		{"an unknown unit", "01/07/2026", "old,new,coverage\n99999,99901,full\n", []string{"99999", "30/06/2026"}},
	}
	for _, c := range cases {
		form := url.Values{"level": {"commune"}, "effective_date": {c.date}, "mapping": {"csv"}, "mapping_csv": {c.mapping}}
		p := b.post("/reorganisation/preview", form)
		mustStatus(t, p, http.StatusUnprocessableEntity)
		text := alertOf(p.Body)
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the refusal lacks %q: %s", c.name, w, text)
			}
		}
		if bad := msgcheck.DeveloperText(text); bad != "" || strings.Contains(text, "/mapping") || strings.Contains(text, "2026-06-30") {
			t.Errorf("%s: the refusal shows developer text %q: %s", c.name, bad, text)
		}
	}
	mustStatus(t, b.post("/lang", url.Values{"lang": {"en"}, "back": {"/reorganisation"}}), http.StatusSeeOther)
	p := b.post("/reorganisation/preview", url.Values{"level": {"commune"}, "effective_date": {"01/07/2026"}, "mapping": {"csv"},
		"mapping_csv": {"old,new,coverage\n99999,99901,full\n"}})
	if text := alertOf(p.Body); !strings.Contains(text, "30/06/2026") || strings.Contains(text, "2026-06-30") || msgcheck.DeveloperText(text) != "" {
		t.Errorf("in English: %s", text)
	}
}

// Done when (brief reorgcsv item 1): every error found in an uploaded mapping file names its line and the
// column as the file's header names it, in the officer's language, and nothing else of the request.
func TestReorganisationFileErrorsNameLineAndColumn(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser()
	b.login("bien.tap", s.user("bien.tap", store.RoleProvinceEditor, "99"), "một mật khẩu đủ dài")
	cases := []struct{ lang, mapping, want string }{
		{"vi", "old,new,coverage\n99999,99901,full\n", "Dòng 2, cột old:"},
		{"vi", "old,new,coverage,Name,kind\n\n99001,99901,full,,xa\n", "Dòng 3, cột Name:"},
		{"vi", "old,new,coverage\n99001,99901,most\n", "Dòng 2, cột coverage:"},
		{"en", "old,new,coverage\n99001,99901\n", "Line 2:"},
		{"en", "old,new,coverage\n99999,99901,full\n", "Line 2, column old:"},
	}
	for _, c := range cases {
		mustStatus(t, b.post("/lang", url.Values{"lang": {c.lang}, "back": {"/reorganisation"}}), http.StatusSeeOther)
		p := b.post("/reorganisation/preview", url.Values{"level": {"commune"}, "effective_date": {"01/07/2026"}, "mapping": {"csv"},
			"mapping_csv": {c.mapping}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		text := alertOf(p.Body)
		if !strings.Contains(text, c.want) {
			t.Errorf("%q: the refusal lacks %q: %s", c.mapping, c.want, text)
		}
		if bad := msgcheck.DeveloperText(text); bad != "" || strings.Contains(text, "/lines") || strings.Contains(text, "/mapping") {
			t.Errorf("%q: developer text %q: %s", c.mapping, bad, text)
		}
	}
}
