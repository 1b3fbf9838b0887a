package policy

import (
	"fmt"

	"github.com/shopspring/decimal"

	"communehr/internal/msg"
)

// Decree 178/2024/NĐ-CP as amended by Decree 67/2025/NĐ-CP (in force
// 2025-01-01, amendments from 2025-03-15): early retirement (Art. 7) and
// resignation (Art. 9) of cadres, civil servants and public employees
// surplus because of the reorganisation of the political system (docs/legal-basis.md
// §4). Commune and hamlet non-professional workers are not covered.
//
// Citations confirmed against press reproductions of the decree
// (docs/legal-basis.md §4): the one-off allowance for the months of early retirement is Art. 7
// cl. 1 (amended by Decree 67 Art. 1 cl. 5): within the first 12 months
// after the reorganisation decision 1.0 × salary × months early (≤ 5 years
// to retirement) or 0.9 × salary × 60 (> 5 to 10 years), × 0.5 from the 13th
// month. The per-year allowances are Art. 7 cl. 2 (amended by Decree 67
// Art. 1 cl. 6): pt. a (2 to 5 years: 5 months per year early), pt. b
// (> 5 to 10 years: 4 months per year early); both give the SI-years
// allowance and both require enough SI time for a pension. Art. 9: people
// at least 2 years from retirement age AND not eligible for early retirement
// (confirmed) — 0.8 / 0.4 × salary × the resignation months, 1.5 months per
// SI year, 3 months to look for work. Art. 5 cl. 2 (resignation months, at
// most 60) and cl. 3 (SI years: 1–6 odd months → ½ year, > 6 → 1 year).

type d178ERParams struct {
	WindowMonths     int             // the first 12 months after the decision
	ShortBandMonths  int             // ≤ 5 years to retirement
	LongBandMonths   int             // > 5 to 10 years
	MinPerYearMonths int             // per-year allowances from 2 years
	ShortFactor      decimal.Decimal // 1.0 × salary × months early
	LongFactor       decimal.Decimal // 0.9 × salary × LongMonths
	LongMonths       int             // 60
	AfterWindow      decimal.Decimal // × 0.5 from the 13th month
	PerYearShort     decimal.Decimal // 5 months per year early
	PerYearLong      decimal.Decimal // 4 months per year early
}

var d178Start = MustDate("2025-01-01")

var d178EarlyRetirement = register(&table[d178ERParams]{
	Name: "decree_178_2024.early_retirement",
	Show: func(p d178ERParams) string {
		return fmt.Sprintf("≤%d months early: %s × salary × months; ≤%d: %s × salary × %d; ×%s from month %d; %s / %s months per year early from %d months",
			p.ShortBandMonths, p.ShortFactor.StringFixed(1), p.LongBandMonths, p.LongFactor, p.LongMonths, p.AfterWindow,
			p.WindowMonths+1, p.PerYearShort, p.PerYearLong, p.MinPerYearMonths)
	},
	Entries: []entry[d178ERParams]{
		{d178Start, d178ERParams{12, 60, 120, 24, dec("1.0"), dec("0.9"), 60, dec("0.5"), dec("5"), dec("4")},
			cite(instDecree178of2024, "7", "1")},
	},
})

type siAllowance struct {
	FirstMonths decimal.Decimal // months of salary for the first years
	FirstYears  int
	PerYear     decimal.Decimal // months of salary per further year
}

// siYearsAllowance: leaving before 2025-07-01, 5 months for the first 20
// years of compulsory SI and ½ month per year from the 21st; from 2025-07-01,
// 4 months for the first 15 years and ½ month per year from the 16th.
// Press reproductions (news.laodong.vn 1505080) show both lines in Decree 178 Art. 7 cl. 2 as
// amended by Decree 67 Art. 1 cl. 6, the second conditioned on "đủ 15 năm …
// và thuộc đối tượng được hưởng lương hưu … tại thời điểm nghỉ hưu trước
// tuổi" — possible only once the SI Law 2024 (pension from 15 years) is in
// force on 2025-07-01. docs/legal-basis.md §4.2 reads it as this date switch (Circular
// 01/2025/TT-BNV Art. 4 as amended by Circular 002/2025/TT-BNV, which the
// notes could not find): coded as docs/legal-basis.md says, cited to the decree.
var siYearsAllowance = register(&table[siAllowance]{
	Name: "decree_178_2024.si_years_allowance",
	Show: func(s siAllowance) string {
		return fmt.Sprintf("%s months for the first %d years, %s month per further year", s.FirstMonths, s.FirstYears, s.PerYear)
	},
	Entries: []entry[siAllowance]{
		{d178Start, siAllowance{dec("5"), 20, dec("0.5")}, cite(instDecree178of2024, "7", "2")},
		{MustDate("2025-07-01"), siAllowance{dec("4"), 15, dec("0.5")}, cite(instDecree178of2024, "7", "2")},
	},
})

// pensionMinSIYears is the compulsory-SI time needed for a pension, which
// Art. 7 requires: 20 years (SI Law 2014 Art. 54 cl. 1), 15 years from
// 2025-07-01 (SI Law 2024 Art. 64 cl. 1).
var pensionMinSIYears = register(&table[int]{
	Name: "pension_min_si_years",
	Show: func(y int) string { return fmt.Sprint(y) },
	Entries: []entry[int]{
		{MustDate("2016-01-01"), 20, cite(instSILaw2014, "54", "1")},
		{MustDate("2025-07-01"), 15, cite(instSILaw2024, "64", "1")},
	},
})

// EarlyRetirementInput is the body of POST /v1/calculations/early-retirement.
// MonthlySalary is the current monthly salary of Decree 178 Art. 5 as one
// amount: grade/step or position salary plus the salary allowances and any
// retention coefficient, for the month before leaving.
type EarlyRetirementInput struct {
	Gender        Gender          `json:"gender"`
	BirthDate     Date            `json:"birth_date"`
	DecisionDate  Date            `json:"decision_date"`
	ExitDate      Date            `json:"exit_date"`
	MonthlySalary decimal.Decimal `json:"monthly_salary"`
	SIMonths      int             `json:"si_months"`
	// SITotalMonths is the total compulsory-SI time, which decides whether
	// the person has enough for a pension (Decree 178 Art. 7: "đủ thời gian
	// đóng bảo hiểm xã hội bắt buộc để hưởng lương hưu"). SIUncompensatedMonths
	// is the part not yet paid out as severance, unemployment, one-off SI or
	// demobilisation allowance, which the per-year and resignation allowances
	// count (Art. 5). Either defaults to si_months; uncompensated defaults to
	// the total (issue 12, corner 7).
	SITotalMonths         *int `json:"si_total_months,omitempty"`
	SIUncompensatedMonths *int `json:"si_uncompensated_months,omitempty"`
	// MergedUnitSurplus: surplus because of the 2019–2021 or 2023–2025
	// arrangement of district- or commune-level units (Decree 178 Art. 2
	// cl. 1 pt. b; Official Letter 1814/BNV-TCBC).
	MergedUnitSurplus bool `json:"merged_unit_surplus,omitempty"`
}

// EarlyRetirementResult is the answer of EarlyRetirement. MonthsEarly is
// the actual number of whole months from the exit date to the retirement
// time (the one-off allowance caps them at 60); YearsEarly is the same with
// the ½-year rule.
type EarlyRetirementResult struct {
	Result
	MonthsEarly int             `json:"months_early"`
	YearsEarly  decimal.Decimal `json:"years_early"`
	// Policy names the instrument and article applied: decree_178_2024_art7
	// for exits up to 2025-08-31, decree_154_2025_art6 after (corner 3).
	Policy   string      `json:"policy"`
	Eligible bool        `json:"-"`
	Reason   msg.Message `json:"-"`
}

// cadreExit is what early retirement and resignation share: validated
// input, the retirement time and the months left to it.
type cadreExit struct {
	in       EarlyRetirementInput
	rt       Date
	toRetire int
	// toRetireDays are the days left over after toRetire whole months: the
	// bands "5 years or less" and "more than 5 up to 10 years" compare the
	// exact time, so 120 months and 17 days is more than 10 years.
	toRetireDays int
	within12     bool
	siEnough     bool
	siTotal      int // total compulsory-SI months (pension eligibility)
	siUncomp     int // SI months not yet compensated (the allowances)
	minSI        int
	notYetDue    bool // exit before the retirement time
}

func checkCadre(in EarlyRetirementInput) error {
	var ec errs
	checkGender(&ec, "/gender", in.Gender)
	okBirth := checkBirth(&ec, "/birth_date", in.BirthDate)
	okDecision := checkDate(&ec, "/decision_date", in.DecisionDate, true)
	okExit := checkDate(&ec, "/exit_date", in.ExitDate, true)
	checkMoney(&ec, "/monthly_salary", in.MonthlySalary)
	checkSI(&ec, in.SIMonths, in.SITotalMonths, in.SIUncompensatedMonths)
	if okBirth && okExit {
		checkOrder(&ec, "/birth_date", "birth_after_exit", in.BirthDate, in.ExitDate,
			"the birth date is after the exit date", "ngày sinh sau ngày nghỉ việc")
	}
	if okDecision && okExit {
		checkOrder(&ec, "/exit_date", "exit_before_decision", in.DecisionDate, in.ExitDate,
			"the exit date is before the reorganisation decision", "ngày nghỉ việc trước quyết định sắp xếp")
	}
	return ec.err()
}

func newCadreExit(in EarlyRetirementInput, b *builder) (cadreExit, error) {
	x := cadreExit{in: in}
	rt, _, _, err := retirement(in.Gender, in.BirthDate, false, b)
	if err != nil {
		return x, err
	}
	x.rt = rt
	x.notYetDue = in.ExitDate.Before(rt)
	if x.notYetDue {
		x.toRetire = countMonths(b, in.ExitDate, rt, "months.to_retirement_days_dropped")
		_, x.toRetireDays = MonthsBetween(in.ExitDate, rt)
	}
	// "Within the first 12 months" after the decision: up to and including
	// the same day 12 calendar months later (Civil Code 2015 Art. 147 cl. 3,
	// Art. 148 cl. 3 — see withinMonthsAfter).
	x.within12 = withinMonthsAfter(in.DecisionDate, in.ExitDate, 12)
	m, err := pensionMinSIYears.at(in.ExitDate)
	if err != nil {
		return x, err
	}
	x.minSI = m.Value
	x.siTotal, x.siUncomp = siTimes(in.SIMonths, in.SITotalMonths, in.SIUncompensatedMonths)
	x.siEnough = x.siTotal >= m.Value*12
	return x, nil
}

// moreThan reports whether the time to retirement (months and leftover days)
// is more than n months: "5 years or less" ends at 60 months 0 days, and "more
// than 5 up to 10 years" at 120 months 0 days (Decree 178 Art. 7 cl. 1–2; a
// remainder of days is time, not nothing — issue 12, corner 6).
func (x cadreExit) moreThan(n int) bool {
	return x.toRetire > n || (x.toRetire == n && x.toRetireDays > 0)
}

// earlyRetirementReason is why Art. 7 does not apply ("" when it does).
func (x cadreExit) earlyRetirementReason(p d178ERParams) msg.Message {
	switch {
	case !x.notYetDue:
		return msg.New("cadre.at_retirement_age", x.rt)
	case x.moreThan(p.LongBandMonths):
		return msg.New("d178.more_than_10_years", x.timeText())
	case !x.siEnough:
		return msg.New("d178.si_not_enough", x.siTotal, x.minSI)
	}
	return msg.Message{}
}

// timeText is the time to retirement in both languages.
func (x cadreExit) timeText() msg.Text { return msg.Text{VI: x.timeVI(), EN: x.timeEN()} }

// EarlyRetirement computes the Decree 178/2024 Art. 7 allowances (as
// amended by Decree 67/2025). A person more than 10 years from retirement
// age, already at it, or without enough SI time for a pension is not
// eligible: the result is a valid answer with total 0 and the reason (the
// input is not wrong — the person falls under Art. 9 or nothing).
// With fewer than 2 years to retirement only the months-early allowance of
// cl. 1 is paid: cl. 2 pt. a/b start at 2 years (unconfirmed; docs/legal-basis.md: nothing
// more specific was found in Decree 67).
func EarlyRetirement(in EarlyRetirementInput) (EarlyRetirementResult, error) {
	r, err := earlyRetirement(in)
	if err == nil && r.Policy == "" {
		r.Policy = PolicyEarlyRetire178
	}
	return r, err
}

func earlyRetirement(in EarlyRetirementInput) (EarlyRetirementResult, error) {
	if err := checkCadre(in); err != nil {
		return EarlyRetirementResult{Result: emptyResult(), YearsEarly: decimal.Zero}, err
	}
	b := newBuilder()
	if ok, why := d178Offered(b, in.ExitDate); !ok {
		b.warnMsg(why)
		return earlyRetirement154(in, b)
	}
	if why := d178MergedUnitReason(b, in.MergedUnitSurplus, in.ExitDate); !why.IsZero() {
		b.warnMsg(why)
		return EarlyRetirementResult{Result: b.result(), YearsEarly: decimal.Zero, Reason: why}, nil
	}
	pe, err := d178EarlyRetirement.get(b, in.ExitDate)
	if err != nil {
		return EarlyRetirementResult{Result: emptyResult(), YearsEarly: decimal.Zero}, err
	}
	p := pe.Value
	x, err := newCadreExit(in, b)
	if err != nil {
		return EarlyRetirementResult{Result: emptyResult(), YearsEarly: decimal.Zero}, err
	}
	if why := x.earlyRetirementReason(p); !why.IsZero() {
		b.warnMsg(why)
		return EarlyRetirementResult{Result: b.result(), MonthsEarly: x.toRetire, YearsEarly: halfYears(x.toRetire), Reason: why}, nil
	}
	S, m := in.MonthlySalary, x.toRetire
	years := halfYears(m)
	c1 := cite(instDecree178of2024, "7", "1")

	var amount decimal.Decimal
	var formula, vi, en string
	if !x.moreThan(p.ShortBandMonths) {
		amount = p.ShortFactor.Mul(S).Mul(decInt(m))
		formula = fmt.Sprintf("%s × %s × %s", p.ShortFactor.StringFixed(1), fmtMoney(S), monthsWord(m))
		vi = fmt.Sprintf("Trợ cấp hưu trí một lần cho số tháng nghỉ sớm (còn từ đủ %d năm trở xuống)", p.ShortBandMonths/12)
		en = fmt.Sprintf("One-off allowance for the months of early retirement (%d years or less to retirement)", p.ShortBandMonths/12)
	} else {
		amount = p.LongFactor.Mul(S).Mul(decInt(p.LongMonths))
		formula = fmt.Sprintf("%s × %s × %s", fmtNum(p.LongFactor), fmtMoney(S), monthsWord(p.LongMonths))
		vi = fmt.Sprintf("Trợ cấp hưu trí một lần: %s tháng tiền lương × %d tháng (còn trên %d năm đến đủ %d năm)",
			fmtNumVI(p.LongFactor), p.LongMonths, p.ShortBandMonths/12, p.LongBandMonths/12)
		en = fmt.Sprintf("One-off allowance: %s × salary × %d months (more than %d to %d years to retirement)",
			fmtNum(p.LongFactor), p.LongMonths, p.ShortBandMonths/12, p.LongBandMonths/12)
	}
	if !x.within12 {
		amount = p.AfterWindow.Mul(amount)
		formula = fmtNum(p.AfterWindow) + " × " + formula
		vi += ", nghỉ từ tháng thứ 13 trở đi"
		en += ", leaving from the 13th month after the decision"
	}
	b.line("months_early_allowance", vi, en, formula, amount, c1)

	if m < p.MinPerYearMonths {
		b.warn("d178.fewer_than_2_years_per_year")
	} else {
		perYear, cl := p.PerYearShort, cite(instDecree178of2024, "7", "2(a)")
		if x.moreThan(p.ShortBandMonths) {
			perYear, cl = p.PerYearLong, cite(instDecree178of2024, "7", "2(b)")
		}
		if m%12 != 0 {
			b.warn("d178.years_early_rounded", m, years)
		}
		b.line("per_year_early_allowance",
			fmt.Sprintf("Trợ cấp %s tháng tiền lương hiện hưởng cho mỗi năm nghỉ hưu trước tuổi", perYear),
			fmt.Sprintf("%s months of current salary per year of early retirement", perYear),
			fmt.Sprintf("%s × %s × %s years", fmtNum(perYear), fmtMoney(S), fmtNum(years)),
			perYear.Mul(S).Mul(years), cl)
		if err := siLine(b, in.ExitDate, x.siUncomp, S, cl); err != nil {
			return EarlyRetirementResult{Result: emptyResult(), YearsEarly: decimal.Zero}, err
		}
	}
	return EarlyRetirementResult{Result: b.result(), MonthsEarly: m, YearsEarly: years, Eligible: true}, nil
}

// siLine adds the SI-years allowance: FirstMonths of salary for the first
// FirstYears of compulsory SI, PerYear month for each year beyond (SI years
// with the ½-year rule of Art. 5 cl. 3).
func siLine(b *builder, exit Date, siMonths int, S decimal.Decimal, cl Citation) error {
	se, err := siYearsAllowance.get(b, exit)
	if err != nil {
		return err
	}
	s := se.Value
	siYears := halfYears(siMonths)
	extra := siYears.Sub(decInt(s.FirstYears))
	if extra.IsNegative() {
		extra = decimal.Zero
	}
	months := s.FirstMonths.Add(s.PerYear.Mul(extra))
	formula := fmt.Sprintf("%s × %s (first %d years of SI)", fmtNum(s.FirstMonths), fmtMoney(S), s.FirstYears)
	if extra.IsPositive() {
		formula = fmt.Sprintf("(%s + %s × %s years) × %s (%s years of SI)", fmtNum(s.FirstMonths), fmtNum(s.PerYear),
			fmtNum(extra), fmtMoney(S), fmtNum(siYears))
	}
	b.line("si_years_allowance",
		fmt.Sprintf("Trợ cấp %s tháng tiền lương cho %d năm đầu đóng BHXH bắt buộc, từ năm thứ %d mỗi năm %s tháng",
			s.FirstMonths, s.FirstYears, s.FirstYears+1, s.PerYear),
		fmt.Sprintf("%s months of salary for the first %d years of compulsory SI, %s month per year from year %d",
			s.FirstMonths, s.FirstYears, s.PerYear, s.FirstYears+1),
		formula, months.Mul(S), cl)
	return nil
}

func (x cadreExit) timeEN() string {
	if x.toRetireDays > 0 {
		return fmt.Sprintf("%d months and %d days", x.toRetire, x.toRetireDays)
	}
	return fmt.Sprintf("%d months", x.toRetire)
}

func (x cadreExit) timeVI() string {
	if x.toRetireDays > 0 {
		return fmt.Sprintf("%d tháng %d ngày", x.toRetire, x.toRetireDays)
	}
	return fmt.Sprintf("%d tháng", x.toRetire)
}

// siTimes resolves the two meanings of SI time (corner 7): the total, for
// pension eligibility, and the uncompensated part, for the allowances. With
// only si_months given it is both.
func siTimes(siMonths int, total, uncomp *int) (int, int) {
	t := siMonths
	if total != nil {
		t = *total
	}
	u := t
	if uncomp != nil {
		u = *uncomp
	}
	return t, u
}

// checkSI validates the SI inputs: none negative, the uncompensated time not
// above the total, and si_months agreeing with si_total_months when both are
// given. The HTTP layer requires si_months or si_total_months.
func checkSI(ec *errs, siMonths int, total, uncomp *int) {
	checkNonNeg(ec, "/si_months", siMonths)
	if total != nil {
		checkNonNeg(ec, "/si_total_months", *total)
		if siMonths != 0 && siMonths != *total {
			ec.add("/si_total_months", "si_conflict", "the total SI time differs from the SI time given",
				"tổng thời gian đóng BHXH khác với thời gian đóng BHXH đã nhập")
		}
	}
	if uncomp != nil {
		checkNonNeg(ec, "/si_uncompensated_months", *uncomp)
		if t, _ := siTimes(siMonths, total, nil); *uncomp > t {
			ec.add("/si_uncompensated_months", "above_total",
				"the SI time not yet compensated cannot exceed the total SI time",
				"thời gian đóng BHXH chưa hưởng trợ cấp không được lớn hơn tổng thời gian đóng BHXH")
		}
	}
}
