package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// calcNames lists the calculation endpoints in a stable order, so that a fuzz input's name byte always
// picks the same one.
func calcNames() []string {
	names := make([]string, 0, len(calculators))
	for n := range calculators {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// FuzzCalculationDecode sends arbitrary bodies to every POST /v1/calculations/{name} handler, with no
// database behind it (the calculations never touch the store): nothing may panic or answer 500, the
// answer is one of the documented statuses, a total is never negative, and the same body gives the
// same answer.
func FuzzCalculationDecode(f *testing.F) {
	names := calcNames()
	if raw, err := os.ReadFile("../policy/testdata/golden.json"); err == nil {
		var cases []goldenCase
		if err := json.Unmarshal(raw, &cases); err != nil {
			f.Fatal(err)
		}
		for _, c := range cases {
			for i, n := range names {
				if n == c.Calc {
					f.Add(uint8(i), []byte(c.Input))
				}
			}
		}
	}
	f.Add(uint8(0), []byte(`{}`))
	f.Add(uint8(1), []byte(`{"birth_date":"1970-02-30"}`))
	f.Add(uint8(2), []byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`))
	f.Add(uint8(3), []byte(`{"households":"1e999999999","as_of":"2025-07-01"}`))
	f.Add(uint8(4), []byte(`{"si_months":-1}{"x":1}`))

	r := chi.NewRouter()
	(&Server{}).mountCalculations(r)
	call := func(name string, body []byte) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/calculations/"+name, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		return rec
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		name := names[int(which)%len(names)]
		first := call(name, body)
		switch first.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("%s %q: status %d; body %s", name, body, first.Code, first.Body)
		}
		if first.Code == http.StatusOK {
			var out struct {
				Total *string `json:"total"`
			}
			if err := json.Unmarshal(first.Body.Bytes(), &out); err != nil {
				t.Fatalf("%s %q: 200 with a body that is not JSON: %v", name, body, err)
			}
			if out.Total != nil && strings.HasPrefix(*out.Total, "-") {
				t.Fatalf("%s %q: negative total %s", name, body, *out.Total)
			}
		}
		again := call(name, body)
		if again.Code != first.Code || !bytes.Equal(again.Body.Bytes(), first.Body.Bytes()) {
			t.Fatalf("%s %q: not deterministic: %d %s then %d %s", name, body, first.Code, first.Body, again.Code, again.Body)
		}
	})
}
