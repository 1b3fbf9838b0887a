package policy

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a civil date (no time of day, no time zone), the only date type of
// the package's API. The zero Date means "not given".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d, normalised the way time.Date normalises
// (2025-02-30 becomes 2025-03-02). Use ParseDate for untrusted text.
func NewDate(y int, m time.Month, d int) Date {
	return fromTime(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

func fromTime(t time.Time) Date { return Date{t.Year(), t.Month(), t.Day()} }

func (d Date) t() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// ParseDate parses "YYYY-MM-DD" strictly: the date must exist in the calendar
// and the year must have four digits.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != 10 {
		return Date{}, &InputError{
			Code:      "invalid_date",
			MessageEN: fmt.Sprintf("%q is not a date of the form YYYY-MM-DD", s),
			MessageVI: fmt.Sprintf("%q không phải là ngày hợp lệ theo dạng YYYY-MM-DD", s),
		}
	}
	return fromTime(t), nil
}

// MustDate is ParseDate for constants in this package and its tests; it
// panics on a malformed literal (a programming error, never client input).
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero Date ("not given").
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD (the zero Date as "").
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalJSON writes "YYYY-MM-DD", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" (null leaves the zero Date). A malformed
// value is an *InputError with code "invalid_date" and no Field: the caller
// knows the pointer.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &InputError{Code: "invalid_date",
			MessageEN: "a date must be a string of the form YYYY-MM-DD",
			MessageVI: "ngày phải là chuỗi dạng YYYY-MM-DD"}
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

func sign(i int) int {
	switch {
	case i < 0:
		return -1
	case i > 0:
		return 1
	}
	return 0
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Equal reports whether d and e are the same day.
func (d Date) Equal(e Date) bool { return d == e }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return fromTime(d.t().AddDate(0, 0, n)) }

// AddMonths returns d moved by n calendar months, the day clamped to the
// last day of the target month (2024-01-31 + 1 month = 2024-02-29), so that
// a month counted from the 31st never spills into the following month.
func (d Date) AddMonths(n int) Date {
	total := d.Year*12 + int(d.Month) - 1 + n
	y, m := floorDiv(total, 12), time.Month(floorMod(total, 12)+1)
	day := d.Day
	if last := daysIn(y, m); day > last {
		day = last
	}
	return Date{y, m, day}
}

// withinMonthsAfter reports whether day falls within the period of n months
// "kể từ" event (e.g. "trong thời gian 12 tháng kể từ khi có quyết định sắp
// xếp", Decree 29/2023 Art. 2 cl. 3; "trong thời hạn 12 tháng đầu tiên",
// Decree 178/2024 Art. 7 cl. 1 and Art. 9). The decrees do not say how to
// count it, so the Civil Code 2015 rules for periods apply (Art. 145 cl. 1):
// the day of the event is not counted, the period starts the next day
// (Art. 147 cl. 3), and a period in months ends at the end of the
// corresponding day of its last month, or of that month's last day when it
// has no such day (Art. 148 cl. 3). A decision of 2025-01-15 thus gives a
// 12-month period 2025-01-16 … 2026-01-15: an exit on 2026-01-15 is within
// it and 2026-01-16 is in the 13th month. (Ruleset 1.0.0 ended the period
// the day before, 2026-01-14.)
func withinMonthsAfter(event, day Date, n int) bool {
	return !day.After(event.AddMonths(n))
}

// FirstOfMonth returns the first day of d's month.
func (d Date) FirstOfMonth() Date { return Date{d.Year, d.Month, 1} }

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }

// MonthsBetween counts whole calendar months from a to b and the days left
// over: the largest m with a.AddMonths(m) ≤ b, and the days from
// a.AddMonths(m) to b. When b is before a both are zero.
//
// A month is a calendar month (docs/legal-basis.md §7): 2025-06-01 → 2028-10-01 is 40
// months and 0 days; 2025-06-15 → 2028-10-01 is 39 months and 16 days.
func MonthsBetween(a, b Date) (months, days int) {
	if !a.Before(b) {
		return 0, 0
	}
	m := (b.Year-a.Year)*12 + int(b.Month) - int(a.Month)
	for m > 0 && a.AddMonths(m).After(b) {
		m--
	}
	rest := a.AddMonths(m)
	days = int(b.t().Sub(rest.t()) / (24 * time.Hour))
	return m, days
}

// Age is a duration in whole years and months, as the Labour Code states
// retirement ages ("60 years 3 months").
type Age struct {
	Years  int `json:"years"`
	Months int `json:"months"`
}

// InMonths returns the age as a number of months.
func (a Age) InMonths() int { return a.Years*12 + a.Months }

func ageOfMonths(m int) Age { return Age{m / 12, m % 12} }

// String formats the age as "61y9m".
func (a Age) String() string { return fmt.Sprintf("%dy%dm", a.Years, a.Months) }
