package policy

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// Fuzz targets: whatever the input, a calculator never panics, never
// returns a negative amount, returns only the package's input errors, and
// answers identically twice. Seed corpora are committed under
// testdata/fuzz/FuzzXxx/, so plain `go test` runs them.

var calculators = []string{"retirement-date", "commune-fund", "hamlet-fund", "allowance",
	"non-professional-exit", "early-retirement", "resignation", "best-exit"}

// FuzzCalculate feeds arbitrary request bodies to every calculator through
// the strict decoder the HTTP layer uses.
func FuzzCalculate(f *testing.F) {
	f.Add(uint8(4), []byte(`{"monthly_allowance":"2106000","elected":true,"level":"commune","exit_date":"2025-08-01","work_months":72,"gender":"male","birth_date":"1997-03-02"}`))
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		calc := calculators[int(which)%len(calculators)]
		if _, err := calculate(calc, body); err != nil && !isPolicyError(err) {
			return // the decoder refused the body: the HTTP layer answers 422 itself
		}
		checkDeterministic(t, func() (any, error) { return calculate(calc, body) })
	})
}

func isPolicyError(err error) bool {
	switch err.(type) {
	case *InputError, InputErrors, *OutOfRangeError:
		return true
	}
	return false
}

func fuzzDate(y, m, d int) Date { return Date{y, time.Month(m), d} }

func FuzzRetirementDate(f *testing.F) {
	f.Add(1966, 1, 15, false, false)
	f.Fuzz(func(t *testing.T, y, m, d int, female, reduced bool) {
		g := Male
		if female {
			g = Female
		}
		v, err := checkDeterministic(t, func() (any, error) {
			return RetirementDate(RetirementInput{Gender: g, BirthDate: fuzzDate(y, m, d), Reduced: reduced})
		})
		if err == nil {
			r := v.(RetirementResult)
			if !r.RetirementDate.After(fuzzDate(y, m, d)) || r.RetirementDate.Day != 1 {
				t.Fatalf("retirement %s for birth %d-%d-%d", r.RetirementDate, y, m, d)
			}
		}
	})
}

func FuzzHamletFund(f *testing.F) {
	f.Add(true, 350, false, false, false, 2025, 3, 1)
	f.Fuzz(func(t *testing.T, thon bool, households int, key, border, conv bool, y, m, d int) {
		kind := ToDanPho
		if thon {
			kind = Thon
		}
		checkDeterministic(t, func() (any, error) {
			return HamletFund(HamletFundInput{kind, households, key, border, conv, fuzzDate(y, m, d)})
		})
	})
}

func FuzzNonProfessionalExit(f *testing.F) {
	f.Add(int64(2106000), true, false, 2025, 7, 1, 2025, 8, 1, 12, 72, false, 1997, 3, 2)
	f.Fuzz(func(t *testing.T, allowance int64, elected, hamlet bool, dy, dm, dd, ey, em, ed, termMonths, work int,
		female bool, by, bm, bd int) {
		level, g := LevelCommune, Male
		if hamlet {
			level = LevelHamlet
		}
		if female {
			g = Female
		}
		exit := fuzzDate(ey, em, ed)
		var end *Date
		if exit.valid() && termMonths > -1000 && termMonths < 1000 {
			e := exit.AddMonths(termMonths)
			end = &e
		}
		checkDeterministic(t, func() (any, error) {
			return NonProfessionalExit(NonProfessionalExitInput{MonthlyAllowance: decimal.NewFromInt(allowance),
				Elected: elected, Level: level, DecisionDate: fuzzDate(dy, dm, dd), ExitDate: exit, TermEnd: end,
				RoadmapEnd: end, WorkMonths: &work, Gender: g, BirthDate: fuzzDate(by, bm, bd)})
		})
	})
}

// FuzzEarlyRetirement also runs Resignation and BestExit on the same input.
func FuzzEarlyRetirement(f *testing.F) {
	f.Add(false, 1966, 9, 10, 2025, 1, 15, 2025, 6, 1, int64(10000000), 240)
	f.Fuzz(func(t *testing.T, female bool, by, bm, bd, dy, dm, dd, ey, em, ed int, salary int64, si int) {
		g := Male
		if female {
			g = Female
		}
		in := EarlyRetirementInput{Gender: g, BirthDate: fuzzDate(by, bm, bd), DecisionDate: fuzzDate(dy, dm, dd), ExitDate: fuzzDate(ey, em, ed),
			MonthlySalary: decimal.NewFromInt(salary), SIMonths: si}
		checkDeterministic(t, func() (any, error) { return EarlyRetirement(in) })
		checkDeterministic(t, func() (any, error) {
			return Resignation(ResignationInput{DecisionDate: in.DecisionDate, ExitDate: in.ExitDate, MonthlySalary: in.MonthlySalary, SIMonths: si, Gender: g, BirthDate: in.BirthDate})
		})
		checkDeterministic(t, func() (any, error) {
			return BestExit(BestExitInput{Kind: KindCadre, Gender: g, BirthDate: in.BirthDate, DecisionDate: in.DecisionDate,
				ExitDate: in.ExitDate, MonthlySalary: in.MonthlySalary, SIMonths: si})
		})
	})
}
