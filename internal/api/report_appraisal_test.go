package api

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// entitlementLines is what POST cadres/{id}/entitlements answers for one person: the total and each
// line's amount by code.
func entitlementLines(t *testing.T, e *env, key, id string, body map[string]any) (string, map[string]string) {
	t.Helper()
	r := e.do("POST", "/v1/provinces/01/cadres/"+id+"/entitlements", key, body)
	mustStatus(t, r, 200)
	var res entitlementResponse
	r.json(t, &res)
	lines := map[string]string{}
	for _, l := range res.Result.Lines {
		lines[l.Code] = l.Amount.String()
	}
	return res.Result.Total.String(), lines
}

// The appraisal list, read back: the CSV and the workbook hold, for every person, the amounts the
// entitlement API computes for them; in the workbook every amount is a formula over the row's inputs
// (years from months by the ½-year rule, the allowance from coefficient × base salary, each component
// from its multiple) and excelize's calculator recomputes each to the same đồng, the last row SUMs.
func TestExitAppraisalListRecomputesInExcelToTheDong(t *testing.T) {
	e := newEnv(t)
	reportFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	q := "/v1/provinces/01/reports/exit-appraisal?last_day_worked=2025-07-31&reason=reorganisation"
	r := e.do("GET", q, ed, nil)
	mustStatus(t, r, 200)
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if records[0][7] != "Months of work" || records[0][16] != "Allowance for the months counted (VND)" || len(records[0]) != 26 {
		t.Fatalf("header %q", records[0])
	}
	people := records[1 : len(records)-1]
	// A, B, C, D, E and G hold a post on 2025-07-31; F's post ended on 2025-01-31.
	if len(people) != 6 {
		t.Fatalf("%d people: %q", len(people), people)
	}
	ids := map[string]string{"Nguyễn Văn An": cadreA, "Trần Thị Bình": cadreB, "Lê Văn Cường": cadreC, "Phạm Văn Dũng": cadreD,
		"Hoàng Thị Em": cadreE, "Đỗ Thị Giang": cadreG}
	body := map[string]any{"last_day_worked": "2025-07-31", "reason": "reorganisation"}
	amountCols := map[int]string{16: "one_off_allowance", 18: "allowance_per_year_of_work", 20: "job_search_allowance", 22: "retired_lump_sum"}
	byName := map[string][]string{}
	for _, rec := range people {
		byName[rec[1]] = rec
		total, lines := entitlementLines(t, e, ed, ids[rec[1]], body)
		if rec[24] != total || total == "0" {
			t.Fatalf("%s: list total %q, API %q", rec[1], rec[24], total)
		}
		for col, code := range amountCols {
			if rec[col] != lines[code] {
				t.Fatalf("%s: %s %q, API %q (%q)", rec[1], code, rec[col], lines[code], rec)
			}
		}
	}
	// Bình, a commune worker: the province pays the centrally funded share, 1.5 × 2,340,000; 55 months of
	// work round to 5 years (7 odd months) and are the months counted (fewer than 5 years of work).
	if b := byName["Trần Thị Bình"]; b[13] != "3510000" || b[10] != "1.5" || b[11] != "100" || b[7] != "55" || b[8] != "5" ||
		b[14] != "55" || b[15] != "0.8" || b[16] != "154440000" {
		t.Fatalf("Bình %q", b)
	}
	// Cường heads the hamlet H1 (6.0 category): 2.1 × 2,340,000 by the province's schedule.
	if c := byName["Lê Văn Cường"]; c[10] != "2.1" || c[12] != "2340000" || c[13] != "4914000" || c[6] != "Decree 154/2025/NĐ-CP Art. 10" {
		t.Fatalf("Cường %q", c)
	}

	r = e.do("GET", q+"&format=xlsx&lang=vi", ed, nil)
	mustStatus(t, r, 200)
	if r.Header.Get("Content-Type") != xlsxMediaType {
		t.Fatalf("content type %q", r.Header.Get("Content-Type"))
	}
	f := openXLSX(t, r.Body)
	if cp, err := f.GetCalcProps(); err != nil || cp.FullCalcOnLoad == nil || !*cp.FullCalcOnLoad {
		t.Fatalf("the workbook is not recalculated on opening: %+v %v", cp, err)
	}
	rows, _ := f.GetRows("Sheet1")
	if !strings.HasPrefix(rows[0][0], "DANH SÁCH ĐỀ NGHỊ THẨM ĐỊNH") || rows[1][8] != "Số năm công tác (đã làm tròn)" || rows[1][13] != "Phụ cấp hằng tháng hiện hưởng (đồng)" {
		t.Fatalf("title/header %q %q", rows[0], rows[1])
	}
	calc := func(cell string) string {
		v, err := f.CalcCellValue("Sheet1", cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("%s: %v", cell, err)
		}
		return v
	}
	formulas := map[string]int{}
	for n := 3; n < len(rows); n++ {
		row := itoa(n)
		rec := byName[rows[n-1][1]]
		if rec == nil {
			t.Fatalf("row %d %q not in the CSV", n, rows[n-1])
		}
		for col, idx := range map[string]int{"I": 8, "N": 13, "Q": 16, "S": 18, "U": 20, "W": 22, "Y": 24} {
			fm, _ := f.GetCellFormula("Sheet1", col+row)
			if fm == "" {
				continue
			}
			formulas[col]++
			if got := calc(col + row); got != rec[idx] {
				t.Fatalf("%s%s (%s) = %q in Excel, %q in the list", col, row, fm, got, rec[idx])
			}
			if cached, _ := f.GetCellValue("Sheet1", col+row, excelize.Options{RawCellValue: true}); cached != rec[idx] {
				t.Fatalf("%s%s cached %q, list %q", col, row, cached, rec[idx])
			}
		}
		if fm, _ := f.GetCellFormula("Sheet1", "Q"+row); fm != "" && fm != "ROUND(P"+row+"*N"+row+"*O"+row+",0)" {
			t.Fatalf("Q%s formula %q", row, fm)
		}
		if fm, _ := f.GetCellFormula("Sheet1", "S"+row); fm != "" && fm != "ROUND(R"+row+"*N"+row+"*I"+row+",0)" {
			t.Fatalf("S%s formula %q", row, fm)
		}
		if note := rows[n-1][len(rows[n-1])-1]; msgcheck.DeveloperText(note) != "" {
			t.Fatalf("note %q", note)
		}
	}
	for _, col := range []string{"I", "N", "Q", "S", "U", "Y"} {
		if formulas[col] == 0 {
			t.Fatalf("no formula in column %s: %v", col, formulas)
		}
	}
	last := itoa(len(rows))
	if rows[len(rows)-1][1] != "Tổng cộng" || calc("Y"+last) != records[len(records)-1][24] {
		t.Fatalf("total row %q: %q, CSV %q", rows[len(rows)-1], calc("Y"+last), records[len(records)-1][24])
	}
	if fm, _ := f.GetCellFormula("Sheet1", "Y"+last); fm != "SUM(Y3:Y"+itoa(len(rows)-1)+")" {
		t.Fatalf("total formula %q", fm)
	}
}

// The list's query is checked like a run's body: one exit date, a reason a run computes; a commune filter
// narrows it; the Vietnamese CSV with `;` is what a Vietnamese Excel opens.
func TestExitAppraisalListQueryAndFilter(t *testing.T) {
	e := newEnv(t)
	reportFixture(e)
	ed := e.key(store.RoleProvinceViewer, "01")
	base := "/v1/provinces/01/reports/exit-appraisal?"
	for _, bad := range []string{"reason=reorganisation", "exit_date=2025-08-01&last_day_worked=2025-07-31&reason=reorganisation",
		"exit_date=2025-08-01&reason=resignation", "exit_date=2025-08-01&reason=reorganisation&position_level=x",
		"exit_date=1990-01-01&reason=reorganisation"} {
		r := e.do("GET", base+bad, ed, nil, "Accept-Language", "vi")
		if r.Status != 422 && r.Status != 400 {
			t.Fatalf("%s: %d %s", bad, r.Status, r.Body)
		}
	}
	r := e.do("GET", base+"exit_date=2025-08-01&reason=reorganisation&commune_code=00002&lang=vi&delimiter=%3B", ed, nil)
	mustStatus(t, r, 200)
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF"))))
	cr.Comma = ';'
	records, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 3 || records[1][1] != "Đỗ Thị Giang" || records[1][3] != "Nữ" || records[1][6] != "Điều 9 Nghị định 154/2025/NĐ-CP" ||
		records[1][12] != "2.340.000" || records[2][1] != "Tổng cộng" {
		t.Fatalf("commune 00002 in Vietnamese: %q", records)
	}
}
