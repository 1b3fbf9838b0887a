package api

import (
	"strings"
	"testing"

	"communehr/internal/store"
)

// An operator renames a province and switches its allowance basis, at the version it read; the change is
// audited; a stale If-Match is refused, and no province key may do it.
func TestOperatorPatchesProvince(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	op := e.key(store.RoleOperator, "")
	ed := e.key(store.RoleProvinceEditor, "01")

	r := e.do("GET", "/v1/provinces/01", op, nil)
	mustStatus(t, r, 200)
	etag := r.Header.Get("ETag")
	mustStatus(t, e.do("PATCH", "/v1/provinces/01", op, map[string]any{"name": "Hà Nội"}), 428)
	mustStatus(t, e.do("PATCH", "/v1/provinces/01", ed, map[string]any{"name": "Hà Nội"}, "If-Match", etag), 403)
	bad := e.do("PATCH", "/v1/provinces/01", op, map[string]any{"allowance_basis": "whatever", "name": "x"}, "If-Match", etag)
	mustStatus(t, bad, 422)
	if p := bad.problem(t); len(p.Errors) != 2 {
		t.Fatalf("want two field errors: %s", bad.Body)
	}

	r = e.do("PATCH", "/v1/provinces/01", op, map[string]any{"name": "Thủ đô Hà Nội", "allowance_basis": "hdnd_level"}, "If-Match", etag)
	mustStatus(t, r, 200)
	var got provinceResponse
	r.json(t, &got)
	if got.Name != "Thủ đô Hà Nội" || got.AllowanceBasis != "hdnd_level" || r.Header.Get("ETag") == etag {
		t.Fatalf("patched %+v, ETag %s", got, r.Header.Get("ETag"))
	}
	// The editor's next read sees it; the old ETag is stale.
	r = e.do("GET", "/v1/provinces/01", ed, nil)
	r.json(t, &got)
	if got.AllowanceBasis != "hdnd_level" {
		t.Fatalf("read back %+v", got)
	}
	mustStatus(t, e.do("PATCH", "/v1/provinces/01", op, map[string]any{"name": "Hà Nội"}, "If-Match", etag), 412)

	var before, after string
	if err := e.admin.QueryRow(t.Context(), `SELECT before::text, after::text FROM audit_log
		WHERE province_code = '01' AND entity = 'province' AND action = 'update'`).Scan(&before, &after); err != nil {
		t.Fatalf("audit: %v", err)
	}
	if !strings.Contains(before, "central_fund_share") || !strings.Contains(after, "hdnd_level") {
		t.Fatalf("audit before %s after %s", before, after)
	}
}
