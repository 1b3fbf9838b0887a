package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"communehr/internal/msg"
)

// The province's allowance report as a workbook (report_allowances_xlsx.go): a row per commune and per
// hamlet with the CSV's columns, the fund a formula over its multiple and the base salary, the paid
// amount the SUM of the unit's posts on the detail sheet, each post's allowance a formula.

// detailCols are the detail sheet's coefficient, rate, base salary and amount columns.
var detailCols = [4]string{"G", "H", "I", "J"}

var detailHeaders = [][2]string{{"STT", "No."}, {"Mã đơn vị", "Unit code"}, {"Đơn vị", "Unit"}, {"Họ và tên", "Full name"},
	{"Chức danh", "Post"}, {"Kiêm nhiệm", "Concurrent"}, {"Hệ số", "Coefficient"}, {"Tỷ lệ hưởng (%)", "Rate (%)"},
	{"Mức lương cơ sở (đồng)", "Base salary (VND)"}, {"Số tiền (đồng)", "Amount (VND)"}, {"Căn cứ pháp lý", "Legal basis"}}

// detailLine is one post on the detail sheet.
type detailLine struct {
	code, unit string
	item       postItem
}

// detailRange is where a unit's posts are on the detail sheet (rows from..to; none when to < from).
type detailRange struct{ from, to int }

// provinceDetail lays the report's posts out unit by unit, in the report's order.
func provinceDetail(rep allowanceReport, items map[string][]postItem) ([]detailLine, map[string]detailRange) {
	var lines []detailLine
	ranges := map[string]detailRange{}
	add := func(key, code, name string) {
		from := len(lines) + 3
		for _, it := range items[key] {
			lines = append(lines, detailLine{code: code, unit: name, item: it})
		}
		ranges[key] = detailRange{from, len(lines) + 2}
	}
	for _, c := range rep.Communes {
		add("c:"+c.Code, c.Code, c.Name)
		for _, h := range c.Hamlets {
			add("h:"+h.Code, h.Code, h.Name)
		}
	}
	return lines, ranges
}

func writeProvinceAllowancesXLSX(w http.ResponseWriter, filename string, rep allowanceReport, items map[string][]postItem, lang msg.Lang) error {
	f := excelize.NewFile()
	defer f.Close()
	st := newXLSXStyles(f, lang)
	lines, ranges := provinceDetail(rep, items)
	detail := pick(lang == msg.VI, "Details", "Chi tiết")
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	if err := writeProvinceUnits(sw, st, filename, rep, ranges, detail, lang); err != nil {
		return err
	}
	if _, err := f.NewSheet(detail); err != nil {
		return err
	}
	dw, err := f.NewStreamWriter(detail)
	if err != nil {
		return err
	}
	if err := headerRow(dw, st, detail, headers(detailHeaders, lang), []float64{6, 10, 24, 26, 34, 11, 9, 10, 14, 16, 40}); err != nil {
		return err
	}
	for i, l := range lines {
		r := i + 3
		coef, rate, base, amount := postRowCells(l.item, r, detailCols, st)
		if err := dw.SetRow("A"+strconv.Itoa(r), []any{i + 1, excelize.Cell{StyleID: st.text, Value: l.code}, l.unit, l.item.FullName,
			l.item.TitleVI, yesNoText(l.item.Concurrent, lang), coef, rate, base, amount, citationIn(l.item.Line.Citation, lang)}); err != nil {
			return err
		}
	}
	if err := dw.Flush(); err != nil {
		return err
	}
	return sendWorkbook(w, f, filename)
}

// provinceHeader is the CSV's header (Vietnamese with lang=vi) and the fund multiple and base salary.
func provinceHeader(lang msg.Lang) []string {
	out := make([]string, 0, len(allowanceCSVHeader)+2)
	for _, h := range allowanceCSVHeader {
		if lang == msg.VI && exportHeadersVI[h] != "" {
			h = exportHeadersVI[h]
		}
		out = append(out, h)
	}
	return append(out, pick(lang == msg.VI, "fund_multiple", "Hệ số quỹ (lần mức lương cơ sở)"),
		pick(lang == msg.VI, "base_salary", "Mức lương cơ sở (đồng)"))
}

// writeProvinceUnits writes the units' sheet: a row per commune and hamlet, the total row, then who left
// under a decision.
func writeProvinceUnits(sw *excelize.StreamWriter, st xlsxStyles, filename string, rep allowanceReport, ranges map[string]detailRange,
	detail string, lang msg.Lang) error {
	title := filename[:len(filename)-len(".xlsx")]
	if err := headerRow(sw, st, title, provinceHeader(lang), []float64{10, 10, 10, 28, 12, 9, 9, 14, 16, 16, 16, 9, 9, 30, 12, 14}); err != nil {
		return err
	}
	p := exportPrefs{vi: lang == msg.VI}
	r := 3
	for _, c := range rep.Communes {
		u := unitRow{level: "commune", commune: c.Code, name: c.Name, kind: c.Kind, class: strconv.Itoa(c.Class), fig: c.unitFigures}
		if err := sw.SetRow("A"+strconv.Itoa(r), u.cells(r, p, st, rep.BaseSalary, ranges["c:"+c.Code], detail)); err != nil {
			return err
		}
		r++
		for _, h := range c.Hamlets {
			u := unitRow{level: "hamlet", commune: c.Code, hamlet: h.Code, name: h.Name, kind: h.Kind, households: strconv.Itoa(h.Households),
				fig: h.unitFigures}
			if h.Category != nil {
				u.category = *h.Category
			}
			if err := sw.SetRow("A"+strconv.Itoa(r), u.cells(r, p, st, rep.BaseSalary, ranges["h:"+h.Code], detail)); err != nil {
				return err
			}
			r++
		}
	}
	total := make([]any, 16)
	total[0] = excelize.Cell{StyleID: st.total, Value: pick(lang == msg.VI, "Total", "Tổng cộng")}
	for _, col := range []string{"I", "J", "K", "M"} {
		n, _ := excelize.ColumnNameToNumber(col)
		total[n-1] = excelize.Cell{StyleID: st.total, Formula: fmt.Sprintf("SUM(%[1]s3:%[1]s%d)", col, max(3, r-1))}
	}
	if err := sw.SetRow("A"+strconv.Itoa(r), total); err != nil {
		return err
	}
	for _, l := range rep.LeftUnderDecision {
		r++
		if err := sw.SetRow("A"+strconv.Itoa(r), []any{pick(p.vi, "left_under_decision", "Nghỉ việc theo quyết định"), nil, nil, l.FullName,
			nil, nil, nil, nil, nil, nil, nil, nil, nil, l.note(lang)}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// unitRow is one commune or hamlet of the units' sheet.
type unitRow struct {
	level, commune, hamlet, name, kind, class, households, category string
	fig                                                             unitFigures
}

func (u unitRow) cells(r int, p exportPrefs, st xlsxStyles, base decimal.Decimal, rg detailRange, detail string) []any {
	row := strconv.Itoa(r)
	num := func(s string) any {
		if s == "" {
			return nil
		}
		n, _ := strconv.Atoi(s)
		return n
	}
	paid := excelize.Cell{StyleID: st.money, Value: u.fig.Paid.InexactFloat64()}
	if rg.to >= rg.from {
		paid.Formula = fmt.Sprintf("SUM('%s'!J%d:J%d)", detail, rg.from, rg.to)
	}
	var fund, diff, mult, baseCell, note any
	if u.fig.Fund != nil {
		fund = excelize.Cell{StyleID: st.money, Value: u.fig.Fund.InexactFloat64()}
		if m := fundMultiple(u.fig.Fund, base); m != nil {
			mult, baseCell = m.InexactFloat64(), excelize.Cell{StyleID: st.money, Value: base.InexactFloat64()}
			fund = excelize.Cell{StyleID: st.money, Value: u.fig.Fund.InexactFloat64(), Formula: "ROUND(O" + row + "*P" + row + ",0)"}
		}
		diff = excelize.Cell{StyleID: st.money, Value: u.fig.Difference.InexactFloat64(), Formula: "I" + row + "-J" + row}
	}
	if u.fig.FundNote != nil {
		note = *u.fig.FundNote
	}
	return []any{p.exportText("level", u.level, p.vi), excelize.Cell{StyleID: st.text, Value: u.commune},
		excelize.Cell{StyleID: st.text, Value: u.hamlet}, u.name, p.exportText("kind", u.kind, p.vi), num(u.class), num(u.households),
		p.exportText("category", u.category, p.vi), fund, paid, diff, yesNoText(u.fig.OverFund, msg.LangOf(p.vi)), u.fig.PostsFilled, note,
		mult, baseCell}
}
