package api

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/xuri/excelize/v2"
)

func init() {
	openapi3filter.RegisterBodyDecoder(xlsxMediaType, openapi3filter.FileBodyDecoder)
}

func openXLSX(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// The Vietnamese templates: read back with the library, their headers are the accepted ones, the example
// row is as an officer types it, the second sheet explains every column, the coded columns have drop-down
// lists; and each template uploads as it is.
func TestImportTemplatesInVietnamese(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	for name, kind := range importKinds {
		r := e.do("GET", "/v1/import-templates/"+name+".xlsx?lang=vi", ed, nil)
		mustStatus(t, r, 200)
		if ct := r.Header.Get("Content-Type"); ct != xlsxMediaType {
			t.Fatalf("%s: content type %q", name, ct)
		}
		f := openXLSX(t, r.Body)
		if sheets := f.GetSheetList(); sheets[0] != "Dữ liệu" || sheets[2] != "Hướng dẫn" {
			t.Fatalf("%s: sheets %v", name, sheets)
		}
		rows, _ := f.GetRows("Dữ liệu")
		if len(rows) != 2 || len(rows[0]) != len(kind.columns) {
			t.Fatalf("%s: rows %v", name, rows)
		}
		for i, c := range kind.columns {
			if rows[0][i] != templateHeader(name, c.name) {
				t.Fatalf("%s: header %d %q", name, i, rows[0][i])
			}
		}
		help, _ := f.GetRows("Hướng dẫn")
		if len(help) != len(kind.columns)+1 || help[0][0] != "Cột" || help[0][3] != "Giá trị cho phép" {
			t.Fatalf("%s: help %v", name, help)
		}
		dvs, _ := f.GetDataValidations("Dữ liệu")
		lists := map[string]bool{}
		for _, dv := range dvs {
			lists[strings.SplitN(dv.Sqref, "2:", 2)[0]] = true
		}
		for i, c := range kind.columns {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if want := booleanColumns[c.name] || enumLabels[name+"."+c.name] != nil || c.name == "position_code"; lists[col] != want {
				t.Fatalf("%s.%s: drop-down list %v, want %v", name, c.name, lists[col], want)
			}
		}
		// Uploaded as it is, the template's header maps whole.
		j := importJob(t, e.doRaw("POST", "/v1/provinces/01/imports?kind="+name+"&mode=validate", ed, xlsxMediaType, r.Body))
		for _, er := range j.Errors {
			if er.Line == 1 {
				t.Fatalf("%s: the template's header is refused: %+v", name, j.Errors)
			}
		}
	}
	// The cadres template in detail: Vietnamese example values, a date cell, the CCCD kept as text.
	r := e.do("GET", "/v1/import-templates/cadres.xlsx?lang=vi", ed, nil)
	f := openXLSX(t, r.Body)
	rows, _ := f.GetRows("Dữ liệu")
	if rows[1][0] != "001080012345" || rows[1][2] != "Nam" || rows[1][3] != "17/05/1980" {
		t.Fatalf("example row %q", rows[1])
	}
	if typ, _ := f.GetCellType("Dữ liệu", "D2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Fatalf("the birth date is text, not a date")
	}
	raw, _ := f.GetCellValue("Dữ liệu", "D2", excelize.Options{RawCellValue: true})
	if tm, err := excelize.ExcelDateToTime(mustFloat(t, raw), false); err != nil || !tm.Equal(time.Date(1980, 5, 17, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("birth date cell %q", raw)
	}
	j := importJob(t, e.doRaw("POST", "/v1/provinces/01/imports?kind=cadres", ed, xlsxMediaType, r.Body))
	if j.Status != "succeeded" || j.RowsInserted != 1 {
		t.Fatalf("the cadres template as it is: %+v", j)
	}
	// The assignments template lists the posts by title.
	f = openXLSX(t, e.do("GET", "/v1/import-templates/assignments.xlsx?lang=vi", ed, nil).Body)
	titles, _ := f.GetCols(listSheet)
	if !strings.Contains(strings.Join(titles[0], "|"), "Trưởng thôn / Tổ trưởng tổ dân phố") {
		t.Fatalf("posts list %v", titles)
	}

	// CSV in Vietnamese with ';', uploaded as it is.
	r = e.do("GET", "/v1/import-templates/communes.csv?lang=vi&delimiter=%3B", ed, nil)
	mustStatus(t, r, 200)
	if body := string(r.Body); !strings.HasPrefix(body, "\uFEFFMã xã;Tên xã;Loại đơn vị;") || !strings.Contains(body, "00004;Phường Ba Đình;Phường;1;") {
		t.Fatalf("csv template %q", body)
	}
	if j := importJob(t, e.upload(ed, "kind=communes&mode=validate", r.Body)); j.Status != "succeeded" {
		t.Fatalf("the communes csv template as it is: %+v", j)
	}
	// The English CSV is unchanged; bad parameters are 422, unknown files 404.
	if body := string(e.do("GET", "/v1/import-templates/cadres.csv", ed, nil).Body); !strings.HasPrefix(body, "\uFEFFnational_id,full_name") {
		t.Fatalf("english template %q", body)
	}
	mustStatus(t, e.do("GET", "/v1/import-templates/cadres.xlsx?lang=fr", ed, nil), 422)
	mustStatus(t, e.do("GET", "/v1/import-templates/cadres.csv?delimiter=%7C", ed, nil), 422)
	mustStatus(t, e.do("GET", "/v1/import-templates/people.xlsx", ed, nil), 404)
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	var f float64
	if _, err := fmt.Sscan(s, &f); err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return f
}
