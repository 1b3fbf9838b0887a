package msg

// catalogue holds every message, Vietnamese first. Arguments are positional (%[1]s …) and always strings
// (New renders numbers, dates and citations). Citations arrive already read as each language cites law:
// "khoản 3 Điều 34 Nghị định 33/2023/NĐ-CP" / "Decree 33/2023 Art. 34 cl. 3".
var catalogue = map[string]entry{
	// GET / for an API caller: the index of starting points (titles of links).
	"index.title": {
		"Hệ thống quản lý người hoạt động không chuyên trách ở cấp xã",
		"Register of non-professional local officials in communes"},
	"index.self": {"Trang này", "This page"},
	"index.openapi": {
		"Tài liệu mô tả giao diện lập trình (OpenAPI 3)",
		"Description of the programming interface (OpenAPI 3)"},
	"index.me":        {"Khóa truy cập đang dùng và quyền của khóa", "The access key in use and what it may do"},
	"index.provinces": {"Các tỉnh, thành phố", "Provinces and cities"},
	"index.national":  {"Tổng hợp toàn quốc", "National summary"},
	"index.positions": {"Danh mục chức danh", "Catalogue of posts"},
	"index.health":    {"Tình trạng hoạt động của dịch vụ", "Whether the service is up"},
	"index.console":   {"Trang quản trị cho cán bộ (đăng nhập)", "The officers' console (sign in)"},
	// The register: a person (API and import field errors; the pointer names the field, the text does not).
	"cadre.name_length": {
		"Họ và tên phải dài từ 2 đến 100 ký tự",
		"The full name must be 2 to 100 characters long"},
	"cadre.name_letters": {
		"Họ và tên chỉ được gồm chữ cái (kể cả chữ có dấu tiếng Việt), dấu cách, dấu nháy đơn và dấu gạch nối",
		"The full name may hold only letters (Vietnamese diacritics included), spaces, apostrophes and hyphens"},
	"cadre.birth_future": {
		"Ngày sinh không được ở tương lai",
		"The birth date must not be in the future"},
	"cadre.birth_before_1900": {
		"Ngày sinh không được trước ngày 01/01/1900",
		"The birth date must not be before 1900-01-01"},
	"cadre.left_on_while_active": {
		"Ngày nghỉ phải để trống khi người này đang công tác",
		"The date left must be empty while the person is still working"},
	"cadre.left_on_required": {
		"Cần ghi ngày nghỉ khi người này %[1]s",
		"The date left is required when the person has %[1]s"},
	"cadre.left_on_before_birth": {
		"Ngày nghỉ không được trước ngày sinh",
		"The date left must not be before the birth date"},
	"nid.not_gender_century": {
		"Chữ số thứ 4 của số định danh (%[1]s) không phải mã giới tính/thế kỷ (0–5)",
		"The 4th digit of the identity number (%[1]s) is not a gender/century code (0–5)"},
	"nid.gender": {
		"Chữ số thứ 4 của số định danh (%[1]s) chỉ giới tính %[2]s, nhưng giới tính ghi là %[3]s",
		"The 4th digit of the identity number (%[1]s) means %[2]s, but the gender given is %[3]s"},
	"nid.century": {
		"Chữ số thứ 4 của số định danh (%[1]s) chỉ năm sinh %[2]s–%[3]s, nhưng ngày sinh thuộc năm %[4]s",
		"The 4th digit of the identity number (%[1]s) means born %[2]s–%[3]s, but the birth date is in %[4]s"},
	"nid.birth_year": {
		"Chữ số thứ 5–6 của số định danh (%[1]s) không khớp năm sinh %[2]s",
		"Digits 5–6 of the identity number (%[1]s) do not match the birth year %[2]s"},
	"cadre.si_range": {
		"Số tháng đóng bảo hiểm xã hội phải từ 0 đến 720",
		"Months of social insurance must be between 0 and 720"},
	"cadre.si_uncompensated_above_total": {
		"Thời gian đóng bảo hiểm xã hội chưa hưởng trợ cấp không được lớn hơn tổng thời gian đóng bảo hiểm xã hội",
		"The social insurance time not yet compensated cannot exceed the total social insurance time"},
	"cadre.decree29_paid_on_unpaid": {
		"Có ngày chi trả nhưng trợ cấp theo Nghị định 29/2023/NĐ-CP lại được ghi là chưa chi trả",
		"A payment date is given but the Decree 29/2023 allowance is recorded as not paid"},

	// The register: a commune.
	"commune.ward_of_urban_district_only_ward": {
		"Chỉ phường mới có thể là phường thuộc quận",
		"Only a ward can be a ward of an urban district"},

	// Field labels: how a message names an input a person filled in (never its API name).
	"field.allowance_basis":      {"Cách tính phụ cấp hiện hưởng", "the basis of the current allowance"},
	"field.birth_date":           {"Ngày sinh", "the birth date"},
	"field.class":                {"Loại đơn vị hành chính", "the class of the unit"},
	"field.code":                 {"Mã", "the code"},
	"field.coefficient":          {"Hệ số", "the coefficient"},
	"field.commune_code":         {"Mã xã", "the commune code"},
	"field.decision_date":        {"Ngày quyết định", "the decision date"},
	"field.decision_number":      {"Số quyết định", "the decision number"},
	"field.effective_from":       {"Ngày hiệu lực", "the first day in force"},
	"field.effective_to":         {"Ngày hết hiệu lực", "the last day in force"},
	"field.exit_date":            {"Ngày đầu tiên nghỉ việc", "the first day out"},
	"field.last_day_worked":      {"Ngày làm việc cuối cùng", "the last day worked"},
	"field.full_name":            {"Họ và tên", "the full name"},
	"field.gender":               {"Giới tính", "the gender"},
	"field.hamlet_code":          {"Mã thôn, tổ dân phố", "the hamlet code"},
	"field.hamlet_fund_category": {"Mức khoán quỹ phụ cấp thôn", "the hamlet fund category"},
	"field.households":           {"Số hộ gia đình", "the number of households"},
	"field.ids":                  {"Danh sách người", "the list of people"},
	"field.kind":                 {"Loại", "the kind"},
	"field.name":                 {"Tên", "the name"},
	"field.national_id":          {"Số định danh cá nhân", "the identity number"},
	"field.population":           {"Dân số", "the population"},
	"field.position_code":        {"Chức danh", "the post"},
	"field.position_level":       {"Cấp của chức danh", "the level of the post"},
	"field.reason":               {"Lý do nghỉ việc", "the reason for leaving"},
	"field.resolution":           {"Nghị quyết", "the resolution"},
	"field.rows":                 {"Các dòng", "the rows"},
	"field.si_months":            {"Số tháng đóng bảo hiểm xã hội", "the months of social insurance"},
	"field.signer_title":         {"Chức vụ người ký", "the signer's title"},
	"field.start_date":           {"Ngày bắt đầu", "the start date"},
	"field.status":               {"Trạng thái", "the status"},
	"field.successor_code":       {"Mã đơn vị kế thừa", "the successor unit's code"},
	"field.old_province_code":    {"Mã tỉnh cũ (trước sắp xếp năm 2025)", "the pre-2025 province code"},
	"field.monthly_salary":       {"Tiền lương tháng hiện hưởng", "the current monthly salary"},

	// Reports.
	"report.left_under_decision": {
		"Nghỉ việc theo quyết định số %[1]s ngày %[2]s; ngày làm việc cuối cùng %[3]s; không chi trả phụ cấp từ ngày %[4]s",
		"Left under decision %[1]s of %[2]s; last day worked %[3]s; not paid from %[4]s"},

	// Allowances.
	"allowance.no_main_post": {
		"Không có chức danh chính: mọi chức danh đều là kiêm nhiệm",
		"No main post: every post is marked concurrent"},

	// Choosing among exit policies.
	"exit.no_policy": {
		"Không có chính sách nào áp dụng cho trường hợp nghỉ việc này",
		"No policy applies to this exit"},
	"exit.most_favourable": {
		"chính sách có lợi nhất trong các chính sách được áp dụng",
		"most favourable eligible policy"},
	"exit.less_favourable": {
		"kém có lợi hơn %[1]s (%[2]s < %[3]s)",
		"less favourable than %[1]s (%[2]s < %[3]s)"},
	"exit.equal_listed_first": {
		"bằng %[1]s, chính sách được liệt kê trước",
		"equal to %[1]s, which is listed first"},

	// Counting months.
	"months.to_retirement_days_dropped": {
		"Số tháng đến thời điểm nghỉ hưu: tính %[1]s tháng; %[2]s ngày lẻ không được tính (chỉ tính tháng tròn)",
		"Months until the retirement time: %[1]s months counted; the remaining %[2]s days are not counted (whole calendar months only)"},
	"months.left_early_days_dropped": {
		"Số tháng nghỉ trước: tính %[1]s tháng; %[2]s ngày lẻ không được tính (chỉ tính tháng tròn)",
		"Months left early: %[1]s months counted; the remaining %[2]s days are not counted (whole calendar months only)"},

	// Decree 29/2023.
	"d29.outside_window": {
		"Khoản 3 Điều 2 Nghị định 29/2023/NĐ-CP: chỉ áp dụng với người nghỉ trong thời gian %[1]s tháng kể từ quyết định sắp xếp (%[2]s)",
		"Decree 29/2023 Art. 2 cl. 3: only workers leaving within %[1]s months of the reorganisation decision (%[2]s) are covered"},
	"d29.at_retirement_age": {
		"Đã đến tuổi nghỉ hưu vào ngày nghỉ việc (thời điểm nghỉ hưu %[1]s): không có tháng nghỉ trước",
		"Already at retirement age on the exit date (retirement time %[1]s): no month is left early"},
	"d29.roadmap_end_missing": {
		"Chưa nhập thời điểm kết thúc lộ trình sắp xếp: thời điểm nghỉ hưu được so với thời điểm kết thúc nhiệm kỳ (khoản 2 Điều 9 Nghị định 29/2023/NĐ-CP so với thời điểm kết thúc lộ trình sắp xếp)",
		"The end of the reorganisation roadmap was not given: the retirement time is compared with the end of the term instead (Decree 29/2023 Art. 9 cl. 2 compares it with the end of the roadmap)"},
	"d29.months_to_retirement": {
		"Số tháng tính đến thời điểm nghỉ hưu %[1]s, trước thời điểm kết thúc lộ trình sắp xếp %[2]s (%[3]s)",
		"Months counted to the retirement time %[1]s, which comes before the end of the reorganisation roadmap %[2]s (%[3]s)"},
	"d29.transition_unknown": {
		"Nếu đến ngày 16/6/2025 chưa chi trả trợ cấp này thì được tính lại theo Nghị định 154/2025/NĐ-CP và cấp bù phần chênh lệch: nhập đã chi trả hay chưa và ngày chi trả để xem phần chênh lệch",
		"If this allowance had not been paid by 2025-06-16, Decree 154/2025 recalculates it and pays the difference: say whether and when it was paid to see the difference"},
	"d29.transition_no_difference": {
		"Tính lại theo Nghị định 154/2025/NĐ-CP được %[1]s, không cao hơn theo Nghị định 29/2023/NĐ-CP: không có phần chênh lệch",
		"Recalculated under Decree 154/2025 the allowance is %[1]s, not more than under Decree 29/2023: no difference is due"},

	// Decree 33/2023 funds.
	"d33.increments_not_applied": {
		"Chưa áp dụng số người tăng thêm theo quy mô dân số, diện tích (khoản 2 Điều 33 Nghị định 33/2023/NĐ-CP): nhập loại đơn vị, dân số và diện tích để áp dụng",
		"Population and area increments (Decree 33/2023 Art. 33 cl. 2) are not applied: give the unit's kind, population and area to apply them"},
	"d33.township_no_standard": {
		"Chưa xác định được tiêu chuẩn dân số, diện tích của thị trấn: chưa áp dụng số người tăng thêm",
		"The population and area standards of a township (thị trấn) were not found: no increment is applied"},

	// Decree 154/2025, non-professional workers.
	"d154.art9_outside_window": {
		"Ngày nghỉ việc %[1]s nằm ngoài khoảng thời gian áp dụng Điều 9 Nghị định 154/2025/NĐ-CP đối với người hoạt động không chuyên trách cấp xã (nghỉ việc từ %[2]s đến %[3]s, theo %[4]s): số tiền dưới đây là mức Điều 9 sẽ chi trả, nhưng người này có thể không thuộc đối tượng",
		"This exit on %[1]s is outside the period Decree 154/2025 Art. 9 covers for commune-level workers (exits from %[2]s to %[3]s, %[4]s): the amounts show what Art. 9 would pay, but the person may not qualify for it"},
	"d154.reemployed_repay": {
		"Được tuyển dụng lại hưởng lương từ ngân sách nhà nước hoặc bố trí chức danh ở thôn, tổ dân phố trong %[1]s tháng: phải hoàn trả trợ cấp (khoản 6 Điều 3 Nghị định 154/2025/NĐ-CP)",
		"Re-employed by the state budget or given a hamlet post within %[1]s months: the allowance must be repaid (Decree 154/2025 Art. 3 cl. 6)"},
	"d154.kept_in_hamlet_post": {
		"Được bố trí chức danh ở thôn, tổ dân phố: không thuộc đối tượng nghỉ việc theo khoản 4 Điều 9 Nghị định 154/2025/NĐ-CP",
		"Given a hamlet/residential-group post instead of leaving: not a leaver under Decree 154/2025 Art. 9 cl. 4"},
	"d154.work_years_rounded": {
		"Thời gian công tác %[1]s tháng tính là %[2]s năm (1–6 tháng lẻ → ½ năm, trên 6 tháng → 1 năm)",
		"Working time %[1]s months counted as %[2]s years (1–6 odd months → ½ year, more than 6 → 1 year)"},
	"d154.retired_lump_sum": {
		"Đã đủ tuổi nghỉ hưu (thời điểm nghỉ hưu %[1]s) hoặc đang hưởng chế độ hưu trí: không áp dụng khoản 1, được trợ cấp một lần %[3]s tháng phụ cấp theo %[2]s",
		"At or past retirement age (retirement time %[1]s) or on a pension: clause 1 does not apply; %[2]s pays a one-off %[3]s months' allowance"},
	"d154.art10_cl2_amount_unconfirmed": {
		"Các trích dẫn đã công bố của khoản 2 Điều 10 Nghị định 154/2025/NĐ-CP không nêu mức trợ cấp; mức %[1]s tháng theo khoản tương ứng đối với người hoạt động không chuyên trách cấp xã (khoản 2 Điều 9): cần đối chiếu với văn bản gốc trước khi chi trả",
		"The published excerpts of Decree 154/2025 Art. 10 cl. 2 do not state its amount; %[1]s months is the amount of the matching clause for commune workers (Art. 9 cl. 2): check it against the decree before paying"},

	// Cadres and civil servants (Decree 178/2024, Decree 154/2025 Art. 6 and 8).
	"cadre.at_retirement_age": {
		"Đã đến tuổi nghỉ hưu vào ngày nghỉ (thời điểm nghỉ hưu %[1]s)",
		"Already at retirement age on the exit date (retirement time %[1]s)"},
	"cadre.years_early_rounded": {
		"%[1]s tháng nghỉ sớm tính là %[2]s năm (từ 1 đến 6 tháng lẻ tính là ½ năm, trên 6 tháng tính là 1 năm)",
		"%[1]s months early counted as %[2]s years (1–6 odd months → ½ year, more than 6 → 1 year)"},
	"d154.art6_band": {
		"%[1]s áp dụng với người còn từ đủ 2 năm đến đủ 5 năm đến tuổi nghỉ hưu; trường hợp này còn %[2]s",
		"%[1]s covers 2 to 5 years to retirement age; this exit is %[2]s before it"},
	"d154.art6_si_not_enough": {
		"Chưa đủ thời gian đóng BHXH bắt buộc để hưởng lương hưu (%[1]s tháng; cần %[2]s năm): không áp dụng %[3]s",
		"Not enough compulsory SI time for a pension (%[1]s months; %[2]s years needed): %[3]s does not apply"},
	"d154.no_si_years_allowance": {
		"Thời gian đóng BHXH chưa hưởng trợ cấp dưới %[1]s năm: không có trợ cấp theo số năm đóng BHXH theo %[2]s",
		"Fewer than %[1]s years of SI not yet compensated: no SI-years allowance under %[2]s"},
	"d154.resign_at_retirement_age": {
		"Đã đến tuổi nghỉ hưu vào ngày nghỉ (thời điểm nghỉ hưu %[1]s): không áp dụng %[2]s",
		"Already at retirement age on the exit date (retirement time %[1]s): %[2]s does not apply"},
	"d154.resign_eligible_early": {
		"Đủ điều kiện nghỉ hưu trước tuổi theo %[1]s: %[2]s chỉ áp dụng với người không đủ điều kiện",
		"Eligible for early retirement under %[1]s: %[2]s covers only people who are not"},
	"d178.not_offered": {
		"Không áp dụng Nghị định 178/2024/NĐ-CP cho trường hợp nghỉ việc ngày %[1]s: theo %[2]s, việc giải quyết chế độ theo Nghị định 178 phải hoàn thành trước ngày %[3]s; người nghỉ việc từ ngày %[4]s được giải quyết theo Nghị định 154/2025/NĐ-CP",
		"Decree 178/2024 is not offered for an exit on %[1]s: %[2]s required its settlements for this reorganisation to be completed by %[3]s; exits from %[4]s are handled under Decree 154/2025"},
	"d178.merged_unit_not_covered": {
		"Người dôi dư do sắp xếp đơn vị hành chính giai đoạn 2019–2025 chỉ thuộc đối tượng Nghị định 178/2024/NĐ-CP khi nghỉ việc sau ngày %[1]s (%[2]s); ngày nghỉ việc này là %[3]s",
		"Surplus from the 2019–2025 unit mergers is covered by Decree 178/2024 only when leaving after %[1]s (%[2]s); this exit is on %[3]s"},
	"d178.more_than_10_years": {
		"Còn trên 10 năm đến tuổi nghỉ hưu (%[1]s): Điều 7 Nghị định 178/2024/NĐ-CP chỉ áp dụng tối đa 10 năm",
		"More than 10 years to retirement age (%[1]s): Decree 178/2024 Art. 7 covers at most 10 years"},
	"d178.si_not_enough": {
		"Chưa đủ thời gian đóng BHXH bắt buộc để hưởng lương hưu (%[1]s tháng; cần %[2]s năm): không áp dụng Điều 7 Nghị định 178/2024/NĐ-CP",
		"Not enough compulsory SI time for a pension (%[1]s months; %[2]s years needed): Decree 178/2024 Art. 7 does not apply"},
	"d178.fewer_than_2_years_per_year": {
		"Còn dưới 2 năm đến tuổi nghỉ hưu: không áp dụng các khoản trợ cấp theo năm tại khoản 2 Điều 7 Nghị định 178/2024/NĐ-CP",
		"Fewer than 2 years to retirement: the per-year allowances of Art. 7 cl. 2 do not apply"},
	"d178.years_early_rounded": {
		"%[1]s tháng nghỉ sớm tính là %[2]s năm (Điều 5 Nghị định 178/2024/NĐ-CP: từ 1 đến 6 tháng lẻ tính là ½ năm, trên 6 tháng tính là 1 năm)",
		"%[1]s months early counted as %[2]s years (Decree 178/2024 Art. 5: 1–6 odd months → ½ year, more than 6 → 1 year)"},
	"d178.resign_fewer_than_2_years": {
		"Còn dưới 2 năm đến tuổi nghỉ hưu (thời điểm nghỉ hưu %[1]s): không áp dụng Điều 9 Nghị định 178/2024/NĐ-CP",
		"Fewer than 2 years to retirement age (retirement time %[1]s): Decree 178/2024 Art. 9 does not apply"},
	"d178.resign_eligible_early": {
		"Đủ điều kiện nghỉ hưu trước tuổi theo Điều 7 Nghị định 178/2024/NĐ-CP: Điều 9 chỉ áp dụng với người không đủ điều kiện",
		"Eligible for early retirement under Decree 178/2024 Art. 7: Art. 9 covers only people who are not"},
}
