package policy

import (
	"fmt"

	"github.com/shopspring/decimal"

	"communehr/internal/msg"
)

type d178ResParams struct {
	MinMonthsToRetire int             // at least 2 years from retirement age
	WindowMonths      int             // the first 12 months after the decision
	WithinRate        decimal.Decimal // 0.8 × salary × months
	AfterRate         decimal.Decimal // 0.4 from the 13th month
	CapMonths         int             // resignation months: SI time, at most 60 (Art. 5 cl. 2)
	PerSIYear         decimal.Decimal // 1.5 months per SI year
	JobSearch         decimal.Decimal // 3 months to look for work
}

var d178Resignation = register(&table[d178ResParams]{
	Name: "decree_178_2024.resignation",
	Show: func(p d178ResParams) string {
		return fmt.Sprintf("%s (first %d months) / %s × salary × SI months (max %d); %s months per SI year; %s months to look for work; from %d months before retirement",
			p.WithinRate, p.WindowMonths, p.AfterRate, p.CapMonths, p.PerSIYear, p.JobSearch, p.MinMonthsToRetire)
	},
	Entries: []entry[d178ResParams]{
		{d178Start, d178ResParams{24, 12, dec("0.8"), dec("0.4"), 60, dec("1.5"), dec("3")},
			cite(instDecree178of2024, "9", "1")},
	},
})

// ResignationInput is the body of POST /v1/calculations/resignation.
type ResignationInput struct {
	DecisionDate  Date            `json:"decision_date"`
	ExitDate      Date            `json:"exit_date"`
	MonthlySalary decimal.Decimal `json:"monthly_salary"`
	SIMonths      int             `json:"si_months"`
	// SITotalMonths, SIUncompensatedMonths: see EarlyRetirementInput.
	SITotalMonths         *int   `json:"si_total_months,omitempty"`
	SIUncompensatedMonths *int   `json:"si_uncompensated_months,omitempty"`
	Gender                Gender `json:"gender"`
	BirthDate             Date   `json:"birth_date"`
	// MergedUnitSurplus: see EarlyRetirementInput.
	MergedUnitSurplus bool `json:"merged_unit_surplus,omitempty"`
}

// ResignationResult is the answer of Resignation.
type ResignationResult struct {
	Result
	// Policy names the instrument and article applied: decree_178_2024_art9
	// for exits up to 2025-08-31, decree_154_2025_art8 after (corner 3).
	Policy   string      `json:"policy"`
	Eligible bool        `json:"-"`
	Reason   msg.Message `json:"-"`
}

// Resignation computes the Decree 178/2024 Art. 9 allowances for a cadre or
// civil servant at least 2 years from retirement age who is not eligible
// for early retirement under Art. 7 (the research notes confirmed this
// scope, "không đủ điều kiện nghỉ hưu trước tuổi"): within the first 12
// months after the decision 0.8 × salary × the resignation months (the SI
// time, at most 60, Art. 5 cl. 2), from the 13th month 0.4 ×; 1.5 months of
// salary per SI year (½-year rule, Art. 5 cl. 3); 3 months to look for work.
// Someone outside that scope gets a total of 0 with the reason.
func Resignation(in ResignationInput) (ResignationResult, error) {
	r, err := resignation(in)
	if err == nil && r.Policy == "" {
		r.Policy = PolicyResign178
	}
	return r, err
}

func resignation(in ResignationInput) (ResignationResult, error) {
	er := EarlyRetirementInput{Gender: in.Gender, BirthDate: in.BirthDate, DecisionDate: in.DecisionDate,
		ExitDate: in.ExitDate, MonthlySalary: in.MonthlySalary, SIMonths: in.SIMonths, MergedUnitSurplus: in.MergedUnitSurplus,
		SITotalMonths: in.SITotalMonths, SIUncompensatedMonths: in.SIUncompensatedMonths}
	if err := checkCadre(er); err != nil {
		return ResignationResult{Result: emptyResult()}, err
	}
	b := newBuilder()
	if ok, why := d178Offered(b, in.ExitDate); !ok {
		b.warnMsg(why)
		return resignation154(er, b)
	}
	if why := d178MergedUnitReason(b, in.MergedUnitSurplus, in.ExitDate); !why.IsZero() {
		b.warnMsg(why)
		return ResignationResult{Result: b.result(), Reason: why}, nil
	}
	pr, err := d178Resignation.get(b, in.ExitDate)
	if err != nil {
		return ResignationResult{Result: emptyResult()}, err
	}
	pe, err := d178EarlyRetirement.at(in.ExitDate)
	if err != nil {
		return ResignationResult{Result: emptyResult()}, err
	}
	p := pr.Value
	x, err := newCadreExit(er, b)
	if err != nil {
		return ResignationResult{Result: emptyResult()}, err
	}
	fail := func(why msg.Message) (ResignationResult, error) {
		b.warnMsg(why)
		return ResignationResult{Result: b.result(), Reason: why}, nil
	}
	if !x.notYetDue || x.toRetire < p.MinMonthsToRetire {
		return fail(msg.New("d178.resign_fewer_than_2_years", x.rt))
	}
	if x.earlyRetirementReason(pe.Value).IsZero() {
		return fail(msg.New("d178.resign_eligible_early"))
	}
	S := in.MonthlySalary
	c := cite(instDecree178of2024, "9", "1")
	months := min(x.siUncomp, p.CapMonths)
	rate, vi, en := p.WithinRate, "Trợ cấp thôi việc 0,8 tháng tiền lương hiện hưởng × số tháng tính trợ cấp (nghỉ trong 12 tháng đầu)",
		"Resignation allowance 0.8 × current salary × allowance months (leaving within the first 12 months)"
	if !x.within12 {
		rate, vi, en = p.AfterRate, "Trợ cấp thôi việc 0,4 tháng tiền lương hiện hưởng × số tháng tính trợ cấp (nghỉ từ tháng thứ 13)",
			"Resignation allowance 0.4 × current salary × allowance months (leaving from the 13th month)"
	}
	b.line("resignation_allowance", vi, en,
		fmt.Sprintf("%s × %s × %s", fmtNum(rate), fmtMoney(S), monthsWord(months)),
		rate.Mul(S).Mul(decInt(months)), c)
	years := halfYears(x.siUncomp)
	b.line("si_years_allowance",
		"Trợ cấp "+fmtNumVI(p.PerSIYear)+" tháng tiền lương hiện hưởng cho mỗi năm công tác có đóng BHXH bắt buộc",
		fmtNum(p.PerSIYear)+" months of current salary per year of compulsory SI",
		fmt.Sprintf("%s × %s × %s years", fmtNum(p.PerSIYear), fmtMoney(S), fmtNum(years)),
		p.PerSIYear.Mul(S).Mul(years), c)
	b.line("job_search_allowance",
		"Trợ cấp "+fmtMonthsVI(p.JobSearch)+" tháng tiền lương hiện hưởng để tìm việc làm",
		fmtNum(p.JobSearch)+" months of current salary to look for work",
		fmt.Sprintf("%s × %s", fmtNum(p.JobSearch), fmtMoney(S)),
		p.JobSearch.Mul(S), c)
	return ResignationResult{Result: b.result(), Eligible: true}, nil
}
