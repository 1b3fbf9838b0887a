package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync"
)

// This file writes responses: JSON (writeJSON), tables (writeCSV, as CSV or xlsx), problems (writeProblem),
// the ETag of a record (setETag), and handle, which renders the error a handler returns.

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

// handlerFunc is a handler that returns its error; handle renders it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc: client errors become problem+json, anything else a logged 500 that never
// echoes the internal error text.
func handle(fn handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		e, known := asError(err)
		if !known {
			loggerFrom(r.Context()).ErrorContext(r.Context(), "request failed",
				"request_id", requestIDFrom(r.Context()), "error", err.Error())
		}
		writeProblem(w, r, e)
	}
}

// writeJSON encodes v into a buffer first, so that an encoding failure is a clean 500 rather than a
// half-written 200.
// The buffer comes from jsonBufs: growing a fresh one for every list response was the largest single
// allocation of `make load` (docs/time.md).
func writeJSON(w http.ResponseWriter, status int, v any) error {
	buf := getJSONBuf()
	defer putJSONBuf(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// jsonBufs holds the response buffers of writeJSON. Every ResponseWriter of the chain copies what it is
// given (net/http's, the access log's, the idempotency capture), so a buffer is reused once written.
var jsonBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledJSON: a buffer grown past this (a large export) is left to the collector, not kept.
const maxPooledJSON = 1 << 20

func getJSONBuf() *bytes.Buffer { return jsonBufs.Get().(*bytes.Buffer) }

func putJSONBuf(b *bytes.Buffer) {
	if b.Cap() > maxPooledJSON {
		return
	}
	b.Reset()
	jsonBufs.Put(b)
}

// writeProblem renders e as application/problem+json in the client's language.
func writeProblem(w http.ResponseWriter, r *http.Request, e *Error) {
	vi := vietnamese(r)
	p := problem{
		Type:      "urn:communehr:problem:" + e.Code,
		Title:     pick(vi, e.TitleEN, e.TitleVI),
		Status:    e.Status,
		Detail:    pick(vi, e.DetailEN, e.DetailVI),
		Instance:  r.URL.Path,
		RequestID: requestIDFrom(r.Context()),
		Errors:    make([]problemField, 0, len(e.Fields)),
	}
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, problemField{Pointer: f.Pointer, Code: f.Code, Message: pick(vi, f.MessageEN, f.MessageVI),
			Line: f.Line, Column: f.Column})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(p)
	for k, vs := range e.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Content-Language", pick(vi, "en", "vi"))
	w.WriteHeader(e.Status)
	_, _ = w.Write(buf.Bytes())
}

// setETag writes a weak-free ETag from a row version.
func setETag(w http.ResponseWriter, version int) {
	w.Header().Set("ETag", `"`+strconv.Itoa(version)+`"`)
}
