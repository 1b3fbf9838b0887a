package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// seedUnitChildren records, in province 01: commune 00601 with hamlet 00601-01 (a Trưởng thôn from
// 2024-01-01), and commune 00602 with a commune-level post from 2024-01-01; all open-ended.
func seedUnitChildren(t *testing.T, e *env) {
	t.Helper()
	stmts := []string{
		`INSERT INTO communes (province_code, code, name, kind, class, effective_from) VALUES
			('01', '00601', 'Xã Sáu Một', 'xa', 2, '2020-01-01'), ('01', '00602', 'Xã Sáu Hai', 'xa', 2, '2020-01-01')`,
		`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from) VALUES
			('01', '00601-01', '00601', 'Thôn Một', 'thon', 100, '2020-01-01')`,
		`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months) VALUES
			('01', '00000000-0000-4000-8000-000000000601', '001080000601', 'Nguyễn Văn Sáu', 'male', '1980-03-01', 120),
			('01', '00000000-0000-4000-8000-000000000602', '001080000602', 'Trần Văn Bảy', 'male', '1980-03-01', 120)`,
		`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, hamlet_code, start_date) VALUES
			('01', '00000000-0000-4000-8000-000000000601', 'truong_thon_to_truong', NULL, '00601-01', '2024-01-01'),
			('01', '00000000-0000-4000-8000-000000000602', 'van_phong_dang_uy', '00602', NULL, '2024-01-01')`,
	}
	for _, s := range stmts {
		if _, err := e.admin.Exec(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", firstLine(s), err)
		}
	}
}

// lifeRefusal asserts a 422 with one error on pointer and code whose message holds every part, and no
// developer text.
func lifeRefusal(t *testing.T, r resp, pointer, code string, parts ...string) {
	t.Helper()
	mustStatus(t, r, 422)
	p := r.problem(t)
	if len(p.Errors) != 1 || p.Errors[0].Pointer != pointer || p.Errors[0].Code != code {
		t.Fatalf("want %s on %s: %s", code, pointer, r.Body)
	}
	for _, part := range parts {
		if !strings.Contains(p.Errors[0].Message, part) {
			t.Errorf("message %q does not say %q", p.Errors[0].Message, part)
		}
	}
	if bad := msgcheck.DeveloperText(p.Errors[0].Message); bad != "" {
		t.Errorf("developer text %q in %q", bad, p.Errors[0].Message)
	}
}

// Done when: a commune-level unit's or a hamlet's own dates cannot change so that one of its hamlets or
// posts lies outside its life; the refusal is on the unit's date and names the hamlet or post and both
// periods, in the reader's language; a change that keeps them inside is accepted (issue 11 item 3).
func TestAUnitsDatesCannotLeaveItsHamletsOrPostsOutsideItsLife(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	seedUnitChildren(t, e)
	const c1, c2, h1 = "/v1/provinces/01/communes/00601", "/v1/provinces/01/communes/00602", "/v1/provinces/01/hamlets/00601-01"
	lifeRefusal(t, e.do("PATCH", c1, ed, map[string]any{"effective_to": "2023-12-31"}, "If-Match", `"1"`, "Accept-Language", "en"),
		"/effective_to", "outside_commune_life", "00601-01 Thôn Một", "(2020-01-01..)", "00601 Xã Sáu Một", "(2020-01-01..2023-12-31)")
	lifeRefusal(t, e.do("PATCH", c1, ed, map[string]any{"effective_to": "2023-12-31"}, "If-Match", `"1"`, "Accept-Language", "vi"),
		"/effective_to", "outside_commune_life", "00601-01 Thôn Một", "từ 2020-01-01", "2020-01-01 đến 2023-12-31")
	lifeRefusal(t, e.do("PATCH", c2, ed, map[string]any{"effective_to": "2024-06-30"}, "If-Match", `"1"`, "Accept-Language", "en"),
		"/effective_to", "outside_unit_life", "Trần Văn Bảy", "2024-01-01..", "00602 Xã Sáu Hai (2020-01-01..2024-06-30)")
	lifeRefusal(t, e.do("PATCH", c2, ed, map[string]any{"effective_from": "2024-02-01"}, "If-Match", `"1"`, "Accept-Language", "vi"),
		"/effective_from", "outside_unit_life", "Trần Văn Bảy", "từ 2024-01-01", "00602 Xã Sáu Hai (từ 2024-02-01)")
	lifeRefusal(t, e.do("PATCH", h1, ed, map[string]any{"effective_from": "2024-06-01"}, "If-Match", `"1"`, "Accept-Language", "en"),
		"/effective_from", "outside_unit_life", "Nguyễn Văn Sáu", "2024-01-01..", "hamlet 00601-01 Thôn Một (2024-06-01..)")
	lifeRefusal(t, e.do("PATCH", h1, ed, map[string]any{"effective_to": "2023-06-30"}, "If-Match", `"1"`, "Accept-Language", "en"),
		"/effective_to", "outside_unit_life", "Nguyễn Văn Sáu", "(2020-01-01..2023-06-30)")
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM communes WHERE province_code = '01' AND code IN ('00601', '00602')
		AND effective_from = '2020-01-01' AND effective_to IS NULL AND version = 1`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d units unchanged (%v): a refused change was written", n, err)
	}
	// Widening, or a change that keeps them inside, is accepted.
	mustStatus(t, e.do("PATCH", c2, ed, map[string]any{"effective_from": "2019-01-01"}, "If-Match", `"1"`), 200)
	mustStatus(t, e.do("PATCH", h1, ed, map[string]any{"effective_from": "2023-01-01"}, "If-Match", `"1"`), 200)
}

// Done when: an import row that gives a recorded unit another period is refused on its line, on the
// unit's date, naming the hamlet or post and both periods; nothing is written.
func TestAnImportCannotLeaveAUnitsHamletsOrPostsOutsideItsLife(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	seedUnitChildren(t, e)
	for _, c := range []struct{ kind, csv, column, code, part string }{
		{"communes", "code,name,kind,class,effective_from,effective_to\n00602,Xã Sáu Hai,xa,2,2020-01-01,2024-06-30\n",
			"effective_to", "outside_unit_life", "2020-01-01 đến 2024-06-30"},
		{"communes", "code,name,kind,class,effective_from,effective_to\n00602,Xã Sáu Hai,xa,2,2020-01-01,\n00601,Xã Sáu Một,xa,2,2020-01-01,2022-12-31\n",
			"effective_to", "outside_commune_life", "00601-01 Thôn Một"},
		{"hamlets", "code,commune_code,name,kind,households,effective_from,effective_to\n00601-01,00601,Thôn Một,thon,100,2024-06-01,\n",
			"effective_from", "outside_unit_life", "Nguyễn Văn Sáu"},
	} {
		j := importJob(t, e.upload(ed, "kind="+c.kind, []byte(c.csv), "Accept-Language", "vi"))
		lines := strings.Count(c.csv, "\n")
		if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Line != lines || j.Errors[0].Column != c.column ||
			j.Errors[0].Code != c.code || !strings.Contains(j.Errors[0].Message, c.part) {
			t.Fatalf("%s: %+v", c.kind, j)
		}
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM communes WHERE province_code = '01' AND effective_to IS NOT NULL)
		+ (SELECT count(*) FROM hamlets WHERE province_code = '01' AND effective_from <> '2020-01-01')`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d rows changed (%v) by refused imports", n, err)
	}
	// A period that keeps them inside is written.
	mustSucceed(t, importJob(t, e.upload(ed, "kind=hamlets",
		[]byte("code,commune_code,name,kind,households,effective_from,effective_to\n00601-01,00601,Thôn Một,thon,100,2021-01-01,\n"))))
}

// Done when: a reorganisation's apply cannot close a unit and leave in it a post (or hamlet) that starts
// on or after the effective date — which the plan neither moves nor ends: it is refused on the date,
// naming it, and nothing is written.
func TestAReorganisationCannotLeaveAPostOutsideTheUnitItCloses(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedReorg(t, e)
	ed := e.key(store.RoleProvinceEditor, "97")
	mapping := []map[string]string{
		{"old": "90001", "new": "91001", "coverage": "full", "new_name": "Xã Mới Một", "new_kind": "xa"},
		{"old": "90002", "new": "91001", "coverage": "full"},
	}
	body := map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": mapping}
	for _, seed := range []struct{ sql, code, part string }{
		{`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, start_date) VALUES
			('97', '00000000-0000-4000-8000-000000000002', 'pho_bi_thu_doan', '90002', '2025-09-01')`, "outside_unit_life", "Trần Thị Hai"},
		{`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from) VALUES
			('97', 'HB', '90002', 'Thôn B', 'thon', 100, '2025-09-01')`, "outside_commune_life", "HB Thôn B"},
	} {
		if _, err := e.admin.Exec(t.Context(), `DELETE FROM assignments WHERE province_code = '97' AND start_date = '2025-09-01'`); err != nil {
			t.Fatal(err)
		}
		if _, err := e.admin.Exec(t.Context(), seed.sql); err != nil {
			t.Fatal(err)
		}
		r := e.do("POST", "/v1/provinces/97/reorganisations?mode=apply", ed, body, "Accept-Language", "en")
		lifeRefusal(t, r, "/effective_date", seed.code, seed.part, "90002 Xã B (2010-01-01..2025-06-30)")
		var n int
		if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM communes WHERE province_code = '97'`).Scan(&n); err != nil || n != 3 {
			t.Fatalf("%d units after a refused apply (%v), want 3", n, err)
		}
	}
}

// Done when: a unit's dates and its children's are written at the same moment by two writers (a PATCH
// closing the commune, a POST of a hamlet or post starting after that end), exactly one wins and no
// child is left outside its unit's life: the lock order is the existing rules'.
func TestAUnitsDatesAndItsChildrenWrittenAtOnceNeverDisagree(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	seedUnitChildren(t, e)
	const rounds = 8
	for i := 0; i < rounds; i++ {
		code := fmt.Sprintf("%05d", 700+i)
		mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, map[string]any{"code": code, "name": "Xã Đua", "kind": "xa",
			"class": 2, "effective_from": "2020-01-01"}), 201)
		person := fmt.Sprintf("00000000-0000-4000-8000-%012d", 700+i) // one post each: no other rule in the way
		if _, err := e.admin.Exec(t.Context(), `INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months)
			VALUES ('01', $1, $2, 'Lê Văn Đua', 'male', '1980-03-01', 12)`, person, fmt.Sprintf("0010800%05d", 700+i)); err != nil {
			t.Fatal(err)
		}
		child := func() int {
			if i%2 == 0 {
				return rawPost(e, ed, "/v1/provinces/01/hamlets", map[string]any{"code": code + "-01", "commune_code": code,
					"name": "Thôn Đua", "kind": "thon", "households": 100, "effective_from": "2025-01-01"})
			}
			return rawPost(e, ed, "/v1/provinces/01/cadres/"+person+"/assignments",
				map[string]any{"position_code": "pho_bi_thu_doan", "commune_code": code, "start_date": "2025-01-01"})
		}
		var wg sync.WaitGroup
		status := make([]int, 2)
		wg.Add(2)
		go func() { defer wg.Done(); status[0] = child() }()
		go func() {
			defer wg.Done()
			status[1] = rawPatch(e, ed, "/v1/provinces/01/communes/"+code, `{"effective_to":"2024-12-31"}`)
		}()
		wg.Wait()
		won := 0
		for _, s := range status {
			if s == http.StatusOK || s == http.StatusCreated {
				won++
			} else if s != http.StatusUnprocessableEntity {
				t.Fatalf("round %d: statuses %v", i, status)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: statuses %v, want exactly one write to win", i, status)
		}
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT
		(SELECT count(*) FROM hamlets h JOIN communes c ON c.province_code = h.province_code AND c.code = h.commune_code
		  AND c.effective_from = h.commune_from WHERE h.province_code = '01' AND c.effective_to < h.effective_from)
		+ (SELECT count(*) FROM assignments a JOIN communes c ON c.province_code = a.province_code AND c.code = a.commune_code
		  AND c.effective_from = a.commune_from WHERE a.province_code = '01' AND c.effective_to < a.start_date)`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d children outside their unit's life (%v)", n, err)
	}
}

// rawPost sends POST from a goroutine and returns the status.
func rawPost(e *env, token, path string, body any) int {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", e.srv.URL+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := e.srv.Client().Do(req)
	if err != nil {
		return -1
	}
	res.Body.Close()
	return res.StatusCode
}
