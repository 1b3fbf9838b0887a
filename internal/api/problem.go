package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"communehr/internal/store"
)

// Error is the one error type handlers return for anything the client should see. Every message exists in
// English and Vietnamese; the renderer picks one by Accept-Language.
type Error struct {
	Status   int
	Code     string // machine-readable, also the last part of the problem type URI
	TitleEN  string
	TitleVI  string
	DetailEN string
	DetailVI string
	Fields   []FieldError
	Header   http.Header // extra response headers (WWW-Authenticate, Retry-After, ...)
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.DetailEN) }

// FieldError points at one offending input: a JSON pointer into the request body, a query parameter
// (`query/NAME`), a header (`header/NAME`) or a CSV cell.
type FieldError struct {
	Pointer   string `json:"pointer"`
	Code      string `json:"code"`
	MessageEN string `json:"-"`
	MessageVI string `json:"-"`
	Line      int    `json:"-"` // an uploaded file's line (1 is the header), 0 for anything else
	Column    string `json:"-"` // and its column as the file's header names it
}

// The closed set of error kinds, each a constructor with bilingual titles.

func errInvalid(detailEN, detailVI string, fields ...FieldError) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed",
		TitleEN: "The request is not valid", TitleVI: "Yêu cầu không hợp lệ",
		DetailEN: detailEN, DetailVI: detailVI, Fields: fields}
}

func errBadRequest(detailEN, detailVI string, fields ...FieldError) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "bad_request",
		TitleEN: "Malformed request", TitleVI: "Yêu cầu sai định dạng",
		DetailEN: detailEN, DetailVI: detailVI, Fields: fields}
}

func errNotFound() *Error {
	return &Error{Status: http.StatusNotFound, Code: "not_found",
		TitleEN: "Not found", TitleVI: "Không tìm thấy",
		DetailEN: "The resource does not exist or is not visible to this API key.",
		DetailVI: "Tài nguyên không tồn tại hoặc khóa API này không được phép xem."}
}

func errUnauthenticated() *Error {
	return &Error{Status: http.StatusUnauthorized, Code: "unauthenticated",
		TitleEN: "Authentication required", TitleVI: "Cần xác thực",
		DetailEN: "Send a valid, unrevoked API key as `Authorization: Bearer <token>`.",
		DetailVI: "Hãy gửi khóa API hợp lệ, chưa bị thu hồi, dạng `Authorization: Bearer <token>`.",
		Header:   http.Header{"Www-Authenticate": {`Bearer realm="communehr"`}}}
}

func errForbidden(role string) *Error {
	return &Error{Status: http.StatusForbidden, Code: "forbidden",
		TitleEN: "Not allowed", TitleVI: "Không được phép",
		DetailEN: fmt.Sprintf("An API key with role %s may not do this.", role),
		DetailVI: fmt.Sprintf("Khóa API có vai trò %s không được thực hiện thao tác này.", role)}
}

func errConflict(detailEN, detailVI string, fields ...FieldError) *Error {
	return &Error{Status: http.StatusConflict, Code: "conflict",
		TitleEN: "Conflict", TitleVI: "Xung đột dữ liệu",
		DetailEN: detailEN, DetailVI: detailVI, Fields: fields}
}

func errTooLarge(limit int64) *Error {
	return &Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
		TitleEN: "Request body too large", TitleVI: "Nội dung yêu cầu quá lớn",
		DetailEN: fmt.Sprintf("The body exceeds the limit of %d bytes.", limit),
		DetailVI: fmt.Sprintf("Nội dung vượt quá giới hạn %d byte.", limit)}
}

func errMethodNotAllowed() *Error {
	return &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
		TitleEN: "Method not allowed", TitleVI: "Phương thức không được hỗ trợ",
		DetailEN: "This path does not accept that HTTP method.", DetailVI: "Đường dẫn này không nhận phương thức HTTP đó."}
}

func errInternal() *Error {
	return &Error{Status: http.StatusInternalServerError, Code: "internal",
		TitleEN: "Internal error", TitleVI: "Lỗi hệ thống",
		DetailEN: "Something went wrong on our side; the request id identifies it in the logs.",
		DetailVI: "Đã có lỗi phía máy chủ; mã yêu cầu (request id) giúp tra cứu trong nhật ký."}
}

// problem is the RFC 9457 body.
type problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail"`
	Instance  string         `json:"instance"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []problemField `json:"errors"`
}

type problemField struct {
	Pointer string `json:"pointer"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Line    int    `json:"line,omitempty"`
	Column  string `json:"column,omitempty"`
}

// vietnamese reports whether the client prefers Vietnamese: the first language of Accept-Language
// (by q-value order as sent; clients send the preferred one first) is vi.
func vietnamese(r *http.Request) bool {
	al := r.Header.Get("Accept-Language")
	first := strings.TrimSpace(strings.SplitN(al, ",", 2)[0])
	first = strings.ToLower(strings.SplitN(first, ";", 2)[0])
	return first == "vi" || strings.HasPrefix(first, "vi-")
}

// asError maps any error to an *Error: store errors by kind, everything else to 500.
func asError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound(), true
	}
	if errors.Is(err, store.ErrInUse) {
		return errConflict("The record is still referenced (hamlets, assignments or merged units point at it); close it with effective_to instead.",
			"Bản ghi vẫn đang được tham chiếu (thôn, phân công hoặc đơn vị đã sáp nhập); hãy đóng bằng effective_to thay vì xóa."), true
	}
	if errors.Is(err, store.ErrStale) {
		return errPreconditionFailed(), true
	}
	var re *store.RuleError
	if errors.As(err, &re) {
		return errInvalid("A value breaks a rule of the register.", "Một giá trị vi phạm quy tắc của sổ đăng ký.",
			FieldError{Pointer: "/" + re.Field, Code: re.Code, MessageEN: re.MessageEN, MessageVI: re.MessageVI}), true
	}
	var ce *store.ConstraintError
	if errors.As(err, &ce) {
		return constraintProblem(ce), true
	}
	var busy *store.BusyError
	if errors.As(err, &busy) {
		if busy.Requests {
			return errProvinceBusy(busy.RetryAfter), true
		}
		return errBusy(busy.RetryAfter), true
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errTooLarge(mbe.Limit), true
	}
	return errInternal(), false
}

// errBusy is heavy work (a reorganisation, a province-wide report, the national summary) refused because
// too much of it is running at once (store.ErrBusy).
func errBusy(retry time.Duration) *Error {
	secs := max(1, int(retry.Seconds()))
	return &Error{Status: http.StatusTooManyRequests, Code: "busy",
		TitleEN: "Too many large computations at once", TitleVI: "Quá nhiều phép tính lớn cùng lúc",
		DetailEN: "Too many large computations (reorganisations, province-wide reports, national summaries) are running at this moment. Try again in a few seconds; nothing was changed.",
		DetailVI: "Đang có quá nhiều phép tính lớn (sắp xếp đơn vị, báo cáo toàn tỉnh, tổng hợp toàn quốc) chạy cùng lúc. Hãy thử lại sau ít giây; chưa có gì thay đổi.",
		Header:   http.Header{"Retry-After": {strconv.Itoa(secs)}}}
}

// errProvinceBusy is a request refused because its province already has as many requests in the database
// as it may have at once (store.BusyError.Requests), most often waiting for records a large import holds.
func errProvinceBusy(retry time.Duration) *Error {
	secs := max(1, int(retry.Seconds()))
	return &Error{Status: http.StatusTooManyRequests, Code: "busy",
		TitleEN: "Too many requests of this province at once", TitleVI: "Quá nhiều yêu cầu của tỉnh cùng lúc",
		DetailEN: "Too many requests of this province are being processed at this moment, some of them waiting for records that a large import is changing. Try again in a few seconds; nothing was changed.",
		DetailVI: "Đang có quá nhiều yêu cầu của tỉnh được xử lý cùng lúc, một số đang chờ các bản ghi mà một lần nhập dữ liệu lớn đang thay đổi. Hãy thử lại sau ít giây; chưa có gì thay đổi.",
		Header:   http.Header{"Retry-After": {strconv.Itoa(secs)}}}
}

func errPreconditionFailed() *Error {
	return &Error{Status: http.StatusPreconditionFailed, Code: "precondition_failed",
		TitleEN: "Precondition failed", TitleVI: "Điều kiện không thỏa",
		DetailEN: "If-Match does not match the current ETag: someone changed the resource; read it again.",
		DetailVI: "If-Match không khớp ETag hiện tại: tài nguyên đã bị thay đổi; hãy đọc lại."}
}

func constraintProblem(ce *store.ConstraintError) *Error {
	ptr := "/" + ce.Field
	switch ce.Kind {
	case "conflict":
		return errConflict("A record with this value already exists.", "Đã có bản ghi với giá trị này.",
			FieldError{Pointer: ptr, Code: "duplicate", MessageEN: "already exists", MessageVI: "đã tồn tại"})
	case "reference":
		return errInvalid("A referenced record does not exist (or is still referenced).",
			"Bản ghi được tham chiếu không tồn tại (hoặc vẫn đang được tham chiếu).",
			FieldError{Pointer: ptr, Code: "invalid_reference", MessageEN: "refers to a record that does not exist or is in use",
				MessageVI: "tham chiếu tới bản ghi không tồn tại hoặc đang được sử dụng"})
	default:
		return errInvalid("A value breaks a rule of the register.", "Một giá trị vi phạm quy tắc của sổ đăng ký.",
			FieldError{Pointer: ptr, Code: "invalid", MessageEN: "is not allowed here", MessageVI: "không được phép ở đây"})
	}
}

func pick(vi bool, en, viText string) string {
	if vi && viText != "" {
		return viText
	}
	return en
}
