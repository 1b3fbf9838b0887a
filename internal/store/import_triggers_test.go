package store_test

import (
	"context"
	"testing"

	"communehr/internal/testdb"
)

// Issue 10 item 3 (make bench-import): the row triggers an import sets off run only for the rows they
// have something to do with — the commune period of a post in a commune-level unit (not of the 4 posts
// in 5 held in hamlets), the successor check of a commune that names one (not of the 9 in 10 that do
// not) — instead of a PL/pgSQL call per written row.
func TestRowTriggersRunOnlyWhereTheyHaveWork(t *testing.T) {
	conn := testdb.Admin(t, testdb.Migrated(t))
	ctx := context.Background()
	testdb.Province(t, conn, "01", "Thành phố Hà Nội")
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	for _, q := range []string{
		`SET LOCAL track_functions = 'pl'`,
		`INSERT INTO communes (province_code, code, name, kind, class, effective_from, effective_to, successor_code)
		 SELECT '01', lpad(i::text, 5, '0'), 'Xã ' || i, 'xa', 1, '2018-01-01', CASE WHEN i % 10 = 5 THEN DATE '2025-06-30' END,
		   CASE WHEN i % 10 = 5 THEN lpad((i + 1)::text, 5, '0') END FROM generate_series(1, 100) i`,
		`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from)
		 SELECT '01', 'H' || i, lpad(i::text, 5, '0'), 'Thôn ' || i, 'thon', 100, '2018-01-01' FROM generate_series(1, 100) i`,
		`INSERT INTO cadres (province_code, national_id, full_name, gender, birth_date)
		 SELECT '01', '0010800' || lpad(i::text, 5, '0'), 'Nguyễn Văn An', 'male', '1980-05-17' FROM generate_series(1, 100) i`,
		`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, hamlet_code, start_date)
		 SELECT '01', c.id, CASE WHEN i % 5 = 0 THEN 'pho_bi_thu_doan' ELSE 'truong_thon_to_truong' END,
		   CASE WHEN i % 5 = 0 THEN lpad(i::text, 5, '0') END, CASE WHEN i % 5 <> 0 THEN 'H' || i END, '2024-01-01'
		 FROM generate_series(1, 100) i JOIN cadres c ON c.province_code = '01' AND c.national_id = '0010800' || lpad(i::text, 5, '0')`,
		`SET CONSTRAINTS ALL IMMEDIATE`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	for fn, want := range map[string]int64{"assignments_commune_from": 20, "communes_successor_exists": 10} {
		var calls int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_xact_user_functions WHERE funcname = $1`, fn).Scan(&calls); err != nil {
			t.Fatal(err)
		}
		if calls != want {
			t.Errorf("%s ran %d times for 100 rows, want %d (only the rows it has work with)", fn, calls, want)
		}
	}
	var unset int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM assignments WHERE province_code = '01'
		AND (commune_code IS NULL) <> (commune_from IS NULL)`).Scan(&unset); err != nil || unset != 0 {
		t.Errorf("posts whose commune period does not match their unit: %d (%v)", unset, err)
	}
}
