package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"communehr/internal/store"
)

func TestScheduleEditorRefusesAnOvershootAndSaves(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	e := s.browser()
	e.login("an.nguyen", s.user("an.nguyen", store.RoleProvinceEditor, "99"), "mật khẩu mới rất dài")
	count := func() (n int) {
		if err := s.admin.QueryRow(context.Background(), `SELECT count(*) FROM allowance_schedules WHERE province_code = '99' AND effective_from = '2026-01-01'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	r := e.get("/schedule")
	mustStatus(t, r, 200)
	mustContain(t, r, `<label for="c_truong_thon_to_truong_60">`, `action="/schedule"`)

	form := url.Values{"resolution": {"Nghị quyết 12/2025/NQ-HĐND"}, "effective_from": {"2026-01-01"},
		"c_bi_thu_chi_bo": {"2,5"}, "c_truong_thon_to_truong": {"2,5"}, "c_truong_ban_cong_tac_mat_tran": {"2"}}
	r = e.post("/schedule", form)
	mustStatus(t, r, http.StatusUnprocessableEntity)
	// 2,5 + 2,5 + 2 = 7 base salaries: 1 over the fund of category 6.0, 2,5 over 4.5; in đồng at the
	// base salary of 2026-01-01 (2.340.000 đ from 2024-07-01).
	mustContain(t, r, "Không lưu được", "Thôn loại 6: ", "cộng lại 7 lần mức lương cơ sở, vượt 1 lần", "vượt 2,5 lần",
		"mỗi thôn vượt", "khoản 2 Điều 34 Nghị định 33/2023/NĐ-CP")
	mustContain(t, r, `value="2,5"`) // the form comes back as typed
	if n := count(); n != 0 {
		t.Fatalf("a refused schedule wrote %d rows", n)
	}
	r = e.post("/schedule", url.Values{"resolution": {""}, "effective_from": {"x"}, "c_bi_thu_chi_bo": {"abc"}, "c_truong_thon_to_truong": {"25"}})
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Hệ số không hợp lệ", "Hệ số phải lớn hơn 0 và không quá 20", "Vui lòng nhập ngày")

	form.Set("c_bi_thu_chi_bo", "1,5")
	form.Set("c_truong_thon_to_truong", "1,5")
	form.Set("c_truong_ban_cong_tac_mat_tran", "1,5")
	r = e.post("/schedule", form)
	mustStatus(t, r, http.StatusSeeOther)
	if r.Location != "/schedule?as_of=2026-01-01" {
		t.Fatalf("after saving: %q", r.Location)
	}
	if n := count(); n != 3 {
		t.Fatalf("saved %d rows, want 3", n)
	}
	r = e.get(r.Location)
	mustContain(t, r, "Đã lưu biểu mức phụ cấp.", "Đang áp dụng: Nghị quyết 12/2025/NQ-HĐND, từ 01/01/2026")
	// The audit log names the officer.
	var who string
	if err := s.admin.QueryRow(context.Background(), `SELECT coalesce(username, '') FROM audit_log WHERE province_code = '99' ORDER BY at DESC LIMIT 1`).Scan(&who); err != nil {
		t.Fatal(err)
	}
	if who != "an.nguyen" {
		t.Fatalf("the audit log names %q, want the officer", who)
	}

	// A viewer sees the schedule but no editor, and cannot post one.
	v := s.browser()
	v.login("bo.tran", s.user("bo.tran", store.RoleProvinceViewer, "99"), "mật khẩu mới rất dài")
	r = v.get("/schedule?as_of=2026-01-01")
	mustStatus(t, r, 200)
	mustContain(t, r, "Nghị quyết 12/2025/NQ-HĐND")
	mustNotContain(t, r, `action="/schedule"`+"\n", `method="post" action="/schedule"`)
	mustStatus(t, v.post("/schedule", form), http.StatusForbidden)
}

// The schedule form's other refusals: no coefficient at all, and an end before the first day (checked
// with the rules even when the resolution is missing); nothing is written.
func TestScheduleEditorRefusesNoRowsAndAnEndBeforeTheStart(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	e := s.browser()
	e.login("an.nguyen", s.user("an.nguyen", store.RoleProvinceEditor, "99"), "mật khẩu mới rất dài")

	r := e.post("/schedule", url.Values{"resolution": {"Nghị quyết 12/2025/NQ-HĐND"}, "effective_from": {"2026-01-01"}})
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Hãy nhập hệ số cho ít nhất một chức danh.")

	r = e.post("/schedule", url.Values{"resolution": {""}, "effective_from": {"2026-01-01"}, "effective_to": {"2025-12-31"},
		"c_bi_thu_chi_bo": {"1,5"}})
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Ngày kết thúc không được trước ngày bắt đầu áp dụng.", `value="1,5"`)
	mustNotContain(t, r, "Hãy nhập hệ số cho ít nhất một chức danh.")

	var n int
	if err := s.admin.QueryRow(context.Background(), `SELECT count(*) FROM allowance_schedules WHERE province_code = '99'
		AND resolution LIKE 'Nghị quyết 12/2025%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("refused schedules wrote %d rows", n)
	}
}
