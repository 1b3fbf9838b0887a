package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"communehr/internal/store"
)

// cellError is a problem's error with the CSV cell it points at.
type cellError struct {
	Pointer string `json:"pointer"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Line    int    `json:"line"`
	Column  string `json:"column"`
}

func cellErrors(t *testing.T, r resp) []cellError {
	t.Helper()
	var p struct {
		Errors []cellError `json:"errors"`
	}
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
	return p.Errors
}

// Done when (brief reorgcsv item 1): every error found in an uploaded mapping — read errors and the
// planner's (a unit the register lacks, a new unit without its name or kind, too many successors, a
// hamlet that both closes and takes others in, a child left outside the life of a unit it closes) —
// names the file's line and the column as the header names it (errors[].line, errors[].column, and the
// pointer /lines/N/column), as an import's row errors do. JSON requests keep their JSON pointers
// (TestReorganisationRefusals).
func TestReorganisationCSVErrorsNameLineAndColumn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedHamletMerger(t, e, `INSERT INTO assignments (province_code, cadre_id, position_code, hamlet_code, start_date)
		VALUES ('97', '00000000-0000-4000-8000-000000000004', 'bi_thu_chi_bo', 'HB', '2026-03-01')`)
	ed := e.key(store.RoleProvinceEditor, "97")
	six := "old,new,coverage,name,kind\n"
	for i := 0; i < 6; i++ {
		six += fmt.Sprintf("90001,9200%d,partial,Xã X,xa\n", i)
	}
	cases := []struct {
		name, level, csv string
		line             int
		column, code     string
	}{
		{"bad coverage", "commune", "old,new,coverage\n90001,91001,most\n", 2, "coverage", "oneof"},
		{"a value too long", "commune", "old,new,coverage,Name,kind\n90001,91001,full," + strings.Repeat("x", 201) + ",xa\n", 2, "Name", "max"},
		{"unknown old unit", "commune", "old,new,coverage,new_name,new_kind\n90001,91001,full,Xã Mới,xa\n12345,91001,full,,\n", 3, "old", "unknown_unit"},
		{"new unit without a name", "commune", "old,new,coverage,name,kind\n90002,91002,full,Xã Hai,xa\n\n90001,91001,full,,xa\n", 4, "name", "new_unit"},
		{"new unit without a kind", "commune", "old,new,coverage,name,kind\n90001,91001,full,Xã Mới,\n", 2, "kind", "new_unit"},
		{"six successors", "commune", six, 7, "new", "successors"},
		{"whole and in part", "commune", "old,new,coverage\n90001,90002,full\n90001,90003,partial\n", 2, "coverage", "successors"},
		{"closes and takes in", "hamlet", "old,new,coverage\nHB,HA,full\nHA,HC,full\n", 2, "new", "successor_is_closed"},
		{"a post left outside the life of a closed hamlet", "hamlet", "old,new,coverage\nHB,HA,full\n", 2, "old", "outside_unit_life"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, mode := range []string{"preview", "apply"} {
				r := e.sub(t).do("POST", "/v1/provinces/97/reorganisations?mode="+mode+"&effective_date=2026-01-01&level="+c.level, ed,
					rawBody{"text/csv", []byte(c.csv)})
				mustStatus(t, r, 422)
				errs := cellErrors(t, r)
				found := false
				for _, f := range errs {
					if f.Code == c.code {
						found = true
						if f.Line != c.line || f.Column != c.column || f.Pointer != fmt.Sprintf("/lines/%d/%s", c.line, c.column) {
							t.Errorf("%s: %+v, want line %d column %s", mode, f, c.line, c.column)
						}
					}
				}
				if !found {
					t.Errorf("%s: no %s error: %s", mode, c.code, r.Body)
				}
			}
		})
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM reorganisations`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d reorganisations recorded (%v)", n, err)
	}
}
