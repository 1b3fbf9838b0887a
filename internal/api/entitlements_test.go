package api

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"communehr/internal/policy"
	"communehr/internal/store"
)

const (
	cadreH = "00000000-0000-0000-0000-000000000002" // two successive commune posts, the second with a term end
	cadreI = "00000000-0000-0000-0000-000000000003" // W9's civil servant: early retirement vs resignation
)

// entitlementFixture adds, to the report fixture, a person with two successive posts and a term end, and
// docs/legal-basis.md W9's civil servant.
func entitlementFixture(e *env) {
	e.t.Helper()
	reportFixture(e)
	e.exec(`INSERT INTO allowance_schedules (province_code, position_code, hamlet_fund_category, effective_from, coefficient, resolution) VALUES
		('01', 'pho_chu_tich_hoi_ccb', '', '2024-07-01', 1.0, 'NQ 18/2023')`)
	e.exec(`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months) VALUES
		('01', $1, '001068000008', 'Ngô Văn Hải', 'male', '1968-04-10', 120),
		('01', $2, '001066000009', 'Bùi Văn Ích', 'male', '1966-09-10', 240)`, cadreH, cadreI)
	e.exec(`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, start_date, end_date, term_end) VALUES
		('01', $1, 'pho_chu_tich_mttq', '00002', '2015-01-01', '2019-12-31', NULL),
		('01', $1, 'pho_chu_tich_hoi_ccb', '00002', '2020-01-01', NULL, '2026-10-31'),
		('01', $2, 'van_phong_dang_uy', '00002', '2020-01-01', NULL, NULL)`, cadreH, cadreI)
}

func TestEntitlementOfAYouthUnionDeputyWithAConcurrentPostUsesTheCentralShareAndShowsBoth(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	body := map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"}
	r := e.do("POST", "/v1/provinces/01/cadres/"+cadreA+"/entitlements", ed, body)
	mustStatus(t, r, 200)
	var out entitlementResponse
	r.json(t, &out)
	a := out.Context.Allowance
	// Main post only (the concurrent party-office post is not part of the current allowance): 1.0 × 2,340,000
	// by the schedule; 1.5 × 2,340,000 = 3,510,000 centrally funded, used by the default basis.
	if a == nil || a.HDNDLevel.String() != "2340000" || a.CentralFundShare.String() != "3510000" || a.Used.String() != "3510000" ||
		a.PositionCode != "pho_bi_thu_doan" || a.Basis != "central_fund_share" {
		t.Fatalf("allowance basis: %s", r.Body)
	}
	// 2019-08-01 → 2025-08-01: 72 months; Decree 154 Art. 9(c) (docs/legal-basis.md W7 shape): 0.8 × 60 + 1.5 × 6 + 3 = 60
	// months of 3,510,000 = 210,600,000.
	if out.Context.Work.Months != 72 || *out.Inputs.WorkMonths != 72 || out.Inputs.Level != "commune" || !out.Inputs.Elected {
		t.Fatalf("inputs %+v work %+v", out.Inputs, out.Context.Work)
	}
	if out.Result.Chosen != policy.PolicyDecree154Art9 || out.Result.Total.String() != "210600000" {
		t.Fatalf("result %s %s: %s", out.Result.Chosen, out.Result.Total, r.Body)
	}
	// The province's own reading (hdnd_level): 60 × 2,340,000.
	e.exec(`UPDATE provinces SET allowance_basis = 'hdnd_level' WHERE province_code = '01'`)
	r = e.do("POST", "/v1/provinces/01/cadres/"+cadreA+"/entitlements", ed, body)
	mustStatus(t, r, 200)
	r.json(t, &out)
	if out.Result.Total.String() != "140400000" || out.Context.Allowance.Used.String() != "2340000" {
		t.Fatalf("hdnd_level: %s", r.Body)
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM decisions`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a computation without save stored %d decisions (%v)", n, err)
	}
}

func TestEntitlementOfAPersonWithTwoAssignmentsAndATermEndUnderDecree29(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	r := e.do("POST", "/v1/provinces/01/cadres/"+cadreH+"/entitlements", ed,
		map[string]any{"exit_date": "2025-05-01", "decision_date": "2025-03-01", "reason": "reorganisation"})
	mustStatus(t, r, 200)
	var out entitlementResponse
	r.json(t, &out)
	// Work: 2015-01-01 → 2019-12-31 and 2020-01-01 → 2025-04-30 join into one period of 124 months.
	if out.Context.Work.Months != 124 || out.Context.Work.Periods != 1 {
		t.Fatalf("work %+v", out.Context.Work)
	}
	// The main post on 2025-04-30 is the veterans' vice-chair, elected by default, term ending 2026-10-31.
	if out.Inputs.TermEnd == nil || out.Inputs.TermEnd.String() != "2026-10-31" || !out.Inputs.Elected ||
		out.Context.Allowance.PositionCode != "pho_chu_tich_hoi_ccb" {
		t.Fatalf("inputs %+v", out.Inputs)
	}
	// Decree 29/2023: within 12 months of the decision, ½ × 3,510,000 for each month left before the term
	// end: 2025-05-01 → 2026-10-31 is 17 whole months (and 30 days), so 17 × 1,755,000 = 29,835,000.
	if out.Result.Chosen != policy.PolicyDecree29 || out.Result.Total.String() != "29835000" {
		t.Fatalf("result %s %s: %s", out.Result.Chosen, out.Result.Total, r.Body)
	}
	// Nobody in post the day before: 422 at /exit_date; an unknown person: 404.
	r = e.do("POST", "/v1/provinces/01/cadres/"+cadreF+"/entitlements", ed, map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"})
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "/exit_date" {
		t.Fatalf("pointer %+v", p.Errors)
	}
	mustStatus(t, e.do("POST", "/v1/provinces/01/cadres/00000000-0000-0000-0000-0000000000ff/entitlements", ed,
		map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"}), 404)
	mustStatus(t, e.do("POST", "/v1/provinces/01/cadres/"+cadreH+"/entitlements", ed,
		map[string]any{"exit_date": "2025-08-01", "reason": "fired"}), 422)
	mustStatus(t, e.do("POST", "/v1/provinces/01/cadres/"+cadreI+"/entitlements", ed,
		map[string]any{"exit_date": "2025-06-01", "reason": "early_retirement"}), 422) // monthly_salary missing
}

func TestTheMostFavourableOfEarlyRetirementAndResignationIsChosen(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	// docs/legal-basis.md W9: 10,000,000 a month, 20 years of SI, decision 2025-01-15, leaves 2025-06-01, retirement
	// time 2028-10-01: early retirement 400,000,000 + 175,000,000 + 50,000,000 = 625,000,000.
	r := e.do("POST", "/v1/provinces/01/cadres/"+cadreI+"/entitlements", ed, map[string]any{"exit_date": "2025-06-01",
		"decision_date": "2025-01-15", "reason": "early_retirement", "monthly_salary": "10000000"})
	mustStatus(t, r, 200)
	var out entitlementResponse
	r.json(t, &out)
	if out.Result.Chosen != policy.PolicyEarlyRetire178 || out.Result.Total.String() != "625000000" || len(out.Result.Options) != 2 {
		t.Fatalf("result: %s", r.Body)
	}
	other := out.Result.Options[1]
	if other.Policy != policy.PolicyResign178 || other.Reason == "" || !strings.Contains(out.Result.Options[0].Reason, "most favourable") {
		t.Fatalf("options %+v", out.Result.Options)
	}
}

func TestDecisionsAreStoredImmutableRecomputableAndSuperseded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	viewer := e.key(store.RoleProvinceViewer, "01")
	ministry := e.key(store.RoleMinistry, "")
	body := map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"}
	mustStatus(t, e.do("POST", "/v1/provinces/01/cadres/"+cadreA+"/entitlements?save=true", viewer, body), 403)
	mustStatus(t, e.do("POST", "/v1/provinces/01/cadres/"+cadreA+"/entitlements?save=true", ministry, body), 403)
	r := e.do("POST", "/v1/provinces/01/cadres/"+cadreA+"/entitlements?save=true", ed, body)
	mustStatus(t, r, 201)
	var out entitlementResponse
	r.json(t, &out)
	if out.Decision == nil || r.Header.Get("Location") != "/v1/provinces/01/decisions/"+out.Decision.ID ||
		out.Decision.Total.String() != "210600000" || out.Decision.Policy != policy.PolicyDecree154Art9 {
		t.Fatalf("saved: %s", r.Body)
	}
	id := out.Decision.ID

	// Recomputing the stored inputs with the rules engine gives the identical stored result.
	r = e.do("GET", "/v1/provinces/01/decisions/"+id, viewer, nil)
	mustStatus(t, r, 200)
	var d decisionResponse
	r.json(t, &d)
	var in policy.BestExitInput
	if err := json.Unmarshal(d.Inputs, &in); err != nil {
		t.Fatal(err)
	}
	again, err := policy.BestExit(in)
	if err != nil {
		t.Fatal(err)
	}
	if d.RulesetVersion != policy.RulesetVersion {
		t.Fatalf("ruleset %s", d.RulesetVersion)
	}
	againJSON, _ := json.Marshal(again)
	var stored, recomputed any
	_ = json.Unmarshal(d.Result, &stored)
	_ = json.Unmarshal(againJSON, &recomputed)
	if !reflect.DeepEqual(stored, recomputed) {
		t.Fatalf("recomputed result differs:\nstored     %s\nrecomputed %s", d.Result, againJSON)
	}

	// Approved (the signed act), it is immutable, even for the owner: no change but superseded_by, no delete.
	r = e.do("POST", "/v1/provinces/01/decisions/"+id+"/approve", ed, map[string]any{"decision_number": "15/QĐ-UBND",
		"decision_date": "2025-07-25", "signer_title": "Chủ tịch Ủy ban nhân dân xã"}, "If-Match", `"1"`)
	mustStatus(t, r, 200)
	for _, sql := range []string{`UPDATE decisions SET total = 1`, `UPDATE decisions SET result = '{}'`, `DELETE FROM decisions`} {
		if _, err := e.admin.Exec(t.Context(), sql); err == nil || !strings.Contains(err.Error(), "immutable") {
			t.Errorf("%s: %v", sql, err)
		}
	}

	// Supersede with the province's corrected basis: a new decision, linked both ways.
	e.exec(`UPDATE provinces SET allowance_basis = 'hdnd_level' WHERE province_code = '01'`)
	mustStatus(t, e.do("POST", "/v1/provinces/01/decisions/"+id+"/supersede", viewer, body), 403)
	mustStatus(t, e.do("POST", "/v1/provinces/01/decisions/"+id+"/supersede", ministry, body), 403)
	r = e.do("POST", "/v1/provinces/01/decisions/"+id+"/supersede", ed, body)
	mustStatus(t, r, 201)
	var nd decisionResponse
	r.json(t, &nd)
	if nd.Supersedes == nil || *nd.Supersedes != id || nd.Total.String() != "140400000" || nd.CadreID != cadreA ||
		nd.Status != "draft" || nd.Changes == nil || nd.Changes.AmountDifference.String() != "-70200000" ||
		nd.Changes.PostsReopened || nd.Changes.PersonReopened || nd.Changes.SupersededStatus != "approved" {
		t.Fatalf("new decision %s", r.Body)
	}
	r = e.do("GET", "/v1/provinces/01/decisions/"+id, ministry, nil)
	mustStatus(t, r, 200)
	r.json(t, &d)
	if d.SupersededBy == nil || *d.SupersededBy != nd.ID || d.Total.String() != "210600000" {
		t.Fatalf("old decision %s", r.Body)
	}
	mustStatus(t, e.do("POST", "/v1/provinces/01/decisions/"+id+"/supersede", ed, body), 409)
	if _, err := e.admin.Exec(t.Context(), `UPDATE decisions SET superseded_by = $1 WHERE id = $2`, nd.ID, id); err == nil {
		t.Fatal("superseded_by was set twice")
	}

	// Lists: newest first, paged; current only.
	r = e.do("GET", "/v1/provinces/01/decisions?limit=1", viewer, nil)
	mustStatus(t, r, 200)
	var l decisionList
	r.json(t, &l)
	if len(l.Items) != 1 || l.Items[0].ID != nd.ID || l.NextCursor == nil || l.Items[0].Result != nil {
		t.Fatalf("page 1 %s", r.Body)
	}
	r = e.do("GET", "/v1/provinces/01/decisions?limit=1&cursor="+*l.NextCursor, viewer, nil)
	r.json(t, &l)
	if len(l.Items) != 1 || l.Items[0].ID != id {
		t.Fatalf("page 2 %s", r.Body)
	}
	r = e.do("GET", "/v1/provinces/01/decisions?current=true&cadre_id="+cadreA, viewer, nil)
	r.json(t, &l)
	if len(l.Items) != 1 || l.Items[0].ID != nd.ID {
		t.Fatalf("current %s", r.Body)
	}
	var audits int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE entity = 'decision'`).Scan(&audits); err != nil || audits != 4 {
		t.Fatalf("%d audit rows (create, approve, create, update), %v", audits, err)
	}
	// Another province sees none of it.
	e.province("79", "Thành phố Hồ Chí Minh")
	hcm := e.key(store.RoleProvinceEditor, "79")
	mustStatus(t, e.do("GET", "/v1/provinces/01/decisions/"+id, hcm, nil), 404)
	mustStatus(t, e.do("GET", "/v1/provinces/79/decisions/"+id, hcm, nil), 404)
}

// Province 02's people for the entitlement review (on top of province02Fixture).
const (
	p02Q1 = "00000000-0000-0000-0002-000000000101" // an old post ended 2012, a concurrent post, then an elected post whose own flag says not elected
	p02Q2 = "00000000-0000-0000-0002-000000000102" // women's union vice-chair since 2021, own flag not elected
	p02Q3 = "00000000-0000-0000-0002-000000000103" // woman born 1965: past retirement age
)

func province02People(e *env) {
	e.t.Helper()
	e.exec(`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months) VALUES
		('02', $1, '002080000101', 'Người Hai Kỳ', 'male', '1980-05-20', 120),
		('02', $2, '002175000102', 'Người Hội Phụ Nữ', 'female', '1975-03-10', 50),
		('02', $3, '002165000103', 'Người Cao Tuổi', 'female', '1965-01-15', 200)`, p02Q1, p02Q2, p02Q3)
	e.exec(`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, start_date, end_date, concurrent, elected, term_end) VALUES
		('02', $1, 'phu_trach_truyen_thanh', '00012', '2010-01-01', '2012-06-15', false, NULL, NULL),
		('02', $1, 'chu_tich_hoi_chu_thap_do', '00012', '2019-11-01', '2020-05-31', true, NULL, NULL),
		('02', $1, 'pho_chu_tich_mttq', '00012', '2020-03-01', NULL, false, false, '2026-06-30'),
		('02', $2, 'pho_chu_tich_hoi_lhpn', '00012', '2021-01-01', NULL, false, false, '2026-06-30'),
		('02', $3, 'chu_tich_hoi_nguoi_cao_tuoi', '00011', '2018-01-01', NULL, false, NULL, NULL)`, p02Q1, p02Q2, p02Q3)
}

// TestReviewEntitlementsFromRecordsHandChecked checks, with figures computed by hand, how the register
// becomes the rules engine's input: the working time as the union of the periods in post (an old post
// counted as its own period, a concurrent post joining the periods once), the main post on the day
// before the exit, the assignment's own elected flag over the position's default, the term end from the
// assignment, both allowance bases, the base salary and schedule version on the day before the exit, a
// person past retirement age, and exits either side of 2025-06-16.
func TestReviewEntitlementsFromRecordsHandChecked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	province02Fixture(e)
	province02People(e)
	ed := e.key(store.RoleProvinceEditor, "02")
	post := func(id string, body map[string]any) (entitlementResponse, resp) {
		t.Helper()
		r := e.do("POST", "/v1/provinces/02/cadres/"+id+"/entitlements", ed, body)
		var out entitlementResponse
		if r.Status == 200 {
			r.json(t, &out)
		}
		return out, r
	}
	str := func(d *decimal.Decimal) string {
		if d == nil {
			return "-"
		}
		return d.String()
	}

	// Q1, leaving 2025-08-01. Periods: 2010-01-01 → 2012-06-15 (29 months, 15 days dropped) and
	// 2019-11-01 → 2025-07-31 (the concurrent post from 2019-11-01 joined by the main one from 2020-03-01:
	// 69 months): 98 months in 2 periods. Main post on 2025-07-31: Fatherland Front vice-chair, recorded
	// not elected, term end 2026-06-30. Allowance: schedule 1.0 × 2,340,000; central share 1.5 × 2,340,000.
	// Decree 154 Art. 9, ≥ 5 years of work, retirement 2042-06-01 (≥ 5 years away): 0.8 × 3,510,000 × 60 =
	// 168,480,000; 98 months = 8 years 2 months → 8.5 years: 1.5 × 3,510,000 × 8.5 = 44,752,500;
	// 3 × 3,510,000 = 10,530,000. Total 223,762,500.
	q1 := map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"}
	out, r := post(p02Q1, q1)
	mustStatus(t, r, 200)
	a := out.Context.Allowance
	if w := out.Context.Work; w.Months != 98 || w.DaysDropped != 15 || w.Periods != 2 || *out.Inputs.WorkMonths != 98 {
		t.Errorf("Q1 work %+v", w)
	}
	if out.Inputs.Elected || out.Inputs.TermEnd == nil || out.Inputs.TermEnd.String() != "2026-06-30" || out.Inputs.Level != "commune" ||
		a.PositionCode != "pho_chu_tich_mttq" || a.On.String() != "2025-07-31" {
		t.Errorf("Q1 inputs %+v allowance %+v", out.Inputs, a)
	}
	if str(a.HDNDLevel) != "2340000" || str(a.CentralFundShare) != "3510000" || str(a.Used) != "3510000" ||
		out.Result.Chosen != policy.PolicyDecree154Art9 || out.Result.Total.String() != "223762500" {
		t.Errorf("Q1 %s %s allowance %s/%s/%s", out.Result.Chosen, out.Result.Total, str(a.HDNDLevel), str(a.CentralFundShare), str(a.Used))
	}

	// Q2, leaving 2025-06-15 (Decree 29/2023, decision 2025-03-01): recorded not elected although the post
	// is elected by default, so the roadmap end counts, not the term end: 2025-06-15 → 2026-12-31 is 18
	// whole months; ½ × 3,510,000 × 18 = 31,590,000 (with the term end it would be 12 months).
	q2 := map[string]any{"exit_date": "2025-06-15", "decision_date": "2025-03-01", "reason": "reorganisation", "roadmap_end": "2026-12-31"}
	out, r = post(p02Q2, q2)
	mustStatus(t, r, 200)
	if out.Inputs.Elected || out.Result.Chosen != policy.PolicyDecree29 || out.Result.Total.String() != "31590000" ||
		str(out.Context.Allowance.Used) != "3510000" {
		t.Errorf("Q2 on 2025-06-15: %s", r.Body)
	}
	delete(q2, "roadmap_end")
	_, r = post(p02Q2, q2)
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "/roadmap_end" {
		t.Errorf("Q2 without roadmap_end: %+v", p.Errors)
	}
	// Q2 leaving 2025-06-16 (Decree 154/2025): 2021-01-01 → 2025-06-16 is 53 months (15 days dropped),
	// fewer than 5 years: 0.8 × 3,510,000 × 53 = 148,824,000; 53 months = 4 years 5 months → 4.5 years:
	// 1.5 × 3,510,000 × 4.5 = 23,692,500; 3 × 3,510,000 = 10,530,000. Total 183,046,500.
	out, r = post(p02Q2, map[string]any{"exit_date": "2025-06-16", "decision_date": "2025-03-01", "reason": "reorganisation"})
	mustStatus(t, r, 200)
	if *out.Inputs.WorkMonths != 53 || out.Result.Chosen != policy.PolicyDecree154Art9 || out.Result.Total.String() != "183046500" {
		t.Errorf("Q2 on 2025-06-16: %s %s work %d", out.Result.Chosen, out.Result.Total, *out.Inputs.WorkMonths)
	}

	// Q3, born 1965-01-15: 55 in 2020, retired under the 2012 Labour Code (2020-02-01). Decree 154 Art. 9
	// cl. 2 (as the rules engine reads it): 15 × 3,510,000 = 52,650,000; both bases shown: the schedule's
	// 1.2 × 2,340,000 = 2,808,000.
	out, r = post(p02Q3, q1)
	mustStatus(t, r, 200)
	a = out.Context.Allowance
	if str(a.HDNDLevel) != "2808000" || str(a.CentralFundShare) != "3510000" || out.Result.Total.String() != "52650000" {
		t.Errorf("Q3: %s", r.Body)
	}

	// P5, head of T4 (thôn of 349 → 4.5), elected by default, term end 2026-06-30 on the assignment,
	// decision 2024-05-01. Leaving 2024-07-01: the allowance of 2024-06-30, version 1, 1.6 × 1,800,000 =
	// 2,880,000 (no central share for a hamlet post); 2024-07-01 → 2026-06-30 is 23 whole months:
	// ½ × 2,880,000 × 23 = 33,120,000. Leaving 2024-07-02: 1.6 × 2,340,000 = 3,744,000; 23 months:
	// 1,872,000 × 23 = 43,056,000.
	for _, c := range []struct{ exit, allowance, total string }{
		{"2024-07-01", "2880000", "33120000"},
		{"2024-07-02", "3744000", "43056000"},
	} {
		out, r = post(p02P5, map[string]any{"exit_date": c.exit, "decision_date": "2024-05-01", "reason": "reorganisation"})
		mustStatus(t, r, 200)
		a = out.Context.Allowance
		if !out.Inputs.Elected || out.Inputs.Level != "hamlet" || a.PositionCode != "truong_thon_to_truong" || a.HamletFundCategory != "4.5" ||
			str(a.HDNDLevel) != c.allowance || a.CentralFundShare != nil || str(a.Used) != c.allowance ||
			out.Result.Chosen != policy.PolicyDecree29 || out.Result.Total.String() != c.total {
			t.Errorf("P5 leaving %s: %s", c.exit, r.Body)
		}
	}
	// P5 leaving 2025-08-01 (Decree 154 Art. 10): version 2's single row 1.8 × 2,340,000 = 4,212,000;
	// 2023-09-01 → 2025-08-01 is 23 months: 0.8 × 4,212,000 × 23 = 77,500,800; 1 year 11 months → 2 years:
	// 1.5 × 4,212,000 × 2 = 12,636,000; 3 × 4,212,000 = 12,636,000. Total 102,772,800.
	out, r = post(p02P5, q1)
	mustStatus(t, r, 200)
	if str(out.Context.Allowance.Used) != "4212000" || out.Result.Chosen != policy.PolicyDecree154Art10 || out.Result.Total.String() != "102772800" {
		t.Errorf("P5 leaving 2025-08-01: %s %s", out.Result.Chosen, out.Result.Total)
	}

	// The province's own reading, hdnd_level: Q1 on 1.0 × 2,340,000: 112,320,000 + 29,835,000 + 7,020,000.
	e.exec(`UPDATE provinces SET allowance_basis = 'hdnd_level' WHERE province_code = '02'`)
	out, r = post(p02Q1, q1)
	mustStatus(t, r, 200)
	if str(out.Context.Allowance.Used) != "2340000" || str(out.Context.Allowance.CentralFundShare) != "3510000" ||
		out.Result.Total.String() != "149175000" {
		t.Errorf("Q1 hdnd_level: %s %s", out.Result.Chosen, out.Result.Total)
	}

	// P1's post ends 2025-03-01 (inclusive): leaving 2025-03-02 it is still the main post (Decree 29 then
	// asks for the elected post's term end); leaving 2025-03-03 no post is held on the day before.
	_, r = post(p02P1, map[string]any{"exit_date": "2025-03-02", "decision_date": "2025-01-01", "reason": "reorganisation"})
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "/term_end" {
		t.Errorf("P1 leaving 2025-03-02: %+v", p.Errors)
	}
	_, r = post(p02P1, map[string]any{"exit_date": "2025-03-03", "decision_date": "2025-01-01", "reason": "reorganisation"})
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "/exit_date" {
		t.Errorf("P1 leaving 2025-03-03: %+v", p.Errors)
	}
}
