package msg

// Refusals of a post (a person's assignment): they name the post by its title, its unit's field by what an
// officer calls it, and an existing post by its dates — never by its internal id.
func init() {
	for code, e := range map[string]entry{
		"post.unknown_position": {
			"Chức danh không có trong danh mục chức danh quốc gia",
			"The post is not in the national catalogue of posts"},
		"post.unit_required": {
			"%[1]s là bắt buộc: %[2]s là chức danh %[3]s",
			"%[1]s is required: %[2]s is a %[3]s post"},
		"post.unit_not_allowed": {
			"%[1]s phải để trống: %[2]s là chức danh %[3]s",
			"%[1]s must be left empty: %[2]s is a %[3]s post"},
		"post.overlap": {
			"Người này đã giữ chức danh %[1]s từ %[2]s đến %[3]s; các thời kỳ của cùng một chức danh không được trùng nhau",
			"This person already holds %[1]s from %[2]s to %[3]s; periods of the same post may not overlap"},
		"post.end_before_start": {
			"Ngày kết thúc không được trước ngày bắt đầu",
			"The end date must not be before the start date"},
		"post.term_end_before_start": {
			"Ngày hết nhiệm kỳ không được trước ngày bắt đầu",
			"The end of the term must not be before the start date"},
		"post.allowance_money": {
			"Mức phụ cấp riêng phải là số đồng nguyên, từ 0 trở lên (dưới 10^14)",
			"The post's own allowance must be a whole number of đồng, 0 or more (below 10^14)"},
	} {
		if _, dup := catalogue[code]; dup {
			panic("msg: code defined twice: " + code)
		}
		catalogue[code] = e
	}
}
