package api

import (
	"strings"
	"testing"

	"communehr/internal/store"
)

// The newcomer steps of issue 11, with the real units of Quảng Ninh (province 22): the old ward 06661
// Phường Giếng Đáy (2025-03-01..2025-06-30) and the new 06661 Phường Việt Hưng (from 2025-07-01).

const qnPath = "/v1/provinces/22"

func quangNinh(t *testing.T) (*env, string) {
	e := newEnv(t)
	e.province("22", "Tỉnh Quảng Ninh")
	ed := e.key(store.RoleProvinceEditor, "22")
	mustStatus(t, e.do("POST", qnPath+"/communes", ed, map[string]any{"code": "06661", "name": "Phường Việt Hưng", "kind": "phuong",
		"class": 1, "effective_from": "2025-07-01"}), 201)
	return e, ed
}

func (e *env) uploadTo(path, token, query, csv string) importJobResponse {
	e.t.Helper()
	r := e.doRaw("POST", path+"/imports?"+query, token, "text/csv", []byte(csv))
	var j importJobResponse
	r.json(e.t, &j)
	return j
}

func TestOldAndNewQuangNinhUnitsLiveSideBySide(t *testing.T) {
	t.Parallel()
	e, ed := quangNinh(t)
	// The old unit is another unit: inserted, never an update of the new one.
	old := "code,name,kind,class,effective_from,effective_to\n06661,Phường Giếng Đáy,phuong,2,2025-03-01,2025-06-30\n"
	j := e.uploadTo(qnPath, ed, "kind=communes", old)
	if j.Status != "succeeded" || j.RowsInserted != 1 || j.RowsUpdated != 0 {
		t.Fatalf("old unit import %+v", j)
	}
	get := func(path string) communeResponse {
		t.Helper()
		r := e.do("GET", qnPath+"/communes/"+path, ed, nil)
		mustStatus(t, r, 200)
		var c communeResponse
		r.json(t, &c)
		return c
	}
	if c := get("06661"); c.Name != "Phường Việt Hưng" || c.UnitID != "06661@2025-07-01" || c.Class != 1 {
		t.Fatalf("today's 06661: %+v", c)
	}
	if c := get("06661?as_of=2025-05-01"); c.Name != "Phường Giếng Đáy" || c.EffectiveTo == nil ||
		c.EffectiveTo.Format(dateLayout) != "2025-06-30" || c.AsOf == nil || c.AsOf.Format(dateLayout) != "2025-05-01" {
		t.Fatalf("06661 as of 2025-05-01: %+v", c)
	}
	if c := get("06661@2025-03-01"); c.Name != "Phường Giếng Đáy" || c.UnitID != "06661@2025-03-01" {
		t.Fatalf("06661@2025-03-01: %+v", c)
	}
	if c := get("06661?effective_from=2025-07-01"); c.Name != "Phường Việt Hưng" {
		t.Fatalf("06661?effective_from=2025-07-01: %+v", c)
	}
	mustStatus(t, e.do("GET", qnPath+"/communes/06661?as_of=2024-01-01", ed, nil), 404)
	mustStatus(t, e.do("GET", qnPath+"/communes/06661@2025-13-01", ed, nil), 422)
	// Both maps in one list; in force on a date, one of them.
	r := e.do("GET", qnPath+"/communes", ed, nil)
	mustStatus(t, r, 200)
	var list communeList
	r.json(t, &list)
	if len(list.Items) != 2 {
		t.Fatalf("both maps: %+v", list.Items)
	}
	r = e.do("GET", qnPath+"/communes?active_on=2025-06-30", ed, nil)
	mustStatus(t, r, 200)
	list = communeList{}
	r.json(t, &list)
	if len(list.Items) != 1 || list.Items[0].Name != "Phường Giếng Đáy" {
		t.Fatalf("in force on 2025-06-30: %+v", list.Items)
	}

	// The same file again: unchanged. The old unit's row changed: an update of the old unit only.
	if j := e.uploadTo(qnPath, ed, "kind=communes", old); j.RowsUnchanged != 1 || j.RowsInserted+j.RowsUpdated != 0 {
		t.Fatalf("re-import %+v", j)
	}
	if j := e.uploadTo(qnPath, ed, "kind=communes", strings.Replace(old, ",2,", ",3,", 1)); j.RowsUpdated != 1 {
		t.Fatalf("update of the old unit %+v", j)
	}
	if c := get("06661"); c.Name != "Phường Việt Hưng" || c.Class != 1 || c.Version != 1 {
		t.Fatalf("the new unit was touched: %+v", c)
	}
	// A period overlapping the new unit's: refused, naming the unit and both periods (import and API alike).
	overlap := "code,name,kind,class,effective_from,effective_to\n06661,Phường Giếng Đáy,phuong,2,2025-03-01,2025-07-15\n"
	j = e.uploadTo(qnPath, ed, "kind=communes", overlap)
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Code != "period_overlap" || j.Errors[0].Line != 2 ||
		!strings.Contains(j.Errors[0].Message, "Phường Việt Hưng") || !strings.Contains(j.Errors[0].Message, "2025-07-01") {
		t.Fatalf("overlapping import %+v", j)
	}
	r = e.do("POST", qnPath+"/communes", ed, map[string]any{"code": "06661", "name": "Phường Giếng Đáy", "kind": "phuong",
		"class": 2, "effective_from": "2024-01-01", "effective_to": "2025-07-01"})
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "/effective_from" || p.Errors[0].Code != "period_overlap" ||
		!strings.Contains(p.Errors[0].Message, "Phường Giếng Đáy (2025-03-01..2025-06-30)") {
		t.Fatalf("overlapping create: %s", r.Body)
	}
	// Lineage: the old unit became the new one (its own code), with coverage; read from both ends.
	e.exec(`INSERT INTO commune_lineage (province_code, from_code, from_effective, to_code, to_effective, coverage)
		VALUES ('22', '06661', '2025-03-01', '06661', '2025-07-01', 'full')`)
	c := get("06661@2025-03-01")
	if c.Successors == nil || len(*c.Successors) != 1 || (*c.Successors)[0].UnitID != "06661@2025-07-01" || (*c.Successors)[0].Coverage != "full" {
		t.Fatalf("successors %+v", c.Successors)
	}
	c = get("06661")
	if c.Predecessors == nil || len(*c.Predecessors) != 1 || (*c.Predecessors)[0].Name != "Phường Giếng Đáy" {
		t.Fatalf("predecessors %+v", c.Predecessors)
	}
	// A historic unit is changed by its own address, never the new one.
	r = e.do("PATCH", qnPath+"/communes/06661@2025-03-01", ed, map[string]any{"population": 9000}, "If-Match", `"2"`)
	mustStatus(t, r, 200)
	if c := get("06661"); c.Population != nil {
		t.Fatalf("PATCH of the old unit reached the new one: %+v", c)
	}
}

func TestAPostOutsideItsUnitsLifeIsRefusedAndFlagged(t *testing.T) {
	t.Parallel()
	e, ed := quangNinh(t)
	e.exec(`INSERT INTO communes (province_code, code, name, kind, class, effective_from, effective_to)
		VALUES ('22', '06661', 'Phường Giếng Đáy', 'phuong', 2, '2025-03-01', '2025-06-30')`)
	id := e.mustCreateCadre(ed, "22", cadreBody("022085123456", "Nguyễn Văn Hải", "male", "1985-03-02"))
	base := qnPath + "/cadres/" + id + "/assignments"
	// From 2019 with no end, in the ward that ended on 2025-06-30: refused, naming both periods.
	r := e.do("POST", base, ed, post("pho_bi_thu_doan", "commune_code", "06661", "2019-01-01", "commune_from", "2025-03-01"))
	mustStatus(t, r, 422)
	p := r.problem(t).Errors[0]
	if p.Pointer != "/start_date" || p.Code != "outside_unit_life" || !strings.Contains(p.Message, "2019-01-01..") ||
		!strings.Contains(p.Message, "2025-03-01..2025-06-30") || !strings.Contains(p.Message, "Phường Giếng Đáy") {
		t.Fatalf("post outside its unit's life: %+v", p)
	}
	r = e.do("POST", base, ed, post("pho_bi_thu_doan", "commune_code", "06661", "2025-04-01", "commune_from", "2025-03-01"), "Accept-Language", "vi")
	mustStatus(t, r, 422)
	if p := r.problem(t).Errors[0]; p.Pointer != "/end_date" || !strings.Contains(p.Message, "thời gian tồn tại") {
		t.Fatalf("open-ended post in a closed unit: %+v", p)
	}
	mustStatus(t, e.do("POST", base, ed, post("pho_bi_thu_doan", "commune_code", "06661", "2025-04-01", "commune_from", "2025-03-01",
		"end_date", "2025-06-30")), 201)
	// The import says the same, on the row's line and column.
	csv := "national_id,position_code,commune_code,start_date\n022085123456,pho_chu_tich_mttq,06661,2019-01-01\n"
	j := e.uploadTo(qnPath, ed, "kind=assignments", csv)
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Code != "outside_unit_life" || j.Errors[0].Column != "start_date" ||
		!strings.Contains(j.Errors[0].Message, "2025-03-01..2025-06-30") {
		t.Fatalf("import of a post outside its unit's life: %+v", j)
	}
	// A post recorded before this rule (held on after its unit ended) is flagged by the report, not dropped,
	// and never paid in the new unit of the same code.
	e.exec(`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, commune_from, start_date)
		VALUES ('22', '` + id + `', 'pho_chu_tich_mttq', '06661', '2025-03-01', '2019-01-01')`)
	r = e.do("GET", qnPath+"/allowances?as_of=2025-07-15", ed, nil)
	mustStatus(t, r, 200)
	var rep allowanceReport
	r.json(t, &rep)
	if len(rep.FlaggedPosts) != 1 || rep.FlaggedPosts[0].Reason != "outside_unit_life" || rep.Totals.PostsFilled != 0 {
		t.Fatalf("report of 2025-07-15: flagged %+v, totals %+v", rep.FlaggedPosts, rep.Totals)
	}
	// After the legal end of commune-level posts (2025-07-31), such posts are not paid nationally either.
	op := e.key(store.RoleOperator, "")
	r = e.do("GET", "/v1/national/summary?as_of=2025-08-15", op, nil)
	mustStatus(t, r, 200)
	var ns nationalSummary
	r.json(t, &ns)
	for _, l := range ns.Country.People {
		if l.Level == "commune" && (l.Posts != 0 || !l.Paid.IsZero()) {
			t.Fatalf("national summary of 2025-08-15 pays commune-level posts: %+v", ns.Country.People)
		}
	}
}

func TestTwoHeadsOfOneHamletAreRefused(t *testing.T) {
	t.Parallel()
	e, ed := quangNinh(t)
	e.exec(`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from)
		VALUES ('22', 'VH01', '06661', 'Khu 1', 'to_dan_pho', 300, '2025-07-01')`)
	a := e.mustCreateCadre(ed, "22", cadreBody("022085123456", "Nguyễn Văn Hải", "male", "1985-03-02"))
	b := e.mustCreateCadre(ed, "22", cadreBody("022190654321", "Trần Thị Lan", "female", "1990-05-06"))
	mustStatus(t, e.do("POST", qnPath+"/cadres/"+a+"/assignments", ed, post("truong_thon_to_truong", "hamlet_code", "VH01", "2025-07-01")), 201)
	r := e.do("POST", qnPath+"/cadres/"+b+"/assignments", ed, post("truong_thon_to_truong", "hamlet_code", "VH01", "2025-09-01"))
	mustStatus(t, r, 422)
	if p := r.problem(t).Errors[0]; p.Code != "too_many_holders" || !strings.Contains(p.Message, "Nguyễn Văn Hải") ||
		!strings.Contains(p.Message, "at most 1") {
		t.Fatalf("second head: %+v", p)
	}
	// The import refuses it too, row by row (the register's head, or an earlier line of the file).
	csv := "national_id,position_code,hamlet_code,start_date\n022190654321,truong_thon_to_truong,VH01,2025-09-01\n"
	j := e.uploadTo(qnPath, ed, "kind=assignments", csv)
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Code != "too_many_holders" || !strings.Contains(j.Errors[0].Message, "Nguyễn Văn Hải") {
		t.Fatalf("import of a second head: %+v", j)
	}
	// After the first head's term ends, the second may follow.
	r = e.do("GET", qnPath+"/cadres/"+a+"/assignments", ed, nil)
	var l struct {
		Items []assignmentResponse `json:"items"`
	}
	r.json(t, &l)
	mustStatus(t, e.do("PATCH", qnPath+"/cadres/"+a+"/assignments/"+l.Items[0].ID, ed, map[string]any{"end_date": "2025-08-31"}, "If-Match", `"1"`), 200)
	mustStatus(t, e.do("POST", qnPath+"/cadres/"+b+"/assignments", ed, post("truong_thon_to_truong", "hamlet_code", "VH01", "2025-09-01")), 201)
}

func TestHouseholdsChangingOverTimeChangeTheCategoryOnTheirDate(t *testing.T) {
	t.Parallel()
	e, ed := quangNinh(t)
	// A rural hamlet at 300 households from 2024-01-01 (its commune unit since 2020), 400 from 2026-01-01.
	e.exec(`INSERT INTO communes (province_code, code, name, kind, class, effective_from) VALUES ('22', '07000', 'Xã Hạ Long', 'xa', 2, '2020-01-01')`)
	mustStatus(t, e.do("POST", qnPath+"/hamlets", ed, map[string]any{"code": "HL01", "commune_code": "07000", "name": "Thôn 1",
		"kind": "thon", "households": 300, "effective_from": "2024-01-01"}), 201)
	r := e.do("PATCH", qnPath+"/hamlets/HL01", ed, map[string]any{"households": 400, "changes_from": "2026-01-01"}, "If-Match", `"1"`)
	mustStatus(t, r, 200)
	// History is written forwards: a dated change before the latest recorded one is refused, naming it.
	r = e.do("PATCH", qnPath+"/hamlets/HL01", ed, map[string]any{"households": 350, "changes_from": "2025-01-01"}, "If-Match", `"2"`)
	mustStatus(t, r, 422)
	if p := r.problem(t).Errors[0]; p.Pointer != "/changes_from" || !strings.Contains(p.Message, "2026-01-01") {
		t.Fatalf("change before the latest: %+v", p)
	}
	e.exec(`INSERT INTO allowance_schedules (province_code, position_code, hamlet_fund_category, effective_from, coefficient, resolution)
		VALUES ('22', 'truong_thon_to_truong', '', '2024-01-01', 1.2, 'NQ 1')`)
	op := e.key(store.RoleOperator, "")
	for _, c := range []struct {
		asOf, category string
		households     int
	}{{"2025-12-31", "4.5", 300}, {"2026-01-02", "6.0", 400}} {
		r := e.do("GET", qnPath+"/hamlets/HL01?as_of="+c.asOf, ed, nil)
		mustStatus(t, r, 200)
		var h hamletResponse
		r.json(t, &h)
		if h.Households != c.households || h.FundCategory != c.category {
			t.Errorf("GET as of %s: %d households, category %s", c.asOf, h.Households, h.FundCategory)
		}
		r = e.do("GET", qnPath+"/hamlets?as_of="+c.asOf, ed, nil)
		var hl hamletList
		r.json(t, &hl)
		if len(hl.Items) != 1 || hl.Items[0].FundCategory != c.category {
			t.Errorf("list as of %s: %+v", c.asOf, hl.Items)
		}
		r = e.do("GET", qnPath+"/allowances?as_of="+c.asOf, ed, nil)
		mustStatus(t, r, 200)
		var rep allowanceReport
		r.json(t, &rep)
		var hl01 *hamletAllowance
		for i := range rep.Communes {
			for j := range rep.Communes[i].Hamlets {
				hl01 = &rep.Communes[i].Hamlets[j]
			}
		}
		if hl01 == nil || hl01.Category == nil || *hl01.Category != c.category || hl01.Households != c.households {
			t.Errorf("report as of %s: %+v", c.asOf, rep.Communes)
		}
		r = e.do("GET", qnPath+"/hamlets/HL01/allowances?as_of="+c.asOf, ed, nil)
		mustStatus(t, r, 200)
		if !strings.Contains(string(r.Body), `"category":"`+c.category+`"`) {
			t.Errorf("hamlet fund as of %s: %s", c.asOf, r.Body)
		}
		r = e.do("GET", "/v1/national/summary?as_of="+c.asOf, op, nil)
		mustStatus(t, r, 200)
		var ns nationalSummary
		r.json(t, &ns)
		if len(ns.Country.Hamlets) != 1 || ns.Country.Hamlets[0].Category != c.category {
			t.Errorf("national summary as of %s: %+v", c.asOf, ns.Country.Hamlets)
		}
	}
}

// Issue 11 item 6: a person whose post moved from the old unit to its successor on 2025-07-01 (the old post
// ends on 2025-06-30, the new one starts the next day, each inside its own unit's life) keeps one
// continuous working time: the same months and periods as one unbroken post.
func TestAWorkHistorySurvivesTheMerger(t *testing.T) {
	t.Parallel()
	e, ed := quangNinh(t)
	e.exec(`INSERT INTO communes (province_code, code, name, kind, class, effective_from, effective_to)
		VALUES ('22', '06661', 'Phường Giếng Đáy', 'phuong', 2, '2015-01-01', '2025-06-30'),
		       ('22', '06670', 'Phường Bãi Cháy', 'phuong', 1, '2015-01-01', NULL)`)
	e.exec(`INSERT INTO allowance_schedules (province_code, position_code, hamlet_fund_category, effective_from, coefficient, resolution)
		VALUES ('22', 'pho_bi_thu_doan', '', '2019-01-01', 1.0, 'NQ 1')`)
	moved := e.mustCreateCadre(ed, "22", cadreBody("022085123456", "Nguyễn Văn Hải", "male", "1985-03-02"))
	stayed := e.mustCreateCadre(ed, "22", cadreBody("022085654321", "Lê Văn Nam", "male", "1985-03-02"))
	mustStatus(t, e.do("POST", qnPath+"/cadres/"+moved+"/assignments", ed, post("pho_bi_thu_doan", "commune_code", "06661",
		"2019-01-01", "commune_from", "2015-01-01", "end_date", "2025-06-30")), 201)
	mustStatus(t, e.do("POST", qnPath+"/cadres/"+moved+"/assignments", ed, post("pho_bi_thu_doan", "commune_code", "06661",
		"2025-07-01", "commune_from", "2025-07-01")), 201)
	mustStatus(t, e.do("POST", qnPath+"/cadres/"+stayed+"/assignments", ed, post("pho_bi_thu_doan", "commune_code", "06670",
		"2019-01-01")), 201)
	body := map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"}
	var outs [2]entitlementResponse
	for i, id := range []string{moved, stayed} {
		r := e.do("POST", qnPath+"/cadres/"+id+"/entitlements", ed, body)
		mustStatus(t, r, 200)
		r.json(t, &outs[i])
	}
	m, s := outs[0], outs[1]
	// 2019-01-01 → 2025-08-01: 79 months in one period, for both.
	if m.Context.Work.Months != 79 || m.Context.Work.Periods != 1 || s.Context.Work.Months != 79 {
		t.Fatalf("work: moved %+v, stayed %+v", m.Context.Work, s.Context.Work)
	}
	if m.Result.Chosen != s.Result.Chosen || !m.Result.Total.Equal(s.Result.Total) {
		t.Fatalf("moved %s %s, stayed %s %s", m.Result.Chosen, m.Result.Total, s.Result.Chosen, s.Result.Total)
	}
}

// A commune's class changes from a date: reads as of an earlier date see the earlier class.
func TestACommunesClassChangesOnItsDate(t *testing.T) {
	t.Parallel()
	e, ed := quangNinh(t)
	mustStatus(t, e.do("POST", qnPath+"/communes", ed, map[string]any{"code": "07000", "name": "Xã Hạ Long", "kind": "xa",
		"class": 2, "population": 9000, "effective_from": "2020-01-01"}), 201)
	r := e.do("PATCH", qnPath+"/communes/07000", ed, map[string]any{"class": 1, "population": 12000, "changes_from": "2023-01-01"},
		"If-Match", `"1"`)
	mustStatus(t, r, 200)
	mustStatus(t, e.do("PATCH", qnPath+"/communes/07000", ed, map[string]any{"class": 3, "changes_from": "2019-01-01"}, "If-Match", `"2"`), 422)
	for _, c := range []struct {
		q     string
		class int
	}{{"?as_of=2022-06-01", 2}, {"?as_of=2023-01-01", 1}, {"", 1}} {
		r := e.do("GET", qnPath+"/communes/07000"+c.q, ed, nil)
		mustStatus(t, r, 200)
		var cr communeResponse
		r.json(t, &cr)
		if cr.Class != c.class {
			t.Errorf("GET%s: class %d, want %d", c.q, cr.Class, c.class)
		}
	}
	r = e.do("GET", qnPath+"/communes?active_on=2022-06-01", ed, nil)
	var l communeList
	r.json(t, &l)
	if len(l.Items) != 1 || l.Items[0].Class != 2 || *l.Items[0].Population != 9000 {
		t.Fatalf("list in force on 2022-06-01: %+v", l.Items)
	}
}
