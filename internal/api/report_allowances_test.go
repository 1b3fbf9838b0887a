package api

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"communehr/internal/store"
)

// The province's allowance report as a workbook, read back and recomputed by excelize's calculator: each
// unit's fund is ROUND(multiple × base salary), its paid amount the SUM of its posts on the detail sheet,
// each post ROUND(rate/100 × coefficient × base salary), the difference fund − paid; every value equals
// the JSON report's to the đồng, and the total row SUMs the units.
func TestProvinceAllowanceWorkbookRecomputes(t *testing.T) {
	e := newEnv(t)
	reportFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	r := e.do("GET", "/v1/provinces/01/allowances?as_of=2025-03-01", ed, nil)
	mustStatus(t, r, 200)
	var rep allowanceReport
	r.json(t, &rep)
	want := map[string][3]string{} // unit code → fund, paid, difference
	for _, c := range rep.Communes {
		want[c.Code] = [3]string{c.Fund.String(), c.Paid.String(), c.Difference.String()}
		for _, h := range c.Hamlets {
			want[h.Code] = [3]string{h.Fund.String(), h.Paid.String(), h.Difference.String()}
		}
	}
	r = e.do("GET", "/v1/provinces/01/allowances?as_of=2025-03-01&format=xlsx&lang=vi", ed, nil)
	mustStatus(t, r, 200)
	f := openXLSX(t, r.Body)
	calc := func(sheet, cell string) string {
		v, err := f.CalcCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("%s!%s: %v", sheet, cell, err)
		}
		return v
	}
	formula := func(sheet, cell string) string { fm, _ := f.GetCellFormula(sheet, cell); return fm }
	rows, _ := f.GetRows("Sheet1")
	if rows[1][14] != "Hệ số quỹ (lần mức lương cơ sở)" || rows[1][15] != "Mức lương cơ sở (đồng)" {
		t.Fatalf("header %q", rows[1])
	}
	seen := 0
	for n := 3; n <= len(rows) && rows[n-1][0] != "Tổng cộng"; n++ {
		row := itoa(n)
		code := rows[n-1][1]
		if rows[n-1][2] != "" {
			code = rows[n-1][2]
		}
		w, ok := want[code]
		if !ok {
			t.Fatalf("row %d: unit %q not in the report", n, code)
		}
		if formula("Sheet1", "I"+row) != "ROUND(O"+row+"*P"+row+",0)" || formula("Sheet1", "K"+row) != "I"+row+"-J"+row {
			t.Fatalf("row %d formulas %q %q", n, formula("Sheet1", "I"+row), formula("Sheet1", "K"+row))
		}
		got := [3]string{calc("Sheet1", "I"+row), calc("Sheet1", "J"+row), calc("Sheet1", "K"+row)}
		if got != w {
			t.Fatalf("%s: Excel %v, report %v (paid %q)", code, got, w, formula("Sheet1", "J"+row))
		}
		if w[1] != "0" && !strings.HasPrefix(formula("Sheet1", "J"+row), "SUM('Chi tiết'!J") {
			t.Fatalf("%s: paid formula %q", code, formula("Sheet1", "J"+row))
		}
		seen++
	}
	if seen != len(want) {
		t.Fatalf("%d unit rows, %d units", seen, len(want))
	}
	last := itoa(seen + 3)
	if calc("Sheet1", "I"+last) != rep.Totals.Fund.String() || calc("Sheet1", "J"+last) != rep.Totals.Paid.String() {
		t.Fatalf("totals %q %q", calc("Sheet1", "I"+last), calc("Sheet1", "J"+last))
	}
	details, _ := f.GetRows("Chi tiết")
	formulas := 0
	for n := 3; n <= len(details); n++ {
		if fm := formula("Chi tiết", "J"+itoa(n)); fm != "" {
			if fm != "ROUND(H"+itoa(n)+"/100*G"+itoa(n)+"*I"+itoa(n)+",0)" {
				t.Fatalf("detail formula %q", fm)
			}
			formulas++
		}
	}
	if len(details) != 2+rep.Totals.PostsFilled || formulas < rep.Totals.PostsFilled-2 {
		t.Fatalf("%d detail rows, %d formulas, %d posts", len(details)-2, formulas, rep.Totals.PostsFilled)
	}
}

// A commune's and a hamlet's report as workbooks: each post's allowance is the coefficient × base salary
// formula, the paid row a SUM, the fund ROUND(multiple × base salary) and the difference a formula; all
// recompute to the JSON report's amounts.
func TestUnitAllowanceWorkbooksRecompute(t *testing.T) {
	e := newEnv(t)
	reportFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	for _, unit := range []string{"communes/00001", "hamlets/H1", "hamlets/H2"} {
		r := e.do("GET", "/v1/provinces/01/"+unit+"/allowances?as_of=2025-03-01", ed, nil)
		mustStatus(t, r, 200)
		var u unitAllowanceReport
		r.json(t, &u)
		r = e.do("GET", "/v1/provinces/01/"+unit+"/allowances?as_of=2025-03-01", ed, nil, "Accept", xlsxMediaType)
		mustStatus(t, r, 200)
		f := openXLSX(t, r.Body)
		calc := func(cell string) string {
			v, err := f.CalcCellValue("Sheet1", cell, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatalf("%s %s: %v", unit, cell, err)
			}
			return v
		}
		formulas := 0
		for i, p := range u.Posts {
			cell := "I" + itoa(i+3)
			if got := calc(cell); got != p.Amount.String() {
				t.Fatalf("%s post %d: Excel %q, report %q", unit, i, got, p.Amount)
			}
			if fm, _ := f.GetCellFormula("Sheet1", cell); fm == "ROUND(G"+itoa(i+3)+"/100*F"+itoa(i+3)+"*H"+itoa(i+3)+",0)" {
				formulas++
			}
		}
		paid, fund, diff := itoa(len(u.Posts)+3), itoa(len(u.Posts)+4), itoa(len(u.Posts)+5)
		if fm, _ := f.GetCellFormula("Sheet1", "I"+paid); formulas == 0 || fm != "SUM(I3:I"+itoa(len(u.Posts)+2)+")" {
			t.Fatalf("%s: %d post formulas, paid %q", unit, formulas, fm)
		}
		if calc("I"+paid) != u.Paid.String() || calc("I"+fund) != u.Fund.String() || calc("I"+diff) != u.Difference.String() {
			t.Fatalf("%s: paid %q fund %q diff %q, report %s %s %s", unit, calc("I"+paid), calc("I"+fund), calc("I"+diff), u.Paid, u.Fund, u.Difference)
		}
	}
}
