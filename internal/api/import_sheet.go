package api

import (
	"context"
	"net/url"
	"sort"
	"strings"
	"time"

	"communehr/internal/msg"
	"communehr/internal/store"
	"communehr/internal/tabular"
)

// The combined sheet of a commune (issue 13 item 4, kind commune-sheet, "Danh sách theo xã"): a row per
// person and post, as officers keep their lists. The commune is given once, with the upload (`commune`),
// as the sheet is one commune's; a sheet may instead carry a "Mã xã" column (a list of several communes).
// A row gives the person (CCCD, name, gender, birth date …), their post (title or code, the hamlet by
// code or by name within the commune, dates …), or both; a person with two posts is two rows, whose
// personal data must agree (or be left blank on the second row). Each part is validated exactly as the
// people and posts imports validate it (cadreRow, assignmentRow), and the store imports both in one
// transaction (store/import_sheet.go).

// sheetPersonColumns and sheetPostColumns are the sheet's columns of each part (national_id is both's).
var (
	sheetPersonColumns = []string{"full_name", "gender", "birth_date", "si_months", "status", "left_on", "si_total_months",
		"si_uncompensated_months", "decree29_paid", "decree29_paid_on", "merged_unit_surplus", "active_from"}
	sheetPostColumns = []string{"position_code", "hamlet_code", "start_date", "end_date", "concurrent", "elected", "term_end",
		"allowance_override"}
)

var sheetKind = &importKind{name: store.SheetKind, row: sheetRow, carry: sheetCarry, columns: []importColumn{
	{"national_id", true, []string{"số định danh", "số định danh cá nhân", "cccd", "số cccd", "căn cước", "số căn cước"}, "001080012345"},
	{"full_name", false, []string{"họ và tên", "họ tên"}, "Nguyễn Văn An"},
	{"gender", false, []string{"giới tính"}, "male"},
	{"birth_date", false, []string{"ngày sinh", "ngày tháng năm sinh"}, "1980-05-17"},
	{"position_code", false, []string{"chức danh", "mã chức danh", "chức vụ"}, "truong_thon_to_truong"},
	{"hamlet_code", false, []string{"thôn", "tổ dân phố", "thôn, tổ dân phố", "thôn/tổ dân phố", "thôn, tdp", "mã thôn", "tên thôn"}, "Thôn Đông"},
	{"start_date", false, []string{"ngày bắt đầu", "từ ngày"}, "2024-01-01"},
	{"end_date", false, []string{"ngày kết thúc", "đến ngày"}, ""},
	{"concurrent", false, []string{"kiêm nhiệm"}, "false"},
	{"elected", false, []string{"bầu cử", "do bầu cử"}, ""},
	{"term_end", false, []string{"hết nhiệm kỳ", "ngày hết nhiệm kỳ"}, "2027-12-31"},
	{"allowance_override", false, []string{"phụ cấp riêng"}, ""},
	{"si_months", false, []string{"số tháng bhxh", "số tháng đóng bhxh"}, ""},
	{"status", false, []string{"trạng thái"}, ""},
	{"left_on", false, []string{"ngày nghỉ", "ngày thôi việc"}, ""},
	{"si_total_months", false, []string{"tổng số tháng bhxh", "tổng thời gian đóng bhxh"}, ""},
	{"si_uncompensated_months", false, []string{"số tháng bhxh chưa hưởng trợ cấp", "thời gian đóng bhxh chưa hưởng trợ cấp"}, ""},
	{"decree29_paid", false, []string{"đã chi trả theo nđ 29", "đã chi trả trợ cấp nghị định 29"}, ""},
	{"decree29_paid_on", false, []string{"ngày chi trả theo nđ 29", "ngày chi trả trợ cấp nghị định 29"}, ""},
	{"merged_unit_surplus", false, []string{"dôi dư do sắp xếp đơn vị", "dôi dư do sáp nhập"}, ""},
	{"commune_code", false, []string{"mã xã"}, ""},
	{"active_from", false, []string{"ngày trở lại công tác", "ngày trở lại làm việc"}, ""},
}}

// sheetHeaders are the sheet template's Vietnamese headers (templateHeaders).
var sheetHeaders = map[string]string{
	"national_id": "Số CCCD", "full_name": "Họ và tên", "gender": "Giới tính", "birth_date": "Ngày sinh",
	"position_code": "Chức danh", "hamlet_code": "Thôn, tổ dân phố", "start_date": "Ngày bắt đầu", "end_date": "Ngày kết thúc",
	"concurrent": "Kiêm nhiệm", "elected": "Do bầu cử", "term_end": "Ngày hết nhiệm kỳ", "allowance_override": "Phụ cấp riêng",
	"si_months": "Số tháng đóng BHXH", "status": "Trạng thái", "left_on": "Ngày nghỉ việc",
	"si_total_months": "Tổng số tháng đóng BHXH", "si_uncompensated_months": "Số tháng BHXH chưa hưởng trợ cấp",
	"decree29_paid": "Đã chi trả theo NĐ 29", "decree29_paid_on": "Ngày chi trả theo NĐ 29",
	"merged_unit_surplus": "Dôi dư do sắp xếp đơn vị", "commune_code": "Mã xã", "active_from": "Ngày trở lại công tác",
}

func init() {
	enumLabels[store.SheetKind+".gender"] = enumLabels["cadres.gender"]
	enumLabels[store.SheetKind+".status"] = enumLabels["cadres.status"]
	digitCodes[store.SheetKind] = map[string]int{"national_id": 12, "commune_code": 5}
}

// sheetUnits is what a sheet's rows resolve their units against: the commune of the upload, the
// province's communes, and its hamlets by code and by commune.
type sheetUnits struct {
	commune   string
	communes  map[string]bool
	byCode    map[string]store.SheetHamlet
	byCommune map[string][]store.SheetHamlet
}

// prepareSheet reads the `commune` of a sheet upload and the province's units into rc; any other kind
// refuses the parameter.
func (s *Server) prepareSheet(ctx context.Context, q url.Values, p store.Principal, province string, kind *importKind, rc *rowContext) error {
	if kind != sheetKind {
		if q.Has("commune") {
			return queryError("commune", "not_allowed", "is only for kind commune-sheet", "chỉ dùng cho kind commune-sheet")
		}
		return nil
	}
	communes, hamlets, err := s.store.SheetUnits(ctx, p, province)
	if err != nil {
		return err
	}
	u := &sheetUnits{commune: strings.TrimSpace(q.Get("commune")), communes: communes,
		byCode: map[string]store.SheetHamlet{}, byCommune: map[string][]store.SheetHamlet{}}
	if u.commune != "" && !communes[u.commune] {
		return errInvalid("A query parameter is not valid.", "Một tham số truy vấn không hợp lệ.",
			fieldMsg("query/commune", "invalid_reference", msg.New("sheet.commune_unknown", u.commune)))
	}
	for _, h := range hamlets {
		u.byCode[h.Code] = h
		u.byCommune[h.CommuneCode] = append(u.byCommune[h.CommuneCode], h)
	}
	rc.sheet = u
	return nil
}

// sheetRow converts one row: the person part (when any of its cells is filled) by cadreRow, the post part
// (likewise) by assignmentRow with the unit resolved (store.SheetStageRow).
func sheetRow(rc *rowContext, cell func(string) string) (store.StageRow, []FieldError) {
	hasPerson, hasPost := anyFilled(cell, sheetPersonColumns), anyFilled(cell, sheetPostColumns)
	if !hasPerson && !hasPost {
		return nil, []FieldError{fieldMsg("", "empty_row", msg.New("sheet.empty_row"))}
	}
	out := &store.SheetStageRow{NationalID: cell("national_id")}
	var errs []FieldError
	if hasPerson {
		var e []FieldError
		out.Person, e = cadreRow(rc, cell)
		errs = append(errs, e...)
	}
	if hasPost {
		var e []FieldError
		out.Post, e = sheetPost(rc, cell)
		errs = append(errs, e...)
	}
	if len(errs) > 0 {
		return nil, uniqueFieldErrors(errs)
	}
	return out, nil
}

// sheetPost validates the post part of a row as the posts import does, its unit named by the sheet: a
// commune-level post is the commune's, a hamlet-level post names its hamlet by code or by name.
func sheetPost(rc *rowContext, cell func(string) string) (*store.AssignmentStageRow, []FieldError) {
	u := rc.sheet
	if u == nil {
		u = &sheetUnits{}
	}
	commune := u.commune
	if c := cell("commune_code"); c != "" {
		if commune != "" && c != commune {
			return nil, []FieldError{fieldMsg("/commune_code", "commune_differs", msg.New("sheet.commune_differs", c, commune))}
		}
		commune = c
	}
	pos, known := rc.positions[cell("position_code")]
	hamlet := cell("hamlet_code")
	missing := []FieldError{fieldMsg("/commune_code", "required_by_level", msg.New("sheet.commune_missing"))}
	switch {
	case known && pos.Level == "hamlet" && hamlet != "" && commune != "":
		code, fe := u.hamlet(commune, hamlet, cell("start_date"))
		if fe != nil {
			return nil, []FieldError{*fe}
		}
		hamlet = code
	case known && pos.Level == "hamlet" && hamlet != "" && u.namedAnywhere(hamlet):
		return nil, missing // a hamlet by name needs its commune
	case known && pos.Level == "commune" && commune == "" && hamlet == "":
		return nil, missing
	}
	unitCell := func(name string) string {
		switch {
		case name == "hamlet_code":
			return hamlet
		case name == "commune_code" && known && pos.Level == "commune":
			return commune
		case name == "commune_code":
			return ""
		}
		return cell(name)
	}
	return assignmentRow(rc, unitCell)
}

// hamlet resolves a hamlet of the commune by its code, or by its name (accents, case and the kind word
// "Thôn", "Tổ dân phố" … optional), preferring the hamlets in force on the post's first day.
func (u *sheetUnits) hamlet(commune, v, start string) (string, *FieldError) {
	if h, ok := u.byCode[v]; ok {
		if h.CommuneCode != commune {
			fe := fieldMsg("/hamlet_code", "hamlet_other_commune", msg.New("sheet.hamlet_other_commune", h.Code, h.CommuneCode, commune))
			return "", &fe
		}
		return h.Code, nil
	}
	want := hamletNameKey(v)
	var named []store.SheetHamlet
	for _, h := range u.byCommune[commune] {
		if hamletNameKey(h.Name) == want {
			named = append(named, h)
		}
	}
	if day, ok := parseSheetDate(start); ok && len(named) > 1 {
		var alive []store.SheetHamlet
		for _, h := range named {
			if !day.Before(h.From) && (h.To == nil || !day.After(*h.To)) {
				alive = append(alive, h)
			}
		}
		if len(alive) > 0 {
			named = alive
		}
	}
	switch len(named) {
	case 1:
		return named[0].Code, nil
	case 0:
		fe := fieldMsg("/hamlet_code", "invalid_reference", msg.New("sheet.hamlet_not_found", commune, tabular.Excerpt(v)))
		return "", &fe
	}
	codes := make([]string, len(named))
	for i, h := range named {
		codes[i] = h.Code
	}
	sort.Strings(codes)
	fe := fieldMsg("/hamlet_code", "ambiguous", msg.New("sheet.hamlet_ambiguous", commune, tabular.Excerpt(v), strings.Join(codes, ", ")))
	return "", &fe
}

// namedAnywhere reports whether v is not a hamlet code but the name of a hamlet of some commune.
func (u *sheetUnits) namedAnywhere(v string) bool {
	if _, ok := u.byCode[v]; ok {
		return false
	}
	want := hamletNameKey(v)
	for _, hs := range u.byCommune {
		for _, h := range hs {
			if hamletNameKey(h.Name) == want {
				return true
			}
		}
	}
	return false
}

// hamletNameKey is a hamlet's name folded, without the word for its kind: "Thôn Đông", "thon dong" and
// "Đông" are one key.
func hamletNameKey(name string) string {
	f := tabular.Fold(name)
	for _, prefix := range []string{"to_dan_pho_", "khu_pho_", "tdp_", "thon_", "ap_", "ban_", "buon_", "lang_", "soc_", "plei_", "xom_", "khom_", "to_"} {
		if rest, ok := strings.CutPrefix(f, prefix); ok && rest != "" {
			return rest
		}
	}
	return f
}

func parseSheetDate(v string) (time.Time, bool) {
	for _, l := range []string{"2006-01-02", "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(l, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func anyFilled(cell func(string) string, names []string) bool {
	for _, n := range names {
		if cell(n) != "" {
			return true
		}
	}
	return false
}

// uniqueFieldErrors drops an error repeated on the same field with the same code (the CCCD is checked
// by both parts).
func uniqueFieldErrors(errs []FieldError) []FieldError {
	seen := map[string]bool{}
	out := errs[:0]
	for _, e := range errs {
		k := e.Pointer + "|" + e.Code
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// columnHeaders names every column of the kind as the file's header does, or by its Vietnamese label
// when the file has no such column (for errors the store reports by column: store.ImportWork.Columns).
func (k *importKind) columnHeaders(idx map[string]int, header []string) map[string]string {
	out := make(map[string]string, len(k.columns))
	for _, c := range k.columns {
		if i, ok := idx[c.name]; ok && i < len(header) {
			out[c.name] = header[i]
		} else if h := templateHeader(k.name, c.name); h != "" {
			out[c.name] = h
		}
	}
	return out
}

// sheetFormat describes the sheet's columns whose meaning differs from the people and posts templates
// ("" for the others).
func sheetFormat(col string) (string, string) {
	switch col {
	case "national_id":
		return "12 chữ số (định dạng ô Text để giữ số 0 ở đầu); người giữ hai chức danh ghi hai dòng cùng số CCCD",
			"12 digits (format the cells as Text to keep leading zeros); a person with two posts is two rows with the same CCCD"
	case "full_name", "gender", "birth_date":
		return "Bắt buộc ở dòng đầu tiên của người chưa có trong danh sách nhân sự; các dòng sau của cùng người có thể để trống hoặc phải ghi giống nhau",
			"Required on the first row of a person not yet in the register; a later row of the same person may leave it blank or must give the same"
	case "position_code":
		return "Tên chức danh (hoặc mã), không phân biệt dấu; để trống nếu dòng chỉ ghi thông tin của người",
			"Post title (or code), accents optional; blank when the row gives only the person"
	case "hamlet_code":
		return "Tên hoặc mã thôn, tổ dân phố của xã (cho chức danh ở thôn, tổ dân phố); để trống cho chức danh cấp xã",
			"Name or code of a hamlet of the commune (for a hamlet post); blank for a commune post"
	case "start_date":
		return "Ngày: DD/MM/YYYY hoặc YYYY-MM-DD, hoặc ô kiểu ngày; bắt buộc khi dòng ghi chức danh",
			"Date: DD/MM/YYYY or YYYY-MM-DD, or a date cell; required when the row gives a post"
	case "commune_code":
		return "Mã xã 5 chữ số (định dạng Text); chỉ cần khi không chọn xã lúc tải danh sách lên",
			"5-digit commune code (as Text); only needed when no commune is chosen for the upload"
	}
	return "", ""
}

// sheetKey is what a sheet upload adds to its Idempotency-Key's fingerprint: the commune it is for.
func sheetKey(kind *importKind, q url.Values) string {
	if kind != sheetKind {
		return ""
	}
	return "commune=" + q.Get("commune") + "|"
}

// sheetCarry gives a row that leaves the CCCD and every personal cell blank but names a post the CCCD of
// the row above: the person's second post, under cells merged over the person's rows (excelize reads a
// merged cell's value in its first row only) or left blank as "same as above".
func sheetCarry(idx map[string]int, carried *string, rec []string) {
	filled := func(name string) bool {
		i, ok := idx[name]
		return ok && i < len(rec) && tabular.CleanCell(rec[i]) != ""
	}
	i, ok := idx["national_id"]
	switch {
	case !ok || i >= len(rec):
		return
	case filled("national_id"):
		*carried = rec[i]
		return
	case *carried == "":
		return
	}
	for _, c := range sheetPersonColumns {
		if filled(c) {
			return
		}
	}
	for _, c := range sheetPostColumns {
		if filled(c) {
			rec[i] = *carried
			return
		}
	}
}
