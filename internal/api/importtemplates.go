package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/xuri/excelize/v2"

	"communehr/internal/store"
)

// Templates (issue 13 item 3): GET /v1/import-templates/{kind}.xlsx and {kind}.csv, in Vietnamese with
// lang=vi. The workbook has the header and an example row on its first sheet (CCCD and code columns
// formatted as Text so Excel keeps their leading zeros, dates as dates, drop-down lists of the kinds, posts
// by title and yes/no), a second sheet explaining every column, and a hidden sheet holding the lists.

// importTemplateFile serves {kind}.xlsx, and {kind}.csv with lang=vi or delimiter=; (the English CSV is
// the original template).
func (s *Server) importTemplateFile(w http.ResponseWriter, r *http.Request) error {
	name := chi.URLParam(r, "file")
	q := r.URL.Query()
	lang := q.Get("lang")
	if lang != "" && lang != "vi" && lang != "en" {
		return queryError("lang", "oneof", "must be vi or en", "phải là vi hoặc en")
	}
	delim := q.Get("delimiter")
	if delim != "" && delim != "," && delim != ";" {
		return queryError("delimiter", "oneof", "must be , or ;", "phải là , hoặc ;")
	}
	base, ext, _ := strings.Cut(name, ".")
	kind, ok := importKinds[base]
	if !ok || (ext != "csv" && ext != "xlsx") {
		return errNotFound()
	}
	if ext == "csv" && lang != "vi" && delim == "" {
		return s.importTemplate(w, r)
	}
	positions, err := s.store.ListPositions(r.Context(), principalFrom(r.Context()))
	if err != nil {
		return err
	}
	t := newTemplate(kind, lang == "vi", positions)
	if ext == "csv" {
		var buf bytes.Buffer
		buf.WriteString("\uFEFF")
		cw := csv.NewWriter(&buf)
		if delim == ";" {
			cw.Comma = ';'
		}
		_ = cw.Write(t.header)
		_ = cw.Write(t.exampleText())
		cw.Flush()
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		_, _ = w.Write(buf.Bytes())
		return nil
	}
	return writeTemplateXLSX(w, t, name)
}

// writeTemplateXLSX writes the template's workbook as the download name (the API's and the console's).
func writeTemplateXLSX(w http.ResponseWriter, t *template, name string) error {
	f, err := t.workbook()
	if err != nil {
		return err
	}
	defer f.Close()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsxMediaType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// label is a value as the API codes it and as an officer writes it.
type label struct{ code, vi, en string }

var yesNo = []label{{"true", "Có", "Yes"}, {"false", "Không", "No"}}

// enumLabels are the allowed values of the coded columns, with the Vietnamese label an upload accepts.
var enumLabels = map[string][]label{
	"communes.kind":  {{"xa", "Xã", "Commune"}, {"phuong", "Phường", "Ward"}, {"thi_tran", "Thị trấn", "Township"}, {"dac_khu", "Đặc khu", "Special zone"}},
	"communes.class": {{"1", "1", "1"}, {"2", "2", "2"}, {"3", "3", "3"}},
	"hamlets.kind":   {{"thon", "Thôn", "Hamlet"}, {"to_dan_pho", "Tổ dân phố", "Residential group"}},
	"cadres.gender":  {{"male", "Nam", "Male"}, {"female", "Nữ", "Female"}},
	"cadres.status":  {{"active", "Đang công tác", "Active"}, {"left", "Đã nghỉ", "Left"}, {"retired", "Nghỉ hưu", "Retired"}},
}

var booleanColumns = map[string]bool{"key_security_order": true, "border": true, "island": true, "border_or_island": true,
	"converted_from_thon": true, "concurrent": true, "elected": true, "decree29_paid": true, "merged_unit_surplus": true,
	"mountainous": true, "ward_of_urban_district": true}

// textColumns hold codes and numbers that are not quantities: Excel must keep them as text.
var textColumns = map[string]bool{"code": true, "commune_code": true, "hamlet_code": true, "national_id": true, "successor_code": true, "old_province_code": true}

type template struct {
	kind      *importKind
	vi        bool
	positions []store.Position
	header    []string
}

func newTemplate(kind *importKind, vi bool, positions []store.Position) *template {
	t := &template{kind: kind, vi: vi, positions: positions}
	for _, c := range kind.columns {
		h := c.name
		if vi {
			h = templateHeader(kind.name, c.name)
		}
		t.header = append(t.header, h)
	}
	return t
}

// allowed is the list of values of a column (nil for free values).
func (t *template) allowed(col string) []label {
	if l, ok := enumLabels[t.kind.name+"."+col]; ok {
		return l
	}
	if booleanColumns[col] {
		return yesNo
	}
	if col == "position_code" {
		var out []label
		for _, p := range t.positions {
			out = append(out, label{p.Code, p.TitleVI, p.TitleEN})
		}
		return out
	}
	return nil
}

func (t *template) text(l label) string {
	if t.vi {
		return l.vi
	}
	return l.code
}

// example is the example value of a column: a label for a coded column in Vietnamese, a date as a date.
func (t *template) example(c importColumn) any {
	v := c.example
	if v == "" {
		return ""
	}
	if isDateField(c.name) {
		if d, err := time.Parse("2006-01-02", v); err == nil {
			return d
		}
	}
	for _, l := range t.allowed(c.name) {
		if l.code == v {
			return t.text(l)
		}
	}
	return v
}

func (t *template) exampleText() []string {
	out := make([]string, len(t.kind.columns))
	for i, c := range t.kind.columns {
		switch v := t.example(c).(type) {
		case time.Time:
			if t.vi {
				out[i] = v.Format("02/01/2006")
			} else {
				out[i] = v.Format("2006-01-02")
			}
		case string:
			out[i] = v
		}
	}
	return out
}

// format describes what a column holds, in both languages.
func (t *template) format(c importColumn) (string, string) {
	if t.kind == sheetKind {
		if vi, en := sheetFormat(c.name); vi != "" { // import_sheet.go
			return vi, en
		}
	}
	switch {
	case c.name == "national_id":
		return "12 chữ số (định dạng ô Text để giữ số 0 ở đầu)", "12 digits (format the cells as Text to keep leading zeros)"
	case c.name == "code" && t.kind.name == "communes", c.name == "commune_code", c.name == "successor_code" && t.kind.name == "communes":
		return "Mã đơn vị hành chính 5 chữ số (định dạng Text)", "5-digit administrative unit code (as Text)"
	case textColumns[c.name]:
		return "Mã thôn, tổ dân phố (định dạng Text)", "Hamlet code (as Text)"
	case isDateField(c.name):
		return "Ngày: DD/MM/YYYY hoặc YYYY-MM-DD, hoặc ô kiểu ngày", "Date: DD/MM/YYYY or YYYY-MM-DD, or a date cell"
	case integerColumns[c.name]:
		return "Số nguyên (tệp ; chấp nhận 17.199)", "Whole number (a ; file accepts 17.199)"
	case decimalColumns[c.name]:
		return "Số thập phân (tệp ; chấp nhận 76,57)", "Decimal number (a ; file accepts 76,57)"
	case booleanColumns[c.name]:
		return "Có / Không (hoặc x, 1/0)", "Yes / No (có/không, x, 1/0, true/false)"
	case c.name == "position_code":
		return "Tên chức danh (hoặc mã), không phân biệt dấu", "Post title (or code), accents optional"
	case c.name == "full_name", c.name == "name":
		return "Chữ", "Text"
	}
	return "Chọn trong danh sách", "One of the listed values"
}

const (
	listSheet = "DanhMuc"
	maxRows   = 5000 // the rows the drop-down lists and formats cover
)

// workbook is the template: the data sheet (headers, an example row, cell formats and drop-down lists),
// a hidden sheet holding the lists, and a sheet explaining every column.
func (t *template) workbook() (*excelize.File, error) {
	f := excelize.NewFile()
	data, help := pick(t.vi, "Data", "Dữ liệu"), pick(t.vi, "Columns", "Hướng dẫn")
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return f, err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	if err := t.dataSheet(f, data, bold); err != nil {
		return f, err
	}
	if err := t.helpSheet(f, help, bold); err != nil {
		return f, err
	}
	f.SetActiveSheet(0)
	return f, nil
}

// dataSheet fills the data sheet: each column's header, format and example, and a drop-down list from
// the hidden list sheet where the column takes listed values.
func (t *template) dataSheet(f *excelize.File, data string, bold int) error {
	textFmt, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
	dateFmt := pick(t.vi, "yyyy-mm-dd", "dd/mm/yyyy")
	dateStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if _, err := f.NewSheet(listSheet); err != nil {
		return err
	}
	listCol := 0
	for i, c := range t.kind.columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		_ = f.SetCellValue(data, col+"1", t.header[i])
		_ = f.SetColWidth(data, col, col, float64(max(14, min(40, len([]rune(t.header[i]))+4))))
		switch {
		case textColumns[c.name]:
			_ = f.SetCellStyle(data, col+"2", fmt.Sprintf("%s%d", col, maxRows), textFmt)
		case isDateField(c.name):
			_ = f.SetCellStyle(data, col+"2", fmt.Sprintf("%s%d", col, maxRows), dateStyle)
		}
		_ = f.SetCellValue(data, col+"2", t.example(c))
		if l := t.allowed(c.name); len(l) > 0 {
			listCol++
			if err := t.dropDown(f, data, col, listCol, l); err != nil {
				return err
			}
		}
	}
	last, _ := excelize.ColumnNumberToName(len(t.kind.columns))
	_ = f.SetCellStyle(data, "A1", last+"1", bold)
	_ = f.SetPanes(data, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	_ = f.SetSheetVisible(listSheet, false)
	return nil
}

// dropDown writes the allowed values in column listCol of the hidden list sheet and limits the data
// column col to them (a list typed in the rule itself is limited to 255 characters).
func (t *template) dropDown(f *excelize.File, data, col string, listCol int, l []label) error {
	lc, _ := excelize.ColumnNumberToName(listCol)
	for j, v := range l {
		_ = f.SetCellValue(listSheet, fmt.Sprintf("%s%d", lc, j+1), t.text(v))
	}
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, maxRows)
	dv.SetSqrefDropList(fmt.Sprintf("%s!$%s$1:$%s$%d", listSheet, lc, lc, len(l)))
	if t.vi {
		dv.SetError(excelize.DataValidationErrorStyleWarning, "Giá trị không có trong danh sách", "Hãy chọn một giá trị trong danh sách.")
	} else {
		dv.SetError(excelize.DataValidationErrorStyleWarning, "Not in the list", "Choose one of the listed values.")
	}
	return f.AddDataValidation(data, dv)
}

// helpSheet is the sheet explaining every column: required or not, format, allowed values, example.
func (t *template) helpSheet(f *excelize.File, help string, bold int) error {
	if _, err := f.NewSheet(help); err != nil {
		return err
	}
	heads := []any{"Column", "Required", "Format", "Allowed values", "Example"}
	if t.vi {
		heads = []any{"Cột", "Bắt buộc", "Định dạng", "Giá trị cho phép", "Ví dụ"}
	}
	_ = f.SetSheetRow(help, "A1", &heads)
	for i, c := range t.kind.columns {
		req := pick(t.vi, "no", "không")
		if c.required {
			req = pick(t.vi, "yes", "có")
		}
		fv, fe := t.format(c)
		var allowed []string
		for _, l := range t.allowed(c.name) {
			if t.vi {
				allowed = append(allowed, l.vi)
			} else {
				allowed = append(allowed, l.code+" ("+l.en+")")
			}
		}
		ex := t.exampleText()[i]
		row := []any{t.header[i], req, pick(t.vi, fe, fv), strings.Join(allowed, "; "), ex}
		_ = f.SetSheetRow(help, fmt.Sprintf("A%d", i+2), &row)
	}
	_ = f.SetCellStyle(help, "A1", "E1", bold)
	for col, wd := range map[string]float64{"A": 32, "B": 10, "C": 50, "D": 60, "E": 24} {
		_ = f.SetColWidth(help, col, col, wd)
	}
	_ = f.SetPanes(help, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	return nil
}
