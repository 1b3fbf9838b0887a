package reorg

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sort"
	"time"
	"unicode/utf8"

	"communehr/internal/refdata"
	"communehr/internal/store"
)

// Request is a reorganisation to plan: its date, level and mapping (entries, or the 2025 national merger),
// and the answers to the questions a split asks (a hamlet → its new commune-level unit; a post → its new
// unit, or "end").
type Request struct {
	Province  string
	Effective time.Time
	Level     string // commune | hamlet
	Entries   []Entry
	National  bool
	Hamlets   map[string]string
	Posts     map[string]string

	standalone []Entry           // new units without a predecessor (national-2025 only)
	file       bool              // the mapping was uploaded as a file: errors point at its lines (ReadCSV)
	header     map[string]string // the file's columns as its header names them, by the mapping's names
}

// readable reports whether s can be stored and compared as PostgreSQL text: valid UTF-8 without NUL or
// other C0 control characters.
func readable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return false
		}
	}
	return true
}

var unitKinds = map[string]bool{"xa": true, "phuong": true, "thi_tran": true, "dac_khu": true, "thon": true, "to_dan_pho": true}

// Validate checks the date, the level and every entry; the fields point into the API's request body.
func (req *Request) Validate() error {
	var fields []Field
	if req.Effective.IsZero() {
		fields = append(fields, Field{"/effective_date", "required", "the effective date is required", "cần có ngày hiệu lực"})
	} else if req.Effective.Year() < 1901 || req.Effective.Year() > 2199 {
		fields = append(fields, Field{"/effective_date", "out_of_range", "must be between 1901 and 2199", "phải trong khoảng từ năm 1901 đến năm 2199"})
	}
	if req.Level != "commune" && req.Level != "hamlet" {
		fields = append(fields, Field{"/level", "oneof", "must be commune or hamlet", "phải là commune (cấp xã) hoặc hamlet (thôn, tổ dân phố)"})
	}
	if req.National && (req.Level != "commune" || !req.Effective.Equal(refdata.Effective2025)) {
		fields = append(fields, Field{"/mapping", "national_2025",
			"the 2025 national merger is at commune level, effective 2025-07-01",
			"sắp xếp toàn quốc năm 2025 là ở cấp xã, có hiệu lực từ ngày 2025-07-01"})
	}
	for i, e := range req.Entries {
		fields = append(fields, e.problems(fmt.Sprintf("/mapping/%d", i))...)
	}
	if !req.National && len(req.Entries) == 0 && len(fields) == 0 {
		fields = append(fields, Field{"/mapping", "required", "the mapping has no entry", "bảng chuyển đổi không có dòng nào"})
	}
	if len(fields) > 0 {
		return req.locate(requestInvalid(fields...))
	}
	return nil
}

func (e Entry) problems(ptr string) []Field {
	var fields []Field
	if e.Old == "" || len(e.Old) > 32 || !readable(e.Old) {
		fields = append(fields, Field{ptr + "/old", "required", "the old unit's code is required", "cần có mã đơn vị cũ"})
	}
	if e.New == "" || len(e.New) > 32 || !readable(e.New) {
		fields = append(fields, Field{ptr + "/new", "required", "the new unit's code is required", "cần có mã đơn vị mới"})
	}
	if e.Coverage != "full" && e.Coverage != "partial" {
		fields = append(fields, Field{ptr + "/coverage", "oneof", "must be full or partial", "phải là full (toàn bộ) hoặc partial (một phần)"})
	}
	if e.NewKind != "" && !unitKinds[e.NewKind] {
		fields = append(fields, Field{ptr + "/new_kind", "oneof", "is not a kind of unit", "không phải loại đơn vị hợp lệ"})
	}
	if len(e.NewName) > 200 || !readable(e.NewName) {
		fields = append(fields, Field{ptr + "/new_name", "max", "at most 200 characters", "tối đa 200 ký tự"})
	}
	return fields
}

// resolve fills the national mapping from the reference data (with the new units' names and kinds).
func (req *Request) resolve() error {
	if !req.National {
		return nil
	}
	d, err := refdata.Load()
	if err != nil {
		return err
	}
	rp, ok := d.Province(req.Province)
	if !ok {
		return ErrNoReferenceData
	}
	names := map[string]refdata.Unit{}
	for _, u := range rp.Units2025 {
		names[u.Code] = u
	}
	req.Entries = make([]Entry, len(rp.Links))
	linked := map[string]bool{}
	for i, l := range rp.Links {
		req.Entries[i] = Entry{Old: l.OldCode, New: l.NewCode, Coverage: l.Coverage, NewName: names[l.NewCode].Name, NewKind: names[l.NewCode].Kind}
		linked[l.NewCode] = true
	}
	// The 2025 units no old unit leads into (a wrinkle of the sources) come into force all the same.
	req.standalone = nil
	for _, u := range rp.Units2025 {
		if !linked[u.Code] {
			req.standalone = append(req.standalone, Entry{New: u.Code, NewName: u.Name, NewKind: u.Kind})
		}
	}
	return nil
}

// hash is the apply's idempotency key: the normalised request.
func (req *Request) hash() []byte {
	entries := append([]Entry(nil), req.Entries...)
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].Old != entries[j].Old {
			return entries[i].Old < entries[j].Old
		}
		return entries[i].New < entries[j].New
	})
	b, _ := json.Marshal(struct {
		D    string
		L    string
		E    []Entry
		H, P map[string]string
	}{req.Effective.Format(time.DateOnly), req.Level, entries, req.Hamlets, req.Posts})
	h := sha256.Sum256(b)
	return h[:]
}

// storeRequest says what the store reads: the mapping's old and new codes, each once, in mapping order.
func (req *Request) storeRequest() store.ReorgRequest {
	sreq := store.ReorgRequest{Province: req.Province, Level: req.Level, Effective: req.Effective, RequestHash: req.hash()}
	seenOld, seenNew := map[string]bool{}, map[string]bool{}
	for _, e := range req.Entries {
		if !seenOld[e.Old] {
			seenOld[e.Old] = true
			sreq.OldCodes = append(sreq.OldCodes, e.Old)
		}
		if !seenNew[e.New] {
			seenNew[e.New] = true
			sreq.NewCodes = append(sreq.NewCodes, e.New)
		}
	}
	for _, e := range req.standalone {
		if !seenNew[e.New] {
			seenNew[e.New] = true
			sreq.NewCodes = append(sreq.NewCodes, e.New)
		}
	}
	return sreq
}
