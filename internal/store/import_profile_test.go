package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// TestProfilePostsImport is not a check: with PROFILE_ROWS=50000,200000 it stages a posts file shaped as
// make bench-import's (groups of five: three paid hamlet posts, one of them over two periods, and a
// commune post) over a province holding its units and people, imports it and imports it again
// unchanged, and prints the wall and database processor time of each step, per row. It is skipped
// otherwise.
func TestProfilePostsImport(t *testing.T) {
	sizes := os.Getenv("PROFILE_ROWS")
	if sizes == "" {
		t.Skip("PROFILE_ROWS not set")
	}
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		profilePosts(t, n)
	}
}

var profileFixture = []string{
	`INSERT INTO communes (province_code, code, name, kind, class, effective_from)
	 SELECT '01', lpad(i::text, 5, '0'), 'Xã ' || i, 'xa', 1, '2000-01-01' FROM generate_series(1, %[1]d / 8 + 1) i`,
	`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from)
	 SELECT '01', lpad((1 + i %% (%[1]d / 8 + 1))::text, 5, '0') || '-' || i, lpad((1 + i %% (%[1]d / 8 + 1))::text, 5, '0'),
	   'Thôn ' || i, 'thon', 100, '2000-01-01' FROM generate_series(1, %[1]d / 5 + 1) i`,
	`INSERT INTO cadres (province_code, national_id, full_name, gender, birth_date)
	 SELECT '01', '001080' || lpad(i::text, 6, '0'), 'Nguyễn Văn An', 'male', '1980-05-17' FROM generate_series(0, %[1]d) i`,
	`ANALYZE communes, hamlets, cadres /* %[1]d rows */`,
}

// profileStage is the posts file: line, person, post, unit, period.
const profileStage = `INSERT INTO import_stage (line, national_id, position_code, commune_code, hamlet_code, start_date, end_date, concurrent)
	SELECT i + 2, '001080' || lpad((4 * g + CASE k WHEN 0 THEN 0 WHEN 1 THEN 1 WHEN 2 THEN 1 WHEN 3 THEN 2 ELSE 3 END)::text, 6, '0'),
	  (ARRAY['bi_thu_chi_bo', 'truong_thon_to_truong', 'truong_thon_to_truong', 'truong_ban_cong_tac_mat_tran', 'pho_bi_thu_doan'])[k + 1],
	  CASE WHEN k = 4 THEN lpad((1 + g %% (%[1]d / 8 + 1))::text, 5, '0') END,
	  CASE WHEN k < 4 THEN lpad((1 + (g + 1) %% (%[1]d / 8 + 1))::text, 5, '0') || '-' || (g + 1) END,
	  CASE WHEN k = 1 THEN DATE '2019-01-01' ELSE DATE '2024-01-01' END, CASE WHEN k = 1 THEN DATE '2023-12-31' END, false
	FROM generate_series(0, %[1]d - 1) i, LATERAL (SELECT i / 5 AS g, i %% 5 AS k) x`

func profilePosts(t *testing.T, n int) {
	st, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	ctx := context.Background()
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	for _, q := range profileFixture {
		if _, err := admin.Exec(ctx, fmt.Sprintf(q, n)); err != nil {
			t.Fatalf("fixture: %v\n%s", err, q)
		}
	}
	p := store.Principal{Role: store.RoleProvinceEditor, Province: "01"}
	for _, mode := range []string{"import", "re-import"} {
		job := fmt.Sprintf("00000000-0000-4000-8000-%012d", len(mode))
		err := st.InTx(ctx, p, func(tx *store.Tx) error {
			var pid int
			if err := tx.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_stage (`+store.ImportSpecs["assignments"].StageDDL+`) ON COMMIT DROP`); err != nil {
				return err
			}
			steps := append([]store.ImportStep{{Name: "stage", Run: func(ctx context.Context, tx *store.Tx) error {
				_, err := tx.Exec(ctx, fmt.Sprintf(profileStage, n))
				return err
			}}}, store.ImportSteps("assignments", job)...)
			var wall, cpu time.Duration
			for _, s := range steps {
				c0, t0 := backendCPU(pid), time.Now()
				if err := s.Run(ctx, tx); err != nil {
					return fmt.Errorf("%s: %w", s.Name, err)
				}
				dw, dc := time.Since(t0), backendCPU(pid)-c0
				wall, cpu = wall+dw, cpu+dc
				fmt.Printf("profile %7d %-9s %-16s wall %7.2f µs/row  db cpu %7.2f µs/row\n", n, mode, s.Name,
					float64(dw.Microseconds())/float64(n), float64(dc.Microseconds())/float64(n))
				if s.Name == "rule: holders" && os.Getenv("PROFILE_EXPLAIN") != "" {
					if err := explainRules(ctx, tx, n, mode); err != nil {
						return err
					}
				}
			}
			fmt.Printf("profile %7d %-9s %-16s wall %7.2f µs/row  db cpu %7.2f µs/row\n", n, mode, "TOTAL",
				float64(wall.Microseconds())/float64(n), float64(cpu.Microseconds())/float64(n))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := admin.Exec(ctx, `ANALYZE assignments, cadres`); err != nil {
			t.Fatal(err)
		}
	}
}

// explainRules prints the plans of the posts' shared rules as they run (PROFILE_EXPLAIN set).
func explainRules(ctx context.Context, tx *store.Tx, n int, mode string) error {
	for _, name := range []string{"life", "overlap", "hamlet posts", "holders"} {
		rows, err := tx.Query(ctx, `EXPLAIN (ANALYZE, BUFFERS) `+store.PostRuleSQL[name], "01")
		if err != nil {
			return err
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				return err
			}
			fmt.Printf("explain %d %s %s: %s\n", n, mode, name, line)
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// backendCPU is the processor time a database backend has used (user + system), from /proc.
func backendCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	u, _ := strconv.Atoi(f[11])
	k, _ := strconv.Atoi(f[12])
	return time.Duration(u+k) * 10 * time.Millisecond
}
