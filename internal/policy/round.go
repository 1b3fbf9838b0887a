package policy

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// roundDong rounds an amount to whole đồng, half away from zero
// (decimal.Round(0): 0.5 → 1, -0.5 → -1).
//
// Why this mode: the decrees state every entitlement in đồng and say nothing
// about rounding; docs/legal-basis.md §7 fixes the rule for the silent case — compute at
// full precision, round each result line exactly once, half away from zero
// (the convention of Vietnamese payroll and of the worked examples W1–W9, all
// of which are exact), and make the total the sum of the rounded lines so
// that the printed lines always add up to the printed total. Every money line
// of the package goes through this function and nothing else rounds money.
func roundDong(d decimal.Decimal) decimal.Decimal { return d.Round(0) }

// halfYears converts a number of months into years with the ½-year rule of
// Decree 178/2024 Art. 5 (and, per docs/legal-basis.md §3.2, Decree 154/2025 Art. 5): a
// remainder of 1–6 months counts as ½ year, more than 6 months as 1 year.
// The result is exact (a multiple of 0.5); no money is rounded here.
func halfYears(months int) decimal.Decimal {
	if months <= 0 {
		return decimal.Zero
	}
	y, r := months/12, months%12
	switch {
	case r == 0:
		return decimal.NewFromInt(int64(y))
	case r <= 6:
		return decimal.NewFromInt(int64(y)).Add(decimal.New(5, -1))
	}
	return decimal.NewFromInt(int64(y + 1))
}

// fmtMoney formats an amount with comma thousands separators
// ("2,340,000"; "2,106,000.5" keeps a fractional part given in an input).
func fmtMoney(d decimal.Decimal) string {
	s := d.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// fmtNum formats a coefficient or a count the shortest exact way ("0.8",
// "3.5", "60").
func fmtNum(d decimal.Decimal) string { return d.String() }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decInt(i int) decimal.Decimal { return decimal.NewFromInt(int64(i)) }

// fmtNumVI is fmtNum as Vietnamese text writes it, with a decimal comma
// ("0,8", "1,5").
func fmtNumVI(d decimal.Decimal) string { return strings.Replace(d.String(), ".", ",", 1) }

// fmtMonthsVI writes a whole number of months as Vietnamese legal text does,
// on two digits ("03", "15", "60").
func fmtMonthsVI(d decimal.Decimal) string { return fmt.Sprintf("%02s", d.String()) }
