// Command benchrun measures an entitlement run (make bench-run):
//
//	benchrun -db postgres://superuser@host/postgres [-people 30000] [-runs 3] [-exit-date 2025-08-01] [-keep]
//
// It creates a fresh database, migrates it, seeds one province with -people people in post (commune- and
// hamlet-level workers, a third of them with an earlier ended post, some with a concurrent post or a term
// end) and the province's allowance schedule, then times POST /v1/provinces/98/entitlement-runs through
// the HTTP API (in-process server, an editor key) from the POST until GET shows the run finished. It prints
// the total time, the time per person and the split the run itself recorded: reading the register (SQL),
// computing (the rules engine), writing the results (COPY) and the rest (job start, polling).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime/pprof"
	"sort"
	"time"

	"communehr/internal/api"
	"communehr/internal/benchutil"
	"communehr/internal/store"
)

func main() {
	f := benchutil.AddFlags(flag.CommandLine)
	people := flag.Int("people", 30000, "people to seed (a multiple of 150 is exact)")
	runs := flag.Int("runs", 3, "timed runs (after one warm-up)")
	exit := flag.String("exit-date", "2025-08-01", "exit_date of the runs")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the timed runs (the server is in-process)")
	flag.Parse()
	if err := bench(context.Background(), *f.DB, *people, *runs, *exit, *f.Keep, *cpuProfile); err != nil {
		fmt.Fprintln(os.Stderr, "bench-run:", err)
		os.Exit(1)
	}
}

type run struct {
	ID              string `json:"id"`
	Status          string `json:"status"`
	PeopleTotal     int    `json:"people_total"`
	PeopleProcessed int    `json:"people_processed"`
	PeopleEligible  int    `json:"people_eligible"`
	Total           string `json:"total"`
	Timings         struct {
		ReadMS    int `json:"read_ms"`
		ComputeMS int `json:"compute_ms"`
		WriteMS   int `json:"write_ms"`
	} `json:"timings"`
	TotalsByPolicy []struct {
		Policy string `json:"policy"`
		People int    `json:"people"`
		Total  string `json:"total"`
	} `json:"totals_by_policy"`
}

func bench(ctx context.Context, adminURL string, people, runs int, exitDate string, keep bool, cpuProfile string) error {
	svc, err := benchutil.Start(ctx, adminURL, "chr_benchrun", keep)
	if err != nil {
		return err
	}
	defer svc.Close()
	owner := svc.Owner
	t0 := time.Now()
	// 150 people per commune: 60 commune-level workers, and 30 hamlets of 3 hamlet-level workers.
	communes := max(1, people/150)
	for _, q := range seedSQL {
		args := []any{communes}
		if q == "ANALYZE" {
			args = nil
		}
		if _, err := owner.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("seed: %w\n%s", err, q)
		}
	}
	var nPeople, nPosts, nHamlets int
	if err := owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM cadres), (SELECT count(*) FROM assignments), (SELECT count(*) FROM hamlets)`).
		Scan(&nPeople, &nPosts, &nHamlets); err != nil {
		return err
	}
	fmt.Printf("seeded province 98: %d communes, %d hamlets, %d people, %d assignments in %s\n",
		communes, nHamlets, nPeople, nPosts, time.Since(t0).Round(time.Millisecond))
	token, err := svc.Key(ctx, store.RoleProvinceEditor, "98")
	if err != nil {
		return err
	}
	svc.Serve(api.Config{})
	call := func(method, path string, body []byte) ([]byte, int, http.Header, error) {
		status, h, b, err := svc.Call(method, path, token, body)
		return b, status, h, err
	}
	once := func() (run, time.Duration, error) {
		body := []byte(`{"exit_date": "` + exitDate + `", "reason": "reorganisation"}`)
		start := time.Now()
		b, status, h, err := call("POST", "/v1/provinces/98/entitlement-runs", body)
		if err != nil {
			return run{}, 0, err
		}
		if status != http.StatusAccepted {
			return run{}, 0, fmt.Errorf("POST answered %d: %s", status, b)
		}
		var r run
		for {
			if err := json.Unmarshal(b, &r); err != nil {
				return r, 0, err
			}
			if r.Status != "running" {
				break
			}
			time.Sleep(5 * time.Millisecond)
			if b, status, _, err = call("GET", h.Get("Location"), nil); err != nil || status != 200 {
				return r, 0, fmt.Errorf("GET run: %d %v %s", status, err, b)
			}
		}
		if r.Status != "succeeded" {
			return r, 0, fmt.Errorf("run %s: %s", r.ID, b)
		}
		return r, time.Since(start), nil
	}
	if _, _, err := once(); err != nil { // warm-up (plans, caches)
		return err
	}
	type sample struct {
		r run
		d time.Duration
	}
	var samples []sample
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	for i := 0; i < runs; i++ {
		r, d, err := once()
		if err != nil {
			return err
		}
		samples = append(samples, sample{r, d})
		t := r.Timings
		fmt.Printf("run %d: %d people (%d eligible, total %s đ) in %s — read %d ms, compute %d ms, write %d ms\n",
			i+1, r.PeopleTotal, r.PeopleEligible, r.Total, d.Round(time.Millisecond), t.ReadMS, t.ComputeMS, t.WriteMS)
	}
	sort.Slice(samples, func(i, j int) bool { return samples[i].d < samples[j].d })
	m := samples[len(samples)/2]
	t := m.r.Timings
	total := float64(m.d.Milliseconds())
	rest := total - float64(t.ReadMS+t.ComputeMS+t.WriteMS)
	share := func(ms float64) string { return fmt.Sprintf("%6.0f ms %5.1f %%", ms, 100*ms/total) }
	fmt.Printf("\nmedian of %d runs over %d people (POST → GET finished, through HTTP):\n", runs, m.r.PeopleTotal)
	fmt.Printf("  total            %s (%.1f µs per person)\n", m.d.Round(time.Millisecond), float64(m.d.Microseconds())/float64(m.r.PeopleTotal))
	fmt.Printf("  reading (SQL)    %s  %.1f µs per person\n", share(float64(t.ReadMS)), 1000*float64(t.ReadMS)/float64(m.r.PeopleTotal))
	fmt.Printf("  computing (Go)   %s  %.1f µs per person\n", share(float64(t.ComputeMS)), 1000*float64(t.ComputeMS)/float64(m.r.PeopleTotal))
	fmt.Printf("  writing (COPY)   %s  %.1f µs per person\n", share(float64(t.WriteMS)), 1000*float64(t.WriteMS)/float64(m.r.PeopleTotal))
	fmt.Printf("  other            %s  (job start, run row, polling every 5 ms)\n", share(rest))
	for _, pt := range m.r.TotalsByPolicy {
		name := pt.Policy
		if name == "" {
			name = "(none applies)"
		}
		fmt.Printf("  policy %-24s %6d people  %s đ\n", name, pt.People, pt.Total)
	}
	return nil
}

// seedSQL builds one province with set-based inserts ($1 = the number of communes; deterministic).
var seedSQL = []string{
	`INSERT INTO provinces (province_code, name) SELECT '98', 'Tỉnh Đo Hiệu Năng' WHERE $1::int > 0`,
	`INSERT INTO communes (province_code, code, name, kind, class, key_security_order, border, effective_from)
	 SELECT '98', lpad(g::text, 5, '0'), 'Xã ' || g, CASE WHEN g % 4 = 0 THEN 'phuong' ELSE 'xa' END, g % 3 + 1,
	   g % 17 = 0, g % 11 = 0, '2020-01-01'
	 FROM generate_series(1, $1::int) g`,
	`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from)
	 SELECT '98', 'T' || g, lpad(((g - 1) / 30 + 1)::text, 5, '0'), 'Thôn ' || g,
	   CASE WHEN g % 3 = 0 THEN 'to_dan_pho' ELSE 'thon' END, (g * 37) % 700 + 50, '2020-01-01'
	 FROM generate_series(1, $1::int * 30) g`,
	`INSERT INTO allowance_schedules (province_code, position_code, hamlet_fund_category, effective_from, coefficient, resolution)
	 SELECT '98', code, '', DATE '2024-07-01', CASE WHEN level = 'hamlet' THEN 1.5 ELSE 1.0 END, 'NQ bench'
	 FROM positions WHERE $1::int > 0
	 UNION ALL
	 SELECT '98', 'truong_thon_to_truong', c.cat, DATE '2024-07-01', c.coef, 'NQ bench'
	 FROM (VALUES ('6.0', 2.1), ('4.5', 1.6)) AS c(cat, coef)`,
	// People 1 … 90·n are hamlet-level (3 per hamlet), the next 60·n commune-level (60 per commune).
	`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months)
	 SELECT '98', md5('run' || g)::uuid, lpad(g::text, 12, '0'), 'Người ' || g,
	   CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END, DATE '1962-01-01' + (g * 7919) % 14000, g % 400
	 FROM generate_series(1, $1::int * 150) g`,
	`INSERT INTO assignments (province_code, cadre_id, position_code, hamlet_code, start_date, term_end, allowance_override)
	 SELECT '98', md5('run' || g)::uuid,
	   (ARRAY['bi_thu_chi_bo', 'truong_thon_to_truong', 'truong_ban_cong_tac_mat_tran'])[(g - 1) % 3 + 1],
	   'T' || ((g - 1) / 3 + 1), DATE '2020-01-01' + (g % 1500), CASE WHEN g % 5 = 0 THEN DATE '2027-06-30' END,
	   CASE WHEN g % 20 = 0 THEN 3000000 END
	 FROM generate_series(1, $1::int * 90) g`,
	`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, start_date, term_end, concurrent)
	 SELECT '98', md5('run' || g)::uuid,
	   (ARRAY['van_phong_dang_uy', 'phu_trach_truyen_thanh', 'pho_chi_huy_truong_quan_su', 'pho_chu_tich_mttq',
	          'pho_chu_tich_hoi_ccb', 'pho_chu_tich_hoi_lhpn', 'pho_chu_tich_hoi_nong_dan', 'pho_bi_thu_doan',
	          'chu_tich_hoi_nguoi_cao_tuoi', 'chu_tich_hoi_chu_thap_do'])[g % 10 + 1],
	   lpad(((g - $1::int * 90 - 1) / 60 + 1)::text, 5, '0'), DATE '2020-01-01' + (g % 1500),
	   CASE WHEN g % 4 = 0 THEN DATE '2026-06-30' END, false
	 FROM generate_series($1::int * 90 + 1, $1::int * 150) g`,
	// A third of the people held an earlier post that ended (working time is the union of the periods).
	`INSERT INTO assignments (province_code, cadre_id, position_code, hamlet_code, start_date, end_date)
	 SELECT '98', md5('run' || g)::uuid, 'truong_ban_cong_tac_mat_tran', 'T' || (g % ($1::int * 30) + 1), '2012-01-01', '2019-12-31'
	 FROM generate_series(1, $1::int * 150) g WHERE g % 3 = 0`,
	// Every seventh commune-level worker also holds a concurrent post.
	`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, start_date, concurrent)
	 SELECT '98', md5('run' || g)::uuid, 'chu_tich_hoi_chu_thap_do', lpad(((g - $1::int * 90 - 1) / 60 + 1)::text, 5, '0'), '2023-01-01', true
	 FROM generate_series($1::int * 90 + 1, $1::int * 150) g WHERE g % 7 = 0 AND g % 10 <> 9`,
	`ANALYZE`,
}
