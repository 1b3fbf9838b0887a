package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"communehr/internal/store"
)

// upload posts a CSV body to the import endpoint.
func (e *env) upload(token, query string, body []byte, headers ...string) resp {
	e.t.Helper()
	return e.doRaw("POST", "/v1/provinces/01/imports?"+query, token, "text/csv", body, headers...)
}

// doRaw sends a non-JSON body (validated against openapi.yaml like every other response).
func (e *env) doRaw(method, path, token, contentType string, body []byte, headers ...string) resp {
	e.t.Helper()
	return e.do(method, path, token, rawBody{contentType, body}, headers...)
}

func importEnv(t *testing.T) (*env, string) {
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	return e, e.key(store.RoleProvinceEditor, "01")
}

func importJob(t *testing.T, r resp) importJobResponse {
	t.Helper()
	var j importJobResponse
	r.json(t, &j)
	return j
}

// The units are in force since 2000, so that the posts of these tests (from 2010) lie within their life.
const communesCSV = "code,name,kind,class,population,area_km2,effective_from\n" +
	"00004,Phường Ba Đình,phuong,1,65000,2.45,2000-01-01\n" +
	"00008,Phường Ngọc Hà,phuong,2,,,2000-01-01\n" +
	"00100,Xã Sóc Sơn,xa,1,120000,,01/01/2000\n"

func TestImportCommunesRoundTripWithExactCounts(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	r := e.upload(ed, "kind=communes", []byte(communesCSV))
	mustStatus(t, r, 201)
	j := importJob(t, r)
	if j.Status != "succeeded" || j.RowsTotal != 3 || j.RowsInserted != 3 || j.RowsUpdated != 0 || j.RowsUnchanged != 0 || j.FinishedAt == nil {
		t.Fatalf("first import %+v", j)
	}
	if loc := r.Header.Get("Location"); loc != "/v1/provinces/01/imports/"+j.ID {
		t.Fatalf("Location %q", loc)
	}
	r = e.do("GET", "/v1/provinces/01/communes/00100", ed, nil)
	mustStatus(t, r, 200)
	var c communeResponse
	r.json(t, &c)
	if c.Name != "Xã Sóc Sơn" || c.EffectiveFrom.Format(dateLayout) != "2000-01-01" || *c.Population != 120000 {
		t.Fatalf("imported commune %+v", c)
	}
	// The same file again: all unchanged; one row changed: one update.
	j = importJob(t, e.upload(ed, "kind=communes", []byte(communesCSV)))
	if j.RowsUnchanged != 3 || j.RowsInserted != 0 || j.RowsUpdated != 0 {
		t.Fatalf("re-import %+v", j)
	}
	changed := strings.Replace(communesCSV, "Phường Ngọc Hà,phuong,2", "Phường Ngọc Hà,phuong,1", 1)
	j = importJob(t, e.upload(ed, "kind=communes", []byte(changed)))
	if j.RowsUnchanged != 2 || j.RowsUpdated != 1 || j.RowsInserted != 0 {
		t.Fatalf("changed import %+v", j)
	}
	// Validate mode computes the same counts and writes nothing.
	added := changed + "00200,Xã Mới,xa,3,,,2025-07-01\n"
	j = importJob(t, e.upload(ed, "kind=communes&mode=validate", []byte(added)))
	if j.Status != "succeeded" || j.Mode != "validate" || j.RowsInserted != 1 || j.RowsUnchanged != 3 {
		t.Fatalf("validate %+v", j)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/communes/00200", ed, nil), 404)
	// The jobs are listed newest first and readable one by one.
	r = e.do("GET", "/v1/provinces/01/imports", ed, nil)
	mustStatus(t, r, 200)
	var list importJobList
	r.json(t, &list)
	if len(list.Items) != 4 || list.Items[0].Mode != "validate" {
		t.Fatalf("list %+v", list.Items)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/imports/"+list.Items[3].ID, ed, nil), 200)
	mustStatus(t, e.do("GET", "/v1/provinces/01/imports/not-a-uuid", ed, nil), 404)
}

func TestImportIsAtomicAndReportsEveryBadRow(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	var b strings.Builder
	b.WriteString("national_id,full_name,gender,birth_date,si_months\n")
	for i := 0; i < 10000; i++ {
		name := "Nguyễn Văn An"
		if i == 6789 {
			name = "N0 Name" // digits are not letters
		}
		fmt.Fprintf(&b, "001080%06d,%s,male,1980-05-17,%d\n", i, name, i%300)
	}
	r := e.upload(ed, "kind=cadres", []byte(b.String()))
	mustStatus(t, r, 201)
	j := importJob(t, r)
	if j.Status != "failed" || *j.FailureReason != "invalid_rows" || j.RowsFailed != 1 || j.RowsTotal != 10000 || j.RowsInserted != 0 {
		t.Fatalf("job %+v", j)
	}
	if len(j.Errors) != 1 || j.Errors[0].Line != 6791 || j.Errors[0].Column != "full_name" || j.Errors[0].Code != "letters" {
		t.Fatalf("errors %+v", j.Errors)
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM cadres`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d people written by a failed import (%v)", n, err)
	}
	// errors.csv: the row as uploaded plus an error column, with a BOM.
	r = e.do("GET", "/v1/provinces/01/imports/"+j.ID+"/errors.csv", ed, nil)
	mustStatus(t, r, 200)
	if !bytes.HasPrefix(r.Body, []byte("\uFEFF")) {
		t.Fatal("errors.csv has no BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0][5] != "error" || recs[1][0] != "001080006789" || recs[1][1] != "N0 Name" || !strings.Contains(recs[1][5], "full_name") {
		t.Fatalf("errors.csv = %q", recs)
	}
	// Fixed, the same file imports whole.
	fixed := strings.Replace(b.String(), "N0 Name", "Trần Thị Bình", 1)
	fixed = strings.Replace(fixed, "001080006789,Trần Thị Bình,male", "001180006789,Trần Thị Bình,female", 1)
	j = importJob(t, e.upload(ed, "kind=cadres", []byte(fixed)))
	if j.Status != "succeeded" || j.RowsInserted != 10000 {
		t.Fatalf("fixed import %+v", j)
	}
}

func TestImportEncodingsDelimitersAndAliases(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	viHeader := "Số định danh;Họ và tên;Giới tính;Ngày sinh\r\n"
	cases := []struct {
		name, body string
		ok         bool
		code       string
		message    string
	}{
		{"UTF-8 with BOM", "\uFEFFnational_id,full_name,gender,birth_date\n001080000001,Nguyễn Văn An,male,1980-05-17\n", true, "", ""},
		{"no BOM, CRLF, semicolons, Vietnamese headers and values", viHeader + "001180000002;Lê Thị Hoa;Nữ;17/05/1980\r\n", true, "", ""},
		{"decomposed diacritics are normalised", "full_name,national_id,gender,birth_date\nNguye\u0302\u0303n Văn Bình,001080000003,nam,1980-01-01\n", true, "", ""},
		{"TCVN3 bytes", "national_id,full_name,gender,birth_date\n001080000004,Ng\xaby\xd5n V\xa8n An,male,1980-05-17\n", false, "encoding_legacy", "TCVN3"},
		{"VNI bytes", "national_id,full_name,gender,birth_date\n001080000005,Nguye\xe3n Va\xefn A\xf9n,male,1980-05-17\n", false, "encoding_legacy", "VNI"},
		{"UTF-16", "\xff\xfen\x00a\x00t\x00i\x00o\x00n\x00", false, "encoding_utf16", "UTF-16"},
		{"unknown column", "national_id,full_name,gender,birth_date,shoe_size\n001080000006,An Bình,male,1980-05-17,42\n", false, "unknown_column", "shoe_size"},
		{"missing column", "national_id,full_name,gender\n001080000007,An Bình,male\n", false, "missing_column", "birth_date"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.sub(t).upload(ed, "kind=cadres", []byte(c.body))
			mustStatus(t, r, 201)
			j := importJob(t, r)
			if c.ok {
				if j.Status != "succeeded" || j.RowsInserted != 1 {
					t.Fatalf("job %+v", j)
				}
				return
			}
			if j.Status != "failed" || len(j.Errors) == 0 || j.Errors[0].Code != c.code || !strings.Contains(j.Errors[0].Message, c.message) {
				t.Fatalf("job %+v, want %s naming %s", j, c.code, c.message)
			}
		})
	}
	var name string
	if err := e.admin.QueryRow(t.Context(), `SELECT full_name FROM cadres WHERE national_id = '001080000003'`).Scan(&name); err != nil || name != "Nguyễn Văn Bình" {
		t.Fatalf("stored %q (%v), want the NFC form", name, err)
	}
	// Invalid UTF-8 inside an otherwise UTF-8 file (past the sniffed start) names its line.
	// Make the bad byte fall after the 64 KiB sniff window.
	prefix := []byte("national_id,full_name,gender,birth_date\n")
	var filler bytes.Buffer
	for i := 0; filler.Len() < 70<<10; i++ {
		fmt.Fprintf(&filler, "0010800%05d,Phạm Văn Cường,male,1980-05-17\n", 20000+i)
	}
	body := append(append(prefix, filler.Bytes()...), []byte("001080000011,Bad \xff Name,male,1980-05-17\n")...)
	j := importJob(t, e.upload(ed, "kind=cadres", body))
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Code != "invalid_utf8" || j.Errors[0].Line != j.RowsTotal+1 {
		t.Fatalf("invalid UTF-8 job %+v", j)
	}
}

func TestImportHamletsAndAssignmentsResolveReferences(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	importJob(t, e.upload(ed, "kind=communes", []byte(communesCSV)))
	hamlets := "code,commune_code,name,kind,households,effective_from\n" +
		"00100-01,00100,Thôn Đông,thon,420,2020-01-01\n" +
		"00999-01,00999,Thôn Lạ,thon,100,2020-01-01\n"
	j := importJob(t, e.upload(ed, "kind=hamlets", []byte(hamlets)))
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Line != 3 || j.Errors[0].Column != "commune_code" ||
		!strings.Contains(j.Errors[0].Message, "communes file first") {
		t.Fatalf("hamlets with a missing commune: %+v", j)
	}
	j = importJob(t, e.upload(ed, "kind=hamlets", []byte(strings.SplitAfter(hamlets, "\n")[0]+strings.SplitAfter(hamlets, "\n")[1])))
	if j.Status != "succeeded" || j.RowsInserted != 1 {
		t.Fatalf("hamlets %+v", j)
	}
	people := "national_id,full_name,gender,birth_date\n"
	for i := 1; i <= 4; i++ {
		people += fmt.Sprintf("00108000000%d,Nguyễn Văn An,male,1980-05-17\n", i)
	}
	importJob(t, e.upload(ed, "kind=cadres", []byte(people)))
	posts := "national_id,position_code,hamlet_code,start_date,end_date\n" +
		"001080000001,bi_thu_chi_bo,00100-01,2024-01-01,\n" +
		"001080000002,truong_thon_to_truong,00100-01,2024-01-01,\n" +
		"001080000003,truong_ban_cong_tac_mat_tran,00100-01,2024-01-01,\n" +
		"001080000004,truong_thon_to_truong,00100-01,2024-06-01,\n"
	j = importJob(t, e.upload(ed, "kind=assignments", []byte(posts)))
	// Line 5 is a 4th paid post and a second hamlet head at once: both rules name it.
	if j.Status != "failed" || len(j.Errors) != 2 || j.Errors[0].Line != 5 || j.Errors[0].Code != "too_many_hamlet_posts" ||
		j.Errors[1].Line != 5 || j.Errors[1].Code != "too_many_holders" {
		t.Fatalf("a 4th hamlet post: %+v", j)
	}
	// Closing the second hamlet head's period before the new one starts makes room.
	posts = strings.Replace(posts, "001080000002,truong_thon_to_truong,00100-01,2024-01-01,", "001080000002,truong_thon_to_truong,00100-01,2024-01-01,2024-05-31", 1)
	j = importJob(t, e.upload(ed, "kind=assignments", []byte(posts)))
	if j.Status != "succeeded" || j.RowsInserted != 4 {
		t.Fatalf("assignments %+v", j)
	}
	j = importJob(t, e.upload(ed, "kind=assignments", []byte("national_id,position_code,commune_code,start_date\n001080000009,pho_bi_thu_doan,00100,2024-01-01\n001080000001,bi_thu_chi_bo,00100,2024-01-01\n")))
	if j.Status != "failed" || len(j.Errors) != 2 || j.Errors[0].Column != "national_id" || j.Errors[1].Column != "commune_code" || j.Errors[1].Code != "not_allowed_by_level" { // by line
		t.Fatalf("bad references: %+v", j.Errors)
	}
}

func TestImportIdempotencyLimitsAndRoles(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	first := e.upload(ed, "kind=communes", []byte(communesCSV), "Idempotency-Key", "upload-1")
	mustStatus(t, first, 201)
	again := e.upload(ed, "kind=communes", []byte(communesCSV), "Idempotency-Key", "upload-1")
	if again.Status != 201 || string(again.Body) != string(first.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay %d %s", again.Status, again.Body)
	}
	mustStatus(t, e.upload(ed, "kind=communes", []byte(communesCSV+"00300,Xã Ba,xa,3,,,2025-07-01\n"), "Idempotency-Key", "upload-1"), 422)
	// Multipart works like a plain body.
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("file", "xa.csv")
	fw.Write([]byte(communesCSV))
	mw.Close()
	r := e.doRaw("POST", "/v1/provinces/01/imports?kind=communes", ed, mw.FormDataContentType(), mp.Bytes())
	mustStatus(t, r, 201)
	if j := importJob(t, r); j.RowsUnchanged != 3 {
		t.Fatalf("multipart %+v", j)
	}
	mustStatus(t, e.upload(ed, "kind=people", []byte(communesCSV)), 422)
	mustStatus(t, e.upload(ed, "kind=communes&mode=maybe", []byte(communesCSV)), 422)
	mustStatus(t, e.upload(e.key(store.RoleProvinceViewer, "01"), "kind=communes", []byte(communesCSV)), 403)
	mustStatus(t, e.upload(e.key(store.RoleMinistry, ""), "kind=communes", []byte(communesCSV)), 403)
	e.province("79", "Thành phố Hồ Chí Minh")
	mustStatus(t, e.upload(e.key(store.RoleProvinceEditor, "79"), "kind=communes", []byte(communesCSV)), 404)
	// A row longer than 64 KiB is an error for that line; the import fails whole.
	long := communesCSV + "00500," + strings.Repeat("a", 70<<10) + ",xa,1,,,2025-07-01\n"
	j := importJob(t, e.upload(ed, "kind=communes", []byte(long)))
	if j.Status != "failed" || j.Errors[0].Line != 5 || j.Errors[0].Code != "row_too_long" {
		t.Fatalf("long row %+v", j)
	}
	// Templates: BOM, header, one example row that itself imports.
	r = e.do("GET", "/v1/import-templates/cadres.csv", ed, nil)
	mustStatus(t, r, 200)
	if !bytes.HasPrefix(r.Body, []byte("\uFEFFnational_id,full_name")) || bytes.Count(r.Body, []byte("\n")) != 2 {
		t.Fatalf("template %q", r.Body)
	}
	mustStatus(t, e.do("GET", "/v1/import-templates/people.csv", ed, nil), 404)
	tpl := e.do("GET", "/v1/import-templates/communes.csv", ed, nil)
	// (In a province of its own: its example unit 00004 from 2025-07-01 overlaps this province's 00004.)
	e.province("02", "Tỉnh Hai")
	ed2 := e.key(store.RoleProvinceEditor, "02")
	if j := importJob(t, e.doRaw("POST", "/v1/provinces/02/imports?kind=communes&mode=validate", ed2, "text/csv", tpl.Body)); j.Status != "succeeded" {
		t.Fatalf("the communes template does not import: %+v", j)
	}
}

func TestInterruptedImportReadsFailed(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	// A job whose importing session is gone: running, but nobody holds its advisory lock.
	id := newUUID()
	if _, err := e.admin.Exec(t.Context(), `INSERT INTO import_jobs (province_code, id, kind, mode, status) VALUES ('01', $1, 'cadres', 'apply', 'running')`, id); err != nil {
		t.Fatal(err)
	}
	j := importJob(t, e.do("GET", "/v1/provinces/01/imports/"+id, ed, nil))
	if j.Status != "failed" || j.FailureReason == nil || *j.FailureReason != "interrupted" {
		t.Fatalf("job %+v", j)
	}
}

func TestRealAdministrativeUnitsImportAsCommunes(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../../shared/data/vn-admin-units-2025.csv")
	if err != nil {
		t.Skipf("../shared/data is not present: %v", err)
	}
	e, ed := importEnv(t)
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"Mã", "Tên", "Loại", "Phân loại", "Hiệu lực từ"})
	n := 0
	for _, r := range recs[1:] {
		if r[0] == "01" {
			w.Write([]string{r[2], r[3], r[4], "1", "2025-07-01"})
			n++
		}
	}
	w.Flush()
	j := importJob(t, e.upload(ed, "kind=communes", b.Bytes()))
	if j.Status != "succeeded" || j.RowsInserted != n || n < 100 {
		t.Fatalf("Hà Nội's %d units: %+v", n, j)
	}
	r := e.do("GET", "/v1/provinces/01/communes?q=ba%20dinh", ed, nil)
	var l communeList
	r.json(t, &l)
	if len(l.Items) == 0 || l.Items[0].Name != "Phường Ba Đình" {
		t.Fatalf("search after import: %s", r.Body)
	}
}

var _ = http.StatusOK

// errors.csv is meant to be fixed and uploaded again as it is: its error column is ignored by the upload,
// and a second errors.csv replaces that column's text instead of adding another one.
func TestImportErrorsCSVUploadsAgainAsItIs(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	const file = "Số định danh;Họ và tên;Giới tính;Ngày sinh\r\n" +
		"001180000021;Lê Thị Hoa;Nữ;17/05/1980\r\n" +
		"1080000022;Trần Văn Nam;Nam;17/05/1980\r\n" +
		"001080000023;Phạm Văn Cường;Nam;31/02/1980\r\n"
	j := importJob(t, e.upload(ed, "kind=cadres", []byte(file)))
	if j.Status != "failed" || j.RowsFailed != 2 {
		t.Fatalf("job %+v", j)
	}
	errorsCSV := func(id string) [][]string {
		t.Helper()
		r := e.do("GET", "/v1/provinces/01/imports/"+id+"/errors.csv", ed, nil)
		mustStatus(t, r, 200)
		body := bytes.TrimPrefix(r.Body, []byte("\uFEFF"))
		cr := csv.NewReader(bytes.NewReader(body))
		if first, _, _ := bytes.Cut(body, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
			cr.Comma = ';' // errors.csv keeps the delimiter of the upload
		}
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	recs := errorsCSV(j.ID)
	if len(recs) != 3 || len(recs[0]) != 5 || recs[0][4] != "error" {
		t.Fatalf("errors.csv = %q", recs)
	}
	// One row fixed, one still wrong: the upload reads the rows, not the error column.
	recs[1][0] = "001080000022"
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	_ = w.WriteAll(recs)
	j = importJob(t, e.upload(ed, "kind=cadres", b.Bytes()))
	if j.Status != "failed" || j.RowsTotal != 2 || j.RowsFailed != 1 || len(j.Errors) != 1 || j.Errors[0].Column != "Ngày sinh" {
		t.Fatalf("re-upload of errors.csv %+v", j)
	}
	again := errorsCSV(j.ID)
	if len(again) != 2 || len(again[0]) != 5 || again[1][0] != "001080000023" || !strings.Contains(again[1][4], "31/02/1980") {
		t.Fatalf("second errors.csv = %q", again)
	}
	again[1][3] = "28/02/1980"
	b.Reset()
	w = csv.NewWriter(&b)
	_ = w.WriteAll(append(again[:1], recs[1], again[1]))
	j = importJob(t, e.upload(ed, "kind=cadres", b.Bytes()))
	if j.Status != "succeeded" || j.RowsInserted != 2 {
		t.Fatalf("fixed errors.csv %+v", j)
	}
}

func TestImportHintsAtExcelDroppingLeadingZerosAndKeepsTheDelimiter(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	// Excel turned 001080000001 into 1080000001 and wrote ';' (Vietnamese locale).
	j := importJob(t, e.upload(ed, "kind=cadres", []byte("national_id;full_name;gender;birth_date\n1080000001;Nguyễn Văn An;male;1980-05-17\n"),
		"Accept-Language", "vi"))
	if j.Status != "failed" || len(j.Errors) == 0 || j.Errors[0].Column != "national_id" ||
		!strings.Contains(j.Errors[0].Message, "cần 12") || !strings.Contains(j.Errors[0].Message, "Text") {
		t.Fatalf("job %+v", j)
	}
	r := e.do("GET", "/v1/provinces/01/imports/"+j.ID+"/errors.csv", ed, nil)
	mustStatus(t, r, 200)
	lines := strings.Split(strings.TrimPrefix(string(r.Body), "\uFEFF"), "\n")
	if lines[0] != "national_id;full_name;gender;birth_date;error" || !strings.HasPrefix(lines[1], "1080000001;Nguyễn Văn An;male;1980-05-17;") {
		t.Fatalf("errors.csv is not in the upload's ';' format:\n%s", r.Body)
	}
}

// An upload that panics after claiming its Idempotency-Key (the router answers 500) releases the key: the
// retry with the same key is served, not told "still being processed" until the process restarts.
// Not parallel: it sets the package's afterImportClaim.
func TestAnUploadThatPanicsReleasesItsIdempotencyKey(t *testing.T) {
	e, ed := importEnv(t)
	afterImportClaim = func() { panic("injected after the claim") }
	t.Cleanup(func() { afterImportClaim = func() {} })
	// A plain request: the 500 is not in openapi.yaml (the service promises never to answer one).
	req, _ := http.NewRequest("POST", e.srv.URL+"/v1/provinces/01/imports?kind=communes", strings.NewReader(communesCSV))
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+ed)
	req.Header.Set("Idempotency-Key", "panic-1")
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	afterImportClaim = func() {}
	if res.StatusCode != 500 {
		t.Fatalf("the panicking upload answered %d, want 500", res.StatusCode)
	}
	retry := e.upload(ed, "kind=communes", []byte(communesCSV), "Idempotency-Key", "panic-1")
	mustStatus(t, retry, 201)
	if j := importJob(t, retry); j.Status != "succeeded" || j.RowsInserted != 3 {
		t.Fatalf("the retry's job: %+v", j)
	}
}
