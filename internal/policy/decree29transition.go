package policy

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Decree 154/2025's transitional provision: "các đối tượng tinh giản biên
// chế đang được cấp có thẩm quyền xem xét, giải quyết theo Nghị định số
// 29/2023/NĐ-CP hoặc đã được cấp có thẩm quyền giải quyết theo Nghị định số
// 29/2023/NĐ-CP nhưng đến ngày Nghị định này có hiệu lực thi hành chưa nhận
// chế độ thì được tính toán lại và cấp bù phần chênh lệch theo chính sách quy
// định tại Nghị định này" (news.laodong.vn "Đối tượng được tính toán lại, cấp
// bổ sung phần chênh lệch trong chế độ tinh giản biên chế", 1541612;
// doanhnhansaigon.vn 320045). The article number was not seen in the
// published excerpts, so the citation names the decree only.
//
// So a Decree 29 exit not yet paid on 2025-06-16 (the day Decree 154 took
// effect) is recalculated under Decree 154 — Art. 9 for a commune post, Art.
// 10 for a hamlet post, with the parameters in force on 2025-06-16 — and the
// difference, when positive, is added as its own line (issue 12, corner 4).

var d154EffectiveDate = MustDate("2025-06-16")

var d154Transition = cite(instDecree154of2025, "", "")

// d154Recalculation lists the rule among the parameters (GET /v1/parameters).
var d154Recalculation = register(&table[Date]{
	Name: "decree_154_2025.decree29_recalculation",
	Show: func(d Date) string {
		return "Decree 29/2023 exits not paid before " + d.String() + " are recalculated; the difference is paid"
	},
	Until:   d154Ends,
	Entries: []entry[Date]{{d154EffectiveDate, d154EffectiveDate, d154Transition}},
})

// d29PaidState is what the request says about payment: unknown, paid before
// Decree 154 took effect, or not paid by then.
func d29NeedsRecalc(in NonProfessionalExitInput) (recalc, known bool) {
	switch {
	case in.Decree29PaidOn != nil:
		return !in.Decree29PaidOn.Before(d154EffectiveDate), true
	case in.Decree29Paid != nil:
		return !*in.Decree29Paid, true
	}
	return false, false
}

// checkDecree29Payment validates the payment inputs.
func checkDecree29Payment(ec *errs, in NonProfessionalExitInput) {
	if in.Decree29PaidOn != nil {
		checkDate(ec, "/decree29_paid_on", *in.Decree29PaidOn, true)
		if in.Decree29Paid != nil && !*in.Decree29Paid {
			ec.add("/decree29_paid_on", "paid_on_without_payment", "a payment date is given for an allowance marked as not paid",
				"có ngày chi trả nhưng trợ cấp được ghi là chưa chi trả")
		}
	}
	if in.Decree29Paid != nil && *in.Decree29Paid && in.Decree29PaidOn == nil {
		ec.add("/decree29_paid_on", "required", "the date the allowance was paid is needed to tell whether Decree 154/2025 recalculates it",
			"cần ngày chi trả trợ cấp để xác định có được tính lại theo Nghị định 154/2025/NĐ-CP hay không")
	}
}

// decree29Transition finishes an eligible Decree 29 result: when the
// allowance was not paid by 2025-06-16 it adds the Decree 154 difference.
func decree29Transition(in NonProfessionalExitInput, b *builder, r NonProfessionalExitResult) (NonProfessionalExitResult, error) {
	recalc, known := d29NeedsRecalc(in)
	if !known {
		b.warn("d29.transition_unknown")
		r.Result = b.result()
		return r, nil
	}
	if !recalc {
		r.Result = b.result()
		return r, nil
	}
	if in.WorkMonths == nil {
		return NonProfessionalExitResult{Result: emptyResult()}, inputErr("/work_months", "required",
			"The recalculation under Decree 154/2025 needs the working time in months",
			"Việc tính lại theo Nghị định 154/2025/NĐ-CP cần thời gian công tác (số tháng)")
	}
	b2 := newBuilder()
	r154, err := exitDecree154At(in, b2, d154EffectiveDate, true)
	if err != nil {
		return NonProfessionalExitResult{Result: emptyResult()}, err
	}
	for _, p := range b2.r.Parameters {
		b.param(p)
	}
	b.param(d154Recalculation.use(d154Recalculation.Entries[0]))
	t29, t154 := r.Total, r154.Total
	diff := t154.Sub(t29)
	if diff.IsNegative() {
		diff = decimal.Zero
	}
	parts := ""
	for i, l := range r154.Lines {
		if i > 0 {
			parts += " + "
		}
		parts += fmtMoney(l.Amount)
	}
	b.line("decree154_difference",
		"Phần chênh lệch cấp bù khi tính lại theo Nghị định 154/2025/NĐ-CP (chưa nhận chế độ đến ngày 16/6/2025)",
		"Difference paid on recalculation under Decree 154/2025 (not paid by 2025-06-16)",
		fmt.Sprintf("max(0, %s − %s) (Decree 154/2025: %s)", fmtMoney(t154), fmtMoney(t29), parts),
		diff, d154Transition)
	if diff.IsZero() {
		b.warn("d29.transition_no_difference", fmtMoney(t154))
	}
	r.Result = b.result()
	total := t154
	r.Decree154Total = &total
	return r, nil
}
