package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// Finding 3: in the console too, an answer that would put a second Trưởng thôn into a hamlet is refused
// (preview and apply), naming the hamlet and the head it has; nothing is written.
func TestReorganisationRefusesASecondHead(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	stmts := []string{
		`INSERT INTO hamlets (province_code, code, commune_code, commune_from, name, kind, households, effective_from)
			SELECT '99', v.code, c.code, c.effective_from, v.name, 'thon', 200, c.effective_from
			FROM (VALUES ('ZA', 'Thôn Thử A'), ('ZB', 'Thôn Thử B')) v (code, name),
			     (SELECT code, effective_from FROM communes WHERE province_code = '99' AND effective_to IS NULL
			      AND effective_from < '2025-12-01' ORDER BY code LIMIT 1) c`,
		`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months) VALUES
			('99', 'eeeeeeee-0000-4000-8000-0000000000d1', '099171000991', 'Hoàng Văn Đầu', 'male', '1970-01-01', 100),
			('99', 'eeeeeeee-0000-4000-8000-0000000000d2', '099176000992', 'Lý Thị Hai Đầu', 'female', '1975-01-01', 100)`,
		`INSERT INTO assignments (province_code, id, cadre_id, position_code, hamlet_code, start_date)
			SELECT '99', v.id::uuid, v.cadre::uuid, 'truong_thon_to_truong', h.code, h.effective_from
			FROM (VALUES ('eeeeeeee-0000-4000-9000-0000000000d1', 'eeeeeeee-0000-4000-8000-0000000000d1', 'ZA'),
			             ('eeeeeeee-0000-4000-9000-0000000000d2', 'eeeeeeee-0000-4000-8000-0000000000d2', 'ZB')) v (id, cadre, hamlet)
			JOIN hamlets h ON h.province_code = '99' AND h.code = v.hamlet`,
	}
	for _, q := range stmts {
		if tag, err := s.admin.Exec(ctx, q); err != nil || tag.RowsAffected() == 0 {
			t.Fatalf("%s: %v %v", q, tag, err)
		}
	}
	b := s.browser()
	b.login("bien.tap", s.user("bien.tap", store.RoleProvinceEditor, "99"), "một mật khẩu đủ dài")
	form := url.Values{"level": {"hamlet"}, "effective_date": {"01/01/2026"}, "mapping": {"csv"},
		"mapping_csv": {"old,new,coverage\nZB,ZA,full\n"}, "post:eeeeeeee-0000-4000-9000-0000000000d2": {"ZA"}}
	for _, path := range []string{"/reorganisation/preview", "/reorganisation/apply"} {
		form.Set("confirm", "yes")
		p := b.post(path, form)
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "ZA (Thôn Thử A)", "Hoàng Văn Đầu")
		if bad := msgcheck.DeveloperText(visibleText(p.Body)); bad != "" {
			t.Errorf("%s: the page shows developer text %q", path, bad)
		}
	}
	var n int
	if err := s.admin.QueryRow(ctx, `SELECT count(*) FROM hamlets WHERE province_code = '99' AND code = 'ZB' AND effective_to IS NULL`).Scan(&n); err != nil || n != 1 {
		t.Errorf("ZB closed by a refused apply (%d, %v)", n, err)
	}
}
