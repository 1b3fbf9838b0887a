package api

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"communehr/internal/store"
)

// Route classes of the isolation test. Every route of the router must fall in exactly one: a route that
// matches none fails the test, so that a new route is either covered by the class rules or classified here.
const (
	classPublic   = "public"   // no key needed
	classAnyKey   = "any-key"  // any valid key; nothing province-owned
	classNational = "national" // Ministry and operator only
	classOperator = "operator" // operator only
	classProvince = "province" // /v1/provinces/{province}/...: the province's keys; national keys read
	classPreview  = "preview"  // a province's reorganisations: every reader previews, its editors apply
)

// routeClass classifies one route (method and chi pattern, without a trailing slash).
func routeClass(method, pattern string) string {
	switch {
	case pattern == "/" || pattern == "/healthz" || pattern == "/readyz" || pattern == "/openapi.yaml":
		return classPublic
	case pattern == "/v1/me" || pattern == "/v1/positions" || pattern == "/v1/parameters",
		strings.HasPrefix(pattern, "/v1/calculations/"), strings.HasPrefix(pattern, "/v1/import-templates/"):
		return classAnyKey
	case pattern == "/v1/provinces" && method == http.MethodGet:
		return classAnyKey // the list: each key sees the provinces it may read (checked below)
	case pattern == "/v1/provinces" && method == http.MethodPost, pattern == "/v1/users" && method == http.MethodPost,
		pattern == "/v1/provinces/{province}" && method == http.MethodPatch:
		return classOperator
	case strings.HasPrefix(pattern, "/v1/national/"):
		return classNational
	case pattern == "/v1/provinces/{province}/reference-units":
		return classOperator // the province's reference units are loaded by operators
	case pattern == "/v1/provinces/{province}/reorganisations":
		return classPreview
	case pattern == "/v1/provinces/{province}" || strings.HasPrefix(pattern, "/v1/provinces/{province}/"):
		return classProvince
	}
	return ""
}

// Province A's distinctive data: none of it may appear in any answer to province B's keys.
const (
	isoProvinceName = "Tỉnh Zyxprovince"
	isoCommuneName  = "Xã Zyxcommune"
	isoHamletName   = "Thôn Zyxhamlet"
	isoPersonName   = "Nguyễn Zyxperson"
	isoNationalID   = "001085987654"
	isoRejectedName = "Trần Zyxrejected"
	isoRejectedNID  = "001190876543"
	isoCadreID      = "00000000-0000-4000-8000-00000000a001"
)

var isoSecrets = []string{"Zyx", isoNationalID, isoRejectedNID, "987654", "876543"}

// isolationFixture seeds province A (01) with one of everything a route can name, and province B (02).
// It returns the values that fill the path parameters of A's routes.
func isolationFixture(e *env) map[string]string {
	e.t.Helper()
	ctx := e.t.Context()
	e.province("01", isoProvinceName)
	e.province("02", "Tỉnh Bê")
	for _, sql := range []string{
		`INSERT INTO communes (province_code, code, name, kind, class, effective_from) VALUES
			('01', '00001', '` + isoCommuneName + `', 'xa', 2, '2020-01-01'), ('02', '00900', 'Xã Bê', 'xa', 1, '2020-01-01')`,
		`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from) VALUES
			('01', 'H1', '00001', '` + isoHamletName + `', 'thon', 420, '2020-01-01')`,
		`INSERT INTO allowance_schedules (province_code, position_code, hamlet_fund_category, effective_from, coefficient, resolution) VALUES
			('01', 'truong_thon_to_truong', '6.0', '2024-07-01', 2.1, 'NQ Zyx'),
			('01', 'pho_bi_thu_doan', '', '2024-07-01', 1.0, 'NQ Zyx')`,
		`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months) VALUES
			('01', '` + isoCadreID + `', '` + isoNationalID + `', '` + isoPersonName + `', 'male', '1985-03-02', 120)`,
		`INSERT INTO assignments (province_code, cadre_id, position_code, hamlet_code, start_date) VALUES
			('01', '` + isoCadreID + `', 'truong_thon_to_truong', 'H1', '2020-01-01')`,
		`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, start_date, concurrent) VALUES
			('01', '` + isoCadreID + `', 'pho_bi_thu_doan', '00001', '2021-01-01', true)`,
	} {
		if _, err := e.admin.Exec(ctx, sql); err != nil {
			e.t.Fatalf("isolation fixture %q: %v", firstLine(strings.TrimSpace(sql)), err)
		}
	}
	var asg string
	if err := e.admin.QueryRow(ctx, `SELECT id::text FROM assignments WHERE province_code = '01' AND position_code = 'truong_thon_to_truong'`).Scan(&asg); err != nil {
		e.t.Fatal(err)
	}
	ed := e.key(store.RoleProvinceEditor, "01")

	// A saved decision, through the API.
	r := e.do("POST", "/v1/provinces/01/cadres/"+isoCadreID+"/entitlements?save=true", ed,
		map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"})
	mustStatus(e.t, r, http.StatusCreated)
	var ent struct {
		Decision *struct {
			ID string `json:"id"`
		} `json:"decision"`
	}
	r.json(e.t, &ent)
	if ent.Decision == nil {
		e.t.Fatalf("no decision saved: %s", r.Body)
	}

	// A failed import whose errors.csv carries A's personal data.
	csvBody := "national_id,full_name,gender,birth_date\n" + isoRejectedNID + "," + isoRejectedName + ",female,1990-13-45\n"
	r = e.do("POST", "/v1/provinces/01/imports?kind=cadres&mode=validate", ed, rawBody{"text/csv", []byte(csvBody)})
	mustStatus(e.t, r, http.StatusCreated)
	var job importJobResponse
	r.json(e.t, &job)
	if job.Status != "failed" {
		e.t.Fatalf("fixture import %+v, want failed", job)
	}
	// A finished entitlement run, through the API (its results.csv names A's person).
	r = e.do("POST", "/v1/provinces/01/entitlement-runs", ed, map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"})
	mustStatus(e.t, r, http.StatusAccepted)
	var run runResponse
	r.json(e.t, &run)
	waitRun(e, viewerOf(e), "01", run.ID)

	return map[string]string{
		"province":            "01",
		"entitlement-runs/id": run.ID,
		"communes/code":       "00001",
		"hamlets/code":        "H1",
		"cadres/id":           isoCadreID,
		"assignments/id":      asg,
		"imports/id":          job.ID,
		"decisions/id":        ent.Decision.ID,
		"import-templates/f":  "cadres.csv",
		"payroll/commune":     "00001",
	}
}

// fillPath replaces each {param} of a pattern with the fixture value named by the segment before it.
func fillPath(t *testing.T, pattern string, ids map[string]string) string {
	t.Helper()
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") {
			continue
		}
		name := strings.Trim(s, "{}")
		key := name
		if name != "province" && i > 0 {
			switch name {
			case "assignment_id":
				name = "id"
			case "file":
				name = "f"
			}
			key = segs[i-1] + "/" + name
		}
		v, ok := ids[key]
		if !ok {
			t.Fatalf("%s: no fixture value for path parameter %s (add one to isolationFixture)", pattern, key)
		}
		segs[i] = v
	}
	return strings.Join(segs, "/")
}

type walkedRoute struct{ method, pattern string }

func walkRoutes(t *testing.T, h http.Handler) []walkedRoute {
	t.Helper()
	var out []walkedRoute
	err := chi.Walk(h.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if route != "/" {
			route = strings.TrimSuffix(route, "/")
		}
		out = append(out, walkedRoute{method, route})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 20 {
		t.Fatalf("walked only %d routes", len(out))
	}
	return out
}

func isWrite(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

// TestEveryRouteIsIsolated walks the real router and calls every route with every kind of key that must
// be refused, and province B's keys on province A's resources: 404, and nothing of A's in the body.
func TestEveryRouteIsIsolated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := isolationFixture(e)
	var (
		edA      = e.key(store.RoleProvinceEditor, "01")
		viewerA  = e.key(store.RoleProvinceViewer, "01")
		edB      = e.key(store.RoleProvinceEditor, "02")
		viewerB  = e.key(store.RoleProvinceViewer, "02")
		ministry = e.key(store.RoleMinistry, "")
		operator = e.key(store.RoleOperator, "")
	)
	revokedID, revoked := keyWithID(e, store.RoleProvinceEditor, "01")
	if err := store.RevokeKey(t.Context(), e.admin, revokedID); err != nil {
		t.Fatal(err)
	}

	routes := walkRoutes(t, NewRouter(Config{}, nil, nil))
	for _, rt := range routes {
		class := routeClass(rt.method, rt.pattern)
		if class == "" {
			t.Errorf("%s %s is not classified: add it to routeClass in isolation_test.go", rt.method, rt.pattern)
			continue
		}
		t.Run(rt.method+" "+rt.pattern, func(t *testing.T) {
			e := e.sub(t)
			path := fillPath(t, rt.pattern, ids)
			// The body does not matter to the checks below (each is refused before the body is read), but
			// a realistic one keeps a handler that reads first honest.
			var body any
			if strings.HasSuffix(rt.pattern, "/reports/exit-appraisal") {
				path += "?exit_date=2025-08-01&reason=reorganisation" // the list needs its exit and reason
			}
			if isWrite(rt.method) {
				body = "{}"
				if strings.HasSuffix(rt.pattern, "/imports") {
					path += "?kind=cadres"
					body = rawBody{"text/csv", []byte("national_id,full_name,gender,birth_date\n")}
				}
			}
			call := func(token string) resp { return e.do(rt.method, path, token, body) }
			expect := func(who, token string, want int) resp {
				t.Helper()
				r := call(token)
				if r.Status != want {
					t.Errorf("%s: status %d, want %d; body %s", who, r.Status, want, r.Body)
				}
				return r
			}
			expectOK := func(who, token string) resp {
				t.Helper()
				r := call(token)
				if r.Status == 401 || r.Status == 403 || r.Status == 404 || r.Status >= 500 {
					t.Errorf("%s: status %d, want the route to serve it; body %s", who, r.Status, r.Body)
				}
				return r
			}

			if class == classPublic {
				expectOK("no key", "")
				return
			}
			expect("no key", "", 401)
			expect("revoked key", revoked, 401)
			expect("malformed key", "chr_notatoken", 401)

			switch class {
			case classAnyKey:
				for who, tok := range map[string]string{"viewer A": viewerA, "editor B": edB, "ministry": ministry, "operator": operator} {
					r := expectOK(who, tok)
					if tok == edB {
						assertNoLeak(t, who, r)
					}
				}
			case classOperator:
				for who, tok := range map[string]string{"viewer A": viewerA, "editor A": edA, "ministry": ministry} {
					expect(who, tok, 403)
				}
			case classNational:
				for who, tok := range map[string]string{"viewer A": viewerA, "editor A": edA, "editor B": edB} {
					expect(who, tok, 403)
				}
				if !isWrite(rt.method) {
					expectOK("ministry", ministry)
					expectOK("operator", operator)
				} else {
					expect("ministry", ministry, 403)
				}
			case classPreview:
				for who, tok := range map[string]string{"editor B": edB, "viewer B": viewerB} {
					r := e.do(rt.method, path+"?mode=preview", tok, body)
					if r.Status != 404 {
						t.Errorf("%s: status %d, want 404", who, r.Status)
					}
					assertNoLeak(t, who, r)
				}
				for who, tok := range map[string]string{"viewer A": viewerA, "ministry": ministry, "operator": operator, "editor A": edA} {
					if r := e.do(rt.method, path+"?mode=preview", tok, body); r.Status == 401 || r.Status == 403 || r.Status == 404 || r.Status >= 500 {
						t.Errorf("%s preview: status %d, want it served; body %s", who, r.Status, r.Body)
					}
				}
				for who, tok := range map[string]string{"viewer A": viewerA, "ministry": ministry, "operator": operator} {
					if r := e.do(rt.method, path+"?mode=apply", tok, body); r.Status != 403 {
						t.Errorf("%s apply: status %d, want 403", who, r.Status)
					}
				}
			case classProvince:
				for who, tok := range map[string]string{"editor B": edB, "viewer B": viewerB} {
					assertNoLeak(t, who, expect(who, tok, 404))
				}
				if isWrite(rt.method) {
					expect("viewer A", viewerA, 403)
					expect("ministry", ministry, 403)
					expect("operator", operator, 403)
					return
				}
				// Reads: A's own viewer is served (the path names real rows), and the Ministry reads the same.
				own := call(viewerA)
				if own.Status != 200 {
					t.Fatalf("viewer A: status %d, want 200 (the fixture should make every path real); body %s", own.Status, own.Body)
				}
				expect("ministry", ministry, 200)
				expect("operator", operator, 200)
			}
		})
	}

	// The province list is any-key, but each province key sees only its own province.
	r := e.do("GET", "/v1/provinces", edB, nil)
	mustStatus(t, r, 200)
	assertNoLeak(t, "editor B listing provinces", r)
}

func assertNoLeak(t *testing.T, who string, r resp) {
	t.Helper()
	for _, s := range append(isoSecrets, isoProvinceName) {
		if bytes.Contains(r.Body, []byte(s)) {
			t.Errorf("%s: the answer (%d) holds province A's %q: %s", who, r.Status, s, r.Body)
		}
	}
}
