package api

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"communehr/internal/tabular"

	"github.com/xuri/excelize/v2"
)

// xlsxMediaType is the media type of an Office Open XML workbook (.xlsx).
const xlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// isZip reports whether an upload starts like a ZIP archive (an .xlsx workbook is one).
func isZip(b []byte) bool { return bytes.HasPrefix(b, []byte("PK\x03\x04")) }

// isOLE2 reports whether an upload is a legacy binary Office file (.xls of Excel 97–2003).
func isOLE2(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
}

// xlsxLimits bound what opening a workbook may unpack: a ZIP bomb stops at UnzipSizeLimit, and a sheet
// larger than UnzipXMLSizeLimit is unpacked to a temporary file and streamed rather than held in memory.
var xlsxLimits = excelize.Options{UnzipSizeLimit: 1 << 30, UnzipXMLSizeLimit: 16 << 20}

// headerScanRows is how far down a sheet its header row is looked for (title rows come first in the
// registers officers keep).
const headerScanRows = 20

var columnNumbering = regexp.MustCompile(`^\(?([0-9]{1,2}|[A-Za-z])\)?$`)

// xlsxSpool converts a spooled .xlsx upload into a spooled UTF-8 CSV whose line N holds the sheet's row N,
// so that the CSV pipeline (validation, staging, errors by line and column, errors.csv) reads it as it
// reads any CSV and its line numbers are the rows the officer sees in Excel. The sheet is streamed
// with excelize's Rows iterator: memory stays bounded whatever its length.
//
// Excel's ways are undone on the way: title rows above the header and a row numbering the columns
// ("(1) (2) …") below it are skipped; a header of two rows (a merged group heading above its columns)
// is read as one; a date typed as a date (a serial number) becomes YYYY-MM-DD in a date column; a number
// stored as a number loses its floating-point form ("1.23456789012E+11" → "123456789012"); line breaks
// within a cell become spaces.
//
// What it writes is bounded by limit (the size a CSV upload may have): a small workbook can name one long
// shared string from every cell and unpack to terabytes; past limit the conversion stops and the upload
// is refused (errSheetTooLarge), its spool removed.
func xlsxSpool(src *spool, kind *importKind, sheet string, limit int64) (*spool, error) {
	wb, err := excelize.OpenFile(src.Name(), xlsxLimits)
	if err != nil {
		return nil, errNotWorkbook()
	}
	defer wb.Close()
	name, perr := pickSheet(wb, sheet)
	if perr != nil {
		return nil, perr
	}
	rows, err := wb.Rows(name)
	if err != nil {
		return nil, errNotWorkbook()
	}
	defer rows.Close()

	dst, err := tabular.NewSpool(src.Sum)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(&cappedWriter{w: dst, left: limit}, 256<<10)
	x := &sheetConv{rows: rows, dst: dst, bw: bw, w: csv.NewWriter(bw)}
	if err := x.convert(kind); err != nil {
		dst.Close()
		if errors.Is(err, errOverCap) {
			return nil, errSheetTooLarge(limit)
		}
		return nil, err
	}
	return dst, nil
}

// errOverCap is a cappedWriter's refusal to go past its limit.
var errOverCap = errors.New("the converted sheet is over the upload limit")

// cappedWriter writes to w until left bytes are used, then refuses (errOverCap) without writing.
type cappedWriter struct {
	w    io.Writer
	left int64
}

func (c *cappedWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > c.left {
		return 0, errOverCap
	}
	n, err := c.w.Write(p)
	c.left -= int64(n)
	return n, err
}

// errSheetTooLarge refuses a workbook whose sheet, once unpacked, holds more than a CSV upload may.
func errSheetTooLarge(limit int64) *Error {
	mb := max(1, limit>>20)
	return &Error{Status: http.StatusRequestEntityTooLarge, Code: "sheet_too_large",
		TitleEN: "The sheet is too large", TitleVI: "Trang tính quá lớn",
		DetailEN: fmt.Sprintf("Once unpacked, the sheet holds more than the %d MB a file may hold. Split it into smaller files, or remove the very long cells, and upload them one by one.", mb),
		DetailVI: fmt.Sprintf("Khi giải nén, trang tính chứa nhiều hơn %d MB mà một tệp được phép. Hãy tách thành các tệp nhỏ hơn, hoặc bỏ các ô quá dài, rồi tải lên lần lượt.", mb)}
}

// sheetConv writes the rows of a sheet, read one at a time, as the lines of a CSV spool.
type sheetConv struct {
	rows   *excelize.Rows
	row    int // the number of the sheet's row last read (from 1)
	dst    *spool
	bw     *bufio.Writer
	w      *csv.Writer
	header []string     // the header written on line 1
	dates  map[int]bool // the header's columns that hold a date
}

// convert writes the header found among the first rows, then every data row on the line of its row
// number, and flushes the spool. An empty sheet gives an empty spool (the pipeline answers no_header).
func (x *sheetConv) convert(kind *importKind) error {
	head, err := x.readHead()
	if err != nil {
		return err
	}
	_, header, dataFrom := findHeader(kind, head)
	if header == nil {
		return x.bw.Flush()
	}
	if err := x.writeHeader(kind, header); err != nil {
		return err
	}
	for i := dataFrom; i < len(head); i++ {
		if err := x.emit(i+1, head[i]); err != nil {
			return err
		}
	}
	for {
		cells, more, err := x.next()
		if err != nil {
			return errNotWorkbook()
		}
		if !more {
			break
		}
		if err := x.emit(x.row, cells); err != nil {
			return err
		}
	}
	x.w.Flush()
	if err := x.w.Error(); err != nil {
		return err
	}
	return x.bw.Flush()
}

// next reads the sheet's next row with its cells' raw values; more is false after the last row.
func (x *sheetConv) next() (cells []string, more bool, err error) {
	if !x.rows.Next() {
		return nil, false, x.rows.Error()
	}
	x.row++
	cells, err = x.rows.Columns(excelize.Options{RawCellValue: true})
	return cells, true, err
}

// readHead reads the first rows, up to the header and the row after it.
func (x *sheetConv) readHead() ([][]string, error) {
	var head [][]string
	for len(head) < headerScanRows+1 {
		cells, more, err := x.next()
		if err != nil {
			return nil, errNotWorkbook()
		}
		if !more {
			break
		}
		head = append(head, cells)
	}
	return head, nil
}

// writeHeader notes which of the header's columns hold a date and writes the header as line 1.
func (x *sheetConv) writeHeader(kind *importKind, header []string) error {
	idx, _ := kind.mapHeader(header)
	x.header, x.dates = header, map[int]bool{}
	for name, i := range idx {
		if isDateField(name) {
			x.dates[i] = true
		}
	}
	if err := x.w.Write(header); err != nil {
		return err
	}
	x.dst.Lines = 1
	return nil
}

// emit writes the sheet's row r as line r of the CSV: rows before it that were skipped become blank
// lines, and a blank row writes nothing.
func (x *sheetConv) emit(r int, cells []string) error {
	for x.dst.Lines+1 < r {
		if err := x.w.Write([]string{""}); err != nil {
			return err
		}
		x.dst.Lines++
	}
	if blankRow(cells) {
		return nil
	}
	rec := make([]string, max(len(cells), len(x.header)))
	for i, c := range cells {
		rec[i] = xlsxCell(c, x.dates[i])
	}
	// Excel leaves out the empty cells at the end of a row; cells past the header that are empty too
	// are dropped (anything else is left for the pipeline's cell-count error).
	for len(rec) > len(x.header) && rec[len(rec)-1] == "" {
		rec = rec[:len(rec)-1]
	}
	if err := x.w.Write(rec); err != nil {
		return err
	}
	x.dst.Lines++
	return nil
}

// pickSheet is the sheet named by ?sheet= (by name, or by its number counted from 1), else the first.
func pickSheet(wb *excelize.File, sheet string) (string, error) {
	list := wb.GetSheetList()
	if len(list) == 0 {
		return "", errNotWorkbook()
	}
	if sheet == "" {
		return list[0], nil
	}
	for _, n := range list {
		if n == sheet || tabular.Fold(n) == tabular.Fold(sheet) {
			return n, nil
		}
	}
	if n, err := strconv.Atoi(sheet); err == nil && n >= 1 && n <= len(list) {
		return list[n-1], nil
	}
	names := strings.Join(list, ", ")
	return "", queryError("sheet", "unknown_sheet", "names no sheet of the workbook (its sheets: "+names+")",
		"không phải tên một trang tính của tệp (các trang tính: "+names+")")
}

func errNotWorkbook() *Error {
	return errInvalid("The file is not a readable Excel workbook (.xlsx).", "Tệp không phải sổ tính Excel (.xlsx) đọc được.",
		FieldError{Pointer: "form/file", Code: "not_xlsx", MessageEN: "not a readable .xlsx workbook; open it in Excel and save it again as Excel Workbook (.xlsx)",
			MessageVI: "không phải tệp .xlsx đọc được; hãy mở trong Excel và lưu lại dạng Excel Workbook (.xlsx)"})
}

func errLegacyXLS() *Error {
	return errInvalid("The file is an Excel 97–2003 workbook (.xls).", "Tệp là sổ tính Excel 97–2003 (.xls).",
		FieldError{Pointer: "form/file", Code: "legacy_xls", MessageEN: "an .xls workbook of Excel 97–2003; save it as Excel Workbook (.xlsx) or as CSV UTF-8",
			MessageVI: "tệp .xls của Excel 97–2003; hãy lưu lại dạng Excel Workbook (.xlsx) hoặc CSV UTF-8"})
}

// findHeader finds the header among the first rows: the first row where at least two cells (or its only
// cell) name columns of the kind. When the row below names columns in cells where the header row is
// empty or holds a group heading (cells merged over two rows or across columns), the two rows make the
// header. A row numbering the columns right under the header is skipped. It returns the header's row
// index, the header and the index of the first data row.
func findHeader(kind *importKind, head [][]string) (int, []string, int) {
	known := kind.knownHeaders()
	h := headerRowOf(kind, known, head)
	if h < 0 {
		// No row names the kind's columns: the first non-blank row is the header, and the pipeline says
		// which columns it does not know.
		for i, cells := range head {
			if !blankRow(cells) {
				return i, cleanRow(cells), i + 1
			}
		}
		return -1, nil, 0
	}
	header := cleanRow(head[h])
	data := h + 1
	if data < len(head) {
		below := cleanRow(head[data])
		if groupHeadingAbove(known, header, below) {
			for len(header) < len(below) {
				header = append(header, "")
			}
			for i, c := range below {
				if c != "" {
					header[i] = c
				}
			}
			data++
		}
	}
	if data < len(head) && isNumberingRow(head[data]) {
		data++
	}
	for len(header) > 0 && header[len(header)-1] == "" {
		header = header[:len(header)-1]
	}
	return h, header, data
}

// headerRowOf is the index of the first of the scanned rows where at least two cells (or its only cell,
// for a kind of one column) name columns of the kind, or -1.
func headerRowOf(kind *importKind, known map[string]string, head [][]string) int {
	for i, cells := range head {
		if i >= headerScanRows {
			break
		}
		hits, filled := 0, 0
		for _, c := range cells {
			c = tabular.CleanCell(c)
			if c == "" {
				continue
			}
			filled++
			if _, ok := known[tabular.Fold(c)]; ok {
				hits++
			}
		}
		if hits >= 2 || (hits == 1 && filled == 1 && len(kind.columns) == 1) {
			return i
		}
	}
	return -1
}

// groupHeadingAbove reports whether the (cleaned) row below the header completes it: it names a column
// in a cell where the header is empty or holds a heading that is no column (a group heading merged
// over the two rows or across columns).
func groupHeadingAbove(known map[string]string, header, below []string) bool {
	for i, c := range below {
		if c == "" {
			continue
		}
		if _, ok := known[tabular.Fold(c)]; !ok {
			continue
		}
		if i >= len(header) || header[i] == "" {
			return true
		}
		if _, ok := known[tabular.Fold(header[i])]; !ok {
			return true
		}
	}
	return false
}

// knownHeaders maps every folded name and alias of the kind's columns to its column.
func (k *importKind) knownHeaders() map[string]string {
	known := map[string]string{}
	for _, c := range k.columns {
		known[tabular.Fold(c.name)] = c.name
		for _, a := range c.aliases {
			known[tabular.Fold(a)] = c.name
		}
	}
	return known
}

func cleanRow(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = oneLine(tabular.CleanCell(c))
	}
	return out
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// isNumberingRow is the row of column numbers Vietnamese forms print under the header: (1), (2) … or A, B …
func isNumberingRow(cells []string) bool {
	n := 0
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if !columnNumbering.MatchString(c) {
			return false
		}
		n++
	}
	return n >= 2
}

func oneLine(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.Join(strings.Fields(strings.NewReplacer("\r", " ", "\n", " ").Replace(s)), " ")
	}
	return s
}

// isDateField reports whether an import column holds a date.
func isDateField(name string) bool {
	switch name {
	case "birth_date", "left_on", "start_date", "end_date", "term_end", "effective_from", "effective_to", "decree29_paid_on":
		return true
	}
	return false
}

// xlsxCell turns a cell's raw value into the text a CSV would hold.
func xlsxCell(v string, date bool) string {
	v = oneLine(v)
	t := strings.TrimSpace(v)
	if t == "" || !(t[0] >= '0' && t[0] <= '9' || t[0] == '-' || t[0] == '.') {
		return v
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return v
	}
	if date {
		// A date typed as a date is a day count (1900 date system); the time of day is dropped.
		if f >= 1 && f < 2958466 {
			if tm, err := excelize.ExcelDateToTime(math.Floor(f), false); err == nil {
				return tm.Format("2006-01-02")
			}
		}
		return v
	}
	if !strings.ContainsAny(t, ".eE") {
		return v // an integer as typed: kept as it is (leading zeros of text included)
	}
	if strings.ContainsAny(t, "eE") {
		// A long number Excel wrote with an exponent: written out in full when no digit was lost.
		mant := strings.TrimLeft(strings.SplitN(strings.ToLower(t), "e", 2)[0], "-")
		digits := strings.Trim(strings.ReplaceAll(mant, ".", ""), "0")
		if len(digits) < 12 && f == math.Trunc(f) && math.Abs(f) >= 1e11 {
			return v // a rounded CCCD ("2.22E+11"): the value is refused with its explanation
		}
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	// Floating-point noise ("2.4500000000000002") is rounded to the 15 digits Excel keeps.
	g, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	return strconv.FormatFloat(g, 'f', -1, 64)
}

// workbookUpload converts a spooled .xlsx upload (sent with the xlsx media type, or recognised by its ZIP
// signature) to CSV, and refuses a legacy .xls; any other upload is returned as it is. The spool given
// is closed when it is replaced or refused.
func workbookUpload(r *http.Request, sp *spool, limit int64) (*spool, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case isOLE2(sp.Sniffed):
		sp.Close()
		return nil, errLegacyXLS()
	case isZip(sp.Sniffed):
	case mt == xlsxMediaType:
		sp.Close()
		return nil, errNotWorkbook()
	default:
		// A CSV Excel saved on a Vietnamese Windows (Windows-1258) is converted to UTF-8.
		out, err := tabular.FromWindows1258(sp)
		if err != nil {
			sp.Close()
		}
		return out, err
	}
	kind := importKinds[r.URL.Query().Get("kind")]
	out, err := xlsxSpool(sp, kind, r.URL.Query().Get("sheet"), limit)
	sp.Close()
	return out, err
}
