package api

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"communehr/internal/demo"
	"communehr/internal/refdata"
	"communehr/internal/store"
)

type reorgBody struct {
	Mode        string `json:"mode"`
	ID          string `json:"reorganisation_id"`
	Repeated    bool   `json:"repeated"`
	UnitsClosed []struct {
		Code       string `json:"code"`
		Already    bool   `json:"already_recorded"`
		Successors []struct {
			Code     string `json:"code"`
			Coverage string `json:"coverage"`
		} `json:"successors"`
	} `json:"units_closed"`
	UnitsCreated []struct {
		Code    string `json:"code"`
		Already bool   `json:"already_recorded"`
	} `json:"units_created"`
	HamletsMoved []struct {
		HamletCode string `json:"hamlet_code"`
		ToUnit     string `json:"to_unit"`
	} `json:"hamlets_moved"`
	PostsMoved     []reorgPost `json:"posts_moved"`
	PostsEnded     []reorgPost `json:"posts_ended"`
	PeopleAffected []struct {
		CadreID  string    `json:"cadre_id"`
		Post     reorgPost `json:"post"`
		BestExit struct {
			Policy string          `json:"policy"`
			Total  decimal.Decimal `json:"total"`
			Reason string          `json:"reason"`
		} `json:"best_exit"`
	} `json:"people_affected"`
	NeedsAnswer []struct {
		Kind string `json:"kind"`
		ID   string `json:"id"`
	} `json:"needs_answer"`
	FundsBefore   reorgFunds      `json:"funds_before"`
	FundsAfter    reorgFunds      `json:"funds_after"`
	ExitCostTotal decimal.Decimal `json:"exit_cost_total"`
}

// Done when: for every one of the 34 provinces, loading the reference data and previewing the 2025 merger
// succeeds, and the preview's unit counts equal the reference data's. One database for all 34.
func TestNationalMergerPreviewEveryProvince(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	op := e.key(store.RoleOperator, "")
	d, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": "national-2025"}
	for _, code := range d.Provinces() {
		rp, _ := d.Province(code)
		r := e.do("POST", "/v1/provinces/"+code+"/reference-units", op, nil)
		mustStatus(t, r, 201)
		r = e.do("POST", "/v1/provinces/"+code+"/reorganisations?mode=preview", op, body)
		mustStatus(t, r, 200)
		var b reorgBody
		r.json(t, &b)
		if len(b.UnitsClosed) != len(rp.UnitsPre) || len(b.UnitsCreated) != len(rp.Units2025) {
			t.Errorf("%s %s: preview closes %d and creates %d units, reference data has %d pre-2025 and %d of 2025",
				code, rp.Name, len(b.UnitsClosed), len(b.UnitsCreated), len(rp.UnitsPre), len(rp.Units2025))
		}
		links := 0
		for _, u := range b.UnitsClosed {
			links += len(u.Successors)
			if !u.Already {
				t.Errorf("%s: unit %s is not recorded closed after the load", code, u.Code)
			}
		}
		if links != len(rp.Links) {
			t.Errorf("%s: %d links in the preview, %d in the reference data", code, links, len(rp.Links))
		}
	}
	// After the load the register already records the whole merger: an apply writes nothing and says so (200).
	r := e.do("POST", "/v1/provinces/22/reorganisations?mode=apply", e.key(store.RoleProvinceEditor, "22"), body)
	mustStatus(t, r, 200)
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM reorganisations`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d reorganisations recorded (%v), want none", n, err)
	}
}

// seedReorg records a small province (97) with three old units, two hamlets, and three people:
// a commune-level post in A (goes whole into N1), a hamlet head in hA (A's hamlet), a commune-level post
// in C (split between N1 and N2), and C's hamlet hC.
func seedReorg(t *testing.T, e *env) map[string]string {
	t.Helper()
	e.province("97", "Tỉnh Thử Nghiệm")
	stmts := []string{
		`INSERT INTO communes (province_code, code, name, kind, class, effective_from) VALUES
			('97', '90001', 'Xã A', 'xa', 1, '2010-01-01'), ('97', '90002', 'Xã B', 'xa', 2, '2010-01-01'),
			('97', '90003', 'Xã C', 'xa', 3, '2010-01-01')`,
		`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from) VALUES
			('97', 'HA', '90001', 'Thôn A', 'thon', 400, '2010-01-01'), ('97', 'HC', '90003', 'Thôn C', 'thon', 120, '2010-01-01')`,
		`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months) VALUES
			('97', '00000000-0000-4000-8000-000000000001', '097070000001', 'Nguyễn Văn Một', 'male', '1970-03-01', 120),
			('97', '00000000-0000-4000-8000-000000000002', '097180000002', 'Trần Thị Hai', 'female', '1980-05-01', 60),
			('97', '00000000-0000-4000-8000-000000000003', '097075000003', 'Lê Văn Ba', 'male', '1975-07-01', 200)`,
		`INSERT INTO assignments (province_code, id, cadre_id, position_code, commune_code, hamlet_code, start_date) VALUES
			('97', '00000000-0000-4000-9000-000000000001', '00000000-0000-4000-8000-000000000001', 'van_phong_dang_uy', '90001', NULL, '2019-01-01'),
			('97', '00000000-0000-4000-9000-000000000002', '00000000-0000-4000-8000-000000000002', 'truong_thon_to_truong', NULL, 'HA', '2020-01-01'),
			('97', '00000000-0000-4000-9000-000000000003', '00000000-0000-4000-8000-000000000003', 'pho_chu_tich_hoi_nong_dan', '90003', NULL, '2018-01-01')`,
	}
	for _, s := range stmts {
		if _, err := e.admin.Exec(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", firstLine(s), err)
		}
	}
	return map[string]string{"postA": "00000000-0000-4000-9000-000000000001", "postC": "00000000-0000-4000-9000-000000000003"}
}

func reorgMapping() []map[string]string {
	return []map[string]string{
		{"old": "90001", "new": "91001", "coverage": "full", "new_name": "Xã Mới Một", "new_kind": "xa"},
		{"old": "90002", "new": "91001", "coverage": "full"},
		{"old": "90003", "new": "91001", "coverage": "partial"},
		{"old": "90003", "new": "91002", "coverage": "partial", "new_name": "Xã Mới Hai", "new_kind": "xa"},
	}
}

// A commune merger with a split: the preview writes nothing and asks about the split unit's hamlet and
// post; apply refuses to guess (422 naming both); with the answers it closes, creates, moves and ends in
// one transaction, each person's best exit as the entitlement endpoint computes it; a repeat is 200.
func TestCommuneReorganisationPreviewAndApply(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := seedReorg(t, e)
	ed, viewer, ministry := e.key(store.RoleProvinceEditor, "97"), e.key(store.RoleProvinceViewer, "97"), e.key(store.RoleMinistry, "")
	body := map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": reorgMapping()}

	var pv reorgBody
	for _, tok := range []string{viewer, ministry, ed} {
		r := e.do("POST", "/v1/provinces/97/reorganisations?mode=preview", tok, body)
		mustStatus(t, r, 200)
		r.json(t, &pv)
	}
	if len(pv.UnitsClosed) != 3 || len(pv.UnitsCreated) != 2 || len(pv.NeedsAnswer) != 2 {
		t.Fatalf("preview: closed %d, created %d, questions %+v", len(pv.UnitsClosed), len(pv.UnitsCreated), pv.NeedsAnswer)
	}
	if len(pv.PeopleAffected) != 1 || pv.PeopleAffected[0].Post.AssignmentID != ids["postA"] {
		t.Fatalf("people affected %+v, want the holder of A's commune-level post", pv.PeopleAffected)
	}
	if !pv.ExitCostTotal.Equal(pv.PeopleAffected[0].BestExit.Total) || pv.PeopleAffected[0].BestExit.Policy == "" {
		t.Errorf("exit cost %s, best exit %+v", pv.ExitCostTotal, pv.PeopleAffected[0].BestExit)
	}
	if reason := pv.PeopleAffected[0].BestExit.Reason; reason == "" || strings.HasPrefix(reason, "{") || strings.Contains(reason, `"vi"`) {
		t.Errorf("the best exit's reason %q is not a sentence in the request's language", reason)
	}
	if pv.FundsBefore.CommuneFund.IsZero() || len(pv.FundsBefore.Communes) != 3 || len(pv.FundsAfter.Communes) != 2 {
		t.Errorf("funds before %+v after %+v", pv.FundsBefore, pv.FundsAfter)
	}
	// The same best exit as POST cadres/{id}/entitlements on the same exit.
	var ent struct {
		Result struct {
			Chosen string          `json:"chosen"`
			Total  decimal.Decimal `json:"total"`
		} `json:"result"`
	}
	r := e.do("POST", "/v1/provinces/97/cadres/00000000-0000-4000-8000-000000000001/entitlements", ed,
		map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"})
	mustStatus(t, r, 200)
	r.json(t, &ent)
	if ent.Result.Chosen != pv.PeopleAffected[0].BestExit.Policy || !ent.Result.Total.Equal(pv.PeopleAffected[0].BestExit.Total) {
		t.Errorf("preview best exit %+v, entitlement endpoint %+v", pv.PeopleAffected[0].BestExit, ent.Result)
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM communes WHERE province_code = '97'`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("preview wrote: %d units (%v)", n, err)
	}

	mustStatus(t, e.do("POST", "/v1/provinces/97/reorganisations?mode=apply", viewer, body), 403)
	r = e.do("POST", "/v1/provinces/97/reorganisations?mode=apply", ed, body)
	mustStatus(t, r, 422)
	p := r.problem(t)
	ptrs := map[string]bool{}
	for _, f := range p.Errors {
		ptrs[f.Pointer] = true
	}
	if !ptrs["/hamlets/HC"] || !ptrs["/posts/"+ids["postC"]] {
		t.Fatalf("422 pointers %v, want the split unit's hamlet and post", ptrs)
	}

	body["hamlets"] = map[string]string{"HC": "91002"}
	body["posts"] = map[string]string{ids["postC"]: "91001"}
	r = e.do("POST", "/v1/provinces/97/reorganisations?mode=apply", ed, body)
	mustStatus(t, r, 201)
	var ap reorgBody
	r.json(t, &ap)
	if ap.ID == "" || len(ap.PeopleAffected) != 2 || len(ap.HamletsMoved) != 2 {
		t.Fatalf("apply: %s", r.Body)
	}
	checks := []struct {
		name, sql string
		want      int
	}{
		{"old units closed on 2025-06-30", `SELECT count(*) FROM communes WHERE province_code = '97' AND code LIKE '9000%' AND effective_to = '2025-06-30'`, 3},
		{"new units from 2025-07-01", `SELECT count(*) FROM communes WHERE province_code = '97' AND code LIKE '9100%' AND effective_from = '2025-07-01'`, 2},
		{"lineage", `SELECT count(*) FROM commune_lineage WHERE province_code = '97'`, 4},
		{"hamlet HC in 91002", `SELECT count(*) FROM hamlets WHERE province_code = '97' AND code = 'HC' AND commune_code = '91002'`, 1},
		{"hamlet HA in 91001", `SELECT count(*) FROM hamlets WHERE province_code = '97' AND code = 'HA' AND commune_code = '91001'`, 1},
		{"old commune posts end 2025-06-30", `SELECT count(*) FROM assignments WHERE province_code = '97' AND commune_code LIKE '9000%' AND end_date = '2025-06-30'`, 2},
		{"continued to the legal end", `SELECT count(*) FROM assignments WHERE province_code = '97' AND commune_code = '91001' AND start_date = '2025-07-01' AND end_date = '2025-07-31'`, 2},
		{"hamlet head untouched", `SELECT count(*) FROM assignments WHERE province_code = '97' AND hamlet_code = 'HA' AND end_date IS NULL`, 1},
		{"one audit row", `SELECT count(*) FROM audit_log WHERE province_code = '97' AND entity = 'reorganisation'`, 1},
	}
	for _, c := range checks {
		if err := e.admin.QueryRow(t.Context(), c.sql).Scan(&n); err != nil || n != c.want {
			t.Errorf("%s: %d (%v), want %d", c.name, n, err, c.want)
		}
	}
	r = e.do("POST", "/v1/provinces/97/reorganisations?mode=apply", ed, body)
	mustStatus(t, r, 200)
	var again reorgBody
	r.json(t, &again)
	if !again.Repeated || again.ID != ap.ID {
		t.Errorf("repeat: %s", r.Body)
	}
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM assignments WHERE province_code = '97'`).Scan(&n); err != nil || n != 5 {
		t.Errorf("%d posts after the repeat (%v), want 5", n, err)
	}
}

// A hamlet merger: HB (150 households) goes whole into HA (400); two heads for one hamlet need an answer,
// the answer "end" ends HB's head with a best exit; HA counts 550 households from the date, 400 before.
func TestHamletMergerRecomputesTheFund(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedReorg(t, e)
	stmts := []string{
		`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from) VALUES ('97', 'HB', '90001', 'Thôn B', 'thon', 150, '2010-01-01')`,
		`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months) VALUES
			('97', '00000000-0000-4000-8000-000000000004', '097072000004', 'Phạm Văn Bốn', 'male', '1972-01-01', 100)`,
		`INSERT INTO assignments (province_code, id, cadre_id, position_code, hamlet_code, start_date) VALUES
			('97', '00000000-0000-4000-9000-000000000004', '00000000-0000-4000-8000-000000000004', 'truong_thon_to_truong', 'HB', '2015-01-01')`,
	}
	for _, s := range stmts {
		if _, err := e.admin.Exec(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	ed := e.key(store.RoleProvinceEditor, "97")
	body := map[string]any{"effective_date": "2026-01-01", "level": "hamlet",
		"mapping": []map[string]string{{"old": "HB", "new": "HA", "coverage": "full"}}}
	r := e.do("POST", "/v1/provinces/97/reorganisations?mode=preview", ed, body)
	mustStatus(t, r, 200)
	var pv reorgBody
	r.json(t, &pv)
	if len(pv.NeedsAnswer) != 1 || pv.NeedsAnswer[0].ID != "00000000-0000-4000-9000-000000000004" {
		t.Fatalf("questions %+v, want HB's head (HA has one)", pv.NeedsAnswer)
	}
	mustStatus(t, e.do("POST", "/v1/provinces/97/reorganisations?mode=apply", ed, body), 422)
	body["posts"] = map[string]string{"00000000-0000-4000-9000-000000000004": "end"}
	r = e.do("POST", "/v1/provinces/97/reorganisations?mode=apply", ed, body)
	mustStatus(t, r, 201)
	var ap reorgBody
	r.json(t, &ap)
	if len(ap.PeopleAffected) != 1 || ap.ExitCostTotal.IsZero() != ap.PeopleAffected[0].BestExit.Total.IsZero() {
		t.Errorf("people %+v, cost %s", ap.PeopleAffected, ap.ExitCostTotal)
	}
	if len(ap.FundsAfter.Hamlets) == 0 || ap.FundsAfter.HamletFund.GreaterThan(ap.FundsBefore.HamletFund) {
		t.Errorf("funds before %+v after %+v: one merged hamlet costs no more than two", ap.FundsBefore, ap.FundsAfter)
	}
	for _, c := range []struct{ asOf, want string }{{"2025-12-31", "400"}, {"2026-01-02", "550"}} {
		r := e.do("GET", "/v1/provinces/97/hamlets/HA?as_of="+c.asOf, ed, nil)
		mustStatus(t, r, 200)
		if !strings.Contains(string(r.Body), `"households":`+c.want) {
			t.Errorf("HA on %s: %s, want %s households", c.asOf, r.Body, c.want)
		}
	}
	var to string
	if err := e.admin.QueryRow(t.Context(), `SELECT effective_to::text || ' ' || successor_code FROM hamlets WHERE province_code = '97' AND code = 'HB'`).Scan(&to); err != nil || to != "2025-12-31 HA" {
		t.Errorf("HB: %q (%v)", to, err)
	}
}

// A mapping uploaded as CSV previews the same as the JSON one; a bad line is pointed at.
func TestReorganisationCSVMapping(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedReorg(t, e)
	ed := e.key(store.RoleProvinceEditor, "97")
	csv := "old,new,coverage,new_name,new_kind\n90001,91001,full,Xã Mới Một,xa\n90002,91001,full,,\n"
	r := e.do("POST", "/v1/provinces/97/reorganisations?mode=preview&effective_date=2025-07-01&level=commune", ed, rawBody{"text/csv", []byte(csv)})
	mustStatus(t, r, 200)
	var pv reorgBody
	r.json(t, &pv)
	if len(pv.UnitsClosed) != 2 || len(pv.UnitsCreated) != 1 {
		t.Errorf("csv preview: %s", r.Body)
	}
	r = e.do("POST", "/v1/provinces/97/reorganisations?mode=preview&effective_date=2025-07-01&level=commune", ed,
		rawBody{"text/csv", []byte("old,new,coverage\n90001,91001,most\n")})
	mustStatus(t, r, 422)
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Pointer != "/lines/2/coverage" {
		t.Errorf("problem %+v, want line 2's coverage", p)
	}
}

// The demo's real province (make run): 08 Tuyên Quang with the old Hà Giang units and synthetic people
// before 2025-07-01; the printed one-curl preview answers with people, best exits, questions and funds.
func TestDemoProvincePreview(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := demo.SeedReference(t.Context(), e.st); err != nil {
		t.Fatal(err)
	}
	d, _ := refdata.Load()
	rp, _ := d.Province(demo.ReferenceProvince)
	r := e.do("POST", "/v1/provinces/08/reorganisations?mode=preview", e.key(store.RoleProvinceViewer, "08"),
		map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": "national-2025"})
	mustStatus(t, r, 200)
	var b reorgBody
	r.json(t, &b)
	if len(b.UnitsClosed) != len(rp.UnitsPre) || len(b.PeopleAffected) == 0 || len(b.NeedsAnswer) == 0 ||
		!b.ExitCostTotal.IsPositive() || len(b.HamletsMoved) == 0 || len(b.FundsBefore.Hamlets) == 0 {
		t.Errorf("demo preview: closed %d, people %d, questions %d, cost %s, hamlets moved %d",
			len(b.UnitsClosed), len(b.PeopleAffected), len(b.NeedsAnswer), b.ExitCostTotal, len(b.HamletsMoved))
	}
	// Idempotent: a second seed changes nothing.
	s, err := demo.SeedReference(t.Context(), e.st)
	if err != nil || s.Outcome != "already present" {
		t.Errorf("second seed: %+v %v", s, err)
	}
}

// Malformed or impossible requests are 422s with a pointer, never a 500, and write nothing.
func TestReorganisationRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedReorg(t, e)
	ed := e.key(store.RoleProvinceEditor, "97")
	six := []map[string]string{}
	for i := 0; i < 6; i++ {
		six = append(six, map[string]string{"old": "90001", "new": fmt.Sprintf("9200%d", i), "coverage": "partial", "new_name": "Xã X", "new_kind": "xa"})
	}
	cases := []struct {
		name, query string
		body        any
		pointer     string
	}{
		{"no mode", "", map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": reorgMapping()}, "query/mode"},
		{"mapping of the wrong type", "?mode=preview", map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": 5}, "/mapping"},
		{"unknown built-in mapping", "?mode=preview", map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": "national-2030"}, "/mapping"},
		{"national mapping on another date", "?mode=preview", map[string]any{"effective_date": "2025-08-01", "level": "commune", "mapping": "national-2025"}, "/mapping"},
		{"bad date", "?mode=preview", map[string]any{"effective_date": "2025-02-30", "level": "commune", "mapping": reorgMapping()}, "/effective_date"},
		{"bad level", "?mode=preview", map[string]any{"effective_date": "2025-07-01", "level": "district", "mapping": reorgMapping()}, "/level"},
		{"bad coverage", "?mode=preview", map[string]any{"effective_date": "2025-07-01", "level": "commune",
			"mapping": []map[string]string{{"old": "90001", "new": "91001", "coverage": "most"}}}, "/mapping/0/coverage"},
		{"unknown old unit", "?mode=preview", map[string]any{"effective_date": "2025-07-01", "level": "commune",
			"mapping": []map[string]string{{"old": "12345", "new": "91001", "coverage": "full", "new_name": "Xã Mới", "new_kind": "xa"}}}, "/mapping/12345"},
		{"new unit without a name", "?mode=preview", map[string]any{"effective_date": "2025-07-01", "level": "commune",
			"mapping": []map[string]string{{"old": "90001", "new": "91001", "coverage": "full"}}}, "/mapping/91001"},
		{"six successors", "?mode=preview", map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": six}, "/mapping/90001"},
		{"unknown field", "?mode=preview", map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": reorgMapping(), "extra": 1}, "/extra"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.sub(t).do("POST", "/v1/provinces/97/reorganisations"+c.query, ed, c.body)
			if r.Status != 422 && r.Status != 400 {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			p := r.problem(t)
			found := false
			for _, f := range p.Errors {
				found = found || f.Pointer == c.pointer
			}
			if !found {
				t.Errorf("pointers %+v, want %s", p.Errors, c.pointer)
			}
		})
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM communes WHERE province_code = '97'`).Scan(&n); err != nil || n != 3 {
		t.Errorf("%d units after refused requests (%v), want 3", n, err)
	}
}
