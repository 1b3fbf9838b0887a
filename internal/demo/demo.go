// Package demo seeds a synthetic demo province: about 100 communes of mixed kind and class, about 1,000
// hamlets and about 5,000 people with their posts. Deterministic (a fixed-seed generator) and idempotent
// (a province that already has communes is left as it is).
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"

	"communehr/internal/store"
)

// ProvinceCode is the demo tenant's code: 99 is not a real province, so demo data never collides with a
// real import.
const (
	ProvinceCode = "99"
	ProvinceName = "Tỉnh Mẫu (dữ liệu minh họa)"
)

// Stats says what Seed did.
type Stats struct {
	Communes, Hamlets, Cadres, Assignments int
	Outcome                                string // "created" or "already present"
}

var (
	families = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	middlesM = []string{"Văn", "Hữu", "Đức", "Minh", "Quang", "Thành", "Công", "Xuân"}
	middlesF = []string{"Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng", "Bích"}
	givensM  = []string{"An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quân", "Sơn", "Tâm", "Thắng", "Trung", "Việt"}
	givensF  = []string{"Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Nga", "Oanh", "Phương", "Thảo", "Trang", "Yến"}
	places   = []string{"Hòa", "Tân", "Phú", "Bình", "An", "Thạnh", "Long", "Mỹ", "Đông", "Tây", "Nam", "Bắc", "Trung", "Vĩnh", "Hưng", "Lộc", "Phước", "Thuận", "Đức", "Quý"}
)

var communePosts = []string{"van_phong_dang_uy", "phu_trach_truyen_thanh", "pho_chi_huy_truong_quan_su", "pho_chu_tich_mttq",
	"pho_chu_tich_hoi_ccb", "pho_chu_tich_hoi_lhpn", "pho_chu_tich_hoi_nong_dan", "pho_bi_thu_doan",
	"chu_tich_hoi_nguoi_cao_tuoi", "chu_tich_hoi_chu_thap_do"}

var hamletPosts = []string{"bi_thu_chi_bo", "truong_thon_to_truong", "truong_ban_cong_tac_mat_tran"}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Seed creates the demo province and its register, in two transactions (the province as an operator, the
// register as the province's editor, so that row-level security is exercised as in production).
func Seed(ctx context.Context, st *store.Store) (Stats, error) {
	var stats Stats
	op := store.Principal{Role: store.RoleOperator, RequestID: "seed-demo"}
	err := st.InTx(ctx, op, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO provinces (province_code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			ProvinceCode, ProvinceName)
		return err
	})
	if err != nil {
		return stats, fmt.Errorf("create demo province: %w", err)
	}
	ed := store.Principal{Role: store.RoleProvinceEditor, Province: ProvinceCode, RequestID: "seed-demo"}
	err = st.InTx(ctx, ed, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM communes WHERE province_code = $1`, ProvinceCode).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			stats.Outcome = "already present"
			return tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM communes), (SELECT count(*) FROM hamlets),
				(SELECT count(*) FROM cadres), (SELECT count(*) FROM assignments)`).
				Scan(&stats.Communes, &stats.Hamlets, &stats.Cadres, &stats.Assignments)
		}
		stats.Outcome = "created"
		return generate(ctx, tx, &stats)
	})
	return stats, err
}

type gen struct {
	r        *rand.Rand
	communes [][]any
	hamlets  [][]any
	cadres   [][]any
	assigns  [][]any
	serial   int
	nextUUID uint64
}

func (g *gen) uuid() string {
	g.nextUUID++
	return fmt.Sprintf("00000000-0000-4000-8000-%012x", g.nextUUID)
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// person makes one synthetic person born in [fromYear, toYear] with a national ID consistent with gender
// and birth date (docs/legal-basis.md §10), and returns its id.
func (g *gen) person(fromYear, toYear int, status string, leftOn *time.Time) string {
	female := g.r.IntN(2) == 0
	gender, name := "male", g.pick(families)+" "+g.pick(middlesM)+" "+g.pick(givensM)
	if female {
		gender, name = "female", g.pick(families)+" "+g.pick(middlesF)+" "+g.pick(givensF)
	}
	birth := date(fromYear+g.r.IntN(toYear-fromYear+1), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28))
	century := 0
	if birth.Year() >= 2000 {
		century = 2
	}
	if female {
		century++
	}
	g.serial++
	nid := fmt.Sprintf("0%s%d%02d%06d", ProvinceCode, century, birth.Year()%100, g.serial)
	id := g.uuid()
	si := g.r.IntN(300)
	g.cadres = append(g.cadres, []any{ProvinceCode, id, nid, name, gender, birth, si, status, leftOn})
	return id
}

func generate(ctx context.Context, tx *store.Tx, stats *Stats) error {
	g := &gen{r: rand.New(rand.NewPCG(2025, 7))}
	communeEnd := date(2025, 7, 31)
	// left_on is the first day out (as a decision's approval records it): the day after the last day worked.
	communeLeft := communeEnd.AddDate(0, 0, 1)
	const nCommunes = 100
	for i := 1; i <= nCommunes; i++ {
		code := fmt.Sprintf("%s%03d", ProvinceCode, i)
		kind := "xa"
		switch {
		case i%4 == 0:
			kind = "phuong"
		case i == 37 || i == 73:
			kind = "thi_tran"
		case i == 99:
			kind = "dac_khu"
		}
		prefix := map[string]string{"xa": "Xã", "phuong": "Phường", "thi_tran": "Thị trấn", "dac_khu": "Đặc khu"}[kind]
		name := fmt.Sprintf("%s %s %s", prefix, g.pick(places), g.pick(places))
		class := 1 + g.r.IntN(3)
		pop := 8000 + g.r.IntN(40000)
		area := fmt.Sprintf("%d.%02d", 5+g.r.IntN(200), g.r.IntN(100))
		keySec, border, island := g.r.IntN(10) == 0, i%17 == 0, kind == "dac_khu"
		g.communes = append(g.communes, []any{ProvinceCode, code, name, kind, class, pop, area, keySec, border, island, date(2025, 7, 1)})

		// Commune-level non-professional posts: ended with the two-level reform (2025-07-31).
		nPosts := []int{0, 14, 12, 10}[class] - g.r.IntN(3)
		for j := 0; j < nPosts; j++ {
			id := g.person(1965, 1998, "left", &communeLeft)
			pos := communePosts[j%len(communePosts)]
			start := date(2015+g.r.IntN(9), time.Month(1+g.r.IntN(12)), 1)
			g.assigns = append(g.assigns, []any{ProvinceCode, g.uuid(), id, pos, code, nil, start, communeEnd, false, nil,
				date(2026, 6, 30)})
		}

		// Hamlets: rural thôn in communes, residential groups in wards and towns.
		nHamlets := 6 + g.r.IntN(9)
		for h := 1; h <= nHamlets; h++ {
			hcode := fmt.Sprintf("%s-%02d", code, h)
			hkind, hname := "thon", fmt.Sprintf("Thôn %d", h)
			households := 120 + g.r.IntN(450)
			if kind == "phuong" || kind == "thi_tran" {
				hkind, hname = "to_dan_pho", fmt.Sprintf("Tổ dân phố %d", h)
				households = 200 + g.r.IntN(500)
			}
			g.hamlets = append(g.hamlets, []any{ProvinceCode, hcode, code, date(2025, 7, 1), hname, hkind, households, false, nil, false, date(2025, 7, 1)})
			// The three paid posts; in one hamlet in five the Party cell secretary is also the hamlet head.
			concurrent := g.r.IntN(5) == 0
			var secretary string
			for k, pos := range hamletPosts {
				start := date(2020+g.r.IntN(5), time.Month(1+g.r.IntN(12)), 1)
				var id string
				isConcurrent := false
				if k == 1 && concurrent {
					id, isConcurrent = secretary, true
				} else {
					id = g.person(1962, 1995, "active", nil)
				}
				if k == 0 {
					secretary = id
				}
				g.assigns = append(g.assigns, []any{ProvinceCode, g.uuid(), id, pos, nil, hcode, start, nil, isConcurrent, nil,
					date(2027, 12, 31)})
			}
		}
	}
	// People who left earlier (retired), to reach a register of about 5,000.
	for len(g.cadres) < 5000 {
		left := date(2020+g.r.IntN(5), time.Month(1+g.r.IntN(12)), 1)
		g.person(1950, 1965, "retired", &left)
	}
	copies := []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"communes", []string{"province_code", "code", "name", "kind", "class", "population", "area_km2", "key_security_order", "border", "island", "effective_from"}, g.communes},
		{"hamlets", []string{"province_code", "code", "commune_code", "commune_from", "name", "kind", "households", "key_security_order", "border_or_island", "converted_from_thon", "effective_from"}, g.hamlets},
		{"cadres", []string{"province_code", "id", "national_id", "full_name", "gender", "birth_date", "si_months", "status", "left_on"}, g.cadres},
		{"assignments", []string{"province_code", "id", "cadre_id", "position_code", "commune_code", "hamlet_code", "start_date", "end_date", "concurrent", "elected", "term_end"}, g.assigns},
	}
	for _, c := range copies {
		if _, err := tx.CopyInsert(ctx, c.table, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
			return fmt.Errorf("seed %s: %w", c.table, err)
		}
	}
	stats.Communes, stats.Hamlets, stats.Cadres, stats.Assignments = len(g.communes), len(g.hamlets), len(g.cadres), len(g.assigns)
	return tx.Audit(ctx, ProvinceCode, "import", "demo_seed", ProvinceCode, nil, map[string]int{
		"communes": stats.Communes, "hamlets": stats.Hamlets, "cadres": stats.Cadres, "assignments": stats.Assignments})
}
