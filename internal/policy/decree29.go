package policy

import (
	"fmt"

	"communehr/internal/msg"
)

// Decree 29/2023/NĐ-CP (staff streamlining, in force 2023-07-20), for
// non-professional workers surplus because of the reorganisation of
// commune-level units, hamlets and residential groups (docs/legal-basis.md §3.1).
//
// Text, as found in press reproductions (docs/legal-basis.md §3.1;
// news.laodong.vn 1488078): the subject is Art. 2 cl. 3 — workers who leave "trong thời gian
// 12 tháng kể từ khi có quyết định sắp xếp"; the benefit is Art. 9 cl. 2 —
// elected posts: ½ × the current monthly allowance per month left early
// before the end of the term; other posts: per month left early before the
// end of the reorganisation roadmap; in both, when the retirement time comes
// first, the months count to the retirement time.
//
// Correction to docs/legal-basis.md §3.1, following the decree's text: the 12-month
// window from the reorganisation decision belongs to the subject definition
// (Art. 2 cl. 3), so it applies to elected AND non-elected posts (docs/legal-basis.md
// attaches it to elected posts only).

var (
	d29Subject = cite(instDecree29of2023, "2", "3")
	d29Benefit = cite(instDecree29of2023, "9", "2")
)

type d29Params struct {
	Rate         string // of the current monthly allowance, per month
	WindowMonths int
}

var decree29Params = register(&table[d29Params]{
	Name: "decree_29_2023.non_professional",
	Show: func(p d29Params) string {
		return fmt.Sprintf("%s × monthly allowance per month left early; leaving within %d months of the decision", p.Rate, p.WindowMonths)
	},
	Until: d154EffectiveDate.AddDays(-1),
	Entries: []entry[d29Params]{
		{MustDate("2023-07-20"), d29Params{"0.5", 12}, d29Benefit},
	},
})

func exitDecree29(in NonProfessionalExitInput, b *builder) (NonProfessionalExitResult, error) {
	var ec errs
	checkDate(&ec, "/decision_date", in.DecisionDate, true)
	endField, end := "/roadmap_end", in.RoadmapEnd
	if in.Elected {
		endField, end = "/term_end", in.TermEnd
	}
	if end == nil {
		ec.add(endField, "required", "Decree 29/2023 needs this date for this post",
			"Nghị định 29/2023/NĐ-CP cần ngày này đối với chức danh này")
	}
	if err := ec.err(); err != nil {
		return NonProfessionalExitResult{Result: emptyResult()}, err
	}
	p, err := decree29Params.get(b, in.ExitDate)
	if err != nil {
		return NonProfessionalExitResult{Result: emptyResult()}, err
	}
	// The 12 months run from the day after the decision to the end of the
	// same day 12 months later (Civil Code 2015 Art. 147–148, withinMonthsAfter).
	if !withinMonthsAfter(in.DecisionDate, in.ExitDate, p.Value.WindowMonths) {
		return ineligible(b, PolicyDecree29, msg.New("d29.outside_window", p.Value.WindowMonths, in.DecisionDate)), nil
	}
	rt, _, _, err := retirement(in.Gender, in.BirthDate, false, b)
	if err != nil {
		return NonProfessionalExitResult{Result: emptyResult()}, err
	}
	if !in.ExitDate.Before(rt) {
		return ineligible(b, PolicyDecree29, msg.New("d29.at_retirement_age", rt)), nil
	}
	// The cap (Art. 9 cl. 2, for elected and non-elected posts alike):
	// "Riêng đối tượng có thời điểm nghỉ hưu trước thời điểm kết thúc lộ trình
	// sắp xếp thì số tháng được hưởng trợ cấp được tính bằng số tháng nghỉ
	// trước so với thời điểm nghỉ hưu" (cafef.vn, quoting Art. 9 cl. 2;
	// news.laodong.vn 1488078). The retirement time is compared with the END
	// OF THE ROADMAP, not with the term end (issue 12, corner 8). For an
	// elected post without roadmap_end the term end stands in, with a warning.
	stop, what := *end, "the end of the reorganisation roadmap"
	if in.Elected {
		what = "the end of the term"
	}
	capEnd := in.RoadmapEnd
	if capEnd == nil {
		capEnd = end
		b.warn("d29.roadmap_end_missing")
	}
	if rt.Before(*capEnd) {
		stop, what = rt, "the retirement time"
		b.warn("d29.months_to_retirement", rt, capEnd.String(), d29Benefit)
	}
	months := countMonths(b, in.ExitDate, stop, "months.left_early_days_dropped")
	rate := dec(p.Value.Rate)
	labelVI := "Trợ cấp 1/2 mức phụ cấp hằng tháng hiện hưởng cho mỗi tháng nghỉ trước thời điểm kết thúc lộ trình sắp xếp"
	labelEN := "½ of the current monthly allowance for each month left before the end of the reorganisation roadmap"
	if in.Elected {
		labelVI = "Trợ cấp 1/2 mức phụ cấp hằng tháng hiện hưởng cho mỗi tháng nghỉ trước thời điểm kết thúc nhiệm kỳ"
		labelEN = "½ of the current monthly allowance for each month left before the end of the term"
	}
	if what == "the retirement time" {
		labelVI += " (tính đến thời điểm nghỉ hưu)"
		labelEN += " (counted to the retirement time)"
	}
	b.line("months_left_early", labelVI, labelEN,
		fmt.Sprintf("%s × %s × %s", fmtNum(rate), fmtMoney(in.MonthlyAllowance), monthsWord(months)),
		rate.Mul(in.MonthlyAllowance).Mul(decInt(months)), d29Benefit)
	b.param(ParamUse{Name: "decree_29_2023.subject", Value: "leaving within 12 months of the reorganisation decision",
		From: MustDate("2023-07-20"), Citation: d29Subject})
	return decree29Transition(in, b, NonProfessionalExitResult{Result: b.result(), Policy: PolicyDecree29, MonthsCounted: months, Eligible: true})
}
