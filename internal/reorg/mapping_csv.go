package reorg

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"communehr/internal/store"
)

// A mapping uploaded as a file (the API's text/csv body, the console's upload) is read here, and every
// error found in it — the reading's, the request's checks and the planner's — points at the file's line
// and at the column as its header names it (/lines/N/column), as an import's row errors do; a JSON
// mapping keeps its JSON pointers (/mapping/i/field, /mapping/code).

// mappingColumns are a mapping's columns by the names the header may give them.
var mappingColumns = map[string]string{"old": "old", "new": "new", "coverage": "coverage",
	"new_name": "new_name", "name": "new_name", "new_kind": "new_kind", "kind": "new_kind"}

// ReadCSV reads a mapping upload into req.Entries: a header naming old, new and coverage (new_name and
// new_kind, or name and kind, optional), one entry a line (blank lines skipped, values may be quoted).
func (req *Request) ReadCSV(body io.Reader) error {
	r := csv.NewReader(body)
	r.FieldsPerRecord, r.LazyQuotes, r.ReuseRecord = -1, true, true
	req.file, req.header, req.Entries = true, map[string]string{}, nil
	cols, err := req.readHeader(r)
	if err != nil {
		return err
	}
	var fields []Field
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return requestInvalid(unreadable(err))
		}
		line, _ := r.FieldPos(0)
		e, bad := req.mappingLine(line, cols, rec)
		fields = append(fields, bad...)
		if e != nil {
			req.Entries = append(req.Entries, *e)
		}
	}
	if len(fields) > 0 {
		return requestInvalid(fields...)
	}
	return nil
}

// readHeader reads line 1: each column's mapping name ("" for a column the mapping does not read).
func (req *Request) readHeader(r *csv.Reader) ([]string, error) {
	head, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, requestInvalid(cellField(1, "", "missing_column", "the file is empty: line 1 names the columns", "tệp trống: dòng 1 phải ghi tên các cột"))
	}
	if err != nil {
		return nil, requestInvalid(unreadable(err))
	}
	cols := make([]string, len(head))
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if c, ok := mappingColumns[strings.ToLower(h)]; ok {
			cols[i] = c
			if _, dup := req.header[c]; !dup {
				req.header[c] = h
			}
		}
	}
	var fields []Field
	for _, need := range []string{"old", "new", "coverage"} {
		if _, ok := req.header[need]; !ok {
			fields = append(fields, cellField(1, need, "missing_column", "the header lacks the column "+need, "dòng tiêu đề thiếu cột "+need))
		}
	}
	if len(fields) > 0 {
		return nil, requestInvalid(fields...)
	}
	return append([]string(nil), cols...), nil
}

func unreadable(err error) Field {
	line := 1
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line = pe.Line
	}
	return cellField(line, "", "unreadable", "the file could not be read from this line", "không đọc được tệp từ dòng này")
}

// mappingLine reads one line of a mapping; the entry is nil when the line has the wrong number of values.
func (req *Request) mappingLine(line int, cols, vals []string) (*Entry, []Field) {
	if len(vals) != len(cols) {
		return nil, []Field{cellField(line, "", "field_count",
			fmt.Sprintf("%d values, the header has %d", len(vals), len(cols)),
			fmt.Sprintf("có %d giá trị, dòng tiêu đề có %d", len(vals), len(cols)))}
	}
	e := Entry{Line: line}
	for i, c := range cols {
		v := norm.NFC.String(strings.TrimSpace(vals[i]))
		switch c {
		case "old":
			e.Old = v
		case "new":
			e.New = v
		case "coverage":
			e.Coverage = v
		case "new_name":
			e.NewName = v
		case "new_kind":
			e.NewKind = v
		}
	}
	var fields []Field
	for _, col := range []string{"old", "new"} {
		if (col == "old" && e.Old == "") || (col == "new" && e.New == "") {
			fields = append(fields, cellField(line, req.header[col], "required", "the unit's code is empty", "mã đơn vị bị bỏ trống"))
		}
	}
	if e.Coverage != "full" && e.Coverage != "partial" {
		fields = append(fields, cellField(line, req.header["coverage"], "oneof",
			"the coverage must be full or partial", "phạm vi phải là full (toàn bộ) hoặc partial (một phần)"))
	}
	return &e, fields
}

// cellField is an error at a line of the file and a column as its header names it ("" for the line).
func cellField(line int, column, code, en, vi string) Field {
	ptr := "/lines/" + strconv.Itoa(line)
	if column != "" {
		ptr += "/" + column
	}
	return Field{ptr, code, en, vi}
}

// Cell is the line and column of the file that f points at; ok is false for a JSON pointer.
func (f Field) Cell() (line int, column string, ok bool) {
	rest, found := strings.CutPrefix(f.Pointer, "/lines/")
	if !found {
		return 0, "", false
	}
	n, column, _ := strings.Cut(rest, "/")
	line, err := strconv.Atoi(n)
	return line, column, err == nil
}

// column is a mapping column as the file's header names it.
func (req *Request) column(name string) string {
	if h, ok := req.header[name]; ok {
		return h
	}
	return name
}

// locate points the fields of an *Invalid at the uploaded file's lines and columns (a JSON request's
// error, or any other error, is returned as it is).
func (req *Request) locate(err error) error {
	var inv *Invalid
	if !req.file || !errors.As(err, &inv) {
		return err
	}
	for i, f := range inv.Fields {
		unit := ""
		if i < len(inv.units) {
			unit = inv.units[i]
		}
		if line, col, ok := req.cellOf(f, unit); ok {
			inv.Fields[i].Pointer = cellField(line, col, "", "", "").Pointer
		}
	}
	return inv
}

// cellOf finds the line and column of the file a field of the request or the planner is about.
func (req *Request) cellOf(f Field, unit string) (int, string, bool) {
	if unit != "" {
		return req.lineOf(func(e Entry) bool { return e.Old == unit }, "old")
	}
	rest, ok := strings.CutPrefix(f.Pointer, "/mapping/")
	if !ok {
		if f.Pointer == "/mapping" && len(req.Entries) == 0 {
			return 2, "", true
		}
		return 0, "", false
	}
	if i, name, ok := strings.Cut(rest, "/"); ok { // an entry's value: /mapping/i/field
		n, err := strconv.Atoi(i)
		if err != nil || n < 0 || n >= len(req.Entries) {
			return 0, "", false
		}
		return req.Entries[n].Line, req.column(name), true
	}
	return req.codeCell(f.Code, rest)
}

// codeCell is the line and column of a planner's error about a unit's code.
func (req *Request) codeCell(code, unit string) (int, string, bool) {
	isOld := func(e Entry) bool { return e.Old == unit }
	isNew := func(e Entry) bool { return e.New == unit }
	switch code {
	case "unknown_unit":
		return req.lineOf(isOld, "old")
	case "new_unit":
		if line, _, ok := req.lineOf(func(e Entry) bool { return isNew(e) && e.NewName != "" }, ""); ok {
			return line, req.column("new_kind"), true
		}
		return req.lineOf(isNew, "new_name")
	case "successors":
		if line, _, ok := req.lineOf(func(e Entry) bool { return isOld(e) && e.Coverage == "full" }, ""); ok {
			return line, req.column("coverage"), true
		}
		n := 0
		return req.lineOf(func(e Entry) bool { n += btoi(isOld(e)); return n > store.MaxSuccessors }, "new")
	case "successor_is_closed":
		return req.lineOf(isNew, "new")
	}
	if line, col, ok := req.lineOf(isOld, "old"); ok {
		return line, col, ok
	}
	return req.lineOf(isNew, "new")
}

// lineOf is the first line of the file whose entry matches, with the column named name.
func (req *Request) lineOf(match func(Entry) bool, name string) (int, string, bool) {
	for _, e := range req.Entries {
		if match(e) {
			col := ""
			if name != "" {
				col = req.column(name)
			}
			return e.Line, col, true
		}
	}
	return 0, "", false
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
