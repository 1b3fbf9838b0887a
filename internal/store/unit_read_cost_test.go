package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// Reading a commune (today's unit, as of a date, or one named unit) with its lineage never calls
// resolve_commune_from, an SQL function PostgreSQL cannot inline: a query calling it planned the
// function's body again at every execution (0.75 ms of database time per GET under `make load`). The
// function is replaced here by one that counts its calls; the reads must give the same units and never
// call it.
func TestReadingACommuneDoesNotCallResolveCommuneFrom(t *testing.T) {
	t.Parallel()
	st, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	ctx := context.Background()
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	for _, sql := range []string{
		`INSERT INTO communes (province_code, code, name, kind, class, effective_from, effective_to, successor_code)
		 VALUES ('01', '01001', 'Phường Cũ', 'phuong', 1, '2019-01-01', '2025-06-30', NULL),
		        ('01', '01002', 'Xã Cũ', 'xa', 2, '2019-01-01', '2025-06-30', '01001')`,
		`INSERT INTO communes (province_code, code, name, kind, class, effective_from)
		 VALUES ('01', '01001', 'Phường Mới', 'phuong', 1, '2025-07-01')`,
		`INSERT INTO commune_lineage (province_code, from_code, from_effective, to_code, to_effective, coverage)
		 VALUES ('01', '01001', '2019-01-01', '01001', '2025-07-01', 'partial')`,
		`CREATE SEQUENCE resolve_calls`,
		`GRANT USAGE, UPDATE ON SEQUENCE resolve_calls TO PUBLIC`,
		`CREATE OR REPLACE FUNCTION resolve_commune_from(p text, c text, d date) RETURNS date LANGUAGE plpgsql AS $$
		 BEGIN
		   PERFORM nextval('resolve_calls');
		   RETURN (SELECT effective_from FROM communes WHERE province_code = p AND code = c
		     ORDER BY (effective_from <= d AND (effective_to IS NULL OR effective_to >= d)) DESC, (effective_from <= d) DESC,
		       CASE WHEN effective_from <= d THEN effective_from END DESC NULLS LAST, effective_from LIMIT 1);
		 END $$`,
	} {
		if _, err := admin.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	p := store.Principal{Role: store.RoleProvinceViewer, Province: "01"}
	day := func(s string) *time.Time { d, _ := time.Parse(time.DateOnly, s); return &d }
	refs := func(ls []store.LineageRef) string {
		var out []string
		for _, l := range ls {
			out = append(out, fmt.Sprintf("%s@%s %s", l.Code, l.EffectiveFrom.Format(time.DateOnly), l.Coverage))
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		name, code      string
		sel             store.UnitSel
		want, succ, pre string
	}{
		{"today", "01001", store.UnitSel{}, "Phường Mới", "", "01001@2019-01-01 partial,01002@2019-01-01 full"},
		{"as of a past date", "01001", store.UnitSel{AsOf: day("2024-05-01")}, "Phường Cũ", "01001@2025-07-01 partial", ""},
		{"one named unit", "01001", store.UnitSel{From: day("2019-01-01")}, "Phường Cũ", "01001@2025-07-01 partial", ""},
		{"a closed unit whose code was not reused", "01002", store.UnitSel{}, "Xã Cũ", "01001@2025-07-01 full", ""},
	} {
		c, succ, pre, err := st.GetCommune(ctx, p, "01", tc.code, tc.sel)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if c.Name != tc.want || refs(succ) != tc.succ || refs(pre) != tc.pre {
			t.Errorf("%s: %s, successors %q, predecessors %q; want %s, %q, %q", tc.name, c.Name, refs(succ), refs(pre), tc.want, tc.succ, tc.pre)
		}
	}
	var calls int64
	var called bool
	if err := admin.QueryRow(ctx, `SELECT last_value, is_called FROM resolve_calls`).Scan(&calls, &called); err != nil {
		t.Fatal(err)
	}
	if called {
		t.Errorf("reading communes called resolve_commune_from %d times, want none", calls)
	}
}
