package api

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"communehr/internal/policy"
	"communehr/internal/refdata"
	"communehr/internal/store"
)

// mappingNational2025 names the 2025 national merger of the embedded reference data as a mapping.
const mappingNational2025 = "national-2025"

// reorgEntry is one line of a mapping: the old unit (or hamlet) went, wholly or in part, into the new one.
// A new unit that the register does not hold yet is created with new_name (and new_kind for a
// commune-level unit).
type reorgEntry struct {
	Old      string `json:"old"`
	New      string `json:"new"`
	Coverage string `json:"coverage"`
	NewName  string `json:"new_name,omitempty"`
	NewKind  string `json:"new_kind,omitempty"`
}

// reorgRequest is the body of POST …/reorganisations. Mapping is a list of entries or the name of a
// built-in mapping; hamlets and posts answer the questions a split asks (a hamlet → its new commune-level
// unit; a post → its new unit, or "end").
type reorgRequest struct {
	EffectiveDate Date              `json:"effective_date"`
	Level         string            `json:"level"`
	Mapping       json.RawMessage   `json:"mapping"`
	Hamlets       map[string]string `json:"hamlets,omitempty"`
	Posts         map[string]string `json:"posts,omitempty"`

	entries    []reorgEntry
	standalone []reorgEntry // new units without a predecessor (national-2025 only)
	national   bool
}

func reorgInvalid(fields ...FieldError) error {
	return errInvalid("The reorganisation request is not valid.", "Yêu cầu sắp xếp đơn vị không hợp lệ.", fields...)
}

// decodeReorgRequest reads the JSON body or, for text/csv, the mapping as CSV with the date and level
// as query parameters.
func decodeReorgRequest(r *http.Request) (reorgRequest, error) {
	var req reorgRequest
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	if strings.HasPrefix(ct, "text/csv") {
		q := r.URL.Query()
		d, err := ParseDate(q.Get("effective_date"))
		if err != nil {
			return req, queryError("effective_date", "date", "must be a date YYYY-MM-DD", "phải là ngày dạng YYYY-MM-DD")
		}
		req.EffectiveDate, req.Level = d, q.Get("level")
		if req.entries, err = readMappingCSV(r.Body); err != nil {
			return req, err
		}
	} else {
		if err := decodeJSON(r, &req); err != nil {
			return req, err
		}
		if en, vi, bad := req.EffectiveDate.parseProblem(); bad {
			return req, reorgInvalid(FieldError{Pointer: "/effective_date", Code: "date", MessageEN: en, MessageVI: vi})
		}
		var name string
		switch {
		case len(req.Mapping) == 0 || string(req.Mapping) == "null":
			return req, reorgInvalid(FieldError{Pointer: "/mapping", Code: "required", MessageEN: "the mapping is required",
				MessageVI: "cần có bảng chuyển đổi đơn vị"})
		case json.Unmarshal(req.Mapping, &name) == nil:
			if name != mappingNational2025 {
				return req, reorgInvalid(FieldError{Pointer: "/mapping", Code: "unknown_mapping",
					MessageEN: "the only built-in mapping is " + mappingNational2025, MessageVI: "bảng chuyển đổi có sẵn duy nhất là " + mappingNational2025})
			}
			req.national = true
		default:
			dec := json.NewDecoder(strings.NewReader(string(req.Mapping)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&req.entries); err != nil {
				return req, reorgInvalid(FieldError{Pointer: "/mapping", Code: "type",
					MessageEN: "the mapping is a list of entries (old, new, coverage) or " + mappingNational2025,
					MessageVI: "bảng chuyển đổi là danh sách (đơn vị cũ, đơn vị mới, phạm vi) hoặc " + mappingNational2025})
			}
		}
	}
	var fields []FieldError
	if req.EffectiveDate.IsZero() {
		fields = append(fields, FieldError{Pointer: "/effective_date", Code: "required", MessageEN: "the effective date is required", MessageVI: "cần có ngày hiệu lực"})
	} else if req.EffectiveDate.Year() < 1901 || req.EffectiveDate.Year() > 2199 {
		fields = append(fields, FieldError{Pointer: "/effective_date", Code: "out_of_range", MessageEN: "must be between 1901 and 2199", MessageVI: "phải trong khoảng từ năm 1901 đến năm 2199"})
	}
	if req.Level != "commune" && req.Level != "hamlet" {
		fields = append(fields, FieldError{Pointer: "/level", Code: "oneof", MessageEN: "must be commune or hamlet", MessageVI: "phải là commune (cấp xã) hoặc hamlet (thôn, tổ dân phố)"})
	}
	if req.national && (req.Level != "commune" || !req.EffectiveDate.Equal(refdata.Effective2025)) {
		fields = append(fields, FieldError{Pointer: "/mapping", Code: "national_2025",
			MessageEN: "the 2025 national merger is at commune level, effective 2025-07-01",
			MessageVI: "sắp xếp toàn quốc năm 2025 là ở cấp xã, có hiệu lực từ ngày 2025-07-01"})
	}
	for i, e := range req.entries {
		ptr := fmt.Sprintf("/mapping/%d", i)
		if e.Old == "" || len(e.Old) > 32 || !readableText(e.Old) {
			fields = append(fields, FieldError{Pointer: ptr + "/old", Code: "required", MessageEN: "the old unit's code is required", MessageVI: "cần có mã đơn vị cũ"})
		}
		if e.New == "" || len(e.New) > 32 || !readableText(e.New) {
			fields = append(fields, FieldError{Pointer: ptr + "/new", Code: "required", MessageEN: "the new unit's code is required", MessageVI: "cần có mã đơn vị mới"})
		}
		if e.Coverage != "full" && e.Coverage != "partial" {
			fields = append(fields, FieldError{Pointer: ptr + "/coverage", Code: "oneof", MessageEN: "must be full or partial", MessageVI: "phải là full (toàn bộ) hoặc partial (một phần)"})
		}
		if e.NewKind != "" && e.NewKind != "xa" && e.NewKind != "phuong" && e.NewKind != "thi_tran" && e.NewKind != "dac_khu" && e.NewKind != "thon" && e.NewKind != "to_dan_pho" {
			fields = append(fields, FieldError{Pointer: ptr + "/new_kind", Code: "oneof", MessageEN: "is not a kind of unit", MessageVI: "không phải loại đơn vị hợp lệ"})
		}
		if len(e.NewName) > 200 || !readableText(e.NewName) {
			fields = append(fields, FieldError{Pointer: ptr + "/new_name", Code: "max", MessageEN: "at most 200 characters", MessageVI: "tối đa 200 ký tự"})
		}
	}
	if !req.national && len(req.entries) == 0 && len(fields) == 0 {
		fields = append(fields, FieldError{Pointer: "/mapping", Code: "required", MessageEN: "the mapping has no entry", MessageVI: "bảng chuyển đổi không có dòng nào"})
	}
	if len(fields) > 0 {
		return req, reorgInvalid(fields...)
	}
	return req, nil
}

// readMappingCSV reads a mapping upload: a header naming old, new and coverage (new_name, new_kind
// optional), one entry a line. Errors point at the line and column.
func readMappingCSV(body io.Reader) ([]reorgEntry, error) {
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var cols []string
	var out []reorgEntry
	var fields []FieldError
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
			for _, c := range strings.Split(text, ",") {
				cols = append(cols, strings.ToLower(strings.TrimSpace(c)))
			}
			for _, need := range []string{"old", "new", "coverage"} {
				found := false
				for _, c := range cols {
					found = found || c == need
				}
				if !found {
					fields = append(fields, FieldError{Pointer: fmt.Sprintf("/lines/1/%s", need), Code: "missing_column",
						MessageEN: "line 1: the header lacks the column " + need, MessageVI: "dòng 1: thiếu cột " + need})
				}
			}
			if len(fields) > 0 {
				return nil, reorgInvalid(fields...)
			}
			continue
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		vals := strings.Split(text, ",")
		if len(vals) != len(cols) {
			fields = append(fields, FieldError{Pointer: fmt.Sprintf("/lines/%d", line), Code: "field_count",
				MessageEN: fmt.Sprintf("line %d: %d values, the header has %d", line, len(vals), len(cols)),
				MessageVI: fmt.Sprintf("dòng %d: có %d giá trị, dòng tiêu đề có %d", line, len(vals), len(cols))})
			continue
		}
		var e reorgEntry
		for i, c := range cols {
			v := normalizeText(vals[i])
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
		for col, v := range map[string]string{"old": e.Old, "new": e.New} {
			if v == "" {
				fields = append(fields, FieldError{Pointer: fmt.Sprintf("/lines/%d/%s", line, col), Code: "required",
					MessageEN: fmt.Sprintf("line %d: the unit's code is empty", line), MessageVI: fmt.Sprintf("dòng %d: mã đơn vị bị bỏ trống", line)})
			}
		}
		if e.Coverage != "full" && e.Coverage != "partial" {
			fields = append(fields, FieldError{Pointer: fmt.Sprintf("/lines/%d/coverage", line), Code: "oneof",
				MessageEN: fmt.Sprintf("line %d: coverage must be full or partial", line), MessageVI: fmt.Sprintf("dòng %d: phạm vi phải là full (toàn bộ) hoặc partial (một phần)", line)})
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, reorgInvalid(FieldError{Pointer: fmt.Sprintf("/lines/%d", line+1), Code: "unreadable",
			MessageEN: "the file could not be read past this line", MessageVI: "không đọc được tệp từ dòng này"})
	}
	if len(fields) > 0 {
		return nil, reorgInvalid(fields...)
	}
	return out, nil
}

// resolveEntries fills the national mapping from the reference data (with the new units' names and kinds).
func (req *reorgRequest) resolveEntries(province string) error {
	if !req.national {
		return nil
	}
	rp, err := referenceProvince(province)
	if err != nil {
		return err
	}
	names := map[string]refdata.Unit{}
	for _, u := range rp.Units2025 {
		names[u.Code] = u
	}
	req.entries = make([]reorgEntry, len(rp.Links))
	linked := map[string]bool{}
	for i, l := range rp.Links {
		req.entries[i] = reorgEntry{Old: l.OldCode, New: l.NewCode, Coverage: l.Coverage, NewName: names[l.NewCode].Name, NewKind: names[l.NewCode].Kind}
		linked[l.NewCode] = true
	}
	// The 2025 units no old unit leads into (a wrinkle of the sources) come into force all the same.
	for _, u := range rp.Units2025 {
		if !linked[u.Code] {
			req.standalone = append(req.standalone, reorgEntry{New: u.Code, NewName: u.Name, NewKind: u.Kind})
		}
	}
	return nil
}

// hash is the apply's idempotency key: the normalised request.
func (req *reorgRequest) hash() []byte {
	entries := append([]reorgEntry(nil), req.entries...)
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].Old != entries[j].Old {
			return entries[i].Old < entries[j].Old
		}
		return entries[i].New < entries[j].New
	})
	b, _ := json.Marshal(struct {
		D    string
		L    string
		E    []reorgEntry
		H, P map[string]string
	}{req.EffectiveDate.Format(time.DateOnly), req.Level, entries, req.Hamlets, req.Posts})
	h := sha256.Sum256(b)
	return h[:]
}

// postReorganisation is POST /v1/provinces/{province}/reorganisations?mode=preview|apply.
func (s *Server) postReorganisation(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	mode := r.URL.Query().Get("mode")
	if mode != "preview" && mode != "apply" {
		return queryError("mode", "oneof", "must be preview or apply", "phải là preview (xem trước) hoặc apply (thực hiện)")
	}
	if mode == "apply" && p.Role != store.RoleProvinceEditor {
		return errForbidden(p.Role)
	}
	req, err := decodeReorgRequest(r)
	if err != nil {
		return err
	}
	province := chi.URLParam(r, "province")
	if err := req.resolveEntries(province); err != nil {
		return err
	}
	sreq := store.ReorgRequest{Province: province, Level: req.Level, Effective: req.EffectiveDate.Time, RequestHash: req.hash()}
	seenOld, seenNew := map[string]bool{}, map[string]bool{}
	for _, e := range req.entries {
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
	pl := &planner{req: &req, vi: vietnamese(r), eff: policy.NewDate(req.EffectiveDate.Date())}
	w.Header().Set("Ruleset-Version", policy.RulesetVersion)
	if mode == "preview" {
		out, err := s.store.PreviewReorganisation(r.Context(), p, sreq, pl.plan)
		if err != nil {
			return err
		}
		sum := out.(*reorgSummary)
		sum.Mode = "preview"
		return writeJSON(w, http.StatusOK, sum)
	}
	pl.apply = true
	out, err := s.store.ApplyReorganisation(r.Context(), p, sreq, pl.plan, func(summary any, id string) any {
		sum := summary.(*reorgSummary)
		sum.Mode, sum.ID = "apply", id
		return sum
	})
	var prev *store.ErrReorgApplied
	if errors.As(err, &prev) {
		var sum reorgSummary
		if err := json.Unmarshal(prev.Summary, &sum); err != nil {
			return err
		}
		sum.Repeated = true
		return writeJSON(w, http.StatusOK, sum)
	}
	if err != nil {
		return err
	}
	if out.(*reorgSummary).ID == "" {
		return writeJSON(w, http.StatusOK, out) // the register already recorded all of it: nothing written
	}
	return writeJSON(w, http.StatusCreated, out)
}
