package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"communehr/internal/msg"
	"communehr/internal/vnfmt"
)

// Exports in the reader's format and language (issue 13 item 4). Every table the API writes with
// writeCSV (the allowance reports, the national summary, an entitlement run's results) is also offered as
// an Excel workbook, chosen by `format=xlsx` or by `Accept`; `lang=vi` gives Vietnamese headers, labels
// instead of codes and Vietnamese number formats; `delimiter=;` gives the `;` CSV a Vietnamese-locale
// Excel opens directly.

// exportPrefs is what the request asked of an export.
type exportPrefs struct {
	xlsx  bool
	delim rune
	vi    bool // lang=vi in the query
}

// exportWriter carries the preferences to writeCSV.
type exportWriter struct {
	http.ResponseWriter
	prefs exportPrefs
}

func (e *exportWriter) Unwrap() http.ResponseWriter { return e.ResponseWriter }

// acceptedTable is the table type the Accept header prefers ("" when JSON or nothing in particular).
func acceptedTable(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "application/json", "application/problem+json", "*/*", "text/*", "application/*":
			return ""
		case "text/csv":
			return "csv"
		case xlsxMediaType:
			return "xlsx"
		}
	}
	return ""
}

// exportNegotiation wraps the response writer of a GET that asks for an xlsx table, a `;` CSV or
// lang=vi, and makes lang=vi the request's language (as Accept-Language: vi would).
func exportNegotiation(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.RawQuery == "" && r.Header.Get("Accept") == "" {
			next.ServeHTTP(w, r)
			return
		}
		q := r.URL.Query()
		p := exportPrefs{delim: ',', vi: q.Get("lang") == "vi"}
		p.xlsx = q.Get("format") == "xlsx" || q.Get("format") == "" && acceptedTable(r) == "xlsx"
		if q.Get("delimiter") == ";" {
			p.delim = ';'
		}
		if p.vi {
			r.Header.Set("Accept-Language", "vi")
		}
		if !p.xlsx && p.delim == ',' && !p.vi {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&exportWriter{ResponseWriter: w, prefs: p}, r)
	})
}

// tableFormat reads ?format= (and Accept when it is absent): json, csv or xlsx.
func tableFormat(r *http.Request) (string, error) {
	switch f := r.URL.Query().Get("format"); f {
	case "":
		if t := acceptedTable(r); t != "" {
			return t, nil
		}
		return "json", nil
	case "json", "csv", "xlsx":
		return f, nil
	}
	return "", queryError("format", "oneof", "must be json, csv or xlsx", "phải là json, csv hoặc xlsx")
}

// exportHeadersVI are the Vietnamese headers of the exported columns.
var exportHeadersVI = map[string]string{
	"level": "Cấp", "commune_code": "Mã xã", "hamlet_code": "Mã thôn", "name": "Tên đơn vị", "kind": "Loại",
	"class": "Phân loại", "households": "Số hộ", "category": "Phân loại thôn", "fund": "Quỹ phụ cấp (đồng)",
	"paid": "Đã chi (đồng)", "difference": "Chênh lệch (đồng)", "over_fund": "Vượt quỹ", "posts_filled": "Số chức danh",
	"fund_note": "Ghi chú quỹ", "assignment_id": "Mã phân công", "cadre_id": "Mã người", "full_name": "Họ và tên",
	"position_code": "Mã chức danh", "title_vi": "Chức danh", "concurrent": "Kiêm nhiệm", "source": "Căn cứ mức",
	"amount": "Số tiền (đồng)", "formula": "Cách tính", "citation": "Căn cứ pháp lý", "province": "Tỉnh",
	"section": "Mục", "key1": "Nhóm 1", "key2": "Nhóm 2", "count": "Số lượng", "people": "Số người",
	"monthly_allowance": "Phụ cấp hằng tháng (đồng)", "work_months": "Số tháng công tác", "policy": "Chính sách",
	"total": "Tổng số tiền (đồng)", "eligible": "Đủ điều kiện", "reason": "Lý do",
}

// exportValuesVI are the Vietnamese labels of the codes exported tables hold, by column.
var exportValuesVI = map[string]map[string]string{
	"kind": {"xa": "Xã", "phuong": "Phường", "thi_tran": "Thị trấn", "dac_khu": "Đặc khu", "thon": "Thôn",
		"to_dan_pho": "Tổ dân phố"},
	"level":    {"province": "Tỉnh", "commune": "Xã", "hamlet": "Thôn, tổ dân phố", "total": "Tổng cộng"},
	"category": {"large": "Thôn lớn", "small": "Thôn nhỏ", "key": "Thôn trọng điểm", "other": "Thôn khác"},
}

// moneyColumns are summed in a workbook's total row and formatted with thousands separators.
var moneyColumns = map[string]bool{"fund": true, "paid": true, "difference": true, "amount": true, "total": true,
	"monthly_allowance": true}

// exportText renders a cell for the reader: labels instead of codes and yes/no in Vietnamese, and with
// lang=vi in a CSV the Vietnamese number format ("2.340.000", "76,57").
func (p exportPrefs) exportText(col, v string, viLabels bool) string {
	if !viLabels {
		return v
	}
	if l, ok := exportValuesVI[col][v]; ok {
		return l
	}
	switch v {
	case "true":
		return "Có"
	case "false":
		return "Không"
	}
	return v
}

// viNumber writes a cell's number the Vietnamese way, as the console does (vnfmt.Text); a code with
// leading zeros stays as it is.
func viNumber(v string) string { return vnfmt.Text(v) }

// write renders the table as the request asked: an xlsx workbook, or CSV with its delimiter and language.
func (e *exportWriter) write(filename string, header []string, rows [][]string) error {
	vi := e.prefs.vi
	head := make([]string, len(header))
	for i, h := range header {
		head[i] = h
		if vi && exportHeadersVI[h] != "" {
			head[i] = exportHeadersVI[h]
		}
	}
	if e.prefs.xlsx {
		return writeXLSXTable(e.ResponseWriter, strings.TrimSuffix(filename, ".csv")+".xlsx", header, head, rows, vi)
	}
	records := make([][]string, 0, len(rows)+1)
	records = append(records, head)
	for _, row := range rows {
		out := make([]string, len(row))
		for i, c := range row {
			if i < len(header) {
				c = e.prefs.exportText(header[i], c, vi)
			}
			if vi {
				c = viNumber(c)
			}
			out[i] = csvCell(c)
		}
		records = append(records, out)
	}
	return sendCSV(e, filename, records)
}

// sendCSV sends records as a CSV attachment: a byte order mark (Excel then reads UTF-8), the delimiter
// the request asked for (exportNegotiation; a comma otherwise), one line a record.
func sendCSV(w http.ResponseWriter, filename string, records [][]string) error {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	if ew, ok := w.(*exportWriter); ok {
		cw.Comma = ew.prefs.delim
	}
	for _, r := range records {
		_ = cw.Write(r)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filename))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// sumRow is a list's total row (width cells): the label in column B and, below n rows, a SUM of each of
// cols.
func sumRow(width, n int, style int, lang msg.Lang, cols ...string) []any {
	out := make([]any, width)
	out[1] = excelize.Cell{StyleID: style, Value: pick(lang == msg.VI, "Total", "Tổng cộng")}
	if n == 0 {
		return out
	}
	for _, col := range cols {
		i, _ := excelize.ColumnNameToNumber(col)
		out[i-1] = excelize.Cell{StyleID: style, Formula: fmt.Sprintf("SUM(%[1]s3:%[1]s%d)", col, n+2)}
	}
	return out
}

// writeXLSXTable streams a table into a workbook (excelize's StreamWriter: rows go to a temporary file,
// not memory): a title row, the header frozen under it, column widths, numbers as numbers (money with a
// thousands format), dates as dates, and a total row whose money cells are SUM formulas.
func writeXLSXTable(w http.ResponseWriter, filename string, cols, head []string, rows [][]string, vi bool) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	st := newTableStyles(f, vi)
	if err := writeTableHead(sw, st, strings.TrimSuffix(filename, ".xlsx"), head); err != nil {
		return err
	}
	p := exportPrefs{vi: vi}
	// A table that ends with its own total row (level "total") gets that row back with SUM formulas.
	var ownTotal []string
	for i, c := range cols {
		if c == "level" && len(rows) > 0 && i < len(rows[len(rows)-1]) && rows[len(rows)-1][i] == "total" {
			ownTotal, rows = rows[len(rows)-1], rows[:len(rows)-1]
			break
		}
	}
	for n, row := range rows {
		out := make([]any, len(row))
		for i, c := range row {
			col := ""
			if i < len(cols) {
				col = cols[i]
			}
			out[i] = xlsxValue(p.exportText(col, c, vi), moneyColumns[col], st.money, st.number, st.date)
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+3)
		if err := sw.SetRow(cell, out); err != nil {
			return err
		}
	}
	if err := writeTableTotal(sw, st, p, cols, len(rows), ownTotal); err != nil {
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

// tableStyles are the cell styles of an exported table.
type tableStyles struct {
	vi                                      bool
	title, head, money, number, date, total int
}

func newTableStyles(f *excelize.File, vi bool) tableStyles {
	st := tableStyles{vi: vi}
	st.title, _ = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	st.head, _ = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	st.money, _ = f.NewStyle(&excelize.Style{NumFmt: 3}) // #,##0
	st.number, _ = f.NewStyle(&excelize.Style{NumFmt: 0})
	dateFmt := pick(vi, "yyyy-mm-dd", "dd/mm/yyyy")
	st.date, _ = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	st.total, _ = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 3})
	return st
}

// writeTableHead writes the column widths, the frozen panes, the title (row 1) and the header (row 2).
func writeTableHead(sw *excelize.StreamWriter, st tableStyles, title string, head []string) error {
	widths := make([]float64, len(head))
	for i, h := range head {
		widths[i] = float64(max(12, min(45, len([]rune(h))+4)))
	}
	return workbookHead(sw, st.title, st.head, title, head, widths, frozenHeader())
}

// writeTableTotal writes the total row below n rows: SUM over the money columns (a reader who changes a
// cell sees the total follow), and the other cells of the table's own total row when it had one.
func writeTableTotal(sw *excelize.StreamWriter, st tableStyles, p exportPrefs, cols []string, n int, ownTotal []string) error {
	sums := false
	total := make([]any, len(cols))
	for i, c := range cols {
		if moneyColumns[c] && n > 0 {
			name, _ := excelize.ColumnNumberToName(i + 1)
			total[i] = excelize.Cell{StyleID: st.total, Formula: fmt.Sprintf("SUM(%s3:%s%d)", name, name, n+2)}
			sums = true
		}
	}
	if !sums {
		return nil
	}
	total[0] = excelize.Cell{StyleID: st.total, Value: pick(st.vi, "Total", "Tổng cộng")}
	for i, c := range ownTotal {
		if i > 0 && i < len(total) && total[i] == nil && c != "" {
			total[i] = xlsxValue(p.exportText(cols[i], c, st.vi), false, st.total, st.total, st.date)
		}
	}
	cell, _ := excelize.CoordinatesToCellName(1, n+3)
	return sw.SetRow(cell, total)
}

// xlsxValue types a cell: a plain number as a number (money with the thousands format), a date as a date.
// A number in the workbook is a binary floating-point value, as every Excel number is; the CSV keeps the
// exact decimals.
func xlsxValue(v string, isMoney bool, money, number, date int) any {
	if plainNumber.MatchString(v) && !(len(v) > 1 && v[0] == '0' && v[1] != '.') && len(v) < 16 {
		d, err := decimal.NewFromString(v)
		if err == nil {
			style := number
			if isMoney {
				style = money
			}
			return excelize.Cell{StyleID: style, Value: d.InexactFloat64()}
		}
	}
	if len(v) == 10 && v[4] == '-' && v[7] == '-' {
		if t, err := time.Parse("2006-01-02", v); err == nil {
			return excelize.Cell{StyleID: date, Value: t}
		}
	}
	return v
}
