package exits

import (
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/msg"
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

// Basis shows both readings of the "current monthly allowance" (docs/legal-basis.md §3.2) and the one used.
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

// Work is how the working time was counted from the assignments (policy.WorkTimeBefore).
type Work = policy.WorkTime

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

// notWorking refuses an exit of a person whose status on the last day worked is left or retired (since
// from): their status history says they were no longer working (issue 11 item 2).
func notWorking(field, status string, from time.Time) *Refusal {
	what := msg.Text{VI: "đã nghỉ việc", EN: "left"}
	if status == "retired" {
		what = msg.Text{VI: "đã nghỉ hưu", EN: "retired"}
	}
	m := msg.New("status.not_working_last_day", what, msg.Text{VI: from.Format("02/01/2006"), EN: from.Format(time.DateOnly)})
	return &Refusal{Field: field, Code: "person_not_working", TitleEN: "The stored records do not allow this computation.",
		TitleVI: "Hồ sơ lưu trữ không cho phép tính toán này.", MessageEN: m.EN(), MessageVI: m.VI()}
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
	exitField := req.ExitField
	if exitField == "" {
		exitField = "exit_date"
	}
	in := engineInput(p, req)

	// Working time and the main post, by the rules engine (Decree 154/2025 Art. 5).
	periods := make([]policy.PostPeriod, len(p.Posts))
	for i, pp := range p.Posts {
		periods[i] = policy.PostPeriod{From: policy.NewDate(pp.StartDate.Date()), Concurrent: pp.Concurrent}
		if pp.EndDate != nil {
			periods[i].Until = policy.NewDate(pp.EndDate.Date())
		}
	}
	work := policy.WorkTimeBefore(periods, exit)
	if p.Status != "" && p.Status != "active" && p.StatusFrom != nil {
		return in, nil, work, notWorking(exitField, p.Status, *p.StatusFrom)
	}
	mi := policy.MainPost(periods, before)
	if mi < 0 {
		return in, nil, work, noPost(exitField, "the person holds no post on the last day worked", "người này không giữ chức danh nào vào ngày làm việc cuối cùng")
	}
	main := &p.Posts[mi]
	wm := work.Months
	in.WorkMonths = &wm
	in.Level = policy.Level(main.Level)
	in.Elected = main.Elected
	if main.TermEnd != nil {
		d := policy.NewDate(main.TermEnd.Date())
		in.TermEnd = &d
	}

	if in.Kind == policy.KindCadre {
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
	ab, err := currentAllowance(p, main, before, calc, exitField)
	if err != nil {
		return in, ab, work, err
	}
	in.MonthlyAllowance = *ab.Used
	return in, ab, work, nil
}

// engineInput is the rules engine's input as far as the person and the request give it directly.
func engineInput(p store.EntitlementPerson, req Input) policy.BestExitInput {
	in := policy.BestExitInput{Kind: KindOf(req.Reason), Gender: policy.Gender(p.Gender), BirthDate: policy.NewDate(p.BirthDate.Date()),
		ExitDate: req.ExitDate, SIMonths: p.SIMonths, OnPension: req.OnPension, ReemployedWithin60Months: req.ReemployedWithin60Months,
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
	return in
}

// currentAllowance is the current monthly allowance of Decree 154/2025 Art. 5 cl. 2: the main post's
// allowance in the month before leaving, by the province's schedule (hdnd_level), or the centrally funded
// share of a commune-level worker (central_fund_share, policy.CentralFundShare), both shown, with the one
// the province's allowance basis uses.
func currentAllowance(p store.EntitlementPerson, main *store.PersonPost, before policy.Date, calc *Calc, exitField string) (*Basis, error) {
	ab := &Basis{Basis: p.AllowanceBasis, AssignmentID: main.AssignmentID, PositionCode: main.PositionCode,
		Level: main.Level, On: before, Lines: []policy.Line{}}
	if calc == nil {
		var err error
		if calc, err = NewCalc(before, p.Schedule); err != nil || calc == nil {
			return ab, noPost(exitField, "no base salary is in force on the last day worked", "không có mức lương cơ sở áp dụng vào ngày làm việc cuối cùng")
		}
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
		if l, err := policy.CentralFundShareLine(calc.asOf, calc.base); err == nil {
			ab.CentralFundShare = &l.Amount
			ab.Lines = append(ab.Lines, l)
		}
	}
	ab.Used = ab.HDNDLevel
	if p.AllowanceBasis == "central_fund_share" && ab.CentralFundShare != nil {
		ab.Used = ab.CentralFundShare
	}
	if ab.Used == nil {
		return ab, noPost(exitField, "the province's schedule has no allowance for the person's post on the last day worked",
			"biểu mức phụ cấp của tỉnh không có mức cho chức danh của người này vào ngày làm việc cuối cùng")
	}
	return ab, nil
}
