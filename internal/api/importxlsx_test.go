package api

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// xlsxBytes saves a workbook built by fill to bytes.
func xlsxBytes(t *testing.T, fill func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	fill(f)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func setRow(t *testing.T, f *excelize.File, sheet, cell string, values ...any) {
	t.Helper()
	if err := f.SetSheetRow(sheet, cell, &values); err != nil {
		t.Fatal(err)
	}
}

// cadresRegister imitates an officer's register: a merged title row, a two-row header whose group heading
// is merged over two columns, a row numbering the columns, dates typed as dates and as text, a CCCD
// typed as text and one Excel turned into a number (its leading zeros lost).
func cadresRegister(t *testing.T, lostZero bool) []byte {
	return xlsxBytes(t, func(f *excelize.File) {
		s := "Sheet1"
		setRow(t, f, s, "A1", "DANH SÁCH CÁN BỘ KHÔNG CHUYÊN TRÁCH")
		_ = f.MergeCell(s, "A1", "E1")
		setRow(t, f, s, "A2", "STT", "Số CCCD", "Họ và tên", "Thông tin cá nhân", "")
		setRow(t, f, s, "A3", "", "", "", "Giới tính", "Ngày sinh")
		for _, m := range [][2]string{{"A2", "A3"}, {"B2", "B3"}, {"C2", "C3"}, {"D2", "E2"}} {
			if err := f.MergeCell(s, m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
		setRow(t, f, s, "A4", "(1)", "(2)", "(3)", "(4)", "(5)")
		dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		setRow(t, f, s, "A5", 1, nidMale1985, "Nguyễn Văn An", "Nam", time.Date(1985, 3, 2, 0, 0, 0, 0, time.UTC))
		_ = f.SetCellStyle(s, "E5", "E5", dateStyle)
		setRow(t, f, s, "A6", 2, nidFemale1990, "Trần Thị\nBình", "Nữ", "17/05/1990")
		third := any("001201000456")
		if lostZero {
			third = 1201000456 // Excel took the CCCD for a number
		}
		setRow(t, f, s, "A7", 3, third, "Lê Văn Cường", "nam", "2001-01-09")
	})
}

func TestImportXLSXReadsAnOfficersRegister(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	// Excel dropped the leading zeros of row 7's CCCD: the error names the sheet's row and the column as
	// headed, with the hint; nothing is written.
	r := e.doRaw("POST", "/v1/provinces/01/imports?kind=cadres", ed, xlsxMediaType, cadresRegister(t, true))
	mustStatus(t, r, 201)
	j := importJob(t, r)
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Line != 7 || j.Errors[0].Column != "Số CCCD" ||
		!strings.Contains(j.Errors[0].Message, "leading zeros") || j.RowsTotal != 3 {
		t.Fatalf("lost zeros %+v", j)
	}
	// errors.csv holds row 7 as read, with the error.
	r = e.do("GET", "/v1/provinces/01/imports/"+j.ID+"/errors.csv", ed, nil)
	mustStatus(t, r, 200)
	if !strings.Contains(string(r.Body), "1201000456") || !strings.Contains(string(r.Body), "Lê Văn Cường") {
		t.Fatalf("errors.csv %q", string(r.Body))
	}
	// Fixed, and sent as a form file named .xlsx: every row lands with its dates.
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("file", "can-bo.xlsx")
	fw.Write(cadresRegister(t, false))
	mw.Close()
	r = e.doRaw("POST", "/v1/provinces/01/imports?kind=cadres", ed, mw.FormDataContentType(), mp.Bytes())
	mustStatus(t, r, 201)
	if j = importJob(t, r); j.Status != "succeeded" || j.RowsInserted != 3 {
		t.Fatalf("register %+v", j)
	}
	var list struct {
		Items []cadreResponse `json:"items"`
	}
	e.do("GET", "/v1/provinces/01/cadres?limit=10", ed, nil).json(t, &list)
	got := map[string]string{}
	for _, c := range list.Items {
		got[c.NationalID] = c.FullName + "|" + c.Gender + "|" + c.BirthDate.Format(dateLayout)
	}
	want := map[string]string{
		nidMale1985:    "Nguyễn Văn An|male|1985-03-02",
		nidFemale1990:  "Trần Thị Bình|female|1990-05-17",
		"001201000456": "Lê Văn Cường|male|2001-01-09",
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("cadre %s: %q, want %q (all %v)", k, got[k], v, got)
		}
	}
}

func TestImportXLSXSheetsAndRefusals(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	book := xlsxBytes(t, func(f *excelize.File) {
		setRow(t, f, "Sheet1", "A1", "Ghi chú: danh sách xã ở trang tính thứ hai")
		_, _ = f.NewSheet("Xã")
		setRow(t, f, "Xã", "A1", "Mã xã", "Tên xã", "Loại", "Phân loại", "Dân số", "Diện tích (km2)", "Ngày hiệu lực")
		setRow(t, f, "Xã", "A2", "00004", "Phường Ba Đình", "phuong", 1, 65000, 2.45, "01/07/2025")
		setRow(t, f, "Xã", "A3", "00008", "Phường Ngọc Hà", "phuong", 2, nil, nil, "2025-07-01")
	})
	// The first sheet is not the list: its header is unknown.
	r := e.doRaw("POST", "/v1/provinces/01/imports?kind=communes", ed, xlsxMediaType, book)
	mustStatus(t, r, 201)
	if j := importJob(t, r); j.Status != "failed" || j.Errors[0].Code != "unknown_column" {
		t.Fatalf("first sheet %+v", j)
	}
	for _, sheet := range []string{"X%C3%A3", "2", "xa"} {
		r = e.doRaw("POST", "/v1/provinces/01/imports?kind=communes&mode=validate&sheet="+sheet, ed, xlsxMediaType, book)
		mustStatus(t, r, 201)
		if j := importJob(t, r); j.Status != "succeeded" || j.RowsInserted != 2 {
			t.Fatalf("sheet %s: %+v", sheet, j)
		}
	}
	r = e.doRaw("POST", "/v1/provinces/01/imports?kind=communes&sheet=Huyen", ed, xlsxMediaType, book)
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "query/sheet" || !strings.Contains(p.Errors[0].Message, "Xã") {
		t.Fatalf("unknown sheet %+v", p)
	}
	// Not a workbook under the xlsx type; an .xls of Excel 97–2003; a broken ZIP.
	for name, body := range map[string][]byte{
		"csv as xlsx": []byte(communesCSV),
		"xls":         append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...),
		"broken zip":  append([]byte("PK\x03\x04"), make([]byte, 100)...),
	} {
		ct := xlsxMediaType
		if name == "xls" {
			ct = "application/vnd.ms-excel"
		}
		r = e.doRaw("POST", "/v1/provinces/01/imports?kind=communes", ed, ct, body, "Accept-Language", "vi")
		mustStatus(t, r, 422)
		if p := r.problem(t); p.Errors[0].Pointer != "form/file" || !strings.Contains(p.Errors[0].Message, ".xlsx") {
			t.Fatalf("%s: %+v", name, p)
		}
	}
}
