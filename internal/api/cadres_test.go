package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"communehr/internal/store"
)

// Citizen identity numbers that agree with the bodies below (docs/legal-basis.md §10): province 001, the
// gender/century digit, the birth year's last two digits, a serial.
const (
	nidMale1985   = "001085012345" // 0 = male, 1900s; 85
	nidFemale1990 = "001190000123" // 1 = female, 1900s; 90
	nidMale2001   = "001201000456" // 2 = male, 2000s; 01
)

func cadreBody(nid, name, gender, birth string) map[string]any {
	return map[string]any{"national_id": nid, "full_name": name, "gender": gender, "birth_date": birth, "si_months": 120}
}

// mustCreateCadre adds a person through the API and returns their id.
func (e *env) mustCreateCadre(token, province string, body map[string]any) string {
	e.t.Helper()
	r := e.do("POST", "/v1/provinces/"+province+"/cadres", token, body)
	mustStatus(e.t, r, 201)
	var c cadreResponse
	r.json(e.t, &c)
	return c.ID
}

// auditCount counts audit rows of one entity and action.
func (e *env) cadreAuditCount(entity, id, action string) int {
	e.t.Helper()
	var n int
	err := e.admin.QueryRow(e.t.Context(), `SELECT count(*) FROM audit_log WHERE entity = $1 AND entity_id = $2 AND action = $3`,
		entity, id, action).Scan(&n)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestCadreCRUD(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")

	// The name arrives with combining marks (NFD) and extra spaces; it is stored NFC with single spaces.
	r := e.do("POST", "/v1/provinces/01/cadres", ed, cadreBody(nidMale1985, " Nguye\u0302\u0303n  Va\u0306n An ", "male", "1985-03-02"))
	mustStatus(t, r, 201)
	var c cadreResponse
	r.json(t, &c)
	if c.FullName != "Nguyễn Văn An" || c.NationalID != nidMale1985 || c.NationalIDMasked || c.Status != "active" ||
		c.SIMonths != 120 || c.LeftOn != nil || r.Header.Get("ETag") != `"1"` || !cadreUUIDPattern.MatchString(c.ID) {
		t.Fatalf("created %+v etag %s", c, r.Header.Get("ETag"))
	}
	if loc := r.Header.Get("Location"); loc != "/v1/provinces/01/cadres/"+c.ID {
		t.Fatalf("Location %q", loc)
	}
	path := "/v1/provinces/01/cadres/" + c.ID
	r = e.do("GET", path, ed, nil)
	mustStatus(t, r, 200)
	r.json(t, &c)
	if c.Assignments == nil || len(*c.Assignments) != 0 {
		t.Fatalf("GET one should list (no) assignments: %s", r.Body)
	}

	mustStatus(t, e.do("PATCH", path, ed, map[string]any{"si_months": 130}), 428)
	mustStatus(t, e.do("PATCH", path, ed, map[string]any{"si_months": 130}, "If-Match", `"5"`), 412)
	// Leaving needs left_on; with it, the change goes through.
	r = e.do("PATCH", path, ed, map[string]any{"status": "left"}, "If-Match", `"1"`)
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "/left_on" {
		t.Fatalf("left without left_on: %s", r.Body)
	}
	r = e.do("PATCH", path, ed, map[string]any{"status": "left", "left_on": "2025-06-30", "si_months": 130}, "If-Match", `"1"`)
	mustStatus(t, r, 200)
	r.json(t, &c)
	if c.Status != "left" || c.LeftOn == nil || c.LeftOn.Format(dateLayout) != "2025-06-30" || c.SIMonths != 130 || c.Version != 2 {
		t.Fatalf("patched %+v", c)
	}
	mustStatus(t, e.do("PATCH", path, ed, map[string]any{"full_name": nil}, "If-Match", `"2"`), 422)

	// A post, so that the delete has something to cascade.
	seedCadreCommune(e, ed, "00004")
	r = e.do("POST", path+"/assignments", ed, map[string]any{"position_code": "van_phong_dang_uy", "commune_code": "00004", "start_date": "2024-01-01"})
	mustStatus(t, r, 201)
	var a assignmentResponse
	r.json(t, &a)

	mustStatus(t, e.do("DELETE", path, ed, nil), 428)
	mustStatus(t, e.do("DELETE", path, ed, nil, "If-Match", `"1"`), 412)
	mustStatus(t, e.do("DELETE", path, ed, nil, "If-Match", `"2"`), 204)
	mustStatus(t, e.do("GET", path, ed, nil), 404)
	mustStatus(t, e.do("GET", path+"/assignments/"+a.ID, ed, nil), 404)

	for _, w := range []struct {
		entity, id, action string
	}{{"cadre", c.ID, "create"}, {"cadre", c.ID, "update"}, {"cadre", c.ID, "delete"}, {"assignment", a.ID, "create"}, {"assignment", a.ID, "delete"}} {
		if n := e.cadreAuditCount(w.entity, w.id, w.action); n != 1 {
			t.Errorf("%d audit rows for %s %s, want 1", n, w.action, w.entity)
		}
	}
	// The audit log keeps the identity number masked, like a viewer sees it.
	var leaked bool
	if err := e.admin.QueryRow(t.Context(), `SELECT EXISTS (SELECT 1 FROM audit_log WHERE before::text LIKE '%'||$1||'%' OR after::text LIKE '%'||$1||'%')`,
		nidMale1985).Scan(&leaked); err != nil {
		t.Fatal(err)
	}
	if leaked {
		t.Fatal("the audit log holds the full national_id")
	}
}

// mustCommune adds commune code through the API, in force since 2020 (the posts of these tests lie within it).
func seedCadreCommune(e *env, token, code string) {
	e.t.Helper()
	b := communeBody(code, "Xã "+code)
	b["effective_from"] = "2020-01-01"
	mustStatus(e.t, e.do("POST", "/v1/provinces/01/communes", token, b), 201)
}

func TestCadreValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	body := func(change func(b map[string]any)) map[string]any {
		b := cadreBody(nidMale1985, "Nguyễn Văn An", "male", "1985-03-02")
		change(b)
		return b
	}
	cases := map[string]struct {
		body    map[string]any
		pointer string
		says    string // part of the English message
	}{
		"gender digit says female": {body(func(b map[string]any) { b["national_id"] = "001185012345" }), "/national_id", "means female, but the gender given is male"},
		"century digit says 2000s": {body(func(b map[string]any) { b["national_id"] = "001285012345" }), "/national_id", "born 2000–2099"},
		"4th digit is no code":     {body(func(b map[string]any) { b["national_id"] = "001785012345" }), "/national_id", "not a gender/century code"},
		"year digits disagree":     {body(func(b map[string]any) { b["national_id"] = "001086012345" }), "/national_id", "birth year 1985"},
		"female born 2001 needs digit 3": {body(func(b map[string]any) {
			b["national_id"] = nidMale2001
			b["gender"] = "female"
			b["birth_date"] = "2001-05-05"
		}), "/national_id", "means male"},
		"not only digits":                 {body(func(b map[string]any) { b["national_id"] = "00108501234a" }), "/national_id", ""},
		"signed number":                   {body(func(b map[string]any) { b["national_id"] = "+01085012345" }), "/national_id", ""},
		"11 digits":                       {body(func(b map[string]any) { b["national_id"] = "00108501234" }), "/national_id", ""},
		"missing national_id":             {body(func(b map[string]any) { delete(b, "national_id") }), "/national_id", ""},
		"name with digits":                {body(func(b map[string]any) { b["full_name"] = "Nguyễn Văn 2" }), "/full_name", "only letters"},
		"name of one letter":              {body(func(b map[string]any) { b["full_name"] = " A " }), "/full_name", "2 to 100"},
		"name of 101 letters":             {body(func(b map[string]any) { b["full_name"] = strings.Repeat("ă", 101) }), "/full_name", "2 to 100"},
		"name of punctuation":             {body(func(b map[string]any) { b["full_name"] = "--" }), "/full_name", ""},
		"unknown gender":                  {body(func(b map[string]any) { b["gender"] = "other" }), "/gender", ""},
		"birth before 1900":               {body(func(b map[string]any) { b["birth_date"] = "1899-12-31" }), "/birth_date", "1900-01-01"},
		"birth date malformed":            {body(func(b map[string]any) { b["birth_date"] = "02/03/1985" }), "/birth_date", ""},
		"si_months over 720":              {body(func(b map[string]any) { b["si_months"] = 721 }), "/si_months", ""},
		"si_months negative":              {body(func(b map[string]any) { b["si_months"] = -1 }), "/si_months", ""},
		"retired without left_on":         {body(func(b map[string]any) { b["status"] = "retired" }), "/left_on", "required"},
		"active with left_on":             {body(func(b map[string]any) { b["left_on"] = "2025-01-01" }), "/left_on", "empty"},
		"unknown status":                  {body(func(b map[string]any) { b["status"] = "dead" }), "/status", ""},
		"unknown field":                   {body(func(b map[string]any) { b["nickname"] = "An" }), "/nickname", ""},
		"left before birth":               {body(func(b map[string]any) { b["status"] = "left"; b["left_on"] = "1980-01-01" }), "/left_on", ""},
		"name with an apostrophe is fine": {body(func(b map[string]any) { b["full_name"] = "H'Hen Niê" }), "", ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := e.sub(t).do("POST", "/v1/provinces/01/cadres", ed, c.body)
			if c.pointer == "" {
				mustStatus(t, r, 201)
				return
			}
			mustStatus(t, r, 422)
			p := r.problem(t)
			found := false
			for _, f := range p.Errors {
				if f.Pointer == c.pointer && strings.Contains(f.Message, c.says) {
					found = true
				}
			}
			if !found {
				t.Fatalf("no error at %s saying %q: %s", c.pointer, c.says, r.Body)
			}
		})
	}
	// Vietnamese messages name what disagrees too.
	r := e.do("POST", "/v1/provinces/01/cadres", ed, body(func(b map[string]any) { b["national_id"] = "001185012345" }), "Accept-Language", "vi")
	mustStatus(t, r, 422)
	if p := r.problem(t); !strings.Contains(p.Errors[0].Message, "giới tính nữ") {
		t.Fatalf("vi message: %s", r.Body)
	}

	// The future is the store clock's: on 2020-01-01 a person born in 2021 is refused, even with a matching ID.
	e.st.SetClock(func() time.Time { return time.Date(2020, 1, 1, 3, 0, 0, 0, time.UTC) })
	r = e.do("POST", "/v1/provinces/01/cadres", ed, cadreBody("001221000001", "Lê Thị Hoa", "male", "2021-01-01"))
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "/birth_date" {
		t.Fatalf("future birth: %s", r.Body)
	}
	e.st.SetClock(time.Now)

	// The identity number is unique in the province.
	mustStatus(t, e.do("POST", "/v1/provinces/01/cadres", ed, cadreBody(nidFemale1990, "Trần Thị Bình", "female", "1990-07-01")), 201)
	r = e.do("POST", "/v1/provinces/01/cadres", ed, cadreBody(nidFemale1990, "Trần Thị Bình", "female", "1990-07-01"))
	mustStatus(t, r, 409)
	if p := r.problem(t); p.Errors[0].Pointer != "/national_id" || strings.Contains(string(r.Body), nidFemale1990) {
		t.Fatalf("duplicate: %s", r.Body)
	}
}

func TestCadreSearchFiltersAndPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	seedCadreCommune(e, ed, "00004")
	seedCadreCommune(e, ed, "00007")
	e.seedCadreHamlet("TD01", "00004", "Thôn Đông")
	an := e.mustCreateCadre(ed, "01", cadreBody(nidMale1985, "Nguyễn Văn An", "male", "1985-03-02"))
	binh := e.mustCreateCadre(ed, "01", cadreBody(nidFemale1990, "Nguyễn Thị Bình", "female", "1990-07-01"))
	cuong := e.mustCreateCadre(ed, "01", map[string]any{"national_id": nidMale2001, "full_name": "Trần Văn Cường",
		"gender": "male", "birth_date": "2001-01-01", "status": "retired", "left_on": "2025-01-01"})
	mustStatus(t, e.do("POST", "/v1/provinces/01/cadres/"+an+"/assignments", ed,
		map[string]any{"position_code": "bi_thu_chi_bo", "hamlet_code": "TD01", "start_date": "2024-01-01"}), 201)
	mustStatus(t, e.do("POST", "/v1/provinces/01/cadres/"+binh+"/assignments", ed,
		map[string]any{"position_code": "van_phong_dang_uy", "commune_code": "00007", "start_date": "2024-01-01"}), 201)

	names := func(path string) string {
		t.Helper()
		r := e.do("GET", path, ed, nil)
		mustStatus(t, r, 200)
		var l cadreList
		r.json(t, &l)
		var ns []string
		for _, c := range l.Items {
			ns = append(ns, c.FullName)
		}
		return strings.Join(ns, ",")
	}
	sorted := func(ids ...string) []string { // list order is by id
		out := append([]string(nil), ids...)
		for i := range out {
			for j := i + 1; j < len(out); j++ {
				if out[j] < out[i] {
					out[i], out[j] = out[j], out[i]
				}
			}
		}
		return out
	}
	byID := map[string]string{an: "Nguyễn Văn An", binh: "Nguyễn Thị Bình", cuong: "Trần Văn Cường"}
	want := func(ids ...string) string {
		var ns []string
		for _, id := range sorted(ids...) {
			ns = append(ns, byID[id])
		}
		return strings.Join(ns, ",")
	}
	checks := map[string]string{
		"/v1/provinces/01/cadres":                          want(an, binh, cuong),
		"/v1/provinces/01/cadres?q=nguyen%20van":           want(an),
		"/v1/provinces/01/cadres?q=NGUYEN":                 want(an, binh),
		"/v1/provinces/01/cadres?q=c%C6%B0%E1%BB%9Dng":     want(cuong), // "cường"
		"/v1/provinces/01/cadres?q=van":                    want(an, cuong),
		"/v1/provinces/01/cadres?status=retired":           want(cuong),
		"/v1/provinces/01/cadres?status=active&q=nguyen":   want(an, binh),
		"/v1/provinces/01/cadres?hamlet_code=TD01":         want(an),
		"/v1/provinces/01/cadres?commune_code=00004":       want(an), // through its hamlet
		"/v1/provinces/01/cadres?commune_code=00007":       want(binh),
		"/v1/provinces/01/cadres?q=%25":                    "",
		"/v1/provinces/01/cadres?commune_code=00004&q=thi": "",
	}
	for path, w := range checks {
		if got := names(path); got != w {
			t.Errorf("%s = %q, want %q", path, got, w)
		}
	}
	for _, bad := range []string{"status=dead", "commune_code=4", "hamlet_code=a%20b", "cursor=bm90LWEtdXVpZA", "limit=0"} {
		mustStatus(t, e.do("GET", "/v1/provinces/01/cadres?"+bad, ed, nil), 422)
	}
	// Cursor pagination walks every person once, in id order.
	var walked []string
	path := "/v1/provinces/01/cadres?limit=2"
	for path != "" {
		r := e.do("GET", path, ed, nil)
		mustStatus(t, r, 200)
		var l cadreList
		r.json(t, &l)
		for _, c := range l.Items {
			walked = append(walked, c.ID)
		}
		path = ""
		if l.NextCursor != nil {
			path = "/v1/provinces/01/cadres?limit=2&cursor=" + *l.NextCursor
		}
	}
	if fmt.Sprint(walked) != fmt.Sprint(sorted(an, binh, cuong)) {
		t.Fatalf("paged walk %v", walked)
	}
}

func TestCadreIdempotentCreate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	body := cadreBody(nidMale1985, "Nguyễn Văn An", "male", "1985-03-02")
	r1 := e.do("POST", "/v1/provinces/01/cadres", ed, body, "Idempotency-Key", "k-1")
	mustStatus(t, r1, 201)
	r2 := e.do("POST", "/v1/provinces/01/cadres", ed, body, "Idempotency-Key", "k-1")
	mustStatus(t, r2, 201)
	if string(r1.Body) != string(r2.Body) || r2.Header.Get("Idempotent-Replayed") != "true" || r1.Header.Get("Location") != r2.Header.Get("Location") {
		t.Fatalf("replay differs:\n%s\n%s", r1.Body, r2.Body)
	}
	r := e.do("POST", "/v1/provinces/01/cadres", ed, cadreBody(nidFemale1990, "Trần Thị Bình", "female", "1990-07-01"), "Idempotency-Key", "k-1")
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "header/Idempotency-Key" {
		t.Fatalf("reused key: %s", r.Body)
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM cadres`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d people after a replay (err %v), want 1", n, err)
	}
}

func TestCadreMaskingRolesAndIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	e.province("79", "Thành phố Hồ Chí Minh")
	ed := e.key(store.RoleProvinceEditor, "01")
	viewer := e.key(store.RoleProvinceViewer, "01")
	ministry := e.key(store.RoleMinistry, "")
	hcm := e.key(store.RoleProvinceEditor, "79")
	hcmViewer := e.key(store.RoleProvinceViewer, "79")
	seedCadreCommune(e, ed, "00004")
	id := e.mustCreateCadre(ed, "01", cadreBody(nidMale1985, "Nguyễn Văn An", "male", "1985-03-02"))
	path := "/v1/provinces/01/cadres/" + id
	r := e.do("POST", path+"/assignments", ed, map[string]any{"position_code": "van_phong_dang_uy", "commune_code": "00004", "start_date": "2024-01-01"})
	mustStatus(t, r, 201)
	var a assignmentResponse
	r.json(t, &a)

	// Viewers see the number masked, in the list and in GET one, and never whole.
	for _, p := range []string{"/v1/provinces/01/cadres", path} {
		r := e.do("GET", p, viewer, nil)
		mustStatus(t, r, 200)
		if strings.Contains(string(r.Body), nidMale1985) || !strings.Contains(string(r.Body), `"0010*****345"`) ||
			!strings.Contains(string(r.Body), `"national_id_masked":true`) {
			t.Fatalf("viewer GET %s: %s", p, r.Body)
		}
	}
	// Editors and the Ministry see it whole.
	for _, tok := range []string{ed, ministry} {
		r := e.do("GET", path, tok, nil)
		mustStatus(t, r, 200)
		var c cadreResponse
		r.json(t, &c)
		if c.NationalID != nidMale1985 || c.NationalIDMasked || c.Assignments == nil || len(*c.Assignments) != 1 {
			t.Fatalf("GET: %s", r.Body)
		}
	}
	// The Ministry and viewers read but never write.
	for _, tok := range []string{ministry, viewer} {
		mustStatus(t, e.do("POST", "/v1/provinces/01/cadres", tok, cadreBody(nidFemale1990, "Trần Thị Bình", "female", "1990-07-01")), 403)
		mustStatus(t, e.do("PATCH", path, tok, map[string]any{"si_months": 1}, "If-Match", `"1"`), 403)
		mustStatus(t, e.do("DELETE", path, tok, nil, "If-Match", `"1"`), 403)
		mustStatus(t, e.do("POST", path+"/assignments", tok, map[string]any{"position_code": "van_phong_dang_uy", "commune_code": "00004", "start_date": "2020-01-01"}), 403)
		mustStatus(t, e.do("DELETE", path+"/assignments/"+a.ID, tok, nil, "If-Match", `"1"`), 403)
	}
	mustStatus(t, e.do("GET", path+"/assignments", ministry, nil), 200)

	// Another province's keys get 404 everywhere, and nothing of the person in the body.
	for _, tok := range []string{hcm, hcmViewer} {
		for _, req := range []struct{ method, path string }{
			{"GET", "/v1/provinces/01/cadres"}, {"GET", path}, {"PATCH", path}, {"DELETE", path},
			{"POST", "/v1/provinces/01/cadres"}, {"GET", path + "/assignments"}, {"GET", path + "/assignments/" + a.ID},
			{"PATCH", path + "/assignments/" + a.ID}, {"DELETE", path + "/assignments/" + a.ID}, {"POST", path + "/assignments"},
			// Their own province's URL with this person's id: RLS hides the row.
			{"GET", "/v1/provinces/79/cadres/" + id}, {"GET", "/v1/provinces/79/cadres/" + id + "/assignments"},
			{"GET", "/v1/provinces/79/cadres/" + id + "/assignments/" + a.ID},
		} {
			var body any
			switch req.method {
			case "POST":
				body = cadreBody(nidFemale1990, "Trần Thị Bình", "female", "1990-07-01")
			case "PATCH":
				body = map[string]any{"full_name": "Kẻ Lạ"}
			}
			r := e.do(req.method, req.path, tok, body, "If-Match", `"1"`)
			mustStatus(t, r, 404)
			for _, secret := range []string{"Nguy", nidMale1985, "0010*****345", "van_phong"} {
				if strings.Contains(string(r.Body), secret) {
					t.Fatalf("%s %s leaks %q: %s", req.method, req.path, secret, r.Body)
				}
			}
		}
	}
	mustStatus(t, e.do("PATCH", "/v1/provinces/79/cadres/"+id, hcm, map[string]any{"full_name": "Kẻ Lạ"}, "If-Match", `"1"`), 404)
	r = e.do("GET", "/v1/provinces/79/cadres", hcm, nil)
	mustStatus(t, r, 200)
	if strings.Contains(string(r.Body), id) {
		t.Fatalf("79 lists 01's person: %s", r.Body)
	}
	// Malformed and unknown ids are 404s.
	for _, p := range []string{"/v1/provinces/01/cadres/not-a-uuid", "/v1/provinces/01/cadres/00000000-0000-0000-0000-000000000000",
		path + "/assignments/42", "/v1/provinces/01/cadres/not-a-uuid/assignments"} {
		mustStatus(t, e.do("GET", p, ed, nil), 404)
	}
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/cadres/xyz", ed, map[string]any{"si_months": 1}, "If-Match", `"1"`), 404)
}
