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
		"post.overlap_in_file": {
			"Người này đã giữ chức danh %[1]s từ %[2]s đến %[3]s (dòng %[4]s của tệp); các thời kỳ của cùng một chức danh không được trùng nhau",
			"This person already holds %[1]s from %[2]s to %[3]s (line %[4]s of this file); periods of the same post may not overlap"},
		"post.hamlet_posts": {
			"Thôn/tổ dân phố %[1]s (%[2]s) đã có %[3]s chức danh hưởng phụ cấp vào ngày %[4]s: %[5]s; tối đa %[6]s (Nghị định 33/2023/NĐ-CP)",
			"Hamlet %[1]s (%[2]s) already has %[3]s paid posts in force on %[4]s: %[5]s; at most %[6]s (Decree 33/2023/NĐ-CP)"},
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
