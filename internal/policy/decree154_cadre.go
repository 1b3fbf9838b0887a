package policy

import (
	"fmt"

	"github.com/shopspring/decimal"

	"communehr/internal/msg"
)

// Decree 154/2025/NĐ-CP Art. 6 (early retirement) and Art. 8 (resignation)
// for cadres, civil servants and public employees: the policies that answer
// an exit once Decree 178/2024 is no longer offered (from 2025-09-01, see
// availability.go; issue 12, corner 3).
//
// What the published texts say:
//   - Art. 6 cl. 2 (Appendix I ages): 2 to 5 years to retirement age and
//     enough compulsory-SI time for a pension → pension not reduced for early
//     retirement; 5 months of current salary per year of early retirement;
//     for SI time: 20 years or more → 5 months for the first 20 years and ½
//     month per year from the 21st; 15 to under 20 years → 5 months
//     (news.laodong.vn "Chế độ chính sách nghỉ hưu trước tuổi khi tinh giản
//     biên chế", 1524486). Art. 6 cl. 1 is the same for Appendix II ages (heavy
//     or hazardous work), which these calculators do not take.
//   - Art. 8 cl. 1: not at retirement age and not eligible for Art. 6 → 3
//     months of current salary to look for work; 1.5 months of current salary
//     per year of compulsory SI; SI time kept or paid out once
//     (news.laodong.vn "Mức trợ cấp thôi việc mới nhất khi không đủ điều kiện
//     nghỉ hưu trước tuổi", 1553487; vietnam.vn "Chính sách thôi việc mới nhất
//     khi tinh giản biên chế"). One French translation reads "1 mois"; its own
//     headline reads 1.50 months, as do the other sources.
//   - Years of early retirement and of SI use the ½-year rule of the decrees
//     (1–6 odd months → ½ year, more than 6 → 1 year), as Decree 178 Art. 5
//     does; it was not seen verbatim in Decree 154 Art. 5.
//   - "Current salary" is the salary of the month before leaving (Art. 5, as
//     the Ministry quoted it: news.laodong.vn 1544639).

// Policy codes of Decree 154/2025 for cadres and civil servants.
const (
	PolicyEarlyRetire154 = "decree_154_2025_art6"
	PolicyResign154      = "decree_154_2025_art8"
)

type d154ERParams struct {
	MinMonths, MaxMonths int             // 2 to 5 years to retirement age
	PerYear              decimal.Decimal // months of salary per year early
	SIFirstMonths        decimal.Decimal // for the first SIFirstYears years
	SIFirstYears         int
	SIPerYear            decimal.Decimal // per year from the 21st
	SIMinYears           int             // 15 to under 20 years → SIFirstMonths
}

var d154EarlyRetirement = register(&table[d154ERParams]{
	Name: "decree_154_2025.early_retirement",
	Show: func(p d154ERParams) string {
		return fmt.Sprintf("%d to %d months to retirement age: %s months per year early; SI: %s months for the first %d years (from %d years), %s month per further year",
			p.MinMonths, p.MaxMonths, p.PerYear, p.SIFirstMonths, p.SIFirstYears, p.SIMinYears, p.SIPerYear)
	},
	Until: d154Ends,
	Entries: []entry[d154ERParams]{
		{MustDate("2025-06-16"),
			d154ERParams{24, 60, dec("5"), dec("5"), 20, dec("0.5"), 15}, cite(instDecree154of2025, "6", "2")},
	},
})

type d154ResParams struct{ JobSearch, PerSIYear decimal.Decimal }

var d154Resignation = register(&table[d154ResParams]{
	Name: "decree_154_2025.resignation",
	Show: func(p d154ResParams) string {
		return fmt.Sprintf("%s months to look for work; %s months per year of compulsory SI", p.JobSearch, p.PerSIYear)
	},
	Until: d154Ends,
	Entries: []entry[d154ResParams]{
		{MustDate("2025-06-16"), d154ResParams{dec("3"), dec("1.5")}, cite(instDecree154of2025, "8", "1")},
	},
})

// art6Reason is why Decree 154 Art. 6 does not apply ("" when it does).
func (x cadreExit) art6Reason(p d154ERParams) msg.Message {
	c := cite(instDecree154of2025, "6", "2")
	switch {
	case !x.notYetDue:
		return msg.New("cadre.at_retirement_age", x.rt)
	case x.toRetire < p.MinMonths || x.moreThan(p.MaxMonths):
		return msg.New("d154.art6_band", c, x.timeText())
	case !x.siEnough:
		return msg.New("d154.art6_si_not_enough", x.siTotal, x.minSI, c)
	}
	return msg.Message{}
}

// earlyRetirement154 computes Decree 154/2025 Art. 6 cl. 2 for a validated
// input; b already holds the reason Decree 178 was not used.
func earlyRetirement154(in EarlyRetirementInput, b *builder) (EarlyRetirementResult, error) {
	fail := func(err error) (EarlyRetirementResult, error) {
		return EarlyRetirementResult{Result: emptyResult(), YearsEarly: decimal.Zero}, err
	}
	pe, err := d154EarlyRetirement.get(b, in.ExitDate)
	if err != nil {
		return fail(err)
	}
	p := pe.Value
	x, err := newCadreExit(in, b)
	if err != nil {
		return fail(err)
	}
	if why := x.art6Reason(p); !why.IsZero() {
		b.warnMsg(why)
		return EarlyRetirementResult{Result: b.result(), MonthsEarly: x.toRetire, YearsEarly: halfYears(x.toRetire),
			Policy: PolicyEarlyRetire154, Reason: why}, nil
	}
	S, m := in.MonthlySalary, x.toRetire
	years := halfYears(m)
	c := pe.Citation
	if m%12 != 0 {
		b.warn("cadre.years_early_rounded", m, years)
	}
	b.line("per_year_early_allowance",
		fmt.Sprintf("Trợ cấp %s tháng tiền lương hiện hưởng cho mỗi năm nghỉ hưu trước tuổi", p.PerYear),
		fmt.Sprintf("%s months of current salary per year of early retirement", p.PerYear),
		fmt.Sprintf("%s × %s × %s years", fmtNum(p.PerYear), fmtMoney(S), fmtNum(years)),
		p.PerYear.Mul(S).Mul(years), c)
	siYears := halfYears(x.siUncomp)
	months, formula := decimal.Zero, ""
	switch {
	case siYears.GreaterThanOrEqual(decInt(p.SIFirstYears)):
		extra := siYears.Sub(decInt(p.SIFirstYears))
		months = p.SIFirstMonths.Add(p.SIPerYear.Mul(extra))
		formula = fmt.Sprintf("(%s + %s × %s years) × %s (%s years of SI)", fmtNum(p.SIFirstMonths), fmtNum(p.SIPerYear),
			fmtNum(extra), fmtMoney(S), fmtNum(siYears))
		if extra.IsZero() {
			formula = fmt.Sprintf("%s × %s (first %d years of SI)", fmtNum(p.SIFirstMonths), fmtMoney(S), p.SIFirstYears)
		}
	case siYears.GreaterThanOrEqual(decInt(p.SIMinYears)):
		months = p.SIFirstMonths
		formula = fmt.Sprintf("%s × %s (%s years of SI: %d to under %d years)", fmtNum(p.SIFirstMonths), fmtMoney(S),
			fmtNum(siYears), p.SIMinYears, p.SIFirstYears)
	}
	if months.IsPositive() {
		b.line("si_years_allowance",
			fmt.Sprintf("Trợ cấp %s tháng tiền lương cho %d năm đầu đóng BHXH bắt buộc (từ đủ %d năm), từ năm thứ %d mỗi năm %s tháng",
				p.SIFirstMonths, p.SIFirstYears, p.SIMinYears, p.SIFirstYears+1, p.SIPerYear),
			fmt.Sprintf("%s months of salary for the first %d years of compulsory SI (from %d years), %s month per year from year %d",
				p.SIFirstMonths, p.SIFirstYears, p.SIMinYears, p.SIPerYear, p.SIFirstYears+1),
			formula, months.Mul(S), c)
	} else {
		b.warn("d154.no_si_years_allowance", p.SIMinYears, c)
	}
	return EarlyRetirementResult{Result: b.result(), MonthsEarly: m, YearsEarly: years, Policy: PolicyEarlyRetire154, Eligible: true}, nil
}

// resignation154 computes Decree 154/2025 Art. 8 cl. 1 for a validated input.
func resignation154(er EarlyRetirementInput, b *builder) (ResignationResult, error) {
	pr, err := d154Resignation.get(b, er.ExitDate)
	if err != nil {
		return ResignationResult{Result: emptyResult()}, err
	}
	pe, err := d154EarlyRetirement.at(er.ExitDate)
	if err != nil {
		return ResignationResult{Result: emptyResult()}, err
	}
	x, err := newCadreExit(er, b)
	if err != nil {
		return ResignationResult{Result: emptyResult()}, err
	}
	p, c := pr.Value, pr.Citation
	fail := func(why msg.Message) (ResignationResult, error) {
		b.warnMsg(why)
		return ResignationResult{Result: b.result(), Policy: PolicyResign154, Reason: why}, nil
	}
	if !x.notYetDue {
		return fail(msg.New("d154.resign_at_retirement_age", x.rt, c))
	}
	if x.art6Reason(pe.Value).IsZero() {
		return fail(msg.New("d154.resign_eligible_early", cite(instDecree154of2025, "6", "2"), c))
	}
	S := er.MonthlySalary
	b.line("job_search_allowance",
		"Trợ cấp "+fmtMonthsVI(p.JobSearch)+" tháng tiền lương hiện hưởng để tìm việc làm",
		fmtNum(p.JobSearch)+" months of current salary to look for work",
		fmt.Sprintf("%s × %s", fmtNum(p.JobSearch), fmtMoney(S)),
		p.JobSearch.Mul(S), c)
	years := halfYears(x.siUncomp)
	b.line("si_years_allowance",
		"Trợ cấp "+fmtNumVI(p.PerSIYear)+" tháng tiền lương hiện hưởng cho mỗi năm công tác có đóng BHXH bắt buộc",
		fmtNum(p.PerSIYear)+" months of current salary per year of compulsory SI",
		fmt.Sprintf("%s × %s × %s years", fmtNum(p.PerSIYear), fmtMoney(S), fmtNum(years)),
		p.PerSIYear.Mul(S).Mul(years), c)
	return ResignationResult{Result: b.result(), Policy: PolicyResign154, Eligible: true}, nil
}
