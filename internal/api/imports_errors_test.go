package api

import (
	"fmt"
	"strings"
	"testing"
)

// TestImportErrorsAreCountedAndStreamed (issue 10, item 2): a file with more failed rows than the job
// keeps: the job lists the first 1,000 errors by line and counts them all; errors.csv, read from the
// database a page at a time, holds every failed row as uploaded, in line order, whether the parser
// (a bad gender) or a database check (an ID twice in the file) refused it.
func TestImportErrorsAreCountedAndStreamed(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	var b strings.Builder
	const n = 3000
	b.WriteString("national_id,full_name,gender,birth_date\n")
	for i := 0; i < n; i++ {
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "001080%06d,Nguyễn Văn An,robot,1980-05-17\n", i)
		case 1:
			fmt.Fprintf(&b, "001080%06d,Trần Văn Bình,male,1980-05-17\n", i)
		default: // the ID of the line before: a duplicate in the file (a database check)
			fmt.Fprintf(&b, "001080%06d,Lê Văn Cúc,male,1980-05-17\n", i-1)
		}
	}
	r := e.upload(ed, "kind=cadres", []byte(b.String()))
	mustStatus(t, r, 201)
	j := importJob(t, r)
	if j.Status != "failed" || j.RowsTotal != n || j.RowsFailed != 2000 || j.ErrorsTotal != 2000 || len(j.Errors) != 1000 {
		t.Fatalf("job: status %s total %d failed %d errors_total %d listed %d", j.Status, j.RowsTotal, j.RowsFailed, j.ErrorsTotal, len(j.Errors))
	}
	for i, er := range j.Errors {
		want := 2 + i/2*3 + i%2*2 // lines 2, 4, 5, 7, 8, …: the parser's and the check's, by line
		if er.Line != want {
			t.Fatalf("errors[%d] at line %d, want %d (%+v)", i, er.Line, want, er)
		}
	}
	got := e.do("GET", "/v1/provinces/01/imports/"+j.ID, ed, nil)
	mustStatus(t, got, 200)
	if g := importJob(t, got); g.ErrorsTotal != 2000 || len(g.Errors) != 1000 {
		t.Fatalf("GET job: errors_total %d listed %d", g.ErrorsTotal, len(g.Errors))
	}
	recs := errorsCSV(t, e, ed, j.ID, ',')
	if len(recs) != 2001 {
		t.Fatalf("errors.csv has %d rows, want the header and 2,000", len(recs))
	}
	for k, rec := range recs[1:] {
		i := k/2*3 + k%2*2 // the file's row index
		wantID, wantCode := fmt.Sprintf("001080%06d", i), "gender"
		if k%2 == 1 {
			wantID, wantCode = fmt.Sprintf("001080%06d", i-1), "national_id"
		}
		if rec[0] != wantID || !strings.Contains(rec[4], wantCode) {
			t.Fatalf("errors.csv row %d = %q, want ID %s and an error on %s", k+1, rec, wantID, wantCode)
		}
	}
}

// TestHeaderErrorsAreCapped (issue 10, item 2): a header of 5,000 unknown columns is reported as the
// first 1,000 errors and their count, in the answer to the upload and in the job.
func TestHeaderErrorsAreCapped(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	var b strings.Builder
	b.WriteString("national_id,full_name,gender,birth_date")
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, ",extra%d", i)
	}
	b.WriteString("\n")
	r := e.upload(ed, "kind=cadres", []byte(b.String()))
	mustStatus(t, r, 201)
	if len(r.Body) > 300<<10 {
		t.Errorf("the answer is %d bytes", len(r.Body))
	}
	j := importJob(t, r)
	if j.Status != "failed" || j.ErrorsTotal != 5000 || len(j.Errors) != 1000 || j.Errors[999].Column != "extra999" {
		t.Fatalf("job: status %s errors_total %d listed %d", j.Status, j.ErrorsTotal, len(j.Errors))
	}
	g := importJob(t, e.do("GET", "/v1/provinces/01/imports/"+j.ID, ed, nil))
	if g.ErrorsTotal != 5000 || len(g.Errors) != 1000 {
		t.Fatalf("GET job: errors_total %d listed %d", g.ErrorsTotal, len(g.Errors))
	}
}

// TestValidateRejectsAreReplacedByTheNextUpload (issue 10, item 2, retention): a failed validate-only
// job's rejects are deleted when the province uploads again; a failed apply job's stay (until the
// janitor's 30 days), and so do another province's.
func TestValidateRejectsAreReplacedByTheNextUpload(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	bad := []byte("national_id,full_name,gender,birth_date\n001080000001,An,robot,1980-05-17\n")
	rejects := func(id string) int {
		var n int
		if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM import_rejects WHERE job_id = $1::uuid`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	v1 := importJob(t, e.upload(ed, "kind=cadres&mode=validate", bad))
	a1 := importJob(t, e.upload(ed, "kind=cadres", bad))
	if rejects(v1.ID) != 0 || rejects(a1.ID) != 1 {
		t.Fatalf("after an apply upload: validate job %d rejects, apply job %d", rejects(v1.ID), rejects(a1.ID))
	}
	v2 := importJob(t, e.upload(ed, "kind=cadres&mode=validate", bad))
	if rejects(v2.ID) != 1 || rejects(a1.ID) != 1 {
		t.Fatalf("validate job %d rejects, apply job %d", rejects(v2.ID), rejects(a1.ID))
	}
	// A file refused at its header is an upload too.
	importJob(t, e.upload(ed, "kind=cadres", []byte("nope\n")))
	if rejects(v2.ID) != 0 {
		t.Fatalf("validate job kept %d rejects after the next upload", rejects(v2.ID))
	}
	if recs := errorsCSV(t, e, ed, v2.ID, ','); len(recs) != 1 {
		t.Fatalf("errors.csv of a replaced job: %q", recs)
	}
}

// TestErrorsCSVJoinsALinesErrorsInOrder: a row with several errors has one line in errors.csv whose error
// cell lists them in the order of the job's errors.
func TestErrorsCSVJoinsALinesErrorsInOrder(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	j := importJob(t, e.upload(ed, "kind=cadres", []byte("national_id,full_name,gender,birth_date,si_months\n001080000001,An,male,17/13/1980,x\n")))
	if j.Status != "failed" || j.ErrorsTotal < 2 || len(j.Errors) != j.ErrorsTotal {
		t.Fatalf("job %+v", j)
	}
	recs := errorsCSV(t, e, ed, j.ID, ',')
	if len(recs) != 2 {
		t.Fatalf("errors.csv = %q", recs)
	}
	cell, at := recs[1][5], -1
	for _, er := range j.Errors {
		i := strings.Index(cell, er.Column+": ")
		if i <= at {
			t.Fatalf("error cell %q: %s not after the previous error", cell, er.Column)
		}
		at = i
	}
}
