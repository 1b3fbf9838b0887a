package policy

import (
	"fmt"

	"github.com/shopspring/decimal"

	"communehr/internal/msg"
)

// Level is where a non-professional post sits.
type Level string

// The two levels of non-professional posts.
const (
	LevelCommune Level = "commune"
	LevelHamlet  Level = "hamlet"
)

// Policy codes (the "policy" and "chosen" fields of results).
const (
	PolicyDecree29       = "decree_29_2023_art9"
	PolicyDecree154Art9  = "decree_154_2025_art9"
	PolicyDecree154Art10 = "decree_154_2025_art10"
	PolicyEarlyRetire178 = "decree_178_2024_art7"
	PolicyResign178      = "decree_178_2024_art9"
)

// NonProfessionalExitInput is the body of POST
// /v1/calculations/non-professional-exit.
//
// MonthlyAllowance is the "current monthly allowance": the allowance of the
// month before leaving (Decree 154/2025 Art. 5 cl. 2). Per that clause it is
// the centrally funded allowance of the main post only — a concurrent post's
// allowance is not counted; the caller chooses the basis (docs/legal-basis.md §3.2
// allowance_basis) and passes the amount.
type NonProfessionalExitInput struct {
	MonthlyAllowance decimal.Decimal `json:"monthly_allowance"`
	Elected          bool            `json:"elected"`
	Level            Level           `json:"level"`
	DecisionDate     Date            `json:"decision_date"`
	ExitDate         Date            `json:"exit_date"`
	TermEnd          *Date           `json:"term_end"`    // Decree 29/2023, elected posts
	RoadmapEnd       *Date           `json:"roadmap_end"` // Decree 29/2023, other posts
	WorkMonths       *int            `json:"work_months"` // Decree 154/2025
	Gender           Gender          `json:"gender"`
	BirthDate        Date            `json:"birth_date"`
	// OnPension: already receiving a pension or a loss-of-working-capacity
	// benefit (Decree 154/2025 Art. 9 cl. 2).
	OnPension bool `json:"on_pension,omitempty"`
	// ReemployedWithin60Months: the record shows the person re-employed by
	// the state budget or given a hamlet post within 60 months (Decree
	// 154/2025 Art. 3 cl. 6: the allowance must be repaid).
	ReemployedWithin60Months bool `json:"reemployed_within_60_months,omitempty"`
	// KeptInHamletPost: given a hamlet/residential-group post instead of
	// leaving (Decree 154/2025 Art. 9 cl. 4): not a leaver.
	KeptInHamletPost bool `json:"kept_in_hamlet_post,omitempty"`
	// Decree29Paid and Decree29PaidOn: whether, and when, a Decree 29/2023
	// allowance was paid. Not paid by 2025-06-16 → recalculated under Decree
	// 154/2025 and the difference added (decree29transition.go).
	Decree29Paid   *bool `json:"decree29_paid,omitempty"`
	Decree29PaidOn *Date `json:"decree29_paid_on,omitempty"`
}

// NonProfessionalExitResult is the answer of NonProfessionalExit.
type NonProfessionalExitResult struct {
	Result
	Policy        string `json:"policy"`
	MonthsCounted int    `json:"months_counted"`
	// Decree154Total is the Decree 154/2025 recalculation of a Decree 29
	// exit not paid by 2025-06-16 (absent otherwise).
	Decree154Total *decimal.Decimal `json:"decree154_total,omitempty"`
	// Eligible is false when the policy pays nothing to this person; Reason
	// (also among the Warnings) says why. Not part of the JSON of docs/legal-basis.md §8.
	Eligible bool        `json:"-"`
	Reason   msg.Message `json:"-"`
}

// exitVariant is one instrument's rules for the exit of a non-professional
// worker; nonProfessionalExitPolicies picks one by the exit date (a dated
// table of variants, not an if inside one formula).
type exitVariant struct {
	Name    string
	compute func(in NonProfessionalExitInput, b *builder) (NonProfessionalExitResult, error)
}

// nonProfessionalExitPolicies: Decree 29/2023 (in force 2023-07-20) for
// exits up to 2025-06-15; Decree 154/2025, which replaced it from
// 2025-06-16 and applies until 2030-12-31 (docs/legal-basis.md §3).
var nonProfessionalExitPolicies = register(&table[exitVariant]{
	Name:  "non_professional_exit_policy",
	Show:  func(v exitVariant) string { return v.Name },
	Until: d154Ends,
	Entries: []entry[exitVariant]{
		{MustDate("2023-07-20"), exitVariant{"decree_29_2023", exitDecree29},
			cite(instDecree29of2023, "9", "2")},
		{MustDate("2025-06-16"), exitVariant{"decree_154_2025", exitDecree154},
			cite(instDecree154of2025, "9; 10", "1")},
	},
})

// NonProfessionalExit computes the exit allowance of a commune, hamlet or
// residential-group non-professional worker made surplus by a
// reorganisation, under the instrument in force on the exit date.
func NonProfessionalExit(in NonProfessionalExitInput) (NonProfessionalExitResult, error) {
	var ec errs
	checkMoney(&ec, "/monthly_allowance", in.MonthlyAllowance)
	if in.Level != LevelCommune && in.Level != LevelHamlet {
		ec.add("/level", "unknown_level", `level must be "commune" or "hamlet"`, `cấp phải là "commune" hoặc "hamlet"`)
	}
	checkGender(&ec, "/gender", in.Gender)
	okBirth := checkBirth(&ec, "/birth_date", in.BirthDate)
	okExit := checkDate(&ec, "/exit_date", in.ExitDate, true)
	okDecision := checkDate(&ec, "/decision_date", in.DecisionDate, false)
	if in.TermEnd != nil {
		checkDate(&ec, "/term_end", *in.TermEnd, true)
	}
	if in.RoadmapEnd != nil {
		checkDate(&ec, "/roadmap_end", *in.RoadmapEnd, true)
	}
	if in.WorkMonths != nil {
		checkNonNeg(&ec, "/work_months", *in.WorkMonths)
	}
	checkDecree29Payment(&ec, in)
	if okBirth && okExit {
		checkOrder(&ec, "/birth_date", "birth_after_exit", in.BirthDate, in.ExitDate,
			"the birth date is after the exit date", "ngày sinh sau ngày nghỉ việc")
	}
	if okDecision && okExit {
		checkOrder(&ec, "/exit_date", "exit_before_decision", in.DecisionDate, in.ExitDate,
			"the exit date is before the reorganisation decision", "ngày nghỉ việc trước quyết định sắp xếp")
	}
	if err := ec.err(); err != nil {
		return NonProfessionalExitResult{Result: emptyResult()}, err
	}
	b := newBuilder()
	v, err := nonProfessionalExitPolicies.get(b, in.ExitDate)
	if err != nil {
		return NonProfessionalExitResult{Result: emptyResult()}, err
	}
	return v.Value.compute(in, b)
}

// ineligible finishes a result that pays nothing, with the reason.
func ineligible(b *builder, policy string, why msg.Message) NonProfessionalExitResult {
	b.warnMsg(why)
	return NonProfessionalExitResult{Result: b.result(), Policy: policy, Reason: why}
}

// countMonths counts whole calendar months from a to b. The decrees speak of
// "months" left early and say nothing of odd days (docs/legal-basis.md §7 VERIFY; the
// research notes found no day rule): whole months only, the remainder of days
// dropped, and a warning says so.
func countMonths(b *builder, a, e Date, what string) int {
	m, d := MonthsBetween(a, e)
	if d > 0 {
		b.warn(what, m, d)
	}
	return m
}

func monthsWord(n int) string {
	if n == 1 {
		return "1 month"
	}
	return fmt.Sprintf("%d months", n)
}
