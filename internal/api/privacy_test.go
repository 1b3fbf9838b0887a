package api

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"communehr/internal/store"
)

// TestNationalKeyCannotReachAnotherProvincesRowThroughThePath: a Ministry or operator key reads every
// province, but a path names one: province A's row asked for under province B's path is a 404, on every
// read route that names a row (the store must filter by the path's province, not only by RLS).
func TestNationalKeyCannotReachAnotherProvincesRowThroughThePath(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := isolationFixture(e)
	ministry := e.key(store.RoleMinistry, "")
	operator := e.key(store.RoleOperator, "")
	n := 0
	for _, rt := range walkRoutes(t, NewRouter(Config{}, nil, nil)) {
		if rt.method != http.MethodGet || routeClass(rt.method, rt.pattern) != classProvince ||
			strings.Count(rt.pattern, "{") < 2 {
			continue // only routes that name a row besides the province
		}
		n++
		t.Run(rt.pattern, func(t *testing.T) {
			e := e.sub(t)
			path := fillPath(t, rt.pattern, ids)
			own := e.do("GET", path, ministry, nil)
			mustStatus(t, own, http.StatusOK)
			other := strings.Replace(path, "/provinces/01/", "/provinces/02/", 1)
			for who, tok := range map[string]string{"ministry": ministry, "operator": operator} {
				r := e.do("GET", other, tok, nil)
				if r.Status != http.StatusNotFound {
					t.Errorf("%s: GET %s → %d, want 404; body %.300s", who, other, r.Status, r.Body)
				}
				assertNoLeak(t, who+" through province 02's path", r)
			}
		})
	}
	if n < 8 {
		t.Fatalf("only %d row routes checked", n)
	}
}

// TestViewerSeesNoFullNationalID: a viewer key sees identity numbers masked in every answer that carries
// one: the person, the lists, the audit log, and the uploaded rows echoed by an import's errors.csv.
func TestViewerSeesNoFullNationalID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := isolationFixture(e)
	viewer := e.key(store.RoleProvinceViewer, "01")
	editor := e.key(store.RoleProvinceEditor, "01")
	// A cadre written through the API, so that the audit log holds them.
	r := e.do("POST", "/v1/provinces/01/cadres", editor, map[string]any{"national_id": "001085123456",
		"full_name": "Lê Văn Ba", "gender": "male", "birth_date": "1985-01-01", "si_months": 10})
	mustStatus(t, r, http.StatusCreated)
	for _, path := range []string{
		"/v1/provinces/01/cadres",
		"/v1/provinces/01/cadres/" + ids["cadres/id"],
		"/v1/provinces/01/audit",
		"/v1/provinces/01/imports",
		"/v1/provinces/01/imports/" + ids["imports/id"],
		"/v1/provinces/01/imports/" + ids["imports/id"] + "/errors.csv",
		"/v1/provinces/01/decisions",
		"/v1/provinces/01/decisions/" + ids["decisions/id"],
		"/v1/provinces/01/entitlement-runs/" + ids["entitlement-runs/id"] + "/results.csv",
		"/v1/provinces/01/allowances",
		"/v1/provinces/01/allowances?format=csv",
	} {
		r := e.do("GET", path, viewer, nil)
		mustStatus(t, r, http.StatusOK)
		for _, nid := range []string{isoNationalID, isoRejectedNID, "001085123456"} {
			if bytes.Contains(r.Body, []byte(nid)) {
				t.Errorf("viewer: GET %s holds the full national ID %s: %.400s", path, nid, r.Body)
			}
		}
	}
	// The editor still gets the rejected row whole, to fix and upload again.
	r = e.do("GET", "/v1/provinces/01/imports/"+ids["imports/id"]+"/errors.csv", editor, nil)
	mustStatus(t, r, http.StatusOK)
	if !bytes.Contains(r.Body, []byte(isoRejectedNID)) {
		t.Errorf("editor: errors.csv lost the uploaded national ID: %s", r.Body)
	}
}

// TestIdempotencyKeyIsPerAPIKeyAndProvince: the same Idempotency-Key sent by another API key (of the same
// province or another) is a new request, never a replay of someone else's response.
func TestIdempotencyKeyIsPerAPIKeyAndProvince(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	e.province("02", "Tỉnh Hà Giang")
	ed1, ed1b, ed2 := e.key(store.RoleProvinceEditor, "01"), e.key(store.RoleProvinceEditor, "01"), e.key(store.RoleProvinceEditor, "02")
	body := map[string]any{"code": "00001", "name": "Xã Một", "kind": "xa", "class": 1, "effective_from": "2020-01-01"}
	first := e.do("POST", "/v1/provinces/01/communes", ed1, body, "Idempotency-Key", "k1")
	mustStatus(t, first, http.StatusCreated)
	if r := e.do("POST", "/v1/provinces/01/communes", ed1, body, "Idempotency-Key", "k1"); r.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("same key, same body: not replayed: %d %s", r.Status, r.Body)
	}
	// Another key of the same province: runs (409, the commune exists), no replay.
	r := e.do("POST", "/v1/provinces/01/communes", ed1b, body, "Idempotency-Key", "k1")
	if r.Header.Get("Idempotent-Replayed") != "" || r.Status != http.StatusConflict {
		t.Errorf("another key of 01: %d replayed=%q, want a fresh 409; body %s", r.Status, r.Header.Get("Idempotent-Replayed"), r.Body)
	}
	// Province 02's key: its own commune is created.
	r = e.do("POST", "/v1/provinces/02/communes", ed2, body, "Idempotency-Key", "k1")
	if r.Header.Get("Idempotent-Replayed") != "" || r.Status != http.StatusCreated ||
		!strings.Contains(r.Header.Get("Location"), "/provinces/02/") {
		t.Errorf("province 02: %d replayed=%q location %q, want a fresh 201 in 02", r.Status, r.Header.Get("Idempotent-Replayed"), r.Header.Get("Location"))
	}
	// Province 02's key naming province 01 with the same key: 404 from the scope, nothing replayed.
	r = e.do("POST", "/v1/provinces/01/communes", ed2, body, "Idempotency-Key", "k1")
	if r.Status != http.StatusNotFound || r.Header.Get("Idempotent-Replayed") != "" {
		t.Errorf("02's key on 01's path: %d replayed=%q, want 404", r.Status, r.Header.Get("Idempotent-Replayed"))
	}
}
