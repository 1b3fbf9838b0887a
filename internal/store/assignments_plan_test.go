package store_test

import (
	"context"
	"strings"
	"testing"

	"communehr/internal/testdb"
)

// A person's posts (GET …/cadres/{id}) are read by the btree of migration 0044, in its order, under the
// generic plan a cached statement ends up with — not through the exclusion constraint's GiST index, which
// read ~58 pages per person under that plan.
func TestAPersonsPostsAreReadByTheirBtree(t *testing.T) {
	t.Parallel()
	conn := testdb.Admin(t, testdb.Migrated(t))
	ctx := context.Background()
	testdb.Province(t, conn, "01", "Thành phố Hà Nội")
	for _, sql := range []string{
		`INSERT INTO communes (province_code, code, name, kind, class, effective_from) VALUES ('01', '01001', 'Xã A', 'xa', 1, '2019-01-01')`,
		`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date)
		 SELECT '01', ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, '0010801' || lpad(i::text, 5, '0'),
		        'Người ' || i, 'male', '1980-01-01' FROM generate_series(1, 3000) i`,
		`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, start_date)
		 SELECT '01', id, 'van_phong_dang_uy', '01001', '2020-01-01' FROM cadres`,
		`ANALYZE cadres, assignments`,
		`SET plan_cache_mode = force_generic_plan`,
		`PREPARE posts(text, text) AS SELECT a.id FROM assignments a JOIN positions p ON p.code = a.position_code
		 WHERE a.province_code = $1 AND a.cadre_id = $2::uuid ORDER BY a.start_date, a.id`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	rows, err := conn.Query(ctx, `EXPLAIN EXECUTE posts('01', '00000000-0000-4000-8000-000000000042')`)
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	text := strings.Join(plan, "\n")
	if !strings.Contains(text, "assignments_cadre_start_idx") || strings.Contains(text, "assignments_no_overlap") {
		t.Errorf("a person's posts are not read by assignments_cadre_start_idx:\n%s", text)
	}
}

// The database's last word on the no-overlap rule (migration 0051 reordered the exclusion constraint's
// columns so that posts imports insert faster): one person never holds one post over overlapping periods,
// in one province; another post, a later period, or the same person's id in another province (the demo
// seeds every province from one generator, so ids repeat across provinces) are allowed.
func TestNoOverlapConstraintIsPersonPostAndProvince(t *testing.T) {
	t.Parallel()
	conn := testdb.Admin(t, testdb.Migrated(t))
	ctx := context.Background()
	testdb.Province(t, conn, "01", "Thành phố Hà Nội")
	testdb.Province(t, conn, "02", "Tỉnh Hà Giang")
	const person = "00000000-0000-4000-8000-000000000001"
	for _, sql := range []string{
		`INSERT INTO communes (province_code, code, name, kind, class, effective_from) VALUES
		 ('01', '01001', 'Xã A', 'xa', 1, '2019-01-01'), ('02', '02001', 'Xã B', 'xa', 1, '2019-01-01')`,
		`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date) VALUES
		 ('01', '` + person + `', '001080100001', 'Người Một', 'male', '1980-01-01'),
		 ('02', '` + person + `', '001080100002', 'Người Hai', 'male', '1980-01-01')`,
		`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, start_date, end_date)
		 VALUES ('01', '` + person + `', 'van_phong_dang_uy', '01001', '2020-01-01', '2021-12-31')`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	insert := func(province, commune, post, start string) error {
		_, err := conn.Exec(ctx, `INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, start_date)
			VALUES ($1, $2, $3, $4, $5)`, province, person, post, commune, start)
		return err
	}
	if err := insert("01", "01001", "van_phong_dang_uy", "2021-06-01"); err == nil || !strings.Contains(err.Error(), "assignments_no_overlap") {
		t.Errorf("an overlapping period of the same post: %v, want a violation of assignments_no_overlap", err)
	}
	for _, ok := range []struct{ province, commune, post, start string }{
		{"01", "01001", "van_phong_dang_uy", "2022-01-01"},
		{"01", "01001", "phu_trach_truyen_thanh", "2021-06-01"},
		{"02", "02001", "van_phong_dang_uy", "2021-06-01"},
	} {
		if err := insert(ok.province, ok.commune, ok.post, ok.start); err != nil {
			t.Errorf("%+v: %v, want it accepted", ok, err)
		}
	}
}
