package policy

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// HamletKind is a rural hamlet (thôn) or an urban residential group (tổ dân
// phố).
type HamletKind string

// The two hamlet kinds.
const (
	Thon     HamletKind = "thon"
	ToDanPho HamletKind = "to_dan_pho"
)

// The two fund categories, as the API spells them.
const (
	CategoryHigh = "6.0"
	CategoryLow  = "4.5"
)

// HamletFundInput is the body of POST /v1/calculations/hamlet-fund.
type HamletFundInput struct {
	Kind             HamletKind `json:"kind"`
	Households       int        `json:"households"`
	KeySecurityOrder bool       `json:"key_security_order"`
	BorderOrIsland   bool       `json:"border_or_island"`
	// ConvertedFromThon: a tổ dân phố that was a thôn before an urban
	// commune-level unit was formed.
	ConvertedFromThon bool `json:"converted_from_thon"`
	AsOf              Date `json:"as_of"`
}

// HamletCategory is a hamlet's fund category and the criterion that put it
// there.
type HamletCategory struct {
	Category  string   `json:"category"`  // "6.0" | "4.5"
	Criterion string   `json:"criterion"` // machine code, e.g. "thon_350_households"
	LabelVI   string   `json:"label_vi"`
	LabelEN   string   `json:"label_en"`
	Citation  Citation `json:"citation"`
	multiple  decimal.Decimal
}

// HamletFundResult is the answer of HamletFund.
type HamletFundResult struct {
	Result
	Category    string          `json:"category"`
	Criterion   string          `json:"criterion"`
	MonthlyFund decimal.Decimal `json:"monthly_fund"`
}

func checkHamlet(in HamletFundInput) error {
	var ec errs
	if in.Kind != Thon && in.Kind != ToDanPho {
		ec.add("/kind", "unknown_kind", `kind must be "thon" or "to_dan_pho"`, `loại phải là "thon" hoặc "to_dan_pho"`)
	}
	checkNonNeg(&ec, "/households", in.Households)
	checkDate(&ec, "/as_of", in.AsOf, true)
	return ec.err()
}

// HamletFundCategory classifies a hamlet under Decree 33 Art. 34 cl. 2 on
// in.AsOf (required: the thresholds are dated). The first criterion that
// matches, in the decree's order, is reported:
//   - thôn with ≥ 350 households;
//   - tổ dân phố with ≥ 500 households;
//   - tổ dân phố converted from a thôn of ≥ 350 households when an urban
//     commune-level unit was formed (docs/legal-basis.md §2.2 shows it in the Hanoi
//     example only; the research notes found it in the decree itself, Art. 34
//     cl. 2 pt. a: "Trường hợp thôn có từ 350 hộ gia đình trở lên chuyển
//     thành tổ dân phố ... thì được giữ mức khoán quỹ ... 6,0 lần");
//   - a commune designated key/complex in security and order;
//   - a commune in a border or island area;
//
// otherwise "standard" (4.5).
func HamletFundCategory(in HamletFundInput) (HamletCategory, error) {
	if err := checkHamlet(in); err != nil {
		return HamletCategory{}, err
	}
	return hamletCategory(in, nil)
}

func hamletCategory(in HamletFundInput, b *builder) (HamletCategory, error) {
	th, err := hamletThresholds.get(b, in.AsOf)
	if err != nil {
		return HamletCategory{}, err
	}
	m, err := hamletFundMultiples.get(b, in.AsOf)
	if err != nil {
		return HamletCategory{}, err
	}
	high := func(code, vi, en string) HamletCategory {
		c := m.Citation
		c.Clause = "2(a)"
		return HamletCategory{CategoryHigh, code, vi, en, c, m.Value.High}
	}
	switch {
	case in.Kind == Thon && in.Households >= th.Value.Thon:
		return high("thon_350_households",
			fmt.Sprintf("Thôn có từ %d hộ gia đình trở lên (%d hộ)", th.Value.Thon, in.Households),
			fmt.Sprintf("Rural hamlet with %d households or more (%d)", th.Value.Thon, in.Households)), nil
	case in.Kind == ToDanPho && in.Households >= th.Value.ToDanPho:
		return high("to_dan_pho_500_households",
			fmt.Sprintf("Tổ dân phố có từ %d hộ gia đình trở lên (%d hộ)", th.Value.ToDanPho, in.Households),
			fmt.Sprintf("Residential group with %d households or more (%d)", th.Value.ToDanPho, in.Households)), nil
	case in.Kind == ToDanPho && in.ConvertedFromThon && in.Households >= th.Value.Thon:
		return high("to_dan_pho_converted_from_thon_350_households",
			fmt.Sprintf("Tổ dân phố chuyển từ thôn, có từ %d hộ gia đình trở lên (%d hộ)", th.Value.Thon, in.Households),
			fmt.Sprintf("Residential group converted from a rural hamlet, %d households or more (%d)", th.Value.Thon, in.Households)), nil
	case in.KeySecurityOrder:
		return high("key_security_order_commune",
			"Thuộc xã trọng điểm, phức tạp về an ninh, trật tự",
			"In a commune designated key or complex in security and order"), nil
	case in.BorderOrIsland:
		return high("border_or_island_commune",
			"Thuộc xã ở khu vực biên giới, hải đảo",
			"In a commune of a border or island area"), nil
	}
	c := m.Citation
	c.Clause = "2(b)"
	return HamletCategory{CategoryLow, "standard", "Thôn, tổ dân phố còn lại", "Other hamlets and residential groups",
		c, m.Value.Low}, nil
}

// HamletFund returns a hamlet's category, the criterion that matched and the
// monthly lump-sum allowance fund for its (at most 3) paid posts: 6.0 or 4.5
// × the base salary in force on in.AsOf (Decree 33 Art. 34 cl. 2).
func HamletFund(in HamletFundInput) (HamletFundResult, error) {
	if err := checkHamlet(in); err != nil {
		return HamletFundResult{Result: emptyResult()}, err
	}
	b := newBuilder()
	c, err := hamletCategory(in, b)
	if err != nil {
		return HamletFundResult{Result: emptyResult()}, err
	}
	base, err := baseSalary.get(b, in.AsOf)
	if err != nil {
		return HamletFundResult{Result: emptyResult()}, err
	}
	b.line("hamlet_fund",
		"Quỹ phụ cấp thôn, tổ dân phố — "+c.LabelVI,
		"Hamlet allowance fund — "+c.LabelEN,
		fmt.Sprintf("%s × %s", c.multiple.StringFixed(1), fmtMoney(base.Value)),
		c.multiple.Mul(base.Value), c.Citation)
	r := b.result()
	return HamletFundResult{Result: r, Category: c.Category, Criterion: c.Criterion, MonthlyFund: r.Total}, nil
}

// HamletFundNotInForce is a hamlet's classification on a day before any hamlet fund rule is in force
// (the first is Decree 33/2023 Art. 34 cl. 2, from d33Start): no category — the hamlet has no fund to
// classify — and a criterion saying from when the rule applies. A read of a hamlet as of such a day
// answers the hamlet with this instead of refusing the date (issue 11: every read "as of D").
func HamletFundNotInForce(asOf Date) HamletCategory {
	first := hamletFundMultiples.Entries[0]
	return HamletCategory{Criterion: "not_in_force",
		LabelVI: fmt.Sprintf("Ngày %s chưa có quy định về quỹ phụ cấp thôn, tổ dân phố; quy định áp dụng từ ngày %s",
			asOf.t().Format("02/01/2006"), first.From.t().Format("02/01/2006")),
		LabelEN:  fmt.Sprintf("No hamlet fund rule is in force on %s; the rule applies from %s", asOf, first.From),
		Citation: first.Citation}
}
