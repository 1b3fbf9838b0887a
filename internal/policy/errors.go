package policy

import (
	"fmt"
	"strings"
)

// InputError is an invalid input a client sent: the HTTP layer maps it to a
// 422 problem whose pointer is Field.
type InputError struct {
	// Field is the JSON pointer of the docs/legal-basis.md §8 request field, e.g.
	// "/birth_date" or "/posts/1/position_code"; empty when the caller must
	// supply it (a malformed date inside a decoder).
	Field string
	// Code is a stable machine code, e.g. "birth_after_exit".
	Code      string
	MessageEN string
	MessageVI string
}

func (e *InputError) Error() string {
	if e.Field == "" {
		return e.Code + ": " + e.MessageEN
	}
	return e.Field + ": " + e.Code + ": " + e.MessageEN
}

// InputErrors is several InputError at once (every problem of one request).
type InputErrors []InputError

func (es InputErrors) Error() string {
	parts := make([]string, len(es))
	for i := range es {
		parts[i] = es[i].Error()
	}
	return strings.Join(parts, "; ")
}

// errs collects input problems and returns nil, one *InputError, or
// InputErrors.
type errs struct{ list InputErrors }

func (c *errs) add(field, code, en, vi string) {
	c.list = append(c.list, InputError{Field: field, Code: code, MessageEN: en, MessageVI: vi})
}

func (c *errs) err() error {
	switch len(c.list) {
	case 0:
		return nil
	case 1:
		e := c.list[0]
		return &e
	}
	return c.list
}

func inputErr(field, code, en, vi string) error {
	return &InputError{Field: field, Code: code, MessageEN: en, MessageVI: vi}
}

// OutOfRangeError is a parameter lookup for a date no dated entry covers
// (never a silent zero).
type OutOfRangeError struct {
	Param string
	Date  Date
}

func (e *OutOfRangeError) Error() string {
	return fmt.Sprintf("parameter %s has no value in force on %s", e.Param, e.Date)
}

// MessageVI is the Vietnamese message.
func (e *OutOfRangeError) MessageVI() string {
	return fmt.Sprintf("tham số %s không có giá trị áp dụng vào ngày %s", e.Param, e.Date)
}
