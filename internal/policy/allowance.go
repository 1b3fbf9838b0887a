package policy

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// ScheduleRow is one row of a provincial allowance schedule (the HĐND
// resolution, Decree 33 Art. 34 cl. 3): a post, optionally the hamlet fund
// category it applies to ("" = any), and the coefficient of the base salary.
type ScheduleRow struct {
	PositionCode       string          `json:"position_code"`
	HamletFundCategory string          `json:"hamlet_fund_category"`
	Coefficient        decimal.Decimal `json:"coefficient"`
}

// Post is one post a person holds; Concurrent marks a post held in addition
// to the main one (kiêm nhiệm).
type Post struct {
	PositionCode       string `json:"position_code"`
	HamletFundCategory string `json:"hamlet_fund_category"`
	Concurrent         bool   `json:"concurrent"`
}

// AllowanceInput is the body of POST /v1/calculations/allowance.
type AllowanceInput struct {
	Schedule []ScheduleRow `json:"schedule"`
	Posts    []Post        `json:"posts"`
	AsOf     Date          `json:"as_of"`
}

// AllowanceResult is the answer of Allowance.
type AllowanceResult struct {
	Result
	MonthlyAllowance decimal.Decimal `json:"monthly_allowance"`
}

// hamletPositions are the 3 paid hamlet posts of docs/legal-basis.md §9.
var hamletPositions = map[string]bool{
	"bi_thu_chi_bo":                true,
	"truong_thon_to_truong":        true,
	"truong_ban_cong_tac_mat_tran": true,
}

func validCategory(c string) bool { return c == "" || c == CategoryHigh || c == CategoryLow }

// Allowance returns a person's monthly allowance from a provincial schedule:
// the main post's coefficient × the base salary in force on in.AsOf, plus
// 100 % of each concurrent post's own allowance (docs/legal-basis.md §2.2; the clause was not found
// in Decree 33, so the parameter cites Art. 34 with no clause).
// A post matches the schedule row with its position code and its hamlet
// category, else the row of that code with no category. A post without a
// row, more than one main post, or more than 3 hamlet posts (Art. 33 cl. 6)
// is an input error.
func Allowance(in AllowanceInput) (AllowanceResult, error) {
	var ec errs
	checkDate(&ec, "/as_of", in.AsOf, true)
	type key struct{ code, cat string }
	rows := map[key]ScheduleRow{}
	for i, r := range in.Schedule {
		p := fmt.Sprintf("/schedule/%d", i)
		if r.PositionCode == "" {
			ec.add(p+"/position_code", "required", "position_code is required", "mã chức danh là bắt buộc")
		}
		if !validCategory(r.HamletFundCategory) {
			ec.add(p+"/hamlet_fund_category", "unknown_category", `hamlet_fund_category must be "6.0", "4.5" or empty`,
				`hamlet_fund_category phải là "6.0", "4.5" hoặc để trống`)
		}
		checkMoney(&ec, p+"/coefficient", r.Coefficient)
		k := key{r.PositionCode, r.HamletFundCategory}
		if _, dup := rows[k]; dup {
			ec.add(p, "duplicate_row", "another row has the same position_code and hamlet_fund_category",
				"trùng mã chức danh và loại quỹ với một dòng khác")
		}
		rows[k] = r
	}
	if len(in.Posts) == 0 {
		ec.add("/posts", "required", "at least one post is required", "cần ít nhất một chức danh")
	}
	mains, hamletPosts := 0, 0
	matched := make([]ScheduleRow, len(in.Posts))
	for i, p := range in.Posts {
		ptr := fmt.Sprintf("/posts/%d", i)
		if !validCategory(p.HamletFundCategory) {
			ec.add(ptr+"/hamlet_fund_category", "unknown_category", `hamlet_fund_category must be "6.0", "4.5" or empty`,
				`hamlet_fund_category phải là "6.0", "4.5" hoặc để trống`)
			continue
		}
		if !p.Concurrent {
			if mains++; mains > 1 {
				ec.add(ptr+"/concurrent", "several_main_posts", "only one post can be the main (non-concurrent) post",
					"chỉ một chức danh là chức danh chính (không kiêm nhiệm)")
			}
		}
		if hamletPositions[p.PositionCode] || p.HamletFundCategory != "" {
			hamletPosts++
		}
		r, ok := rows[key{p.PositionCode, p.HamletFundCategory}]
		if !ok {
			r, ok = rows[key{p.PositionCode, ""}]
		}
		if !ok {
			ec.add(ptr+"/position_code", "no_schedule_row", "the schedule has no row for this post (and hamlet category)",
				"biểu mức phụ cấp không có dòng cho chức danh (và loại quỹ) này")
		}
		matched[i] = r
	}
	if len(ec.list) == 0 && in.AsOf.valid() {
		if mx, err := hamletMaxPaidPosts.at(in.AsOf); err == nil && hamletPosts > mx.Value {
			ec.add("/posts", "too_many_hamlet_posts",
				fmt.Sprintf("at most %d paid hamlet posts (Decree 33/2023 Art. 33)", mx.Value),
				fmt.Sprintf("tối đa %d chức danh không chuyên trách ở thôn, tổ dân phố (Điều 33 Nghị định 33/2023/NĐ-CP)", mx.Value))
		}
	}
	if err := ec.err(); err != nil {
		return AllowanceResult{Result: emptyResult()}, err
	}

	b := newBuilder()
	base, err := baseSalary.get(b, in.AsOf)
	if err != nil {
		return AllowanceResult{Result: emptyResult()}, err
	}
	if mains == 0 {
		b.warn("allowance.no_main_post")
	}
	for i, p := range in.Posts {
		r := matched[i]
		cat := ""
		if p.HamletFundCategory != "" {
			cat = " (" + p.HamletFundCategory + ")"
		}
		if !p.Concurrent {
			b.line("main_post:"+p.PositionCode,
				"Phụ cấp chức danh "+p.PositionCode+cat,
				"Allowance of post "+p.PositionCode+cat,
				fmt.Sprintf("%s × %s", fmtNum(r.Coefficient), fmtMoney(base.Value)),
				r.Coefficient.Mul(base.Value), hdndAllowanceCitation)
			continue
		}
		rate, err := concurrentRate.get(b, in.AsOf)
		if err != nil {
			return AllowanceResult{Result: emptyResult()}, err
		}
		b.line("concurrent_post:"+p.PositionCode,
			"Phụ cấp kiêm nhiệm chức danh "+p.PositionCode+cat,
			"Concurrent-post allowance of "+p.PositionCode+cat,
			fmt.Sprintf("%s%% × %s × %s", fmtNum(rate.Value), fmtNum(r.Coefficient), fmtMoney(base.Value)),
			rate.Value.Shift(-2).Mul(r.Coefficient).Mul(base.Value), rate.Citation)
	}
	res := b.result()
	return AllowanceResult{Result: res, MonthlyAllowance: res.Total}, nil
}
