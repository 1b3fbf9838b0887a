package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// Issue 14 (the reports page under 100 ms): the allowance report of a province, or of one commune, reads
// each of its units and posts once. Its statements run under EXPLAIN ANALYZE on reportFixture (statistics
// gathered while the tables were empty, as right after a province is loaded) and no plan node may run
// once per row unless it is an index lookup, and no filter may call resolve_commune_from (a function
// PostgreSQL cannot inline, evaluated once per row). Before: an EXISTS per post looked the post's unit
// up by scanning the province's communes (137–167 ms for the demo province's report page), and a
// commune's report resolved its unit once per hamlet and per post. Times are measured by make
// bench-console, not here.
// reportFixture is a province shaped like the demo province (100 communes of 10 hamlets, 1,500 posts: one
// per hamlet and five per commune), its tables analyzed while empty.
var reportFixture = []string{
	`ANALYZE communes, hamlets, cadres, assignments`,
	`INSERT INTO communes (province_code, code, name, kind, class, effective_from)
	 SELECT '01', lpad(i::text, 5, '0'), 'Xã ' || i, 'xa', 1, '2020-01-01' FROM generate_series(1, 100) i`,
	`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from)
	 SELECT '01', 'H' || i, lpad((1 + i % 100)::text, 5, '0'), 'Thôn ' || i, 'thon', 100, '2020-01-01' FROM generate_series(1, 1000) i`,
	`INSERT INTO cadres (province_code, national_id, full_name, gender, birth_date)
	 SELECT '01', '0010800' || lpad(i::text, 5, '0'), 'Nguyễn Văn An', 'male', '1980-05-17' FROM generate_series(1, 1500) i`,
	`INSERT INTO assignments (province_code, cadre_id, position_code, hamlet_code, start_date)
	 SELECT '01', c.id, 'truong_thon_to_truong', 'H' || i, '2024-01-01' FROM generate_series(1, 1000) i
	 JOIN cadres c ON c.national_id = '0010800' || lpad(i::text, 5, '0')`,
	`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, start_date)
	 SELECT '01', c.id, (ARRAY['van_phong_dang_uy', 'phu_trach_truyen_thanh', 'pho_chu_tich_mttq', 'pho_bi_thu_doan', 'pho_chu_tich_hoi_ccb'])[1 + i % 5],
	   lpad((1 + i % 100)::text, 5, '0'), '2024-01-01' FROM generate_series(1001, 1500) i
	 JOIN cadres c ON c.national_id = '0010800' || lpad(i::text, 5, '0')`,
}

func TestAllowanceReportReadsEachRowOnce(t *testing.T) {
	st, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	ctx := context.Background()
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	for _, q := range reportFixture {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("fixture: %v\n%s", err, q)
		}
	}
	p := store.Principal{Role: store.RoleProvinceViewer, Province: "01"}
	asOf := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	for name, u := range map[string]store.UnitScope{"province": {}, "commune": {CommuneCode: "00002"}, "hamlet": {HamletCode: "H2"}} {
		t.Run(name, func(t *testing.T) {
			err := st.InTx(ctx, p, func(tx *store.Tx) error {
				stmts, args, err := store.ReportStatements(ctx, tx, "01", asOf, u)
				if err != nil {
					return err
				}
				for i, q := range stmts {
					var plan []struct{ Plan lookupNode }
					var raw []byte
					if err := tx.QueryRow(ctx, `EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) `+q, args...).Scan(&raw); err != nil {
						return fmt.Errorf("statement %d: %w\n%s", i, err, q)
					}
					if err := json.Unmarshal(raw, &plan); err != nil {
						return err
					}
					if bad := plan[0].Plan.perRowScans(); len(bad) > 0 {
						t.Errorf("statement %d runs %s once per row:\n%s", i, strings.Join(bad, "; "), q)
					}
					if strings.Contains(string(raw), "resolve_commune_from") {
						t.Errorf("statement %d calls resolve_commune_from in its plan (once per row):\n%s", i, q)
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

type lookupNode struct {
	NodeType    string       `json:"Node Type"`
	Relation    string       `json:"Relation Name"`
	Loops       int          `json:"Actual Loops"`
	Rows        float64      `json:"Actual Rows"`
	Removed     float64      `json:"Rows Removed by Filter"`
	JoinRemoved float64      `json:"Rows Removed by Join Filter"`
	Plans       []lookupNode `json:"Plans"`
}

// perRowScans lists the nodes that run once per row of another and read more than a key's few rows each
// time (a lookup reads one row per loop), and the joins that pair rows only to drop them.
func (n lookupNode) perRowScans() []string {
	var out []string
	if n.Loops > 1 {
		lookup := n.NodeType == "Index Scan" || n.NodeType == "Index Only Scan" || n.NodeType == "Nested Loop" ||
			n.NodeType == "Memoize" || n.NodeType == "Bitmap Heap Scan" || n.NodeType == "Bitmap Index Scan"
		if !lookup || n.Rows+n.Removed > 3 {
			out = append(out, fmt.Sprintf("%s %s ×%d (%.0f rows read each time)", n.NodeType, n.Relation, n.Loops, n.Rows+n.Removed))
		}
	}
	if n.JoinRemoved > planRows {
		out = append(out, fmt.Sprintf("%s joining %.0f pairs it then drops", n.NodeType, n.JoinRemoved))
	}
	for _, c := range n.Plans {
		out = append(out, c.perRowScans()...)
	}
	return out
}
