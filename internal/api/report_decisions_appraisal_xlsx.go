package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"communehr/internal/msg"
)

// The decisions' appraisal list as CSV and as a workbook whose amounts are formulas over the row's inputs:
// L = ROUND(K × H × I) within 12 months, N = ROUND(M × H × I) from month 13, P = ROUND(O × H × J) per year,
// R = ROUND(Q × H) and T = ROUND(S × H) as months of salary or allowance, V = SUM of the amounts.

var decisionHeaders = [][2]string{
	{"STT", "No."}, {"Họ và tên", "Full name"}, {"Chế độ áp dụng", "Policy applied"}, {"Trạng thái", "Status"},
	{"Ngày quyết định sắp xếp", "Reorganisation decision date"}, {"Ngày nghỉ việc", "First day out"},
	{"Thời điểm nghỉ so với quyết định sắp xếp", "Leaving, counted from the decision"},
	{"Tiền lương hoặc phụ cấp tháng hiện hưởng (đồng)", "Current monthly salary or allowance (VND)"},
	{"Số tháng tính trợ cấp", "Months counted"}, {"Số năm tính trợ cấp (đã làm tròn)", "Years counted (rounded)"},
	{"Trong 12 tháng đầu: mức hưởng (lần tiền lương/phụ cấp)", "Within 12 months: multiple"},
	{"Trong 12 tháng đầu: số tiền (đồng)", "Within 12 months: amount (VND)"},
	{"Từ tháng thứ 13: mức hưởng (lần tiền lương/phụ cấp)", "From month 13: multiple"},
	{"Từ tháng thứ 13: số tiền (đồng)", "From month 13: amount (VND)"},
	{"Theo số năm: mức hưởng mỗi năm", "Per year: multiple"}, {"Theo số năm: số tiền (đồng)", "Per year: amount (VND)"},
	{"Khoản thứ nhất: số tháng tiền lương/phụ cấp", "First lump: months of pay"}, {"Khoản thứ nhất: số tiền (đồng)", "First lump: amount (VND)"},
	{"Khoản thứ hai: số tháng tiền lương/phụ cấp", "Second lump: months of pay"}, {"Khoản thứ hai: số tiền (đồng)", "Second lump: amount (VND)"},
	{"Khoản khác (đồng)", "Other (VND)"}, {"Tổng số tiền (đồng)", "Total (VND)"},
}

func (row decisionRow) comps() []*component {
	return []*component{row.Within, row.After, row.PerYear, row.Lump[0], row.Lump[1]}
}

func (row decisionRow) csvRecord(n int, lang msg.Lang) []string {
	num := func(s string) string {
		if lang == msg.VI {
			return viNumber(s)
		}
		return s
	}
	rec := []string{strconv.Itoa(n), csvCell(row.FullName), policyText(row.Policy, lang), msg.New("decision.status." + row.Status).Render(lang),
		dateText(row.DecisionDate, lang), dateText(row.ExitDate, lang), splitText(row.Split, lang), num(row.Monthly.String()),
		intText(row.Months), num(decText(row.Years))}
	for _, c := range row.comps() {
		rec = append(rec, num(compText(c, false)), num(compText(c, true)))
	}
	return append(rec, num(row.Other.String()), num(row.Total.String()))
}

func writeDecisionAppraisalCSV(w http.ResponseWriter, filename string, rows []decisionRow, lang msg.Lang) error {
	records := [][]string{headers(decisionHeaders, lang)}
	total := decimal.Zero
	for i, row := range rows {
		records = append(records, row.csvRecord(i+1, lang))
		total = total.Add(row.Total)
	}
	last := make([]string, len(decisionHeaders))
	last[1], last[len(last)-1] = pick(lang == msg.VI, "Total", "Tổng cộng"), total.String()
	return sendCSV(w, filename, append(records, last))
}

// decisionFormulas are each component's amount formula over the row's cells (%[1]s is the row number).
var decisionFormulas = []string{"ROUND(K%[1]s*H%[1]s*I%[1]s,0)", "ROUND(M%[1]s*H%[1]s*I%[1]s,0)", "ROUND(O%[1]s*H%[1]s*J%[1]s,0)",
	"ROUND(Q%[1]s*H%[1]s,0)", "ROUND(S%[1]s*H%[1]s,0)"}

func (row decisionRow) xlsxCells(n int, r string, st xlsxStyles, lang msg.Lang) []any {
	date := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return excelize.Cell{StyleID: st.date, Value: *t}
	}
	cells := []any{n, row.FullName, policyText(row.Policy, lang), msg.New("decision.status." + row.Status).Render(lang),
		date(row.DecisionDate), date(row.ExitDate), splitText(row.Split, lang),
		excelize.Cell{StyleID: st.money, Value: row.Monthly.InexactFloat64()}, nil, nil}
	if row.Months != nil {
		cells[8] = *row.Months
	}
	if row.Years != nil {
		cells[9] = row.Years.InexactFloat64()
	}
	for i, c := range row.comps() {
		if c == nil {
			cells = append(cells, nil, nil)
			continue
		}
		cells = append(cells, c.Multiple.InexactFloat64(),
			excelize.Cell{StyleID: st.money, Value: c.Amount.InexactFloat64(), Formula: fmt.Sprintf(decisionFormulas[i], r)})
	}
	return append(cells, excelize.Cell{StyleID: st.money, Value: row.Other.InexactFloat64()},
		excelize.Cell{StyleID: st.money, Value: row.Total.InexactFloat64(), Formula: fmt.Sprintf("SUM(L%[1]s,N%[1]s,P%[1]s,R%[1]s,T%[1]s,U%[1]s)", r)})
}

func writeDecisionAppraisalXLSX(w http.ResponseWriter, filename, title string, rows []decisionRow, lang msg.Lang) error {
	return sendSheet(w, filename, func(f *excelize.File, sw *excelize.StreamWriter) error {
		st := newXLSXStyles(f, lang)
		widths := []float64{6, 26, 28, 12, 12, 12, 24, 16, 10, 10, 12, 16, 12, 16, 12, 16, 12, 16, 12, 16, 14, 16}
		if err := headerRow(sw, st, title, headers(decisionHeaders, lang), widths); err != nil {
			return err
		}
		for i, row := range rows {
			r := strconv.Itoa(i + 3)
			if err := sw.SetRow("A"+r, row.xlsxCells(i+1, r, st, lang)); err != nil {
				return err
			}
		}
		return sw.SetRow("A"+strconv.Itoa(len(rows)+3), sumRow(len(decisionHeaders), len(rows), st.total, lang, "L", "N", "P", "R", "T", "U", "V"))
	})
}
