package api

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/store"
	"communehr/internal/tabular"
)

// importColumn is one column of an import kind: its API name (also the staging column), whether it is
// required, and the Vietnamese headers accepted for it (compared accent- and case-insensitively).
type importColumn struct {
	name     string
	required bool
	aliases  []string
	example  string
}

// importKind describes one kind of CSV import.
type importKind struct {
	name    string
	columns []importColumn
	// row converts one record's cells (by column name; absent columns are "") into the kind's typed
	// staging row (store.CommuneStageRow …), or the problems of the row with the API field each concerns.
	row rowFunc
	// carry, when set, is called on every record in file order before row: it fills the cells a row leaves
	// blank under a merged cell from the rows above (the commune sheet's CCCD, import_sheet.go).
	carry func(idx map[string]int, carried *string, rec []string)
}

// rowFunc converts one record's cells into a typed staging row, or the problems of the row.
type rowFunc func(ctx *rowContext, cell func(string) string) (store.StageRow, []FieldError)

// rowContext carries what row validation needs beyond the row: the province and the catalogue of posts.
type rowContext struct {
	province  string
	today     time.Time
	positions map[string]store.Position
	// viNumbers: the file is `;`-separated, as Excel in a Vietnamese locale writes it, so its numbers are
	// in the Vietnamese format too ("17.199", "76,57").
	viNumbers bool
	titles    positionTitles // posts by title, built on first use (importvalues.go)
	sheet     *sheetUnits    // the commune sheet's units (import_sheet.go); nil for the other kinds
}

var importKinds = map[string]*importKind{
	"communes": {name: "communes", row: communeRow, columns: []importColumn{
		{"code", true, []string{"mã", "mã xã", "mã đơn vị"}, "00004"},
		{"name", true, []string{"tên", "tên xã", "tên đơn vị"}, "Phường Ba Đình"},
		{"kind", true, []string{"loại", "loại đơn vị"}, "phuong"},
		{"class", true, []string{"phân loại", "loại đơn vị hành chính", "hạng"}, "1"},
		{"population", false, []string{"dân số", "số dân"}, "65000"},
		{"area_km2", false, []string{"diện tích", "diện tích km2", "diện tích (km2)"}, "2.45"},
		{"key_security_order", false, []string{"trọng điểm an ninh", "trọng điểm an ninh trật tự"}, "false"},
		{"border", false, []string{"biên giới"}, "false"},
		{"island", false, []string{"hải đảo"}, "false"},
		{"effective_from", true, []string{"hiệu lực từ", "ngày hiệu lực"}, "2025-07-01"},
		{"effective_to", false, []string{"hiệu lực đến", "ngày hết hiệu lực"}, ""},
		{"successor_code", false, []string{"mã đơn vị kế thừa", "sáp nhập vào"}, ""},
		{"mountainous", false, []string{"miền núi", "vùng cao", "miền núi vùng cao", "xã miền núi vùng cao"}, "false"},
		{"ward_of_urban_district", false, []string{"phường thuộc quận"}, "false"},
		{"old_province_code", false, []string{"mã tỉnh cũ", "mã tỉnh trước sắp xếp"}, ""},
	}},
	"hamlets": {name: "hamlets", row: hamletRow, columns: []importColumn{
		{"code", true, []string{"mã", "mã thôn", "mã tổ dân phố"}, "00004-01"},
		{"commune_code", true, []string{"mã xã"}, "00004"},
		{"name", true, []string{"tên", "tên thôn", "tên thôn tổ dân phố"}, "Tổ dân phố 1"},
		{"kind", true, []string{"loại"}, "to_dan_pho"},
		{"households", true, []string{"số hộ", "số hộ gia đình"}, "520"},
		{"key_security_order", false, []string{"trọng điểm an ninh", "trọng điểm an ninh trật tự"}, "false"},
		{"border_or_island", false, []string{"biên giới hải đảo"}, ""},
		{"converted_from_thon", false, []string{"chuyển từ thôn"}, "false"},
		{"effective_from", true, []string{"hiệu lực từ", "ngày hiệu lực"}, "2025-07-01"},
		{"effective_to", false, []string{"hiệu lực đến"}, ""},
		{"successor_code", false, []string{"mã đơn vị kế thừa", "sáp nhập vào"}, ""},
	}},
	"cadres": {name: "cadres", row: typedRow(cadreRow), columns: []importColumn{
		{"national_id", true, []string{"số định danh", "số định danh cá nhân", "cccd", "số cccd", "căn cước"}, "001080012345"},
		{"full_name", true, []string{"họ và tên", "họ tên"}, "Nguyễn Văn An"},
		{"gender", true, []string{"giới tính"}, "male"},
		{"birth_date", true, []string{"ngày sinh"}, "1980-05-17"},
		{"si_months", false, []string{"số tháng bhxh", "số tháng đóng bhxh"}, "180"},
		{"status", false, []string{"trạng thái"}, "active"},
		{"left_on", false, []string{"ngày nghỉ", "ngày thôi việc"}, ""},
		{"si_total_months", false, []string{"tổng số tháng bhxh", "tổng thời gian đóng bhxh"}, ""},
		{"si_uncompensated_months", false, []string{"số tháng bhxh chưa hưởng trợ cấp", "thời gian đóng bhxh chưa hưởng trợ cấp"}, ""},
		{"decree29_paid", false, []string{"đã chi trả theo nđ 29", "đã chi trả trợ cấp nghị định 29"}, ""},
		{"decree29_paid_on", false, []string{"ngày chi trả theo nđ 29", "ngày chi trả trợ cấp nghị định 29"}, ""},
		{"merged_unit_surplus", false, []string{"dôi dư do sắp xếp đơn vị", "dôi dư do sáp nhập"}, "false"},
		{"active_from", false, []string{"ngày trở lại công tác", "ngày trở lại làm việc"}, ""},
	}},
	"assignments": {name: "assignments", row: typedRow(assignmentRow), columns: []importColumn{
		{"national_id", true, []string{"số định danh", "cccd", "số cccd"}, "001080012345"},
		{"position_code", true, []string{"chức danh", "mã chức danh"}, "truong_thon_to_truong"},
		{"commune_code", false, []string{"mã xã"}, ""},
		{"hamlet_code", false, []string{"mã thôn", "mã tổ dân phố"}, "00004-01"},
		{"start_date", true, []string{"ngày bắt đầu", "từ ngày"}, "2024-01-01"},
		{"end_date", false, []string{"ngày kết thúc", "đến ngày"}, ""},
		{"concurrent", false, []string{"kiêm nhiệm"}, "false"},
		{"elected", false, []string{"bầu cử", "do bầu cử"}, ""},
		{"term_end", false, []string{"hết nhiệm kỳ", "ngày hết nhiệm kỳ"}, "2027-12-31"},
		{"allowance_override", false, []string{"phụ cấp riêng"}, ""},
	}},
	store.SheetKind: sheetKind, // people and posts in one sheet (import_sheet.go)
}

// rowNumberHeaders are the headers of a list's row number column ("STT", "Số TT"), which an upload ignores.
var rowNumberHeaders = map[string]bool{"stt": true, "tt": true, "so_tt": true, "so_thu_tu": true}

// errorsColumn is the column errors.csv appends to the rejected rows; an upload ignores it.
const errorsColumn = "error"

// schema is the kind's columns for package tabular, with the headers an upload ignores: the column
// errors.csv adds (the file is meant to be fixed and uploaded again as it is) and the row number column of
// Vietnamese lists ("STT").
func (k *importKind) schema() tabular.Schema {
	s := tabular.Schema{Ignored: map[string]bool{errorsColumn: true}}
	for h := range rowNumberHeaders {
		s.Ignored[h] = true
	}
	for _, c := range k.columns {
		s.Columns = append(s.Columns, tabular.Column{Name: c.name, Aliases: c.aliases, Required: c.required,
			LabelVI: templateHeader(k.name, c.name)})
	}
	return s
}

// mapHeader maps a file's header to column names: every header must name a column of the kind (by its
// name or an alias), no column twice, and every required column present.
func (k *importKind) mapHeader(header []string) (map[string]int, []store.RowError) {
	idx, problems := k.schema().MapHeader(header)
	if len(problems) == 0 {
		return idx, nil
	}
	return idx, rowErrors(problems)
}

// cellParser converts cells and collects conversion problems by field.
type cellParser struct{ errs []FieldError }

func (p *cellParser) fail(field, code, en, vi string) {
	p.errs = append(p.errs, FieldError{Pointer: "/" + field, Code: code, MessageEN: en, MessageVI: vi})
}

func (p *cellParser) str(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

func (p *cellParser) integer(field, v string) *int {
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(strings.ReplaceAll(v, " ", ""))
	if err != nil {
		p.fail(field, "integer", fmt.Sprintf("%q is not a whole number", tabular.Excerpt(v)), fmt.Sprintf("%q không phải số nguyên", tabular.Excerpt(v)))
		return nil
	}
	if !p.cellInRange(field, decimal.NewFromInt(int64(n))) {
		return nil
	}
	return &n
}

func (p *cellParser) boolean(field, v string) *bool {
	if v == "" {
		return nil
	}
	switch tabular.Fold(v) {
	case "true", "1", "yes", "x", "co", "dung":
		b := true
		return &b
	case "false", "0", "no", "khong", "sai":
		b := false
		return &b
	}
	p.fail(field, "boolean", fmt.Sprintf("%q is not true/false (also có/không, 1/0, x)", tabular.Excerpt(v)),
		fmt.Sprintf("%q không phải true/false (hoặc có/không, 1/0, x)", tabular.Excerpt(v)))
	return nil
}

// date accepts YYYY-MM-DD and, as Excel in Vietnam writes it, DD/MM/YYYY.
func (p *cellParser) date(field, v string) *Date {
	if v == "" {
		return nil
	}
	layouts := []string{"2006-01-02", "02/01/2006", "2/1/2006"}
	for _, l := range layouts {
		if t, err := time.Parse(l, v); err == nil {
			return &Date{Time: t}
		}
	}
	p.fail(field, "date", fmt.Sprintf("%q is not a date (YYYY-MM-DD or DD/MM/YYYY)", tabular.Excerpt(v)),
		fmt.Sprintf("%q không phải ngày (YYYY-MM-DD hoặc DD/MM/YYYY)", tabular.Excerpt(v)))
	return nil
}

func (p *cellParser) decimal(field, v string) *Decimal {
	if v == "" {
		return nil
	}
	if len(v) > 40 || strings.ContainsAny(v, "eE") {
		p.fail(field, "decimal", fmt.Sprintf("%q is not a decimal number", tabular.Excerpt(v)), fmt.Sprintf("%q không phải số thập phân", tabular.Excerpt(v)))
		return nil
	}
	d, err := decimal.NewFromString(v)
	if err != nil {
		p.fail(field, "decimal", fmt.Sprintf("%q is not a decimal number (use . for decimals)", tabular.Excerpt(v)),
			fmt.Sprintf("%q không phải số thập phân (dùng dấu . cho phần thập phân)", tabular.Excerpt(v)))
		return nil
	}
	if !p.cellInRange(field, d) {
		return nil
	}
	out := NewDecimal(d)
	return &out
}

// isCode reports whether v already is an API code (lower-case ASCII letters, digits and '_').
func isCode(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// enum maps Vietnamese spellings of a value to its API code ("Phường" → phuong).
func enum(v string) string {
	if v == "" || (isCode(v) && v != "nam" && v != "nu") {
		return v
	}
	f := tabular.Fold(v)
	switch f {
	case "nam":
		return "male"
	case "nu":
		return "female"
	case "dang_cong_tac", "dang_lam_viec":
		return "active"
	case "da_nghi", "nghi_viec":
		return "left"
	case "nghi_huu":
		return "retired"
	}
	return f
}

// fieldsOf turns a validation error of the records API into field errors (same codes, same messages).
func fieldsOf(err error) []FieldError {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		if len(e.Fields) > 0 {
			return e.Fields
		}
		return []FieldError{{Pointer: "", Code: e.Code, MessageEN: e.DetailEN, MessageVI: e.DetailVI}}
	}
	return []FieldError{{Code: "invalid", MessageEN: err.Error(), MessageVI: err.Error()}}
}

func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}
