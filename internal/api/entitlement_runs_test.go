package api

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/policy"
	"communehr/internal/store"
)

func viewerOf(e *env) string { return e.key(store.RoleProvinceViewer, "01") }

// waitRun polls a run until it is no longer queued or running and returns it.
func waitRun(e *env, token, province, id string) runResponse {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		r := e.do("GET", "/v1/provinces/"+province+"/entitlement-runs/"+id, token, nil)
		mustStatus(e.t, r, 200)
		var run runResponse
		r.json(e.t, &run)
		if run.Status != "running" && run.Status != "queued" {
			return run
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("run %s still running: %s", id, r.Body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startRun posts a run and waits for it to finish.
func startRun(e *env, token string, body map[string]any) runResponse {
	e.t.Helper()
	r := e.do("POST", "/v1/provinces/01/entitlement-runs", token, body)
	mustStatus(e.t, r, 202)
	var run runResponse
	r.json(e.t, &run)
	if r.Header.Get("Location") != "/v1/provinces/01/entitlement-runs/"+run.ID || (run.Status != "running" && run.Status != "queued") || run.FinishedAt != nil {
		t := e.t
		t.Fatalf("202: Location %q, %s", r.Header.Get("Location"), r.Body)
	}
	return waitRun(e, token, "01", run.ID)
}

// runCSVRow is one parsed line of results.csv.
type runCSVRow map[string]string

func runResultsCSV(e *env, token, id string) []runCSVRow {
	e.t.Helper()
	r := e.do("GET", "/v1/provinces/01/entitlement-runs/"+id+"/results.csv", token, nil)
	mustStatus(e.t, r, 200)
	if !bytes.HasPrefix(r.Body, []byte("\uFEFF")) || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		e.t.Fatalf("not a CSV with a BOM: %q", r.Header.Get("Content-Type"))
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		e.t.Fatal(err)
	}
	var out []runCSVRow
	for _, rec := range recs[1:] {
		row := runCSVRow{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		out = append(out, row)
	}
	return out
}

func dec(t testing.TB, s string) decimal.Decimal {
	t.Helper()
	if s == "" {
		return decimal.Zero
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatalf("not a number %q", s)
	}
	return v
}

func TestEntitlementRunEqualsThePerPersonComputationAndItsTotalsAddUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reportFixture(e)
	e.exec(`UPDATE cadres SET full_name = '=HYPERLINK("x")' WHERE id = $1`, cadreE)
	ed := e.key(store.RoleProvinceEditor, "01")
	viewer := viewerOf(e)
	body := map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"}
	run := startRun(e, ed, body)
	// In post on 2025-07-31: everyone but F (left 2025-01-31).
	if run.Status != "succeeded" || run.PeopleTotal != 6 || run.PeopleProcessed != 6 || run.FinishedAt == nil ||
		run.RulesetVersion != policy.RulesetVersion {
		t.Fatalf("run %+v", run)
	}
	rows := runResultsCSV(e, viewer, run.ID)
	if len(rows) != 6 {
		t.Fatalf("%d result rows", len(rows))
	}
	byPolicy := map[string]decimal.Decimal{}
	byCommune := map[string]decimal.Decimal{}
	sum, eligible := decimal.Zero, 0
	for _, row := range rows {
		// Each person's line equals POST cadres/{id}/entitlements with the same body.
		r := e.do("POST", "/v1/provinces/01/cadres/"+row["cadre_id"]+"/entitlements", ed, body)
		mustStatus(t, r, 200)
		var one entitlementResponse
		r.json(t, &one)
		if row["policy"] != one.Result.Chosen || !dec(t, row["total"]).Equal(one.Result.Total) ||
			!dec(t, row["monthly_allowance"]).Equal(*one.Context.Allowance.Used) ||
			row["work_months"] != strconv.Itoa(*one.Inputs.WorkMonths) || row["position_code"] != one.Context.Allowance.PositionCode ||
			row["eligible"] != strconv.FormatBool(one.Result.Chosen != "") {
			t.Errorf("run row %v differs from the single computation %s %s", row, one.Result.Chosen, one.Result.Total)
		}
		byPolicy[row["policy"]] = byPolicy[row["policy"]].Add(dec(t, row["total"]))
		byCommune[row["commune_code"]] = byCommune[row["commune_code"]].Add(dec(t, row["total"]))
		sum = sum.Add(dec(t, row["total"]))
		if row["eligible"] == "true" {
			eligible++
		}
	}
	// The hand-checked people: A (commune 00001, youth-union deputy since 2019-08-01) gets 60 months of the
	// central share 3,510,000 = 210,600,000 (Decree 154 Art. 9); C, hamlet head of H1 (420 households, 6.0),
	// is paid 2.1 × 2,340,000 = 4,914,000 a month by the schedule.
	for _, row := range rows {
		switch row["cadre_id"] {
		case cadreA:
			if row["total"] != "210600000" || row["policy"] != policy.PolicyDecree154Art9 || row["commune_code"] != "00001" || row["level"] != "commune" {
				t.Errorf("A: %v", row)
			}
		case cadreC:
			if row["monthly_allowance"] != "4914000" || row["hamlet_code"] != "H1" || row["commune_code"] != "00001" || row["level"] != "hamlet" {
				t.Errorf("C: %v", row)
			}
		case cadreE:
			if row["full_name"] != `'=HYPERLINK("x")` {
				t.Errorf("formula not neutralised: %q", row["full_name"])
			}
		}
	}
	if !run.Total.Equal(sum) || run.PeopleEligible != eligible || eligible == 0 {
		t.Fatalf("run total %s eligible %d; rows %s %d", run.Total, run.PeopleEligible, sum, eligible)
	}
	pSum, people := decimal.Zero, 0
	for _, pt := range run.TotalsByPolicy {
		pSum, people = pSum.Add(pt.Total), people+pt.People
		if !pt.Total.Equal(byPolicy[pt.Policy]) {
			t.Errorf("policy %q: %s, rows %s", pt.Policy, pt.Total, byPolicy[pt.Policy])
		}
	}
	if !pSum.Equal(run.Total) || people != 6 {
		t.Errorf("totals by policy add up to %s over %d people", pSum, people)
	}
	cSum, people, elig := decimal.Zero, 0, 0
	for _, ct := range run.TotalsByCommune {
		cSum, people, elig = cSum.Add(ct.Total), people+ct.People, elig+ct.Eligible
		if !ct.Total.Equal(byCommune[ct.CommuneCode]) {
			t.Errorf("commune %q: %s, rows %s", ct.CommuneCode, ct.Total, byCommune[ct.CommuneCode])
		}
	}
	if !cSum.Equal(run.Total) || people != 6 || elig != eligible || len(run.TotalsByCommune) != 2 {
		t.Errorf("totals by commune %+v", run.TotalsByCommune)
	}
	if run.Timings.ReadMS < 0 || run.Timings.ComputeMS < 0 || run.Timings.WriteMS < 0 {
		t.Errorf("timings %+v", run.Timings)
	}

	// The list, newest first; the Ministry reads it; nothing was stored as a decision; both writes audited.
	r := e.do("GET", "/v1/provinces/01/entitlement-runs", e.key(store.RoleMinistry, ""), nil)
	mustStatus(t, r, 200)
	var l runList
	r.json(t, &l)
	if len(l.Items) != 1 || l.Items[0].ID != run.ID || !l.Items[0].Total.Equal(run.Total) {
		t.Fatalf("list %s", r.Body)
	}
	var decisions, audits int
	if err := e.admin.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM decisions),
		(SELECT count(*) FROM audit_log WHERE entity = 'entitlement_run' AND entity_id = $1)`, run.ID).Scan(&decisions, &audits); err != nil ||
		decisions != 0 || audits != 2 {
		t.Fatalf("%d decisions, %d audit rows (create, update), %v", decisions, audits, err)
	}
}

func TestEntitlementRunFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reportFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	// Hamlet posts of commune 00001 (H1, H2): C, D and E.
	run := startRun(e, ed, map[string]any{"exit_date": "2025-08-01", "reason": "streamlining",
		"filter": map[string]any{"commune_code": "00001", "position_level": "hamlet"}})
	if run.Status != "succeeded" || run.PeopleTotal != 3 || run.Filter.CommuneCode != "00001" || run.Filter.PositionLevel != "hamlet" {
		t.Fatalf("filtered run %+v", run)
	}
	got := map[string]bool{}
	for _, row := range runResultsCSV(e, ed, run.ID) {
		got[row["cadre_id"]] = true
	}
	if !got[cadreC] || !got[cadreD] || !got[cadreE] {
		t.Fatalf("people %v", got)
	}
	// Named people: F is named but holds no post the day before: a result saying why, in no commune.
	run = startRun(e, ed, map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation",
		"filter": map[string]any{"ids": []string{cadreA, cadreF, "00000000-0000-0000-0000-0000000000ff"}}})
	if run.PeopleTotal != 2 || run.PeopleEligible != 1 || run.Total.String() != "210600000" {
		t.Fatalf("named run %+v", run)
	}
	for _, row := range runResultsCSV(e, ed, run.ID) {
		if row["cadre_id"] == cadreF && (row["eligible"] != "false" || row["total"] != "0" || row["commune_code"] != "" ||
			row["reason"] != "the person holds no post on the last day worked") {
			t.Fatalf("F: %v", row)
		}
	}
	// results.csv speaks the reader's language (the reasons are kept in both).
	r := e.do("GET", "/v1/provinces/01/entitlement-runs/"+run.ID+"/results.csv", ed, nil, "Accept-Language", "vi")
	mustStatus(t, r, 200)
	if !strings.Contains(string(r.Body), "người này không giữ chức danh nào vào ngày làm việc cuối cùng") ||
		!strings.Contains(string(r.Body), "chính sách có lợi nhất") || strings.Contains(string(r.Body), "most favourable") {
		t.Fatalf("Vietnamese results.csv: %s", r.Body)
	}
	// Invalid bodies.
	for _, b := range []map[string]any{
		{"exit_date": "2025-08-01", "reason": "early_retirement"},
		{"exit_date": "2025-08-01", "reason": "reorganisation", "filter": map[string]any{"position_level": "province"}},
		{"exit_date": "2025-08-01", "reason": "reorganisation", "filter": map[string]any{"ids": []string{"x"}}},
		{"exit_date": "1990-01-01", "reason": "reorganisation"},
		{"reason": "reorganisation"},
	} {
		mustStatus(t, e.do("POST", "/v1/provinces/01/entitlement-runs", ed, b), 422)
	}
}

func TestEntitlementRunAccessIdempotencyAndInterruption(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reportFixture(e)
	e.province("79", "Thành phố Hồ Chí Minh")
	ed := e.key(store.RoleProvinceEditor, "01")
	viewer := viewerOf(e)
	hcm := e.key(store.RoleProvinceEditor, "79")
	body := map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"}
	mustStatus(t, e.do("POST", "/v1/provinces/01/entitlement-runs", viewer, body), 403)
	mustStatus(t, e.do("POST", "/v1/provinces/01/entitlement-runs", e.key(store.RoleMinistry, ""), body), 403)
	mustStatus(t, e.do("POST", "/v1/provinces/01/entitlement-runs", hcm, body), 404)

	// Idempotency-Key: the same request replays the same run.
	r1 := e.do("POST", "/v1/provinces/01/entitlement-runs", ed, body, "Idempotency-Key", "run-1")
	mustStatus(t, r1, 202)
	r2 := e.do("POST", "/v1/provinces/01/entitlement-runs", ed, body, "Idempotency-Key", "run-1")
	mustStatus(t, r2, 202)
	var a, b runResponse
	r1.json(t, &a)
	r2.json(t, &b)
	if a.ID != b.ID || r2.Header.Get("Idempotent-Replayed") != "true" || r2.Header.Get("Location") != r1.Header.Get("Location") {
		t.Fatalf("replay: %s / %s", r1.Body, r2.Body)
	}
	run := waitRun(e, ed, "01", a.ID)

	// Another province sees nothing of it.
	for _, path := range []string{"/v1/provinces/01/entitlement-runs/" + run.ID, "/v1/provinces/79/entitlement-runs/" + run.ID,
		"/v1/provinces/01/entitlement-runs/" + run.ID + "/results.csv", "/v1/provinces/79/entitlement-runs/" + run.ID + "/results.csv"} {
		mustStatus(t, e.do("GET", path, hcm, nil), 404)
	}
	r := e.do("GET", "/v1/provinces/79/entitlement-runs", hcm, nil)
	mustStatus(t, r, 200)
	var l runList
	r.json(t, &l)
	if len(l.Items) != 0 {
		t.Fatalf("79 lists %s", r.Body)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/entitlement-runs/not-a-uuid", viewer, nil), 404)

	// A run whose session died (running, nobody holds its lock) reads failed/interrupted; one whose session
	// is alive stays running, and has no results yet.
	const dead, live = "00000000-0000-4000-a000-0000000000d1", "00000000-0000-4000-a000-0000000000d2"
	e.exec(`INSERT INTO entitlement_runs (province_code, id, exit_date, reason, status) VALUES
		('01', $1, '2025-08-01', 'reorganisation', 'running'), ('01', $2, '2025-08-01', 'reorganisation', 'running')`, dead, live)
	holder := e.admin
	if _, err := holder.Exec(t.Context(), `SELECT pg_advisory_lock(4713, hashtext($1))`, live); err != nil {
		t.Fatal(err)
	}
	got := waitRun(e, viewer, "01", dead)
	if got.Status != "failed" || got.FailureReason == nil || *got.FailureReason != "interrupted" || got.FinishedAt == nil {
		t.Fatalf("dead run %+v", got)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/entitlement-runs/"+dead+"/results.csv", viewer, nil), 409)
	r = e.do("GET", "/v1/provinces/01/entitlement-runs/"+live, viewer, nil)
	mustStatus(t, r, 200)
	r.json(t, &got)
	if got.Status != "running" {
		t.Fatalf("live run %s", r.Body)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/entitlement-runs/"+live+"/results.csv", viewer, nil), 409)
	r = e.do("GET", "/v1/provinces/01/entitlement-runs?limit=2", viewer, nil)
	mustStatus(t, r, 200)
	r.json(t, &l)
	if len(l.Items) != 2 || l.NextCursor == nil {
		t.Fatalf("page 1 %s", r.Body)
	}
	r = e.do("GET", "/v1/provinces/01/entitlement-runs?limit=2&cursor="+*l.NextCursor, viewer, nil)
	mustStatus(t, r, 200)
	r.json(t, &l)
	if len(l.Items) != 1 {
		t.Fatalf("page 2 %s", r.Body)
	}
	if _, err := holder.Exec(t.Context(), `SELECT pg_advisory_unlock(4713, hashtext($1))`, live); err != nil {
		t.Fatal(err)
	}
	if got := waitRun(e, viewer, "01", live); got.Status != "failed" {
		t.Fatalf("released run %+v", got)
	}
}

// TestReviewEntitlementRunGivesEachPersonTheSinglePersonResult runs province 02 (schedule versions, units
// closed with posts still open, a post with no schedule row, people with old and concurrent posts, a
// person past retirement age) under both allowance bases and checks every person's row against POST
// cadres/{id}/entitlements with the same body — including the people the single endpoint refuses (422),
// whose row must say why with the same code — and a few rows against figures computed by hand.
func TestReviewEntitlementRunGivesEachPersonTheSinglePersonResult(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	province02Fixture(e)
	province02People(e)
	ed := e.key(store.RoleProvinceEditor, "02")
	body := map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"}
	for _, basis := range []string{"central_fund_share", "hdnd_level"} {
		e.exec(`UPDATE provinces SET allowance_basis = $1 WHERE province_code = '02'`, basis)
		r := e.do("POST", "/v1/provinces/02/entitlement-runs", ed, body)
		mustStatus(t, r, 202)
		var run runResponse
		r.json(t, &run)
		run = waitRun(e, ed, "02", run.ID)
		// In post on 2025-07-31: P2, P4–P15 (13, P10 and P11 in units closed on 2024-12-31) and Q1–Q3.
		if run.Status != "succeeded" || run.PeopleTotal != 16 {
			t.Fatalf("%s: run %+v", basis, run)
		}
		r = e.do("GET", "/v1/provinces/02/entitlement-runs/"+run.ID+"/results.csv", ed, nil)
		mustStatus(t, r, 200)
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		sum := decimal.Zero
		for _, rec := range recs[1:] {
			row := runCSVRow{}
			for i, h := range recs[0] {
				row[h] = rec[i]
			}
			sum = sum.Add(dec(t, row["total"]))
			r := e.do("POST", "/v1/provinces/02/cadres/"+row["cadre_id"]+"/entitlements", ed, body)
			if r.Status != 200 {
				mustStatus(t, r, 422)
				p := r.problem(t)
				if row["eligible"] != "false" || row["total"] != "0" || row["policy"] != "" ||
					row["reason"] != p.Errors[0].Message {
					t.Errorf("%s: run row %v, single %s", basis, row, r.Body)
				}
				continue
			}
			var one entitlementResponse
			r.json(t, &one)
			lines := []string{}
			for _, l := range one.Result.Lines {
				lines = append(lines, l.Code+"="+l.Amount.String())
			}
			if row["policy"] != one.Result.Chosen || !dec(t, row["total"]).Equal(one.Result.Total) ||
				!dec(t, row["monthly_allowance"]).Equal(*one.Context.Allowance.Used) ||
				row["work_months"] != strconv.Itoa(*one.Inputs.WorkMonths) || row["position_code"] != one.Context.Allowance.PositionCode ||
				row["level"] != one.Context.Allowance.Level || row["eligible"] != strconv.FormatBool(one.Result.Chosen != "") {
				t.Errorf("%s: run row %v, single %s %s %v", basis, row, one.Result.Chosen, one.Result.Total, lines)
			}
			want := map[string]map[string]string{
				// Hand-checked in TestReviewEntitlementsFromRecordsHandChecked.
				"central_fund_share": {p02Q1: "223762500", p02Q3: "52650000", p02P5: "102772800"},
				"hdnd_level":         {p02Q1: "149175000", p02Q3: "42120000", p02P5: "102772800"},
			}[basis]
			if w, ok := want[row["cadre_id"]]; ok && row["total"] != w {
				t.Errorf("%s: %s total %s, want %s", basis, row["cadre_id"], row["total"], w)
			}
		}
		if !sum.Equal(run.Total) || len(recs)-1 != 16 {
			t.Errorf("%s: rows add up to %s over %d, run total %s", basis, sum, len(recs)-1, run.Total)
		}
	}
}

func TestEntitlementRunUnderDecree29UsesTheRoadmapEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	province02Fixture(e)
	province02People(e)
	ed := e.key(store.RoleProvinceEditor, "02")
	body := map[string]any{"exit_date": "2025-03-01", "reason": "reorganisation", "decision_date": "2024-09-01",
		"roadmap_end": "2025-12-31"}
	r := e.do("POST", "/v1/provinces/02/entitlement-runs", ed, body)
	mustStatus(t, r, 202)
	var run runResponse
	r.json(t, &run)
	run = waitRun(e, ed, "02", run.ID)
	if run.Status != "succeeded" || run.RoadmapEnd == nil || run.RoadmapEnd.Format(dateLayout) != "2025-12-31" {
		t.Fatalf("run %+v", run)
	}
	r = e.do("GET", "/v1/provinces/02/entitlement-runs/"+run.ID+"/results.csv", ed, nil)
	mustStatus(t, r, 200)
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	paid := 0
	for _, rec := range recs[1:] {
		row := runCSVRow{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		one := e.do("POST", "/v1/provinces/02/cadres/"+row["cadre_id"]+"/entitlements", ed, body)
		if one.Status != 200 {
			continue // refused one by one as in the run (checked by the test above)
		}
		var res entitlementResponse
		one.json(t, &res)
		if row["policy"] != res.Result.Chosen || !dec(t, row["total"]).Equal(res.Result.Total) {
			t.Errorf("run row %v, single %s %s", row, res.Result.Chosen, res.Result.Total)
		}
		if row["policy"] == "decree_29_2023_art9" && row["total"] != "0" {
			paid++
		}
	}
	if paid == 0 {
		t.Fatalf("no one paid under Decree 29 with a roadmap end: %q", recs)
	}
}
