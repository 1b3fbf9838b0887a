package api

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"communehr/internal/msg/msgcheck"
)

// Issue 13 item 4: one commune's combined sheet, people and posts in one upload.

// sheetEnv is a province with commune 00100 (since 2000) and its hamlets: Thôn Đông, Thôn Tây and Tổ dân
// phố 3; commune 00004 has a Thôn Đông too.
func sheetEnv(t *testing.T) (*env, string) {
	e, ed := importEnv(t)
	mustSucceed(t, importJob(t, e.upload(ed, "kind=communes", []byte(communesCSV))))
	mustSucceed(t, importJob(t, e.upload(ed, "kind=hamlets", []byte("code,commune_code,name,kind,households,effective_from\n"+
		"00100-01,00100,Thôn Đông,thon,100,2000-01-01\n00100-02,00100,Thôn Tây,thon,100,2000-01-01\n"+
		"00100-03,00100,Tổ dân phố 3,to_dan_pho,100,2000-01-01\n00004-01,00004,Thôn Đông,thon,100,2000-01-01\n"))))
	return e, ed
}

// sheetCSV is an officer's sheet with Vietnamese headers: An holds two posts (a hamlet head by title and
// hamlet name, and a commune post, kiêm nhiệm), Bình one (codes), Cường none.
const sheetCSV = "STT,Số CCCD,Họ và tên,Giới tính,Ngày sinh,Chức danh,\"Thôn, tổ dân phố\",Ngày bắt đầu,Kiêm nhiệm\n" +
	"1,001080000001,Nguyễn Văn An,Nam,17/05/1980,Trưởng thôn,thôn đông,01/01/2024,\n" +
	"2,001080000001,Nguyễn Văn An,Nam,17/05/1980,Văn phòng Đảng ủy cấp xã,,01/01/2024,có\n" +
	"3,001180000002,Trần Thị Bình,Nữ,20/03/1980,bi_thu_chi_bo,00100-02,01/01/2024,\n" +
	"4,001080000003,Lê Văn Cường,Nam,01/01/1980,,,,\n"

// registerCounts is people/posts/audit rows of the province.
func registerCounts(t *testing.T, e *env) string {
	t.Helper()
	var s string
	if err := e.admin.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM cadres)||'/'||(SELECT count(*) FROM assignments)||'/'||
		(SELECT coalesce(sum(version), 0) FROM cadres)||'/'||(SELECT coalesce(sum(version), 0) FROM assignments)`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCommuneSheetImportsPeopleAndPostsInOneStep(t *testing.T) {
	e, ed := sheetEnv(t)
	ctx := context.Background()
	// Validation only: every check, nothing written.
	j := importJob(t, e.upload(ed, "kind=commune-sheet&commune=00100&mode=validate", []byte(sheetCSV)))
	if j.Status != "succeeded" || j.RowsTotal != 4 || j.RowsInserted != 6 {
		t.Fatalf("validate %+v", j)
	}
	var n int
	if err := e.admin.QueryRow(ctx, `SELECT count(*) FROM cadres`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("validation wrote %d people (%v)", n, err)
	}

	r := e.upload(ed, "kind=commune-sheet&commune=00100", []byte(sheetCSV))
	mustStatus(t, r, 201)
	j = importJob(t, r)
	// 3 people and 3 posts: the person of two rows is one person.
	if j.Status != "succeeded" || j.Kind != "commune-sheet" || j.RowsTotal != 4 || j.RowsInserted != 6 || j.RowsUpdated != 0 || j.RowsUnchanged != 0 {
		t.Fatalf("import %+v", j)
	}
	rows, err := e.admin.Query(ctx, `SELECT c.full_name, a.position_code, coalesce(a.commune_code, ''), coalesce(a.hamlet_code, ''), a.concurrent
		FROM assignments a JOIN cadres c ON c.id = a.cadre_id ORDER BY c.national_id, a.position_code`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var name, pos, commune, hamlet string
		var conc bool
		if err := rows.Scan(&name, &pos, &commune, &hamlet, &conc); err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join([]string{name, pos, commune, hamlet}, "|")+map[bool]string{true: "|kiêm", false: ""}[conc])
	}
	want := "Nguyễn Văn An|truong_thon_to_truong||00100-01;Nguyễn Văn An|van_phong_dang_uy|00100||kiêm;Trần Thị Bình|bi_thu_chi_bo||00100-02"
	if strings.Join(got, ";") != want {
		t.Fatalf("posts\n got %s\nwant %s", strings.Join(got, ";"), want)
	}
	if err := e.admin.QueryRow(ctx, `SELECT count(*) FROM cadres`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("%d people (%v)", n, err)
	}
	// The same per-record audit as the two imports: one row per person and per post, and the job's.
	if err := e.admin.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'create' AND entity IN ('cadre', 'assignment')`).Scan(&n); err != nil || n != 6 {
		t.Fatalf("%d audit rows (%v)", n, err)
	}
	// The job's own audit row counts people and posts apart.
	var parts string
	if err := e.admin.QueryRow(ctx, `SELECT (after->'people')::text || (after->'posts')::text FROM audit_log
		WHERE action = 'import' AND entity = 'commune_sheet' AND entity_id = $1`, j.ID).Scan(&parts); err != nil || parts != "[3, 0, 0][3, 0, 0]" {
		t.Fatalf("the job's audit row: %q (%v)", parts, err)
	}

	// The same sheet again: nothing changes.
	before := registerCounts(t, e)
	j = importJob(t, e.upload(ed, "kind=commune-sheet&commune=00100", []byte(sheetCSV)))
	if j.Status != "succeeded" || j.RowsInserted != 0 || j.RowsUpdated != 0 || j.RowsUnchanged != 6 {
		t.Fatalf("re-import %+v", j)
	}
	if after := registerCounts(t, e); after != before {
		t.Fatalf("re-import changed the register: %s, was %s", after, before)
	}
	// A changed end date and a changed name: one post and one person updated.
	changed := "STT,Số CCCD,Họ và tên,Giới tính,Ngày sinh,Chức danh,\"Thôn, tổ dân phố\",Ngày bắt đầu,Kiêm nhiệm,Ngày kết thúc\n" +
		"1,001080000001,Nguyễn Văn An,Nam,17/05/1980,Trưởng thôn,thôn đông,01/01/2024,,\n" +
		"2,001080000001,Nguyễn Văn An,Nam,17/05/1980,Văn phòng Đảng ủy cấp xã,,01/01/2024,có,31/12/2025\n" +
		"3,001180000002,Trần Thị Bính,Nữ,20/03/1980,bi_thu_chi_bo,00100-02,01/01/2024,,\n" +
		"4,001080000003,Lê Văn Cường,Nam,01/01/1980,,,,,\n"
	j = importJob(t, e.upload(ed, "kind=commune-sheet&commune=00100", []byte(changed)))
	if j.Status != "succeeded" || j.RowsInserted != 0 || j.RowsUpdated != 2 || j.RowsUnchanged != 4 {
		t.Fatalf("changes %+v", j)
	}
}

// sheetBook writes the sheet as an officer's workbook (excelize): a title row, the header, dates typed as
// dates, the CCCD as text.
func sheetBook(t *testing.T, rows [][]any, more ...func(f *excelize.File)) []byte {
	return xlsxBytes(t, func(f *excelize.File) {
		s := "Sheet1"
		setRow(t, f, s, "A1", "DANH SÁCH NGƯỜI HOẠT ĐỘNG KHÔNG CHUYÊN TRÁCH XÃ SÓC SƠN")
		_ = f.MergeCell(s, "A1", "G1")
		setRow(t, f, s, "A2", "STT", "Số CCCD", "Họ và tên", "Giới tính", "Ngày sinh", "Chức danh", "Thôn, tổ dân phố", "Ngày bắt đầu")
		dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		for i, r := range rows {
			setRow(t, f, s, "A"+strconv.Itoa(i+3), append([]any{i + 1}, r...)...)
			_ = f.SetCellStyle(s, "E"+strconv.Itoa(i+3), "E"+strconv.Itoa(i+3), dateStyle)
			_ = f.SetCellStyle(s, "H"+strconv.Itoa(i+3), "H"+strconv.Itoa(i+3), dateStyle)
		}
		for _, m := range more {
			m(f)
		}
	})
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// One bad row: nothing of the sheet is written, not even the good rows' people; the error names the
// sheet's row and the column as headed, in Vietnamese and in English, without developer text.
func TestCommuneSheetWithABadRowWritesNothing(t *testing.T) {
	e, ed := sheetEnv(t)
	book := sheetBook(t, [][]any{
		{"001080000001", "Nguyễn Văn An", "Nam", day(1980, 5, 17), "Trưởng thôn", "Thôn Đông", day(2024, 1, 1)},
		{"001180000002", "Trần Thị Bình", "Nữ", day(1980, 3, 20), "Bí thư chi bộ", "Thôn Bắc", day(2024, 1, 1)},
		{"001080000003", "Lê Văn Cường", "Nam", "31/02/1980", "", "", ""},
	})
	before := registerCounts(t, e)
	for _, lang := range []string{"vi", "en"} {
		r := e.doRaw("POST", "/v1/provinces/01/imports?kind=commune-sheet&commune=00100", ed, xlsxMediaType, book, "Accept-Language", lang)
		mustStatus(t, r, 201)
		j := importJob(t, r)
		if j.Status != "failed" || j.RowsTotal != 3 || j.RowsFailed != 2 || len(j.Errors) != 2 || j.RowsInserted != 0 {
			t.Fatalf("%s: %+v", lang, j)
		}
		// Row 4: no hamlet of that name in the commune; row 5: not a date.
		if e0, e1 := j.Errors[0], j.Errors[1]; e0.Line != 4 || e0.Column != "Thôn, tổ dân phố" || e0.Code != "invalid_reference" ||
			e1.Line != 5 || e1.Column != "Ngày sinh" || e1.Code != "date" {
			t.Fatalf("%s: errors %+v", lang, j.Errors)
		}
		wantWord := map[string]string{"vi": "không có thôn", "en": "has no hamlet"}[lang]
		if !strings.Contains(j.Errors[0].Message, wantWord) || !strings.Contains(j.Errors[0].Message, "Thôn Bắc") {
			t.Fatalf("%s: message %q", lang, j.Errors[0].Message)
		}
		for _, er := range j.Errors {
			if bad := msgcheck.DeveloperText(er.Message); bad != "" {
				t.Errorf("%s: %q shows %q", lang, er.Message, bad)
			}
		}
	}
	if after := registerCounts(t, e); after != before {
		t.Fatalf("a failed sheet wrote: %s, was %s", after, before)
	}
}

// Two rows of one person must agree: a different birth date on the second row is an error on that row
// and column, naming the first row. The second row may leave the personal cells blank instead.
func TestCommuneSheetPersonOnTwoRows(t *testing.T) {
	e, ed := sheetEnv(t)
	head := "Số CCCD,Họ và tên,Giới tính,Ngày sinh,Chức danh,Thôn,Ngày bắt đầu\n"
	conflict := head + "001080000001,Nguyễn Văn An,Nam,17/05/1980,Trưởng thôn,Thôn Đông,01/01/2024\n" +
		"001080000001,Nguyễn Văn An,Nam,18/05/1980,Văn phòng Đảng ủy cấp xã,,01/01/2024\n"
	before := registerCounts(t, e)
	j := importJob(t, e.upload(ed, "kind=commune-sheet&commune=00100", []byte(conflict), "Accept-Language", "vi"))
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Line != 3 || j.Errors[0].Column != "Ngày sinh" ||
		j.Errors[0].Code != "person_conflict" || !strings.Contains(j.Errors[0].Message, "dòng 2") {
		t.Fatalf("conflict %+v", j)
	}
	if after := registerCounts(t, e); after != before {
		t.Fatalf("a failed sheet wrote: %s, was %s", after, before)
	}
	blank := head + "001080000001,Nguyễn Văn An,Nam,17/05/1980,Trưởng thôn,Thôn Đông,01/01/2024\n" +
		"001080000001,,,,Văn phòng Đảng ủy cấp xã,,01/01/2024\n"
	j = importJob(t, e.upload(ed, "kind=commune-sheet&commune=00100", []byte(blank)))
	if j.Status != "succeeded" || j.RowsInserted != 3 {
		t.Fatalf("second row blank %+v", j)
	}
	// A post-only row of someone neither in the register nor on the sheet.
	j = importJob(t, e.upload(ed, "kind=commune-sheet&commune=00100", []byte(head+"001080000009,,,,Trưởng thôn,Thôn Tây,01/01/2024\n")))
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Column != "Số CCCD" || j.Errors[0].Code != "invalid_reference" {
		t.Fatalf("unknown person %+v", j)
	}
}

// sheetRefusesRule sends a rule case of the people or posts import through the commune sheet (its file is
// a valid sheet: the sheet accepts the API's column names, a person-only or post-only row): the sheet
// must refuse it on the same line, column and code (TestEveryRecordsRuleHoldsOnImportToo).
func sheetRefusesRule(t *testing.T, e *env, ed string, c ruleCase, column, wantCode string) {
	t.Helper()
	// On a sheet the commune is the sheet's, not a field of a hamlet's post.
	if (c.kind != "cadres" && c.kind != "assignments") || c.rule == "a hamlet-level post names no commune" {
		return
	}
	j := importJob(t, e.upload(ed, "kind=commune-sheet", []byte(c.csv), "Accept-Language", "vi"))
	for _, er := range j.Errors {
		if er.Line == 2 && er.Column == column && er.Code == wantCode && er.Message != "" {
			if j.Status != "failed" || j.RowsInserted+j.RowsUpdated != 0 {
				t.Fatalf("sheet: %+v", j)
			}
			return
		}
	}
	t.Fatalf("sheet: want line 2, column %s, code %s; got %s %+v", column, wantCode, j.Status, j.Errors)
}

// The posts rules hold for people the same sheet creates: one head per hamlet, and at most 3 paid posts
// in one hamlet at once (Decree 33/2023 Art. 33); nothing of the sheet is written.
func TestCommuneSheetKeepsThePostsRules(t *testing.T) {
	e, ed := sheetEnv(t)
	head := "Số CCCD,Họ và tên,Giới tính,Ngày sinh,Chức danh,Thôn,Ngày bắt đầu\n"
	before := registerCounts(t, e)
	twoHeads := head + "001080000001,Nguyễn Văn An,Nam,17/05/1980,Trưởng thôn,Thôn Đông,01/01/2024\n" +
		"001080000002,Trần Văn Bình,Nam,17/05/1980,Trưởng thôn,Thôn Đông,01/06/2024\n"
	j := importJob(t, e.upload(ed, "kind=commune-sheet&commune=00100", []byte(twoHeads), "Accept-Language", "vi"))
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Line != 3 || j.Errors[0].Column != "Ngày bắt đầu" ||
		j.Errors[0].Code != "too_many_holders" {
		t.Fatalf("two heads %+v", j)
	}
	fourPaid := head + "001080000001,Nguyễn Văn An,Nam,17/05/1980,Bí thư chi bộ,Thôn Tây,01/01/2024\n" +
		"001080000002,Trần Văn Bình,Nam,17/05/1980,Trưởng thôn,Thôn Tây,01/01/2024\n" +
		"001080000003,Lê Văn Cường,Nam,17/05/1980,Trưởng ban công tác Mặt trận,Thôn Tây,01/01/2024\n" +
		"001080000004,Phạm Văn Dũng,Nam,17/05/1980,Bí thư chi bộ,Thôn Tây,01/03/2024\n"
	j = importJob(t, e.upload(ed, "kind=commune-sheet&commune=00100", []byte(fourPaid), "Accept-Language", "en"))
	codes := map[string]string{}
	for _, er := range j.Errors {
		if er.Line != 5 {
			t.Fatalf("four paid posts: error on line %d: %+v", er.Line, j.Errors)
		}
		codes[er.Code] = er.Column
	}
	if j.Status != "failed" || codes["too_many_hamlet_posts"] != "Thôn" || codes["too_many_holders"] != "Ngày bắt đầu" {
		t.Fatalf("four paid posts %+v", j)
	}
	if after := registerCounts(t, e); after != before {
		t.Fatalf("a refused sheet wrote: %s, was %s", after, before)
	}
}

// The sheet's templates: Vietnamese headers, the explanation of the sheet's own columns, drop-down lists of
// genders and posts by title; the workbook and the ';' CSV upload as they are, for a commune.
func TestCommuneSheetTemplates(t *testing.T) {
	e, ed := sheetEnv(t)
	r := e.do("GET", "/v1/import-templates/commune-sheet.xlsx?lang=vi", ed, nil)
	mustStatus(t, r, 200)
	f := openXLSX(t, r.Body)
	rows, _ := f.GetRows("Dữ liệu")
	if len(rows) != 2 || strings.Join(rows[0][:7], "|") != "Số CCCD|Họ và tên|Giới tính|Ngày sinh|Chức danh|Thôn, tổ dân phố|Ngày bắt đầu" ||
		rows[1][2] != "Nam" || rows[1][4] != "Trưởng thôn / Tổ trưởng tổ dân phố" || rows[1][5] != "Thôn Đông" {
		t.Fatalf("template rows %q", rows)
	}
	help, _ := f.GetRows("Hướng dẫn")
	if !strings.Contains(help[6][2], "Tên hoặc mã thôn") || !strings.Contains(help[1][2], "hai dòng cùng số CCCD") {
		t.Fatalf("help %q", help)
	}
	lists, _ := f.GetCols(listSheet)
	if all := fmt.Sprint(lists); !strings.Contains(all, "Nữ") || !strings.Contains(all, "Bí thư chi bộ") {
		t.Fatalf("lists %v", lists)
	}
	j := importJob(t, e.doRaw("POST", "/v1/provinces/01/imports?kind=commune-sheet&commune=00100&mode=validate", ed, xlsxMediaType, r.Body))
	if j.Status != "succeeded" || j.RowsInserted != 2 {
		t.Fatalf("the xlsx template as it is: %+v", j)
	}
	r = e.do("GET", "/v1/import-templates/commune-sheet.csv?lang=vi&delimiter=%3B", ed, nil)
	mustStatus(t, r, 200)
	if body := string(r.Body); !strings.HasPrefix(body, "\uFEFFSố CCCD;Họ và tên;Giới tính;Ngày sinh;Chức danh;Thôn, tổ dân phố;") {
		t.Fatalf("csv template %q", body)
	}
	if j := importJob(t, e.upload(ed, "kind=commune-sheet&commune=00100&mode=validate", r.Body)); j.Status != "succeeded" || j.RowsInserted != 2 {
		t.Fatalf("the csv template as it is: %+v", j)
	}
	if body := string(e.do("GET", "/v1/import-templates/commune-sheet.csv", ed, nil).Body); !strings.HasPrefix(body, "\uFEFFnational_id,full_name,gender") {
		t.Fatalf("english template %q", body)
	}
}

// The commune: given with the upload, or by a "Mã xã" column (a row naming another commune than the
// upload's is refused); an unknown commune, or the parameter on another kind, is a 422. A hamlet named in
// two communes is the sheet's commune's. A failed sheet's errors.csv holds its rows as uploaded.
func TestCommuneSheetCommune(t *testing.T) {
	e, ed := sheetEnv(t)
	mustStatus(t, e.upload(ed, "kind=commune-sheet&commune=00999", []byte(sheetCSV)), 422)
	mustStatus(t, e.upload(ed, "kind=cadres&commune=00100", []byte(cadreHeader+"001080000099,Nguyễn Văn Mới,male,1980-05-17,,,\n")), 422)

	byColumn := "Mã xã,Số CCCD,Họ và tên,Giới tính,Ngày sinh,Chức danh,Thôn,Ngày bắt đầu\n" +
		"00004,001080000001,Nguyễn Văn An,Nam,17/05/1980,Trưởng thôn,Thôn Đông,01/01/2024\n" +
		"00100,001080000002,Trần Văn Bình,Nam,17/05/1980,Trưởng thôn,Thôn Đông,01/01/2024\n"
	j := importJob(t, e.upload(ed, "kind=commune-sheet&commune=00100&mode=validate", []byte(byColumn), "Accept-Language", "vi"))
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Line != 2 || j.Errors[0].Column != "Mã xã" ||
		j.Errors[0].Code != "commune_differs" || !strings.Contains(j.Errors[0].Message, "00100") {
		t.Fatalf("another commune %+v", j)
	}
	r := e.do("GET", "/v1/provinces/01/imports/"+j.ID+"/errors.csv", ed, nil)
	mustStatus(t, r, 200)
	if body := string(r.Body); !strings.Contains(body, "Mã xã,Số CCCD,") || !strings.Contains(body, "00004,001080000001,Nguyễn Văn An") ||
		strings.Contains(body, "Trần Văn Bình") {
		t.Fatalf("errors.csv %q", body)
	}
	// Without the parameter, each row's commune: two hamlets named Thôn Đông, one in each.
	j = importJob(t, e.upload(ed, "kind=commune-sheet", []byte(byColumn)))
	if j.Status != "succeeded" || j.RowsInserted != 4 {
		t.Fatalf("by column %+v", j)
	}
	var hamlets string
	if err := e.admin.QueryRow(context.Background(), `SELECT string_agg(hamlet_code, ',' ORDER BY hamlet_code) FROM assignments`).Scan(&hamlets); err != nil ||
		hamlets != "00004-01,00100-01" {
		t.Fatalf("hamlets %q (%v)", hamlets, err)
	}
	// Neither: a hamlet by name needs its commune.
	noCommune := "Số CCCD,Chức danh,Thôn,Ngày bắt đầu\n001080000001,Bí thư chi bộ,Thôn Tây,01/01/2024\n"
	j = importJob(t, e.upload(ed, "kind=commune-sheet", []byte(noCommune), "Accept-Language", "en"))
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Column != "Mã xã" || !strings.Contains(j.Errors[0].Message, "choose the commune") {
		t.Fatalf("no commune %+v", j)
	}
}

// A large sheet runs as a background job like every import; the same Idempotency-Key for another commune
// is another upload.
func TestCommuneSheetAsyncAndIdempotency(t *testing.T) {
	e, ed := sheetEnv(t)
	r := e.upload(ed, "kind=commune-sheet&commune=00100", []byte(sheetCSV), "Prefer", "respond-async")
	mustStatus(t, r, 202)
	var j importJobResponse
	for i := 0; i < 100; i++ {
		j = importJob(t, e.do("GET", r.Header.Get("Location"), ed, nil))
		if j.Status != "running" && j.Status != "queued" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if j.Status != "succeeded" || j.RowsInserted != 6 {
		t.Fatalf("async %+v", j)
	}
	file := []byte("Số CCCD,Họ và tên,Giới tính,Ngày sinh\n001080000009,Nguyễn Văn Chín,Nam,17/05/1980\n")
	first := importJob(t, e.upload(ed, "kind=commune-sheet&commune=00100&mode=validate", file, "Idempotency-Key", "sheet-key-1"))
	again := importJob(t, e.upload(ed, "kind=commune-sheet&commune=00100&mode=validate", file, "Idempotency-Key", "sheet-key-1"))
	if first.ID != again.ID {
		t.Fatalf("the same upload again is not replayed: %s, %s", first.ID, again.ID)
	}
	other := e.upload(ed, "kind=commune-sheet&commune=00004&mode=validate", file, "Idempotency-Key", "sheet-key-1")
	mustStatus(t, other, 422)
}

// An officer's workbook merges the STT, CCCD, name, gender and birth date cells over a person's two rows:
// the second row is the same person's second post.
func TestCommuneSheetMergedPersonCells(t *testing.T) {
	e, ed := sheetEnv(t)
	book := sheetBook(t, [][]any{
		{"001080000001", "Nguyễn Văn An", "Nam", day(1980, 5, 17), "Trưởng thôn", "Thôn Đông", day(2024, 1, 1)},
		{nil, nil, nil, nil, "Văn phòng Đảng ủy cấp xã", nil, day(2024, 1, 1)},
		{"001180000002", "Trần Thị Bình", "Nữ", day(1980, 3, 20), "Bí thư chi bộ", "Thôn Tây", day(2024, 1, 1)},
	}, func(f *excelize.File) {
		for _, col := range []string{"A", "B", "C", "D", "E"} {
			if err := f.MergeCell("Sheet1", col+"3", col+"4"); err != nil {
				t.Fatal(err)
			}
		}
	})
	j := importJob(t, e.doRaw("POST", "/v1/provinces/01/imports?kind=commune-sheet&commune=00100", ed, xlsxMediaType, book))
	if j.Status != "succeeded" || j.RowsTotal != 3 || j.RowsInserted != 5 {
		t.Fatalf("merged cells %+v", j)
	}
	var posts int
	if err := e.admin.QueryRow(context.Background(), `SELECT count(*) FROM assignments a JOIN cadres c ON c.id = a.cadre_id
		WHERE c.national_id = '001080000001'`).Scan(&posts); err != nil || posts != 2 {
		t.Fatalf("An's posts: %d (%v)", posts, err)
	}
	// A blank CCCD with personal data is a person without a CCCD, not the one above.
	j = importJob(t, e.upload(ed, "kind=commune-sheet&commune=00100", []byte("Số CCCD,Họ và tên,Giới tính,Ngày sinh,Chức danh,Thôn,Ngày bắt đầu\n"+
		"001080000001,Nguyễn Văn An,Nam,17/05/1980,Trưởng thôn,Thôn Đông,01/01/2024\n"+
		",Lê Văn Cường,Nam,17/05/1980,Trưởng thôn,Thôn Tây,01/01/2024\n")))
	if j.Status != "failed" || len(j.Errors) == 0 || j.Errors[0].Line != 3 || j.Errors[0].Column != "Số CCCD" {
		t.Fatalf("a person without CCCD %+v", j)
	}
}

// Posts by title, accents and case optional, the hamlet head by the local word (trưởng ấp), a hamlet by
// its name without the kind word.
func TestCommuneSheetPostTitlesAsTyped(t *testing.T) {
	e, ed := sheetEnv(t)
	file := "Số CCCD,Họ và tên,Giới tính,Ngày sinh,Chức danh,Thôn,Ngày bắt đầu\n" +
		"001080000001,Nguyễn Văn An,Nam,17/05/1980,PHO CHU TICH HOI NONG DAN,,01/01/2024\n" +
		"001080000002,Trần Văn Bình,Nam,17/05/1980,trưởng ấp,tây,01/01/2024\n" +
		"001080000003,Lê Văn Cường,Nam,17/05/1980,truong ban cong tac mat tran,to dan pho 3,01/01/2024\n"
	j := importJob(t, e.upload(ed, "kind=commune-sheet&commune=00100", []byte(file)))
	if j.Status != "succeeded" || j.RowsInserted != 6 {
		t.Fatalf("titles %+v", j)
	}
	var got string
	if err := e.admin.QueryRow(context.Background(), `SELECT string_agg(position_code || '@' || coalesce(hamlet_code, commune_code), ',' ORDER BY position_code)
		FROM assignments`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "pho_chu_tich_hoi_nong_dan@00100,truong_ban_cong_tac_mat_tran@00100-03,truong_thon_to_truong@00100-02" {
		t.Fatalf("posts %s", got)
	}
}
