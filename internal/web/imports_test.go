package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"communehr/internal/store"
)

// upload posts the console's import form as a browser does (kind and mode before the file).
func (b *browser) upload(kind, mode, file, content string) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("kind", kind)
	_ = mw.WriteField("mode", mode)
	fw, _ := mw.CreateFormFile("file", file)
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	req, _ := http.NewRequest("POST", b.s.srv.URL+"/imports", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.s.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

const badCadres = "national_id,full_name,gender,birth_date\n" +
	"001185000111,Trần Thị Bình,female,1985-03-02\n" +
	"001085000112,Lê Văn Cường,male,1985-02-30\n"

func TestImportsUploadValidateErrorsApplyHistory(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	e := s.browser()
	e.login("an.nguyen", s.user("an.nguyen", store.RoleProvinceEditor, "99"), "mật khẩu mới rất dài")
	people := func() (n int) {
		if err := s.admin.QueryRow(context.Background(), `SELECT count(*) FROM cadres WHERE province_code = '99' AND national_id IN ('001185000111', '001085000112')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	r := e.get("/imports")
	mustStatus(t, r, 200)
	mustContain(t, r, `enctype="multipart/form-data"`, `<label for="file">`, "Chưa có lần nhập nào.")

	// Validate a file with a bad row: every error by line and column, nothing written.
	r = e.upload("cadres", "validate", "nguoi.csv", badCadres)
	mustStatus(t, r, http.StatusSeeOther)
	job := r.Location
	r = e.get(job)
	mustStatus(t, r, 200)
	mustContain(t, r, `id="import-errors"`, "<td class=\"num\">3</td><td>birth_date</td>", job+"/errors.csv")
	if people() != 0 {
		t.Fatal("a validation wrote rows")
	}
	// The errors file: the bad row as uploaded with the error beside it.
	r = e.get(job + "/errors.csv")
	mustStatus(t, r, 200)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.Contains(r.Body, "001085000112,Lê Văn Cường,male,1985-02-30,") ||
		strings.Contains(r.Body, "001185000111") {
		t.Fatalf("errors.csv:\n%s", r.Body)
	}
	pr := e.get(job + "/progress")
	mustStatus(t, pr, 200)
	if !strings.Contains(pr.Body, `"done":true`) || !strings.Contains(pr.Body, `"percent":100`) {
		t.Fatalf("progress of a finished job: %s", pr.Body)
	}

	// Apply the fixed file: written, and the history lists both jobs.
	r = e.upload("cadres", "apply", "nguoi.csv", strings.Replace(badCadres, "1985-02-30", "1985-02-28", 1))
	mustStatus(t, r, http.StatusSeeOther)
	mustContain(t, e.get(r.Location), "Đã ghi dữ liệu vào cơ sở dữ liệu.")
	if n := people(); n != 2 {
		t.Fatalf("apply wrote %d people, want 2", n)
	}
	r = e.get("/imports")
	mustContain(t, r, job[len("/imports/"):], "Kiểm tra và ghi vào cơ sở dữ liệu", "Chỉ kiểm tra (không ghi)")

	// Refusals come back on the form in words: no file, an unknown kind.
	r = e.upload("cadres", "validate", "", "")
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Hãy chọn tệp cần nhập.")
	r = e.upload("salaries", "validate", "x.csv", "a\n1\n")
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Lựa chọn không hợp lệ.")

	// A viewer sees the history and the job, with no upload form, and cannot post one.
	v := s.browser()
	v.login("bo.tran", s.user("bo.tran", store.RoleProvinceViewer, "99"), "mật khẩu mới rất dài")
	r = v.get("/imports")
	mustStatus(t, r, 200)
	mustNotContain(t, r, `action="/imports"`)
	mustStatus(t, v.get(job), 200)
	mustStatus(t, v.upload("cadres", "apply", "x.csv", badCadres), http.StatusForbidden)
	// Another province's officer: the job does not exist for them.
	if _, err := s.admin.Exec(context.Background(), `INSERT INTO provinces (province_code, name) VALUES ('01', 'Thành phố Hà Nội')`); err != nil {
		t.Fatal(err)
	}
	o := s.browser()
	o.login("c.le", s.user("c.le", store.RoleProvinceEditor, "01"), "mật khẩu mới rất dài")
	mustStatus(t, o.get(job), http.StatusNotFound)
	mustStatus(t, o.get(job+"/errors.csv"), http.StatusNotFound)
}

// TestLongImportShowsProgress: a file over the API's synchronous limit runs in the background; its page
// carries the progress bar the script polls (and refreshes itself without script) until the job ends.
func TestLongImportShowsProgress(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("a 50,001-row file")
	}
	s := newSite(t)
	e := s.browser()
	e.login("an.nguyen", s.user("an.nguyen", store.RoleProvinceEditor, "99"), "mật khẩu mới rất dài")
	var b strings.Builder
	b.WriteString("national_id,full_name,gender,birth_date\n")
	for k := 0; k < 50001; k++ {
		y := 1960 + k%40
		fmt.Fprintf(&b, "0970%02d%06d,Nguyễn Văn Dài,male,%d-%02d-%02d\n", y%100, k, y, 1+k%12, 1+k%28)
	}
	r := e.upload("cadres", "validate", "dai.csv", b.String())
	mustStatus(t, r, http.StatusSeeOther)
	job := r.Location
	p := e.get(job)
	mustStatus(t, p, 200)
	mustContain(t, p, `<progress id="progress" max="100"`, `data-progress="`+job+`/progress"`)
	running := strings.Contains(p.Body, `data-running="1"`)
	t.Logf("running when first shown: %v", running)
	if running {
		mustContain(t, p, `<noscript><meta http-equiv="refresh" content="3"></noscript>`, "Tải lại trang để xem tiến độ")
	}
	var last map[string]any
	for i := 0; i < 600; i++ {
		pr := e.get(job + "/progress")
		mustStatus(t, pr, 200)
		last = map[string]any{}
		if err := json.Unmarshal([]byte(pr.Body), &last); err != nil {
			t.Fatal(err)
		}
		if last["done"] == true {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if last["done"] != true || last["percent"] != float64(100) || last["rows_total"] != float64(50001) || last["status"] != "succeeded" {
		t.Fatalf("progress at the end: %v", last)
	}
	p = e.get(job)
	mustNotContain(t, p, `data-running="1"`, "http-equiv")
	mustContain(t, p, "Tệp hợp lệ.")
}
