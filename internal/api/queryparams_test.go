package api

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"communehr/internal/store"
)

// routeParam gives every path parameter of the router a plausible value, so that each route can be called.
var routeParam = regexp.MustCompile(`\{[^}]+\}`)

// TestUnknownQueryParameterRefusedOnEveryRoute walks every route of the chi router and calls it with a
// parameter no operation documents: each answers 400 naming it (in English and Vietnamese), before
// authentication or any handler runs, so a future route is covered as soon as it is routed.
func TestUnknownQueryParameterRefusedOnEveryRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	routes := make([]string, 0)
	for r := range routeSet(t) {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	if len(routes) < 40 {
		t.Fatalf("only %d routes walked", len(routes))
	}
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt, " ")
		path = routeParam.ReplaceAllStringFunc(path, func(p string) string {
			switch p {
			case "{province}":
				return "01"
			case "{code}", "{commune}":
				return "00004"
			}
			return "6f1c1f5e-8d0b-4c55-9a1e-6d3f2f7f9a10"
		})
		for _, lang := range []string{"en", "vi"} {
			r := e.do(method, path+"?zz_unknown=1", "", nil, "Accept-Language", lang)
			if r.Status != http.StatusBadRequest {
				t.Errorf("%s %s?zz_unknown=1 (%s) = %d, want 400: %s", method, path, lang, r.Status, r.Body)
				continue
			}
			p := r.problem(t)
			if len(p.Errors) != 1 || p.Errors[0].Pointer != "query/zz_unknown" || !strings.Contains(p.Detail, "zz_unknown") {
				t.Errorf("%s %s: %s", method, path, r.Body)
			}
			if lang == "vi" && !strings.Contains(p.Detail, "Tham số truy vấn") {
				t.Errorf("%s %s: not in Vietnamese: %s", method, path, p.Detail)
			}
		}
	}
}

// The two filters an integrator guessed: a CCCD filter on people and a commune filter on hamlets were
// ignored and returned everything; now they are refused, listing what the list accepts.
func TestUnknownFilterNamesTheAcceptedOnes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	r := e.do("GET", "/v1/provinces/01/cadres?national_id=001085000123", ed, nil)
	mustStatus(t, r, 400)
	p := r.problem(t)
	if p.Errors[0].Pointer != "query/national_id" || !strings.Contains(p.Detail, "commune_code, cursor, hamlet_code, limit, q, status") {
		t.Fatalf("cadres: %s", r.Body)
	}
	r = e.do("GET", "/v1/provinces/01/hamlets?commune=00004", ed, nil)
	mustStatus(t, r, 400)
	if p := r.problem(t); p.Errors[0].Pointer != "query/commune" {
		t.Fatalf("hamlets: %s", r.Body)
	}
	// Documented parameters still pass.
	mustStatus(t, e.do("GET", "/v1/provinces/01/cadres?q=an&limit=5", ed, nil), 200)
}

// q finds people by CCCD: editors by a full or partial number, viewers (who see it masked) only by the
// full number.
func TestCadreSearchByCCCD(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	vw := e.key(store.RoleProvinceViewer, "01")
	e.mustCreateCadre(ed, "01", cadreBody(nidMale1985, "Nguyễn Văn An", "male", "1985-03-02"))
	e.mustCreateCadre(ed, "01", cadreBody(nidFemale1990, "Nguyễn Thị Bình", "female", "1990-07-01"))
	count := func(tok, q string) int {
		t.Helper()
		r := e.do("GET", "/v1/provinces/01/cadres?q="+q, tok, nil)
		mustStatus(t, r, 200)
		var l cadreList
		r.json(t, &l)
		return len(l.Items)
	}
	part := nidMale1985[3:9]
	for _, c := range []struct {
		who, tok, q string
		want        int
	}{
		{"editor, full", ed, nidMale1985, 1},
		{"editor, part", ed, part, 1},
		{"viewer, full", vw, nidMale1985, 1},
		{"viewer, part", vw, part, 0},
		{"editor, no such", ed, "999999999999", 0},
	} {
		if got := count(c.tok, c.q); got != c.want {
			t.Errorf("%s: %d people, want %d", c.who, got, c.want)
		}
	}
}

// A 405 says which methods the path accepts (sent outside e.do: a 405 is not an operation of the contract).
func TestMethodNotAllowedCarriesAllow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	for path, want := range map[string]string{"/v1/provinces/01/cadres": "GET, POST", "/healthz": "GET"} {
		req, _ := http.NewRequest("DELETE", e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+ed)
		res, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 405 || res.Header.Get("Allow") != want {
			t.Errorf("DELETE %s: %d, Allow %q, want %q", path, res.StatusCode, res.Header.Get("Allow"), want)
		}
	}
}
