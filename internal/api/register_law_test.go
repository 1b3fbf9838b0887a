package api

import (
	"strings"
	"testing"

	"communehr/internal/store"
)

// Issue 12, the law's new inputs through the register (migration 0016): the person's record keeps the two
// SI times, the Decree 29 payment and the merger surplus; entitlements from the register, decisions and
// runs use them exactly as the stateless calculators do.

func patchCadre(e *env, ed, id string, body map[string]any) cadreResponse {
	e.t.Helper()
	r := e.do("GET", "/v1/provinces/01/cadres/"+id, ed, nil)
	mustStatus(e.t, r, 200)
	r = e.do("PATCH", "/v1/provinces/01/cadres/"+id, ed, body, "If-Match", r.Header.Get("ETag"))
	mustStatus(e.t, r, 200)
	var c cadreResponse
	r.json(e.t, &c)
	return c
}

func entitlementTotal(e *env, ed, id string, body map[string]any) (entitlementResponse, string) {
	e.t.Helper()
	r := e.do("POST", "/v1/provinces/01/cadres/"+id+"/entitlements", ed, body)
	mustStatus(e.t, r, 200)
	var out entitlementResponse
	r.json(e.t, &out)
	return out, string(r.Body)
}

func calcTotal(e *env, tok string, body map[string]any) (string, string) {
	e.t.Helper()
	r := e.do("POST", "/v1/calculations/best-exit", tok, body)
	mustStatus(e.t, r, 200)
	var out struct {
		Total  string `json:"total"`
		Chosen string `json:"chosen"`
	}
	r.json(e.t, &out)
	return out.Total, out.Chosen
}

func TestRegisterSITimesDriveEntitlementsAsTheCalculatorDoes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	body := map[string]any{"exit_date": "2025-06-01", "decision_date": "2025-01-15", "reason": "early_retirement", "monthly_salary": "10000000"}
	before, _ := entitlementTotal(e, ed, cadreI, body)
	if before.Result.Total.String() != "625000000" {
		t.Fatalf("si_months 240 alone: %s", before.Result.Total)
	}

	// 25 years in total (pension eligibility), 22 of them not yet compensated (drives the allowances).
	c := patchCadre(e, ed, cadreI, map[string]any{"si_total_months": 300, "si_uncompensated_months": 264})
	if c.SITotalMonths == nil || *c.SITotalMonths != 300 || c.SIUncompensatedMonths == nil || *c.SIUncompensatedMonths != 264 {
		t.Fatalf("stored %+v", c)
	}
	after, raw := entitlementTotal(e, ed, cadreI, body)
	if after.Inputs.SITotalMonths == nil || *after.Inputs.SITotalMonths != 300 || after.Inputs.SIUncompensatedMonths == nil ||
		*after.Inputs.SIUncompensatedMonths != 264 {
		t.Fatalf("inputs did not carry the register's SI times: %s", raw)
	}
	calc := map[string]any{"kind": "cadre", "gender": "male", "birth_date": "1966-09-10", "decision_date": "2025-01-15",
		"exit_date": "2025-06-01", "monthly_salary": "10000000", "si_total_months": 300, "si_uncompensated_months": 264}
	want, chosen := calcTotal(e, ed, calc)
	if after.Result.Total.String() != want || after.Result.Chosen != chosen {
		t.Fatalf("register %s %s, calculator %s %s", after.Result.Total, after.Result.Chosen, want, chosen)
	}
	// By hand: 400,000,000 + 175,000,000 as before, and the SI-years allowance on the 22 uncompensated years
	// (not the 25 in total): (5 + 0.5 × 2) × 10,000,000 = 60,000,000, so 635,000,000.
	if after.Result.Total.String() != "635000000" {
		t.Fatalf("total %s, want 635000000", after.Result.Total)
	}

	// The time not yet compensated cannot exceed the total: 422 at the field, nothing written.
	r := e.do("GET", "/v1/provinces/01/cadres/"+cadreI, ed, nil)
	r = e.do("PATCH", "/v1/provinces/01/cadres/"+cadreI, ed, map[string]any{"si_uncompensated_months": 320}, "If-Match", r.Header.Get("ETag"))
	mustStatus(t, r, 422)
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Pointer != "/si_uncompensated_months" {
		t.Fatalf("problem %+v", p)
	}
}

func TestRegisterDecree29PaymentAddsTheDecree154Difference(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	body := map[string]any{"exit_date": "2025-05-01", "decision_date": "2025-03-01", "reason": "reorganisation"}
	before, _ := entitlementTotal(e, ed, cadreH, body)
	if before.Result.Total.String() != "29835000" {
		t.Fatalf("paid state unknown: %s", before.Result.Total)
	}
	c := patchCadre(e, ed, cadreH, map[string]any{"decree29_paid": false})
	if c.Decree29Paid == nil || *c.Decree29Paid {
		t.Fatalf("stored %+v", c)
	}
	after, raw := entitlementTotal(e, ed, cadreH, body)
	if after.Inputs.Decree29Paid == nil || *after.Inputs.Decree29Paid {
		t.Fatalf("inputs: %s", raw)
	}
	calc := map[string]any{"kind": "non_professional", "monthly_allowance": "3510000", "elected": true, "level": "commune",
		"decision_date": "2025-03-01", "exit_date": "2025-05-01", "term_end": "2026-10-31", "work_months": 124,
		"gender": "male", "birth_date": "1968-04-10", "decree29_paid": false}
	want, _ := calcTotal(e, ed, calc)
	if after.Result.Total.String() != want || !strings.Contains(raw, `"decree154_difference"`) {
		t.Fatalf("register %s, calculator %s: %s", after.Result.Total, want, raw)
	}
	// By hand: Decree 29 pays 29,835,000; Decree 154 Art. 9 recalculates 0.8 × 3,510,000 × 60 = 168,480,000,
	// plus 1.5 × 3,510,000 × 10.5 years (124 months) = 55,282,500, plus 3 × 3,510,000 = 10,530,000:
	// 234,292,500, so the difference 204,457,500 is added: 234,292,500 in all.
	if after.Result.Total.String() != "234292500" {
		t.Fatalf("not paid by 2025-06-16: total %s, want 234292500", after.Result.Total)
	}

	// Paid on 2025-05-20, before Decree 154 took effect: Decree 29 stands, no difference.
	patchCadre(e, ed, cadreH, map[string]any{"decree29_paid": true, "decree29_paid_on": "2025-05-20"})
	paid, _ := entitlementTotal(e, ed, cadreH, body)
	if !paid.Result.Total.Equal(before.Result.Total) {
		t.Fatalf("paid before 2025-06-16: %s, want %s", paid.Result.Total, before.Result.Total)
	}
	// A payment date on an allowance recorded as not paid is refused.
	r := e.do("GET", "/v1/provinces/01/cadres/"+cadreH, ed, nil)
	r = e.do("PATCH", "/v1/provinces/01/cadres/"+cadreH, ed, map[string]any{"decree29_paid": false}, "If-Match", r.Header.Get("ETag"))
	mustStatus(t, r, 422)
}

func TestRegisterMergedUnitSurplusReachesRunsAndDecisions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	body := map[string]any{"exit_date": "2025-01-01", "decision_date": "2024-12-01", "reason": "early_retirement", "monthly_salary": "10000000"}
	before, _ := entitlementTotal(e, ed, cadreI, body)
	c := patchCadre(e, ed, cadreI, map[string]any{"merged_unit_surplus": true})
	if !c.MergedUnitSurplus {
		t.Fatalf("stored %+v", c)
	}
	after, raw := entitlementTotal(e, ed, cadreI, body)
	if !after.Inputs.MergedUnitSurplus {
		t.Fatalf("inputs: %s", raw)
	}
	calc := map[string]any{"kind": "cadre", "gender": "male", "birth_date": "1966-09-10", "decision_date": "2024-12-01",
		"exit_date": "2025-01-01", "monthly_salary": "10000000", "si_months": 240, "merged_unit_surplus": true}
	want, chosen := calcTotal(e, ed, calc)
	if after.Result.Total.String() != want || after.Result.Chosen != chosen || after.Result.Chosen == before.Result.Chosen &&
		after.Result.Total.Equal(before.Result.Total) {
		t.Fatalf("register %s %s (before %s %s), calculator %s %s", after.Result.Total, after.Result.Chosen,
			before.Result.Total, before.Result.Chosen, want, chosen)
	}

	// A saved decision stores the register's input.
	r := e.do("POST", "/v1/provinces/01/cadres/"+cadreI+"/entitlements?save=true", ed, body)
	mustStatus(t, r, 201)
	if !strings.Contains(string(r.Body), `"merged_unit_surplus":true`) {
		t.Fatalf("decision inputs: %s", r.Body)
	}
}

func TestCadreImportCarriesTheLawInputsUnderVietnameseHeaders(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	csvBody := "Số CCCD,Họ và tên,Giới tính,Ngày sinh,Số tháng BHXH,Tổng số tháng BHXH,Số tháng BHXH chưa hưởng trợ cấp,Đã chi trả theo NĐ 29,Ngày chi trả theo NĐ 29,Dôi dư do sắp xếp đơn vị\n" +
		"001080012345,Nguyễn Văn An,male,1980-05-17,0,264,144,true,2025-05-20,true\n" +
		"001180012346,Trần Thị Bình,female,1980-06-01,120,,,,,\n"
	r := e.upload(ed, "kind=cadres", []byte(csvBody))
	mustStatus(t, r, 201)
	if j := importJob(t, r); j.Status != "succeeded" || j.RowsInserted != 2 {
		t.Fatalf("import %s", r.Body)
	}
	r = e.do("GET", "/v1/provinces/01/cadres?q=an", ed, nil)
	mustStatus(t, r, 200)
	var l cadreList
	r.json(t, &l)
	var got *cadreResponse
	for i := range l.Items {
		if l.Items[i].FullName == "Nguyễn Văn An" {
			got = &l.Items[i]
		}
	}
	if got == nil || got.SITotalMonths == nil || *got.SITotalMonths != 264 || *got.SIUncompensatedMonths != 144 ||
		got.Decree29Paid == nil || !*got.Decree29Paid || got.Decree29PaidOn == nil || got.Decree29PaidOn.Format(dateLayout) != "2025-05-20" ||
		!got.MergedUnitSurplus {
		t.Fatalf("imported %+v", got)
	}
	// Uncompensated above the total: the row is refused with the column named.
	bad := "national_id,full_name,gender,birth_date,si_total_months,si_uncompensated_months\n" +
		"001080012347,Lê Văn Cường,male,1980-01-01,100,120\n"
	r = e.upload(ed, "kind=cadres", []byte(bad))
	if j := importJob(t, r); j.Status != "failed" || !strings.Contains(string(r.Body), "si_uncompensated_months") {
		t.Fatalf("bad row: %s", r.Body)
	}
}

// An entitlement run reads the same register fields as the single computation: the person recorded as not
// paid under Decree 29 gets the Decree 154 difference in the run too.
func TestEntitlementRunUsesTheRegisterLawInputs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	patchCadre(e, ed, cadreH, map[string]any{"decree29_paid": false})
	body := map[string]any{"exit_date": "2025-05-01", "decision_date": "2025-03-01", "reason": "reorganisation",
		"filter": map[string]any{"ids": []string{cadreH}}}
	run := startRun(e, ed, body)
	rows := runResultsCSV(e, ed, run.ID)
	if len(rows) != 1 || rows[0]["cadre_id"] != cadreH || rows[0]["total"] != "234292500" {
		t.Fatalf("run rows %v (want 234292500: 29,835,000 under Decree 29 plus the Decree 154 difference)", rows)
	}
	one, _ := entitlementTotal(e, ed, cadreH, map[string]any{"exit_date": "2025-05-01", "decision_date": "2025-03-01",
		"reason": "reorganisation"})
	if one.Result.Total.String() != rows[0]["total"] {
		t.Fatalf("single %s, run %s", one.Result.Total, rows[0]["total"])
	}
}
