package api

import (
	"strings"
	"testing"
)

// Done when: a people import dates a return to work (active_from, "Ngày trở lại công tác" in a Vietnamese
// file) as PATCH does, and the status history is the API's: left from left_on, active again from
// active_from; a file without the column leaves the return as it is; the API's rules refuse a return that
// is none, on the line and column (issue 11 item 2).
func TestAPeopleImportDatesAReturnToWorkAsTheAPIDoes(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	const csvHead = "national_id,full_name,gender,birth_date,status,left_on,active_from\n"
	mustSucceed(t, importJob(t, e.upload(ed, "kind=cadres", []byte(csvHead+
		"001080000701,Nguyễn Văn Về,male,1980-05-17,left,2025-03-01,\n001080000702,Trần Văn Đi,male,1980-05-17,left,2025-03-01,\n"+
		"001080000703,Lê Văn Ba,male,1980-05-17,left,2025-03-01,\n"))))
	// The return: by a Vietnamese file for one person, by PATCH for the other.
	mustSucceed(t, importJob(t, e.upload(ed, "kind=cadres", []byte("Số CCCD,Họ và tên,Giới tính,Ngày sinh,Trạng thái,Ngày trở lại công tác\n"+
		"001080000701,Nguyễn Văn Về,male,1980-05-17,active,2025-09-01\n"))))
	ids := map[string]string{}
	r := e.do("GET", "/v1/provinces/01/cadres", ed, nil)
	var l struct{ Items []cadreResponse }
	r.json(t, &l)
	for _, c := range l.Items {
		ids[c.NationalID] = c.ID
	}
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/cadres/"+ids["001080000702"], ed, map[string]any{"status": "active", "left_on": nil,
		"active_from": "2025-09-01"}, "If-Match", `"1"`), 200)
	history := func(nid string) string {
		t.Helper()
		var c cadreResponse
		r := e.do("GET", "/v1/provinces/01/cadres/"+ids[nid], ed, nil)
		mustStatus(t, r, 200)
		r.json(t, &c)
		if c.StatusHistory == nil {
			t.Fatalf("%s: no history: %s", nid, r.Body)
		}
		var parts []string
		for _, s := range *c.StatusHistory {
			parts = append(parts, s.Status+" "+histDate(s.ValidFrom)+".."+histDate(s.ValidTo))
		}
		return strings.Join(parts, ", ")
	}
	const want = "active ..2025-02-28, left 2025-03-01..2025-08-31, active 2025-09-01.."
	if got := history("001080000701"); got != want {
		t.Fatalf("imported return: %s, want %s", got, want)
	}
	if got := history("001080000702"); got != want {
		t.Fatalf("the API's return: %s, want %s", got, want)
	}
	// The commune sheet the same.
	mustSucceed(t, importJob(t, e.upload(ed, "kind=commune-sheet", []byte("Số CCCD,Họ và tên,Giới tính,Ngày sinh,Trạng thái,Ngày trở lại công tác\n"+
		"001080000703,Lê Văn Ba,Nam,17/05/1980,Đang công tác,01/09/2025\n"))))
	if got := history("001080000703"); got != want {
		t.Fatalf("the sheet's return: %s, want %s", got, want)
	}
	// A file without the column (or with the cell empty) leaves the return as recorded.
	j := importJob(t, e.upload(ed, "kind=cadres", []byte("national_id,full_name,gender,birth_date,status\n001080000701,Nguyễn Văn Về,male,1980-05-17,active\n")))
	if j.Status != "succeeded" || j.RowsUnchanged != 1 || history("001080000701") != want {
		t.Fatalf("re-import without the column: %+v, history %s", j, history("001080000701"))
	}
	for _, c := range []struct{ row, code, part string }{
		{"001080000701,Nguyễn Văn Về,male,1980-05-17,left,2025-10-01,2025-09-15", "active_only", "đang công tác"},
		{"001080000709,Lê Văn Mới,male,1980-05-17,active,,2025-09-15", "not_left", "chưa từng nghỉ"},
		{"001080000702,Trần Văn Đi,male,1980-05-17,active,,2025-03-01", "after_left_on", "01/03/2025"},
	} {
		j := importJob(t, e.upload(ed, "kind=cadres", []byte(csvHead+c.row+"\n"), "Accept-Language", "vi"))
		if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Line != 2 || j.Errors[0].Column != "active_from" ||
			j.Errors[0].Code != c.code || !strings.Contains(j.Errors[0].Message, c.part) {
			t.Errorf("%s: %+v", c.row, j)
		}
	}
	if history("001080000701") != want || history("001080000702") != want {
		t.Error("a refused import changed a history")
	}
}

func histDate(d *Date) string {
	if d == nil {
		return ""
	}
	return d.Format("2006-01-02")
}
