package msg

// The messages of the combined sheet of a commune (issue 13 item 4: people and posts in one upload).
func init() {
	for code, e := range map[string]entry{
		"sheet.commune_missing": {
			"Chưa rõ xã của dòng này: hãy chọn xã khi tải danh sách lên, hoặc ghi cột Mã xã",
			"The commune of this line is not known: choose the commune when uploading the sheet, or fill in the commune code column"},
		"sheet.commune_differs": {
			"Dòng này ghi xã %[1]s, nhưng danh sách được tải lên cho xã %[2]s",
			"This line names commune %[1]s, but the sheet was uploaded for commune %[2]s"},
		"sheet.commune_unknown": {
			"Tỉnh không có xã mã %[1]s",
			"The province has no commune with code %[1]s"},
		"sheet.hamlet_not_found": {
			"Xã %[1]s không có thôn, tổ dân phố nào có tên hoặc mã «%[2]s»",
			"Commune %[1]s has no hamlet or residential group named or coded «%[2]s»"},
		"sheet.hamlet_ambiguous": {
			"Xã %[1]s có nhiều thôn, tổ dân phố tên «%[2]s» (mã %[3]s): hãy ghi mã của thôn",
			"Commune %[1]s has several hamlets named «%[2]s» (codes %[3]s): write the hamlet's code"},
		"sheet.hamlet_other_commune": {
			"Thôn, tổ dân phố %[1]s thuộc xã %[2]s, không thuộc xã %[3]s",
			"Hamlet %[1]s belongs to commune %[2]s, not to commune %[3]s"},
		"sheet.empty_row": {
			"Dòng chỉ có số CCCD: hãy ghi thông tin của người này hoặc chức danh của họ",
			"The line holds only the CCCD number: fill in the person's data or their post"},
	} {
		catalogue[code] = e
	}
}
