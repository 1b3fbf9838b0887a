package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// Issue 10 item 3, the per-row half: besides its set-based statements, an import makes lookups once per
// written row — foreign keys, the successor check of communes (deferred to commit), the commune period of
// hamlets and posts — each planned by PostgreSQL on its own. When the statistics were gathered before the
// importing province had rows (its first import; any large one until autovacuum catches up), the planner
// takes the province for one row and may pick any index led by province_code alone, then filter the whole
// province on each lookup: 100,000 communes with successors took minutes to commit (make bench-import).
// The test stages each kind over a province with lookupRows records per table, with statistics that know
// only another province, writes it as the import does (Prepare, the upsert, the deferred checks), and
// counts the rows every scan of the register read: a few per written row, not a province's worth.
const lookupRows = 3000

var lookupFixture = []string{
	// Province 02 is the only one the statistics know; a tenth of its units were merged into the next.
	`INSERT INTO communes (province_code, code, name, kind, class, effective_from, effective_to, successor_code)
	 SELECT '02', lpad(i::text, 5, '0'), 'Xã ' || i, 'xa', 1, '2018-01-01', CASE WHEN i %% 10 = 5 THEN DATE '2025-06-30' END,
	   CASE WHEN i %% 10 = 5 THEN lpad((i + 1)::text, 5, '0') END FROM generate_series(1, %[1]d) i`,
	`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from, effective_to, successor_code)
	 SELECT '02', 'H' || i, lpad((1 + i %% %[1]d)::text, 5, '0'), 'Thôn ' || i, 'thon', 100, '2018-01-01',
	   CASE WHEN i %% 10 = 5 THEN DATE '2025-06-30' END, CASE WHEN i %% 10 = 5 THEN 'H' || (i + 1) END FROM generate_series(1, %[1]d) i`,
	`INSERT INTO cadres (province_code, national_id, full_name, gender, birth_date)
	 SELECT '02', '0010800' || lpad(i::text, 5, '0'), 'Nguyễn Văn An', 'male', '1980-05-17' FROM generate_series(1, %[1]d) i`,
	`ANALYZE communes, hamlets, cadres, assignments /* %[1]d rows each */`,
	// The keys get the height they have at 100,000 records a province (a tenth full): among indexes of
	// equal estimated cost the planner takes the shortest, and the merged units' index (mostly NULLs,
	// deduplicated) stays one page high.
	`DO $$ DECLARE i regclass; BEGIN
	   FOR i IN SELECT indexrelid FROM pg_index WHERE indisunique AND indrelid IN ('communes'::regclass, 'hamlets'::regclass, 'cadres'::regclass) LOOP
	     EXECUTE format('ALTER INDEX %%s SET (fillfactor = 10)', i);
	   END LOOP; END $$ /* %[1]d */`,
	`REINDEX TABLE communes; REINDEX TABLE hamlets; REINDEX TABLE cadres /* %[1]d */`,
	// Province 01's register, written after: the statistics say it has no rows.
	`INSERT INTO communes (province_code, code, name, kind, class, effective_from)
	 SELECT '01', lpad(i::text, 5, '0'), 'Xã ' || i, 'xa', 1, '2018-01-01' FROM generate_series(1, %[1]d) i`,
	`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from)
	 SELECT '01', 'H' || i, lpad((1 + i %% %[1]d)::text, 5, '0'), 'Thôn ' || i, 'thon', 100, '2018-01-01' FROM generate_series(1, %[1]d) i`,
	`INSERT INTO cadres (province_code, national_id, full_name, gender, birth_date)
	 SELECT '01', '0010800' || lpad(i::text, 5, '0'), 'Nguyễn Văn An', 'male', '1980-05-17' FROM generate_series(1, %[1]d) i`,
}

// lookupStage stages, for each kind, lookupRows new records of province 01 (codes after the existing
// ones) that reference the register: every tenth unit names the next as its successor; posts are in
// hamlets and communes.
var lookupStage = map[string]string{
	"communes": `INSERT INTO import_stage (line, code, name, kind, class, key_security_order, border, island, effective_from, effective_to,
			successor_code, mountainous, ward_of_urban_district)
		SELECT i + 1, lpad((%[1]d + i)::text, 5, '0'), 'Xã ' || i, 'xa', 2, false, false, false, '2018-01-01',
			CASE WHEN i %% 10 = 5 THEN DATE '2025-06-30' END, CASE WHEN i %% 10 = 5 THEN lpad((%[1]d + i + 1)::text, 5, '0') END, false, false
		FROM generate_series(1, %[1]d) i`,
	"hamlets": `INSERT INTO import_stage (line, code, commune_code, name, kind, households, key_security_order, converted_from_thon,
			effective_from, effective_to, successor_code)
		SELECT i + 1, 'N' || i, lpad((1 + i %% %[1]d)::text, 5, '0'), 'Thôn ' || i, 'thon', 120, false, false, '2018-01-01',
			CASE WHEN i %% 10 = 5 THEN DATE '2025-06-30' END, CASE WHEN i %% 10 = 5 THEN 'N' || (i + 1) END
		FROM generate_series(1, %[1]d) i`,
	"cadres": `INSERT INTO import_stage (line, national_id, full_name, gender, birth_date, si_months, status, merged_unit_surplus)
		SELECT i + 1, '0020800' || lpad(i::text, 5, '0'), 'Nguyễn Văn Bình', 'male', '1980-05-17', 12, 'active', false
		FROM generate_series(1, %[1]d) i`,
	"assignments": `INSERT INTO import_stage (line, national_id, position_code, commune_code, hamlet_code, start_date, concurrent)
		SELECT i + 1, '0010800' || lpad(i::text, 5, '0'), CASE WHEN i %% 2 = 0 THEN 'truong_thon_to_truong' ELSE 'pho_bi_thu_doan' END,
			CASE WHEN i %% 2 = 1 THEN lpad(i::text, 5, '0') END, CASE WHEN i %% 2 = 0 THEN 'H' || i END, '2024-01-01', false
		FROM generate_series(1, %[1]d) i`,
}

// maxReadsPerRow bounds the register rows (heap rows fetched, index entries returned, rows scanned) read
// per written row: a few lookups and the linear joins of the upsert; a lookup that filters the province
// reads lookupRows/2 on average.
const maxReadsPerRow = 40

func TestImportRowLookupsStayOnTheKey(t *testing.T) {
	st, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	ctx := context.Background()
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	testdb.Province(t, admin, "02", "Tỉnh Hà Giang")
	for _, q := range lookupFixture {
		if _, err := admin.Exec(ctx, fmt.Sprintf(q, lookupRows)); err != nil {
			t.Fatalf("fixture: %v\n%s", err, q)
		}
	}
	p := store.Principal{Role: store.RoleProvinceEditor, Province: "01"}
	for _, kind := range []string{"communes", "hamlets", "cadres", "assignments"} {
		spec := store.ImportSpecs[kind]
		t.Run(kind, func(t *testing.T) {
			var reads int64
			err := st.InTx(ctx, p, func(tx *store.Tx) error {
				for _, q := range []string{`CREATE TEMP TABLE import_stage (` + spec.StageDDL + `) ON COMMIT DROP`,
					fmt.Sprintf(lookupStage[kind], lookupRows), `ANALYZE import_stage`} {
					if _, err := tx.Exec(ctx, q); err != nil {
						return fmt.Errorf("%w\n%s", err, q)
					}
				}
				if err := spec.Prepare(ctx, tx); err != nil {
					return err
				}
				before, err := registerReads(ctx, tx)
				if err != nil {
					return err
				}
				for _, q := range spec.Upsert {
					if _, err := tx.Exec(ctx, q, "01"); err != nil {
						return fmt.Errorf("%w\n%s", err, q)
					}
				}
				if _, err := tx.Exec(ctx, `SET CONSTRAINTS ALL IMMEDIATE`); err != nil { // the checks deferred to commit
					return err
				}
				after, err := registerReads(ctx, tx)
				reads = after - before
				if err != nil {
					return err
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				t.Fatal(err)
			}
			perRow := float64(reads) / lookupRows
			t.Logf("%s: %d register rows read for %d written (%.1f per row)", kind, reads, lookupRows, perRow)
			if perRow > maxReadsPerRow {
				t.Errorf("%s: writing %d rows read %d rows of the register, %.0f per row (at most %d): a lookup per row scans the province",
					kind, lookupRows, reads, perRow, maxReadsPerRow)
			}
		})
	}
}

// registerReads sums, in the current transaction, the rows read from the register's tables and indexes:
// heap rows fetched through an index, rows read by sequential scans, and index entries returned.
func registerReads(ctx context.Context, tx *store.Tx) (int64, error) {
	var n int64
	err := tx.QueryRow(ctx, `SELECT sum(pg_stat_get_xact_tuples_fetched(c.oid) + pg_stat_get_xact_tuples_returned(c.oid))::bigint
		FROM pg_class c WHERE c.oid IN (SELECT r FROM unnest('{communes,hamlets,cadres,assignments}'::regclass[]) r
			UNION SELECT indexrelid FROM pg_index WHERE indrelid IN ('communes'::regclass, 'hamlets'::regclass, 'cadres'::regclass,
			'assignments'::regclass))`).Scan(&n)
	return n, err
}
