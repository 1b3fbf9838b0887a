package policy

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// Property tests over table-driven random inputs from a fixed seed (ints
// only): never a negative amount, totals equal the rounded lines, identical
// inputs give identical outputs (formulas included), and totals never fall
// when only the months that count grow.

func randDate(r *rand.Rand, fromYear, years int) Date {
	return NewDate(fromYear+r.IntN(years), time.Month(1+r.IntN(12)), 1+r.IntN(31))
}

func randGender(r *rand.Rand) Gender {
	return []Gender{Male, Female, "x"}[r.IntN(3)]
}

func TestPropertiesRandomInputs(t *testing.T) {
	r := rand.New(rand.NewPCG(2025, 8))
	for i := 0; i < 3000; i++ {
		exit := randDate(r, 2022, 10)
		decision := exit.AddDays(-r.IntN(800))
		birth := randDate(r, 1955, 50)
		money := decimal.NewFromInt(int64(r.IntN(20_000_000)))
		work := r.IntN(500)
		term := exit.AddMonths(r.IntN(80) - 5)
		g := randGender(r)
		elected, kind, hh := r.IntN(2) == 0, []HamletKind{Thon, ToDanPho}[i%2], r.IntN(1000)-5
		key, border, conv, class, reduced := r.IntN(5) == 0, r.IntN(5) == 0, r.IntN(3) == 0, r.IntN(5), r.IntN(4) == 0
		checkDeterministic(t, func() (any, error) {
			return NonProfessionalExit(NonProfessionalExitInput{MonthlyAllowance: money, Elected: elected,
				Level: []Level{LevelCommune, LevelHamlet}[i%2], DecisionDate: decision, ExitDate: exit,
				TermEnd: &term, RoadmapEnd: &term, WorkMonths: &work, Gender: g, BirthDate: birth})
		})
		er := EarlyRetirementInput{Gender: g, BirthDate: birth, DecisionDate: decision, ExitDate: exit,
			MonthlySalary: money, SIMonths: r.IntN(500)}
		checkDeterministic(t, func() (any, error) { return EarlyRetirement(er) })
		checkDeterministic(t, func() (any, error) {
			return Resignation(ResignationInput{DecisionDate: er.DecisionDate, ExitDate: er.ExitDate, MonthlySalary: er.MonthlySalary, SIMonths: er.SIMonths, Gender: er.Gender, BirthDate: er.BirthDate})
		})
		checkDeterministic(t, func() (any, error) {
			return BestExit(BestExitInput{Kind: KindCadre, Gender: g, BirthDate: birth, DecisionDate: decision,
				ExitDate: exit, MonthlySalary: money, SIMonths: er.SIMonths})
		})
		checkDeterministic(t, func() (any, error) {
			return HamletFund(HamletFundInput{Kind: kind, Households: hh,
				KeySecurityOrder: key, BorderOrIsland: border, ConvertedFromThon: conv, AsOf: exit})
		})
		checkDeterministic(t, func() (any, error) {
			return CommuneFund(CommuneFundInput{Class: class, AsOf: exit})
		})
		checkDeterministic(t, func() (any, error) {
			return RetirementDate(RetirementInput{Gender: g, BirthDate: birth, Reduced: reduced})
		})
		coef := decimal.New(int64(r.IntN(300)), -2)
		checkDeterministic(t, func() (any, error) {
			return Allowance(AllowanceInput{
				Schedule: []ScheduleRow{{"truong_thon_to_truong", "", coef}, {"bi_thu_chi_bo", "6.0", coef.Add(decimal.New(1, -1))}},
				Posts:    []Post{{"truong_thon_to_truong", "", false}, {"bi_thu_chi_bo", []string{"6.0", "4.5"}[i%2], true}},
				AsOf:     exit})
		})
	}
}

// Decree 29: the longer to the end of the term/roadmap, the more (never less).
func TestMonotoneDecree29MonthsLeft(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 2023))
	for i := 0; i < 300; i++ {
		exit := randDate(r, 2023, 2).AddDays(200)
		if exit.After(MustDate("2025-06-15")) {
			exit = MustDate("2025-06-15")
		}
		decision := exit.AddDays(-r.IntN(300))
		birth := randDate(r, 1960, 40)
		prev := decimal.Zero
		for m := 0; m < 70; m++ {
			end := exit.AddMonths(m)
			res, err := NonProfessionalExit(NonProfessionalExitInput{MonthlyAllowance: decimal.NewFromInt(2340000),
				Elected: i%2 == 0, Level: LevelCommune, DecisionDate: decision, ExitDate: exit, TermEnd: &end,
				RoadmapEnd: &end, Gender: Male, BirthDate: birth})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total.LessThan(prev) {
				t.Fatalf("exit %s end %s: total %s < %s", exit, end, res.Total, prev)
			}
			prev = res.Total
		}
	}
}

// Decree 154 group (a): more months of work, more allowance.
func TestMonotoneDecree154WorkMonths(t *testing.T) {
	prev := decimal.Zero
	for w := 0; w < 60; w++ {
		res, err := NonProfessionalExit(NonProfessionalExitInput{MonthlyAllowance: decimal.NewFromInt(2106000),
			Level: LevelHamlet, ExitDate: MustDate("2025-09-01"), WorkMonths: &w, Gender: Female, BirthDate: MustDate("1990-02-03")})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total.LessThan(prev) {
			t.Fatalf("work %d: %s < %s", w, res.Total, prev)
		}
		prev = res.Total
	}
}

// Decree 178: more SI months never lower early-retirement or resignation
// amounts once the person is eligible.
func TestMonotoneDecree178SIMonths(t *testing.T) {
	r := rand.New(rand.NewPCG(178, 67))
	for i := 0; i < 200; i++ {
		exit := randDate(r, 2025, 5)
		in := EarlyRetirementInput{Gender: randGender(r), BirthDate: randDate(r, 1960, 30), DecisionDate: exit.AddDays(-r.IntN(500)),
			ExitDate: exit, MonthlySalary: decimal.NewFromInt(int64(r.IntN(30_000_000)))}
		if in.Gender == "x" {
			in.Gender = Male
		}
		var prevER, prevRes decimal.Decimal
		var wasER, wasRes bool
		for si := 0; si < 480; si += 1 + r.IntN(7) {
			in.SIMonths = si
			e, err := EarlyRetirement(in)
			if err != nil {
				t.Fatal(err)
			}
			if wasER && e.Eligible && e.Total.LessThan(prevER) {
				t.Fatalf("early retirement si %d: %s < %s", si, e.Total, prevER)
			}
			prevER, wasER = e.Total, e.Eligible
			rs, err := Resignation(ResignationInput{DecisionDate: in.DecisionDate, ExitDate: in.ExitDate, MonthlySalary: in.MonthlySalary, SIMonths: si, Gender: in.Gender, BirthDate: in.BirthDate})
			if err != nil {
				t.Fatal(err)
			}
			if wasRes && rs.Eligible && rs.Total.LessThan(prevRes) {
				t.Fatalf("resignation si %d: %s < %s", si, rs.Total, prevRes)
			}
			prevRes, wasRes = rs.Total, rs.Eligible
		}
	}
}

// Early retirement within one band: more months early, more allowance. The
// exit is fixed inside Decree 178's last months (it is offered for exits up
// to 2025-08-31) and the birth month varies the months early.
func TestMonotoneDecree178MonthsEarlyWithinBand(t *testing.T) {
	exit := MustDate("2025-08-01")
	byMonths := map[int]decimal.Decimal{}
	for birth := MustDate("1963-01-10"); birth.Before(MustDate("1969-01-01")); birth = birth.AddMonths(1) {
		res, err := EarlyRetirement(EarlyRetirementInput{Gender: Male, BirthDate: birth, DecisionDate: exit,
			ExitDate: exit, MonthlySalary: decimal.NewFromInt(10_000_000), SIMonths: 300})
		if err != nil {
			t.Fatal(err)
		}
		if res.Policy != PolicyEarlyRetire178 {
			t.Fatalf("policy %s", res.Policy)
		}
		if res.MonthsEarly >= 1 && res.MonthsEarly <= 60 {
			byMonths[res.MonthsEarly] = res.Total
		}
	}
	prev, prevM := decimal.Zero, 0
	for m := 1; m <= 60; m++ {
		total, ok := byMonths[m]
		if !ok {
			continue
		}
		if prevM > 0 && total.LessThan(prev) {
			t.Fatalf("%d months early: %s < %s at %d months", m, total, prev, prevM)
		}
		prev, prevM = total, m
	}
	if len(byMonths) < 40 {
		t.Fatalf("only %d distinct months early covered", len(byMonths))
	}
}
