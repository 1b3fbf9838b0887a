package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// The monthly payroll list of a commune (danh sách chi trả phụ cấp, issue 13 item 6): one row per person
// and post of the commune and its hamlets in force on as_of, with the CCCD, the unit, the post, the
// coefficient, the rate, the base salary, the amount and an empty column to sign. In the workbook the
// amount is a formula (rate × coefficient × base salary, rounded to the đồng) an appraiser can follow, and
// the total a SUM.

// GET /v1/provinces/{province}/exports/payroll/{commune}
func (s *Server) exportPayroll(w http.ResponseWriter, r *http.Request) error {
	asOf, err := s.asOfParam(r)
	if err != nil {
		return err
	}
	format, err := tableFormat(r)
	if err != nil {
		return err
	}
	p := principalFrom(r.Context())
	province, code := chi.URLParam(r, "province"), chi.URLParam(r, "commune")
	lines, err := s.payrollLines(r, p, province, code, asOf)
	if err != nil {
		return err
	}
	nids, err := s.payrollNIDs(r, p, province, code)
	if err != nil {
		return err
	}
	vi := vietnamese(r)
	header := []string{"No.", "Full name", "CCCD", "Unit", "Post", "Coefficient", "Rate (%)", "Base salary", "Amount", "Signature"}
	if vi {
		header = []string{"STT", "Họ và tên", "Số CCCD", "Đơn vị", "Chức danh", "Hệ số", "Tỷ lệ hưởng (%)", "Mức lương cơ sở (đồng)", "Số tiền (đồng)", "Ký nhận"}
	}
	name := fmt.Sprintf("payroll-%s-%s-%s", province, code, asOf.String())
	title := pick(vi, fmt.Sprintf("Payroll of allowances, %s, as of %s", code, asOf.String()),
		fmt.Sprintf("DANH SÁCH CHI TRẢ PHỤ CẤP, %s, ngày %s", code, toTime(asOf).Format("02/01/2006")))
	if format == "xlsx" {
		return writePayrollXLSX(w, name+".xlsx", title, header, lines, nids, vi)
	}
	delim := ','
	if ew, ok := w.(*exportWriter); ok {
		delim = ew.prefs.delim
	}
	return writePayrollCSV(w, name+".csv", delim, header, lines, nids, vi)
}

// payrollLines are the commune's paid posts on the date, the commune's own then its hamlets', as the
// allowance report computes them; ErrNotFound when the commune is not in the province.
func (s *Server) payrollLines(r *http.Request, p store.Principal, province, code string, asOf policy.Date) ([]payrollLine, error) {
	d, err := s.store.AllowanceData(r.Context(), p, province, toTime(asOf).Time, store.UnitScope{CommuneCode: code})
	if err != nil {
		return nil, err
	}
	items, funds := map[string][]postItem{}, map[string]any{}
	rep, err := buildReport(province, asOf, d, items, funds, langOf(r))
	if err != nil {
		return nil, err
	}
	var lines []payrollLine
	found := false
	for _, c := range rep.Communes {
		if c.Code != code {
			continue
		}
		found = true
		for _, it := range items["c:"+code] {
			lines = append(lines, payrollLine{unit: c.Name, item: it})
		}
		for _, h := range c.Hamlets {
			for _, it := range items["h:"+h.Code] {
				lines = append(lines, payrollLine{unit: h.Name, item: it})
			}
		}
	}
	if !found {
		return nil, errNotFound()
	}
	return lines, nil
}

// payrollNIDs are the CCCDs of the commune's people by id (masked for a viewer).
func (s *Server) payrollNIDs(r *http.Request, p store.Principal, province, code string) (map[string]string, error) {
	nids := map[string]string{}
	after := ""
	for {
		page, err := s.store.ListCadres(r.Context(), p, province, store.CadreFilter{CommuneCode: code, After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, c := range page {
			nids[c.ID] = c.NationalID
			if masksNationalID(p) {
				nids[c.ID] = store.MaskNationalID(c.NationalID)
			}
		}
		if len(page) < 1000 {
			return nids, nil
		}
		after = page[len(page)-1].ID
	}
}

// writePayrollCSV writes the payroll as CSV, with its total (numbers written the Vietnamese way in a
// Vietnamese file).
func writePayrollCSV(w http.ResponseWriter, filename string, delim rune, header []string, lines []payrollLine, nids map[string]string, vi bool) error {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	cw.Comma = delim
	_ = cw.Write(header)
	total := decimal.Zero
	num := func(s string) string {
		if vi {
			return viNumber(s)
		}
		return s
	}
	for i, l := range lines {
		coef, rate, base := l.parts()
		total = total.Add(l.item.Amount)
		_ = cw.Write([]string{strconv.Itoa(i + 1), csvCell(l.item.FullName), nids[l.item.CadreID], csvCell(l.unit), l.item.TitleVI,
			num(coef), num(rate), num(base), num(l.item.Amount.String()), ""})
	}
	_ = cw.Write([]string{"", pick(vi, "Total", "Tổng cộng"), "", "", "", "", "", "", num(total.String()), ""})
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filename))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
	return nil
}

type payrollLine struct {
	unit string
	item postItem
}

// allowanceFormula reads the calculator's formula: "[rate% × ]coefficient × base".
var allowanceFormula = regexp.MustCompile(`^(?:([0-9.]+)% × )?([0-9.]+) × ([0-9,]+)$`)

// parts are the coefficient, the rate (%) and the base salary of a post's allowance, "" when the amount
// is not a coefficient of the base salary (the province's own amount).
func (l payrollLine) parts() (coef, rate, base string) {
	m := allowanceFormula.FindStringSubmatch(strings.TrimSpace(l.item.Line.Formula))
	if m == nil {
		return "", "", ""
	}
	rate = m[1]
	if rate == "" {
		rate = "100"
	}
	return m[2], rate, strings.ReplaceAll(m[3], ",", "")
}

// writePayrollXLSX answers the payroll list as a workbook: the title, the header (frozen above the
// rows), a row per line (payrollRow), and the total as a SUM over the amounts.
func writePayrollXLSX(w http.ResponseWriter, filename, title string, header []string, lines []payrollLine, nids map[string]string, vi bool) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Horizontal: "center", Vertical: "center"},
		Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}})
	money, _ := f.NewStyle(&excelize.Style{NumFmt: 3})
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
	totalStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 3})
	for i, wd := range []float64{6, 28, 16, 24, 34, 9, 10, 14, 14, 16} {
		_ = sw.SetColWidth(i+1, i+1, wd)
	}
	_ = sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: title}}); err != nil {
		return err
	}
	hr := make([]any, len(header))
	for i, h := range header {
		hr[i] = excelize.Cell{StyleID: head, Value: h}
	}
	if err := sw.SetRow("A2", hr); err != nil {
		return err
	}
	for i, l := range lines {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := sw.SetRow(cell, payrollRow(i, l, nids, money, text)); err != nil {
			return err
		}
	}
	last := len(lines) + 3
	cell, _ := excelize.CoordinatesToCellName(1, last)
	total := []any{nil, excelize.Cell{StyleID: totalStyle, Value: pick(vi, "Total", "Tổng cộng")}, nil, nil, nil, nil, nil, nil,
		excelize.Cell{StyleID: totalStyle, Formula: fmt.Sprintf("SUM(I3:I%d)", max(3, last-1))}}
	if err := sw.SetRow(cell, total); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsxMediaType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filename))
	w.WriteHeader(http.StatusOK)
	return f.Write(w)
}

// payrollRow is the cells of lines[i] on the sheet's row i+3: its number, the person, the ID number as
// text, the unit, the post and, for an allowance figured on the base salary, its coefficient, rate and
// base with the amount as a formula over them (its value the amount computed).
func payrollRow(i int, l payrollLine, nids map[string]string, money, text int) []any {
	row := i + 3
	coef, rate, base := l.parts()
	var c, rt, b, amount any
	amount = excelize.Cell{StyleID: money, Value: l.item.Amount.InexactFloat64()}
	if coef != "" {
		cf, _ := strconv.ParseFloat(coef, 64)
		rf, _ := strconv.ParseFloat(rate, 64)
		bf, _ := strconv.ParseFloat(base, 64)
		c, rt, b = cf, rf, excelize.Cell{StyleID: money, Value: bf}
		// allowance = rate × coefficient × base salary, to the đồng (the value is what Excel recomputes)
		amount = excelize.Cell{StyleID: money, Value: l.item.Amount.InexactFloat64(),
			Formula: fmt.Sprintf("ROUND(G%d/100*F%d*H%d,0)", row, row, row)}
	}
	return []any{i + 1, l.item.FullName, excelize.Cell{StyleID: text, Value: nids[l.item.CadreID]}, l.unit,
		l.item.TitleVI, c, rt, b, amount, nil}
}
