package api

import (
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// Review finding 11: a unit of the register with the same code and start as a reference unit keeps its
// values, but never silently: when its name or kind differs, the load warns register_differs naming the
// unit, the register's values and the reference's.
func TestReferenceUnitsWarnWhenTheRegisterDiffers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("22", "Tỉnh Quảng Ninh")
	if _, err := e.admin.Exec(t.Context(), `INSERT INTO communes (province_code, code, name, kind, class, effective_from)
		VALUES ('22', '06661', 'Tên Sai', 'xa', 3, '2025-07-01')`); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "vi"} {
		r := e.do("POST", "/v1/provinces/22/reference-units", e.key(store.RoleOperator, ""), nil, "Accept-Language", lang)
		var b refLoadBody
		r.json(t, &b)
		var found []string
		for _, w := range b.Warnings {
			if w.Code == "register_differs" {
				found = append(found, w.UnitCode+": "+w.Message)
				if msgcheck.DeveloperText(w.Message) != "" {
					t.Errorf("developer text in %q", w.Message)
				}
			}
		}
		ward := map[string]string{"en": "Ward", "vi": "Phường"}[lang]
		if len(found) != 1 || !strings.HasPrefix(found[0], "06661: ") || !strings.Contains(found[0], "Tên Sai") ||
			!strings.Contains(found[0], "Phường Việt Hưng") || !strings.Contains(found[0], ward) {
			t.Fatalf("%s: register_differs warnings %q", lang, found)
		}
	}
	var name string
	if err := e.admin.QueryRow(t.Context(), `SELECT name FROM communes WHERE code = '06661' AND effective_from = '2025-07-01'`).Scan(&name); err != nil || name != "Tên Sai" {
		t.Fatalf("the register's unit is %q (%v), want it kept", name, err)
	}
}
