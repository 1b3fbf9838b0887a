package api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"communehr/internal/store"
)

// Hostile inputs of the no-5xx sweep: each must be answered by a precise, documented 4xx (or served), never
// a 500. Query values are sent raw (already percent-encoded where they need to be).
var hostileQueryValues = []string{
	"-1", "0", "99999999999999999999", "1e400", "abc", "%00", "%FF", "%E1%BA", "%C3%28", "ş",
	"Th%C3%B4n", "'%3B%20DROP%20TABLE%20cadres%3B--", "2024-02-30", "0000-01-01", "9999-12-31", "-0001-01-01",
	"%20", strings.Repeat("x", 5000),
}

// hostileCursors are cursors this API never returned: they decode as base64 to bytes a query must not choke on.
var hostileCursors = []string{
	"!!!", "%00", b64("\xff\xfe"), b64("\x00"), b64("'"), b64("zzzz"), b64(strings.Repeat("9", 300)),
	b64("-1"), b64("99999999999999999999"), b64("00000000-0000-0000-0000-00000000000g"),
}

var hostilePathValues = []string{
	"%00", "%FF", "%C3%28", "ş", strings.Repeat("x", 300), "99999999999999999999", "-1", "0", "%20", "a%2Fb",
	"00000000-0000-4000-8000-000000000000",
}

// hostileJSONValues replace one field of a valid body at a time.
var hostileJSONValues = []string{
	`1e400`, `-1`, `99999999999999999999`, `-99999999999999999999`, `"1e400"`, `"1e-400"`, `"\u0000"`, `"a\u0000b"`,
	`"ş"`, `"NaN"`, `"Infinity"`, `"-0"`, `"0000-01-01"`, `"9999-12-31"`, `"-0001-01-01"`, `[]`, `{}`, `true`, `null`,
	`1.5`, `"` + strings.Repeat("9", 39) + `"`, `"` + strings.Repeat("ạ", 3000) + `"`, `"\ud800"`,
}

var hostileBodies = []string{"", "null", "[]", `"x"`, "1e400", "{", `{"zz_unknown":1}`, `{"a":1}{"b":2}`, "\x00", "\xff{}"}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// validWriteBodies are bodies each write route accepts (or rejects for a business rule), the base that
// the sweep mutates one field at a time so that the hostile value reaches past the validator to the store.
func validWriteBodies(t *testing.T) map[string]string {
	t.Helper()
	m := map[string]string{
		"POST /v1/provinces":                                                     `{"code":"03","name":"Tỉnh Ba"}`,
		"POST /v1/provinces/{province}/communes":                                 `{"code":"00002","name":"Xã Hai","kind":"xa","class":1,"population":100,"area_km2":"1.5","effective_from":"2020-01-01"}`,
		"PATCH /v1/provinces/{province}/communes/{code}":                         `{"name":"Xã Một","population":10,"area_km2":"2","effective_to":null,"successor_code":null}`,
		"POST /v1/provinces/{province}/hamlets":                                  `{"code":"H2","commune_code":"00001","name":"Thôn Hai","kind":"thon","households":100,"effective_from":"2020-01-01"}`,
		"PATCH /v1/provinces/{province}/hamlets/{code}":                          `{"name":"Thôn Một","households":400,"commune_code":"00001","successor_code":null}`,
		"POST /v1/provinces/{province}/cadres":                                   `{"national_id":"001085123456","full_name":"Lê Văn Ba","gender":"male","birth_date":"1985-01-01","si_months":10}`,
		"PATCH /v1/provinces/{province}/cadres/{id}":                             `{"full_name":"Nguyễn Văn Tư","si_months":121,"national_id":"001085987654"}`,
		"POST /v1/provinces/{province}/cadres/{id}/assignments":                  `{"position_code":"pho_bi_thu_doan","commune_code":"00001","start_date":"2022-01-01","allowance_override":"100000"}`,
		"PATCH /v1/provinces/{province}/cadres/{id}/assignments/{assignment_id}": `{"end_date":"2030-01-01","allowance_override":"1","position_code":"truong_thon_to_truong"}`,
		"PUT /v1/provinces/{province}/allowance-schedule":                        `{"resolution":"NQ 1","effective_from":"2024-07-01","rows":[{"position_code":"pho_bi_thu_doan","coefficient":"1.0"}]}`,
		"PUT /v1/provinces/{province}/commune-posts-end":                         `{"province_last_day":"2026-03-31"}`,
		"POST /v1/provinces/{province}/entitlement-runs":                         `{"exit_date":"2025-08-01","reason":"reorganisation","filter":{"commune_code":"00001"}}`,
		"POST /v1/provinces/{province}/cadres/{id}/entitlements":                 `{"exit_date":"2025-08-01","reason":"early_retirement","monthly_salary":"5000000"}`,
		"POST /v1/provinces/{province}/decisions/{id}/supersede":                 `{"exit_date":"2025-09-01","reason":"reorganisation"}`,
		"PATCH /v1/provinces/{province}/decisions/{id}":                          `{"exit_date":"2025-09-01","kept_in_hamlet_post":false}`,
		"POST /v1/provinces/{province}/decisions/{id}/approve":                   `{"decision_number":"12/QĐ-UBND","decision_date":"2025-07-20","signer_title":"Chủ tịch UBND xã"}`,
	}
	raw, err := os.ReadFile("../policy/testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		k := "POST /v1/calculations/" + c.Calc
		if _, ok := m[k]; !ok {
			m[k] = string(c.Input)
		}
	}
	return m
}

// mutations returns the body with each top-level field (and each field of nested objects one level down)
// replaced by each hostile value, and with a few hostile extra fields.
func mutations(base string) []string {
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(base), &obj) != nil {
		return nil
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	enc := func(o map[string]json.RawMessage) string {
		b, _ := json.Marshal(o)
		return string(b)
	}
	for _, k := range keys {
		for _, v := range hostileJSONValues {
			c := map[string]json.RawMessage{}
			for kk, vv := range obj {
				c[kk] = vv
			}
			c[k] = json.RawMessage(v)
			out = append(out, enc(c))
		}
		// One level down: objects and the first element of arrays of objects.
		var inner map[string]json.RawMessage
		var arr []map[string]json.RawMessage
		switch {
		case json.Unmarshal(obj[k], &inner) == nil:
			for ik := range inner {
				for _, v := range hostileJSONValues {
					ci := map[string]json.RawMessage{}
					for kk, vv := range inner {
						ci[kk] = vv
					}
					ci[ik] = json.RawMessage(v)
					c := map[string]json.RawMessage{}
					for kk, vv := range obj {
						c[kk] = vv
					}
					c[k], _ = json.Marshal(ci)
					out = append(out, enc(c))
				}
			}
		case json.Unmarshal(obj[k], &arr) == nil && len(arr) > 0:
			for ik := range arr[0] {
				for _, v := range hostileJSONValues {
					ci := map[string]json.RawMessage{}
					for kk, vv := range arr[0] {
						ci[kk] = vv
					}
					ci[ik] = json.RawMessage(v)
					c := map[string]json.RawMessage{}
					for kk, vv := range obj {
						c[kk] = vv
					}
					c[k], _ = json.Marshal([]map[string]json.RawMessage{ci})
					out = append(out, enc(c))
				}
			}
		}
	}
	return out
}

// queryParams lists the query parameters openapi.yaml declares for a route (path pattern, method).
func queryParams(t *testing.T, method, pattern string) []string {
	t.Helper()
	doc, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	item := doc.Paths.Find(pattern)
	if item == nil {
		return nil
	}
	op := item.GetOperation(method)
	if op == nil {
		return nil
	}
	var names []string
	for _, list := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, p := range list {
			if p.Value != nil && p.Value.In == "query" {
				names = append(names, p.Value.Name)
			}
		}
	}
	return names
}

// TestNoHostileInputIsA5xx sends malformed query parameters, path ids, content types and bodies to every
// route of the router, with a key that the route serves: every answer must be a documented status below
// 500 (env.do checks the documentation). A new route is swept automatically.
func TestNoHostileInputIsA5xx(t *testing.T) {
	e := newEnv(t)
	ids := isolationFixture(e)
	var (
		edA      = e.key(store.RoleProvinceEditor, "01")
		ministry = e.key(store.RoleMinistry, "")
		operator = e.key(store.RoleOperator, "")
	)
	bodies := validWriteBodies(t)
	count := 0
	for _, rt := range walkRoutes(t, NewRouter(Config{}, nil, nil)) {
		class := routeClass(rt.method, rt.pattern)
		if class == classPublic || rt.method == http.MethodDelete && !strings.Contains(rt.pattern, "{") {
			continue
		}
		pattern := rt.pattern
		// Who may call it: the editor for province routes, the Ministry (reads) or the operator otherwise.
		tokens := []string{edA}
		switch class {
		case classNational:
			tokens = []string{ministry}
		case classOperator:
			tokens = []string{operator}
		case classProvince:
			if !isWrite(rt.method) {
				tokens = []string{edA, ministry} // the Ministry reaches the store with any {province}
			}
		}
		check := func(t *testing.T, path string, body any, headers ...string) {
			t.Helper()
			defer func() {
				if t.Failed() {
					b := fmt.Sprint(body)
					if rb, ok := body.(rawBody); ok {
						b = rb.contentType + " " + string(rb.body)
					}
					t.Logf("request: %s %q headers %q body %.300q", rt.method, path, headers, b)
				}
			}()
			for _, tok := range tokens {
				count++
				r := e.sub(t).do(rt.method, path, tok, body, headers...)
				if r.Status >= 500 {
					t.Errorf("%s %s → %d; body %s", rt.method, path, r.Status, r.Body)
				}
			}
		}
		t.Run(rt.method+" "+pattern, func(t *testing.T) {
			base := fillPath(t, pattern, ids)
			extra := ""
			var body any
			key := rt.method + " " + pattern
			if isWrite(rt.method) {
				body = "{}"
				if b, ok := bodies[key]; ok {
					body = b
				}
				if strings.HasSuffix(pattern, "/imports") {
					extra = "kind=cadres&mode=validate"
					body = rawBody{"text/csv", []byte("national_id,full_name,gender,birth_date\n001085123456,Lê Văn Ba,male,1985-01-01\n")}
				}
			}
			// If-Match on PATCH and DELETE: the current ETag, read just before.
			ifMatch := func(path string) []string {
				if rt.method != http.MethodPatch && rt.method != http.MethodDelete {
					return nil
				}
				r := e.sub(t).do("GET", path, edA, nil)
				if et := r.Header.Get("ETag"); et != "" {
					return []string{"If-Match", et}
				}
				return []string{"If-Match", `"1"`}
			}
			withQuery := func(path, q string) string {
				switch {
				case extra != "" && q != "":
					return path + "?" + extra + "&" + q
				case extra != "":
					return path + "?" + extra
				case q != "":
					return path + "?" + q
				}
				return path
			}
			if rt.method == http.MethodDelete {
				// Only malformed ids: a valid one would delete the fixture the other routes need.
				goto pathIDs
			}

			// 1. Query parameters: each declared one (and limit/cursor) with each hostile value.
			{
				names := queryParams(t, rt.method, pattern)
				if !isWrite(rt.method) {
					names = append(names, "limit", "cursor")
				}
				seen := map[string]bool{}
				for _, n := range names {
					if seen[n] {
						continue
					}
					seen[n] = true
					vals := hostileQueryValues
					if n == "cursor" {
						vals = append(append([]string{}, vals...), hostileCursors...)
					}
					for _, v := range vals {
						p := withQuery(base, url.QueryEscape(n)+"="+v)
						t.Run("query "+n, func(t *testing.T) { check(t, p, body, ifMatch(base)...) })
					}
				}
			}

			// 2. Bodies: hostile documents, wrong content types, and each field of a valid body made hostile.
			if isWrite(rt.method) && !strings.HasSuffix(pattern, "/imports") {
				for _, b := range hostileBodies {
					t.Run("body", func(t *testing.T) { check(t, withQuery(base, ""), b, ifMatch(base)...) })
				}
				for _, ct := range []string{"text/plain", "application/xml", "multipart/form-data; boundary=x", "application/jsonx", "application/json; charset=latin1"} {
					b := rawBody{ct, []byte("{}")}
					t.Run("content-type", func(t *testing.T) { check(t, withQuery(base, ""), b, ifMatch(base)...) })
				}
				if b, ok := bodies[key]; ok {
					for _, m := range mutations(b) {
						t.Run("field", func(t *testing.T) { check(t, withQuery(base, ""), m, ifMatch(base)...) })
					}
				}
				// Idempotency-Key: too long, not UTF-8.
				if rt.method == http.MethodPost {
					for _, k := range []string{strings.Repeat("k", 201), "\xff\xfe", "ş"} {
						t.Run("idempotency-key", func(t *testing.T) { check(t, withQuery(base, ""), body, "Idempotency-Key", k) })
					}
				}
			}
			if strings.HasSuffix(pattern, "/imports") && rt.method == http.MethodPost {
				for _, csv := range []string{"", "\x00", "national_id,full_name,gender,birth_date\n\xff\xfe,\x00,male,1985-01-01\n",
					"national_id,full_name,gender,birth_date\n001085123456,\"" + strings.Repeat("ạ", 3000) + "\",male,1985-01-01\n",
					"national_id\n99999999999999999999999\n", "\"unterminated\n"} {
					b := rawBody{"text/csv", []byte(csv)}
					t.Run("csv", func(t *testing.T) { check(t, withQuery(base, ""), b) })
				}
				for _, k := range []string{strings.Repeat("k", 201), "\xff\xfe"} {
					t.Run("idempotency-key", func(t *testing.T) { check(t, withQuery(base, ""), body, "Idempotency-Key", k) })
				}
				for _, ct := range []string{"application/json", "multipart/form-data", "multipart/form-data; boundary=x", "text/plain"} {
					b := rawBody{ct, []byte("a,b\n1,2\n")}
					t.Run("content-type", func(t *testing.T) { check(t, withQuery(base, ""), b) })
				}
			}

		pathIDs:
			// 3. Path parameters: each replaced by each hostile value.
			segs := strings.Split(pattern, "/")
			for i, s := range segs {
				if !strings.HasPrefix(s, "{") {
					continue
				}
				for _, v := range hostilePathValues {
					filled := strings.Split(base, "/")
					filled[i] = v
					p := withQuery(strings.Join(filled, "/"), "")
					var hdr []string
					if rt.method == http.MethodPatch || rt.method == http.MethodDelete {
						hdr = []string{"If-Match", `"1"`}
					}
					t.Run("path "+s, func(t *testing.T) { check(t, p, body, hdr...) })
				}
			}
		})
	}
	t.Logf("%d hostile requests", count)
}
