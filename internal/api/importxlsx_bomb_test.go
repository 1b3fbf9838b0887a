package api

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// sheetBomb is a small workbook that unpacks to a huge table: one shared string of 32,767 characters
// (Excel's longest cell) named by every cell of rows × cols, under a people header.
func sheetBomb(t *testing.T, rows, cols int) []byte {
	t.Helper()
	base := xlsxBytes(t, func(f *excelize.File) {
		setRow(t, f, "Sheet1", "A1", "national_id", "full_name", "gender", "birth_date")
		setRow(t, f, "Sheet1", "A2", strings.Repeat("x", 32767)) // shared string number 4
	})
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name != "xl/worksheets/sheet1.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(w, rc)
			rc.Close()
			continue
		}
		_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
			`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">`)
		for i, h := range []string{"A1", "B1", "C1", "D1"} {
			_, _ = io.WriteString(w, `<c r="`+h+`" t="s"><v>`+strconv.Itoa(i)+`</v></c>`)
		}
		_, _ = io.WriteString(w, `</row>`)
		row := "<row>" + strings.Repeat(`<c t="s"><v>4</v></c>`, cols) + "</row>"
		for r := 0; r < rows; r++ {
			_, _ = io.WriteString(w, row)
		}
		_, _ = io.WriteString(w, `</sheetData></worksheet>`)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// Issue 10 item 2, as a class: converting a workbook had no bound on what it writes. A .xlsx of 8.6 KB
// (200 rows × 200 cells naming one 32,767-character string) became a CSV of 1.31 GB in the temporary
// directory before any check; the sheet may unzip to 1 GB of XML, about 1.3 TB of CSV. A workbook whose
// table is larger than a CSV upload may be is now refused (413) as soon as the conversion passes that
// size, and nothing of it stays on disk.
func TestAWorkbookThatUnpacksPastTheUploadLimitIsRefused(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	const limit = 4 << 20
	e := newEnvWithPool(t, 8, func(c *Config) { c.ImportMaxBytes = limit })
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	bomb := sheetBomb(t, 200, 200)
	if len(bomb) > 64<<10 {
		t.Fatalf("the workbook is %d bytes", len(bomb))
	}
	for _, lang := range []string{"vi", "en"} {
		r := e.doRaw("POST", "/v1/provinces/01/imports?kind=cadres&mode=validate", ed, xlsxMediaType, bomb, "Accept-Language", lang)
		if r.Status != http.StatusRequestEntityTooLarge {
			t.Fatalf("%s: %d %s", lang, r.Status, r.Body)
		}
		p := r.problem(t)
		if bad := msgcheck.DeveloperText(p.Title + " " + p.Detail); bad != "" || !strings.Contains(p.Detail, "4") {
			t.Fatalf("%s: the message %q (developer text %q) must say the limit in words an officer reads", lang, p.Title+" "+p.Detail, bad)
		}
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range left {
		if info, err := f.Info(); err == nil {
			t.Errorf("left in the temporary directory: %s (%d bytes)", f.Name(), info.Size())
		}
	}
	// A workbook within the limit is still read.
	ok := xlsxBytes(t, func(f *excelize.File) {
		setRow(t, f, "Sheet1", "A1", "national_id", "full_name", "gender", "birth_date")
		setRow(t, f, "Sheet1", "A2", "001085123456", "Lê Văn Ba", "male", "1985-01-01")
	})
	mustSucceed(t, importJob(t, e.doRaw("POST", "/v1/provinces/01/imports?kind=cadres&mode=validate", ed, xlsxMediaType, ok)))
}
