package api

import (
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// Done when: a hamlet that would run past its commune's end is refused on its end date, in the reader's
// language, by a message naming both periods and no developer text; the import says the same on the line
// and column (issue 11).
func TestAHamletOutsideItsCommunesLifeIsRefusedNamingBothPeriods(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	for _, f := range ruleFixtures[:2] {
		mustSucceed(t, importJob(t, e.upload(ed, "kind="+f.kind, []byte(f.csv))))
	}
	body := ruleHamlet(map[string]any{"commune_code": "00005", "effective_from": "2024-01-01"})
	for _, c := range []struct{ lang, hamlet, commune string }{
		{"vi", "từ 2024-01-01", "2020-01-01 đến 2025-06-30"},
		{"en", "2024-01-01..", "2020-01-01..2025-06-30"},
	} {
		r := e.do("POST", "/v1/provinces/01/hamlets", ed, body, "Accept-Language", c.lang)
		mustStatus(t, r, 422)
		p := r.problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Pointer != "/effective_to" || p.Errors[0].Code != "outside_commune_life" {
			t.Fatalf("%s: %s", c.lang, r.Body)
		}
		m := p.Errors[0].Message
		if !strings.Contains(m, c.hamlet) || !strings.Contains(m, c.commune) || !strings.Contains(m, "00005 Xã Năm") {
			t.Errorf("%s: the message does not name both periods and the commune: %q", c.lang, m)
		}
		if bad := msgcheck.DeveloperText(m); bad != "" {
			t.Errorf("%s: developer text %q in %q", c.lang, bad, m)
		}
	}
	j := importJob(t, e.upload(ed, "kind=hamlets", []byte(hamletHeader+"00100-09,00100,Thôn Chín,thon,100,,2020-01-01,,\n"+
		"00100-08,00005,Thôn Tám,thon,100,,2024-01-01,,\n"), "Accept-Language", "vi"))
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Line != 3 || j.Errors[0].Column != "effective_to" ||
		!strings.Contains(j.Errors[0].Message, "từ 2024-01-01") || !strings.Contains(j.Errors[0].Message, "2020-01-01 đến 2025-06-30") {
		t.Fatalf("import: %+v", j)
	}
}

// Done when: a commune's life, for its hamlets, starts with the units it continues — a hamlet may start
// before the merged unit it now belongs to, while its predecessor was in force, and not before that.
func TestAHamletMayStartInTheUnitItsCommuneContinues(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	merged := communeBody("00301", "Xã Hợp Nhất")
	merged["effective_from"] = "2025-07-01"
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, merged), 201)
	old := communeBody("00300", "Xã Cũ")
	old["effective_to"], old["successor_code"] = "2025-06-30", "00301"
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, old), 201)
	body := func(code, from string) map[string]any {
		return map[string]any{"code": code, "commune_code": "00301", "name": "Thôn Cũ", "kind": "thon", "households": 100, "effective_from": from}
	}
	mustStatus(t, e.do("POST", "/v1/provinces/01/hamlets", ed, body("00301-01", "2022-01-01")), 201)
	r := e.do("POST", "/v1/provinces/01/hamlets", ed, body("00301-02", "2019-01-01"), "Accept-Language", "en")
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "/effective_from" || !strings.Contains(p.Errors[0].Message, "(2020-01-01..)") {
		t.Fatalf("%s", r.Body)
	}
}
