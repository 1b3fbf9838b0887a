package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"communehr/internal/msg"
)

// The appraisal list as a table: the same columns in CSV (exact decimals) and in a workbook, where every
// amount is a formula over the input cells of its row — the years of work from the months by the ½-year
// rule, the allowance from coefficient, rate and base salary, each component from its multiple, the
// allowance and the months or years it counts, the total their SUM — and the last row SUMs the columns.

// appraisalHeaders are the columns in both languages (vi, en), A to Z.
var appraisalHeaders = [][2]string{
	{"STT", "No."}, {"Họ và tên", "Full name"}, {"Ngày sinh", "Birth date"}, {"Giới tính", "Gender"},
	{"Đơn vị", "Unit"}, {"Chức danh", "Post"}, {"Chế độ áp dụng", "Policy applied"},
	{"Số tháng công tác", "Months of work"}, {"Số năm công tác (đã làm tròn)", "Years of work (rounded)"},
	{"Cách làm tròn", "Rounding"}, {"Hệ số phụ cấp", "Allowance coefficient"}, {"Tỷ lệ hưởng (%)", "Rate (%)"},
	{"Mức lương cơ sở (đồng)", "Base salary (VND)"}, {"Phụ cấp hằng tháng hiện hưởng (đồng)", "Current monthly allowance (VND)"},
	{"Số tháng tính trợ cấp", "Months counted"}, {"Mức trợ cấp theo tháng (lần phụ cấp)", "Multiple per month counted"},
	{"Trợ cấp theo số tháng (đồng)", "Allowance for the months counted (VND)"},
	{"Số tháng phụ cấp cho mỗi năm công tác", "Months of allowance per year of work"},
	{"Trợ cấp theo số năm công tác (đồng)", "Allowance for the years of work (VND)"},
	{"Số tháng phụ cấp để tìm việc làm", "Months of allowance to look for work"},
	{"Trợ cấp tìm việc làm (đồng)", "Allowance to look for work (VND)"},
	{"Số tháng phụ cấp khi đủ tuổi nghỉ hưu", "Months of allowance at retirement age"},
	{"Trợ cấp một lần khi đủ tuổi nghỉ hưu (đồng)", "One-off allowance at retirement age (VND)"},
	{"Khoản khác (đồng)", "Other (VND)"}, {"Tổng số tiền (đồng)", "Total (VND)"}, {"Ghi chú", "Notes"},
}

// The columns of the component multiples (P, R, T, V; each amount is the next column), per appraisalComponents.
var appraisalMultipleCol = []string{"P", "R", "T", "V"}

// genderLabel is a gender as a table shows it ("Nam", "Nữ"; "male", "female").
func genderLabel(g string, lang msg.Lang) string {
	t := genderText(g).In(lang)
	if lang == msg.VI {
		return strings.ToUpper(t[:1]) + t[1:]
	}
	return t
}

func decText(d *decimal.Decimal) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func intText(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// csvRecord is a row's cells as text (exact decimals; Vietnamese number format with lang=vi).
func (row appraisalRow) csvRecord(n int, lang msg.Lang) []string {
	num := func(s string) string {
		if lang == msg.VI {
			return viNumber(s)
		}
		return s
	}
	birth := row.BirthDate.Format(dateLayout)
	if lang == msg.VI {
		birth = viDate(row.BirthDate.Time)
	}
	rec := []string{strconv.Itoa(n), csvCell(row.FullName), birth, genderLabel(row.Gender, lang), csvCell(row.Unit), csvCell(row.Post),
		policyText(row.Policy, lang), intText(row.WorkMonths), num(decText(row.WorkYears)), msg.New("appraisal.rounding").Render(lang),
		num(decText(row.Coefficient)), num(decText(row.Rate)), num(row.Base.String()), num(decText(row.Allowance)),
		intText(row.MonthsCounted)}
	for i := range appraisalComponents {
		rec = append(rec, num(decText(row.Multiple[i])), num(decText(row.Amount[i])))
	}
	return append(rec, num(row.Other.String()), num(row.Total.String()), csvCell(row.Note))
}

func writeAppraisalCSV(w http.ResponseWriter, filename string, rows []appraisalRow, lang msg.Lang) error {
	records := [][]string{headers(appraisalHeaders, lang)}
	total := decimal.Zero
	for i, row := range rows {
		records = append(records, row.csvRecord(i+1, lang))
		total = total.Add(row.Total)
	}
	last := make([]string, len(appraisalHeaders))
	last[1], last[24] = pick(lang == msg.VI, "Total", "Tổng cộng"), total.String()
	if lang == msg.VI {
		last[24] = viNumber(last[24])
	}
	return sendCSV(w, filename, append(records, last))
}

// appraisalWidths are the workbook's column widths, A to Z.
var appraisalWidths = []float64{6, 26, 12, 8, 28, 28, 26, 10, 12, 22, 10, 9, 14, 16, 10, 12, 16, 12, 16, 12, 16, 12, 16, 14, 16, 40}

func writeAppraisalXLSX(w http.ResponseWriter, filename, title string, rows []appraisalRow, lang msg.Lang) error {
	return sendSheet(w, filename, func(f *excelize.File, sw *excelize.StreamWriter) error {
		// The header has a rule under it (not the allowance reports' shading), and the names stay in view.
		st := newStyles(f, lang, excelize.Style{Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}})
		if err := workbookHead(sw, st.title, st.head, title, headers(appraisalHeaders, lang), appraisalWidths,
			&excelize.Panes{Freeze: true, YSplit: 2, XSplit: 2, TopLeftCell: "C3", ActivePane: "bottomRight"}); err != nil {
			return err
		}
		for i, row := range rows {
			if err := sw.SetRow("A"+strconv.Itoa(i+3), row.xlsxCells(i+1, i+3, st, lang)); err != nil {
				return err
			}
		}
		return sw.SetRow("A"+strconv.Itoa(len(rows)+3),
			sumRow(len(appraisalHeaders), len(rows), st.total, lang, "Q", "S", "U", "W", "X", "Y"))
	})
}

// xlsxCells is a row of the workbook: inputs as values, amounts as formulas over them with the service's
// amount as the cached value (what Excel shows before it recalculates, and what it recalculates to).
func (row appraisalRow) xlsxCells(n, r int, st xlsxStyles, lang msg.Lang) []any {
	ref := func(col string) string { return col + strconv.Itoa(r) }
	num := func(d *decimal.Decimal, style int) any {
		if d == nil {
			return nil
		}
		return excelize.Cell{StyleID: style, Value: d.InexactFloat64()}
	}
	formula := func(d *decimal.Decimal, f string) any {
		if d == nil {
			return nil
		}
		return excelize.Cell{StyleID: st.money, Value: d.InexactFloat64(), Formula: f}
	}
	cells := []any{n, row.FullName, excelize.Cell{StyleID: st.date, Value: row.BirthDate.Time}, genderLabel(row.Gender, lang),
		row.Unit, row.Post, policyText(row.Policy, lang), nil, nil, msg.New("appraisal.rounding").Render(lang),
		num(row.Coefficient, st.number), num(row.Rate, st.number), excelize.Cell{StyleID: st.money, Value: row.Base.InexactFloat64()},
		num(row.Allowance, st.money), nil}
	if row.WorkMonths != nil {
		h := ref("H")
		cells[7] = *row.WorkMonths
		// The ½-year rule: 1–6 odd months count as ½ year, more than 6 as a whole year.
		cells[8] = excelize.Cell{StyleID: st.number, Value: yearsValue(row.WorkYears),
			Formula: fmt.Sprintf("IF(MOD(%[1]s,12)=0,%[1]s/12,IF(MOD(%[1]s,12)<=6,INT(%[1]s/12)+0.5,INT(%[1]s/12)+1))", h)}
	}
	if row.Allowance != nil && row.Coefficient != nil {
		cells[13] = formula(row.Allowance, fmt.Sprintf("ROUND(%s/100*%s*%s,0)", ref("L"), ref("K"), ref("M")))
	}
	if row.MonthsCounted != nil {
		cells[14] = *row.MonthsCounted
	}
	for i, c := range appraisalComponents {
		mc := ref(appraisalMultipleCol[i])
		f := fmt.Sprintf("ROUND(%s*%s,0)", mc, ref("N"))
		switch c.per {
		case "months":
			f = fmt.Sprintf("ROUND(%s*%s*%s,0)", mc, ref("N"), ref("O"))
		case "years":
			f = fmt.Sprintf("ROUND(%s*%s*%s,0)", mc, ref("N"), ref("I"))
		}
		cells = append(cells, num(row.Multiple[i], st.number), formula(row.Amount[i], f))
	}
	total := row.Total
	cells = append(cells, excelize.Cell{StyleID: st.money, Value: row.Other.InexactFloat64()},
		formula(&total, fmt.Sprintf("SUM(%s,%s,%s,%s,%s)", ref("Q"), ref("S"), ref("U"), ref("W"), ref("X"))), row.Note)
	return cells
}

func yearsValue(y *decimal.Decimal) any {
	if y == nil {
		return nil
	}
	return y.InexactFloat64()
}
