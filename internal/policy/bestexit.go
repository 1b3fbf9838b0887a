package policy

import (
	"github.com/shopspring/decimal"

	"communehr/internal/msg"
)

// Exit kinds of BestExit.
const (
	KindNonProfessional = "non_professional"
	KindCadre           = "cadre"
)

// BestExitInput is the body of POST /v1/calculations/best-exit: the kind
// of person and the union of the exit calculators' fields.
type BestExitInput struct {
	Kind string `json:"kind"`

	MonthlyAllowance         decimal.Decimal `json:"monthly_allowance"`
	Elected                  bool            `json:"elected"`
	Level                    Level           `json:"level"`
	TermEnd                  *Date           `json:"term_end"`
	RoadmapEnd               *Date           `json:"roadmap_end"`
	WorkMonths               *int            `json:"work_months"`
	OnPension                bool            `json:"on_pension,omitempty"`
	ReemployedWithin60Months bool            `json:"reemployed_within_60_months,omitempty"`
	KeptInHamletPost         bool            `json:"kept_in_hamlet_post,omitempty"`
	Decree29Paid             *bool           `json:"decree29_paid,omitempty"`
	Decree29PaidOn           *Date           `json:"decree29_paid_on,omitempty"`

	MonthlySalary decimal.Decimal `json:"monthly_salary"`
	SIMonths      int             `json:"si_months"`
	// SITotalMonths, SIUncompensatedMonths: see EarlyRetirementInput.
	SITotalMonths         *int `json:"si_total_months,omitempty"`
	SIUncompensatedMonths *int `json:"si_uncompensated_months,omitempty"`
	MergedUnitSurplus     bool `json:"merged_unit_surplus,omitempty"`

	Gender       Gender `json:"gender"`
	BirthDate    Date   `json:"birth_date"`
	DecisionDate Date   `json:"decision_date"`
	ExitDate     Date   `json:"exit_date"`
}

// ExitOption is one policy BestExit considered.
type ExitOption struct {
	Policy   string          `json:"policy"`
	Total    decimal.Decimal `json:"total"`
	Eligible bool            `json:"eligible"`
	Reason   string          `json:"reason"`
	// Message is Reason as a catalogue message; Localize renders it in the reader's language.
	Message msg.Message `json:"-"`
}

// Localize renders the warnings and the options' reasons in l.
func (r *BestExitResult) Localize(l msg.Lang) {
	r.Result.Localize(l)
	for i := range r.Options {
		if !r.Options[i].Message.IsZero() {
			r.Options[i].Reason = r.Options[i].Message.Render(l)
		}
	}
}

// policyCitations names each exit policy as the law is cited, for the reasons a reader sees (the policy
// codes stay in the policy and chosen fields).
var policyCitations = map[string]Citation{
	PolicyDecree29:       cite(instDecree29of2023, "9", ""),
	PolicyDecree154Art9:  cite(instDecree154of2025, "9", ""),
	PolicyDecree154Art10: cite(instDecree154of2025, "10", ""),
	PolicyEarlyRetire154: cite(instDecree154of2025, "6", ""),
	PolicyResign154:      cite(instDecree154of2025, "8", ""),
	PolicyEarlyRetire178: cite(instDecree178of2024, "7", ""),
	PolicyResign178:      cite(instDecree178of2024, "9", ""),
}

// policyName is a policy as a reader reads it: its citation, or its code when it has none.
func policyName(p string) any {
	if c, ok := policyCitations[p]; ok {
		return c
	}
	return p
}

func exitOption(policy string, total decimal.Decimal, eligible bool, reason msg.Message) ExitOption {
	o := ExitOption{Policy: policy, Total: total, Eligible: eligible, Message: reason}
	if !reason.IsZero() {
		o.Reason = reason.Render(msg.EN)
	}
	return o
}

// BestExitResult is the answer of BestExit: the chosen option's Result,
// its policy code, and every option with why it was or was not chosen.
type BestExitResult struct {
	Result
	Chosen  string       `json:"chosen"`
	Options []ExitOption `json:"options"`
}

type option struct {
	ExitOption
	result Result
}

// BestExit runs every policy that can apply to one exit and returns the
// single most favourable eligible one: "where a person qualifies under
// several instruments, only the single most favourable policy is paid"
// (docs/legal-basis.md §3.2). Non-professional workers: the exit policy in force on the
// exit date (Decree 29/2023 or 154/2025; Decree 178 does not cover them).
// Cadres and civil servants: Decree 178 Art. 7 (early retirement) and
// Art. 9 (resignation). Ties go to the option listed first.
func BestExit(in BestExitInput) (BestExitResult, error) {
	var opts []option
	switch in.Kind {
	case KindNonProfessional:
		r, err := NonProfessionalExit(NonProfessionalExitInput{
			MonthlyAllowance: in.MonthlyAllowance, Elected: in.Elected, Level: in.Level,
			DecisionDate: in.DecisionDate, ExitDate: in.ExitDate, TermEnd: in.TermEnd, RoadmapEnd: in.RoadmapEnd,
			WorkMonths: in.WorkMonths, Gender: in.Gender, BirthDate: in.BirthDate, OnPension: in.OnPension,
			ReemployedWithin60Months: in.ReemployedWithin60Months, KeptInHamletPost: in.KeptInHamletPost,
			Decree29Paid: in.Decree29Paid, Decree29PaidOn: in.Decree29PaidOn,
		})
		if err != nil {
			return BestExitResult{Result: emptyResult(), Options: []ExitOption{}}, err
		}
		opts = append(opts, option{exitOption(r.Policy, r.Total, r.Eligible, r.Reason), r.Result})
	case KindCadre:
		er := EarlyRetirementInput{Gender: in.Gender, BirthDate: in.BirthDate, DecisionDate: in.DecisionDate,
			ExitDate: in.ExitDate, MonthlySalary: in.MonthlySalary, SIMonths: in.SIMonths,
			MergedUnitSurplus: in.MergedUnitSurplus, SITotalMonths: in.SITotalMonths, SIUncompensatedMonths: in.SIUncompensatedMonths}
		e, err := EarlyRetirement(er)
		if err != nil {
			return BestExitResult{Result: emptyResult(), Options: []ExitOption{}}, err
		}
		if in.ExitDate.After(d178LastExit) {
			// Decree 178 is no longer offered (corner 2): say so in the
			// options, then weigh Decree 154 Art. 6 and Art. 8 (corner 3).
			_, why := d178Offered(nil, in.ExitDate)
			opts = append(opts, option{exitOption(PolicyEarlyRetire178, decimal.Zero, false, why), emptyResult()},
				option{exitOption(PolicyResign178, decimal.Zero, false, why), emptyResult()})
		}
		opts = append(opts, option{exitOption(e.Policy, e.Total, e.Eligible, e.Reason), e.Result})
		r, err := Resignation(ResignationInput{DecisionDate: in.DecisionDate, ExitDate: in.ExitDate,
			MonthlySalary: in.MonthlySalary, SIMonths: in.SIMonths, Gender: in.Gender, BirthDate: in.BirthDate,
			MergedUnitSurplus: in.MergedUnitSurplus, SITotalMonths: in.SITotalMonths, SIUncompensatedMonths: in.SIUncompensatedMonths})
		if err != nil {
			return BestExitResult{Result: emptyResult(), Options: []ExitOption{}}, err
		}
		opts = append(opts, option{exitOption(r.Policy, r.Total, r.Eligible, r.Reason), r.Result})
	default:
		return BestExitResult{Result: emptyResult(), Options: []ExitOption{}}, inputErr("/kind", "unknown_kind",
			`kind must be "non_professional" or "cadre"`, `loại phải là "non_professional" hoặc "cadre"`)
	}

	best := -1
	for i, o := range opts {
		if o.Eligible && (best < 0 || o.Total.GreaterThan(opts[best].Total)) {
			best = i
		}
	}
	out := BestExitResult{Options: make([]ExitOption, len(opts))}
	for i, o := range opts {
		switch {
		case i == best:
			o.ExitOption = exitOption(o.Policy, o.Total, o.Eligible, msg.New("exit.most_favourable"))
		case o.Eligible && o.Total.Equal(opts[best].Total):
			o.ExitOption = exitOption(o.Policy, o.Total, o.Eligible, msg.New("exit.equal_listed_first", policyName(opts[best].Policy)))
		case o.Eligible:
			o.ExitOption = exitOption(o.Policy, o.Total, o.Eligible, msg.New("exit.less_favourable", policyName(opts[best].Policy),
				fmtMoney(o.Total), fmtMoney(opts[best].Total)))
		}
		out.Options[i] = o.ExitOption
	}
	if best < 0 {
		b := newBuilder()
		for _, o := range opts {
			for _, m := range o.result.Messages {
				b.warnMsg(m)
			}
		}
		b.warn("exit.no_policy")
		out.Result = b.result()
		return out, nil
	}
	out.Result = opts[best].result
	out.Chosen = opts[best].Policy
	return out, nil
}
