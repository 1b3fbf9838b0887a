package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// A person's status has history (issue 11 item 2): every write path keeps the periods by one rule (the
// triggers of migration 0029), and every read "as of D" uses the status in force on D.

// statusHistoryText writes a person's periods as "active ..–2025-09-30; left 2025-10-01–..".
func statusHistoryText(h *[]statusPeriodResponse) string {
	if h == nil {
		return "<none>"
	}
	var parts []string
	for _, s := range *h {
		from, to := "..", ".."
		if s.ValidFrom != nil {
			from = s.ValidFrom.Format(dateLayout)
		}
		if s.ValidTo != nil {
			to = s.ValidTo.Format(dateLayout)
		}
		parts = append(parts, s.Status+" "+from+"–"+to)
	}
	return strings.Join(parts, "; ")
}

// getCadreAt reads a person through the API (as_of "" = today's record).
func (e *env) getCadreAt(token, province, id, asOf string) cadreResponse {
	e.t.Helper()
	path := "/v1/provinces/" + province + "/cadres/" + id
	if asOf != "" {
		path += "?as_of=" + asOf
	}
	r := e.do("GET", path, token, nil)
	mustStatus(e.t, r, http.StatusOK)
	var c cadreResponse
	r.json(e.t, &c)
	return c
}

// wantHistory asserts a person's periods as GET shows them.
func (e *env) wantHistory(token, province, id, want string) {
	e.t.Helper()
	if got := statusHistoryText(e.getCadreAt(token, province, id, "").StatusHistory); got != want {
		e.t.Fatalf("status history %q, want %q", got, want)
	}
}

// statusRowsAgree checks, in the database, that a person without periods is active since the beginning,
// that every other person's open period is the row's status from its first day, and that each person's
// periods start at the beginning and follow one another without gaps (the triggers' invariant; overlaps
// are refused by the exclusion constraint).
func (e *env) statusRowsAgree() {
	e.t.Helper()
	var bad int
	err := e.admin.QueryRow(e.t.Context(), `SELECT count(*) FROM cadres c WHERE
		CASE WHEN NOT EXISTS (SELECT 1 FROM cadre_status_history s WHERE s.province_code = c.province_code AND s.cadre_id = c.id)
		THEN c.status <> 'active' OR c.active_from IS NOT NULL
		ELSE NOT EXISTS (
		  SELECT 1 FROM cadre_status_history s WHERE s.province_code = c.province_code AND s.cadre_id = c.id
		    AND s.valid_to IS NULL AND s.status = c.status AND s.valid_from = cadre_status_start(c.status, c.left_on, c.active_from))
		OR NOT EXISTS (SELECT 1 FROM cadre_status_history s WHERE s.province_code = c.province_code AND s.cadre_id = c.id
		    AND s.valid_from = '0001-01-01') END
		OR EXISTS (SELECT 1 FROM cadre_status_history s WHERE s.province_code = c.province_code AND s.cadre_id = c.id
		  AND s.valid_to IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cadre_status_history n WHERE n.province_code = s.province_code
		    AND n.cadre_id = s.cadre_id AND n.valid_from = s.valid_to + 1))`).Scan(&bad)
	if err != nil {
		e.t.Fatal(err)
	}
	if bad != 0 {
		e.t.Fatalf("%d people whose status periods disagree with their record", bad)
	}
}

func TestAPersonsStatusHasHistoryThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	id := e.mustCreateCadre(ed, "01", cadreBody(nidMale1985, "Nguyễn Văn An", "male", "1985-03-02"))
	path := "/v1/provinces/01/cadres/" + id
	e.wantHistory(ed, "01", id, "active ..–..")
	patch := func(version string, body map[string]any, want int) resp {
		t.Helper()
		r := e.do("PATCH", path, ed, body, "If-Match", `"`+version+`"`)
		mustStatus(t, r, want)
		return r
	}

	// Leaves on 2025-10-01: active until the day before, left from it.
	r := patch("1", map[string]any{"status": "left", "left_on": "2025-10-01"}, http.StatusOK)
	var c cadreResponse
	r.json(t, &c)
	if got := statusHistoryText(c.StatusHistory); got != "active ..–2025-09-30; left 2025-10-01–.." {
		t.Fatalf("PATCH answered status history %q", got)
	}
	// As of a date before the leaving the person is active, and the response says which period.
	c = e.getCadreAt(ed, "01", id, "2025-09-15")
	if c.Status != "active" || c.LeftOn != nil || c.AsOf == nil || c.AsOf.Format(dateLayout) != "2025-09-15" || c.StatusPeriod == nil ||
		c.StatusPeriod.ValidFrom != nil || c.StatusPeriod.ValidTo == nil || c.StatusPeriod.ValidTo.Format(dateLayout) != "2025-09-30" {
		t.Fatalf("as of 2025-09-15: %+v", c)
	}
	c = e.getCadreAt(ed, "01", id, "2025-11-01")
	if c.Status != "left" || c.LeftOn == nil || c.LeftOn.Format(dateLayout) != "2025-10-01" || c.StatusPeriod.ValidFrom.Format(dateLayout) != "2025-10-01" {
		t.Fatalf("as of 2025-11-01: %+v", c)
	}
	mustStatus(t, e.do("GET", path+"?as_of=2025-13-01", ed, nil), http.StatusUnprocessableEntity)

	// Correcting the date moves the boundary (not a second leaving).
	patch("2", map[string]any{"left_on": "2025-10-15"}, http.StatusOK)
	e.wantHistory(ed, "01", id, "active ..–2025-10-14; left 2025-10-15–..")

	// A return to work: after the leaving, never before it.
	r = patch("3", map[string]any{"status": "active", "left_on": nil, "active_from": "2025-10-15"}, http.StatusUnprocessableEntity)
	if p := r.problem(t); p.Errors[0].Pointer != "/active_from" || p.Errors[0].Code != "after_left_on" || msgcheck.DeveloperText(p.Errors[0].Message) != "" {
		t.Fatalf("return before the leaving: %s", r.Body)
	}
	r = patch("3", map[string]any{"status": "active", "left_on": nil, "active_from": "2026-03-01"}, http.StatusOK)
	r.json(t, &c)
	if c.ActiveFrom == nil || c.ActiveFrom.Format(dateLayout) != "2026-03-01" {
		t.Fatalf("returned %s", r.Body)
	}
	e.wantHistory(ed, "01", id, "active ..–2025-10-14; left 2025-10-15–2026-02-28; active 2026-03-01–..")
	if c = e.getCadreAt(ed, "01", id, "2025-12-01"); c.Status != "left" || c.LeftOn.Format(dateLayout) != "2025-10-15" {
		t.Fatalf("as of 2025-12-01 after the return: %+v", c)
	}
	if c = e.getCadreAt(ed, "01", id, "2026-04-01"); c.Status != "active" || c.StatusPeriod.ValidFrom.Format(dateLayout) != "2026-03-01" {
		t.Fatalf("as of 2026-04-01: %+v", c)
	}

	// Leaving again must come after the return; then retiring; then the retirement withdrawn (a
	// correction: the person never retired), which restores the periods before it.
	r = patch("4", map[string]any{"status": "retired", "left_on": "2026-02-01"}, http.StatusUnprocessableEntity)
	if p := r.problem(t); p.Errors[0].Pointer != "/left_on" || p.Errors[0].Code != "after_active_from" {
		t.Fatalf("leaving before the return: %s", r.Body)
	}
	patch("4", map[string]any{"status": "retired", "left_on": "2030-01-01"}, http.StatusOK)
	e.wantHistory(ed, "01", id, "active ..–2025-10-14; left 2025-10-15–2026-02-28; active 2026-03-01–2029-12-31; retired 2030-01-01–..")
	patch("5", map[string]any{"status": "active", "left_on": nil}, http.StatusOK)
	e.wantHistory(ed, "01", id, "active ..–2025-10-14; left 2025-10-15–2026-02-28; active 2026-03-01–..")

	// A date back at work for someone who never left, or while out, is refused.
	other := e.mustCreateCadre(ed, "01", cadreBody(nidFemale1990, "Trần Thị Bình", "female", "1990-01-01"))
	r = e.do("PATCH", "/v1/provinces/01/cadres/"+other, ed, map[string]any{"active_from": "2025-01-01"}, "If-Match", `"1"`)
	mustStatus(t, r, http.StatusUnprocessableEntity)
	if p := r.problem(t); p.Errors[0].Pointer != "/active_from" || p.Errors[0].Code != "not_left" {
		t.Fatalf("return of someone who never left: %s", r.Body)
	}
	r = e.do("PATCH", "/v1/provinces/01/cadres/"+other, ed, map[string]any{"status": "left", "left_on": "2025-01-01", "active_from": "2024-01-01"}, "If-Match", `"1"`)
	mustStatus(t, r, http.StatusUnprocessableEntity)
	if p := r.problem(t); p.Errors[0].Pointer != "/active_from" || p.Errors[0].Code != "active_only" {
		t.Fatalf("return while out: %s", r.Body)
	}

	// A person created as having left already: working until the day before.
	body := cadreBody(nidMale2001, "Lê Văn Cường", "male", "2001-05-05")
	body["status"], body["left_on"] = "retired", "2024-06-01"
	e.wantHistory(ed, "01", e.mustCreateCadre(ed, "01", body), "active ..–2024-05-31; retired 2024-06-01–..")

	// The audit log keeps the periods before and after each change.
	var before, after json.RawMessage
	if err := e.admin.QueryRow(t.Context(), `SELECT before, after FROM audit_log WHERE entity = 'cadre' AND entity_id = $1
		AND action = 'update' ORDER BY id DESC LIMIT 1`, id).Scan(&before, &after); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(before), `"status": "retired"`) && !strings.Contains(string(before), `"status":"retired"`) ||
		!strings.Contains(string(before), "status_history") || !strings.Contains(string(after), `"valid_from": "2026-03-01`) {
		t.Fatalf("audit before %s after %s", before, after)
	}
	e.statusRowsAgree()
}

func TestAPersonsStatusHistoryFollowsImports(t *testing.T) {
	e, ed := importEnv(t)
	const head = "national_id,full_name,gender,birth_date,status,left_on\n"
	j := importJob(t, e.upload(ed, "kind=cadres", []byte(head+
		"001085012345,Nguyễn Văn An,male,1985-03-02,active,\n"+
		"001190000123,Trần Thị Bình,female,1990-01-01,left,2025-10-01\n")))
	if j.Status != "succeeded" || j.RowsInserted != 2 {
		t.Fatalf("import %+v", j)
	}
	ids := map[string]string{}
	rows, err := e.admin.Query(t.Context(), `SELECT national_id, id::text FROM cadres WHERE province_code = '01'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var nid, id string
		if err := rows.Scan(&nid, &id); err != nil {
			t.Fatal(err)
		}
		ids[nid] = id
	}
	e.wantHistory(ed, "01", ids[nidMale1985], "active ..–..")
	e.wantHistory(ed, "01", ids[nidFemale1990], "active ..–2025-09-30; left 2025-10-01–..")

	// The same file again, with An leaving and Bình's date corrected: one rule, as through the API.
	j = importJob(t, e.upload(ed, "kind=cadres", []byte(head+
		"001085012345,Nguyễn Văn An,male,1985-03-02,retired,2025-11-01\n"+
		"001190000123,Trần Thị Bình,female,1990-01-01,left,2025-10-15\n")))
	if j.Status != "succeeded" || j.RowsUpdated != 2 {
		t.Fatalf("re-import %+v", j)
	}
	e.wantHistory(ed, "01", ids[nidMale1985], "active ..–2025-10-31; retired 2025-11-01–..")
	e.wantHistory(ed, "01", ids[nidFemale1990], "active ..–2025-10-14; left 2025-10-15–..")
	if c := e.getCadreAt(ed, "01", ids[nidMale1985], "2025-10-31"); c.Status != "active" {
		t.Fatalf("as of 2025-10-31 after the import: %+v", c)
	}
	// An unchanged file changes nothing.
	j = importJob(t, e.upload(ed, "kind=cadres", []byte(head+
		"001085012345,Nguyễn Văn An,male,1985-03-02,retired,2025-11-01\n"+
		"001190000123,Trần Thị Bình,female,1990-01-01,left,2025-10-15\n")))
	if j.Status != "succeeded" || j.RowsUpdated != 0 {
		t.Fatalf("unchanged re-import %+v", j)
	}
	e.wantHistory(ed, "01", ids[nidMale1985], "active ..–2025-10-31; retired 2025-11-01–..")
	e.statusRowsAgree()
}

func TestApprovingADecisionRecordsTheLeavingInTheStatusHistory(t *testing.T) {
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	mustStatus(t, e.do("PUT", "/v1/provinces/01/commune-posts-end", ed, map[string]any{"province_last_day": "2026-05-30"}), http.StatusOK)
	d := savedDecision(t, saveA(e, ed, map[string]any{"last_day_worked": "2025-07-31", "reason": "reorganisation",
		"decision_date": "2025-07-20"}))
	approval := map[string]any{"decision_number": "215/QĐ-UBND", "decision_date": "2025-07-20",
		"signer_title": "Chủ tịch Ủy ban nhân dân xã"}
	mustStatus(t, e.do("POST", "/v1/provinces/01/decisions/"+d.ID+"/approve", ed, approval, "If-Match", `"1"`), http.StatusOK)

	e.wantHistory(ed, "01", cadreA, "active ..–2025-07-31; left 2025-08-01–..")
	if c := e.getCadreAt(ed, "01", cadreA, "2025-07-31"); c.Status != "active" || c.LeftOn != nil {
		t.Fatalf("as of the last day worked: %+v", c)
	}
	// The approval's audit row of the person has the periods before and after.
	var after string
	if err := e.admin.QueryRow(t.Context(), `SELECT after::text FROM audit_log WHERE entity = 'cadre' AND entity_id = $1
		AND action = 'update' ORDER BY id DESC LIMIT 1`, cadreA).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(after, `"status_history"`) || !strings.Contains(after, `"valid_from": "2025-08-01`) {
		t.Fatalf("audit after %s", after)
	}
	// The same computation as of a day before the leaving still sees the person working.
	mustStatus(t, e.do("POST", "/v1/provinces/01/cadres/"+cadreA+"/entitlements", ed,
		map[string]any{"exit_date": "2025-07-15", "reason": "reorganisation"}), http.StatusOK)
	e.statusRowsAgree()
}

// TestAPersonWhoLeftIsPaidBeforeTheLeavingAndNotAfter: Cường (cadre C: hamlet head of H1 and its cell
// secretary) is recorded as left from 2025-10-01 with his posts still open. Every read as of a date uses
// the status on that date: the September report pays him, November's lists his posts as not paid; the
// national summary agrees with the province report on both dates; an exit computed before the leaving
// sees him working, one after is refused; a run after the leaving leaves him out.
func TestAPersonWhoLeftIsPaidBeforeTheLeavingAndNotAfter(t *testing.T) {
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	ministry := e.key(store.RoleMinistry, "")
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/cadres/"+cadreC, ed, map[string]any{"status": "left", "left_on": "2025-10-01"},
		"If-Match", `"1"`), http.StatusOK)

	report := func(asOf string) allowanceReport {
		t.Helper()
		r := e.do("GET", "/v1/provinces/01/allowances?as_of="+asOf, ministry, nil)
		mustStatus(t, r, http.StatusOK)
		var rep allowanceReport
		r.json(t, &rep)
		return rep
	}
	paysC := func(asOf string) bool {
		t.Helper()
		r := e.do("GET", "/v1/provinces/01/hamlets/H1/allowances?as_of="+asOf, ed, nil)
		mustStatus(t, r, http.StatusOK)
		var u unitAllowanceReport
		r.json(t, &u)
		for _, p := range u.Posts {
			if p.CadreID == cadreC {
				return true
			}
		}
		return false
	}
	flaggedC := func(rep allowanceReport) []flaggedPost {
		var out []flaggedPost
		for _, f := range rep.FlaggedPosts {
			if f.CadreID == cadreC {
				out = append(out, f)
			}
		}
		return out
	}
	sep, nov := report("2025-09-15"), report("2025-11-15")
	if !paysC("2025-09-15") || len(flaggedC(sep)) != 0 {
		t.Fatalf("September: paid %v, flagged %+v", paysC("2025-09-15"), flaggedC(sep))
	}
	if paysC("2025-11-15") {
		t.Fatal("November still pays a person who left on 2025-10-01")
	}
	fl := flaggedC(nov)
	// The note is in the reader's language (English here: the report's catalogue-coded notes).
	if len(fl) != 2 || fl[0].Reason != "person_not_working" || strings.Contains(fl[0].Note, "01/10/2025") ||
		!strings.Contains(fl[0].Note, "2025-10-01") || msgcheck.DeveloperText(fl[0].Note) != "" {
		t.Fatalf("November flags %+v", fl)
	}
	if !nov.Totals.Paid.LessThan(sep.Totals.Paid) || nov.Totals.PostsFilled != sep.Totals.PostsFilled-2 {
		t.Fatalf("paid %s → %s, posts %d → %d", sep.Totals.Paid, nov.Totals.Paid, sep.Totals.PostsFilled, nov.Totals.PostsFilled)
	}

	// The national summary counts the same posts and pays the same amounts as the province report.
	hamletPeople := map[string]int{}
	for _, asOf := range []string{"2025-09-15", "2025-11-15"} {
		r := e.do("GET", "/v1/national/summary?as_of="+asOf, ministry, nil)
		mustStatus(t, r, http.StatusOK)
		var s nationalSummary
		r.json(t, &s)
		hn := s.Provinces[0]
		if rep := report(asOf); !rep.Totals.Paid.Equal(hn.Funds.Paid) {
			t.Fatalf("%s: province report paid %s, national summary %s", asOf, rep.Totals.Paid, hn.Funds.Paid)
		}
		for _, l := range hn.People {
			if l.Level == "hamlet" {
				hamletPeople[asOf] = int(l.People)
			}
		}
	}
	if hamletPeople["2025-09-15"] != hamletPeople["2025-11-15"]+1 {
		t.Fatalf("hamlet-level people in the national summary: %v", hamletPeople)
	}

	// Computations: before the leaving he is working; after it the exit is refused, and a run leaves him out.
	mustStatus(t, e.do("POST", "/v1/provinces/01/cadres/"+cadreC+"/entitlements", ed,
		map[string]any{"exit_date": "2025-09-20", "reason": "reorganisation"}), http.StatusOK)
	r := e.do("POST", "/v1/provinces/01/cadres/"+cadreC+"/entitlements", ed, map[string]any{"exit_date": "2025-11-01", "reason": "reorganisation"})
	mustStatus(t, r, http.StatusUnprocessableEntity)
	if p := r.problem(t); p.Errors[0].Pointer != "/exit_date" || p.Errors[0].Code != "person_not_working" ||
		msgcheck.DeveloperText(p.Errors[0].Message) != "" {
		t.Fatalf("exit after the leaving: %s", r.Body)
	}
	before := startRun(e, ed, map[string]any{"exit_date": "2025-09-20", "reason": "reorganisation", "filter": map[string]any{"position_level": "hamlet"}})
	after := startRun(e, ed, map[string]any{"exit_date": "2025-11-01", "reason": "reorganisation", "filter": map[string]any{"position_level": "hamlet"}})
	if before.Status != "succeeded" || after.Status != "succeeded" || after.PeopleTotal != before.PeopleTotal-1 {
		t.Fatalf("runs: before the leaving %d people, after %d", before.PeopleTotal, after.PeopleTotal)
	}
}

// A reorganisation moves and ends posts but changes nobody's status: after apply every person's periods
// are as before (and still agree with their record).
func TestAReorganisationLeavesStatusHistoriesAsTheyWere(t *testing.T) {
	e := newEnv(t)
	ids := seedReorg(t, e)
	ed := e.key(store.RoleProvinceEditor, "97")
	const two = "00000000-0000-4000-8000-000000000002"
	mustStatus(t, e.do("PATCH", "/v1/provinces/97/cadres/"+two, ed, map[string]any{"status": "left", "left_on": "2025-06-01"},
		"If-Match", `"1"`), http.StatusOK)
	body := map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": reorgMapping(),
		"hamlets": map[string]string{"HC": "91002"}, "posts": map[string]string{ids["postC"]: "91001"}}
	mustStatus(t, e.do("POST", "/v1/provinces/97/reorganisations?mode=apply", ed, body), http.StatusCreated)
	e.wantHistory(ed, "97", "00000000-0000-4000-8000-000000000001", "active ..–..")
	e.wantHistory(ed, "97", two, "active ..–2025-05-31; left 2025-06-01–..")
	e.statusRowsAgree()
}
