package api

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"communehr/internal/store"
)

// The decisions' appraisal list separates the Decree 178 allowance of those leaving within the first 12
// months of the reorganisation decision from those leaving from month 13 (× 0.5), with the salary, months
// and years in their own cells; read back, each row holds the stored decision's amounts, and in the
// workbook every amount is a formula that excelize's calculator recomputes to the same đồng.
func TestDecisionAppraisalSplitsWithin12MonthsAndRecomputes(t *testing.T) {
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	save := func(id string, body map[string]any) entitlementResponse {
		r := e.do("POST", "/v1/provinces/01/cadres/"+id+"/entitlements?save=true", ed, body)
		if r.Status != 200 && r.Status != 201 {
			t.Fatalf("save: %d %s", r.Status, r.Body)
		}
		var out entitlementResponse
		r.json(t, &out)
		return out
	}
	within := save(cadreI, map[string]any{"exit_date": "2025-06-01", "decision_date": "2025-01-15", "reason": "early_retirement", "monthly_salary": "10000000"})
	// Hải has 10 years of SI, too few for a pension: he resigns under Art. 9, 14 months after the decision.
	after := save(cadreH, map[string]any{"exit_date": "2025-08-01", "decision_date": "2024-06-15", "reason": "resignation", "monthly_salary": "8000000"})
	kct := save(cadreA, map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"})
	lineOf := func(res entitlementResponse, code string) string {
		for _, l := range res.Result.Lines {
			if l.Code == code {
				return l.Amount.String()
			}
		}
		return ""
	}
	r := e.do("GET", "/v1/provinces/01/reports/decision-appraisal", ed, nil)
	mustStatus(t, r, 200)
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 5 || records[0][10] != "Within 12 months: multiple" || records[0][13] != "From month 13: amount (VND)" {
		t.Fatalf("list %q", records)
	}
	byExit := map[string][]string{}
	for _, rec := range records[1:4] {
		byExit[rec[5]+"|"+rec[1]] = rec
	}
	w, a, k := byExit["2025-06-01|Bùi Văn Ích"], byExit["2025-08-01|Ngô Văn Hải"], byExit["2025-08-01|Nguyễn Văn An"]
	if w == nil || a == nil || k == nil {
		t.Fatalf("rows %q", records)
	}
	// W9 (docs/legal-basis.md): 1.0 × 10,000,000 × 40 months within 12 months, 5 × 3.5 years, 5 months for 20 years of SI.
	if !strings.HasPrefix(w[6], "Within") || w[7] != "10000000" || w[8] != "40" || w[10] != "1" || w[11] != "400000000" || w[13] != "" ||
		w[15] != "175000000" || w[17] != "50000000" || w[21] != within.Result.Total.String() {
		t.Fatalf("within 12 months %q", w)
	}
	// 0.4 × 8,000,000 × 60 months from month 13; 1.5 × 8,000,000 per SI year (10); 3 months to look for work.
	if !strings.HasPrefix(a[6], "From") || a[11] != "" || a[12] != "0.4" || a[13] != "192000000" || a[13] != lineOf(after, "resignation_allowance") ||
		a[15] != "120000000" || a[17] != "24000000" ||
		a[21] != after.Result.Total.String() {
		t.Fatalf("from month 13 %q (lines %+v)", a, after.Result.Lines)
	}
	if k[6] != "" || k[21] != kct.Result.Total.String() || k[11] != lineOf(kct, "one_off_allowance") {
		t.Fatalf("non-professional %q", k)
	}
	r = e.do("GET", "/v1/provinces/01/reports/decision-appraisal?format=xlsx&lang=vi", ed, nil)
	mustStatus(t, r, 200)
	f := openXLSX(t, r.Body)
	rows, _ := f.GetRows("Sheet1")
	if rows[1][11] != "Trong 12 tháng đầu: số tiền (đồng)" || rows[1][13] != "Từ tháng thứ 13: số tiền (đồng)" {
		t.Fatalf("header %q", rows[1])
	}
	csvRow := map[string][]string{"Bùi Văn Ích|" + "01/06/2025": w, "Ngô Văn Hải|01/08/2025": a, "Nguyễn Văn An|01/08/2025": k}
	formulas := 0
	for n := 3; n < len(rows); n++ {
		rec := csvRow[rows[n-1][1]+"|"+rows[n-1][5]]
		if rec == nil {
			t.Fatalf("row %d %q", n, rows[n-1])
		}
		for col, idx := range map[string]int{"L": 11, "N": 13, "P": 15, "R": 17, "T": 19, "V": 21} {
			cell := col + itoa(n)
			fm, _ := f.GetCellFormula("Sheet1", cell)
			if fm == "" {
				continue
			}
			formulas++
			if got, err := f.CalcCellValue("Sheet1", cell, excelize.Options{RawCellValue: true}); err != nil || got != rec[idx] {
				t.Fatalf("%s (%s) = %q %v, list %q", cell, fm, got, err, rec[idx])
			}
		}
	}
	if formulas < 9 {
		t.Fatalf("%d formulas", formulas)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/reports/decision-appraisal?status=superseded", ed, nil), 422)
}
