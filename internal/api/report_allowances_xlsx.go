package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"communehr/internal/msg"
	"communehr/internal/policy"
)

// The allowance reports as workbooks an appraiser recomputes (issue 13 item 1): every post's allowance is
// ROUND(rate/100 × coefficient × base salary, 0) over its own cells (an amount of the province's own stays
// a value), a unit's paid total is the SUM of its posts, its Decree 33 fund ROUND(multiple × base salary,
// 0), the difference fund − paid, and the report's totals SUMs. The province report keeps its columns
// (A–N, as the CSV) and adds the fund multiple and the base salary (O, P); its posts are on a second sheet
// that the paid column SUMs. A commune's or hamlet's report lists its posts with the same formulas.

// xlsxStyles are the cell styles of these workbooks.
type xlsxStyles struct{ title, head, money, number, text, total, date int }

func newXLSXStyles(f *excelize.File, lang msg.Lang) xlsxStyles {
	return newStyles(f, lang, excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
}

// newStyles are the workbook's styles with the header bold, wrapped and centred, shaded or bordered as
// head says.
func newStyles(f *excelize.File, lang msg.Lang, head excelize.Style) xlsxStyles {
	var s xlsxStyles
	dateFmt := "yyyy-mm-dd"
	if lang == msg.VI {
		dateFmt = "dd/mm/yyyy"
	}
	s.date, _ = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	s.title, _ = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	head.Font = &excelize.Font{Bold: true}
	head.Alignment = &excelize.Alignment{WrapText: true, Horizontal: "center", Vertical: "center"}
	s.head, _ = f.NewStyle(&head)
	s.money, _ = f.NewStyle(&excelize.Style{NumFmt: 3})
	s.number, _ = f.NewStyle(&excelize.Style{NumFmt: 0})
	s.text, _ = f.NewStyle(&excelize.Style{NumFmt: 49})
	s.total, _ = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 3})
	return s
}

// postRowCells is one post of a detail table: its coefficient, rate and base salary, and the amount as
// the formula over them (cols names the coefficient, rate, base and amount columns).
func postRowCells(it postItem, row int, cols [4]string, st xlsxStyles) (coef, rate, base, amount any) {
	amount = excelize.Cell{StyleID: st.money, Value: it.Amount.InexactFloat64()}
	c, rt, b := payrollLine{item: it}.parts()
	if c == "" {
		return nil, nil, nil, amount
	}
	cf, _ := strconv.ParseFloat(c, 64)
	rf, _ := strconv.ParseFloat(rt, 64)
	bf, _ := strconv.ParseFloat(b, 64)
	r := strconv.Itoa(row)
	return cf, rf, excelize.Cell{StyleID: st.money, Value: bf}, excelize.Cell{StyleID: st.money, Value: it.Amount.InexactFloat64(),
		Formula: fmt.Sprintf("ROUND(%s%s/100*%s%s*%s%s,0)", cols[1], r, cols[0], r, cols[2], r)}
}

// fundMultiple is a fund as a multiple of the base salary, when the fund is exactly that multiple (every
// Decree 33 fund is: 21.0, 18.0, 15.0 × base for a commune plus 1.5 per extra worker, 6.0 or 4.5 for a
// hamlet).
func fundMultiple(fund *decimal.Decimal, base decimal.Decimal) *decimal.Decimal {
	if fund == nil || base.IsZero() {
		return nil
	}
	m := fund.DivRound(base, 4)
	if !m.Mul(base).Round(0).Equal(*fund) {
		return nil
	}
	return &m
}

// wantsXLSX reports whether the request asked for a workbook (format=xlsx, or Accept; exportNegotiation).
func wantsXLSX(w http.ResponseWriter) bool {
	ew, ok := w.(*exportWriter)
	return ok && ew.prefs.xlsx
}

// sendWorkbook sends a finished workbook, marked for a full recalculation when it is opened: the cached
// values are the service's, and a cell without one (a rule shown for a row that does not use it) is filled.
func sendWorkbook(w http.ResponseWriter, f *excelize.File, filename string) error {
	full := true
	if err := f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &full}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsxMediaType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filename))
	w.WriteHeader(http.StatusOK)
	return f.Write(w)
}

// sendSheet builds a one-sheet workbook with excelize's stream writer (fill writes the sheet: rows go to a
// temporary file, not memory) and sends it as sendWorkbook does.
func sendSheet(w http.ResponseWriter, filename string, fill func(*excelize.File, *excelize.StreamWriter) error) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	if err := fill(f, sw); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return sendWorkbook(w, f, filename)
}

// headerRow writes the title in A1 and the header in row 2, and freezes both.
func headerRow(sw *excelize.StreamWriter, st xlsxStyles, title string, head []string, widths []float64) error {
	return workbookHead(sw, st.title, st.head, title, head, widths, frozenHeader())
}

// frozenHeader freezes the title and header rows.
func frozenHeader() *excelize.Panes {
	return &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}
}

// workbookHead starts a sheet: the column widths, the frozen panes, the title in A1 (style titleStyle) and
// the header in row 2 (headStyle).
func workbookHead(sw *excelize.StreamWriter, titleStyle, headStyle int, title string, head []string, widths []float64, panes *excelize.Panes) error {
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(panes); err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: titleStyle, Value: title}}); err != nil {
		return err
	}
	hr := make([]any, len(head))
	for i, h := range head {
		hr[i] = excelize.Cell{StyleID: headStyle, Value: h}
	}
	return sw.SetRow("A2", hr)
}

// unitHeaders are the columns of a commune's or hamlet's report (vi, en).
var unitHeaders = [][2]string{{"STT", "No."}, {"Họ và tên", "Full name"}, {"Chức danh", "Post"}, {"Kiêm nhiệm", "Concurrent"},
	{"Căn cứ mức", "Source of the amount"}, {"Hệ số", "Coefficient"}, {"Tỷ lệ hưởng (%)", "Rate (%)"},
	{"Mức lương cơ sở (đồng)", "Base salary (VND)"}, {"Số tiền (đồng)", "Amount (VND)"}, {"Căn cứ pháp lý", "Legal basis"}}

// citationIn is a citation as the reader's language cites law.
func citationIn(c policy.Citation, lang msg.Lang) string {
	if lang == msg.VI {
		return c.VI()
	}
	return c.EN()
}

func headers(h [][2]string, lang msg.Lang) []string {
	out := make([]string, len(h))
	for i, x := range h {
		out[i] = x[1]
		if lang == msg.VI {
			out[i] = x[0]
		}
	}
	return out
}

func yesNoText(b bool, lang msg.Lang) string {
	if lang == msg.VI {
		return pick(b, "Không", "Có")
	}
	return strconv.FormatBool(b)
}

// writeUnitAllowancesXLSX is a commune's or hamlet's report: its posts with their formulas, the paid
// total (SUM), the fund (multiple × base salary) and the difference, then who left under a decision.
func writeUnitAllowancesXLSX(w http.ResponseWriter, filename string, u unitAllowanceReport, base decimal.Decimal, lang msg.Lang) error {
	return sendSheet(w, filename, func(f *excelize.File, sw *excelize.StreamWriter) error {
		st := newXLSXStyles(f, lang)
		title := fmt.Sprintf("%s (%s), %s", u.Name, u.Code, u.AsOf.String())
		if err := headerRow(sw, st, title, headers(unitHeaders, lang), []float64{6, 28, 34, 11, 16, 9, 10, 14, 16, 40}); err != nil {
			return err
		}
		cols := [4]string{"F", "G", "H", "I"}
		for i, it := range u.Posts {
			r := i + 3
			coef, rate, b, amount := postRowCells(it, r, cols, st)
			cells := []any{i + 1, it.FullName, it.TitleVI, yesNoText(it.Concurrent, lang), it.Source, coef, rate, b, amount, citationIn(it.Line.Citation, lang)}
			if err := sw.SetRow("A"+strconv.Itoa(r), cells); err != nil {
				return err
			}
		}
		return unitTotalsXLSX(sw, u, base, lang, st)
	})
}

// unitTotalsXLSX writes the paid, fund and difference rows and the people who left.
func unitTotalsXLSX(sw *excelize.StreamWriter, u unitAllowanceReport, base decimal.Decimal, lang msg.Lang, st xlsxStyles) error {
	paidRow := len(u.Posts) + 3
	paid := excelize.Cell{StyleID: st.total, Value: u.Paid.InexactFloat64()}
	if len(u.Posts) > 0 {
		paid.Formula = fmt.Sprintf("SUM(I3:I%d)", paidRow-1)
	}
	rows := [][]any{{nil, pick(lang == msg.VI, "Total paid", "Tổng cộng (đã chi)"), nil, nil, nil, nil, nil, nil, paid}}
	if m := fundMultiple(u.Fund, base); m != nil {
		rows = append(rows, []any{nil, pick(lang == msg.VI, "Allowance fund (Decree 33/2023)", "Quỹ phụ cấp (Nghị định 33/2023/NĐ-CP)"),
			nil, nil, nil, m.InexactFloat64(), nil, excelize.Cell{StyleID: st.money, Value: base.InexactFloat64()},
			excelize.Cell{StyleID: st.total, Value: u.Fund.InexactFloat64(), Formula: fmt.Sprintf("ROUND(F%[1]d*H%[1]d,0)", paidRow+1)}},
			[]any{nil, pick(lang == msg.VI, "Difference (fund − paid)", "Chênh lệch (quỹ − đã chi)"), nil, nil, nil, nil, nil, nil,
				excelize.Cell{StyleID: st.total, Value: u.Difference.InexactFloat64(), Formula: fmt.Sprintf("I%d-I%d", paidRow+1, paidRow)}})
	} else if u.FundNote != nil {
		rows = append(rows, []any{nil, pick(lang == msg.VI, "Allowance fund", "Quỹ phụ cấp"), nil, nil, nil, nil, nil, nil, nil, *u.FundNote})
	}
	for _, l := range u.LeftUnderDecision {
		rows = append(rows, []any{nil, l.FullName, nil, nil, nil, nil, nil, nil, nil, l.note(lang)})
	}
	for i, row := range rows {
		if err := sw.SetRow("A"+strconv.Itoa(paidRow+i), row); err != nil {
			return err
		}
	}
	return nil
}
