package api

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"communehr/internal/store"
)

// The allowance report as a workbook, read back with the library: a title row, the header frozen under
// it, money as numbers with a thousands format, the total row as SUM formulas that Excel (and excelize's
// calculator) evaluates to the report's totals; in Vietnamese with lang=vi; chosen by format=xlsx or by
// Accept. The CSV negotiates too, and with lang=vi&delimiter=; it is the table a Vietnamese Excel opens.
func TestAllowanceReportAsWorkbookAndVietnameseCSV(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reportFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	for _, how := range []struct{ query, accept string }{{"&format=xlsx&lang=vi", ""}, {"&lang=vi", xlsxMediaType}} {
		r := e.do("GET", "/v1/provinces/01/allowances?as_of=2025-03-01"+how.query, ed, nil, "Accept", how.accept)
		mustStatus(t, r, 200)
		if r.Header.Get("Content-Type") != xlsxMediaType || !strings.Contains(r.Header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("%v: headers %v", how, r.Header)
		}
		f := openXLSX(t, r.Body)
		rows, _ := f.GetRows("Sheet1")
		if !strings.HasPrefix(rows[0][0], "allowances-01-2025-03-01") || rows[1][0] != "Cấp" || rows[1][8] != "Quỹ phụ cấp (đồng)" {
			t.Fatalf("title and header %q %q", rows[0], rows[1])
		}
		panes, _ := f.GetPanes("Sheet1")
		if !panes.Freeze || panes.YSplit != 2 {
			t.Fatalf("panes %+v", panes)
		}
		last := len(rows)
		if rows[last-1][0] != "Tổng cộng" {
			t.Fatalf("last row %q", rows[last-1])
		}
		formula, _ := f.GetCellFormula("Sheet1", "I"+itoa(last))
		if !strings.HasPrefix(formula, "SUM(I3:I") {
			t.Fatalf("fund total formula %q", formula)
		}
		// The formulas evaluate to the report's totals (the report's own total row is not summed twice).
		if v, err := f.CalcCellValue("Sheet1", "I"+itoa(last), excelize.Options{RawCellValue: true}); err != nil || v != "115830000" {
			t.Fatalf("fund total %q %v", v, err)
		}
		if v, _ := f.CalcCellValue("Sheet1", "J"+itoa(last), excelize.Options{RawCellValue: true}); v != "30166000" {
			t.Fatalf("paid total %q", v)
		}
		if rows[last-2][0] == "Tổng cộng" {
			t.Fatalf("two total rows")
		}
		typ, _ := f.GetCellType("Sheet1", "I3")
		if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Fatalf("fund cell type %v", typ)
		}
		style, _ := f.GetCellStyle("Sheet1", "I3")
		if st, _ := f.GetStyle(style); st == nil || st.NumFmt != 3 {
			t.Fatalf("money format %+v", st)
		}
		if v, _ := f.GetCellValue("Sheet1", "I3", excelize.Options{RawCellValue: true}); v == "" || strings.Contains(v, ",") {
			t.Fatalf("fund cell %q", v)
		}
		// Labels instead of codes.
		if !strings.Contains(strings.Join(rows[2], "|"), "Tỉnh") && !strings.Contains(strings.Join(rows[2], "|"), "Xã") {
			t.Fatalf("level label %q", rows[2])
		}
	}
	// CSV: Accept text/csv chooses it; lang=vi&delimiter=; writes Vietnamese headers, labels and numbers.
	r := e.do("GET", "/v1/provinces/01/allowances?as_of=2025-03-01", ed, nil, "Accept", "text/csv")
	mustStatus(t, r, 200)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("Accept text/csv: %q", r.Header.Get("Content-Type"))
	}
	r = e.do("GET", "/v1/provinces/01/allowances?as_of=2025-03-01&format=csv&lang=vi&delimiter=%3B", ed, nil)
	mustStatus(t, r, 200)
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF"))))
	cr.Comma = ';'
	records, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if records[0][0] != "Cấp" || records[0][8] != "Quỹ phụ cấp (đồng)" {
		t.Fatalf("vi header %q", records[0])
	}
	tot := records[len(records)-1]
	if tot[0] != "Tổng cộng" || tot[8] != "115.830.000" || tot[9] != "30.166.000" {
		t.Fatalf("vi total row %q", tot)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/allowances?as_of=2025-03-01&format=pdf", ed, nil), 422)
}

func itoa(n int) string {
	s, _ := excelize.CoordinatesToCellName(1, n)
	return strings.TrimPrefix(s, "A")
}

// The people export, read back: typed cells in Vietnamese, and uploaded again as it is, every person is
// unchanged; a viewer's copy has the identity numbers masked; the CSV with lang=vi&delimiter=; too.
func TestPeopleExportRoundTrips(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	if j := importJob(t, e.doRaw("POST", "/v1/provinces/01/imports?kind=cadres", ed, xlsxMediaType, cadresRegister(t, false))); j.RowsInserted != 3 {
		t.Fatalf("import %+v", j)
	}
	r := e.do("GET", "/v1/provinces/01/exports/cadres?format=xlsx&lang=vi", ed, nil)
	mustStatus(t, r, 200)
	f := openXLSX(t, r.Body)
	rows, _ := f.GetRows("Sheet1")
	if len(rows) != 5 || rows[1][0] != "Số CCCD" || rows[1][3] != "Ngày sinh" {
		t.Fatalf("rows %q", rows)
	}
	found := false
	for _, row := range rows[2:] {
		if row[0] == nidFemale1990 {
			found = row[1] == "Trần Thị Bình" && row[2] == "Nữ" && row[3] == "17/05/1990" && row[5] == "Đang công tác"
		}
	}
	if !found {
		t.Fatalf("the person born 1990 %q", rows)
	}
	if typ, _ := f.GetCellType("Sheet1", "D3"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Fatalf("birth date stored as text")
	}
	j := importJob(t, e.doRaw("POST", "/v1/provinces/01/imports?kind=cadres", ed, xlsxMediaType, r.Body))
	if j.Status != "succeeded" || j.RowsUnchanged != 3 {
		t.Fatalf("re-import of the export %+v", j)
	}
	r = e.do("GET", "/v1/provinces/01/exports/cadres?format=csv&lang=vi&delimiter=%3B", ed, nil)
	mustStatus(t, r, 200)
	if body := string(r.Body); !strings.HasPrefix(body, "\uFEFFSố CCCD;Họ và tên;Giới tính;Ngày sinh;") || !strings.Contains(body, nidFemale1990+";Trần Thị Bình;Nữ;17/05/1990;") {
		t.Fatalf("csv %q", body)
	}
	if j := importJob(t, e.upload(ed, "kind=cadres", r.Body)); j.Status != "succeeded" || j.RowsUnchanged != 3 {
		t.Fatalf("re-import of the csv %+v", j)
	}
	r = e.do("GET", "/v1/provinces/01/exports/cadres", e.key(store.RoleProvinceViewer, "01"), nil, "Accept", "text/csv")
	mustStatus(t, r, 200)
	if strings.Contains(string(r.Body), nidFemale1990) || !strings.Contains(string(r.Body), "*****") {
		t.Fatalf("viewer csv %q", r.Body)
	}
}

// The payroll list of a commune, read back: one row per person and post of the commune and its hamlets,
// the CCCD, the coefficient, rate and base salary in their own columns, the amount a formula Excel
// recomputes to the đồng of the report, and a SUM total; the CSV holds the same amounts exactly.
func TestPayrollListRecomputesInExcel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reportFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	r := e.do("GET", "/v1/provinces/01/exports/payroll/00001?as_of=2025-03-01&format=csv", ed, nil)
	mustStatus(t, r, 200)
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(records[0], "|") != "No.|Full name|CCCD|Unit|Post|Coefficient|Rate (%)|Base salary|Amount|Signature" {
		t.Fatalf("header %q", records[0])
	}
	amounts := map[string]string{}
	for _, row := range records[1 : len(records)-1] {
		amounts[row[2]+"|"+row[4]] = row[8]
	}
	// Phạm Văn Dũng heads H2 and is its cell secretary concurrently; Trần Thị Bình has her own amount.
	if len(records) < 6 || amounts["001180000002|Phó chủ tịch Hội Liên hiệp Phụ nữ"] != "3000000" {
		t.Fatalf("payroll rows %q", records)
	}
	r = e.do("GET", "/v1/provinces/01/exports/payroll/00001?as_of=2025-03-01&format=xlsx&lang=vi", ed, nil)
	mustStatus(t, r, 200)
	f := openXLSX(t, r.Body)
	rows, _ := f.GetRows("Sheet1")
	if !strings.HasPrefix(rows[0][0], "DANH SÁCH CHI TRẢ PHỤ CẤP") || rows[1][9] != "Ký nhận" || rows[1][5] != "Hệ số" {
		t.Fatalf("title/header %q %q", rows[0], rows[1])
	}
	formulas := 0
	for n := 3; n < len(rows); n++ {
		key := rows[n-1][2] + "|" + rows[n-1][4]
		got, err := f.CalcCellValue("Sheet1", "I"+itoa(n), excelize.Options{RawCellValue: true})
		if err != nil || got != amounts[key] {
			t.Fatalf("row %d %s: Excel computes %q (%v), the report %q", n, key, got, err, amounts[key])
		}
		if fm, _ := f.GetCellFormula("Sheet1", "I"+itoa(n)); fm != "" {
			formulas++
		}
	}
	if formulas == 0 {
		t.Fatal("no amount is a formula")
	}
	last := len(rows)
	if rows[last-1][1] != "Tổng cộng" {
		t.Fatalf("total row %q", rows[last-1])
	}
	if got, _ := f.CalcCellValue("Sheet1", "I"+itoa(last), excelize.Options{RawCellValue: true}); got != records[len(records)-1][8] {
		t.Fatalf("total %q, csv %q", got, records[len(records)-1][8])
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/exports/payroll/99999?as_of=2025-03-01", ed, nil), 404)
}

// An entitlement run's results as a workbook in Vietnamese: read back, the amounts are numbers and the
// "Tổng cộng" row's SUM equals the sum of the CSV's totals.
func TestRunResultsAsWorkbook(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reportFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	r := e.do("POST", "/v1/provinces/01/entitlement-runs", ed, map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"})
	mustStatus(t, r, 202)
	var run runResponse
	r.json(t, &run)
	waitRun(e, ed, "01", run.ID)
	r = e.do("GET", "/v1/provinces/01/entitlement-runs/"+run.ID+"/results.csv", ed, nil)
	mustStatus(t, r, 200)
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, row := range records[1:] {
		sum += mustFloat(t, row[9])
	}
	r = e.do("GET", "/v1/provinces/01/entitlement-runs/"+run.ID+"/results.csv?format=xlsx&lang=vi", ed, nil)
	mustStatus(t, r, 200)
	f := openXLSX(t, r.Body)
	rows, _ := f.GetRows("Sheet1")
	if rows[1][1] != "Họ và tên" || rows[1][9] != "Tổng số tiền (đồng)" || len(rows) != len(records)+2 {
		t.Fatalf("header %q, %d rows for %d", rows[1], len(rows), len(records))
	}
	last := len(rows)
	got, err := f.CalcCellValue("Sheet1", "J"+itoa(last), excelize.Options{RawCellValue: true})
	if err != nil || rows[last-1][0] != "Tổng cộng" || mustFloat(t, got) != sum {
		t.Fatalf("total %q (%v), want %v; row %q", got, err, sum, rows[last-1])
	}
}
