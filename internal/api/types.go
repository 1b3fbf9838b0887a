package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Date is a calendar date in JSON as "YYYY-MM-DD". A malformed value does not fail decoding (encoding/json
// would lose the field's name); it is kept as bad and reported with its pointer by checkParsed.
type Date struct {
	time.Time
	bad string
}

func (d Date) parseProblem() (string, string, bool) {
	if d.bad == "" {
		return "", "", false
	}
	return fmt.Sprintf("%s is not a valid date YYYY-MM-DD", d.bad), fmt.Sprintf("%s không phải ngày hợp lệ dạng YYYY-MM-DD", d.bad), true
}

// ParseDate reads "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	return Date{Time: t}, nil
}

// MarshalJSON writes "YYYY-MM-DD" with one allocation (every list item carries several dates).
func (d Date) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, len(dateLayout)+2)
	b = append(b, '"')
	b = d.AppendFormat(b, dateLayout)
	return append(b, '"'), nil
}

func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		*d = Date{bad: string(b)}
		return nil
	}
	t, err := ParseDate(s)
	if err != nil {
		*d = Date{bad: strconv.Quote(s)}
		return nil
	}
	*d = t
	return nil
}

// datePtr converts an optional time to an optional Date.
func datePtr(t *time.Time) *Date {
	if t == nil {
		return nil
	}
	return &Date{Time: *t}
}

// timePtr converts an optional Date to an optional time.
func timePtr(d *Date) *time.Time {
	if d == nil {
		return nil
	}
	t := d.Time
	return &t
}

// Opt is a PATCH field: absent (Set false), null (Set true, Value nil) or a value.
type Opt[T any] struct {
	Set   bool
	Value *T
}

func (o *Opt[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Value = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.Value = &v
	return nil
}

// required reports whether a required PATCH field is to be applied: it was sent and is not null. A null
// cannot clear a required field, so it adds a "cannot be null" error at ptr to fields instead.
func (o Opt[T]) required(ptr string, fields *[]FieldError) bool {
	if o.Set && o.Value == nil {
		*fields = append(*fields, FieldError{Pointer: ptr, Code: "required", MessageEN: "cannot be null", MessageVI: "không được để trống"})
		return false
	}
	return o.Set
}

// parsed is implemented by lenient field types (Date, Money) that remember a value they could not parse.
type parsed interface {
	parseProblem() (en, vi string, bad bool)
}

// checkParsed walks a decoded request and reports every lenient field that held a malformed value, and
// every string holding a NUL character, with its JSON pointer.
func checkParsed(v any) []FieldError {
	var out []FieldError
	walkParsed(reflect.ValueOf(v), "", &out)
	return out
}

func walkParsed(v reflect.Value, ptr string, out *[]FieldError) {
	if !v.IsValid() {
		return
	}
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		return
	}
	if v.CanInterface() {
		if p, ok := v.Interface().(parsed); ok {
			if en, vi, bad := p.parseProblem(); bad {
				*out = append(*out, FieldError{Pointer: ptr, Code: "format", MessageEN: en, MessageVI: vi})
			}
			return
		}
	}
	switch v.Kind() {
	case reflect.String:
		// encoding/json turns invalid UTF-8 into U+FFFD but keeps \u0000, which PostgreSQL refuses in text
		// and jsonb (SQLSTATE 22021 / 22P05): without this check such a name or filter was a 500.
		if strings.IndexByte(v.String(), 0) >= 0 {
			*out = append(*out, FieldError{Pointer: ptr, Code: "nul_character",
				MessageEN: "must not contain the NUL character (\\u0000)", MessageVI: "không được chứa ký tự NUL (\\u0000)"})
		}
	case reflect.Pointer, reflect.Interface:
		walkParsed(v.Elem(), ptr, out)
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkParsed(v.Index(i), ptr+"/"+strconv.Itoa(i), out)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
			switch {
			case name == "-":
				continue
			case f.Anonymous && name == "":
				walkParsed(v.Field(i), ptr, out)
			case name == "" && t.Name() != "" && strings.HasPrefix(t.Name(), "Opt["):
				walkParsed(v.Field(i), ptr, out) // Opt's Value field stands for the field itself
			case name == "":
				walkParsed(v.Field(i), ptr+"/"+f.Name, out)
			default:
				walkParsed(v.Field(i), ptr+"/"+name, out)
			}
		}
	}
}

// Decimal is an exact decimal in JSON, as a string ("2340000", "1.5") or, leniently, a bare number.
// Malformed values are reported with their pointer by checkParsed, like Date.
type Decimal struct {
	decimal.Decimal
	bad string
}

// NewDecimal wraps d.
func NewDecimal(d decimal.Decimal) Decimal { return Decimal{Decimal: d} }

func (d Decimal) parseProblem() (string, string, bool) {
	if d.bad == "" {
		return "", "", false
	}
	return d.bad + " is not a decimal number such as \"1.5\"", d.bad + " không phải số thập phân như \"1.5\"", true
}

func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(`"` + d.Decimal.String() + `"`), nil }

func (d *Decimal) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			*d = Decimal{bad: string(b)}
			return nil
		}
	}
	if s == "" || len(s) > 40 || strings.ContainsAny(s, "eE") {
		*d = Decimal{bad: strconv.Quote(s)}
		return nil
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		*d = Decimal{bad: strconv.Quote(s)}
		return nil
	}
	*d = Decimal{Decimal: v}
	return nil
}
