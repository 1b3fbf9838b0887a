package exits

import (
	"github.com/shopspring/decimal"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// Input is what a computation takes from the caller; everything else comes from the stored person.
type Input struct {
	ExitDate                 policy.Date // the first day out
	Reason                   string      // reorganisation, streamlining, early_retirement, resignation
	DecisionDate             *policy.Date
	MonthlySalary            *decimal.Decimal
	RoadmapEnd               *policy.Date
	OnPension                bool
	ReemployedWithin60Months bool
	KeptInHamletPost         bool
	// ExitField is the field the caller used to give the exit ("last_day_worked" or "exit_date"): a
	// refusal about the exit names it.
	ExitField string
}

// Basis shows both readings of the "current monthly allowance" (rules.md §3.2) and the one used.
type Basis struct {
	Basis              string           `json:"basis"`
	HDNDLevel          *decimal.Decimal `json:"hdnd_level"`
	CentralFundShare   *decimal.Decimal `json:"central_fund_share"`
	Used               *decimal.Decimal `json:"used"`
	AssignmentID       string           `json:"assignment_id"`
	PositionCode       string           `json:"position_code"`
	Level              string           `json:"level"`
	HamletFundCategory string           `json:"hamlet_fund_category"`
	On                 policy.Date      `json:"on"`
	Lines              []policy.Line    `json:"lines"`
}

// Work is how the working time was counted from the assignments.
type Work struct {
	Months      int `json:"months"`
	DaysDropped int `json:"days_dropped"`
	Periods     int `json:"periods"`
}

// Refusal is why the stored records or the input do not allow the computation: Field is the input it
// concerns (without a leading slash), Code a stable key, and the texts are in English and Vietnamese.
type Refusal struct {
	Field, Code                            string
	TitleEN, TitleVI, MessageEN, MessageVI string
}

func (r *Refusal) Error() string { return r.Field + ": " + r.MessageEN }

func noPost(field, en, vi string) *Refusal {
	return &Refusal{Field: field, Code: "no_post_held", TitleEN: "The stored records do not allow this computation.",
		TitleVI: "Hồ sơ lưu trữ không cho phép tính toán này.", MessageEN: en, MessageVI: vi}
}

// KindOf maps the reason of an exit to the group of policies that can apply: a reorganisation or
// streamlining exit of a non-professional worker is Decree 29/2023 or 154/2025 (the one in force on the
// exit date); early retirement and resignation are Decree 178/2024 Art. 7 and Art. 9, both computed, the
// more favourable chosen (they need the person's salary as a cadre or civil servant: monthly_salary).
func KindOf(reason string) string {
	if reason == "early_retirement" || reason == "resignation" {
		return policy.KindCadre
	}
	return policy.KindNonProfessional
}

// Build turns the stored person and an input into the rules engine's input, with the allowance basis
// and working time that explain where each value came from. calc is a calculator for the day before the
// exit and the person's schedule, shared by the people of an entitlement run (nil: a new one).
func Build(p store.EntitlementPerson, req Input, calc *Calc) (policy.BestExitInput, *Basis, Work, error) {
	exit := req.ExitDate
	before := exit.AddDays(-1)
	kind := KindOf(req.Reason)
	exitField := req.ExitField
	if exitField == "" {
		exitField = "exit_date"
	}
	var work Work
	in := policy.BestExitInput{Kind: kind, Gender: policy.Gender(p.Gender), BirthDate: policy.NewDate(p.BirthDate.Date()),
		ExitDate: exit, SIMonths: p.SIMonths, OnPension: req.OnPension, ReemployedWithin60Months: req.ReemployedWithin60Months,
		KeptInHamletPost: req.KeptInHamletPost}
	// The law's inputs the register keeps (migration 0016): the two SI times (si_months then agrees with the
	// total, as the calculators require), the Decree 29 payment and the merger surplus.
	in.SITotalMonths, in.SIUncompensatedMonths = p.SITotalMonths, p.SIUncompensatedMonths
	if p.SITotalMonths != nil {
		in.SIMonths = *p.SITotalMonths
	}
	in.Decree29Paid, in.MergedUnitSurplus = p.Decree29Paid, p.MergedUnitSurplus
	if p.Decree29PaidOn != nil {
		d := policy.NewDate(p.Decree29PaidOn.Date())
		in.Decree29PaidOn = &d
	}
	if req.DecisionDate != nil {
		in.DecisionDate = *req.DecisionDate
	}
	if req.RoadmapEnd != nil {
		d := *req.RoadmapEnd
		in.RoadmapEnd = &d
	}

	// Working time: the union of the periods in post up to the exit (a concurrent post adds no time).
	var main *store.PersonPost
	type span struct{ from, to policy.Date } // to exclusive
	var spans []span
	for i := range p.Posts {
		pp := &p.Posts[i]
		from := policy.NewDate(pp.StartDate.Date())
		if !from.Before(exit) {
			continue
		}
		to := exit
		if pp.EndDate != nil {
			if e := policy.NewDate(pp.EndDate.Date()).AddDays(1); e.Before(exit) {
				to = e
			}
		}
		if n := len(spans); n > 0 && !from.After(spans[n-1].to) {
			if to.After(spans[n-1].to) {
				spans[n-1].to = to
			}
		} else {
			spans = append(spans, span{from, to})
		}
		if !before.Before(from) && to.After(before) && (main == nil || (main.Concurrent && !pp.Concurrent)) {
			main = pp
		}
	}
	for _, s := range spans {
		m, d := policy.MonthsBetween(s.from, s.to)
		work.Months += m
		work.DaysDropped += d
	}
	work.Periods = len(spans)
	if main == nil {
		return in, nil, work, noPost(exitField, "the person holds no post on the last day worked", "người này không giữ chức danh nào vào ngày làm việc cuối cùng")
	}
	wm := work.Months
	in.WorkMonths = &wm
	in.Level = policy.Level(main.Level)
	in.Elected = main.Elected
	if main.TermEnd != nil {
		d := policy.NewDate(main.TermEnd.Date())
		in.TermEnd = &d
	}

	if kind == policy.KindCadre {
		if req.MonthlySalary == nil {
			return in, nil, work, &Refusal{Field: "monthly_salary", Code: "required",
				TitleEN:   "Early retirement and resignation need the current monthly salary.",
				TitleVI:   "Nghỉ hưu trước tuổi và nghỉ thôi việc cần tiền lương tháng hiện hưởng.",
				MessageEN: "the current monthly salary is required for this reason",
				MessageVI: "cần tiền lương tháng hiện hưởng với lý do này"}
		}
		in.MonthlySalary = *req.MonthlySalary
		return in, nil, work, nil
	}
	if req.MonthlySalary != nil {
		in.MonthlySalary = *req.MonthlySalary
	}

	// The current monthly allowance: the main post's allowance in the month before leaving (Decree 154/2025
	// Art. 5 cl. 2), by the province's schedule (hdnd_level), or the centrally funded share of 1.5 × base
	// salary for a commune-level worker (central_fund_share, Decree 33/2023 Art. 34 cl. 1).
	ab := &Basis{Basis: p.AllowanceBasis, AssignmentID: main.AssignmentID, PositionCode: main.PositionCode,
		Level: main.Level, On: before, Lines: []policy.Line{}}
	var err error
	if calc == nil {
		calc, err = NewCalc(before, p.Schedule)
	}
	if err != nil || calc == nil {
		return in, ab, work, noPost(exitField, "no base salary is in force on the last day worked", "không có mức lương cơ sở áp dụng vào ngày làm việc cuối cùng")
	}
	if main.Hamlet != nil {
		if hc, err := policy.HamletFundCategory(HamletInput(*main.Hamlet, main.Commune, before)); err == nil {
			ab.HamletFundCategory = hc.Category
		}
	}
	line, source := calc.Post(main.PostHeld, ab.HamletFundCategory)
	if source != "no_schedule_row" {
		ab.HDNDLevel = &line.Amount
		ab.Lines = append(ab.Lines, line)
	}
	if main.Level == string(policy.LevelCommune) {
		if l, ok := calc.centralShareLine(); ok {
			v := l.Amount
			ab.CentralFundShare = &v
			ab.Lines = append(ab.Lines, l)
		}
	}
	ab.Used = ab.HDNDLevel
	if p.AllowanceBasis == "central_fund_share" && ab.CentralFundShare != nil {
		ab.Used = ab.CentralFundShare
	}
	if ab.Used == nil {
		return in, ab, work, noPost(exitField, "the province's schedule has no allowance for the person's post on the last day worked",
			"biểu mức phụ cấp của tỉnh không có mức cho chức danh của người này vào ngày làm việc cuối cùng")
	}
	in.MonthlyAllowance = *ab.Used
	return in, ab, work, nil
}
