package api

import (
	"strings"
	"testing"
	"time"

	"communehr/internal/store"
)

func communeBody(code, name string) map[string]any {
	return map[string]any{"code": code, "name": name, "kind": "xa", "class": 2, "population": 12000,
		"area_km2": "35.50", "effective_from": "2020-01-01"}
}

func TestCommuneCRUD(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")

	r := e.do("POST", "/v1/provinces/01/communes", ed, communeBody("00004", "Phường Ba Đình"))
	mustStatus(t, r, 201)
	var c communeResponse
	r.json(t, &c)
	if c.Name != "Phường Ba Đình" || c.AreaKm2 == nil || c.AreaKm2.String() != "35.5" || r.Header.Get("ETag") != `"1"` {
		t.Fatalf("created %+v etag %s", c, r.Header.Get("ETag"))
	}
	if loc := r.Header.Get("Location"); loc != "/v1/provinces/01/communes/00004@"+c.EffectiveFrom.Format(time.DateOnly) {
		t.Fatalf("Location %q", loc)
	}
	r = e.do("GET", "/v1/provinces/01/communes/00004", ed, nil)
	mustStatus(t, r, 200)

	// PATCH needs If-Match: 428 without, 412 stale, 200 current.
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/communes/00004", ed, map[string]any{"class": 1}), 428)
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/communes/00004", ed, map[string]any{"class": 1}, "If-Match", `"7"`), 412)
	r = e.do("PATCH", "/v1/provinces/01/communes/00004", ed, map[string]any{"class": 1, "population": nil}, "If-Match", `"1"`)
	mustStatus(t, r, 200)
	r.json(t, &c)
	if c.Class != 1 || c.Population != nil || c.Version != 2 || c.Name != "Phường Ba Đình" {
		t.Fatalf("patched %+v", c)
	}
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/communes/00004", ed, map[string]any{"name": nil}, "If-Match", `"2"`), 422)

	// Audit rows for each write, in the same transactions.
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE entity = 'commune' AND entity_id = '00004@2020-01-01'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("%d audit rows, want 2 (create, update)", n)
	}

	mustStatus(t, e.do("DELETE", "/v1/provinces/01/communes/00004", ed, nil), 428)
	mustStatus(t, e.do("DELETE", "/v1/provinces/01/communes/00004", ed, nil, "If-Match", `"1"`), 412)
	mustStatus(t, e.do("DELETE", "/v1/provinces/01/communes/00004", ed, nil, "If-Match", `"2"`), 204)
	mustStatus(t, e.do("GET", "/v1/provinces/01/communes/00004", ed, nil), 404)
}

func TestCommuneValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	cases := map[string]struct {
		body    string
		pointer string
	}{
		"code not 5 digits":        {`{"code":"123","name":"Xã A","kind":"xa","class":1,"effective_from":"2025-07-01"}`, "/code"},
		"unknown kind":             {`{"code":"00001","name":"Xã A","kind":"huyen","class":1,"effective_from":"2025-07-01"}`, "/kind"},
		"class 4":                  {`{"code":"00001","name":"Xã A","kind":"xa","class":4,"effective_from":"2025-07-01"}`, "/class"},
		"bad date":                 {`{"code":"00001","name":"Xã A","kind":"xa","class":1,"effective_from":"2025-02-30"}`, "/effective_from"},
		"negative area":            {`{"code":"00001","name":"Xã A","kind":"xa","class":1,"area_km2":"-1","effective_from":"2025-07-01"}`, "/area_km2"},
		"area not a number":        {`{"code":"00001","name":"Xã A","kind":"xa","class":1,"area_km2":"abc","effective_from":"2025-07-01"}`, "/area_km2"},
		"class is text":            {`{"code":"00001","name":"Xã A","kind":"xa","class":"one","effective_from":"2025-07-01"}`, "/class"},
		"successor without end":    {`{"code":"00001","name":"Xã A","kind":"xa","class":1,"effective_from":"2025-07-01","successor_code":"00002"}`, "/successor_code"},
		"end before start":         {`{"code":"00001","name":"Xã A","kind":"xa","class":1,"effective_from":"2025-07-01","effective_to":"2025-01-01"}`, "/effective_to"},
		"missing effective_from":   {`{"code":"00001","name":"Xã A","kind":"xa","class":1}`, "/effective_from"},
		"successor does not exist": {`{"code":"00001","name":"Xã A","kind":"xa","class":1,"effective_from":"2025-01-01","effective_to":"2025-06-30","successor_code":"00009"}`, "/successor_code"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := e.sub(t).do("POST", "/v1/provinces/01/communes", ed, c.body, "Accept-Language", "vi")
			mustStatus(t, r, 422)
			p := r.problem(t)
			found := false
			for _, f := range p.Errors {
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
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, communeBody("00001", "Xã A")), 201)
	r := e.do("POST", "/v1/provinces/01/communes", ed, communeBody("00001", "Xã A"))
	mustStatus(t, r, 409)
	if p := r.problem(t); p.Errors[0].Pointer != "/code" {
		t.Fatalf("duplicate pointer %+v", p.Errors)
	}
}

func TestCommuneListFiltersSearchAndLineage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	// Two wards merged into a new one on 2025-07-01.
	old1 := map[string]any{"code": "00001", "name": "Phường Phúc Xá", "kind": "phuong", "class": 1, "effective_from": "2020-01-01"}
	old2 := map[string]any{"code": "00002", "name": "Phường Trúc Bạch", "kind": "phuong", "class": 2, "effective_from": "2020-01-01"}
	merged := map[string]any{"code": "00004", "name": "Phường Ba Đình", "kind": "phuong", "class": 1, "effective_from": "2025-07-01"}
	rural := map[string]any{"code": "00100", "name": "Xã Hà Nội Mới", "kind": "xa", "class": 3, "effective_from": "2020-01-01"}
	for _, b := range []map[string]any{old1, old2, merged, rural} {
		mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, b), 201)
	}
	for _, code := range []string{"00001", "00002"} {
		mustStatus(t, e.do("PATCH", "/v1/provinces/01/communes/"+code, ed,
			map[string]any{"effective_to": "2025-06-30", "successor_code": "00004"}, "If-Match", `"1"`), 200)
	}
	codes := func(path string) string {
		t.Helper()
		r := e.do("GET", path, ed, nil)
		mustStatus(t, r, 200)
		var l communeList
		r.json(t, &l)
		var cs []string
		for _, c := range l.Items {
			cs = append(cs, c.Code)
		}
		return strings.Join(cs, ",")
	}
	checks := map[string]string{
		"/v1/provinces/01/communes":                      "00001,00002,00004,00100",
		"/v1/provinces/01/communes?active_on=2025-06-30": "00001,00002,00100",
		"/v1/provinces/01/communes?active_on=2025-07-01": "00004,00100",
		"/v1/provinces/01/communes?kind=xa":              "00100",
		"/v1/provinces/01/communes?class=1":              "00001,00004",
		"/v1/provinces/01/communes?q=ha%20noi":           "00100",
		"/v1/provinces/01/communes?q=BA%20DINH":          "00004",
		"/v1/provinces/01/communes?q=tr%C3%BAc":          "00002",
		"/v1/provinces/01/communes?q=%25":                "",
	}
	for path, want := range checks {
		if got := codes(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	// Cursor pagination walks every commune once, in order.
	var all []string
	path := "/v1/provinces/01/communes?limit=3"
	for path != "" {
		r := e.do("GET", path, ed, nil)
		mustStatus(t, r, 200)
		var l communeList
		r.json(t, &l)
		for _, c := range l.Items {
			all = append(all, c.Code)
		}
		path = ""
		if l.NextCursor != nil {
			path = "/v1/provinces/01/communes?limit=3&cursor=" + *l.NextCursor
		}
	}
	if strings.Join(all, ",") != "00001,00002,00004,00100" {
		t.Fatalf("paged walk %v", all)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/communes?cursor=!!", ed, nil), 422)
	mustStatus(t, e.do("GET", "/v1/provinces/01/communes?active_on=yesterday", ed, nil), 422)

	// Lineage is visible from both ends.
	r := e.do("GET", "/v1/provinces/01/communes/00001", ed, nil)
	var c communeResponse
	r.json(t, &c)
	if c.Successors == nil || len(*c.Successors) != 1 || (*c.Successors)[0].Code != "00004" {
		t.Fatalf("successors of 00001: %s", r.Body)
	}
	r = e.do("GET", "/v1/provinces/01/communes/00004", ed, nil)
	r.json(t, &c)
	if c.Predecessors == nil || len(*c.Predecessors) != 2 {
		t.Fatalf("predecessors of 00004: %s", r.Body)
	}
	// A merged-into commune cannot be deleted while predecessors point at it; a loop is refused.
	mustStatus(t, e.do("DELETE", "/v1/provinces/01/communes/00004", ed, nil, "If-Match", `"1"`), 409)
	r = e.do("PATCH", "/v1/provinces/01/communes/00004", ed, map[string]any{"effective_to": "2026-01-01", "successor_code": "00001"}, "If-Match", `"1"`)
	mustStatus(t, r, 422)
}

func TestCommunesAreInvisibleToOtherProvinces(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	e.province("79", "Thành phố Hồ Chí Minh")
	hn := e.key(store.RoleProvinceEditor, "01")
	hcm := e.key(store.RoleProvinceEditor, "79")
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", hn, communeBody("00004", "Phường Ba Đình")), 201)
	for _, req := range []struct{ method, path string }{
		{"GET", "/v1/provinces/01/communes"}, {"GET", "/v1/provinces/01/communes/00004"},
		{"PATCH", "/v1/provinces/01/communes/00004"}, {"DELETE", "/v1/provinces/01/communes/00004"},
		{"POST", "/v1/provinces/01/communes"},
	} {
		var body any
		if req.method == "POST" || req.method == "PATCH" {
			body = communeBody("00005", "Xã Lạ")
			if req.method == "PATCH" {
				body = map[string]any{"name": "hijacked"}
			}
		}
		r := e.do(req.method, req.path, hcm, body, "If-Match", `"1"`)
		mustStatus(t, r, 404)
		if strings.Contains(string(r.Body), "Ba Đình") {
			t.Fatalf("%s %s leaks: %s", req.method, req.path, r.Body)
		}
	}
	viewer := e.key(store.RoleProvinceViewer, "01")
	mustStatus(t, e.do("GET", "/v1/provinces/01/communes/00004", viewer, nil), 200)
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", viewer, communeBody("00005", "Xã B")), 403)
	ministry := e.key(store.RoleMinistry, "")
	mustStatus(t, e.do("GET", "/v1/provinces/01/communes/00004", ministry, nil), 200)
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/communes/00004", ministry, map[string]any{"name": "x"}, "If-Match", `"1"`), 403)
	// Ministry writes are refused before the body is read, and nothing changed.
	r := e.do("GET", "/v1/provinces/01/communes/00004", hn, nil)
	var c communeResponse
	r.json(t, &c)
	if c.Name != "Phường Ba Đình" || c.Version != 1 {
		t.Fatalf("commune changed: %+v", c)
	}
}
