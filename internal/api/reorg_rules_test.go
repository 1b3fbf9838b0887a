package api

import (
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// seedHamletMerger adds hamlet HB (150 households, in 90001 like HA) to seedReorg's province, with the
// extra statements given (people and posts of HA and HB).
func seedHamletMerger(t *testing.T, e *env, extra ...string) {
	t.Helper()
	seedReorg(t, e)
	stmts := append([]string{
		`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from) VALUES ('97', 'HB', '90001', 'Thôn B', 'thon', 150, '2010-01-01')`,
		`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months) VALUES
			('97', '00000000-0000-4000-8000-000000000004', '097072000004', 'Phạm Văn Bốn', 'male', '1972-01-01', 100),
			('97', '00000000-0000-4000-8000-000000000005', '097072000005', 'Võ Văn Năm', 'male', '1972-01-01', 100),
			('97', '00000000-0000-4000-8000-000000000006', '097072000006', 'Đỗ Thị Sáu', 'female', '1980-01-01', 100)`,
	}, extra...)
	for _, s := range stmts {
		if _, err := e.admin.Exec(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", firstLine(s), err)
		}
	}
}

// mergeHBIntoHA previews and applies HB's merger into HA with the answers given; both must be 422 naming
// want (the hamlet and the holders) at each post's pointer, and nothing is written.
func mergeHBIntoHA(t *testing.T, e *env, answers map[string]string, want ...string) {
	t.Helper()
	ed := e.key(store.RoleProvinceEditor, "97")
	var posts int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM assignments WHERE province_code = '97'`).Scan(&posts); err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"effective_date": "2026-01-01", "level": "hamlet",
		"mapping": []map[string]string{{"old": "HB", "new": "HA", "coverage": "full"}}, "posts": answers}
	for _, mode := range []string{"preview", "apply"} {
		for _, lang := range []string{"en", "vi"} {
			r := e.do("POST", "/v1/provinces/97/reorganisations?mode="+mode, ed, body, "Accept-Language", lang)
			mustStatus(t, r, 422)
			p := r.problem(t)
			got := map[string]string{}
			for _, f := range p.Errors {
				got[f.Pointer] = f.Message
				if d := msgcheck.DeveloperText(f.Message); d != "" {
					t.Errorf("%s %s: %q shows %q", mode, lang, f.Message, d)
				}
			}
			for id := range answers {
				m, ok := got["/posts/"+id]
				if !ok {
					t.Errorf("%s %s: no error at /posts/%s: %+v", mode, lang, id, p.Errors)
				}
				for _, w := range want {
					if !strings.Contains(m, w) {
						t.Errorf("%s %s: %q does not name %q", mode, lang, m, w)
					}
				}
			}
		}
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM hamlets WHERE province_code = '97' AND effective_to IS NOT NULL`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d hamlets closed (%v): a refused apply wrote", n, err)
	}
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM assignments WHERE province_code = '97'`).Scan(&n); err != nil || n != posts {
		t.Errorf("%d posts (%v): a refused apply wrote", n, err)
	}
}

// Finding 3: an answer that moves HB's head into HA, which has one, is refused (preview and apply) like
// a second head through POST …/assignments: one Trưởng thôn per hamlet.
func TestHamletMergerAnswerCannotMakeTwoHeads(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedHamletMerger(t, e, `INSERT INTO assignments (province_code, id, cadre_id, position_code, hamlet_code, start_date) VALUES
		('97', '00000000-0000-4000-9000-000000000004', '00000000-0000-4000-8000-000000000004', 'truong_thon_to_truong', 'HB', '2015-01-01')`)
	mergeHBIntoHA(t, e, map[string]string{"00000000-0000-4000-9000-000000000004": "HA"}, "HA", "Trần Thị Hai")
}

// A head of HA who starts after the merger's date is counted too: the moved head would overlap her.
func TestHamletMergerCountsLaterHolders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedHamletMerger(t, e,
		`UPDATE assignments SET end_date = '2025-12-31' WHERE id = '00000000-0000-4000-9000-000000000002'`,
		`INSERT INTO assignments (province_code, id, cadre_id, position_code, hamlet_code, start_date) VALUES
		('97', '00000000-0000-4000-9000-000000000004', '00000000-0000-4000-8000-000000000004', 'truong_thon_to_truong', 'HB', '2015-01-01'),
		('97', '00000000-0000-4000-9000-000000000005', '00000000-0000-4000-8000-000000000005', 'truong_thon_to_truong', 'HA', '2026-03-01')`)
	mergeHBIntoHA(t, e, map[string]string{"00000000-0000-4000-9000-000000000004": "HA"}, "HA", "Võ Văn Năm")
}

// Two hamlets each with a full set of paid posts: moving HB's three into HA would make six paid posts
// (and two holders of each); every answer is refused, naming HA and who holds the post there.
func TestHamletMergerKeepsThreePaidPosts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedHamletMerger(t, e, `INSERT INTO assignments (province_code, id, cadre_id, position_code, hamlet_code, start_date) VALUES
		('97', '00000000-0000-4000-9000-000000000005', '00000000-0000-4000-8000-000000000005', 'bi_thu_chi_bo', 'HA', '2020-01-01'),
		('97', '00000000-0000-4000-9000-000000000006', '00000000-0000-4000-8000-000000000006', 'truong_ban_cong_tac_mat_tran', 'HA', '2020-01-01'),
		('97', '00000000-0000-4000-9000-000000000014', '00000000-0000-4000-8000-000000000004', 'truong_thon_to_truong', 'HB', '2015-01-01'),
		('97', '00000000-0000-4000-9000-000000000015', '00000000-0000-4000-8000-000000000004', 'bi_thu_chi_bo', 'HB', '2015-01-01'),
		('97', '00000000-0000-4000-9000-000000000016', '00000000-0000-4000-8000-000000000001', 'truong_ban_cong_tac_mat_tran', 'HB', '2015-01-01')`)
	mergeHBIntoHA(t, e, map[string]string{
		"00000000-0000-4000-9000-000000000014": "HA",
		"00000000-0000-4000-9000-000000000015": "HA",
		"00000000-0000-4000-9000-000000000016": "HA",
	}, "HA")
}

// With the one-holder limit lifted from the party cell secretary, the 3-paid-posts rule is the one
// reached: HA has three paid posts, HB's secretary cannot move in (asked without an answer, refused with one).
func TestHamletMergerPaidPostsRule(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedHamletMerger(t, e, `UPDATE positions SET max_per_unit = NULL WHERE code = 'bi_thu_chi_bo'`,
		`INSERT INTO assignments (province_code, id, cadre_id, position_code, hamlet_code, start_date) VALUES
		('97', '00000000-0000-4000-9000-000000000005', '00000000-0000-4000-8000-000000000005', 'bi_thu_chi_bo', 'HA', '2020-01-01'),
		('97', '00000000-0000-4000-9000-000000000006', '00000000-0000-4000-8000-000000000006', 'truong_ban_cong_tac_mat_tran', 'HA', '2020-01-01'),
		('97', '00000000-0000-4000-9000-000000000015', '00000000-0000-4000-8000-000000000004', 'bi_thu_chi_bo', 'HB', '2015-01-01')`)
	r := e.do("POST", "/v1/provinces/97/reorganisations?mode=preview", e.key(store.RoleProvinceViewer, "97"), map[string]any{
		"effective_date": "2026-01-01", "level": "hamlet", "mapping": []map[string]string{{"old": "HB", "new": "HA", "coverage": "full"}}})
	mustStatus(t, r, 200)
	var pv reorgBody
	r.json(t, &pv)
	if len(pv.NeedsAnswer) != 1 || pv.NeedsAnswer[0].ID != "00000000-0000-4000-9000-000000000015" {
		t.Errorf("questions %+v, want HB's secretary (HA has three paid posts)", pv.NeedsAnswer)
	}
	mergeHBIntoHA(t, e, map[string]string{"00000000-0000-4000-9000-000000000015": "HA"}, "HA", "Trần Thị Hai", "Võ Văn Năm", "Đỗ Thị Sáu")
}
