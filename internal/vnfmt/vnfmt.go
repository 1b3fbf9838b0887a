// Package vnfmt writes numbers and amounts of money the Vietnamese way — "." between thousands, ","
// before decimals, "-" before a negative value (2.340.000; -1.500; 76,57) — for every place an officer
// reads one: the console's pages and the exports (CSV in Vietnamese; a workbook's cells are numbers that
// Excel formats itself). One implementation, so that a repayment or a negative adjustment reads the same
// on a page and in a file.
package vnfmt

import (
	"regexp"
	"strings"

	"github.com/shopspring/decimal"
)

// Money writes an amount in whole đồng (the rules: money is whole đồng, rounded half away from zero), its
// thousands grouped: -1234.5 → "-1.235". An amount that rounds to zero is "0", never "-0".
func Money(d decimal.Decimal) string { return Number(d.Round(0)) }

// Number writes d with its exact decimals: 1234.50 → "1.234,5", -0.25 → "-0,25".
func Number(d decimal.Decimal) string {
	intPart, frac, _ := strings.Cut(d.Abs().String(), ".")
	var b strings.Builder
	if d.IsNegative() {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

var plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// Text writes a cell's text: a plain decimal number ("-1500", "1234.50") as Number; anything else (a
// date, a word, a number in another notation) and a code with leading zeros ("00123", a commune's code)
// as it is.
func Text(s string) string {
	digits := strings.TrimPrefix(s, "-")
	if !plainNumber.MatchString(s) || (len(digits) > 1 && digits[0] == '0' && digits[1] != '.') {
		return s
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return s
	}
	return Number(d)
}
