package api

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"communehr/internal/store"
)

// The Decree 33 funding table in the layout of Biểu số 2e (Circular 50/2023/TT-BTC), read back: communes
// by class and hamlets by Decree 33 category counted from the register, the two decrees' multiples, the
// funds at the form's base salary and the 2023 increase over 5 months, hand-checked to the đồng; in the
// workbook the form's formulas (4 = 1×2×base, 5 = 1×3×base, 6 = (5−4)×months) recompute to the CSV's
// amounts, and follow when the officer changes the base salary cell.
func TestBieu2eFundingTableRecomputes(t *testing.T) {
	e := newEnv(t)
	reportFixture(e)
	ed := e.key(store.RoleProvinceViewer, "01")
	r := e.do("GET", "/v1/provinces/01/reports/decree33-funding?as_of=2025-03-01", ed, nil)
	mustStatus(t, r, 200)
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if records[1][5] != "4=1x2x1,49" || len(records) != 2+17 {
		t.Fatalf("header %q, %d rows", records[:2], len(records))
	}
	// Class II (00001): 13.7 → 18.0; class III (00002): 11.4 → 15.0; H1 (thôn, 420 households): 5.0 → 6.0;
	// H3 (thôn of a border commune): 5.0 → 6.0; H2 (tổ dân phố, 480 households): 3.0 → 4.5; H4 closed.
	want := map[int][]string{
		2:  {"TOTAL", "5", "", "", "56769000", "73755000", "84930000"},
		4:  {"Class I", "0", "16", "21", "0", "0", "0"},
		5:  {"Class II", "1", "13.7", "18", "20413000", "26820000", "32035000"},
		6:  {"Class III", "1", "11.4", "15", "16986000", "22350000", "26820000"},
		9:  {"- Rural hamlets", "1", "5", "6", "7450000", "8940000", "7450000"},
		12: {"- Rural hamlets of 350+ households or in key-security communes", "1", "5", "6", "7450000", "8940000", "7450000"},
		18: {"- Other residential groups", "1", "3", "4.5", "4470000", "6705000", "11175000"},
	}
	for i, w := range want {
		if got := records[i][1:]; strings.Join(got, "|") != strings.Join(w, "|") {
			t.Fatalf("row %d: %q, want %q", i, got, w)
		}
	}
	r = e.do("GET", "/v1/provinces/01/reports/decree33-funding?as_of=2025-03-01&format=xlsx&lang=vi", ed, nil)
	mustStatus(t, r, 200)
	f := openXLSX(t, r.Body)
	rows, _ := f.GetRows("Sheet1")
	if !strings.HasPrefix(rows[0][0], "TỔNG HỢP KINH PHÍ TĂNG THEO NGHỊ ĐỊNH SỐ 33/2023/NĐ-CP") || rows[0][7] != "Biểu số 2e" ||
		!strings.Contains(rows[1][0], "Thông tư số 50/2023/TT-BTC") || rows[4][2] != "TỔNG ĐƠN VỊ HÀNH CHÍNH CẤP XÃ, THÔN" || rows[6][1] != "TỔNG SỐ" {
		t.Fatalf("title/header %q", rows[:7])
	}
	calc := func(cell string) string {
		v, err := f.CalcCellValue("Sheet1", cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("%s: %v", cell, err)
		}
		return v
	}
	for i, w := range want {
		n := itoa(i + 5) // CSV row i is sheet row i+5
		if got := []string{calc("C" + n), calc("F" + n), calc("G" + n), calc("H" + n)}; strings.Join(got, "|") != w[1]+"|"+w[4]+"|"+w[5]+"|"+w[6] {
			t.Fatalf("sheet row %s: %q, want %q", n, got, w)
		}
	}
	if fm, _ := f.GetCellFormula("Sheet1", "F10"); fm != "ROUND(C10*D10*$C$3,0)" {
		t.Fatalf("F10 %q", fm)
	}
	if fm, _ := f.GetCellFormula("Sheet1", "H10"); fm != "(G10-F10)*$C$4" {
		t.Fatalf("H10 %q", fm)
	}
	// The officer recomputes at 1,800,000 đ: (4.3 + 3.6 + 1.0 + 1.0 + 1.5) × 1,800,000 × 5.
	if err := f.SetCellValue("Sheet1", "C3", 1800000); err != nil {
		t.Fatal(err)
	}
	if got := calc("H7"); got != "102600000" {
		t.Fatalf("at 1,800,000: %q", got)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/reports/decree33-funding?as_of=2023-07-31", ed, nil), 422)
}
