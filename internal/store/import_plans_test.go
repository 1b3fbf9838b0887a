package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// Issue 10 item 3: every set-based check and upsert of every import kind must be O(n log n) — no
// statement may rescan the staging table (or anything else without an index) once per row, as the
// in-file overlap check and the correlated count of the paid-posts rule did. Each statement runs under
// EXPLAIN ANALYZE on a staged file of planRows rows over a province holding as many records, and any plan
// node executed more than once must be an index lookup (O(log n) per row), and no join may pair rows only
// to drop most pairs. Times are measured by make
// bench-import, not here.
const planRows = 2000

// planFixture is a province 01 with planRows communes, hamlets and people, and posts for half of them.
// The tables are analyzed while empty: their statistics are stale, as they are right after a large
// import until autovacuum catches up (the planner then takes a province's 2000 rows for one).
var planFixture = []string{
	`ANALYZE communes, hamlets, cadres, assignments /* %[1]d rows */`,
	`INSERT INTO communes (province_code, code, name, kind, class, effective_from)
	 SELECT '01', lpad(i::text, 5, '0'), 'Xã ' || i, 'xa', 1, '2020-01-01' FROM generate_series(1, %[1]d) i`,
	`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from)
	 SELECT '01', 'H' || i, lpad((1 + i %% %[1]d)::text, 5, '0'), 'Thôn ' || i, 'thon', 100, '2020-01-01' FROM generate_series(1, %[1]d) i`,
	`INSERT INTO cadres (province_code, national_id, full_name, gender, birth_date)
	 SELECT '01', '0010800' || lpad(i::text, 5, '0'), 'Nguyễn Văn An', 'male', '1980-05-17' FROM generate_series(1, %[1]d) i`,
	`INSERT INTO assignments (province_code, cadre_id, position_code, hamlet_code, start_date)
	 SELECT '01', c.id, 'truong_thon_to_truong', 'H' || i, '2024-01-01' FROM generate_series(1, %[1]d / 2) i
	 JOIN cadres c ON c.national_id = '0010800' || lpad(i::text, 5, '0')`,
}

// planStage fills import_stage for each kind: half the keys exist, half are new; some rows name a
// successor, some posts repeat a person's post over another period.
var planStage = map[string]string{
	"communes": `INSERT INTO import_stage (line, code, name, kind, class, key_security_order, border, island, effective_from, effective_to,
			successor_code, mountainous, ward_of_urban_district)
		SELECT i + 1, lpad(j::text, 5, '0'), 'Xã ' || j, 'xa', 2, false, false, false, '2020-01-01', CASE WHEN j %% 10 = 0 THEN DATE '2025-06-30' END,
			CASE WHEN j %% 10 = 0 THEN lpad((j + 1)::text, 5, '0') END, false, false
		FROM generate_series(1, %[1]d) i, LATERAL (SELECT i + %[1]d / 2 AS j) k`,
	"hamlets": `INSERT INTO import_stage (line, code, commune_code, name, kind, households, key_security_order, converted_from_thon,
			effective_from, effective_to, successor_code)
		SELECT i + 1, 'H' || j, lpad((1 + j %% %[1]d)::text, 5, '0'), 'Thôn ' || j, 'thon', 120, false, false, '2020-01-01',
			CASE WHEN j %% 10 = 0 THEN DATE '2025-06-30' END, CASE WHEN j %% 10 = 0 THEN 'H' || (j + 1) END
		FROM generate_series(1, %[1]d) i, LATERAL (SELECT i + %[1]d / 2 AS j) k`,
	"cadres": `INSERT INTO import_stage (line, national_id, full_name, gender, birth_date, si_months, status, merged_unit_surplus)
		SELECT i + 1, '0010800' || lpad(j::text, 5, '0'), 'Nguyễn Văn Bình', 'male', '1980-05-17', 12, 'active', false
		FROM generate_series(1, %[1]d) i, LATERAL (SELECT i + %[1]d / 2 AS j) k`,
	"assignments": `INSERT INTO import_stage (line, national_id, position_code, hamlet_code, start_date, end_date, concurrent)
		SELECT i + 1, '0010800' || lpad(((i + 1) / 2)::text, 5, '0'), 'truong_thon_to_truong', 'H' || ((i + 1) / 2),
			CASE WHEN i %% 2 = 1 THEN DATE '2019-01-01' ELSE DATE '2024-01-01' END,
			CASE WHEN i %% 2 = 1 THEN DATE '2023-12-31' END, false
		FROM generate_series(1, %[1]d) i`,
}

var errRollback = errors.New("rollback")

func TestImportChecksAreNotQuadratic(t *testing.T) {
	t.Parallel()
	st, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	ctx := context.Background()
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	for _, q := range planFixture {
		if _, err := admin.Exec(ctx, fmt.Sprintf(q, planRows)); err != nil {
			t.Fatalf("fixture: %v\n%s", err, q)
		}
	}
	p := store.Principal{Role: store.RoleProvinceEditor, Province: "01"}
	for _, kind := range []string{"communes", "hamlets", "cadres", "assignments"} {
		spec := store.ImportSpecs[kind]
		t.Run(kind, func(t *testing.T) {
			err := st.InTx(ctx, p, func(tx *store.Tx) error {
				for _, q := range []string{`CREATE TEMP TABLE import_stage (` + spec.StageDDL + `) ON COMMIT DROP`,
					fmt.Sprintf(planStage[kind], planRows), `ANALYZE import_stage`} {
					if _, err := tx.Exec(ctx, q); err != nil {
						return fmt.Errorf("%w\n%s", err, q)
					}
				}
				if err := spec.Prepare(ctx, tx); err != nil {
					return err
				}
				for i, q := range append(append([]string{}, spec.Checks...), spec.Upsert...) {
					var args []any
					if strings.Contains(q, "$1") {
						args = append(args, "01")
					}
					if err := checkNotRepeatedPerRow(t, tx, i, q, args); err != nil {
						return err
					}
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				t.Fatal(err)
			}
		})
	}
}

// checkNotRepeatedPerRow runs statement i under EXPLAIN ANALYZE and reports any node it runs once per row
// of the file (O(n²)); an error is the statement's own.
func checkNotRepeatedPerRow(t *testing.T, tx *store.Tx, i int, q string, args []any) error {
	t.Helper()
	var plan []struct{ Plan planNode }
	var raw []byte
	if err := tx.QueryRow(context.Background(), `EXPLAIN (ANALYZE, FORMAT JSON) `+q, args...).Scan(&raw); err != nil {
		return fmt.Errorf("statement %d: %w\n%s", i, err, q)
	}
	if err := json.Unmarshal(raw, &plan); err != nil {
		return err
	}
	if bad := plan[0].Plan.repeated(); len(bad) > 0 {
		t.Errorf("statement %d runs %s once per row (O(n²)):\n%s", i, strings.Join(bad, "; "), q)
	}
	return nil
}

type planNode struct {
	NodeType string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	CTE      string     `json:"CTE Name"`
	Loops    int        `json:"Actual Loops"`
	Removed  int        `json:"Rows Removed by Join Filter"`
	Plans    []planNode `json:"Plans"`
}

// repeated lists the nodes executed more than once that are not index lookups.
func (n planNode) repeated() []string {
	var out []string
	switch n.NodeType {
	case "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan", "Memoize": // a cache in front of a lookup
	default:
		if n.Loops > 1 {
			out = append(out, fmt.Sprintf("%s %s%s ×%d", n.NodeType, n.Relation, n.CTE, n.Loops))
		}
	}
	// A join on too little of the key (a post and a start date without the person) matches each row with
	// many and filters them out: quadratic too.
	if n.Removed > 4*planRows {
		out = append(out, fmt.Sprintf("%s joining %d pairs it then drops", n.NodeType, n.Removed))
	}
	for _, c := range n.Plans {
		out = append(out, c.repeated()...)
	}
	return out
}
