package policy

import (
	"fmt"

	"github.com/shopspring/decimal"

	"communehr/internal/msg"
)

// Decree 154/2025/NĐ-CP (staff streamlining, in force 2025-06-16 until
// 2030-12-31): Art. 9 — commune-level non-professional workers leaving when
// the two-level local government starts (and those kept on and leaving
// before 2026-05-31, Official Dispatch 12/CV-BCĐ implementing Art. 2 cl. 4);
// Art. 10 — hamlet/residential-group workers surplus because hamlets are
// merged (subject: Art. 2 cl. 5). Rules and sources: docs/legal-basis.md §3.2
// and "Findings".
//
//   - Art. 9 cl. 1 pt. a (fewer than 5 years of work): 0.8 × the current
//     monthly allowance × months of work; 1.5 × allowance per year of work; 3
//     months' allowance to look for work; SI kept (news.laodong.vn 1532077,
//     1562573; cafeland.vn 2025-06-16 quoting Art. 9 verbatim).
//   - ≥ 5 years of work and < 5 years to retirement: 0.8 × allowance × months
//     left until retirement (+ the same three items), from the same sources.
//   - ≥ 5 years of work and ≥ 5 years to retirement: the group exists (the
//     article has three groups) but the excerpts found stop before its
//     multiplier; "× 60 months" is kept as the spec's worked example W7 has it.
//   - Art. 10 cl. 1 carries the same figures as Art. 9 cl. 1 (news.laodong.vn
//     1524682, 1525050).
//   - Clause 2 of Art. 9 and of Art. 10: workers at retirement age or on a
//     pension get 15 months' allowance (retiredLumpSum, corner 1).
//   - Art. 5 cl. 2: the current monthly allowance is the centrally funded
//     allowance of the month before leaving, main post only (the caller's
//     monthly_allowance). Art. 5 cl. 4–5: working time (the caller's
//     work_months).
//   - The ½-year rounding of odd months of working time (1–6 months → ½ year,
//     > 6 → 1 year) was not found in Decree 154 Art. 5; it is applied as in
//     Decree 178 Art. 5, and the result says how the months were counted.

// d154Ends is the last day Decree 154/2025 applies (until 2030-12-31,
// docs/legal-basis.md §3).
var d154Ends = MustDate("2030-12-31")

type d154Params struct {
	Rate           decimal.Decimal // × allowance × months
	CapMonths      int             // the 60 months of group (c)
	ThresholdYears int             // 5 years of work / to retirement
	PerYear        decimal.Decimal // × allowance per year of work
	JobSearch      decimal.Decimal // months of allowance to look for work
}

var decree154Params = register(&table[d154Params]{
	Name: "decree_154_2025.non_professional",
	Show: func(p d154Params) string {
		return fmt.Sprintf("%s × allowance × months (cap %d), thresholds %d years, %s × allowance per year of work, %s months to look for work",
			p.Rate, p.CapMonths, p.ThresholdYears, p.PerYear, p.JobSearch)
	},
	Until: d154Ends,
	Entries: []entry[d154Params]{
		{MustDate("2025-06-16"),
			d154Params{dec("0.8"), 60, 5, dec("1.5"), dec("3")}, cite(instDecree154of2025, "9", "1")},
	},
})

// decree154RetiredMonths is clause 2 of Art. 9: a worker at retirement age
// or on a pension gets this many months of the current allowance, once
// (retiredLumpSum; Art. 10 cl. 2 follows it, corner 1).
var decree154RetiredMonths = register(&table[decimal.Decimal]{
	Name: "decree_154_2025.retired_lump_sum_months",
	Show: func(m decimal.Decimal) string {
		return m.String() + " months of allowance if at or past retirement age"
	},
	Until:   d154Ends,
	Entries: []entry[decimal.Decimal]{{MustDate("2025-06-16"), dec("15"), cite(instDecree154of2025, "9", "2")}},
})

// decree154RepayMonths is clause 6 of Art. 3: a person re-employed with a
// salary from the state budget, or given a hamlet post, within this many
// months of the allowance repays it.
var decree154RepayMonths = register(&table[int]{
	Name:    "decree_154_2025.reemployment_repay_months",
	Show:    func(m int) string { return fmt.Sprintf("repaid if re-employed within %d months", m) },
	Until:   d154Ends,
	Entries: []entry[int]{{MustDate("2025-06-16"), 60, cite(instDecree154of2025, "3", "6")}},
})

type period struct{ From, Until Date }

// decree154Art9Window is the period of exits Art. 9 covers: commune-level
// workers leaving "ngay kể từ khi thực hiện mô hình chính quyền địa phương 2
// cấp" (from 2025-07-01, Art. 2 cl. 4) and, by Official Dispatch 12/CV-BCĐ of
// 2025-06-20 implementing Conclusion 163-KL/TW, those kept on and leaving "từ
// ngày 01/8/2025 đến trước ngày 31/5/2026" under Art. 9 at the time of their
// leaving decision (thuvienphapluat.vn "Kéo dài sử dụng người hoạt động không
// chuyên trách cấp xã đến 31/5/2026", 2025-06-23; dantri.com.vn Ministry
// answer 2025-10-02; ngoisao.vn 2025-09-05). "Before 31/5/2026" makes
// 2026-05-30 the last exit date (docs/legal-basis.md, corner 5).
var decree154Art9Window = register(&table[period]{
	Name:  "decree_154_2025.art9_exit_window",
	Show:  func(p period) string { return fmt.Sprintf("exits from %s to %s", p.From, p.Until) },
	Until: d154Ends,
	Entries: []entry[period]{
		{MustDate("2025-06-16"), period{MustDate("2025-07-01"), MustDate("2026-05-30")},
			cite(instCV12of2025, "", "")},
	},
})

// art9Window warns, in plain words, when a commune-level exit falls outside
// the period Art. 9 covers: the figure is what Art. 9 would pay, not a
// silent answer.
func art9Window(b *builder, exit Date) {
	e, err := decree154Art9Window.get(b, exit)
	if err != nil {
		return
	}
	w, c := e.Value, e.Citation
	if !exit.Before(w.From) && !exit.After(w.Until) {
		return
	}
	b.warn("d154.art9_outside_window", exit, w.From, w.Until, c)
}

func exitDecree154(in NonProfessionalExitInput, b *builder) (NonProfessionalExitResult, error) {
	return exitDecree154At(in, b, in.ExitDate, false)
}

// exitDecree154At computes Decree 154 for an exit, with the parameters in
// force on asOf; transitional is the recalculation of a Decree 29 exit not
// yet paid on 2025-06-16 (decree29transition.go), to which the exit windows
// of Art. 9 do not apply.
func exitDecree154At(in NonProfessionalExitInput, b *builder, asOf Date, transitional bool) (NonProfessionalExitResult, error) {
	art, policy := "9", PolicyDecree154Art9
	if in.Level == LevelHamlet {
		art, policy = "10", PolicyDecree154Art10
	}
	c := func(clause string) Citation { return cite(instDecree154of2025, art, clause) }
	p, err := decree154Params.get(b, asOf)
	if err != nil {
		return NonProfessionalExitResult{Result: emptyResult()}, err
	}
	P := p.Value
	if in.ReemployedWithin60Months && !transitional {
		if r, err := decree154RepayMonths.get(b, asOf); err == nil {
			b.warn("d154.reemployed_repay", r.Value)
		}
	}
	if in.Level == LevelCommune && !transitional {
		art9Window(b, in.ExitDate)
	}
	if in.Level == LevelCommune && in.KeptInHamletPost {
		return ineligible(b, policy, msg.New("d154.kept_in_hamlet_post")), nil
	}
	rt, _, _, err := retirement(in.Gender, in.BirthDate, false, b)
	if err != nil {
		return NonProfessionalExitResult{Result: emptyResult()}, err
	}
	A := in.MonthlyAllowance
	if !in.ExitDate.Before(rt) || in.OnPension {
		return retiredLumpSum(in, b, policy, art, rt, asOf)
	}
	if in.WorkMonths == nil {
		return NonProfessionalExitResult{Result: emptyResult()}, inputErr("/work_months", "required",
			"Decree 154/2025 needs the working time in months", "Nghị định 154/2025/NĐ-CP cần thời gian công tác (số tháng)")
	}
	work := *in.WorkMonths
	threshold := P.ThresholdYears * 12
	rateVI, rateEN, yrs := fmtNumVI(P.Rate), fmtNum(P.Rate), P.ThresholdYears
	var months int
	var vi, en string
	var cl Citation
	switch {
	case work < threshold:
		months, cl = work, c("1(a)")
		vi = fmt.Sprintf("Trợ cấp một lần %s mức phụ cấp hằng tháng hiện hưởng × số tháng công tác (dưới %d năm công tác)", rateVI, yrs)
		en = fmt.Sprintf("One-off %s × current monthly allowance × months of work (fewer than %d years of work)", rateEN, yrs)
	default:
		toRetire := countMonths(b, in.ExitDate, rt, "months.to_retirement_days_dropped")
		if toRetire < threshold {
			months, cl = toRetire, c("1")
			vi = fmt.Sprintf("Trợ cấp một lần %s mức phụ cấp hằng tháng hiện hưởng × số tháng nghỉ sớm so với tuổi nghỉ hưu (từ đủ %d năm công tác, còn dưới %d năm đến tuổi nghỉ hưu)", rateVI, yrs, yrs)
			en = fmt.Sprintf("One-off %s × current monthly allowance × months left until retirement age (%d+ years of work, fewer than %d years to retirement)", rateEN, yrs, yrs)
		} else {
			months, cl = P.CapMonths, c("1")
			vi = fmt.Sprintf("Trợ cấp một lần %s mức phụ cấp hằng tháng hiện hưởng × %d tháng (từ đủ %d năm công tác, còn từ đủ %d năm đến tuổi nghỉ hưu)", rateVI, P.CapMonths, yrs, yrs)
			en = fmt.Sprintf("One-off %s × current monthly allowance × %d months (%d+ years of work, %d+ years to retirement)", rateEN, P.CapMonths, yrs, yrs)
		}
	}
	b.line("one_off_allowance", vi, en,
		fmt.Sprintf("%s × %s × %s", fmtNum(P.Rate), fmtMoney(A), monthsWord(months)),
		P.Rate.Mul(A).Mul(decInt(months)), cl)
	years := halfYears(work)
	if work%12 != 0 {
		b.warn("d154.work_years_rounded", work, years)
	}
	b.line("allowance_per_year_of_work",
		"Trợ cấp "+fmtNumVI(P.PerYear)+" mức phụ cấp hằng tháng hiện hưởng cho mỗi năm công tác",
		fmtNum(P.PerYear)+" × current monthly allowance per year of work",
		fmt.Sprintf("%s × %s × %s years", fmtNum(P.PerYear), fmtMoney(A), fmtNum(years)),
		P.PerYear.Mul(A).Mul(years), cl)
	b.line("job_search_allowance",
		"Trợ cấp "+fmtMonthsVI(P.JobSearch)+" tháng phụ cấp hằng tháng hiện hưởng để tìm việc làm",
		fmtNum(P.JobSearch)+" months of current allowance to look for work",
		fmt.Sprintf("%s × %s", fmtNum(P.JobSearch), fmtMoney(A)),
		P.JobSearch.Mul(A), cl)
	return NonProfessionalExitResult{Result: b.result(), Policy: policy, MonthsCounted: months, Eligible: true}, nil
}

// retiredLumpSum is clause 2 of Art. 9 (commune) and of Art. 10 (hamlet): a
// worker at or past retirement age, or on a pension or loss-of-capacity
// benefit, gets a one-off 15 months' current allowance.
//
// Art. 10: its clause 1 covers workers below retirement age "không bao gồm
// đối tượng quy định tại khoản 2 Điều này" and its clause 4 names "khoản 1,
// khoản 2, khoản 3 Điều này" (news.laodong.vn 1525050 and 1527739, which
// quote Art. 10), so clause 2 exists and covers the people clause 1 leaves
// out. No published excerpt consulted quotes clause 2's amount; the amount
// follows Art. 9 cl. 2 (15 months, quoted by ngoisao.vn 2025-09-05), which
// Art. 10 mirrors figure for figure in clause 1. The result says so in a
// warning (docs/legal-basis.md, corner 1).
func retiredLumpSum(in NonProfessionalExitInput, b *builder, policy, art string, rt, asOf Date) (NonProfessionalExitResult, error) {
	m, err := decree154RetiredMonths.get(b, asOf)
	if err != nil {
		return NonProfessionalExitResult{Result: emptyResult()}, err
	}
	months := m.Value
	c := cite(instDecree154of2025, art, "2")
	A := in.MonthlyAllowance
	b.warn("d154.retired_lump_sum", rt, c, fmtNum(months))
	if in.Level == LevelHamlet {
		b.warn("d154.art10_cl2_amount_unconfirmed", fmtNum(months))
	}
	b.line("retired_lump_sum",
		"Trợ cấp một lần bằng "+fmtMonthsVI(months)+" tháng phụ cấp hằng tháng hiện hưởng (đã đủ tuổi nghỉ hưu hoặc đang hưởng chế độ hưu trí, mất sức lao động)",
		"One-off allowance of "+fmtNum(months)+" months' current allowance (at retirement age, or on a pension or loss-of-capacity benefit)",
		fmt.Sprintf("%s × %s", fmtNum(months), fmtMoney(A)),
		months.Mul(A), c)
	return NonProfessionalExitResult{Result: b.result(), Policy: policy, MonthsCounted: int(months.IntPart()), Eligible: true}, nil
}
