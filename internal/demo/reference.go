package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"

	"communehr/internal/refdata"
	"communehr/internal/store"
)

// ReferenceProvince is the real province the demo loads with both of its 2025 maps: 08 Tuyên Quang, which
// took in the old 02 Hà Giang on 2025-07-01.
const ReferenceProvince = "08"

// ReferenceStats says what SeedReference did.
type ReferenceStats struct {
	Units2025, UnitsPre, Links   int
	Hamlets, Cadres, Assignments int
	Outcome                      string // "created" or "already present"
}

// SeedReference loads the real units of ReferenceProvince (2025 map, the pre-2025 units of both old
// provinces, the lineage) from the embedded reference data, then gives its pre-2025 units synthetic
// hamlets, people and posts as they stood before 2025-07-01, so that the 2025 merger can be previewed on a
// real map. Deterministic and idempotent (hamlets already present: nothing more is seeded).
func SeedReference(ctx context.Context, st *store.Store) (ReferenceStats, error) {
	var stats ReferenceStats
	d, err := refdata.Load()
	if err != nil {
		return stats, err
	}
	rp, _ := d.Province(ReferenceProvince)
	res, err := st.LoadReferenceUnits(ctx, store.Principal{Role: store.RoleOperator, RequestID: "seed-demo"}, rp)
	if err != nil {
		return stats, fmt.Errorf("load reference units of %s: %w", ReferenceProvince, err)
	}
	stats.Units2025, stats.UnitsPre, stats.Links = res.Units2025, res.UnitsPre, res.Links
	ed := store.Principal{Role: store.RoleProvinceEditor, Province: ReferenceProvince, RequestID: "seed-demo"}
	err = st.InTx(ctx, ed, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM hamlets WHERE province_code = $1`, ReferenceProvince).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			stats.Outcome = "already present"
			return tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM hamlets WHERE province_code = $1),
				(SELECT count(*) FROM cadres WHERE province_code = $1), (SELECT count(*) FROM assignments WHERE province_code = $1)`,
				ReferenceProvince).Scan(&stats.Hamlets, &stats.Cadres, &stats.Assignments)
		}
		stats.Outcome = "created"
		return generateReference(ctx, tx, rp, &stats)
	})
	return stats, err
}

func generateReference(ctx context.Context, tx *store.Tx, rp *refdata.Province, stats *ReferenceStats) error {
	g := &gen{r: rand.New(rand.NewPCG(2025, 8))}
	var hamlets, cadres, assigns [][]any
	serial := 0
	person := func(fromYear, toYear int) string {
		female := g.r.IntN(2) == 0
		gender, name := "male", g.pick(families)+" "+g.pick(middlesM)+" "+g.pick(givensM)
		if female {
			gender, name = "female", g.pick(families)+" "+g.pick(middlesF)+" "+g.pick(givensF)
		}
		birth := date(fromYear+g.r.IntN(toYear-fromYear+1), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28))
		century := 0
		if female {
			century++
		}
		serial++
		id := g.uuid()
		cadres = append(cadres, []any{ReferenceProvince, id, fmt.Sprintf("0%s%d%02d%06d", ReferenceProvince, century, birth.Year()%100, serial),
			name, gender, birth, 60 + g.r.IntN(240), "active"})
		return id
	}
	for _, u := range rp.UnitsPre {
		// Commune-level non-professional posts, held since before the merger.
		for j := 0; j < 2+g.r.IntN(3); j++ {
			start := date(2012+g.r.IntN(12), time.Month(1+g.r.IntN(12)), 1)
			assigns = append(assigns, []any{ReferenceProvince, g.uuid(), person(1965, 1995), communePosts[j%len(communePosts)],
				u.Code, refdata.PreFrom, nil, start, false})
		}
		kind, label := "thon", "Thôn"
		if u.Kind == "phuong" || u.Kind == "thi_tran" {
			kind, label = "to_dan_pho", "Tổ dân phố"
		}
		for h := 1; h <= 3+g.r.IntN(4); h++ {
			code := fmt.Sprintf("%s-%02d", u.Code, h)
			hamlets = append(hamlets, []any{ReferenceProvince, code, u.Code, refdata.PreFrom, fmt.Sprintf("%s %d", label, h), kind,
				80 + g.r.IntN(420), date(2010, 1, 1)})
			for _, pos := range hamletPosts {
				start := date(2019+g.r.IntN(6), time.Month(1+g.r.IntN(6)), 1)
				assigns = append(assigns, []any{ReferenceProvince, g.uuid(), person(1962, 1995), pos, nil, nil, code, start, false})
			}
		}
	}
	copies := []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"hamlets", []string{"province_code", "code", "commune_code", "commune_from", "name", "kind", "households", "effective_from"}, hamlets},
		{"cadres", []string{"province_code", "id", "national_id", "full_name", "gender", "birth_date", "si_months", "status"}, cadres},
		{"assignments", []string{"province_code", "id", "cadre_id", "position_code", "commune_code", "commune_from", "hamlet_code", "start_date", "concurrent"}, assigns},
	}
	for _, c := range copies {
		if _, err := tx.CopyInsert(ctx, c.table, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
			return fmt.Errorf("seed %s: %w", c.table, err)
		}
	}
	stats.Hamlets, stats.Cadres, stats.Assignments = len(hamlets), len(cadres), len(assigns)
	return tx.Audit(ctx, ReferenceProvince, "import", "demo_seed", ReferenceProvince, nil, map[string]int{
		"hamlets": stats.Hamlets, "cadres": stats.Cadres, "assignments": stats.Assignments})
}
