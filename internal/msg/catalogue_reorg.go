package msg

// Reorganisations (issue 11 item 5): the questions a split asks and the refusals of a mapping, as an
// officer reads them — units by their code, people and hamlets by name, never a record's id or an API
// field.
func init() {
	for code, e := range map[string]entry{
		"reorg.question_hamlet": {
			"thôn, tổ dân phố %[1]s (mã %[2]s) thuộc đơn vị %[3]s bị chia tách: chọn đơn vị nhận trong số %[4]s",
			"hamlet %[1]s (code %[2]s) of unit %[3]s, which splits: choose which of %[4]s takes it"},
		"reorg.question_post": {
			"%[1]s tại đơn vị %[2]s bị chia tách: chọn đơn vị nhận trong số %[3]s",
			"%[1]s in unit %[2]s, which splits: choose which of %[3]s takes it"},
		"reorg.question_post_or_end": {
			"%[1]s tại đơn vị %[2]s: chọn đơn vị nhận trong số %[3]s, hoặc chấm dứt chức danh",
			"%[1]s in unit %[2]s: choose which of %[3]s takes it, or end the post"},
		"reorg.mapping_type": {
			"phương án sắp xếp là danh sách các dòng, mỗi dòng ghi mã đơn vị cũ, mã đơn vị mới và phạm vi (toàn bộ hoặc một phần), hoặc phương án sắp xếp toàn quốc năm 2025",
			"the mapping is a list of lines, each with the old unit's code, the new unit's code and the coverage (whole or in part), or the 2025 national merger"},
		"reorg.mapping_unknown": {
			"phương án có sẵn duy nhất là phương án sắp xếp toàn quốc năm 2025",
			"the only ready-made mapping is the 2025 national merger"},
		"reorg.mapping_required": {
			"cần có phương án sắp xếp",
			"the mapping is required"},
	} {
		if _, dup := catalogue[code]; dup {
			panic("msg: code defined twice: " + code)
		}
		catalogue[code] = e
	}
}
