package api

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"communehr/internal/store"
)

// seedCadreHamlet adds a hamlet as the owner (the hamlets API is tested on its own).
func (e *env) seedCadreHamlet(code, commune, name string) {
	e.t.Helper()
	_, err := e.admin.Exec(e.t.Context(), `INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from)
		VALUES ('01', $1, $2, $3, 'thon', 400, DATE '2020-01-01')`, code, commune, name)
	if err != nil {
		e.t.Fatalf("seed hamlet %s: %v", code, err)
	}
}

// assignmentEnv is province 01 with commune 00004, its hamlets TD01 and TD02, an editor and one person.
func assignmentEnv(t *testing.T) (e *env, ed, base string) {
	e = newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed = e.key(store.RoleProvinceEditor, "01")
	seedCadreCommune(e, ed, "00004")
	e.seedCadreHamlet("TD01", "00004", "Thôn Đông")
	e.seedCadreHamlet("TD02", "00004", "Thôn Tây")
	id := e.mustCreateCadre(ed, "01", cadreBody(nidMale1985, "Nguyễn Văn An", "male", "1985-03-02"))
	return e, ed, "/v1/provinces/01/cadres/" + id + "/assignments"
}

func post(position, unitField, unit, start string, extra ...any) map[string]any {
	b := map[string]any{"position_code": position, unitField: unit, "start_date": start}
	for i := 0; i+1 < len(extra); i += 2 {
		b[extra[i].(string)] = extra[i+1]
	}
	return b
}

func TestAssignmentCRUD(t *testing.T) {
	t.Parallel()
	e, ed, base := assignmentEnv(t)
	// An elected-by-default post, elected not given: the default, and it says so.
	r := e.do("POST", base, ed, post("pho_chu_tich_mttq", "commune_code", "00004", "2024-01-01", "term_end", "2026-06-30"))
	mustStatus(t, r, 201)
	var a assignmentResponse
	r.json(t, &a)
	if !a.Elected || !a.ElectedDefaulted || a.CommuneCode == nil || *a.CommuneCode != "00004" || a.HamletCode != nil ||
		a.TermEnd == nil || a.EndDate != nil || r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") != base+"/"+a.ID {
		t.Fatalf("created %+v (Location %s)", a, r.Header.Get("Location"))
	}
	// An appointed post marked elected, with a personal allowance.
	r = e.do("POST", base, ed, post("van_phong_dang_uy", "commune_code", "00004", "2024-01-01", "elected", true,
		"concurrent", true, "allowance_override", "3744000"))
	mustStatus(t, r, 201)
	var b assignmentResponse
	r.json(t, &b)
	if !b.Elected || b.ElectedDefaulted || !b.Concurrent || b.AllowanceOverride == nil || b.AllowanceOverride.String() != "3744000" {
		t.Fatalf("created %+v", b)
	}

	r = e.do("GET", base+"/"+a.ID, ed, nil)
	mustStatus(t, r, 200)
	r = e.do("GET", base, ed, nil)
	mustStatus(t, r, 200)
	var l assignmentList
	r.json(t, &l)
	if len(l.Items) != 2 || l.NextCursor != nil {
		t.Fatalf("list %s", r.Body)
	}
	// Pages of one walk both.
	r = e.do("GET", base+"?limit=1", ed, nil)
	r.json(t, &l)
	first := l.Items[0].ID
	r = e.do("GET", base+"?limit=1&cursor="+*l.NextCursor, ed, nil)
	mustStatus(t, r, 200)
	r.json(t, &l)
	if len(l.Items) != 1 || l.Items[0].ID == first {
		t.Fatalf("second page %s", r.Body)
	}
	mustStatus(t, e.do("GET", base+"?cursor=Zm9v", ed, nil), 422)

	mustStatus(t, e.do("PATCH", base+"/"+b.ID, ed, map[string]any{"end_date": "2024-12-31"}), 428)
	mustStatus(t, e.do("PATCH", base+"/"+b.ID, ed, map[string]any{"end_date": "2024-12-31"}, "If-Match", `"9"`), 412)
	r = e.do("PATCH", base+"/"+b.ID, ed, map[string]any{"end_date": "2024-12-31", "elected": nil, "allowance_override": nil}, "If-Match", `"1"`)
	mustStatus(t, r, 200)
	r.json(t, &b)
	if b.Elected || !b.ElectedDefaulted || b.AllowanceOverride != nil || b.EndDate == nil || b.Version != 2 || r.Header.Get("ETag") != `"2"` {
		t.Fatalf("patched %+v", b)
	}
	mustStatus(t, e.do("PATCH", base+"/"+b.ID, ed, map[string]any{"start_date": nil}, "If-Match", `"2"`), 422)
	r = e.do("PATCH", base+"/"+b.ID, ed, map[string]any{"end_date": "2023-12-31"}, "If-Match", `"2"`)
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "/end_date" {
		t.Fatalf("end before start: %s", r.Body)
	}

	mustStatus(t, e.do("DELETE", base+"/"+b.ID, ed, nil), 428)
	mustStatus(t, e.do("DELETE", base+"/"+b.ID, ed, nil, "If-Match", `"1"`), 412)
	mustStatus(t, e.do("DELETE", base+"/"+b.ID, ed, nil, "If-Match", `"2"`), 204)
	mustStatus(t, e.do("GET", base+"/"+b.ID, ed, nil), 404)
	for _, action := range []string{"create", "update", "delete"} {
		if n := e.cadreAuditCount("assignment", b.ID, action); n != 1 {
			t.Errorf("%d %s audit rows, want 1", n, action)
		}
	}

	// Idempotent create: a replay returns the first response; another body with the key is refused.
	body := post("bi_thu_chi_bo", "hamlet_code", "TD01", "2024-01-01")
	r1 := e.do("POST", base, ed, body, "Idempotency-Key", "a-1")
	mustStatus(t, r1, 201)
	r2 := e.do("POST", base, ed, body, "Idempotency-Key", "a-1")
	mustStatus(t, r2, 201)
	if string(r1.Body) != string(r2.Body) || r2.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay:\n%s\n%s", r1.Body, r2.Body)
	}
	mustStatus(t, e.do("POST", base, ed, post("bi_thu_chi_bo", "hamlet_code", "TD02", "2024-01-01"), "Idempotency-Key", "a-1"), 422)

	// A person who does not exist has no assignments to list or add.
	none := "/v1/provinces/01/cadres/00000000-0000-0000-0000-000000000000/assignments"
	mustStatus(t, e.do("GET", none, ed, nil), 404)
	mustStatus(t, e.do("POST", none, ed, post("bi_thu_chi_bo", "hamlet_code", "TD02", "2024-01-01")), 404)
}

func TestAssignmentValidation(t *testing.T) {
	t.Parallel()
	e, ed, base := assignmentEnv(t)
	cases := map[string]struct {
		body    any
		pointer string
		says    string
	}{
		"unknown position":               {post("chu_tich_xa", "commune_code", "00004", "2024-01-01"), "/position_code", "national catalogue"},
		"commune post without a commune": {map[string]any{"position_code": "van_phong_dang_uy", "start_date": "2024-01-01"}, "/commune_code", "commune-level"},
		"commune post at a hamlet":       {post("van_phong_dang_uy", "hamlet_code", "TD01", "2024-01-01"), "/hamlet_code", "hamlet code must be left empty"},
		"hamlet post without a hamlet":   {map[string]any{"position_code": "bi_thu_chi_bo", "start_date": "2024-01-01"}, "/hamlet_code", "hamlet-level"},
		"hamlet post at a commune":       {post("truong_thon_to_truong", "commune_code", "00004", "2024-01-01"), "/commune_code", "commune code must be left empty"},
		"unknown commune":                {post("van_phong_dang_uy", "commune_code", "00009", "2024-01-01"), "/commune_code", ""},
		"unknown hamlet":                 {post("bi_thu_chi_bo", "hamlet_code", "XX99", "2024-01-01"), "/hamlet_code", ""},
		"commune code not 5 digits":      {post("van_phong_dang_uy", "commune_code", "4", "2024-01-01"), "/commune_code", ""},
		"missing start_date":             {map[string]any{"position_code": "van_phong_dang_uy", "commune_code": "00004"}, "/start_date", ""},
		"end before start":               {post("van_phong_dang_uy", "commune_code", "00004", "2024-01-01", "end_date", "2023-12-31"), "/end_date", "before the start date"},
		"term end before start":          {post("van_phong_dang_uy", "commune_code", "00004", "2024-01-01", "term_end", "2023-12-31"), "/term_end", ""},
		"negative allowance":             {post("van_phong_dang_uy", "commune_code", "00004", "2024-01-01", "allowance_override", "-1"), "/allowance_override", "0 or more"},
		"fractional allowance":           {post("van_phong_dang_uy", "commune_code", "00004", "2024-01-01", "allowance_override", "100.5"), "/allowance_override", "whole"},
		"allowance not a number":         {post("van_phong_dang_uy", "commune_code", "00004", "2024-01-01", "allowance_override", "many"), "/allowance_override", ""},
		"elected not a boolean":          {post("van_phong_dang_uy", "commune_code", "00004", "2024-01-01", "elected", "yes"), "/elected", ""},
		"cadre_id is not a body field":   {post("van_phong_dang_uy", "commune_code", "00004", "2024-01-01", "cadre_id", "x"), "/cadre_id", ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := e.sub(t).do("POST", base, ed, c.body)
			mustStatus(t, r, 422)
			found := false
			for _, f := range r.problem(t).Errors {
				found = found || (f.Pointer == c.pointer && strings.Contains(f.Message, c.says))
			}
			if !found {
				t.Fatalf("no error at %s saying %q: %s", c.pointer, c.says, r.Body)
			}
		})
	}
}

func TestAssignmentSamePostMayNotOverlap(t *testing.T) {
	t.Parallel()
	e, ed, base := assignmentEnv(t)
	mustStatus(t, e.do("POST", base, ed, post("van_phong_dang_uy", "commune_code", "00004", "2020-01-01", "end_date", "2024-06-30")), 201)
	r := e.do("POST", base, ed, post("van_phong_dang_uy", "commune_code", "00004", "2024-06-30"))
	mustStatus(t, r, 409)
	if p := r.problem(t); p.Errors[0].Pointer != "/start_date" || !strings.Contains(p.Errors[0].Message, "2020-01-01 to 2024-06-30") {
		t.Fatalf("overlap: %s", r.Body)
	}
	// The next day is fine, and so is another post over the same period.
	r = e.do("POST", base, ed, post("van_phong_dang_uy", "commune_code", "00004", "2024-07-01"))
	mustStatus(t, r, 201)
	var later assignmentResponse
	r.json(t, &later)
	mustStatus(t, e.do("POST", base, ed, post("phu_trach_truyen_thanh", "commune_code", "00004", "2022-01-01", "concurrent", true)), 201)
	// A change that makes two periods overlap is refused the same way.
	r = e.do("PATCH", base+"/"+later.ID, ed, map[string]any{"start_date": "2024-01-01"}, "If-Match", `"1"`)
	mustStatus(t, r, 409)
	if p := r.problem(t); p.Errors[0].Pointer != "/start_date" {
		t.Fatalf("overlap by PATCH: %s", r.Body)
	}
}

func TestHamletHasAtMostThreePaidPosts(t *testing.T) {
	t.Parallel()
	e, ed, _ := assignmentEnv(t)
	people := []string{nidFemale1990, "001086000002", "001087000003", "001088000004"}
	var paths []string
	for i, nid := range people {
		gender, birth := "male", "19"+nid[4:6]+"-01-01"
		if i == 0 {
			gender = "female"
		}
		id := e.mustCreateCadre(ed, "01", cadreBody(nid, []string{"Lê Thị Hoa", "Phạm Văn Bình", "Đỗ Văn Cường", "Vũ Văn Dũng"}[i], gender, birth))
		paths = append(paths, "/v1/provinces/01/cadres/"+id+"/assignments")
	}
	mustStatus(t, e.do("POST", paths[0], ed, post("bi_thu_chi_bo", "hamlet_code", "TD01", "2024-01-01")), 201)
	mustStatus(t, e.do("POST", paths[1], ed, post("truong_thon_to_truong", "hamlet_code", "TD01", "2024-01-01", "end_date", "2024-12-31")), 201)
	mustStatus(t, e.do("POST", paths[2], ed, post("truong_ban_cong_tac_mat_tran", "hamlet_code", "TD01", "2024-03-01")), 201)

	// A fourth paid post while the three are in force is refused, naming the hamlet and the three posts.
	r := e.do("POST", paths[3], ed, post("truong_thon_to_truong", "hamlet_code", "TD01", "2024-06-01"))
	mustStatus(t, r, 422)
	msg := r.problem(t).Errors[0]
	if msg.Pointer != "/hamlet_code" {
		t.Fatalf("pointer %s", msg.Pointer)
	}
	for _, want := range []string{"Thôn Đông", "TD01", "Party cell secretary", "Hamlet head", "Front work committee", "at most 3"} {
		if !strings.Contains(msg.Message, want) {
			t.Errorf("message %q does not name %q", msg.Message, want)
		}
	}
	// A period starting before the others is refused too: the three are in force together from 2024-03-01.
	mustStatus(t, e.do("POST", paths[3], ed, post("truong_thon_to_truong", "hamlet_code", "TD01", "2023-01-01")), 422)
	// In Vietnamese as well.
	r = e.do("POST", paths[3], ed, post("truong_thon_to_truong", "hamlet_code", "TD01", "2024-06-01"), "Accept-Language", "vi")
	mustStatus(t, r, 422)
	if m := r.problem(t).Errors[0].Message; !strings.Contains(m, "Trưởng ban công tác Mặt trận") || !strings.Contains(m, "tối đa 3") {
		t.Fatalf("vi message %q", m)
	}
	// Before the hamlet head began, or after the hamlet head's term ended, there is room (one hamlet head at a
	// time); and another hamlet is another fund.
	mustStatus(t, e.do("POST", paths[3], ed, post("truong_thon_to_truong", "hamlet_code", "TD01", "2023-01-01", "end_date", "2023-12-31")), 201)
	r = e.do("POST", paths[3], ed, post("truong_thon_to_truong", "hamlet_code", "TD01", "2025-01-01"))
	mustStatus(t, r, 201)
	var fourth assignmentResponse
	r.json(t, &fourth)
	mustStatus(t, e.do("POST", paths[3], ed, post("bi_thu_chi_bo", "hamlet_code", "TD02", "2024-06-01")), 201)
	// Moving that post back into 2024 by PATCH is refused like a create.
	r = e.do("PATCH", paths[3]+"/"+fourth.ID, ed, map[string]any{"start_date": "2024-12-01"}, "If-Match", `"1"`)
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "/hamlet_code" {
		t.Fatalf("PATCH into a full hamlet: %s", r.Body)
	}
}

// Concurrent assignments to one hamlet are checked one after the other (the hamlet row is locked), so two
// racing requests cannot both become the third post.
func TestHamletPostRuleHoldsUnderConcurrency(t *testing.T) {
	t.Parallel()
	e, ed, base := assignmentEnv(t)
	mustStatus(t, e.do("POST", base, ed, post("bi_thu_chi_bo", "hamlet_code", "TD01", "2024-01-01")), 201)
	mustStatus(t, e.do("POST", base, ed, post("truong_thon_to_truong", "hamlet_code", "TD01", "2024-01-01")), 201)
	var ids []string
	for i := 0; i < 6; i++ {
		nid := "00108" + string(rune('0'+i)) + "000009"
		ids = append(ids, e.mustCreateCadre(ed, "01", cadreBody(nid, "Người Thứ "+[]string{"Một", "Hai", "Ba", "Tư", "Năm", "Sáu"}[i], "male", "198"+string(rune('0'+i))+"-01-01")))
	}
	p := store.Principal{Role: store.RoleProvinceEditor, Province: "01", KeyID: 1}
	// Hold every request at its first read of cadres, then let them all go at once.
	gate, err := e.admin.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gate.Exec(t.Context(), `LOCK TABLE cadres IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.st.CreateAssignment(t.Context(), p, store.Assignment{Province: "01", CadreID: id,
				PositionCode: "truong_ban_cong_tac_mat_tran", HamletCode: strPtr("TD01"), StartDate: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)})
		}()
	}
	time.Sleep(200 * time.Millisecond)
	if err := gate.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, err := range errs {
		var re *store.AssignmentRuleError
		switch {
		case err == nil:
			ok++
		case errors.As(err, &re) && re.Rule == store.RuleHamletPosts:
			refused++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 || refused != len(ids)-1 {
		t.Fatalf("%d created, %d refused; want 1 and %d", ok, refused, len(ids)-1)
	}
}

func strPtr(s string) *string { return &s }
