package api

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"communehr/internal/store"
)

// errorsCSV downloads a job's errors.csv and parses it (after its BOM) with the given delimiter.
func errorsCSV(t *testing.T, e *env, token, id string, comma rune) [][]string {
	t.Helper()
	r := e.do("GET", "/v1/provinces/01/imports/"+id+"/errors.csv", token, nil)
	mustStatus(t, r, 200)
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF"))))
	cr.Comma, cr.FieldsPerRecord = comma, -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("errors.csv: %v\n%s", err, r.Body)
	}
	return recs
}

func TestMaskIDRuns(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"001080012345":                "0010*****345",
		"Nguyễn 001080012345 An":      "Nguyễn 0010*****345 An",
		"a001080012345b,001080054321": "a0010*****345b,0010*****321",
		"0010800123456":               "0010******456", // longer runs may hold an ID at any offset
		"00108001234":                 "00108001234",   // 11 digits: a code, an amount
		"2147483648":                  "2147483648",
		"2025-07-01 1250000.50":       "2025-07-01 1250000.50",
		"":                            "",
		// Issue 10 item 10 (review): digits of another script, and an ID written in groups.
		"００１０８００１２３４５":           "００１０*****３４５",
		"Lê Văn Ba ００１０８００１２３４５": "Lê Văn Ba ００１０*****３４５",
		"001 080 012 345":        "001 0** *** 345",
		"0010.8001.2345":         "0010.****.*345",
		"CCCD: 001-080-012-345.": "CCCD: 001-0**-***-345.",
		"Thôn 12 - 350 hộ":       "Thôn 12 - 350 hộ",
		"2025-07-01 2025-12-31":  "2025-07-01 2025-12-31",
	} {
		if got := maskIDRuns(in); got != want {
			t.Errorf("maskIDRuns(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestViewerSeesNoIDInAnyColumnOfAnImport (issue 10 item 10): an identity number that sits outside the
// national_id column (a row shifted by a stray delimiter, an extra cell, an ID typed inside the name, a
// commune file, a header cell, a message quoting a cell) is masked in everything a viewer receives:
// errors.csv, the job and the job list. The editor still gets the rows whole.
func TestViewerSeesNoIDInAnyColumnOfAnImport(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	viewer := e.key(store.RoleProvinceViewer, "01")
	const (
		shifted = "001080011111"
		extra   = "001080022222"
		inName  = "001080033333"
		longer  = "0010800444449"
		inCode  = "001080055555"
		inHead  = "001080066666"
	)
	uploads := map[string]struct{ query, body string }{
		"cadres": {"kind=cadres", "national_id,full_name,gender,birth_date,si_months\n" +
			"Nguyễn Văn An," + shifted + ",male,1980-05-17,10\n" + // the name and the ID swapped
			"001080000001,Trần Văn Bình,male,1980-05-17,10," + extra + "\n" + // an extra cell
			"001080000002,Lê " + inName + ",male,1980-05-17,10\n" + // an ID inside the name
			"001080000003,Phạm " + longer + ",male,1980-05-17,10\n"},
		"assignments": {"kind=assignments", "national_id,position_code,hamlet_code,start_date\n" +
			"001080000004," + inCode + ",00004-01,2024-01-01\n"}, // quoted by the message of unknown_position
		"communes": {"kind=communes", "code,name,kind,class,effective_from\n" +
			"00004,Phường " + shifted + ",phuong,x,2025-07-01\n"},
		"header": {"kind=cadres", "national_id,full_name," + inHead + "\n001080000005,An,male\n"},
	}
	for name, u := range uploads {
		t.Run(name, func(t *testing.T) {
			r := e.upload(ed, u.query, []byte(u.body))
			mustStatus(t, r, 201)
			j := importJob(t, r)
			if j.Status != "failed" {
				t.Fatalf("job %+v", j)
			}
			edCSV := errorsCSV(t, e, ed, j.ID, ',')
			all := func(recs [][]string) string {
				var b strings.Builder
				for _, rec := range recs {
					b.WriteString(strings.Join(rec, "|") + "\n")
				}
				return b.String()
			}
			ids := []string{shifted, extra, inName, longer, inCode, inHead}
			found := 0
			for _, id := range ids {
				if strings.Contains(all(edCSV), id) {
					found++
				}
			}
			if found == 0 {
				t.Fatalf("the editor's errors.csv lost the uploaded IDs: %q", edCSV)
			}
			for path, body := range map[string]string{
				"errors.csv": all(errorsCSV(t, e, viewer, j.ID, ',')),
				"job":        string(e.do("GET", "/v1/provinces/01/imports/"+j.ID, viewer, nil).Body),
				"list":       string(e.do("GET", "/v1/provinces/01/imports", viewer, nil).Body),
				"job (vi)":   string(e.do("GET", "/v1/provinces/01/imports/"+j.ID, viewer, nil, "Accept-Language", "vi").Body),
			} {
				for _, id := range ids {
					if strings.Contains(body, id) || strings.Contains(body, id[:12]) && len(id) > 12 {
						t.Errorf("viewer: %s holds %s: %s", path, id, body)
					}
				}
			}
		})
	}
}

// TestErrorsCSVHeaderIsNeutralised (issue 10 item 11): every cell of errors.csv, the header row included,
// is neutralised with the function of the other CSV exports: a header `=1+2` comes back as `'=1+2`.
func TestErrorsCSVHeaderIsNeutralised(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	j := importJob(t, e.upload(ed, "kind=cadres", []byte("national_id,full_name,'=1+2,@SUM(A1)\n001080000001,An,x,y\n")))
	if j.Status != "failed" {
		t.Fatalf("job %+v", j)
	}
	recs := errorsCSV(t, e, ed, j.ID, ',')
	if len(recs) < 1 || len(recs[0]) != 5 || recs[0][2] != "'=1+2" || recs[0][3] != "'@SUM(A1)" || recs[0][4] != "error" {
		t.Fatalf("errors.csv header = %q", recs)
	}
	// And a data row, whose error message is a cell too.
	j = importJob(t, e.upload(ed, "kind=cadres", []byte("national_id,full_name,gender,birth_date\n001080000001,=HYPERLINK(1),male,1980-01-01\n")))
	recs = errorsCSV(t, e, ed, j.ID, ',')
	if len(recs) != 2 || recs[1][1] != "'=HYPERLINK(1)" {
		t.Fatalf("errors.csv = %q", recs)
	}
	for _, row := range recs {
		for _, c := range row {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %q is not neutralised", c)
			}
		}
	}
}
