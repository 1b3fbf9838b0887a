package api

import (
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// Review finding 10: a province of the pre-2025 map that merged into another (02 Hà Giang → 08 Tuyên Quang)
// is not a tenant: creating it is a 422 naming its successor, and its reference units are a 422 saying
// where they went; nothing is written.
func TestAPre2025ProvinceIsNotATenant(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	op := e.key(store.RoleOperator, "")
	for _, lang := range []string{"en", "vi"} {
		r := e.do("POST", "/v1/provinces", op, map[string]string{"code": "02", "name": "Tỉnh Hà Giang"}, "Accept-Language", lang)
		mustStatus(t, r, 422)
		p := r.problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Pointer != "/code" || p.Errors[0].Code != "merged_province" ||
			!strings.Contains(p.Detail, "Tỉnh Tuyên Quang") || !strings.Contains(p.Detail, "08") || msgcheck.DeveloperText(p.Detail) != "" {
			t.Fatalf("%s: %s", lang, r.Body)
		}
		r = e.do("POST", "/v1/provinces/02/reference-units", op, nil, "Accept-Language", lang)
		mustStatus(t, r, 422)
		p = r.problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Code != "merged_province" || !strings.Contains(p.Detail, "Tỉnh Hà Giang") ||
			!strings.Contains(p.Detail, "Tỉnh Tuyên Quang") || msgcheck.DeveloperText(p.Detail) != "" {
			t.Fatalf("%s: %s", lang, r.Body)
		}
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM provinces WHERE province_code = '02'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("province 02 written: %d %v", n, err)
	}
	// A province of 2025 and a code on neither map are still accepted (tests use 97–99).
	mustStatus(t, e.do("POST", "/v1/provinces", op, map[string]string{"code": "08", "name": "Tỉnh Tuyên Quang"}), 201)
	mustStatus(t, e.do("POST", "/v1/provinces", op, map[string]string{"code": "97", "name": "Tỉnh Thử"}), 201)
}
