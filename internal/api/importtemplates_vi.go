package api

// templateHeaders are the Vietnamese headers the templates write (GET /v1/import-templates/{kind}.xlsx?lang=vi),
// by kind and column; each is accepted on upload.
var templateHeaders = map[string]map[string]string{
	"communes": {"code": "Mã xã", "name": "Tên xã", "kind": "Loại đơn vị", "class": "Phân loại", "population": "Dân số",
		"area_km2": "Diện tích (km2)", "key_security_order": "Trọng điểm an ninh trật tự", "border": "Biên giới",
		"island": "Hải đảo", "effective_from": "Ngày hiệu lực", "effective_to": "Ngày hết hiệu lực",
		"successor_code": "Mã đơn vị kế thừa", "mountainous": "Miền núi, vùng cao", "ward_of_urban_district": "Phường thuộc quận",
		"old_province_code": "Mã tỉnh cũ"},
	"hamlets": {"code": "Mã thôn", "commune_code": "Mã xã", "name": "Tên thôn, tổ dân phố", "kind": "Loại",
		"households": "Số hộ gia đình", "key_security_order": "Trọng điểm an ninh trật tự",
		"border_or_island": "Biên giới, hải đảo", "converted_from_thon": "Chuyển từ thôn", "effective_from": "Ngày hiệu lực",
		"effective_to": "Ngày hết hiệu lực", "successor_code": "Mã đơn vị kế thừa"},
	"cadres": {"national_id": "Số CCCD", "full_name": "Họ và tên", "gender": "Giới tính", "birth_date": "Ngày sinh",
		"si_months": "Số tháng đóng BHXH", "status": "Trạng thái", "left_on": "Ngày nghỉ việc",
		"si_total_months": "Tổng số tháng đóng BHXH", "si_uncompensated_months": "Số tháng BHXH chưa hưởng trợ cấp",
		"decree29_paid": "Đã chi trả theo NĐ 29", "decree29_paid_on": "Ngày chi trả theo NĐ 29",
		"merged_unit_surplus": "Dôi dư do sắp xếp đơn vị", "active_from": "Ngày trở lại công tác"},
	"assignments": {"national_id": "Số CCCD", "position_code": "Chức danh", "commune_code": "Mã xã",
		"hamlet_code": "Mã thôn", "start_date": "Ngày bắt đầu", "end_date": "Ngày kết thúc", "concurrent": "Kiêm nhiệm",
		"elected": "Do bầu cử", "term_end": "Ngày hết nhiệm kỳ", "allowance_override": "Phụ cấp riêng"},
	"commune-sheet": sheetHeaders, // import_sheet.go
}

// templateHeader is the Vietnamese header of a column ("" when it has none).
func templateHeader(kind, column string) string { return templateHeaders[kind][column] }
