package api

import (
	"strings"
	"testing"

	"communehr/internal/store"
)

// Issue 10 item 2, as a class: a job's errors quoted whole cells, in both languages, and the job keeps
// 1,000 of them. A 60 MB file of 1,000 rows whose months cell is 60 KB made a job of 60 MB, answered whole
// by the upload, by every GET of the job and by every page of the job list (which carries each job's
// errors). A message quotes the start of a long cell only, and the job's answer stays small.
func TestAJobsErrorsQuoteTheStartOfALongCell(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	var b strings.Builder
	b.WriteString("national_id,full_name,gender,birth_date,si_months\n")
	big := "12" + strings.Repeat("9", 60000) + "x"
	for i := 0; i < 1000; i++ {
		b.WriteString("001085123456,Lê Văn Ba,male,1985-01-01," + big + "\n")
	}
	r := e.upload(ed, "kind=cadres&mode=validate", []byte(b.String()))
	j := importJob(t, r)
	if j.Status != "failed" || j.ErrorsTotal != 1000 || len(j.Errors) != 1000 {
		t.Fatalf("job %s, %d errors (%d kept)", j.Status, j.ErrorsTotal, len(j.Errors))
	}
	msg := j.Errors[0].Message
	if !strings.Contains(msg, `"129999`) || !strings.Contains(msg, "…") || !strings.HasSuffix(msg, "is not a whole number") || len(msg) > 200 {
		t.Fatalf("message %q: want the start of the cell, an ellipsis and what is wrong", msg)
	}
	viewer := e.key(store.RoleProvinceViewer, "01")
	for _, path := range []string{"/v1/provinces/01/imports/" + j.ID, "/v1/provinces/01/imports"} {
		g := e.do("GET", path, viewer, nil, "Accept-Language", "vi")
		if g.Status != 200 || len(g.Body) > 400<<10 {
			t.Fatalf("GET %s: %d, %d bytes", path, g.Status, len(g.Body))
		}
	}
	if len(r.Body) > 400<<10 {
		t.Fatalf("the upload answered %d bytes", len(r.Body))
	}
}

// The same for a header cell: the error names the column by its start, and quotes its start only.
func TestAnUnknownLongHeaderIsNamedByItsStart(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	long := "Ghi chú " + strings.Repeat("rất dài ", 5000)
	j := importJob(t, e.upload(ed, "kind=cadres&mode=validate", []byte("national_id,full_name,gender,birth_date,"+long+"\n001085123456,Lê Văn Ba,male,1985-01-01,x\n")))
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Code != "unknown_column" {
		t.Fatalf("job %+v", j)
	}
	er := j.Errors[0]
	if len([]rune(er.Column)) > 121 || !strings.HasPrefix(er.Column, "Ghi chú rất dài") || len(er.Message) > 2000 ||
		!strings.Contains(er.Message, `"Ghi chú rất dài`) {
		t.Fatalf("error %d runes of column, %d bytes of message: %.200q", len([]rune(er.Column)), len(er.Message), er.Message)
	}
}
