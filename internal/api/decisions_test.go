package api

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"sync"
	"testing"

	"communehr/internal/store"
)

// saveA saves cadre A's reorganisation exit with body and returns the response.
func saveA(e *env, ed string, body map[string]any, headers ...string) resp {
	e.t.Helper()
	return e.do("POST", "/v1/provinces/01/cadres/"+cadreA+"/entitlements?save=true", ed, body, headers...)
}

func savedDecision(t *testing.T, r resp) decisionResponse {
	t.Helper()
	var out entitlementResponse
	r.json(t, &out)
	if out.Decision == nil {
		t.Fatalf("no decision: %s", r.Body)
	}
	return *out.Decision
}

// Issue 12, "Decisions are the act": saving the same exit twice gave 201 twice, two current decisions, and
// the national summary counted one person's amount twice.
func TestSavingTheSameExitTwiceKeepsOneCurrentDecisionAndTotalsCountItOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	ministry := e.key(store.RoleMinistry, "")
	body := map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"}

	r := saveA(e, ed, body)
	mustStatus(t, r, http.StatusCreated)
	first := savedDecision(t, r)
	if first.Status != "draft" || first.ExitDate.Format(dateLayout) != "2025-08-01" || first.LastDayWorked.Format(dateLayout) != "2025-07-31" {
		t.Fatalf("saved %s", r.Body)
	}
	// The same inputs again: the stored decision, 200, nothing new stored.
	r = saveA(e, ed, body)
	mustStatus(t, r, http.StatusOK)
	if again := savedDecision(t, r); again.ID != first.ID || r.Header.Get("Location") != "/v1/provinces/01/decisions/"+first.ID {
		t.Fatalf("second save %s", r.Body)
	}
	// The same exit said the other way (the last day worked): the same decision.
	r = saveA(e, ed, map[string]any{"last_day_worked": "2025-07-31", "reason": "reorganisation"})
	mustStatus(t, r, http.StatusOK)
	if again := savedDecision(t, r); again.ID != first.ID {
		t.Fatalf("last_day_worked save %s", r.Body)
	}
	var l decisionList
	r = e.do("GET", "/v1/provinces/01/decisions?current=true", ed, nil)
	r.json(t, &l)
	if len(l.Items) != 1 {
		t.Fatalf("current decisions %s", r.Body)
	}

	// The national summary counts the person once: count 1, people 1, total 210,600,000.
	r = e.do("GET", "/v1/national/summary?as_of=2099-01-01", ministry, nil)
	mustStatus(t, r, http.StatusOK)
	var s nationalSummary
	r.json(t, &s)
	if d := s.Country.Decisions; len(d) != 1 || d[0].Count != 1 || d[0].People != 1 || d[0].Total.String() != "210600000" {
		t.Fatalf("national decisions %+v", d)
	}

	// Different figures for the same exit (the province changed its reading of the allowance): 409 naming
	// the current decision and how to change it, in both languages.
	e.exec(`UPDATE provinces SET allowance_basis = 'hdnd_level' WHERE province_code = '01'`)
	r = saveA(e, ed, body)
	mustStatus(t, r, http.StatusConflict)
	p := r.problem(t)
	if len(p.Errors) != 1 || p.Errors[0].Pointer != "/exit_date" || p.Errors[0].Code != "current_decision_exists" ||
		!strings.Contains(p.Detail, first.ID) || !strings.Contains(p.Detail, "supersede") ||
		!strings.Contains(r.Header.Get("Link"), "/v1/provinces/01/decisions/"+first.ID+`>; rel="current"`) {
		t.Fatalf("conflict %s %v", r.Body, r.Header)
	}
	r = saveA(e, ed, body, "Accept-Language", "vi")
	mustStatus(t, r, http.StatusConflict)
	if p := r.problem(t); !strings.Contains(p.Detail, "quyết định hiện hành") || !strings.Contains(p.Detail, "thay thế") {
		t.Fatalf("vi conflict %s", r.Body)
	}
	// Another exit date while the draft is open is the same exit being settled: 409 too.
	r = saveA(e, ed, map[string]any{"exit_date": "2025-09-01", "reason": "reorganisation"})
	mustStatus(t, r, http.StatusConflict)

	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM decisions`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d decisions stored (%v)", n, err)
	}
	// The database refuses a second current decision for the person and exit, whoever writes it.
	_, err := e.admin.Exec(t.Context(), `INSERT INTO decisions (province_code, cadre_id, reason, kind, exit_date, policy, total,
		ruleset_version, inputs, request, parameters, result)
		SELECT province_code, cadre_id, reason, kind, exit_date, policy, total, ruleset_version, inputs, request, parameters, result
		FROM decisions`)
	if err == nil || !strings.Contains(err.Error(), "decisions_current_key") {
		t.Fatalf("second current decision: %v", err)
	}
}

// Concurrent saves of one exit store one decision: the same inputs answer 201 once and 200 otherwise;
// racing different inputs, one wins and the others get 409.
func TestConcurrentSavesOfOneExitStoreOneDecision(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	race := func(bodies []string) []int {
		statuses := make([]int, len(bodies))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, b := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest("POST", e.srv.URL+"/v1/provinces/01/cadres/"+cadreA+"/entitlements?save=true", strings.NewReader(b))
				req.Header.Set("Authorization", "Bearer "+ed)
				req.Header.Set("Content-Type", "application/json")
				<-start
				res, err := e.srv.Client().Do(req)
				if err != nil {
					return
				}
				statuses[i] = res.StatusCode
				res.Body.Close()
			}()
		}
		close(start)
		wg.Wait()
		return statuses
	}
	count := func(want map[int]int, got []int) {
		t.Helper()
		have := map[int]int{}
		for _, s := range got {
			have[s]++
		}
		for s, n := range want {
			if have[s] != n {
				t.Fatalf("statuses %v, want %v", got, want)
			}
		}
	}
	same := `{"exit_date":"2025-08-01","reason":"reorganisation"}`
	count(map[int]int{201: 1, 200: 7}, race([]string{same, same, same, same, same, same, same, same}))
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM decisions WHERE superseded_by IS NULL`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d current decisions after the race (%v)", n, err)
	}

	// Person H, different inputs racing: one is stored, the others are told about it.
	var bodies []string
	for _, d := range []string{"2025-03-01", "2025-03-02", "2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06"} {
		bodies = append(bodies, `{"exit_date":"2025-05-01","decision_date":"`+d+`","reason":"reorganisation"}`)
	}
	raceH := func() []int {
		statuses := make([]int, len(bodies))
		var wg sync.WaitGroup
		for i, b := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest("POST", e.srv.URL+"/v1/provinces/01/cadres/"+cadreH+"/entitlements?save=true", strings.NewReader(b))
				req.Header.Set("Authorization", "Bearer "+ed)
				req.Header.Set("Content-Type", "application/json")
				res, err := e.srv.Client().Do(req)
				if err != nil {
					return
				}
				statuses[i] = res.StatusCode
				res.Body.Close()
			}()
		}
		wg.Wait()
		return statuses
	}
	count(map[int]int{201: 1, 409: 5}, raceH())
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM decisions WHERE cadre_id = $1`, cadreH).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d decisions for H after the race (%v)", n, err)
	}
}

// Approval is the act: the decision gets its number, date and signer and becomes immutable; in the same
// transaction the person's posts end on the last day worked and the person is recorded as left, audited;
// the allowance reports stop paying them from the exit date and list them under the decision.
func TestApprovingADecisionEndsThePostsAndTheReportsStopPaying(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	viewer := e.key(store.RoleProvinceViewer, "01")
	// The province kept its commune-level posts on until 2026-05-30 (the reports pay them until then).
	mustStatus(t, e.do("PUT", "/v1/provinces/01/commune-posts-end", ed, map[string]any{"province_last_day": "2026-05-30"}), http.StatusOK)
	r := saveA(e, ed, map[string]any{"last_day_worked": "2025-07-31", "reason": "reorganisation"})
	mustStatus(t, r, http.StatusCreated)
	d := savedDecision(t, r)
	if r.Header.Get("ETag") != `"1"` {
		t.Fatalf("ETag %q", r.Header.Get("ETag"))
	}
	paysA := func(asOf string) (bool, unitAllowanceReport) {
		t.Helper()
		r := e.do("GET", "/v1/provinces/01/communes/00001/allowances?as_of="+asOf, viewer, nil)
		mustStatus(t, r, http.StatusOK)
		var u unitAllowanceReport
		r.json(t, &u)
		for _, p := range u.Posts {
			if p.CadreID == cadreA {
				return true, u
			}
		}
		return false, u
	}
	if paid, _ := paysA("2025-08-15"); !paid {
		t.Fatal("a draft decision already stopped the pay")
	}

	// Edit the draft: the inputs change and it is recomputed (If-Match required; a stale one is 412).
	approval := map[string]any{"decision_number": "215/QĐ-UBND", "decision_date": "2025-07-20", "signer_title": "Chủ tịch Ủy ban nhân dân xã"}
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/decisions/"+d.ID, ed, map[string]any{"decision_date": "2025-07-20"}), 428)
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/decisions/"+d.ID, ed, map[string]any{"decision_date": "2025-07-20"}, "If-Match", `"7"`), 412)
	r = e.do("PATCH", "/v1/provinces/01/decisions/"+d.ID, ed, map[string]any{"decision_date": "2025-07-20"}, "If-Match", `"1"`)
	mustStatus(t, r, http.StatusOK)
	var pd decisionResponse
	r.json(t, &pd)
	if pd.Version != 2 || pd.Status != "draft" || !strings.Contains(string(pd.Context), `"decision_date":"2025-07-20"`) ||
		pd.ExitDate.Format(dateLayout) != "2025-08-01" || pd.Total.String() != "210600000" {
		t.Fatalf("patched %s", r.Body)
	}
	mustStatus(t, e.do("POST", "/v1/provinces/01/decisions/"+d.ID+"/approve", viewer, approval, "If-Match", `"2"`), 403)
	mustStatus(t, e.do("POST", "/v1/provinces/01/decisions/"+d.ID+"/approve", ed, approval), 428)
	mustStatus(t, e.do("POST", "/v1/provinces/01/decisions/"+d.ID+"/approve", ed, approval, "If-Match", `"1"`), 412)
	other := map[string]any{"decision_number": "215/QĐ-UBND", "decision_date": "2025-07-21", "signer_title": "Chủ tịch"}
	r = e.do("POST", "/v1/provinces/01/decisions/"+d.ID+"/approve", ed, other, "If-Match", `"2"`)
	mustStatus(t, r, http.StatusUnprocessableEntity) // not the date the draft was computed with
	if p := r.problem(t); p.Errors[0].Pointer != "/decision_date" {
		t.Fatalf("%s", r.Body)
	}

	r = e.do("POST", "/v1/provinces/01/decisions/"+d.ID+"/approve", ed, approval, "If-Match", `"2"`)
	mustStatus(t, r, http.StatusOK)
	var ad decisionResponse
	r.json(t, &ad)
	if ad.Status != "approved" || ad.DecisionNumber == nil || *ad.DecisionNumber != "215/QĐ-UBND" || ad.ApprovedAt == nil ||
		ad.Approval == nil || len(ad.Approval.PostsEnded) != 2 || ad.Approval.Person.Status != "left" ||
		ad.Approval.Person.StatusWas != "active" || ad.Approval.Person.LeftOn.Format(dateLayout) != "2025-08-01" {
		t.Fatalf("approved %s", r.Body)
	}
	for _, p := range ad.Approval.PostsEnded {
		if p.EndDate.Format(dateLayout) != "2025-07-31" || p.EndDateWas != nil {
			t.Fatalf("post ended %+v", p)
		}
	}
	// The stored records say so, and the audit log has each change.
	var status, leftOn string
	var open int
	if err := e.admin.QueryRow(t.Context(), `SELECT status, left_on::text, (SELECT count(*) FROM assignments
		WHERE cadre_id = $1 AND (end_date IS NULL OR end_date >= '2025-08-01')) FROM cadres WHERE id = $1`, cadreA).
		Scan(&status, &leftOn, &open); err != nil || status != "left" || leftOn != "2025-08-01" || open != 0 {
		t.Fatalf("person %s %s, %d posts open (%v)", status, leftOn, open, err)
	}
	var audits int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE action = 'update' AND
		((entity = 'cadre' AND entity_id = $1) OR entity = 'assignment' OR (entity = 'decision' AND entity_id = $2))`, cadreA, d.ID).
		Scan(&audits); err != nil || audits != 5 {
		t.Fatalf("%d audit rows (edit, approval, person, two posts), %v", audits, err)
	}

	// Approved is final: no edit, no second approval, no change in the database but being superseded.
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/decisions/"+d.ID, ed, map[string]any{"reason": "streamlining"}, "If-Match", `"3"`), 409)
	mustStatus(t, e.do("POST", "/v1/provinces/01/decisions/"+d.ID+"/approve", ed, approval, "If-Match", `"3"`), 409)
	if _, err := e.admin.Exec(t.Context(), `UPDATE decisions SET decision_number = 'x' WHERE id = $1`, d.ID); err == nil ||
		!strings.Contains(err.Error(), "immutable") {
		t.Fatalf("approved decision changed: %v", err)
	}

	// From the exit date the reports stop paying A and list A under the decision; the day before, A is paid.
	if paid, _ := paysA("2025-07-31"); !paid {
		t.Fatal("not paid on the last day worked")
	}
	paid, u := paysA("2025-08-15")
	if paid || len(u.LeftUnderDecision) != 1 || u.LeftUnderDecision[0].DecisionNumber != "215/QĐ-UBND" ||
		u.LeftUnderDecision[0].CadreID != cadreA || len(u.LeftUnderDecision[0].Posts) != 2 ||
		u.LeftUnderDecision[0].LastDayWorked.Format(dateLayout) != "2025-07-31" {
		t.Fatalf("paid %v, left %+v", paid, u.LeftUnderDecision)
	}
	r = e.do("GET", "/v1/provinces/01/allowances?as_of=2025-08-15", viewer, nil)
	mustStatus(t, r, http.StatusOK)
	var rep allowanceReport
	r.json(t, &rep)
	if len(rep.LeftUnderDecision) != 1 || rep.LeftUnderDecision[0].FullName != "Nguyễn Văn An" {
		t.Fatalf("province report left %s", r.Body)
	}
	r = e.do("GET", "/v1/provinces/01/allowances?as_of=2025-08-15&format=csv", viewer, nil)
	mustStatus(t, r, http.StatusOK)
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var left [][]string
	for _, row := range recs {
		if row[0] == "left_under_decision" {
			left = append(left, row)
		}
	}
	if len(left) != 2 || left[0][3] != "Nguyễn Văn An" || !strings.Contains(left[0][13], "215/QĐ-UBND") ||
		!strings.Contains(left[0][13], "not paid from 2025-08-01") {
		t.Fatalf("csv section %v", left)
	}
	// In the reader's language (one catalogue, issue 12).
	r = e.do("GET", "/v1/provinces/01/allowances?as_of=2025-08-15&format=csv", viewer, nil, "Accept-Language", "vi")
	mustStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.Body), "không chi trả phụ cấp từ ngày 01/08/2025") || strings.Contains(string(r.Body), "not paid from") {
		t.Fatalf("Vietnamese csv %s", r.Body)
	}
	// The next month's report no longer lists A (the section is the month's leavers).
	if _, u := paysA("2025-09-15"); len(u.LeftUnderDecision) != 0 {
		t.Fatalf("September lists %+v", u.LeftUnderDecision)
	}

	// Superseding the approved decision reopens nothing and says so, with the amount difference.
	e.exec(`UPDATE provinces SET allowance_basis = 'hdnd_level' WHERE province_code = '01'`)
	r = e.do("POST", "/v1/provinces/01/decisions/"+d.ID+"/supersede", ed, map[string]any{"exit_date": "2025-08-01",
		"decision_date": "2025-07-20", "reason": "reorganisation"})
	mustStatus(t, r, http.StatusCreated)
	var nd decisionResponse
	r.json(t, &nd)
	c := nd.Changes
	if c == nil || c.PostsReopened || c.PersonReopened || c.AmountDifference.String() != "-70200000" || c.TotalWas.String() != "210600000" ||
		nd.Status != "draft" || len(c.Notes) < 2 || !strings.Contains(c.Notes[0].EN, "nothing is reopened") ||
		!strings.Contains(c.Notes[0].VI, "không có gì được mở lại") {
		t.Fatalf("supersede %s", r.Body)
	}
	if err := e.admin.QueryRow(t.Context(), `SELECT status FROM cadres WHERE id = $1`, cadreA).Scan(&status); err != nil || status != "left" {
		t.Fatalf("person %s after supersede (%v)", status, err)
	}
	r = e.do("GET", "/v1/provinces/01/decisions/"+d.ID, viewer, nil)
	r.json(t, &ad)
	if ad.Status != "superseded" || ad.SupersededBy == nil || *ad.SupersededBy != nd.ID || *ad.DecisionNumber != "215/QĐ-UBND" {
		t.Fatalf("old %s", r.Body)
	}
}

// Dates say what they mean: the last day worked or the first day out, exactly one; both are shown. The
// issue's example: the last day worked 2025-07-31 is the first day out 2025-08-01, the same figure; the
// first day out 2025-07-31 is one day earlier and loses a month.
func TestLastDayWorkedAndExitDateAreOneDayApartAndGiveTheSameFigure(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	get := func(body map[string]any) entitlementResponse {
		t.Helper()
		r := e.do("POST", "/v1/provinces/01/cadres/"+cadreA+"/entitlements", ed, body)
		mustStatus(t, r, http.StatusOK)
		var out entitlementResponse
		r.json(t, &out)
		return out
	}
	byLast := get(map[string]any{"last_day_worked": "2025-07-31", "reason": "reorganisation"})
	byExit := get(map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"})
	for _, o := range []entitlementResponse{byLast, byExit} {
		if o.LastDayWorked.Format(dateLayout) != "2025-07-31" || o.ExitDate.Format(dateLayout) != "2025-08-01" ||
			o.Context.Request.LastDayWorked.Format(dateLayout) != "2025-07-31" || o.Context.Work.Months != 72 ||
			o.Result.Total.String() != "210600000" {
			t.Fatalf("%+v %+v %s", o.Context.Request, o.Context.Work, o.Result.Total)
		}
	}
	dayEarlier := get(map[string]any{"exit_date": "2025-07-31", "reason": "reorganisation"})
	if dayEarlier.Context.Work.Months != 71 || dayEarlier.LastDayWorked.Format(dateLayout) != "2025-07-30" {
		t.Fatalf("exit_date 2025-07-31: %+v", dayEarlier.Context.Work)
	}

	for _, body := range []map[string]any{
		{"reason": "reorganisation"},
		{"last_day_worked": "2025-07-31", "exit_date": "2025-08-01", "reason": "reorganisation"},
	} {
		r := e.do("POST", "/v1/provinces/01/cadres/"+cadreA+"/entitlements", ed, body)
		mustStatus(t, r, http.StatusUnprocessableEntity)
		p := r.problem(t)
		if len(p.Errors) != 2 || p.Errors[0].Pointer != "/last_day_worked" || p.Errors[1].Pointer != "/exit_date" {
			t.Fatalf("%v: %s", body, r.Body)
		}
	}

	// An error about the date points at the field the caller used, in plain words.
	r := e.do("POST", "/v1/provinces/01/cadres/"+cadreF+"/entitlements", ed, map[string]any{"last_day_worked": "2025-07-31", "reason": "reorganisation"})
	mustStatus(t, r, http.StatusUnprocessableEntity)
	if p := r.problem(t); p.Errors[0].Pointer != "/last_day_worked" || p.Errors[0].Code != "no_post_held" || strings.Contains(p.Errors[0].Message, "exit_date") {
		t.Fatalf("no post: %s", r.Body)
	}

	// Entitlement runs take either too, and show both.
	r = e.do("POST", "/v1/provinces/01/entitlement-runs", ed, map[string]any{"last_day_worked": "2025-07-31", "reason": "reorganisation"})
	mustStatus(t, r, http.StatusAccepted)
	var run runResponse
	r.json(t, &run)
	if run.ExitDate.Format(dateLayout) != "2025-08-01" || run.LastDayWorked.Format(dateLayout) != "2025-07-31" {
		t.Fatalf("run %s", r.Body)
	}
	waitRun(e, ed, "01", run.ID)
	mustStatus(t, e.do("POST", "/v1/provinces/01/entitlement-runs", ed, map[string]any{"reason": "reorganisation"}), http.StatusUnprocessableEntity)
}
