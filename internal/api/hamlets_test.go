package api

import (
	"strings"
	"testing"

	"communehr/internal/store"
)

func hamletBody(code, commune, name, kind string, households int) map[string]any {
	return map[string]any{"code": code, "commune_code": commune, "name": name, "kind": kind,
		"households": households, "effective_from": "2024-01-01"}
}

// hamletEnv is a province 01 with a plain commune 00001 and its editor's key.
func hamletEnv(t *testing.T) (*env, string) {
	t.Helper()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, communeBody("00001", "Xã Đông Anh")), 201)
	return e, ed
}

func TestHamletCRUD(t *testing.T) {
	t.Parallel()
	e, ed := hamletEnv(t)

	r := e.do("POST", "/v1/provinces/01/hamlets", ed, hamletBody("T01", "00001", "Thôn Làng Hạ", "thon", 420))
	mustStatus(t, r, 201)
	var h hamletResponse
	r.json(t, &h)
	if h.Name != "Thôn Làng Hạ" || h.FundCategory != "6.0" || h.FundCriterion.Code != "thon_350_households" ||
		h.FundCriterion.Citation.Article != "34" || h.BorderOrIsland != nil || r.Header.Get("ETag") != `"1"` {
		t.Fatalf("created %s etag %s", r.Body, r.Header.Get("ETag"))
	}
	if loc := r.Header.Get("Location"); loc != "/v1/provinces/01/hamlets/T01" {
		t.Fatalf("Location %q", loc)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/hamlets/T01", ed, nil), 200)

	// PATCH needs If-Match: 428 without, 412 stale, 200 current; the category follows the households.
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/hamlets/T01", ed, map[string]any{"households": 349}), 428)
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/hamlets/T01", ed, map[string]any{"households": 349}, "If-Match", `"9"`), 412)
	r = e.do("PATCH", "/v1/provinces/01/hamlets/T01", ed, map[string]any{"households": 349}, "If-Match", `"1"`)
	mustStatus(t, r, 200)
	r.json(t, &h)
	if h.Households != 349 || h.FundCategory != "4.5" || h.FundCriterion.Code != "standard" || h.Version != 2 || r.Header.Get("ETag") != `"2"` {
		t.Fatalf("patched %s", r.Body)
	}
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/hamlets/T01", ed, map[string]any{"name": nil}, "If-Match", `"2"`), 422)
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/hamlets/T01", ed, map[string]any{"commune_code": "09999"}, "If-Match", `"2"`), 422)

	mustStatus(t, e.do("DELETE", "/v1/provinces/01/hamlets/T01", ed, nil), 428)
	mustStatus(t, e.do("DELETE", "/v1/provinces/01/hamlets/T01", ed, nil, "If-Match", `"1"`), 412)
	mustStatus(t, e.do("DELETE", "/v1/provinces/01/hamlets/T01", ed, nil, "If-Match", `"2"`), 204)
	mustStatus(t, e.do("GET", "/v1/provinces/01/hamlets/T01", ed, nil), 404)

	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE entity = 'hamlet' AND entity_id = 'T01'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("%d audit rows, want 3 (create, update, delete)", n)
	}
	// A commune cannot be deleted while a hamlet points at it.
	mustStatus(t, e.do("POST", "/v1/provinces/01/hamlets", ed, hamletBody("T02", "00001", "Thôn Hai", "thon", 10)), 201)
	mustStatus(t, e.do("DELETE", "/v1/provinces/01/communes/00001", ed, nil, "If-Match", `"1"`), 409)
}

func TestHamletDeleteRefusedWhileReferenced(t *testing.T) {
	t.Parallel()
	e, ed := hamletEnv(t)
	for _, code := range []string{"A", "B", "C"} {
		mustStatus(t, e.do("POST", "/v1/provinces/01/hamlets", ed, hamletBody(code, "00001", "Thôn "+code, "thon", 100)), 201)
	}
	// An assignment holds A; B was merged into C.
	_, err := e.admin.Exec(t.Context(), `WITH c AS (
		INSERT INTO cadres (province_code, national_id, full_name, gender, birth_date)
		VALUES ('01', '001080000001', 'Nguyễn Văn An', 'male', '1980-01-01') RETURNING id)
		INSERT INTO assignments (province_code, cadre_id, position_code, hamlet_code, start_date)
		SELECT '01', id, 'truong_thon_to_truong', 'A', '2024-01-01' FROM c`)
	if err != nil {
		t.Fatal(err)
	}
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/hamlets/B", ed,
		map[string]any{"effective_to": "2025-06-30", "successor_code": "C"}, "If-Match", `"1"`), 200)
	mustStatus(t, e.do("DELETE", "/v1/provinces/01/hamlets/A", ed, nil, "If-Match", `"1"`), 409)
	mustStatus(t, e.do("DELETE", "/v1/provinces/01/hamlets/C", ed, nil, "If-Match", `"1"`), 409)

	// Lineage is visible from both ends.
	r := e.do("GET", "/v1/provinces/01/hamlets/B", ed, nil)
	var h hamletResponse
	r.json(t, &h)
	if h.Successors == nil || len(*h.Successors) != 1 || (*h.Successors)[0].Code != "C" {
		t.Fatalf("successors of B: %s", r.Body)
	}
	r = e.do("GET", "/v1/provinces/01/hamlets/C", ed, nil)
	r.json(t, &h)
	if h.Predecessors == nil || len(*h.Predecessors) != 1 || (*h.Predecessors)[0].Code != "B" {
		t.Fatalf("predecessors of C: %s", r.Body)
	}
	// A successor chain that loops back is refused.
	r = e.do("PATCH", "/v1/provinces/01/hamlets/C", ed, map[string]any{"effective_to": "2026-01-01", "successor_code": "B"}, "If-Match", `"1"`)
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "/successor_code" {
		t.Fatalf("loop pointer %+v", p.Errors)
	}
}

func TestHamletValidation(t *testing.T) {
	t.Parallel()
	e, ed := hamletEnv(t)
	const ok = `"commune_code":"00001","name":"Thôn A","effective_from":"2024-01-01"`
	cases := map[string]struct {
		body    string
		pointer string
	}{
		"code with a space":              {`{"code":"T 1","kind":"thon","households":1,` + ok + `}`, "/code"},
		"code too long":                  {`{"code":"` + strings.Repeat("x", 33) + `","kind":"thon","households":1,` + ok + `}`, "/code"},
		"commune of no such code":        {`{"code":"T1","kind":"thon","households":1,"commune_code":"09999","name":"Thôn A","effective_from":"2024-01-01"}`, "/commune_code"},
		"commune code not 5 digits":      {`{"code":"T1","kind":"thon","households":1,"commune_code":"1","name":"Thôn A","effective_from":"2024-01-01"}`, "/commune_code"},
		"unknown kind":                   {`{"code":"T1","kind":"ap","households":1,` + ok + `}`, "/kind"},
		"negative households":            {`{"code":"T1","kind":"thon","households":-1,` + ok + `}`, "/households"},
		"missing households":             {`{"code":"T1","kind":"thon",` + ok + `}`, "/households"},
		"households is text":             {`{"code":"T1","kind":"thon","households":"many",` + ok + `}`, "/households"},
		"missing name":                   {`{"code":"T1","kind":"thon","households":1,"commune_code":"00001","effective_from":"2024-01-01"}`, "/name"},
		"a thôn converted from a thôn":   {`{"code":"T1","kind":"thon","households":1,"converted_from_thon":true,` + ok + `}`, "/converted_from_thon"},
		"end before start":               {`{"code":"T1","kind":"thon","households":1,"effective_to":"2023-01-01",` + ok + `}`, "/effective_to"},
		"bad date":                       {`{"code":"T1","kind":"thon","households":1,"commune_code":"00001","name":"Thôn A","effective_from":"2024-13-01"}`, "/effective_from"},
		"successor without end":          {`{"code":"T1","kind":"thon","households":1,"successor_code":"T2",` + ok + `}`, "/successor_code"},
		"successor is itself":            {`{"code":"T1","kind":"thon","households":1,"successor_code":"T1","effective_to":"2025-01-01",` + ok + `}`, "/successor_code"},
		"successor does not exist":       {`{"code":"T1","kind":"thon","households":1,"successor_code":"T9","effective_to":"2025-01-01",` + ok + `}`, "/successor_code"},
		"unknown field":                  {`{"code":"T1","kind":"thon","households":1,"population":5,` + ok + `}`, "/population"},
		"border_or_island is not a bool": {`{"code":"T1","kind":"thon","households":1,"border_or_island":"yes",` + ok + `}`, "/border_or_island"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := e.sub(t).do("POST", "/v1/provinces/01/hamlets", ed, c.body, "Accept-Language", "vi")
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
	// The messages an officer reads: the allowed values listed plainly, a whole number asked for, a
	// truncated body not blamed on "byte 0".
	messages := []struct {
		body, lang, pointer, want string
		status                    int
	}{
		{`{"code":"T1","kind":"ap","households":1,` + ok + `}`, "vi", "/kind", "Loại phải là một trong các giá trị: thon, to_dan_pho", 422},
		{`{"code":"T1","kind":"ap","households":1,` + ok + `}`, "en", "/kind", "The kind must be one of: thon, to_dan_pho", 422},
		{`{"code":"T1","kind":"thon","households":12.5,` + ok + `}`, "vi", "/households", "phải là một số nguyên", 422},
		{`{"code":"T1","kind":"thon","households":12.5,` + ok + `}`, "en", "/households", "must be a whole number", 422},
		{`{"code":"T1","kind":"thon",`, "en", "", "ends before the JSON value is complete", 400},
	}
	for _, m := range messages {
		r := e.do("POST", "/v1/provinces/01/hamlets", ed, m.body, "Accept-Language", m.lang)
		mustStatus(t, r, m.status)
		p := r.problem(t)
		if m.pointer == "" {
			if !strings.Contains(p.Detail, m.want) {
				t.Errorf("%s: detail %q, want %q", m.body, p.Detail, m.want)
			}
			continue
		}
		if len(p.Errors) != 1 || p.Errors[0].Pointer != m.pointer || p.Errors[0].Message != m.want {
			t.Errorf("%s (%s): %+v, want %s %q", m.body, m.lang, p.Errors, m.pointer, m.want)
		}
	}
	mustStatus(t, e.do("POST", "/v1/provinces/01/hamlets", ed, hamletBody("T1", "00001", "Thôn A", "thon", 1)), 201)
	r := e.do("POST", "/v1/provinces/01/hamlets", ed, hamletBody("T1", "00001", "Thôn A", "thon", 1))
	mustStatus(t, r, 409)
	if p := r.problem(t); p.Errors[0].Pointer != "/code" {
		t.Fatalf("duplicate pointer %+v", p.Errors)
	}
}

func TestHamletFundCategory(t *testing.T) {
	t.Parallel()
	e, ed := hamletEnv(t)
	key := communeBody("00002", "Xã Trọng Điểm")
	key["key_security_order"] = true
	border := communeBody("00003", "Xã Biên Giới")
	border["border"] = true
	island := communeBody("00004", "Đặc khu Bạch Long Vĩ")
	island["island"] = true
	for _, c := range []map[string]any{key, border, island} {
		mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, c), 201)
	}
	with := func(b map[string]any, k string, v any) map[string]any { b[k] = v; return b }
	cases := []struct {
		name      string
		body      map[string]any
		category  string
		criterion string
	}{
		{"thôn of 349 households", hamletBody("h1", "00001", "Thôn 1", "thon", 349), "4.5", "standard"},
		{"thôn of 350 households", hamletBody("h2", "00001", "Thôn 2", "thon", 350), "6.0", "thon_350_households"},
		{"tổ dân phố of 499 households", hamletBody("h3", "00001", "Tổ 3", "to_dan_pho", 499), "4.5", "standard"},
		{"tổ dân phố of 500 households", hamletBody("h4", "00001", "Tổ 4", "to_dan_pho", 500), "6.0", "to_dan_pho_500_households"},
		{"tổ dân phố of 400 converted from a thôn", with(hamletBody("h5", "00001", "Tổ 5", "to_dan_pho", 400), "converted_from_thon", true),
			"6.0", "to_dan_pho_converted_from_thon_350_households"},
		{"tổ dân phố of 349 converted from a thôn", with(hamletBody("h6", "00001", "Tổ 6", "to_dan_pho", 349), "converted_from_thon", true), "4.5", "standard"},
		{"small thôn of a key-security commune", hamletBody("h7", "00002", "Thôn 7", "thon", 50), "6.0", "key_security_order_commune"},
		{"small thôn flagged key-security itself", with(hamletBody("h8", "00001", "Thôn 8", "thon", 50), "key_security_order", true), "6.0", "key_security_order_commune"},
		{"small thôn of a border commune (derived)", hamletBody("h9", "00003", "Thôn 9", "thon", 50), "6.0", "border_or_island_commune"},
		{"small thôn of an island commune (derived)", hamletBody("h10", "00004", "Thôn 10", "thon", 50), "6.0", "border_or_island_commune"},
		{"border commune, hamlet set not border", with(hamletBody("h11", "00003", "Thôn 11", "thon", 50), "border_or_island", false), "4.5", "standard"},
		{"plain commune, hamlet set border", with(hamletBody("h12", "00001", "Thôn 12", "thon", 50), "border_or_island", true), "6.0", "border_or_island_commune"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.sub(t).do("POST", "/v1/provinces/01/hamlets", ed, c.body)
			mustStatus(t, r, 201)
			var h hamletResponse
			r.json(t, &h)
			if h.FundCategory != c.category || h.FundCriterion.Code != c.criterion || h.FundCriterion.LabelVI == "" {
				t.Fatalf("got %s / %s, want %s / %s: %s", h.FundCategory, h.FundCriterion.Code, c.category, c.criterion, r.Body)
			}
		})
	}
	// The commune's flags are read live: the border commune's hamlet follows a change of the commune.
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/communes/00003", ed, map[string]any{"border": false}, "If-Match", `"1"`), 200)
	r := e.do("GET", "/v1/provinces/01/hamlets/h9?as_of=2025-03-01", ed, nil)
	mustStatus(t, r, 200)
	var h hamletResponse
	r.json(t, &h)
	if h.FundCategory != "4.5" {
		t.Fatalf("after the commune lost its border flag: %s", r.Body)
	}
	// Setting the hamlet's own flag back to null derives it again.
	r = e.do("PATCH", "/v1/provinces/01/hamlets/h12", ed, map[string]any{"border_or_island": nil}, "If-Match", `"1"`)
	mustStatus(t, r, 200)
	r.json(t, &h)
	if h.BorderOrIsland != nil || h.FundCategory != "4.5" {
		t.Fatalf("border_or_island null: %s", r.Body)
	}
	// Before Decree 33/2023 the categories are not defined: the hamlet has none, and the criterion says
	// from when the rule applies (TestAHamletReadBeforeTheHamletFundRulesHasNoCategory).
	r = e.do("GET", "/v1/provinces/01/hamlets/h2?as_of=2023-07-31", ed, nil)
	mustStatus(t, r, 200)
	r.json(t, &h)
	if h.FundCategory != "" || h.FundCriterion.Code != "not_in_force" {
		t.Fatalf("before Decree 33: %s", r.Body)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/hamlets?as_of=soon", ed, nil), 422)
}

func TestHamletListFiltersAndSearch(t *testing.T) {
	t.Parallel()
	e, ed := hamletEnv(t)
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, communeBody("00002", "Phường Hà Đông")), 201)
	old := hamletBody("a1", "00001", "Thôn Làng Hạ", "thon", 200)
	old["effective_from"], old["effective_to"] = "2020-01-01", "2025-06-30"
	for _, b := range []map[string]any{old,
		hamletBody("a2", "00001", "Thôn Đồng Tâm", "thon", 380),
		hamletBody("b1", "00002", "Tổ dân phố số 1", "to_dan_pho", 520),
		hamletBody("b2", "00002", "Tổ dân phố Đồng Xa", "to_dan_pho", 100),
	} {
		mustStatus(t, e.do("POST", "/v1/provinces/01/hamlets", ed, b), 201)
	}
	codes := func(path string) string {
		t.Helper()
		r := e.do("GET", path, ed, nil)
		mustStatus(t, r, 200)
		var l hamletList
		r.json(t, &l)
		var cs []string
		for _, h := range l.Items {
			cs = append(cs, h.Code)
		}
		return strings.Join(cs, ",")
	}
	checks := map[string]string{
		"/v1/provinces/01/hamlets":                         "a1,a2,b1,b2",
		"/v1/provinces/01/hamlets?commune_code=00002":      "b1,b2",
		"/v1/provinces/01/hamlets?kind=thon":               "a1,a2",
		"/v1/provinces/01/hamlets?active_on=2025-07-01":    "a2,b1,b2",
		"/v1/provinces/01/hamlets?q=lang%20ha":             "a1",
		"/v1/provinces/01/hamlets?q=DONG":                  "a2,b2",
		"/v1/provinces/01/hamlets?q=%C4%91%E1%BB%93ng%20t": "a2", // "đồng t"
		"/v1/provinces/01/hamlets?q=_":                     "",
	}
	for path, want := range checks {
		if got := codes(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	var all []string
	path := "/v1/provinces/01/hamlets?limit=3"
	for path != "" {
		r := e.do("GET", path, ed, nil)
		mustStatus(t, r, 200)
		var l hamletList
		r.json(t, &l)
		for _, h := range l.Items {
			all = append(all, h.Code+":"+h.FundCategory)
		}
		path = ""
		if l.NextCursor != nil {
			path = "/v1/provinces/01/hamlets?limit=3&cursor=" + *l.NextCursor
		}
	}
	if got := strings.Join(all, ","); got != "a1:4.5,a2:6.0,b1:6.0,b2:4.5" {
		t.Fatalf("paged walk %s", got)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/hamlets?kind=ap", ed, nil), 422)
	mustStatus(t, e.do("GET", "/v1/provinces/01/hamlets?cursor=!!", ed, nil), 422)
}

func TestHamletIdempotentCreate(t *testing.T) {
	t.Parallel()
	e, ed := hamletEnv(t)
	body := hamletBody("T1", "00001", "Thôn Một", "thon", 10)
	first := e.do("POST", "/v1/provinces/01/hamlets", ed, body, "Idempotency-Key", "k-1")
	mustStatus(t, first, 201)
	again := e.do("POST", "/v1/provinces/01/hamlets", ed, body, "Idempotency-Key", "k-1")
	mustStatus(t, again, 201)
	if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
		t.Fatalf("replay %s / %s", again.Header, again.Body)
	}
	other := hamletBody("T2", "00001", "Thôn Hai", "thon", 10)
	r := e.do("POST", "/v1/provinces/01/hamlets", ed, other, "Idempotency-Key", "k-1")
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "header/Idempotency-Key" {
		t.Fatalf("reuse pointer %+v", p.Errors)
	}
}

func TestHamletsAreInvisibleToOtherProvinces(t *testing.T) {
	t.Parallel()
	e, hn := hamletEnv(t)
	e.province("79", "Thành phố Hồ Chí Minh")
	hcm := e.key(store.RoleProvinceEditor, "79")
	mustStatus(t, e.do("POST", "/v1/provinces/01/hamlets", hn, hamletBody("T1", "00001", "Thôn Làng Hạ", "thon", 10)), 201)
	for _, req := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/v1/provinces/01/hamlets", nil}, {"GET", "/v1/provinces/01/hamlets/T1", nil},
		{"PATCH", "/v1/provinces/01/hamlets/T1", map[string]any{"name": "hijacked"}},
		{"DELETE", "/v1/provinces/01/hamlets/T1", nil},
		{"POST", "/v1/provinces/01/hamlets", hamletBody("T2", "00001", "Thôn Lạ", "thon", 1)},
	} {
		r := e.do(req.method, req.path, hcm, req.body, "If-Match", `"1"`)
		mustStatus(t, r, 404)
		if strings.Contains(string(r.Body), "Làng Hạ") {
			t.Fatalf("%s %s leaks: %s", req.method, req.path, r.Body)
		}
	}
	// Province 79 cannot hang a hamlet on province 01's commune through its own path either.
	r := e.do("POST", "/v1/provinces/79/hamlets", hcm, hamletBody("T1", "00001", "Thôn Lạ", "thon", 1))
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "/commune_code" {
		t.Fatalf("cross-province commune pointer %+v", p.Errors)
	}
	viewer := e.key(store.RoleProvinceViewer, "01")
	mustStatus(t, e.do("GET", "/v1/provinces/01/hamlets/T1", viewer, nil), 200)
	mustStatus(t, e.do("POST", "/v1/provinces/01/hamlets", viewer, hamletBody("T3", "00001", "Thôn Ba", "thon", 1)), 403)
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/hamlets/T1", viewer, map[string]any{"households": 5}, "If-Match", `"1"`), 403)
	mustStatus(t, e.do("DELETE", "/v1/provinces/01/hamlets/T1", viewer, nil, "If-Match", `"1"`), 403)
	r = e.do("GET", "/v1/provinces/01/hamlets/T1", hn, nil)
	var h hamletResponse
	r.json(t, &h)
	if h.Name != "Thôn Làng Hạ" || h.Households != 10 || h.Version != 1 {
		t.Fatalf("hamlet changed: %s", r.Body)
	}
}
