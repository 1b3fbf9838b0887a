package policy

import (
	"github.com/shopspring/decimal"
)

var zero = decimal.Zero

// valid reports whether d is a real calendar date in years 1900–9999 (a
// Date built as a struct literal may not be).
func (d Date) valid() bool {
	return d.Year >= 1900 && d.Year <= 9999 && NewDate(d.Year, d.Month, d.Day) == d
}

func checkDate(ec *errs, field string, d Date, required bool) bool {
	if d.IsZero() {
		if required {
			ec.add(field, "required", "this date is required", "ngày này là bắt buộc")
		}
		return false
	}
	if !d.valid() {
		ec.add(field, "invalid_date", "not a calendar date between 1900-01-01 and 9999-12-31",
			"không phải ngày hợp lệ trong khoảng 1900-01-01 đến 9999-12-31")
		return false
	}
	return true
}

func checkBirth(ec *errs, field string, d Date) bool { return checkDate(ec, field, d, true) }

func checkGender(ec *errs, field string, g Gender) {
	if g != Male && g != Female {
		ec.add(field, "unknown_gender", `gender must be "male" or "female"`, `giới tính phải là "male" hoặc "female"`)
	}
}

// Bounds on every amount or coefficient a client sends: at most 10^15 đồng
// (far above any salary or allowance) and at most 12 decimal places. They
// keep a hostile value such as "1e999999999" from making the exact decimal
// arithmetic unbounded in time or memory, so the cheap checks on the
// exponent and the digit count come before any comparison (comparing
// rescales, which is itself unbounded for such values).
var maxAmount = decimal.New(1, 15)

const maxFractionDigits = 12

func checkMoney(ec *errs, field string, d decimal.Decimal) {
	e, n := int64(d.Exponent()), int64(d.NumDigits())
	switch {
	case e > 16 || n+e > 16 || e < -2*maxFractionDigits:
		ec.add(field, "amount_out_of_range", "the amount must be at most 10^15 with at most 12 decimal places",
			"số tiền tối đa 10^15 và tối đa 12 chữ số thập phân")
	case d.IsNegative():
		ec.add(field, "negative_amount", "the amount must not be negative", "số tiền không được âm")
	case d.GreaterThan(maxAmount) || !d.Equal(d.Truncate(maxFractionDigits)):
		ec.add(field, "amount_out_of_range", "the amount must be at most 10^15 with at most 12 decimal places",
			"số tiền tối đa 10^15 và tối đa 12 chữ số thập phân")
	}
}

func checkNonNeg(ec *errs, field string, n int) {
	if n < 0 {
		ec.add(field, "negative", "the value must not be negative", "giá trị không được âm")
	}
}

// checkOrder adds an error when later is before earlier (both valid).
func checkOrder(ec *errs, field, code string, earlier, later Date, en, vi string) {
	if later.Before(earlier) {
		ec.add(field, code, en, vi)
	}
}
