package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
)

var plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// wantCSV reads ?format=json|csv|xlsx (json by default, or the table type Accept prefers).
// A table (csv or xlsx, by ?format= or Accept) is written by writeCSV, which renders the format the
// request asked for (report_xlsx.go).
func wantCSV(r *http.Request) (bool, error) {
	f, err := tableFormat(r)
	return f == "csv" || f == "xlsx", err
}

// csvCell neutralises a cell a spreadsheet would read as a formula (= + - @, and the tab and carriage
// return some spreadsheets also honour) by prefixing a single quote (OWASP "CSV injection"). A plain
// decimal number such as "-1250000" (a negative difference) is data, not a formula, and is left as is so
// that the export parses back to the same numbers.
func csvCell(s string) string {
	if s == "" || plainNumber.MatchString(s) {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// writeCSV renders a table as UTF-8 CSV with a byte-order mark (Excel needs it to read Vietnamese), every
// cell neutralised, into a buffer first so that an error is a clean 500.
func writeCSV(w http.ResponseWriter, filename string, header []string, rows [][]string) error {
	if ew, ok := w.(*exportWriter); ok {
		return ew.write(filename, header, rows) // xlsx, a `;` CSV or lang=vi
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, row := range rows {
		out := make([]string, len(row))
		for i, c := range row {
			out[i] = csvCell(c)
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filename))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
	return nil
}
