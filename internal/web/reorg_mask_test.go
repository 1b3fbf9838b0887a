package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"communehr/internal/store"
)

var (
	uuidRe  = regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	idRunRe = regexp.MustCompile(`[0-9]{12}`)
)

// Done when (brief reorgcsv item 2): the reorganisation page shows a viewer no 12-digit run — not in the
// preview (a new unit's name typed in the file), not in a refusal (a code typed in the
// wrong cell), not in the file it carries back for the next preview — while an editor sees them whole.
func TestReorganisationPageMasksIDRunsForViewers(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	var unit string
	if err := s.admin.QueryRow(context.Background(), `SELECT min(commune_code) FROM assignments
		WHERE province_code = '99' AND commune_code IS NOT NULL AND start_date < '2025-07-15' AND (end_date IS NULL OR end_date >= '2025-07-15')`).Scan(&unit); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, mapping, status string }{
		{"preview", "old,new,coverage,name,kind\n" + unit + ",99901,full,Xã 012345678901,xa\n", "200"},
		{"refusal", "old,new,coverage\n098765432109,99901,full\n", "422"},
	}
	for _, role := range []string{store.RoleProvinceViewer, store.RoleProvinceEditor} {
		b := s.browser()
		b.login("u."+role, s.user("u."+role, role, "99"), "một mật khẩu đủ dài")
		for _, c := range cases {
			p := b.post("/reorganisation/preview", url.Values{"level": {"commune"}, "effective_date": {"15/07/2025"}, "mapping": {"csv"},
				"mapping_csv": {c.mapping}})
			if want := map[string]int{"200": http.StatusOK, "422": http.StatusUnprocessableEntity}[c.status]; p.Status != want {
				t.Fatalf("%s %s: status %d: %s", role, c.name, p.Status, alertOf(p.Body))
			}
			runs := idRunRe.FindAllString(uuidRe.ReplaceAllString(p.Body, ""), -1)
			switch {
			case role == store.RoleProvinceViewer && len(runs) > 0:
				t.Errorf("%s: a viewer sees %v", c.name, runs)
			case role == store.RoleProvinceEditor && len(runs) == 0:
				t.Errorf("%s: an editor does not see the numbers whole", c.name)
			}
		}
	}
}
