package msg

// The tables people exchange (issue 13 item 6): the notes of the allowance reports, the names of the exit
// policies as a reader cites them, and the appraisal list's texts.
var tablesCatalogue = map[string]entry{
	"report.flag.outside_unit_life": {
		"Chức danh được ghi là đang giữ nhưng đơn vị của chức danh không tồn tại vào ngày này; không chi trả",
		"The post is recorded as held but its unit does not exist on this date; not paid"},
	"report.flag.past_legal_end": {
		"Chức danh không chuyên trách cấp xã đã chấm dứt sau ngày %[1]s (%[2]s); không chi trả",
		"Commune-level non-professional posts ended after %[1]s (%[2]s); not paid"},
	"report.unit_not_in_force": {
		"Đơn vị không còn hiệu lực vào ngày lập báo cáo",
		"The unit is not in force on the report's date"},

	"policy.decree_29_2023":        {"Điều 9 Nghị định 29/2023/NĐ-CP", "Decree 29/2023/NĐ-CP Art. 9"},
	"policy.decree_154_2025_art9":  {"Điều 9 Nghị định 154/2025/NĐ-CP", "Decree 154/2025/NĐ-CP Art. 9"},
	"policy.decree_154_2025_art10": {"Điều 10 Nghị định 154/2025/NĐ-CP", "Decree 154/2025/NĐ-CP Art. 10"},
	"policy.decree_154_2025_art6":  {"Điều 6 Nghị định 154/2025/NĐ-CP", "Decree 154/2025/NĐ-CP Art. 6"},
	"policy.decree_154_2025_art8":  {"Điều 8 Nghị định 154/2025/NĐ-CP", "Decree 154/2025/NĐ-CP Art. 8"},
	"policy.decree_178_2024_art7":  {"Điều 7 Nghị định 178/2024/NĐ-CP", "Decree 178/2024/NĐ-CP Art. 7"},
	"policy.decree_178_2024_art9":  {"Điều 9 Nghị định 178/2024/NĐ-CP", "Decree 178/2024/NĐ-CP Art. 9"},
	"policy.none":                  {"Không có chế độ nào áp dụng", "No policy applies"},

	"appraisal.title": {
		"DANH SÁCH ĐỀ NGHỊ THẨM ĐỊNH CHẾ ĐỘ, CHÍNH SÁCH KHI NGHỈ VIỆC, ngày nghỉ việc %[1]s",
		"List for appraisal of exit entitlements, exit on %[1]s"},
	"appraisal.rounding": {
		"Tháng lẻ từ 1 đến 6 tháng tính ½ năm, trên 6 tháng tính 1 năm",
		"1 to 6 odd months count as ½ year, more than 6 as 1 year"},
	"appraisal.too_many": {
		"Danh sách có quá nhiều người cho một lần lập; hãy lập theo từng xã hoặc dùng lượt tính hàng loạt",
		"Too many people for one list; make it commune by commune, or use an entitlement run"},
	"appraisal.reason_required": {
		"Cần chọn lý do nghỉ việc: sắp xếp tổ chức bộ máy hoặc tinh giản biên chế",
		"Choose the reason for leaving: reorganisation or streamlining"},

	"appraisal.decisions_title": {
		"DANH SÁCH ĐỀ NGHỊ THẨM ĐỊNH CÁC QUYẾT ĐỊNH NGHỈ VIỆC",
		"List for appraisal of the exit decisions"},
	"appraisal.within_12":      {"Trong 12 tháng đầu kể từ quyết định sắp xếp", "Within the first 12 months of the reorganisation decision"},
	"appraisal.from_13":        {"Từ tháng thứ 13 kể từ quyết định sắp xếp", "From the 13th month after the reorganisation decision"},
	"decision.status.draft":    {"Dự thảo", "Draft"},
	"decision.status.approved": {"Đã phê duyệt", "Approved"},

	"bieu2e.title": {
		"TỔNG HỢP KINH PHÍ TĂNG THEO NGHỊ ĐỊNH SỐ 33/2023/NĐ-CP - NGƯỜI HOẠT ĐỘNG KHÔNG CHUYÊN TRÁCH Ở CẤP XÃ, Ở THÔN, TỔ DÂN PHỐ",
		"Funding increase under Decree 33/2023/NĐ-CP: non-professional workers of communes, hamlets and residential groups"},
	"bieu2e.subtitle": {
		"(Theo bố cục Biểu số 2e ban hành kèm theo Thông tư số 50/2023/TT-BTC ngày 17 tháng 7 năm 2023 của Bộ trưởng Bộ Tài chính); số liệu ngày %[1]s",
		"(In the layout of Form 2e of Circular 50/2023/TT-BTC of 17 July 2023 of the Minister of Finance); units as of %[1]s"},
}

func init() {
	for code, e := range tablesCatalogue {
		if _, dup := catalogue[code]; dup {
			panic("msg: code defined twice: " + code)
		}
		catalogue[code] = e
	}
}
