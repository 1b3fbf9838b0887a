package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
)

// This file reads request bodies: one strict JSON reader (readStrict) under the two ways the API decodes
// a body — decodeJSON for the register's writes (then validator v10 and the documented ranges) and
// decodeCalcInput for the calculators (then the required fields) — and the problems that point at the field.

// readStrict reads one JSON value into dst: 415 for another media type, unknown fields and trailing data
// refused, syntax and type errors as problems that point at the field. encoding/json does not say which
// field a custom decoder (dates, decimals) failed on, so such an error is located by decoding the body
// again field by field. It returns the body for the checks that follow.
func readStrict(r *http.Request, dst any) ([]byte, error) {
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return nil, &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			TitleEN: "Unsupported media type", TitleVI: "Kiểu nội dung không được hỗ trợ",
			DetailEN: "Send the body as application/json.", DetailVI: "Hãy gửi nội dung dạng application/json."}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, jsonProblem(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		if located(err) {
			return nil, jsonProblem(err)
		}
		ptr := locateBadField(body, reflect.TypeOf(dst).Elem(), "")
		return nil, errInvalid("A value could not be read.", "Không đọc được một giá trị.",
			FieldError{Pointer: ptr, Code: "format", MessageEN: err.Error(), MessageVI: "giá trị không đúng định dạng (ngày YYYY-MM-DD, số dạng chuỗi \"123\")"})
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errTooLarge(mbe.Limit)
		}
		return nil, errBadRequest("The body holds more than one JSON value.", "Nội dung chứa nhiều hơn một giá trị JSON.")
	}
	return body, nil
}

// located reports whether jsonProblem can explain a decoding error with its pointer (or needs none).
func located(err error) bool {
	var (
		syn  *json.SyntaxError
		typ  *json.UnmarshalTypeError
		mbe  *http.MaxBytesError
		perr *fieldParseError
	)
	return errors.As(err, &syn) || errors.As(err, &typ) || errors.As(err, &mbe) || errors.As(err, &perr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.HasPrefix(err.Error(), "json: unknown field ")
}

// decodeJSON reads one JSON object into dst (readStrict), then checks the parsed values' formats, runs
// validator v10 on dst and holds numbers to the ranges openapi.yaml documents.
func decodeJSON(r *http.Request, dst any) error {
	body, err := readStrict(r, dst)
	if err != nil {
		return err
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

// decodeCalcInput reads a calculation body (readStrict), then refuses it when a required field is
// missing.
func decodeCalcInput(r *http.Request, dst any, required []string) error {
	body, err := readStrict(r, dst)
	if err != nil {
		return err
	}
	return missingFields(body, required)
}

// missingFields answers 422 naming every required top-level field that body lacks or sets to null.
func missingFields(body []byte, required []string) error {
	if len(required) == 0 {
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return nil // not an object: the strict decode above has already said so
	}
	var missing []FieldError
	present := func(name string) bool {
		v, ok := obj[name]
		return ok && string(bytes.TrimSpace(v)) != "null"
	}
	for _, spec := range required {
		// "a|b": at least one of the alternatives; the pointer names the first.
		names := strings.Split(spec, "|")
		found := false
		for _, n := range names {
			found = found || present(n)
		}
		if !found {
			name := names[0]
			missing = append(missing, FieldError{Pointer: "/" + name, Code: "required",
				MessageEN: "This value is required.", MessageVI: "Giá trị này là bắt buộc."})
		}
	}
	if len(missing) > 0 {
		return errInvalid("Some required fields are missing.", "Thiếu một số trường bắt buộc.", missing...)
	}
	return nil
}

// locateBadField returns the JSON pointer of the first value in raw that does not decode into t.
func locateBadField(raw []byte, t reflect.Type, ptr string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return ptr
		}
		fields := jsonFields(t)
		for name, v := range obj {
			ft, ok := fields[name]
			if !ok {
				continue
			}
			if json.Unmarshal(v, reflect.New(ft).Interface()) != nil {
				return locateBadField(v, ft, ptr+"/"+name)
			}
		}
	case reflect.Slice:
		var arr []json.RawMessage
		if json.Unmarshal(raw, &arr) != nil {
			return ptr
		}
		for i, v := range arr {
			if json.Unmarshal(v, reflect.New(t.Elem()).Interface()) != nil {
				return locateBadField(v, t.Elem(), ptr+"/"+strconv.Itoa(i))
			}
		}
	}
	return ptr
}

// jsonFields maps the JSON names of a struct's fields (embedded structs flattened) to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}
