package api

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"communehr/internal/store"
)

// This file reads what a request names besides its body: query parameters (dates, text, paging), the unit
// a path names, and the If-Match version of a write.

// ifMatch reads the required If-Match header of PATCH and DELETE: 428 when missing, the version otherwise.
func ifMatch(r *http.Request) (int, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return 0, &Error{Status: http.StatusPreconditionRequired, Code: "precondition_required",
			TitleEN: "If-Match required", TitleVI: "Cần tiêu đề If-Match",
			DetailEN: "Send the ETag you read as If-Match, so that concurrent changes are not lost.",
			DetailVI: "Hãy gửi ETag đã đọc trong tiêu đề If-Match để không ghi đè thay đổi đồng thời."}
	}
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
	if err != nil || v <= 0 {
		return 0, errPreconditionFailed()
	}
	return v, nil
}

// page reads limit (default 50, at most 500) and cursor of a list request.
func page(r *http.Request) (limit int, after string, err error) {
	limit = 50
	q := r.URL.Query()
	if s := q.Get("limit"); s != "" {
		n, convErr := strconv.Atoi(s)
		if convErr != nil || n < 1 || n > 500 {
			return 0, "", queryError("limit", "range", "must be a whole number from 1 to 500", "phải là số nguyên từ 1 đến 500")
		}
		limit = n
	}
	if c := q.Get("cursor"); c != "" {
		b, decErr := base64.RawURLEncoding.DecodeString(c)
		// A cursor that decodes to bytes PostgreSQL cannot compare as text (not UTF-8, NUL) was never
		// returned by this API; passed on, it would fail the query with a 500.
		if decErr != nil || len(b) == 0 || !readableText(string(b)) {
			return 0, "", queryError("cursor", "cursor", "is not a cursor this API returned", "không phải con trỏ do API trả về")
		}
		after = string(b)
	}
	return limit, after, nil
}

// nextCursor encodes the last key of a full page; nil when the page was the last.
func nextCursor(lastKey string, n, limit int) *string {
	if n < limit || lastKey == "" {
		return nil
	}
	c := base64.RawURLEncoding.EncodeToString([]byte(lastKey))
	return &c
}

// queryError is a 422 pointing at a query parameter.
func queryError(name, code, en, vi string) *Error {
	return errInvalid("A query parameter is not valid.", "Một tham số truy vấn không hợp lệ.",
		FieldError{Pointer: "query/" + name, Code: code, MessageEN: name + " " + en, MessageVI: name + " " + vi})
}

// queryText reads an optional free-text query parameter (a search or a filter that goes to the database
// as it is): a value that is not valid UTF-8 or holds a control character is a 422, not a 500 from
// PostgreSQL's text input.
func queryText(r *http.Request, name string) (string, error) {
	s := r.URL.Query().Get(name)
	if !readableText(s) {
		return "", queryError(name, "encoding", "must be UTF-8 text without control characters",
			"phải là văn bản UTF-8 không có ký tự điều khiển")
	}
	return s, nil
}

// queryDate reads an optional YYYY-MM-DD query parameter.
func queryDate(r *http.Request, name string) (*Date, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return nil, nil
	}
	d, err := ParseDate(s)
	if err != nil {
		return nil, queryError(name, "date", "must be a date YYYY-MM-DD", "phải là ngày dạng YYYY-MM-DD")
	}
	return &d, nil
}

// asOf reads ?as_of=, by default today by the store's clock.
func (s *Server) asOfOrToday(r *http.Request) (time.Time, error) {
	d, err := queryDate(r, "as_of")
	if err != nil || d == nil {
		return s.store.Today(), err
	}
	return d.Time, nil
}

// unitSel reads which unit of a code a request names: {code} may be code@YYYY-MM-DD (the unit whose period
// starts that day), or ?effective_from= says the same; ?as_of= picks the unit in force on that date (and
// its attribute values on it); with neither, the unit in force today (else the latest of that code).
func unitSel(r *http.Request) (string, store.UnitSel, error) {
	code, from, err := store.ParseUnitRef(chi.URLParam(r, "code"))
	if err != nil {
		return "", store.UnitSel{}, errInvalid("The unit reference is not valid.", "Mã đơn vị không hợp lệ.",
			FieldError{Pointer: "path/code", Code: "unit_ref", MessageEN: "after @ must come the first day of the unit's period, YYYY-MM-DD",
				MessageVI: "sau @ phải là ngày đầu thời gian tồn tại của đơn vị, dạng YYYY-MM-DD"})
	}
	ef, err := queryDate(r, "effective_from")
	if err != nil {
		return "", store.UnitSel{}, err
	}
	asOf, err := queryDate(r, "as_of")
	if err != nil {
		return "", store.UnitSel{}, err
	}
	sel := store.UnitSel{From: from, AsOf: timePtr(asOf)}
	if sel.From == nil {
		sel.From = timePtr(ef)
	}
	return code, sel, nil
}
