package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"communehr/internal/store"
)

// exec runs fixture SQL as the owner.
func (e *env) exec(sql string, args ...any) {
	e.t.Helper()
	if _, err := e.admin.Exec(e.t.Context(), sql, args...); err != nil {
		e.t.Fatalf("fixture %q: %v", firstLine(strings.TrimSpace(sql)), err)
	}
}

// Fixed ids of the report fixture's people.
const (
	cadreA = "00000000-0000-0000-0000-00000000000a" // youth-union deputy + concurrent party office, commune 00001
	cadreB = "00000000-0000-0000-0000-00000000000b" // women's union vice-chair, own amount 3,000,000
	cadreC = "00000000-0000-0000-0000-00000000000c" // hamlet head + concurrent cell secretary, hamlet H1 (6.0)
	cadreD = "00000000-0000-0000-0000-00000000000d" // group head + concurrent cell secretary, hamlet H2 (4.5)
	cadreE = "00000000-0000-0000-0000-00000000000e" // Front committee head, H2, own amount 4,000,000
	cadreF = "00000000-0000-0000-0000-00000000000f" // left 2025-01-31: not in post on 2025-03-01
	cadreG = "00000000-0000-0000-0000-000000000001" // women's union vice-chair, commune 00002
)

// reportFixture builds province 01 with two communes, four hamlets, a schedule (Hanoi-like: hamlet head 2.1
// in a 6.0 hamlet, 1.6 in a 4.5 hamlet) and people whose allowances were checked by hand.
func reportFixture(e *env) {
	e.t.Helper()
	e.province("01", "Thành phố Hà Nội")
	e.exec(`INSERT INTO communes (province_code, code, name, kind, class, border, effective_from) VALUES
		('01', '00001', 'Xã Một', 'xa', 2, false, '2020-01-01'),
		('01', '00002', 'Xã Biên Giới', 'xa', 3, true, '2020-01-01')`)
	e.exec(`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, border_or_island, effective_from, effective_to) VALUES
		('01', 'H1', '00001', 'Thôn Một', 'thon', 420, NULL, '2020-01-01', NULL),
		('01', 'H2', '00001', '=Tổ Hai', 'to_dan_pho', 480, NULL, '2020-01-01', NULL),
		('01', 'H3', '00002', 'Thôn Ba', 'thon', 100, NULL, '2020-01-01', NULL),
		('01', 'H4', '00001', 'Thôn Cũ', 'thon', 90, NULL, '2020-01-01', '2024-12-31')`)
	e.exec(`INSERT INTO allowance_schedules (province_code, position_code, hamlet_fund_category, effective_from, effective_to, coefficient, resolution) VALUES
		('01', 'truong_thon_to_truong', '', '2023-07-01', '2024-06-30', 1.0, 'NQ cũ'),
		('01', 'truong_thon_to_truong', '6.0', '2024-07-01', NULL, 2.1, 'NQ 18/2023'),
		('01', 'truong_thon_to_truong', '4.5', '2024-07-01', NULL, 1.6, 'NQ 18/2023'),
		('01', 'bi_thu_chi_bo', '', '2024-07-01', NULL, 1.5, 'NQ 18/2023'),
		('01', 'truong_ban_cong_tac_mat_tran', '', '2024-07-01', NULL, 1.2, 'NQ 18/2023'),
		('01', 'pho_bi_thu_doan', '', '2024-07-01', NULL, 1.0, 'NQ 18/2023'),
		('01', 'pho_chu_tich_hoi_lhpn', '', '2024-07-01', NULL, 1.0, 'NQ 18/2023'),
		('01', 'van_phong_dang_uy', '', '2024-07-01', NULL, 1.2, 'NQ 18/2023')`)
	e.exec(`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months) VALUES
		('01', $1, '001097000001', 'Nguyễn Văn An', 'male', '1997-03-02', 72),
		('01', $2, '001180000002', 'Trần Thị Bình', 'female', '1980-05-10', 120),
		('01', $3, '001070000003', 'Lê Văn Cường', 'male', '1970-01-20', 200),
		('01', $4, '001075000004', 'Phạm Văn Dũng', 'male', '1975-06-01', 100),
		('01', $5, '001185000005', 'Hoàng Thị Em', 'female', '1985-02-02', 60),
		('01', $6, '001090000006', 'Vũ Văn Phúc', 'male', '1990-09-09', 30),
		('01', $7, '001188000007', 'Đỗ Thị Giang', 'female', '1988-08-08', 50)`,
		cadreA, cadreB, cadreC, cadreD, cadreE, cadreF, cadreG)
	e.exec(`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, hamlet_code, start_date, end_date,
		concurrent, elected, term_end, allowance_override) VALUES
		('01', $1, 'pho_bi_thu_doan', '00001', NULL, '2019-08-01', NULL, false, NULL, '2026-06-30', NULL),
		('01', $1, 'van_phong_dang_uy', '00001', NULL, '2024-01-01', NULL, true, NULL, NULL, NULL),
		('01', $2, 'pho_chu_tich_hoi_lhpn', '00001', NULL, '2021-01-01', NULL, false, NULL, NULL, 3000000),
		('01', $3, 'truong_thon_to_truong', NULL, 'H1', '2020-01-01', NULL, false, NULL, NULL, NULL),
		('01', $3, 'bi_thu_chi_bo', NULL, 'H1', '2022-01-01', NULL, true, NULL, NULL, NULL),
		('01', $4, 'truong_thon_to_truong', NULL, 'H2', '2020-01-01', NULL, false, NULL, NULL, NULL),
		('01', $4, 'bi_thu_chi_bo', NULL, 'H2', '2020-01-01', NULL, true, NULL, NULL, NULL),
		('01', $5, 'truong_ban_cong_tac_mat_tran', NULL, 'H2', '2020-01-01', NULL, false, NULL, NULL, 4000000),
		('01', $6, 'pho_bi_thu_doan', '00001', NULL, '2020-01-01', '2025-01-31', false, NULL, NULL, NULL),
		('01', $7, 'pho_chu_tich_hoi_lhpn', '00002', NULL, '2020-01-01', NULL, false, NULL, NULL, NULL)`,
		cadreA, cadreB, cadreC, cadreD, cadreE, cadreF, cadreG)
}

func TestProvinceAllowancesMatchAHandCheckedProvinceToTheDong(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reportFixture(e)
	viewer := e.key(store.RoleProvinceViewer, "01")
	r := e.do("GET", "/v1/provinces/01/allowances?as_of=2025-03-01", viewer, nil)
	mustStatus(t, r, 200)
	var rep allowanceReport
	r.json(t, &rep)
	if r.Header.Get("Ruleset-Version") == "" || rep.BaseSalary.String() != "2340000" {
		t.Fatalf("header/base: %q %s", r.Header.Get("Ruleset-Version"), rep.BaseSalary)
	}
	type fig struct{ fund, paid, diff string }
	got := map[string]fig{}
	over := map[string]bool{}
	s := func(p interface{ String() string }) string { return p.String() }
	for _, c := range rep.Communes {
		got[c.Code] = fig{s(c.Fund), s(c.Paid), s(c.Difference)}
		over[c.Code] = c.OverFund
		for _, h := range c.Hamlets {
			got[h.Code] = fig{s(h.Fund), s(h.Paid), s(h.Difference)}
			over[h.Code] = h.OverFund
		}
	}
	want := map[string]fig{
		// class 2: 12 × 1.5 × 2,340,000; paid 2,340,000 + 2,808,000 (concurrent, 100 %) + 3,000,000 (own amount)
		"00001": {"42120000", "8148000", "33972000"},
		// class 3: 10 × 1.5 × 2,340,000; paid 1.0 × 2,340,000
		"00002": {"35100000", "2340000", "32760000"},
		// thôn of 420 households: 6.0 × 2,340,000; paid 2.1 × 2,340,000 + 1.5 × 2,340,000 (concurrent)
		"H1": {"14040000", "8424000", "5616000"},
		// tổ dân phố of 480, no flags: 4.5 × 2,340,000; paid 1.6 × 2,340,000 + 3,510,000 + 4,000,000 (own amount)
		"H2": {"10530000", "11254000", "-724000"},
		// thôn of 100 households in a border commune: 6.0; nobody in post
		"H3": {"14040000", "0", "14040000"},
	}
	if len(got) != len(want) {
		t.Fatalf("units %v, want %v (H4 closed on 2024-12-31)", got, want)
	}
	for code, w := range want {
		if got[code] != w {
			t.Errorf("%s: got %+v, want %+v", code, got[code], w)
		}
		if over[code] != (code == "H2") {
			t.Errorf("%s: over_fund %v", code, over[code])
		}
	}
	tt := rep.Totals
	if tt.Fund.String() != "115830000" || tt.Paid.String() != "30166000" || tt.Difference.String() != "85664000" ||
		tt.UnitsOverFund != 1 || tt.PostsFilled != 9 || tt.Communes != 2 || tt.Hamlets != 3 {
		t.Fatalf("totals %+v", tt)
	}
}

func TestCommuneFundIsNullWithANoteAfterCommunePostsEnded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reportFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	r := e.do("GET", "/v1/provinces/01/allowances?as_of=2025-09-01", ed, nil)
	mustStatus(t, r, 200)
	var rep allowanceReport
	r.json(t, &rep)
	c := rep.Communes[0]
	if c.Fund != nil || c.FundNote == nil || !strings.Contains(*c.FundNote, "2025-08-01") || c.Difference != nil || c.OverFund {
		t.Fatalf("commune after 2025-08-01: %+v", c)
	}
	if c.Hamlets[0].Fund == nil || c.Hamlets[0].Fund.String() != "14040000" {
		t.Fatalf("hamlet funds go on: %+v", c.Hamlets[0])
	}
	// Commune posts still recorded after the legal end of those posts (2025-07-31) are not paid: they are
	// listed, flagged, never dropped silently (issue 11 item 3).
	if rep.Totals.PaidWithoutFund.String() != "0" || rep.Totals.Fund.String() != "38610000" || len(rep.FlaggedPosts) != 4 {
		t.Fatalf("totals %+v, flagged %+v", rep.Totals, rep.FlaggedPosts)
	}
	for _, f := range rep.FlaggedPosts {
		if f.Reason != "past_legal_end" || f.CommuneCode == nil || !strings.Contains(f.Note, "2025-07-31") {
			t.Fatalf("flagged %+v", f)
		}
	}
	// A province that kept them on until its own end of the transition pays them (without a fund) until
	// then: 8,148,000 + 2,340,000.
	mustStatus(t, e.do("PUT", "/v1/provinces/01/commune-posts-end", ed, map[string]any{"province_last_day": "2026-06-15"}), 422)
	mustStatus(t, e.do("PUT", "/v1/provinces/01/commune-posts-end", ed, map[string]any{"province_last_day": "2026-03-31"}), 200)
	r = e.do("GET", "/v1/provinces/01/allowances?as_of=2025-09-01", ed, nil)
	mustStatus(t, r, 200)
	rep = allowanceReport{}
	r.json(t, &rep)
	if rep.Totals.PaidWithoutFund.String() != "10488000" || len(rep.FlaggedPosts) != 0 {
		t.Fatalf("kept on until 2026-03-31: totals %+v, flagged %+v", rep.Totals, rep.FlaggedPosts)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/allowances?as_of=2025-02-30", ed, nil), 422)
	mustStatus(t, e.do("GET", "/v1/provinces/01/allowances?format=pdf", ed, nil), 422) // xlsx is a format now (issue 13)
	mustStatus(t, e.do("GET", "/v1/provinces/01/allowances?as_of=2010-01-01", ed, nil), 422)
}

func TestUnitAllowancesAreItemisedPerPersonAndPostWithCitations(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reportFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	r := e.do("GET", "/v1/provinces/01/communes/00001/allowances?as_of=2025-03-01", ed, nil)
	mustStatus(t, r, 200)
	var u unitAllowanceReport
	r.json(t, &u)
	if u.Paid.String() != "8148000" || u.Fund.String() != "42120000" || len(u.Posts) != 3 || len(u.Hamlets) != 2 {
		t.Fatalf("commune 00001: %s", r.Body)
	}
	amounts := map[string]string{}
	for _, p := range u.Posts {
		amounts[p.PositionCode] = p.Amount.String() + "/" + p.Source
		if p.Line.Citation.Instrument == "" || p.Line.Formula == "" {
			t.Errorf("uncited line %+v", p.Line)
		}
	}
	if amounts["pho_bi_thu_doan"] != "2340000/schedule" || amounts["van_phong_dang_uy"] != "2808000/schedule" ||
		amounts["pho_chu_tich_hoi_lhpn"] != "3000000/override" {
		t.Fatalf("amounts %v", amounts)
	}
	r = e.do("GET", "/v1/provinces/01/hamlets/H2/allowances?as_of=2025-03-01", ed, nil)
	mustStatus(t, r, 200)
	r.json(t, &u)
	if u.Paid.String() != "11254000" || !u.OverFund || u.CommuneCode != "00001" || len(u.Posts) != 3 {
		t.Fatalf("hamlet H2: %s", r.Body)
	}
	for _, p := range u.Posts {
		if p.PositionCode == "truong_thon_to_truong" && (p.Amount.String() != "3744000" || !strings.Contains(p.Line.Formula, "1.6") ||
			!strings.Contains(p.Line.LabelVI, "Trưởng thôn / Tổ trưởng tổ dân phố") || strings.Contains(p.Line.LabelVI, "truong_thon")) {
			t.Fatalf("group head in a 4.5 group (labelled by the post's title): %+v", p)
		}
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/hamlets/NOPE/allowances", ed, nil), 404)
	mustStatus(t, e.do("GET", "/v1/provinces/01/communes/99999/allowances", ed, nil), 404)
}

func TestAllowanceCSVParsesBackToTheSameNumbers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reportFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	var rep allowanceReport
	e.do("GET", "/v1/provinces/01/allowances?as_of=2025-03-01", ed, nil).json(t, &rep)
	r := e.do("GET", "/v1/provinces/01/allowances?as_of=2025-03-01&format=csv", ed, nil)
	mustStatus(t, r, 200)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(r.Body, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("content type %q, BOM %q", r.Header.Get("Content-Type"), r.Body[:3])
	}
	records, err := csv.NewReader(bytes.NewReader(r.Body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range records[0] {
		col[h] = i
	}
	byUnit := map[string][]string{}
	for _, row := range records[1:] {
		key := row[col["hamlet_code"]]
		if key == "" {
			key = row[col["commune_code"]]
		}
		if row[col["level"]] == "total" {
			key = "total"
		}
		byUnit[key] = row
	}
	for _, c := range rep.Communes {
		if row := byUnit[c.Code]; row[col["fund"]] != c.Fund.String() || row[col["paid"]] != c.Paid.String() {
			t.Errorf("commune %s csv %v", c.Code, row)
		}
		for _, h := range c.Hamlets {
			row := byUnit[h.Code]
			if row[col["fund"]] != h.Fund.String() || row[col["paid"]] != h.Paid.String() ||
				row[col["difference"]] != h.Difference.String() {
				t.Errorf("hamlet %s csv %v", h.Code, row)
			}
		}
	}
	if tot := byUnit["total"]; tot[col["fund"]] != "115830000" || tot[col["paid"]] != "30166000" {
		t.Errorf("total row %v", tot)
	}
	// A name that starts with = is neutralised; a negative number is left a number.
	if byUnit["H2"][col["name"]] != "'=Tổ Hai" || byUnit["H2"][col["difference"]] != "-724000" {
		t.Errorf("H2 row %v", byUnit["H2"])
	}
	r = e.do("GET", "/v1/provinces/01/hamlets/H1/allowances?as_of=2025-03-01&format=csv", ed, nil)
	mustStatus(t, r, 200)
	if !bytes.Contains(r.Body, []byte("4914000")) || !bytes.Contains(r.Body, []byte("3510000")) {
		t.Fatalf("hamlet csv %s", r.Body)
	}
}

// Fixed ids of province 02's people (the review fixture).
const (
	p02P1  = "00000000-0000-0000-0002-000000000001" // youth-union deputy, 00012, ended 2025-03-01 (inclusive)
	p02P2  = "00000000-0000-0000-0002-000000000002" // youth-union deputy, 00012, started 2025-03-01
	p02P3  = "00000000-0000-0000-0002-000000000003" // youth-union deputy, 00012, left 2025-02-28
	p02P4  = "00000000-0000-0000-0002-000000000004" // youth-union deputy, 00012, starts 2025-03-02
	p02P5  = "00000000-0000-0000-0002-000000000005" // hamlet head T4 (349 households) + concurrent cell secretary
	p02P6  = "00000000-0000-0000-0002-000000000006" // hamlet head T5 (350 households), own amount + concurrent Front head
	p02P7  = "00000000-0000-0000-0002-000000000007" // cell secretary T5
	p02P8  = "00000000-0000-0000-0002-000000000008" // hamlet head T1 (island commune)
	p02P9  = "00000000-0000-0000-0002-000000000009" // group head T3 (key-security commune)
	p02P10 = "00000000-0000-0000-0002-000000000010" // hamlet head of T7, closed 2024-12-31, assignment still open
	p02P11 = "00000000-0000-0000-0002-000000000011" // posts in commune 00013 (closed) and its hamlet T8
	p02P12 = "00000000-0000-0000-0002-000000000012" // party office 00010: no row in the 2025 schedule
	p02P13 = "00000000-0000-0000-0002-000000000013" // group head T6 (499 households)
	p02P14 = "00000000-0000-0000-0002-000000000014" // cell secretary T6
	p02P15 = "00000000-0000-0000-0002-000000000015" // Front head T6, own amount 3,042,000
)

// province02Fixture is a second province built for the review: two schedule versions, the second not
// closing the first (effective_to of a version is "until replaced"), units closed before the report date
// with assignments still open, boundary household counts, communes whose flags make their hamlets 6.0,
// and a hamlet paid exactly its fund.
func province02Fixture(e *env) {
	e.t.Helper()
	e.province("02", "Tỉnh Thử")
	e.exec(`INSERT INTO communes (province_code, code, name, kind, class, key_security_order, border, island, effective_from, effective_to) VALUES
		('02', '00010', 'Xã Đảo', 'xa', 1, false, false, true, '2000-01-01', NULL),
		('02', '00011', 'Phường An Ninh', 'phuong', 3, true, false, false, '2000-01-01', NULL),
		('02', '00012', 'Xã Thường', 'xa', 2, false, false, false, '2000-01-01', NULL),
		('02', '00013', 'Xã Đã Nhập', 'xa', 2, false, false, false, '2000-01-01', '2024-12-31')`)
	e.exec(`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, border_or_island, effective_from, effective_to) VALUES
		('02', 'T1', '00010', 'Thôn Đảo', 'thon', 100, NULL, '2000-01-01', NULL),
		('02', 'T3', '00011', 'Tổ An Ninh', 'to_dan_pho', 100, NULL, '2000-01-01', NULL),
		('02', 'T4', '00012', 'Thôn 349', 'thon', 349, NULL, '2000-01-01', NULL),
		('02', 'T5', '00012', 'Thôn 350', 'thon', 350, NULL, '2000-01-01', NULL),
		('02', 'T6', '00012', 'Tổ 499', 'to_dan_pho', 499, NULL, '2000-01-01', NULL),
		('02', 'T7', '00012', 'Thôn Cũ', 'thon', 90, NULL, '2000-01-01', '2024-12-31'),
		('02', 'T8', '00013', 'Thôn Của Xã Cũ', 'thon', 400, NULL, '2000-01-01', NULL)`)
	// Version 1 (2023-08-01, left open) and version 2 (2025-01-01), which replaces it: version 2 pays the
	// hamlet head one rate whatever the category, and has no row for the party office.
	e.exec(`INSERT INTO allowance_schedules (province_code, position_code, hamlet_fund_category, effective_from, effective_to, coefficient, resolution) VALUES
		('02', 'truong_thon_to_truong', '6.0', '2023-08-01', NULL, 2.1, 'NQ 1/2023'),
		('02', 'truong_thon_to_truong', '4.5', '2023-08-01', NULL, 1.6, 'NQ 1/2023'),
		('02', 'bi_thu_chi_bo', '', '2023-08-01', NULL, 1.5, 'NQ 1/2023'),
		('02', 'truong_ban_cong_tac_mat_tran', '', '2023-08-01', NULL, 1.2, 'NQ 1/2023'),
		('02', 'pho_bi_thu_doan', '', '2023-08-01', NULL, 1.0, 'NQ 1/2023'),
		('02', 'van_phong_dang_uy', '', '2023-08-01', NULL, 1.2, 'NQ 1/2023'),
		('02', 'truong_thon_to_truong', '', '2025-01-01', NULL, 1.8, 'NQ 2/2024'),
		('02', 'bi_thu_chi_bo', '6.0', '2025-01-01', NULL, 1.7, 'NQ 2/2024'),
		('02', 'bi_thu_chi_bo', '4.5', '2025-01-01', NULL, 1.4, 'NQ 2/2024'),
		('02', 'truong_ban_cong_tac_mat_tran', '', '2025-01-01', NULL, 1.1, 'NQ 2/2024'),
		('02', 'pho_bi_thu_doan', '', '2025-01-01', NULL, 1.1, 'NQ 2/2024'),
		('02', 'pho_chu_tich_mttq', '', '2025-01-01', NULL, 1.0, 'NQ 2/2024'),
		('02', 'pho_chu_tich_hoi_lhpn', '', '2025-01-01', NULL, 1.0, 'NQ 2/2024'),
		('02', 'chu_tich_hoi_nguoi_cao_tuoi', '', '2025-01-01', NULL, 1.2, 'NQ 2/2024')`)
	ids := []any{p02P1, p02P2, p02P3, p02P4, p02P5, p02P6, p02P7, p02P8, p02P9, p02P10, p02P11, p02P12, p02P13, p02P14, p02P15}
	for i, id := range ids {
		e.exec(`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months)
			VALUES ('02', $1, $2, $3, 'male', '1970-02-01', 60)`, id, fmt.Sprintf("002070%06d", i+1), fmt.Sprintf("Người Thử %02d", i+1))
	}
	e.exec(`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, hamlet_code, start_date, end_date,
		concurrent, elected, term_end, allowance_override) VALUES
		('02', $1, 'pho_bi_thu_doan', '00012', NULL, '2023-01-01', '2025-03-01', false, NULL, NULL, NULL),
		('02', $2, 'pho_bi_thu_doan', '00012', NULL, '2025-03-01', NULL, false, NULL, NULL, NULL),
		('02', $3, 'pho_bi_thu_doan', '00012', NULL, '2023-01-01', '2025-02-28', false, NULL, NULL, NULL),
		('02', $4, 'pho_bi_thu_doan', '00012', NULL, '2025-03-02', NULL, false, NULL, NULL, NULL),
		('02', $5, 'truong_thon_to_truong', NULL, 'T4', '2023-09-01', NULL, false, NULL, '2026-06-30', NULL),
		('02', $5, 'bi_thu_chi_bo', NULL, 'T4', '2023-09-01', NULL, true, NULL, NULL, NULL),
		('02', $6, 'truong_thon_to_truong', NULL, 'T5', '2023-09-01', NULL, false, NULL, NULL, 7488001),
		('02', $6, 'truong_ban_cong_tac_mat_tran', NULL, 'T5', '2023-09-01', NULL, true, NULL, NULL, NULL),
		('02', $7, 'bi_thu_chi_bo', NULL, 'T5', '2023-09-01', NULL, false, NULL, NULL, NULL),
		('02', $8, 'truong_thon_to_truong', NULL, 'T1', '2023-09-01', NULL, false, NULL, NULL, NULL),
		('02', $9, 'truong_thon_to_truong', NULL, 'T3', '2023-09-01', NULL, false, NULL, NULL, NULL),
		('02', $10, 'truong_thon_to_truong', NULL, 'T7', '2023-09-01', NULL, false, NULL, NULL, NULL),
		('02', $11, 'pho_bi_thu_doan', '00013', NULL, '2023-09-01', NULL, false, NULL, NULL, NULL),
		('02', $11, 'truong_thon_to_truong', NULL, 'T8', '2023-09-01', NULL, true, NULL, NULL, NULL),
		('02', $12, 'van_phong_dang_uy', '00010', NULL, '2023-09-01', NULL, false, NULL, NULL, NULL),
		('02', $13, 'truong_thon_to_truong', NULL, 'T6', '2023-09-01', NULL, false, NULL, NULL, NULL),
		('02', $14, 'bi_thu_chi_bo', NULL, 'T6', '2023-09-01', NULL, false, NULL, NULL, NULL),
		('02', $15, 'truong_ban_cong_tac_mat_tran', NULL, 'T6', '2023-09-01', NULL, false, NULL, NULL, 3042000)`, ids...)
}

// unitFigs flattens a province report to fund/paid/difference/over/posts per unit code.
func unitFigs(rep allowanceReport) map[string]string {
	out := map[string]string{}
	f := func(u unitFigures) string {
		s := func(d *decimal.Decimal) string {
			if d == nil {
				return "-"
			}
			return d.String()
		}
		return fmt.Sprintf("%s/%s/%s/%t/%d", s(u.Fund), u.Paid, s(u.Difference), u.OverFund, u.PostsFilled)
	}
	for _, c := range rep.Communes {
		out[c.Code] = f(c.unitFigures)
		for _, h := range c.Hamlets {
			out[h.Code] = f(h.unitFigures)
		}
	}
	return out
}

// TestReviewProvinceReportHandChecked checks, with figures computed by hand, the dates a post counts on
// (start and end inclusive), the schedule version in force (the newest, whole: an older version left open
// contributes nothing), the hamlet category row vs the row with no category, concurrent posts at 100 %,
// own amounts, boundary household counts, commune flags making a hamlet 6.0, paid == fund (not over) vs
// fund + 1 đồng (over), and units closed before the date (with their still-open posts) left out.
func TestReviewProvinceReportHandChecked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	province02Fixture(e)
	viewer := e.key(store.RoleProvinceViewer, "02")
	r := e.do("GET", "/v1/provinces/02/allowances?as_of=2025-03-01", viewer, nil)
	mustStatus(t, r, 200)
	var rep allowanceReport
	r.json(t, &rep)
	want := map[string]string{
		// class 1: 14 × 1.5 × 2,340,000; the party office has no row in version 2: paid 0, still a post filled.
		"00010": "49140000/0/49140000/false/1",
		// thôn of 100 households in an island commune → 6.0; hamlet head, version 2's single row: 1.8 × 2,340,000.
		"T1": "14040000/4212000/9828000/false/1",
		// class 3: 10 × 1.5 × 2,340,000; nobody in post.
		"00011": "35100000/0/35100000/false/0",
		// tổ of 100 households in a key-security ward → 6.0; 1.8 × 2,340,000.
		"T3": "14040000/4212000/9828000/false/1",
		// class 2: 12 × 1.5 × 2,340,000; P1 (ends on the date) and P2 (starts on it): 2 × 1.1 × 2,340,000.
		"00012": "42120000/5148000/36972000/false/2",
		// thôn of 349 → 4.5 (10,530,000): head 1.8 × 2,340,000 = 4,212,000 + concurrent secretary, 4.5 row,
		// 1.4 × 2,340,000 = 3,276,000 (100 %).
		"T4": "10530000/7488000/3042000/false/2",
		// thôn of 350 → 6.0 (14,040,000): own amount 7,488,001 + concurrent Front head 1.1 × 2,340,000 =
		// 2,574,000 + secretary, 6.0 row, 1.7 × 2,340,000 = 3,978,000 = 14,040,001: one đồng over.
		"T5": "14040000/14040001/-1/true/3",
		// tổ of 499 → 4.5 (10,530,000): 4,212,000 + 3,276,000 + own amount 3,042,000 = 10,530,000: not over.
		"T6": "10530000/10530000/0/false/3",
	}
	got := unitFigs(rep)
	if len(got) != len(want) {
		t.Errorf("units %v, want exactly %v (T7 and 00013 with T8 are closed)", got, want)
	}
	for code, w := range want {
		if got[code] != w {
			t.Errorf("%s: got %s, want %s", code, got[code], w)
		}
	}
	tt := rep.Totals
	// Funds 126,360,000 (communes) + 3 × 14,040,000 + 2 × 10,530,000 = 189,540,000; paid 45,630,001.
	if tt.CommuneFund.String() != "126360000" || tt.HamletFund.String() != "63180000" || tt.Fund.String() != "189540000" ||
		tt.Paid.String() != "45630001" || tt.Difference.String() != "143909999" || tt.UnitsOverFund != 1 ||
		tt.PostsFilled != 13 || tt.Communes != 3 || tt.Hamlets != 5 || !tt.PaidWithoutFund.IsZero() {
		t.Errorf("totals %+v", tt)
	}

	// The CSV parses back to the same figures, unit by unit (a difference of -1 and of 0 included).
	r = e.do("GET", "/v1/provinces/02/allowances?as_of=2025-03-01&format=csv", viewer, nil)
	mustStatus(t, r, 200)
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	fromCSV := map[string]string{}
	for _, row := range recs[1:] {
		code := row[2]
		if code == "" {
			code = row[1]
		}
		if row[0] == "total" {
			code = "total"
		}
		fund := row[8]
		if fund == "" {
			fund = "-"
		}
		diff := row[10]
		if diff == "" {
			diff = "-"
		}
		fromCSV[code] = fund + "/" + row[9] + "/" + diff + "/" + row[11] + "/" + row[12]
	}
	if fromCSV["total"] != "189540000/45630001/143909999/true/13" {
		t.Errorf("csv total %s", fromCSV["total"])
	}
	delete(fromCSV, "total")
	if fmt.Sprint(fromCSV) != fmt.Sprint(got) {
		t.Errorf("csv %v\njson %v", fromCSV, got)
	}

	// Base salary 2024-06-30 vs 2024-07-01, version 1 in force: the head of T4 (4.5) 1.6 × 1,800,000 =
	// 2,880,000 (docs/legal-basis.md W5) then 1.6 × 2,340,000 = 3,744,000; the secretary, no-category row, 1.5 ×.
	for _, c := range []struct{ on, fund, paid, head string }{
		{"2024-06-30", "8100000", "5580000", "2880000"},  // 4.5 × 1,800,000; 2,880,000 + 2,700,000
		{"2024-07-01", "10530000", "7254000", "3744000"}, // 4.5 × 2,340,000; 3,744,000 + 3,510,000
	} {
		r := e.do("GET", "/v1/provinces/02/hamlets/T4/allowances?as_of="+c.on, viewer, nil)
		mustStatus(t, r, 200)
		var u unitAllowanceReport
		r.json(t, &u)
		if u.Fund == nil || u.Fund.String() != c.fund || u.Paid.String() != c.paid || len(u.Posts) != 2 {
			t.Errorf("T4 on %s: %s", c.on, r.Body)
			continue
		}
		for _, p := range u.Posts {
			if p.PositionCode == "truong_thon_to_truong" && p.Amount.String() != c.head {
				t.Errorf("T4 head on %s: %s, want %s", c.on, p.Amount, c.head)
			}
		}
	}

	// The one-unit reports of units closed before the date say so: no fund, nothing paid, the same as the
	// province report (which leaves them out).
	for _, path := range []string{"hamlets/T7", "communes/00013", "hamlets/T8"} {
		r := e.do("GET", "/v1/provinces/02/"+path+"/allowances?as_of=2025-03-01", viewer, nil)
		mustStatus(t, r, 200)
		var u unitAllowanceReport
		r.json(t, &u)
		if u.Fund != nil || u.FundNote == nil || !u.Paid.IsZero() || len(u.Posts) != 0 || u.Name == "" {
			t.Errorf("%s closed before 2025-03-01: %s", path, r.Body)
		}
	}
	// ... and the open unit's report equals its line in the province report.
	r = e.do("GET", "/v1/provinces/02/communes/00012/allowances?as_of=2025-03-01", viewer, nil)
	mustStatus(t, r, 200)
	var u unitAllowanceReport
	r.json(t, &u)
	if u.Paid.String() != "5148000" || u.Fund.String() != "42120000" || len(u.Hamlets) != 3 || len(u.Posts) != 2 {
		t.Errorf("commune 00012: %s", r.Body)
	}
}
