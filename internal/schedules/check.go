// Package schedules holds the rules of a province's allowance schedule (its HĐND resolution) that span
// rows or need the national catalogue of posts: known posts, the hamlet fund category only on the paid
// hamlet posts, coefficients in range, no duplicate rows, and the schedule fitting inside the hamlet fund
// (Decree 33/2023 Art. 34 cl. 2). Both front doors (PUT …/allowance-schedule and the console's editor)
// call Check before store.PutSchedule.
package schedules

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// Problem is one rule the schedule breaks. Row is the index of the row (-1 for the whole schedule);
// Field the JSON field it concerns ("effective_to", "position_code", "hamlet_fund_category",
// "coefficient", "" for the row, or "rows" for the whole). An overshoot of the hamlet fund says by how much.
type Problem struct {
	Row                  int
	Field                string
	Code                 string
	MessageEN, MessageVI string
	Overshoot            *Overshoot
}

// Overshoot explains an exceeds_hamlet_fund problem: in the category, the paid hamlet posts' coefficients
// (Parts, "code coefficient") sum to Sum × base salary, Over above the Fund multiple.
type Overshoot struct {
	Category        string
	Parts           []Part
	Sum, Fund, Over decimal.Decimal
}

// Part is one paid hamlet post's coefficient in an overshoot.
type Part struct {
	Position    store.Position
	Coefficient decimal.Decimal
}

// Check returns what sch breaks (nil when it is valid).
func Check(rows []store.ScheduleRow, from time.Time, to *time.Time, positions []store.Position) []Problem {
	var out []Problem
	bad := func(row int, field, code, en, vi string) {
		out = append(out, Problem{Row: row, Field: field, Code: code, MessageEN: en, MessageVI: vi})
	}
	byCode := make(map[string]store.Position, len(positions))
	for _, p := range positions {
		byCode[p.Code] = p
	}
	if to != nil && to.Before(from) {
		bad(-1, "effective_to", "before_effective_from", "must not be before effective_from", "không được trước effective_from")
	}
	type key struct{ code, cat string }
	seen := map[key]bool{}
	coef := map[key]decimal.Decimal{}
	for i, row := range rows {
		cat := row.HamletFundCategory
		pos, known := byCode[row.PositionCode]
		switch {
		case !known:
			bad(i, "position_code", "unknown_position", "is not a post of the national catalogue (GET /v1/positions)",
				"không phải chức danh trong danh mục quốc gia (GET /v1/positions)")
		case cat != "" && !pos.PaidHamletPost:
			bad(i, "hamlet_fund_category", "commune_post_category",
				"must be null: only the 3 paid hamlet posts depend on the hamlet's fund category",
				"phải để trống: chỉ 3 chức danh được hưởng phụ cấp ở thôn, tổ dân phố mới phụ thuộc loại quỹ của thôn")
		}
		c := row.Coefficient
		if !c.IsPositive() || c.GreaterThan(decimal.NewFromInt(20)) || c.Exponent() < -4 {
			bad(i, "coefficient", "coefficient", "must be more than 0 and at most 20, with at most 4 decimals",
				"phải lớn hơn 0 và không quá 20, tối đa 4 chữ số thập phân")
		}
		k := key{row.PositionCode, cat}
		if seen[k] {
			bad(i, "", "duplicate_row", "another row has the same position_code and hamlet_fund_category",
				"trùng mã chức danh và loại quỹ với một dòng khác")
		}
		seen[k] = true
		coef[k] = c
	}
	if len(out) > 0 {
		return out
	}
	// Schedule-fits-fund: in each hamlet category the paid hamlet posts' allowances, each the row of
	// that category else the row with no category, must fit inside the hamlet's monthly lump-sum fund.
	for _, cat := range []string{policy.CategoryHigh, policy.CategoryLow} {
		o := Overshoot{Category: cat, Fund: FundMultiple(cat)}
		var parts []string
		for _, p := range positions {
			if !p.PaidHamletPost {
				continue
			}
			c, ok := coef[key{p.Code, cat}]
			if !ok {
				c, ok = coef[key{p.Code, ""}]
			}
			if ok {
				o.Sum = o.Sum.Add(c)
				o.Parts = append(o.Parts, Part{Position: p, Coefficient: c})
				parts = append(parts, p.Code+" "+c.String())
			}
		}
		if o.Sum.GreaterThan(o.Fund) {
			o.Over = o.Sum.Sub(o.Fund)
			out = append(out, Problem{Row: -1, Field: "rows", Code: "exceeds_hamlet_fund", Overshoot: &o,
				MessageEN: fmt.Sprintf("category %s: the %d hamlet posts (%s) sum to %s × base salary, %s over the fund of %s (Decree 33/2023 Art. 34 cl. 2)",
					cat, len(parts), strings.Join(parts, " + "), o.Sum, o.Over, cat),
				MessageVI: fmt.Sprintf("loại %s: %d chức danh ở thôn, tổ dân phố (%s) cộng lại %s lần mức lương cơ sở, vượt %s so với quỹ khoán %s (khoản 2 Điều 34 Nghị định 33/2023/NĐ-CP)",
					cat, len(parts), strings.Join(parts, " + "), o.Sum, o.Over, cat)})
		}
	}
	return out
}

// FundMultiple is the monthly fund of a hamlet of the category, in base salaries: the category is named
// by its multiple (6.0 and 4.5 × the base salary, Decree 33/2023 Art. 34 cl. 2(a) and (b)).
func FundMultiple(category string) decimal.Decimal {
	return decimal.RequireFromString(category)
}
