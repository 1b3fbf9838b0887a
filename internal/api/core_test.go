package api

import (
	"net/http"
	"strings"
	"testing"

	"communehr/internal/store"
)

func TestProvinceKeysSeeOnlyTheirOwnProvince(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	e.province("79", "Thành phố Hồ Chí Minh")
	hanoi := e.key(store.RoleProvinceEditor, "01")

	r := e.do("GET", "/v1/provinces", hanoi, nil)
	mustStatus(t, r, 200)
	var list provinceList
	r.json(t, &list)
	if len(list.Items) != 1 || list.Items[0].Code != "01" {
		t.Fatalf("a Hà Nội key listed %+v, want only 01", list.Items)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01", hanoi, nil), 200)
	r = e.do("GET", "/v1/provinces/79", hanoi, nil)
	mustStatus(t, r, 404)
	if strings.Contains(string(r.Body), "Hồ Chí Minh") {
		t.Fatalf("404 body leaks the other province: %s", r.Body)
	}
	// A province that does not exist looks exactly like another province's.
	r2 := e.do("GET", "/v1/provinces/42", hanoi, nil)
	if r2.Status != 404 || r2.problem(t).Detail != r.problem(t).Detail {
		t.Fatalf("missing and foreign provinces answer differently: %s vs %s", r2.Body, r.Body)
	}
}

func TestNationalKeysReadAcrossProvincesAndNeverWrite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	e.province("79", "Thành phố Hồ Chí Minh")
	ministry := e.key(store.RoleMinistry, "")
	operator := e.key(store.RoleOperator, "")

	for _, tok := range []string{ministry, operator} {
		r := e.do("GET", "/v1/provinces", tok, nil)
		mustStatus(t, r, 200)
		var list provinceList
		r.json(t, &list)
		if len(list.Items) != 2 {
			t.Fatalf("national key listed %d provinces, want 2", len(list.Items))
		}
		mustStatus(t, e.do("GET", "/v1/provinces/79", tok, nil), 200)
	}
	r := e.do("POST", "/v1/provinces", ministry, map[string]string{"code": "04", "name": "Tỉnh Cao Bằng"})
	mustStatus(t, r, 403)
	if p := r.problem(t); p.Status != 403 {
		t.Fatalf("problem status %d", p.Status)
	}
	mustStatus(t, e.do("POST", "/v1/provinces", operator, map[string]string{"code": "04", "name": "Tỉnh Cao Bằng"}), 201)
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	id, tok := keyWithID(e, store.RoleProvinceViewer, "01")

	mustStatus(t, e.do("GET", "/v1/me", "", nil), 401)
	mustStatus(t, e.do("GET", "/v1/me", "chr_not-a-real-token-at-all-000000000", nil), 401)
	r := e.do("GET", "/v1/me", tok, nil)
	mustStatus(t, r, 200)
	var me meResponse
	r.json(t, &me)
	if me.Role != store.RoleProvinceViewer || me.Province == nil || *me.Province != "01" || me.KeyID != id {
		t.Fatalf("me = %+v", me)
	}
	if err := store.RevokeKey(t.Context(), e.admin, id); err != nil {
		t.Fatal(err)
	}
	r = e.do("GET", "/v1/me", tok, nil)
	mustStatus(t, r, 401)
	if r.Header.Get("WWW-Authenticate") == "" {
		t.Fatal("401 without WWW-Authenticate")
	}
}

// keyWithID creates a key and returns its public id (what the API shows) and its token.
func keyWithID(e *env, role, province string) (string, string) {
	e.t.Helper()
	k, tok, err := store.CreateKey(e.t.Context(), e.admin, role, province, "t")
	if err != nil {
		e.t.Fatal(err)
	}
	return k.PublicID, tok
}

func TestViewerAndEditorCannotCreateProvinces(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	for _, role := range []string{store.RoleProvinceViewer, store.RoleProvinceEditor} {
		r := e.do("POST", "/v1/provinces", e.key(role, "01"), map[string]string{"code": "04", "name": "Tỉnh Cao Bằng"})
		mustStatus(t, r, 403)
	}
}

func TestCreateProvinceValidationAndConflicts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	op := e.key(store.RoleOperator, "")
	r := e.do("POST", "/v1/provinces", op, map[string]string{"code": "1", "name": ""}, "Accept-Language", "vi")
	mustStatus(t, r, 422)
	p := r.problem(t)
	ptrs := map[string]bool{}
	for _, f := range p.Errors {
		ptrs[f.Pointer] = true
	}
	if !ptrs["/code"] || !ptrs["/name"] || p.Title != "Yêu cầu không hợp lệ" {
		t.Fatalf("problem = %+v", p)
	}
	r = e.do("POST", "/v1/provinces", op, `{"code":"01","name":"Hà Nội","capital":true}`)
	mustStatus(t, r, 422)
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Pointer != "/capital" {
		t.Fatalf("unknown field problem = %+v", p)
	}
	mustStatus(t, e.do("POST", "/v1/provinces", op, `{"code":"01",`), 400)
	mustStatus(t, e.do("POST", "/v1/provinces", op, map[string]string{"code": "01", "name": "Hà Nội"}), 201)
	r = e.do("POST", "/v1/provinces", op, map[string]string{"code": "01", "name": "Hà Nội"})
	mustStatus(t, r, 409)
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Pointer != "/code" {
		t.Fatalf("conflict problem = %+v", p)
	}
}

func TestIdempotentCreate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	op := e.key(store.RoleOperator, "")
	body := map[string]string{"code": "01", "name": "Thành phố Hà Nội"}
	first := e.do("POST", "/v1/provinces", op, body, "Idempotency-Key", "abc-1")
	mustStatus(t, first, 201)
	again := e.do("POST", "/v1/provinces", op, body, "Idempotency-Key", "abc-1")
	mustStatus(t, again, 201)
	if string(again.Body) != string(first.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay differs: %s vs %s", again.Body, first.Body)
	}
	other := e.do("POST", "/v1/provinces", op, map[string]string{"code": "04", "name": "Tỉnh Cao Bằng"}, "Idempotency-Key", "abc-1")
	mustStatus(t, other, 422)
	// A failed first request releases its key.
	mustStatus(t, e.do("POST", "/v1/provinces", op, map[string]string{"code": "01", "name": "Trùng"}, "Idempotency-Key", "abc-2"), 409)
	mustStatus(t, e.do("POST", "/v1/provinces", op, map[string]string{"code": "03", "name": "Tỉnh Ba"}, "Idempotency-Key", "abc-2"), 201)
}

func TestSystemEndpoints(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mustStatus(t, e.do("GET", "/healthz", "", nil), 200)
	mustStatus(t, e.do("GET", "/readyz", "", nil), 200)
	r := e.do("GET", "/openapi.yaml", "", nil)
	mustStatus(t, r, 200)
	if !strings.HasPrefix(string(r.Body), "openapi: 3") {
		t.Fatalf("openapi.yaml body starts %q", r.Body[:20])
	}
	if r.Header.Get("X-Request-Id") == "" {
		t.Fatal("no X-Request-Id")
	}
	r = e.do("GET", "/healthz", "", nil, "X-Request-Id", "trace-42")
	if r.Header.Get("X-Request-Id") != "trace-42" {
		t.Fatalf("request id not echoed: %q", r.Header.Get("X-Request-Id"))
	}
	tok := e.key(store.RoleMinistry, "")
	r = e.do("GET", "/v1/positions", tok, nil)
	mustStatus(t, r, 200)
	var pl positionList
	r.json(t, &pl)
	if len(pl.Items) != 13 {
		t.Fatalf("catalogue has %d posts, want 13 (docs/legal-basis.md §9)", len(pl.Items))
	}
	mustStatus(t, e.do("GET", "/v1/nowhere", tok, nil), http.StatusNotFound)
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	op := e.key(store.RoleOperator, "")
	big := `{"code":"01","name":"` + strings.Repeat("a", 70<<10) + `"}`
	r := e.do("POST", "/v1/provinces", op, big)
	mustStatus(t, r, 413)
}
