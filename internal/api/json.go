package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

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
func writeJSON(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// decodeJSON reads one JSON object into dst, refusing unknown fields and trailing data, and turns syntax
// and type errors into problems that point at the field; then it runs validator v10 on dst.
func decodeJSON(r *http.Request, dst any) error {
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			TitleEN: "Unsupported media type", TitleVI: "Kiểu nội dung không được hỗ trợ",
			DetailEN: "Send the body as application/json.", DetailVI: "Hãy gửi nội dung dạng application/json."}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return jsonProblem(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonProblem(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errTooLarge(mbe.Limit)
		}
		return errBadRequest("The body holds more than one JSON value.", "Nội dung chứa nhiều hơn một giá trị JSON.")
	}
	if bad := checkParsed(dst); len(bad) > 0 {
		return errInvalid("Some values are not in the expected format.", "Một số giá trị không đúng định dạng.", bad...)
	}
	if err := validateStruct(dst); err != nil {
		return err
	}
	return checkBodyRanges(r, body)
}

// jsonProblem explains a json decoding error with a pointer.
func jsonProblem(err error) error {
	var (
		syn  *json.SyntaxError
		typ  *json.UnmarshalTypeError
		mbe  *http.MaxBytesError
		perr *fieldParseError
	)
	switch {
	case errors.As(err, &mbe):
		return errTooLarge(mbe.Limit)
	case errors.Is(err, io.EOF):
		return errBadRequest("The body is empty; a JSON object is expected.", "Nội dung trống; cần một đối tượng JSON.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errBadRequest("Malformed JSON: the body ends before the JSON value is complete.",
			"JSON sai cú pháp: nội dung kết thúc khi giá trị JSON chưa hoàn chỉnh.")
	case errors.As(err, &syn):
		return errBadRequest(fmt.Sprintf("Malformed JSON near byte %d.", syn.Offset), fmt.Sprintf("JSON sai cú pháp gần byte %d.", syn.Offset))
	case errors.As(err, &typ):
		ptr := jsonPointerOf(typ.Field)
		return errInvalid("A field has the wrong type.", "Một trường có kiểu dữ liệu sai.",
			FieldError{Pointer: ptr, Code: "type", MessageEN: "must be " + jsonTypeName(typ.Type.String()),
				MessageVI: "phải là " + jsonTypeNameVI(typ.Type.String())})
	case errors.As(err, &perr):
		return errInvalid("A field has an invalid value.", "Một trường có giá trị không hợp lệ.", perr.FieldError)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errInvalid("The body has a field this endpoint does not know.", "Nội dung có trường mà điểm cuối này không biết.",
			FieldError{Pointer: "/" + name, Code: "unknown_field", MessageEN: "unknown field", MessageVI: "trường không được hỗ trợ"})
	}
	// Errors from a field's own UnmarshalJSON (dates, decimals) carry no field name in encoding/json.
	return errInvalid("A value could not be read: "+err.Error(), "Không đọc được một giá trị: "+err.Error(),
		FieldError{Pointer: "", Code: "invalid", MessageEN: err.Error(), MessageVI: "giá trị không hợp lệ"})
}

// jsonPointerOf turns encoding/json's dotted field path into a JSON pointer. The path names embedded Go
// structs too (cadreLawFields.si_total_months); the API's JSON names are snake_case, so a segment with an
// upper-case letter is a Go name and is left out.
func jsonPointerOf(field string) string {
	var segs []string
	for _, s := range strings.Split(field, ".") {
		if strings.ToLower(s) != s {
			continue
		}
		segs = append(segs, s)
	}
	return "/" + strings.Join(segs, "/")
}

// fieldParseError lets a field type's UnmarshalJSON report a pointed, bilingual error.
type fieldParseError struct{ FieldError }

func (e *fieldParseError) Error() string { return e.MessageEN }

func jsonTypeName(goType string) string {
	switch {
	case strings.Contains(goType, "int"):
		return "a whole number"
	case strings.Contains(goType, "Decimal"):
		return "a number"
	case goType == "string":
		return "a string"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	}
	return "an object"
}

func jsonTypeNameVI(goType string) string {
	switch {
	case strings.Contains(goType, "int"):
		return "một số nguyên"
	case strings.Contains(goType, "Decimal"):
		return "một số"
	case goType == "string":
		return "một chuỗi"
	case goType == "bool":
		return "true hoặc false"
	case strings.HasPrefix(goType, "[]"):
		return "một mảng"
	}
	return "một đối tượng"
}
