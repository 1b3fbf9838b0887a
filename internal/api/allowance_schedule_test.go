package api

import (
	"strings"
	"testing"

	"communehr/internal/store"
)

type schedRow = map[string]any

func schedLine(position string, category any, coefficient string) schedRow {
	return schedRow{"position_code": position, "hamlet_fund_category": category, "coefficient": coefficient}
}

// fittingSchedule is Hanoi Resolution 18/2023/NQ-HĐND adjusted to fit both funds: the hamlet head gets 2.1
// in a 6.0 hamlet (2.1 + 1.6 + 1.6 = 5.3 ≤ 6.0), and every hamlet post 1.5 in a 4.5 hamlet (4.5 ≤ 4.5).
func fittingSchedule(from string) map[string]any {
	return map[string]any{"resolution": "18/2023/NQ-HĐND", "effective_from": from, "rows": []schedRow{
		schedLine("pho_chu_tich_mttq", nil, "1.0"),
		schedLine("truong_thon_to_truong", "6.0", "2.1"),
		schedLine("truong_thon_to_truong", "4.5", "1.5"),
		schedLine("bi_thu_chi_bo", "6.0", "1.6"),
		schedLine("bi_thu_chi_bo", "4.5", "1.5"),
		schedLine("truong_ban_cong_tac_mat_tran", "6.0", "1.60"),
		schedLine("truong_ban_cong_tac_mat_tran", "4.5", "1.5"),
	}}
}

func scheduleEnv(t *testing.T) (*env, string) {
	t.Helper()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	return e, e.key(store.RoleProvinceEditor, "01")
}

func TestAllowanceScheduleRoundTrip(t *testing.T) {
	t.Parallel()
	e, ed := scheduleEnv(t)
	const path = "/v1/provinces/01/allowance-schedule"
	r := e.do("GET", path+"?as_of=2024-09-01", ed, nil, "Accept-Language", "vi")
	mustStatus(t, r, 404)
	if p := r.problem(t); !strings.Contains(p.Detail, "2024-09-01") || !strings.Contains(p.Detail, "biểu mức phụ cấp") {
		t.Fatalf("404 does not say what is missing: %s", r.Body)
	}

	r = e.do("PUT", path, ed, fittingSchedule("2023-08-01"))
	mustStatus(t, r, 201)
	if loc := r.Header.Get("Location"); loc != path+"?as_of=2023-08-01" {
		t.Fatalf("Location %q", loc)
	}
	r = e.do("GET", path+"?as_of=2024-09-01", ed, nil)
	mustStatus(t, r, 200)
	var s scheduleBody
	r.json(t, &s)
	got := map[string]string{}
	for _, row := range s.Rows {
		cat := "any"
		if row.HamletFundCategory != nil {
			cat = *row.HamletFundCategory
		}
		got[row.PositionCode+"/"+cat] = row.Coefficient.String()
	}
	if s.Resolution != "18/2023/NQ-HĐND" || s.EffectiveFrom.Format("2006-01-02") != "2023-08-01" || s.EffectiveTo != nil ||
		len(s.Rows) != 7 || got["truong_thon_to_truong/6.0"] != "2.1" || got["pho_chu_tich_mttq/any"] != "1" ||
		got["truong_ban_cong_tac_mat_tran/6.0"] != "1.6" {
		t.Fatalf("schedule %s", r.Body)
	}
	if s.Rows[0].PositionCode != "pho_chu_tich_mttq" {
		t.Fatalf("commune posts first: %s", r.Body)
	}
	// The same PUT again replaces the version with itself.
	mustStatus(t, e.do("PUT", path, ed, fittingSchedule("2023-08-01")), 200)
	mustStatus(t, e.do("GET", path+"?as_of=2023-07-31", ed, nil), 404)

	// A later version takes over from its first day; an ended version is not in force after its end.
	next := fittingSchedule("2025-01-01")
	next["resolution"] = "05/2024/NQ-HĐND"
	next["effective_to"] = "2025-12-31"
	next["rows"] = []schedRow{schedLine("truong_thon_to_truong", nil, "1.4")}
	mustStatus(t, e.do("PUT", path, ed, next), 201)
	for asOf, want := range map[string]string{"2024-12-31": "18/2023/NQ-HĐND", "2025-01-01": "05/2024/NQ-HĐND", "2026-01-01": "18/2023/NQ-HĐND"} {
		r := e.do("GET", path+"?as_of="+asOf, ed, nil)
		mustStatus(t, r, 200)
		r.json(t, &s)
		if s.Resolution != want {
			t.Errorf("as of %s: %s, want %s", asOf, s.Resolution, want)
		}
	}
	// Without as_of: today.
	mustStatus(t, e.do("GET", path, ed, nil), 200)
	mustStatus(t, e.do("GET", path+"?as_of=someday", ed, nil), 422)

	var actions string
	if err := e.admin.QueryRow(t.Context(), `SELECT string_agg(action || ':' || entity_id || ':' || (before IS NULL)::text, ',' ORDER BY id)
		FROM audit_log WHERE entity = 'allowance_schedule'`).Scan(&actions); err != nil {
		t.Fatal(err)
	}
	if actions != "create:2023-08-01:true,update:2023-08-01:false,create:2025-01-01:true" {
		t.Fatalf("audit %s", actions)
	}
}

func TestAllowanceScheduleMustFitTheHamletFund(t *testing.T) {
	t.Parallel()
	e, ed := scheduleEnv(t)
	// Hanoi's resolution as written: hamlet head 2.1 in a 6.0 hamlet, 1.6 otherwise; the others 1.6. In a 4.5
	// hamlet the three posts take 4.8 × base salary, more than the 4.5 fund.
	hanoi := map[string]any{"resolution": "18/2023/NQ-HĐND", "effective_from": "2023-08-01", "rows": []schedRow{
		schedLine("truong_thon_to_truong", "6.0", "2.1"),
		schedLine("truong_thon_to_truong", nil, "1.6"),
		schedLine("bi_thu_chi_bo", nil, "1.6"),
		schedLine("truong_ban_cong_tac_mat_tran", nil, "1.6"),
	}}
	r := e.do("PUT", "/v1/provinces/01/allowance-schedule", ed, hanoi)
	mustStatus(t, r, 422)
	p := r.problem(t)
	if len(p.Errors) != 1 || p.Errors[0].Pointer != "/rows" || p.Errors[0].Code != "exceeds_hamlet_fund" {
		t.Fatalf("errors %+v", p.Errors)
	}
	for _, want := range []string{"category 4.5", "sum to 4.8", "0.3 over the fund of 4.5"} {
		if !strings.Contains(p.Errors[0].Message, want) {
			t.Errorf("message %q lacks %q", p.Errors[0].Message, want)
		}
	}
	r = e.do("PUT", "/v1/provinces/01/allowance-schedule", ed, hanoi, "Accept-Language", "vi")
	if p := r.problem(t); !strings.Contains(p.Errors[0].Message, "loại 4.5") || !strings.Contains(p.Errors[0].Message, "vượt 0.3") {
		t.Fatalf("vi message %q", p.Errors[0].Message)
	}
	// Overshooting the 6.0 fund is named for that category.
	over6 := map[string]any{"resolution": "x", "effective_from": "2023-08-01", "rows": []schedRow{
		schedLine("truong_thon_to_truong", "6.0", "2.5"), schedLine("bi_thu_chi_bo", "6.0", "2.0"), schedLine("truong_ban_cong_tac_mat_tran", "6.0", "2.0"),
	}}
	r = e.do("PUT", "/v1/provinces/01/allowance-schedule", ed, over6)
	mustStatus(t, r, 422)
	if p := r.problem(t); len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Message, "category 6.0") || !strings.Contains(p.Errors[0].Message, "0.5 over") {
		t.Fatalf("6.0 overshoot %+v", p.Errors)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/allowance-schedule?as_of=2024-01-01", ed, nil), 404)
}

func TestAllowanceScheduleValidation(t *testing.T) {
	t.Parallel()
	e, ed := scheduleEnv(t)
	body := func(rows ...schedRow) map[string]any {
		return map[string]any{"resolution": "18/2023/NQ-HĐND", "effective_from": "2023-08-01", "rows": rows}
	}
	cases := map[string]struct {
		body    any
		pointer string
	}{
		"unknown post":             {body(schedLine("pho_chu_tich_mttq", nil, "1"), schedLine("truong_xom", nil, "1")), "/rows/1/position_code"},
		"zero coefficient":         {body(schedLine("pho_chu_tich_mttq", nil, "0")), "/rows/0/coefficient"},
		"negative coefficient":     {body(schedLine("pho_chu_tich_mttq", nil, "-1.2")), "/rows/0/coefficient"},
		"coefficient not a number": {body(schedLine("pho_chu_tich_mttq", nil, "abc")), "/rows/0/coefficient"},
		"too many decimals":        {body(schedLine("pho_chu_tich_mttq", nil, "1.23456")), "/rows/0/coefficient"},
		"missing coefficient":      {body(schedRow{"position_code": "pho_chu_tich_mttq"}), "/rows/0/coefficient"},
		"duplicate row":            {body(schedLine("bi_thu_chi_bo", "4.5", "1"), schedLine("bi_thu_chi_bo", "4.5", "1.2")), "/rows/1"},
		"commune post by category": {body(schedLine("pho_chu_tich_mttq", "6.0", "1")), "/rows/0/hamlet_fund_category"},
		"unknown category":         {body(schedLine("bi_thu_chi_bo", "5.0", "1")), "/rows/0/hamlet_fund_category"},
		"no rows":                  {body(), "/rows"},
		"missing resolution":       {map[string]any{"effective_from": "2023-08-01", "rows": []schedRow{schedLine("bi_thu_chi_bo", nil, "1")}}, "/resolution"},
		"missing effective_from":   {map[string]any{"resolution": "x", "rows": []schedRow{schedLine("bi_thu_chi_bo", nil, "1")}}, "/effective_from"},
		"end before start": {map[string]any{"resolution": "x", "effective_from": "2023-08-01", "effective_to": "2023-07-01",
			"rows": []schedRow{schedLine("bi_thu_chi_bo", nil, "1")}}, "/effective_to"},
		"unknown field": {map[string]any{"resolution": "x", "effective_from": "2023-08-01", "version": 3,
			"rows": []schedRow{schedLine("bi_thu_chi_bo", nil, "1")}}, "/version"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := e.sub(t).do("PUT", "/v1/provinces/01/allowance-schedule", ed, c.body, "Accept-Language", "vi")
			mustStatus(t, r, 422)
			found := false
			for _, f := range r.problem(t).Errors {
				found = found || f.Pointer == c.pointer
				if f.Message == "" {
					t.Errorf("empty message for %s", f.Pointer)
				}
			}
			if !found {
				t.Fatalf("no error at %s: %s", c.pointer, r.Body)
			}
		})
	}
	mustStatus(t, e.do("PUT", "/v1/provinces/01/allowance-schedule", ed, "{", "Accept-Language", "vi"), 400)
	mustStatus(t, e.do("PUT", "/v1/provinces/01/allowance-schedule", ed, "x", "Content-Type", "text/plain"), 415)
}

func TestAllowanceScheduleIsolationAndRoles(t *testing.T) {
	t.Parallel()
	e, ed := scheduleEnv(t)
	e.province("79", "Thành phố Hồ Chí Minh")
	mustStatus(t, e.do("PUT", "/v1/provinces/01/allowance-schedule", ed, fittingSchedule("2023-08-01")), 201)
	hcm := e.key(store.RoleProvinceEditor, "79")
	r := e.do("GET", "/v1/provinces/01/allowance-schedule?as_of=2024-01-01", hcm, nil)
	mustStatus(t, r, 404)
	if strings.Contains(string(r.Body), "18/2023") {
		t.Fatalf("leak: %s", r.Body)
	}
	mustStatus(t, e.do("PUT", "/v1/provinces/01/allowance-schedule", hcm, fittingSchedule("2023-08-01")), 404)
	mustStatus(t, e.do("GET", "/v1/provinces/79/allowance-schedule?as_of=2024-01-01", hcm, nil), 404)
	viewer := e.key(store.RoleProvinceViewer, "01")
	mustStatus(t, e.do("GET", "/v1/provinces/01/allowance-schedule?as_of=2024-01-01", viewer, nil), 200)
	mustStatus(t, e.do("PUT", "/v1/provinces/01/allowance-schedule", viewer, fittingSchedule("2024-01-01")), 403)
	ministry := e.key(store.RoleMinistry, "")
	mustStatus(t, e.do("GET", "/v1/provinces/01/allowance-schedule?as_of=2024-01-01", ministry, nil), 200)
	mustStatus(t, e.do("PUT", "/v1/provinces/01/allowance-schedule", ministry, fittingSchedule("2024-01-01")), 403)
	mustStatus(t, e.do("GET", "/v1/provinces/01/allowance-schedule", "", nil), 401)
}
