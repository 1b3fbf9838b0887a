// Command bench measures communehr against a PostgreSQL cluster (make bench-national).
//
//	bench national -db postgres://superuser@host/postgres [-runs 5] [-as-of 2025-07-15]
//
// It creates a fresh database, migrates it, seeds 34 provinces at national scale (3,300 communes, 100,000
// hamlets, 400,000 people each in one post), then times GET /v1/national/summary (in-process server, a
// Ministry key) and the equivalent hand-written SQL run with psql, and prints the median of each and the
// ratio (goal ≤ 1.5×). The database is dropped at the end unless -keep.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"communehr/internal/api"
	"communehr/internal/benchutil"
	"communehr/internal/store"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "national" {
		fmt.Fprintln(os.Stderr, "usage: bench national -db URL [-runs N] [-as-of DATE] [-keep]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet("national", flag.ExitOnError)
	f := benchutil.AddFlags(fs)
	runs := fs.Int("runs", 5, "timed runs of each side")
	asOf := fs.String("as-of", "2025-07-15", "as_of of the summary")
	_ = fs.Parse(os.Args[2:])
	if err := national(context.Background(), *f.DB, *runs, *asOf, *f.Keep); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func national(ctx context.Context, adminURL string, runs int, asOf string, keep bool) error {
	svc, err := benchutil.Start(ctx, adminURL, "chr_bench", keep)
	if err != nil {
		return err
	}
	defer svc.Close()
	dbURL, owner := svc.DBURL, svc.Owner
	t0 := time.Now()
	for _, q := range seedSQL {
		if _, err := owner.Exec(ctx, q); err != nil {
			return fmt.Errorf("seed: %w\n%s", err, q)
		}
	}
	var communes, hamlets, people int
	if err := owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM communes), (SELECT count(*) FROM hamlets), (SELECT count(*) FROM cadres)`).
		Scan(&communes, &hamlets, &people); err != nil {
		return err
	}
	fmt.Printf("seeded 34 provinces, %d communes, %d hamlets, %d people in %s\n", communes, hamlets, people, time.Since(t0).Round(time.Millisecond))
	token, err := svc.Key(ctx, store.RoleMinistry, "")
	if err != nil {
		return err
	}
	svc.Serve(api.Config{})
	call := func() (time.Duration, error) {
		start := time.Now()
		status, _, _, err := svc.Call("GET", "/v1/national/summary?as_of="+asOf, token, nil)
		if err != nil {
			return 0, err
		}
		if status != 200 {
			return 0, fmt.Errorf("summary answered %d", status)
		}
		return time.Since(start), nil
	}
	sqlFile, err := os.CreateTemp("", "bench-national-*.sql")
	if err != nil {
		return err
	}
	defer os.Remove(sqlFile.Name())
	if _, err := sqlFile.WriteString("\\timing on\n\\o /dev/null\n" + strings.ReplaceAll(handSQL, ":as_of", "'"+asOf+"'")); err != nil {
		return err
	}
	sqlFile.Close()
	timing := regexp.MustCompile(`Time: ([0-9.]+) ms`)
	psql := func() (time.Duration, error) {
		out, err := exec.Command("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dbURL, "-f", sqlFile.Name()).CombinedOutput()
		if err != nil {
			return 0, fmt.Errorf("psql: %v\n%s", err, out)
		}
		var total float64
		for _, m := range timing.FindAllStringSubmatch(string(out), -1) {
			v, _ := strconv.ParseFloat(m[1], 64)
			total += v
		}
		return time.Duration(total * float64(time.Millisecond)), nil
	}
	// One warm-up of each, then the timed runs.
	if _, err := call(); err != nil {
		return err
	}
	if _, err := psql(); err != nil {
		return err
	}
	var apiT, sqlT []time.Duration
	for i := 0; i < runs; i++ {
		a, err := call()
		if err != nil {
			return err
		}
		s, err := psql()
		if err != nil {
			return err
		}
		apiT, sqlT = append(apiT, a), append(sqlT, s)
	}
	ma, ms := median(apiT), median(sqlT)
	fmt.Printf("GET /v1/national/summary?as_of=%s   median %s over %d runs (HTTP, JSON, 2 transactions)\n", asOf, ma.Round(time.Millisecond), runs)
	fmt.Printf("hand-written SQL via psql (server time) median %s\n", ms.Round(time.Millisecond))
	fmt.Printf("ratio %.2f× (goal ≤ 1.5×)\n", float64(ma)/float64(ms))
	return nil
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// seedSQL builds the national-scale register with set-based inserts (deterministic, no randomness).
var seedSQL = []string{
	`INSERT INTO provinces (province_code, name) SELECT lpad(g::text, 2, '0'), 'Tỉnh ' || g FROM generate_series(1, 34) g`,
	`INSERT INTO communes (province_code, code, name, kind, class, population, key_security_order, border, island, effective_from)
	 SELECT lpad(((g - 1) % 34 + 1)::text, 2, '0'), lpad(g::text, 5, '0'), 'Xã ' || g,
	   (ARRAY['xa', 'phuong', 'xa', 'xa', 'dac_khu'])[g % 5 + 1], g % 3 + 1, 10000 + g, g % 17 = 0, g % 11 = 0, g % 29 = 0, '2025-07-01'
	 FROM generate_series(1, 3300) g`,
	`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, border_or_island, converted_from_thon, effective_from)
	 SELECT lpad((((g - 1) % 3300) % 34 + 1)::text, 2, '0'), 'T' || g, lpad(((g - 1) % 3300 + 1)::text, 5, '0'), 'Thôn ' || g,
	   CASE WHEN g % 3 = 0 THEN 'to_dan_pho' ELSE 'thon' END, (g * 37) % 700 + 50,
	   CASE WHEN g % 97 = 0 THEN true END, g % 50 = 0, '2025-07-01'
	 FROM generate_series(1, 100000) g`,
	`INSERT INTO allowance_schedules (province_code, position_code, hamlet_fund_category, effective_from, coefficient, resolution)
	 SELECT p.province_code, pos.code, '', DATE '2024-07-01', CASE WHEN pos.level = 'hamlet' THEN 1.5 ELSE 1.0 END, 'NQ bench'
	 FROM provinces p CROSS JOIN positions pos
	 UNION ALL
	 SELECT p.province_code, 'truong_thon_to_truong', c.cat, DATE '2024-07-01', c.coef, 'NQ bench'
	 FROM provinces p CROSS JOIN (VALUES ('6.0', 2.1), ('4.5', 1.6)) AS c(cat, coef)`,
	`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months)
	 SELECT CASE WHEN g <= 300000 THEN lpad(((((g - 1) / 3) % 3300) % 34 + 1)::text, 2, '0')
	             ELSE lpad((((g - 300001) % 3300) % 34 + 1)::text, 2, '0') END,
	   md5('cadre' || g)::uuid, lpad(g::text, 12, '0'), 'Người ' || g,
	   CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END, DATE '1960-01-01' + (g % 12000), g % 400
	 FROM generate_series(1, 400000) g`,
	`INSERT INTO assignments (province_code, cadre_id, position_code, hamlet_code, start_date, allowance_override)
	 SELECT lpad(((((g - 1) / 3) % 3300) % 34 + 1)::text, 2, '0'), md5('cadre' || g)::uuid,
	   (ARRAY['bi_thu_chi_bo', 'truong_thon_to_truong', 'truong_ban_cong_tac_mat_tran'])[(g - 1) % 3 + 1],
	   'T' || ((g - 1) / 3 + 1), '2020-01-01', CASE WHEN g % 20 = 0 THEN 3000000 END
	 FROM generate_series(1, 300000) g`,
	`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, start_date, concurrent)
	 SELECT lpad((((g - 300001) % 3300) % 34 + 1)::text, 2, '0'), md5('cadre' || g)::uuid,
	   (ARRAY['van_phong_dang_uy', 'phu_trach_truyen_thanh', 'pho_chi_huy_truong_quan_su', 'pho_chu_tich_mttq',
	          'pho_chu_tich_hoi_ccb', 'pho_chu_tich_hoi_lhpn', 'pho_chu_tich_hoi_nong_dan', 'pho_bi_thu_doan',
	          'chu_tich_hoi_nguoi_cao_tuoi', 'chu_tich_hoi_chu_thap_do'])[g % 10 + 1],
	   lpad(((g - 300001) % 3300 + 1)::text, 5, '0'), '2020-01-01', g % 7 = 0
	 FROM generate_series(300001, 400000) g`,
	`ANALYZE`,
}

// handSQL is what a DBA would write by hand for the same figures: Decree 33's hamlet category inline
// (thresholds 350/500 households, key security, border or island), the base salary as a literal.
const handSQL = `
SELECT province_code, kind, class, count(*) FROM communes
WHERE effective_from <= :as_of AND (effective_to IS NULL OR effective_to >= :as_of) GROUP BY 1, 2, 3;
WITH hc AS (
  SELECT h.province_code, h.code, h.kind,
    CASE WHEN (h.kind = 'thon' AND h.households >= 350) OR (h.kind = 'to_dan_pho' AND h.households >= 500)
           OR (h.kind = 'to_dan_pho' AND h.converted_from_thon AND h.households >= 350)
           OR h.key_security_order OR c.key_security_order OR coalesce(h.border_or_island, c.border OR c.island)
         THEN '6.0' ELSE '4.5' END AS category
  FROM hamlets h JOIN communes c ON c.province_code = h.province_code AND c.code = h.commune_code
  WHERE h.effective_from <= :as_of AND (h.effective_to IS NULL OR h.effective_to >= :as_of)
    AND c.effective_from <= :as_of AND (c.effective_to IS NULL OR c.effective_to >= :as_of))
SELECT province_code, kind, category, count(*) FROM hc GROUP BY 1, 2, 3;
WITH hc AS (
  SELECT h.province_code, h.code,
    CASE WHEN (h.kind = 'thon' AND h.households >= 350) OR (h.kind = 'to_dan_pho' AND h.households >= 500)
           OR (h.kind = 'to_dan_pho' AND h.converted_from_thon AND h.households >= 350)
           OR h.key_security_order OR c.key_security_order OR coalesce(h.border_or_island, c.border OR c.island)
         THEN '6.0' ELSE '4.5' END AS category
  FROM hamlets h JOIN communes c ON c.province_code = h.province_code AND c.code = h.commune_code
  WHERE h.effective_from <= :as_of AND (h.effective_to IS NULL OR h.effective_to >= :as_of)
    AND c.effective_from <= :as_of AND (c.effective_to IS NULL OR c.effective_to >= :as_of)),
cf AS (
  SELECT province_code, code FROM communes WHERE effective_from <= :as_of AND (effective_to IS NULL OR effective_to >= :as_of)),
sched AS (
  SELECT s.province_code, s.position_code, s.hamlet_fund_category, s.coefficient FROM allowance_schedules s
  JOIN (SELECT province_code, max(effective_from) AS effective_from FROM allowance_schedules
        WHERE effective_from <= :as_of AND (effective_to IS NULL OR effective_to >= :as_of) GROUP BY 1) v
    ON v.province_code = s.province_code AND v.effective_from = s.effective_from),
posts AS (
  SELECT a.province_code, a.cadre_id, p.level, a.position_code,
    coalesce(a.allowance_override, round(coalesce(s1.coefficient, s2.coefficient, 0) * 2340000)) AS paid
  FROM assignments a JOIN positions p ON p.code = a.position_code
  LEFT JOIN hc ON hc.province_code = a.province_code AND hc.code = a.hamlet_code
  LEFT JOIN cf ON cf.province_code = a.province_code AND cf.code = a.commune_code
  LEFT JOIN sched s1 ON s1.province_code = a.province_code AND s1.position_code = a.position_code AND s1.hamlet_fund_category = hc.category
  LEFT JOIN sched s2 ON s2.province_code = a.province_code AND s2.position_code = a.position_code AND s2.hamlet_fund_category = ''
  WHERE a.start_date <= :as_of AND (a.end_date IS NULL OR a.end_date >= :as_of) AND (hc.code IS NOT NULL OR cf.code IS NOT NULL))
SELECT province_code, level, position_code, count(*), count(DISTINCT cadre_id), sum(paid)
FROM posts GROUP BY GROUPING SETS ((province_code, level, position_code), (province_code, level));
SELECT province_code, policy, count(*), count(DISTINCT cadre_id), sum(total) FROM decisions
WHERE superseded_by IS NULL AND created_at < (:as_of::date + 1) GROUP BY 1, 2;
`
