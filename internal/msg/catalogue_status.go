package msg

// A person's status in time (issue 11 item 2; migration 0029): field errors of a return to work and what
// reports and computations say about a person who was not working on the date.
func init() {
	for code, e := range map[string]entry{
		"cadre.active_from_not_active": {
			"Ngày trở lại công tác chỉ ghi khi người này đang công tác",
			"The date back at work is given only when the person is working"},
		"cadre.active_from_not_left": {
			"Người này chưa từng nghỉ nên không có ngày trở lại công tác",
			"The person has never left, so there is no date back at work"},
		"cadre.active_from_before_leaving": {
			"Ngày trở lại công tác phải sau ngày nghỉ (%[1]s)",
			"The date back at work must be after the date left (%[1]s)"},
		"cadre.left_on_before_return": {
			"Ngày nghỉ phải sau ngày trở lại công tác (%[1]s)",
			"The date left must be after the date back at work (%[1]s)"},
		"status.not_working_on_date": {
			"Người này %[1]s từ ngày %[2]s, nên không còn công tác vào ngày này; không chi trả",
			"The person has %[1]s from %[2]s, so was not working on this date; not paid"},
		"status.not_working_last_day": {
			"Người này %[1]s từ ngày %[2]s, trước ngày làm việc cuối cùng",
			"The person has %[1]s from %[2]s, before the last day worked"},
	} {
		catalogue[code] = e
	}
}
