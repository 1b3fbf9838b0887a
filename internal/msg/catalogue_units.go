package msg

// The life of units: a hamlet lies within its commune's period (issue 11), on every way in (the records
// API, the hamlets import, the reorganisation's writes).
func init() {
	for code, e := range map[string]entry{
		"hamlet.outside_commune_life": {
			"Thời gian tồn tại của thôn, tổ dân phố %[1]s (%[2]s) nằm ngoài thời gian tồn tại của đơn vị cấp xã %[3]s (%[4]s): thôn, tổ dân phố phải bắt đầu và kết thúc trong thời gian tồn tại của xã",
			"The period of hamlet %[1]s (%[2]s) lies outside the life of commune-level unit %[3]s (%[4]s): a hamlet must start and end within its commune's period"},
	} {
		if _, dup := catalogue[code]; dup {
			panic("msg: code defined twice: " + code)
		}
		catalogue[code] = e
	}
}
