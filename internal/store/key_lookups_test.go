package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"communehr/internal/testdb"
)

// Issue 11 (as-of reads must not slow today's reads): a unit, or an attribute version, read by its key
// goes through the btree key, never through a no-overlap exclusion index. Those GiST indexes can serve a
// lookup by province and code too, the planner costed them the same as the primary keys, and the GiST
// won: every GET of a commune, every unit lookup of a report and the national summary's joins paid
// btree_gist comparisons (a generic plan of the summary made ~300,000 such probes: 10 s of database CPU
// instead of 1.5 s). Times are measured by make bench-national and make load, not here.
func TestKeyLookupsUseTheBtreeKeys(t *testing.T) {
	_, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	ctx := context.Background()
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	for _, q := range []string{
		`INSERT INTO communes (province_code, code, name, kind, class, effective_from, effective_to)
		 SELECT '01', lpad(i::text, 5, '0'), 'Xã ' || i, 'xa', 1, '2020-01-01', '2025-06-30' FROM generate_series(1, 100) i`,
		`INSERT INTO communes (province_code, code, name, kind, class, effective_from)
		 SELECT '01', lpad(i::text, 5, '0'), 'Xã mới ' || i, 'xa', 1, '2025-07-01' FROM generate_series(1, 100) i`,
		`INSERT INTO hamlets (province_code, code, commune_code, commune_from, name, kind, households, effective_from)
		 SELECT '01', 'H' || i, lpad((1 + i % 100)::text, 5, '0'), '2025-07-01', 'Thôn ' || i, 'thon', 100, '2025-07-01'
		 FROM generate_series(1, 1000) i`,
		`INSERT INTO commune_history (province_code, code, unit_from, valid_from, valid_to, class, key_security_order, border, island)
		 SELECT '01', lpad(i::text, 5, '0'), '2025-07-01', CASE WHEN k = 1 THEN DATE '2025-07-01' ELSE DATE '2026-01-01' END,
		   CASE WHEN k = 1 THEN DATE '2025-12-31' END, k, false, false, false
		 FROM generate_series(1, 100) i, generate_series(1, 2) k`,
		`INSERT INTO hamlet_history (province_code, hamlet_code, valid_from, valid_to, kind, households, key_security_order, converted_from_thon,
		   commune_code, commune_from)
		 SELECT '01', 'H' || i, CASE WHEN k = 1 THEN DATE '2025-07-01' ELSE DATE '2026-01-01' END, CASE WHEN k = 1 THEN DATE '2025-12-31' END,
		   'thon', 100 * k, false, false, lpad((1 + i % 100)::text, 5, '0'), '2025-07-01'
		 FROM generate_series(1, 1000) i, generate_series(1, 2) k`,
		`ANALYZE communes, hamlets, commune_history, hamlet_history`,
	} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("fixture: %v\n%s", err, q)
		}
	}
	// Sequential scans off: on tables this small the planner would read them whole; the question is which
	// index it picks for a key.
	tx, err := admin.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ want, sql string }{
		{"communes_pkey", `SELECT * FROM communes WHERE province_code = '01' AND code = '00042'`},
		{"communes_pkey", `SELECT * FROM communes WHERE province_code = '01' AND code = '00042' AND effective_from = '2025-07-01'`},
		{"commune_history_pkey", `SELECT * FROM commune_history WHERE province_code = '01' AND code = '00042' AND unit_from = '2025-07-01'`},
		{"hamlet_history_pkey", `SELECT * FROM hamlet_history WHERE province_code = '01' AND hamlet_code = 'H42'`},
	} {
		var raw []byte
		if err := tx.QueryRow(ctx, `EXPLAIN (FORMAT JSON) `+c.sql).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var plan []struct{ Plan indexNode }
		if err := json.Unmarshal(raw, &plan); err != nil {
			t.Fatal(err)
		}
		if got := plan[0].Plan.indexes(); len(got) != 1 || got[0] != c.want {
			t.Errorf("%s\nreads %v, want %s", c.sql, got, c.want)
		}
	}
}

type indexNode struct {
	Index string      `json:"Index Name"`
	Plans []indexNode `json:"Plans"`
}

// indexes lists the indexes the plan reads.
func (n indexNode) indexes() []string {
	var out []string
	if n.Index != "" {
		out = append(out, n.Index)
	}
	for _, c := range n.Plans {
		out = append(out, c.indexes()...)
	}
	return out
}
