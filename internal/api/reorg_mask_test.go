package api

import (
	"regexp"
	"strings"
	"testing"

	"communehr/internal/store"
)

var (
	uuidRe  = regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	idRunRe = regexp.MustCompile(`[0-9]{12}`)
)

// idRuns lists the 12-digit runs of a body, record ids (UUIDs) aside.
func idRuns(b []byte) []string {
	return idRunRe.FindAllString(uuidRe.ReplaceAllString(string(b), ""), -1)
}

// Done when (brief reorgcsv item 2, issue 10 item 10): a viewer receives no 12-digit run from a
// reorganisation — not in a preview's units (a name typed in the mapping file), people, questions, nor in
// a refusal's messages and pointers (a code typed in the wrong cell), CSV or JSON — masked as errors.csv
// masks them; an editor gets them whole, as in errors.csv.
func TestReorganisationMasksIDRunsForViewers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedReorg(t, e)
	for _, s := range []string{
		`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from) VALUES
			('97', '001122334455', '90003', 'Thôn 001122334455', 'thon', 80, '2010-01-01')`,
		`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months) VALUES
			('97', '00000000-0000-4000-8000-000000000009', '097072000009', 'Lê 097072000009', 'male', '1972-01-01', 100)`,
		`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, start_date) VALUES
			('97', '00000000-0000-4000-8000-000000000009', 'van_phong_dang_uy', '90002', '2019-01-01')`,
	} {
		if _, err := e.admin.Exec(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", firstLine(s), err)
		}
	}
	csvQuery := "?mode=preview&effective_date=2025-07-01&level=commune"
	calls := []struct {
		name, query string
		body        any
		status      int
		runs        []string // what an editor receives whole
	}{
		{"preview of a file", csvQuery, rawBody{"text/csv", []byte("old,new,coverage,name,kind\n90001,91001,full,Xã 012345678901,xa\n90002,91001,full,,\n")},
			200, []string{"012345678901", "097072000009"}},
		{"preview with questions", "?mode=preview", map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": reorgMapping()},
			200, []string{"001122334455"}},
		{"refusal of a file", csvQuery, rawBody{"text/csv", []byte("old,new,coverage\n098765432109,91001,full\n")}, 422, []string{"098765432109"}},
		{"refusal of JSON", "?mode=preview", map[string]any{"effective_date": "2025-07-01", "level": "commune",
			"mapping": []map[string]string{{"old": "098765432109", "new": "91001", "coverage": "full", "new_name": "Xã", "new_kind": "xa"}}},
			422, []string{"098765432109"}},
		{"unknown field", "?mode=preview", map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": reorgMapping(),
			"098765432109": 1}, 422, []string{"098765432109"}},
	}
	viewer, editor := e.key(store.RoleProvinceViewer, "97"), e.key(store.RoleProvinceEditor, "97")
	for _, c := range calls {
		for _, lang := range []string{"en", "vi"} {
			r := e.do("POST", "/v1/provinces/97/reorganisations"+c.query, viewer, c.body, "Accept-Language", lang)
			if r.Status != c.status && !(c.status == 422 && r.Status == 400) {
				t.Fatalf("%s: viewer status %d: %s", c.name, r.Status, r.Body)
			}
			if runs := idRuns(r.Body); len(runs) > 0 {
				t.Errorf("%s (%s): a viewer receives %v: %s", c.name, lang, runs, r.Body)
			}
			if !strings.Contains(string(r.Body), "*****") {
				t.Errorf("%s (%s): nothing masked for a viewer: %s", c.name, lang, r.Body)
			}
			r = e.do("POST", "/v1/provinces/97/reorganisations"+c.query, editor, c.body, "Accept-Language", lang)
			for _, run := range c.runs {
				if !strings.Contains(string(r.Body), run) {
					t.Errorf("%s (%s): an editor does not get %s whole: %s", c.name, lang, run, r.Body)
				}
			}
		}
	}
}
