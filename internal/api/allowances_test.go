package api

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

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
	// Commune posts still recorded are paid without a fund: 8,148,000 + 2,340,000.
	if rep.Totals.PaidWithoutFund.String() != "10488000" || rep.Totals.Fund.String() != "38610000" {
		t.Fatalf("totals %+v", rep.Totals)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/allowances?as_of=2025-02-30", ed, nil), 422)
	mustStatus(t, e.do("GET", "/v1/provinces/01/allowances?format=xlsx", ed, nil), 422)
	mustStatus(t, e.do("GET", "/v1/provinces/01/allowances?as_of=2010-01-01", ed, nil), 422)
}

func TestUnitAllowancesAreItemisedPerPersonAndPostWithCitations(t *testing.T) {
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
		if p.PositionCode == "truong_thon_to_truong" && (p.Amount.String() != "3744000" || !strings.Contains(p.Line.Formula, "1.6")) {
			t.Fatalf("group head in a 4.5 group: %+v", p)
		}
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/hamlets/NOPE/allowances", ed, nil), 404)
	mustStatus(t, e.do("GET", "/v1/provinces/01/communes/99999/allowances", ed, nil), 404)
}

func TestAllowanceCSVParsesBackToTheSameNumbers(t *testing.T) {
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
