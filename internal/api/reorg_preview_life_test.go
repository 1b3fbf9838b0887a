package api

import (
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// Done when (brief reorgcsv item 3): what the apply's last check refuses — a post that starts after the
// effective date in a hamlet (or a commune-level unit) the reorganisation closes, which the plan neither
// moves nor ends — the preview refuses too, with the same code and message, so an officer never sees a
// clean preview and then a refused apply. Both write nothing.
func TestPreviewRefusesWhatTheApplysLastCheckRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, level string
		mapping     []map[string]string
		post        string // the post that starts after the date in the closed unit
	}{
		{"hamlet merger", "hamlet", []map[string]string{{"old": "HB", "new": "HA", "coverage": "full"}},
			`INSERT INTO assignments (province_code, cadre_id, position_code, hamlet_code, start_date)
			VALUES ('97', '00000000-0000-4000-8000-000000000004', 'bi_thu_chi_bo', 'HB', '2026-03-01')`},
		{"commune merger", "commune", []map[string]string{{"old": "90002", "new": "90001", "coverage": "full"}},
			`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, start_date)
			VALUES ('97', '00000000-0000-4000-8000-000000000005', 'van_phong_dang_uy', '90002', '2026-03-01')`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			seedHamletMerger(t, e, c.post)
			ed := e.key(store.RoleProvinceEditor, "97")
			body := map[string]any{"effective_date": "2026-01-01", "level": c.level, "mapping": c.mapping}
			for _, lang := range []string{"en", "vi"} {
				got := map[string]problem{}
				for _, mode := range []string{"preview", "apply"} {
					r := e.do("POST", "/v1/provinces/97/reorganisations?mode="+mode, ed, body, "Accept-Language", lang)
					mustStatus(t, r, 422)
					got[mode] = r.problem(t)
				}
				pv, ap := got["preview"], got["apply"]
				if len(pv.Errors) == 0 || len(ap.Errors) == 0 || pv.Detail != ap.Detail ||
					pv.Errors[0].Code != ap.Errors[0].Code || pv.Errors[0].Message != ap.Errors[0].Message {
					t.Fatalf("%s: the preview says %+v, the apply %+v", lang, pv, ap)
				}
				if m := pv.Errors[0].Message; !strings.Contains(m, "2026") || msgcheck.DeveloperText(m) != "" {
					t.Errorf("%s: %q does not name the post's period, or shows developer text", lang, m)
				}
			}
			var n int
			if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM reorganisations`).Scan(&n); err != nil || n != 0 {
				t.Errorf("%d reorganisations recorded (%v)", n, err)
			}
		})
	}
}
