package msg

// Provinces: the register's tenant is a province of 2025 (issue 11 item 1); a province of the earlier map
// is named with the province it merged into.
func init() {
	for code, e := range map[string]entry{
		"province.merged": {
			"%[1]s (mã %[2]s) đã hợp nhất vào %[3]s (mã %[4]s) từ ngày 01/07/2025: sổ chỉ ghi nhận 34 tỉnh, thành phố từ ngày đó; hãy ghi nhận các đơn vị của tỉnh cũ dưới mã %[4]s",
			"%[1]s (code %[2]s) merged into %[3]s (code %[4]s) on 2025-07-01: the register holds the 34 provinces of that date; record the old province's units under %[4]s"},
		"province.merged_reference": {
			"%[1]s (mã %[2]s) đã hợp nhất vào %[3]s (mã %[4]s) từ ngày 01/07/2025: dữ liệu tham chiếu của %[3]s (mã %[4]s) gồm cả các đơn vị trước năm 2025 của tỉnh cũ",
			"%[1]s (code %[2]s) merged into %[3]s (code %[4]s) on 2025-07-01: the reference data of %[3]s (code %[4]s) includes the old province's units before 2025"},
	} {
		if _, dup := catalogue[code]; dup {
			panic("msg: code defined twice: " + code)
		}
		catalogue[code] = e
	}
}

// Loading the reference units over a register that already holds a unit of the same code and start.
func init() {
	catalogue["refunits.register_differs"] = entry{
		"Đơn vị %[1]s từ ngày %[2]s đã có trong sổ là %[3]s (%[4]s), dữ liệu tham chiếu ghi %[5]s (%[6]s): giữ nguyên theo sổ; hãy kiểm tra và sửa nếu sổ ghi sai",
		"Unit %[1]s from %[2]s is in the register as %[3]s (%[4]s), the reference data says %[5]s (%[6]s): the register's values are kept; check them and correct the register if it is wrong"}
}
