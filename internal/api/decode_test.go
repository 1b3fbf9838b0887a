package api

import (
	"testing"

	"communehr/internal/store"
)

// The register's writes and the calculators read bodies with one strict reader: the same refusals for
// trailing data, a second value, unknown fields and another media type (a calculation once took a body
// followed by a stray "]" or "}").
func TestOneDecoderForRegisterAndCalculations(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	viewer := e.key(store.RoleProvinceViewer, "01")
	editor := e.key(store.RoleProvinceEditor, "01")
	calc := `{"kind":"thon","households":400,"as_of":"2025-03-01"}`
	commune := `{"code":"00001","name":"Xã Một","kind":"xa","class":1,"effective_from":"2020-01-01"}`
	for _, c := range []struct {
		name, path, token, body string
		status                  int
	}{
		{"calculation", "/v1/calculations/hamlet-fund", viewer, calc, 200},
		{"calculation, stray ]", "/v1/calculations/hamlet-fund", viewer, calc + "]", 400},
		{"calculation, stray }", "/v1/calculations/hamlet-fund", viewer, calc + "}", 400},
		{"calculation, two values", "/v1/calculations/hamlet-fund", viewer, calc + calc, 400},
		{"register, stray ]", "/v1/provinces/01/communes", editor, commune + "]", 400},
		{"register, two values", "/v1/provinces/01/communes", editor, commune + commune, 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.sub(t).do("POST", c.path, c.token, c.body)
			mustStatus(t, r, c.status)
			if c.status == 400 {
				r.problem(t)
			}
		})
	}
	for _, path := range []string{"/v1/calculations/hamlet-fund", "/v1/provinces/01/communes"} {
		r := e.do("POST", path, editor, rawBody{"text/plain", []byte(calc)})
		mustStatus(t, r, 415)
	}
}
