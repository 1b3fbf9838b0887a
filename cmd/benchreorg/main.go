// Command benchreorg measures the reference-data load and the 2025 merger (make bench-reorg):
//
//	benchreorg -db postgres://superuser@host/postgres [-people 5000] [-runs 3] [-keep]
//
// It creates a fresh database, migrates it and loads the reference units of all 34 provinces one by one
// (the store call behind POST …/reference-units), printing each time and the total. Then, in the province
// with the most pre-2025 units, it seeds -people people with 4 posts each (3 ended before 2019, one held
// since 2019: two fifths commune-level, the rest hamlet posts in 1,000 hamlets) and times the preview
// (median of -runs) and one apply of {"mapping": "national-2025"} through the HTTP API, answering every
// split with the unit's first successor, and prints the row counts of the answer.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	"communehr/internal/api"
	"communehr/internal/benchutil"
	"communehr/internal/refdata"
	"communehr/internal/store"
)

func main() {
	f := benchutil.AddFlags(flag.CommandLine)
	people := flag.Int("people", 5000, "people to seed in the largest province (4 posts each)")
	runs := flag.Int("runs", 3, "timed previews")
	flag.Parse()
	if err := bench(context.Background(), *f.DB, *people, *runs, *f.Keep); err != nil {
		fmt.Fprintln(os.Stderr, "bench-reorg:", err)
		os.Exit(1)
	}
}

// seedSQL seeds province $1: hamlets in its pre-2025 units, $2 people, 3 ended posts and 1 current post each.
var seedSQL = []string{
	`CREATE TEMP TABLE old_units AS SELECT code, effective_from, row_number() OVER (ORDER BY code) AS rn, count(*) OVER () AS n
		FROM communes WHERE province_code = $1 AND effective_to = '2025-06-30'`,
	`INSERT INTO hamlets (province_code, code, commune_code, commune_from, name, kind, households, effective_from)
		SELECT $1, 'T' || lpad(g::text, 5, '0'), u.code, u.effective_from, 'Thôn ' || g, 'thon', 60 + (g * 37) % 400, '2010-01-01'
		FROM generate_series(1, 1000) g JOIN old_units u ON u.rn = 1 + g % u.n`,
	`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months)
		SELECT $1, ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
			'0' || $1 || (CASE WHEN g % 2 = 0 THEN '0' ELSE '1' END) || lpad((65 + g % 25)::text, 2, '0') || lpad(g::text, 6, '0'),
			'Người ' || g, CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END,
			make_date(1965 + g % 25, 1 + g % 12, 1 + g % 28), g % 300
		FROM generate_series(1, $2::int) g`,
	`CREATE TEMP TABLE pos (i int, code text)`,
	`INSERT INTO pos VALUES (0, 'van_phong_dang_uy'), (1, 'phu_trach_truyen_thanh'), (2, 'pho_chi_huy_truong_quan_su'),
		(3, 'pho_chu_tich_mttq'), (4, 'pho_chu_tich_hoi_ccb'), (5, 'pho_chu_tich_hoi_lhpn'), (6, 'pho_chu_tich_hoi_nong_dan'),
		(7, 'pho_bi_thu_doan'), (8, 'chu_tich_hoi_nguoi_cao_tuoi'), (9, 'chu_tich_hoi_chu_thap_do')`,
	`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, commune_from, start_date, end_date)
		SELECT $1, ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, p.code, u.code, u.effective_from,
			make_date(2000 + 5 * k, 1, 1), make_date(2004 + 5 * k, 12, 31) - CASE WHEN k = 3 THEN 365 ELSE 0 END
		FROM generate_series(1, $2::int) g CROSS JOIN generate_series(1, 3) k
		JOIN pos p ON p.i = (g + k) % 10 JOIN old_units u ON u.rn = 1 + g % u.n`,
	`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, commune_from, start_date)
		SELECT $1, ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, p.code, u.code, u.effective_from, '2019-01-01'
		FROM generate_series(1, $2::int * 2 / 5) g JOIN pos p ON p.i = g % 10 JOIN old_units u ON u.rn = 1 + g % u.n`,
	`INSERT INTO assignments (province_code, cadre_id, position_code, hamlet_code, start_date)
		SELECT $1, ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
			(ARRAY['bi_thu_chi_bo', 'truong_thon_to_truong', 'truong_ban_cong_tac_mat_tran'])[1 + ((g - $2::int * 2 / 5 - 1) / 1000) % 3],
			'T' || lpad((1 + (g - $2::int * 2 / 5 - 1) % 1000)::text, 5, '0'), '2019-01-01'
		FROM generate_series($2::int * 2 / 5 + 1, $2::int) g`,
	`ANALYZE`,
}

type summary struct {
	UnitsClosed    []json.RawMessage `json:"units_closed"`
	UnitsCreated   []json.RawMessage `json:"units_created"`
	HamletsMoved   []json.RawMessage `json:"hamlets_moved"`
	PostsMoved     []json.RawMessage `json:"posts_moved"`
	PostsEnded     []json.RawMessage `json:"posts_ended"`
	PeopleAffected []json.RawMessage `json:"people_affected"`
	NeedsAnswer    []json.RawMessage `json:"needs_answer"`
	ExitCostTotal  string            `json:"exit_cost_total"`
}

func bench(ctx context.Context, adminURL string, people, runs int, keep bool) error {
	svc, err := benchutil.Start(ctx, adminURL, "chr_benchreorg", keep)
	if err != nil {
		return err
	}
	defer svc.Close()
	st, owner := svc.Store, svc.Owner
	d, err := refdata.Load()
	if err != nil {
		return err
	}
	op := store.Principal{Role: store.RoleOperator, RequestID: "bench-reorg"}
	largest, maxPre := "", 0
	var loads []time.Duration
	start := time.Now()
	for _, code := range d.Provinces() {
		rp, _ := d.Province(code)
		t0 := time.Now()
		if _, err := st.LoadReferenceUnits(ctx, op, rp); err != nil {
			return fmt.Errorf("load %s: %w", code, err)
		}
		loads = append(loads, time.Since(t0))
		if len(rp.UnitsPre) > maxPre {
			largest, maxPre = code, len(rp.UnitsPre)
		}
	}
	total := time.Since(start)
	sort.Slice(loads, func(i, j int) bool { return loads[i] < loads[j] })
	fmt.Printf("reference units, 34 provinces loaded one by one: total %s (target < 10 s); per province median %s, slowest %s (target < 1 s)\n",
		total.Round(time.Millisecond), loads[len(loads)/2].Round(time.Millisecond), loads[len(loads)-1].Round(time.Millisecond))

	rp, _ := d.Province(largest)
	t0 := time.Now()
	for _, q := range seedSQL {
		var args []any
		if q != "ANALYZE" && q != seedSQL[3] && q != seedSQL[4] {
			args = []any{largest}
			if bytes.Contains([]byte(q), []byte("$2")) {
				args = append(args, people)
			}
		}
		if _, err := owner.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("seed: %w\n%s", err, q)
		}
	}
	var nPeople, nPosts, nHamlets int
	if err := owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM cadres WHERE province_code = $1), (SELECT count(*) FROM assignments WHERE province_code = $1),
		(SELECT count(*) FROM hamlets WHERE province_code = $1)`, largest).Scan(&nPeople, &nPosts, &nHamlets); err != nil {
		return err
	}
	fmt.Printf("largest province %s %s: %d units of 2025, %d pre-2025 units, %d links; seeded %d hamlets, %d people, %d posts in %s\n",
		largest, rp.Name, len(rp.Units2025), len(rp.UnitsPre), len(rp.Links), nHamlets, nPeople, nPosts, time.Since(t0).Round(time.Millisecond))

	// Answers for every split: the unit's first successor.
	first := map[string]string{}
	for _, l := range rp.Links {
		if l.Successors > 1 {
			if _, ok := first[l.OldCode]; !ok {
				first[l.OldCode] = l.NewCode
			}
		}
	}
	hamlets, posts := map[string]string{}, map[string]string{}
	rows, err := owner.Query(ctx, `SELECT 'h', code, commune_code FROM hamlets WHERE province_code = $1
		UNION ALL SELECT 'p', id::text, commune_code FROM assignments WHERE province_code = $1 AND commune_code IS NOT NULL AND end_date IS NULL`, largest)
	if err != nil {
		return err
	}
	for rows.Next() {
		var kind, id, unit string
		if err := rows.Scan(&kind, &id, &unit); err != nil {
			return err
		}
		if s, ok := first[unit]; ok {
			map[string]map[string]string{"h": hamlets, "p": posts}[kind][id] = s
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	body, _ := json.Marshal(map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": "national-2025",
		"hamlets": hamlets, "posts": posts})

	token, err := svc.Key(ctx, store.RoleProvinceEditor, largest)
	if err != nil {
		return err
	}
	svc.Serve(api.Config{MaxBodyBytes: 16 << 20})
	call := func(mode string) (summary, time.Duration, error) {
		t0 := time.Now()
		status, _, b, err := svc.Call("POST", "/v1/provinces/"+largest+"/reorganisations?mode="+mode, token, body)
		d := time.Since(t0)
		if err != nil {
			return summary{}, d, err
		}
		if status != 200 && status != 201 {
			return summary{}, d, fmt.Errorf("%s answered %d: %.500s", mode, status, b)
		}
		var s summary
		return s, d, json.Unmarshal(b, &s)
	}
	var times []time.Duration
	var s summary
	for i := 0; i < runs; i++ {
		var d time.Duration
		if s, d, err = call("preview"); err != nil {
			return err
		}
		times = append(times, d)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	counts := func(s summary) string {
		return fmt.Sprintf("units_closed %d, units_created %d, hamlets_moved %d, posts_moved %d, posts_ended %d, people_affected %d, needs_answer %d, exit_cost_total %s đ",
			len(s.UnitsClosed), len(s.UnitsCreated), len(s.HamletsMoved), len(s.PostsMoved), len(s.PostsEnded), len(s.PeopleAffected), len(s.NeedsAnswer), s.ExitCostTotal)
	}
	fmt.Printf("preview (HTTP, median of %d): %s (target < 3 s)\n  %s\n", runs, times[len(times)/2].Round(time.Millisecond), counts(s))
	s, dApply, err := call("apply")
	if err != nil {
		return err
	}
	fmt.Printf("apply (HTTP, one transaction): %s (target < 5 s)\n  %s\n", dApply.Round(time.Millisecond), counts(s))
	_, dAgain, err := call("apply")
	if err != nil {
		return err
	}
	fmt.Printf("apply again (idempotent, answers the first apply): %s\n", dAgain.Round(time.Millisecond))
	return nil
}
