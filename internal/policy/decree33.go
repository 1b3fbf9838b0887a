package policy

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
)

// Decree 33/2023/NĐ-CP (in force 2023-08-01): commune-level and hamlet
// non-professional posts, their quotas and the centrally funded allowance
// funds (docs/legal-basis.md §2).
//
// Citations, as confirmed in reproductions of the decree (docs/legal-basis.md
// §2): the commune fund is Art. 34
// cl. 1, which states it per class (21.0 / 18.0 / 15.0 × base salary, social
// and health insurance support included — 1.5 per person of the quota); the
// hamlet fund is Art. 34 cl. 2 (pt. a 6.0, pt. b 4.5); the HĐND sets each
// post's allowance under Art. 34 cl. 3; at most 3 paid hamlet posts is
// Art. 33 cl. 6. The quota 14/12/10 is Art. 33 (clause 1 per docs/legal-basis.md; the
// clause number was not seen in the text). The concurrent-post 100 % rule
// was not found in the text (unconfirmed; docs/legal-basis.md: its clause is left blank).

var (
	d33Start       = MustDate("2023-08-01")
	d33CommuneEnds = MustDate("2025-07-31") // commune-level KCT posts ended 2025-08-01 (docs/legal-basis.md §2.1)
)

// communeQuota is the number of commune-level non-professional workers by
// commune class 1, 2, 3 (Decree 33 Art. 33 cl. 1).
//
// Before Decree 33 (corner 9): Decree 92/2009/NĐ-CP as amended by Decree
// 34/2019/NĐ-CP (in force 2019-06-25) set the same maxima — class 1: 14,
// class 2: 12, class 3: 10 (lawnet.vn "From June 25, 2019, officially reduce
// the number of commune-level officials", quoting Decree 34/2019; "current
// is 22/20/19" before it).
var communeQuota = register(&table[[3]int]{
	Name:  "commune_nonprofessional_quota",
	Show:  func(q [3]int) string { return fmt.Sprintf("class 1: %d, class 2: %d, class 3: %d", q[0], q[1], q[2]) },
	Until: d33CommuneEnds,
	Entries: []entry[[3]int]{
		{d92Start, [3]int{14, 12, 10}, cite(instDecree92of2009, "13", "1")},
		{d33Start, [3]int{14, 12, 10}, cite(instDecree33of2023, "33", "1")},
	},
})

// d92Start is the day Decree 34/2019/NĐ-CP took effect, amending Decree
// 92/2009/NĐ-CP's quota and fund of commune-level non-professional workers.
var d92Start = MustDate("2019-06-25")

// communeFund92 is the central lump-sum fund per commune class from
// 2019-06-25 to 2023-07-31, in base salaries, social and health insurance
// included: class 1: 16.0, class 2: 13.7, class 3: 11.4 (Decree 92/2009
// Art. 14 as amended by Decree 34/2019 Art. 2 cl. 5 — lawnet.vn "Increase in
// allowances for non-specialized personnel … from August 1: by how much?";
// vietnam.vn "Tăng phụ cấp với người hoạt động không chuyên trách cấp xã từ
// ngày 1/8/2023", which sets them beside Decree 33's 21.0/18.0/15.0). The
// amount is the multiple × the base salary of the day (corner 9).
var communeFund92 = register(&table[[3]decimal.Decimal]{
	Name: "commune_fund_multiple_by_class",
	Show: func(m [3]decimal.Decimal) string {
		return fmt.Sprintf("class 1: %s, class 2: %s, class 3: %s", m[0].StringFixed(1), m[1].StringFixed(1), m[2].StringFixed(1))
	},
	Until: d33Start.AddDays(-1),
	Entries: []entry[[3]decimal.Decimal]{
		{d92Start, [3]decimal.Decimal{dec("16.0"), dec("13.7"), dec("11.4")}, cite(instDecree92of2009, "14", "1")},
	},
})

// communeFundPerPerson is the central lump-sum fund per person of the
// quota, in base salaries, social and health insurance included. Decree 33
// Art. 34 cl. 1 states the fund per class — class I 21.0, class II 18.0,
// class III 15.0 × base salary — which is exactly 1.5 × the quota of each
// class; the 1.5 per extra person of the increments is the clause's tail
// (unconfirmed; docs/legal-basis.md: tail not seen verbatim).
var communeFundPerPerson = register(&table[decimal.Decimal]{
	Name:  "commune_fund_multiple_per_person",
	Show:  showDec,
	Until: d33CommuneEnds,
	Entries: []entry[decimal.Decimal]{
		{d33Start, dec("1.5"), cite(instDecree33of2023, "34", "1")},
	},
})

type hamletMultiples struct{ High, Low decimal.Decimal }

// hamletFundMultiples is the monthly fund per hamlet/residential group in
// base salaries: 6.0 for the listed hamlets, 4.5 for the others.
var hamletFundMultiples = register(&table[hamletMultiples]{
	Name: "hamlet_fund_multiple",
	Show: func(m hamletMultiples) string { return m.High.StringFixed(1) + " / " + m.Low.StringFixed(1) },
	Entries: []entry[hamletMultiples]{
		{d33Start, hamletMultiples{dec("6.0"), dec("4.5")}, cite(instDecree33of2023, "34", "2")},
	},
})

type householdThresholds struct{ Thon, ToDanPho int }

// hamletThresholds: a thôn of ≥ 350 households, a tổ dân phố of ≥ 500, gets
// the 6.0 fund (Decree 33 Art. 34 cl. 2(a)).
var hamletThresholds = register(&table[householdThresholds]{
	Name: "hamlet_fund_household_thresholds",
	Show: func(h householdThresholds) string {
		return fmt.Sprintf("thon: %d, to_dan_pho: %d", h.Thon, h.ToDanPho)
	},
	Entries: []entry[householdThresholds]{
		{d33Start, householdThresholds{350, 500}, cite(instDecree33of2023, "34", "2")},
	},
})

// hamletMaxPaidPosts: at most 3 paid non-professional posts per hamlet.
var hamletMaxPaidPosts = register(&table[int]{
	Name:    "hamlet_max_paid_posts",
	Show:    strconv.Itoa,
	Entries: []entry[int]{{d33Start, 3, cite(instDecree33of2023, "33", "6")}},
})

// concurrentRate: a concurrent post is paid 100 % of its own allowance.
var concurrentRate = register(&table[decimal.Decimal]{
	Name:    "concurrent_post_rate",
	Show:    func(d decimal.Decimal) string { return d.String() + "%" },
	Entries: []entry[decimal.Decimal]{{d33Start, dec("100"), cite(instDecree33of2023, "34", "")}},
})

var hdndAllowanceCitation = cite(instDecree33of2023, "34", "3")

// CommuneFundInput is the body of POST /v1/calculations/commune-fund.
type CommuneFundInput struct {
	Class int  `json:"class"`
	AsOf  Date `json:"as_of"`
	// Kind, Population, AreaKm2, Mountainous and WardOfUrbanDistrict drive the
	// increments of Decree 33 Art. 33 cl. 2 (increments.go); all optional.
	Kind                string           `json:"kind,omitempty"`
	Population          *int             `json:"population,omitempty"`
	AreaKm2             *decimal.Decimal `json:"area_km2,omitempty"`
	Mountainous         bool             `json:"mountainous,omitempty"`
	WardOfUrbanDistrict bool             `json:"ward_of_urban_district,omitempty"`
}

// CommuneFundResult is the answer of CommuneFund.
type CommuneFundResult struct {
	Result
	Quota       int             `json:"quota"`
	MonthlyFund decimal.Decimal `json:"monthly_fund"`
	// QuotaIncrement is how many workers population and area add (included
	// in Quota); 0 when none or not computed.
	QuotaIncrement int `json:"quota_increment"`
}

// CommuneFund returns a commune's quota of non-professional workers (Decree
// 33 Art. 33 cl. 1) and the monthly lump-sum fund of 1.5 × base salary per
// person of the quota (Art. 34 cl. 1). Only for dates from 2023-08-01 to
// 2025-07-31: commune-level non-professional posts ended on 2025-08-01.
//
// The population/area increments of Art. 33 cl. 2 are not applied: their
// standards (the administrative-unit classification's population and area
// per class) are not confirmed (unconfirmed; docs/legal-basis.md), so the result warns.
func CommuneFund(in CommuneFundInput) (CommuneFundResult, error) {
	var ec errs
	if in.Class < 1 || in.Class > 3 {
		ec.add("/class", "invalid_class", "class must be 1, 2 or 3", "loại đơn vị hành chính phải là 1, 2 hoặc 3")
	}
	checkUnitInputs(&ec, in)
	if checkDate(&ec, "/as_of", in.AsOf, true) && (in.AsOf.Before(d92Start) || in.AsOf.After(d33CommuneEnds)) {
		ec.add("/as_of", "not_in_force",
			"the commune-level non-professional quota and fund can be computed from 2019-06-25 (Decree 92/2009 as amended by Decree 34/2019) to 2025-07-31; commune-level non-professional posts ended on 2025-08-01",
			"định mức và quỹ phụ cấp người hoạt động không chuyên trách cấp xã được tính từ 25/6/2019 (Nghị định 92/2009/NĐ-CP sửa đổi bởi Nghị định 34/2019/NĐ-CP) đến 31/7/2025; chức danh không chuyên trách cấp xã chấm dứt từ 01/8/2025")
	}
	if err := ec.err(); err != nil {
		return CommuneFundResult{Result: emptyResult()}, err
	}
	b := newBuilder()
	if in.AsOf.Before(d33Start) {
		return communeFundDecree92(in, b)
	}
	q, err := communeQuota.get(b, in.AsOf)
	if err != nil {
		return CommuneFundResult{Result: emptyResult()}, err
	}
	per, err := communeFundPerPerson.get(b, in.AsOf)
	if err != nil {
		return CommuneFundResult{Result: emptyResult()}, err
	}
	base, err := baseSalary.get(b, in.AsOf)
	if err != nil {
		return CommuneFundResult{Result: emptyResult()}, err
	}
	quota := q.Value[in.Class-1]
	b.line("commune_fund",
		fmt.Sprintf("Quỹ phụ cấp người hoạt động không chuyên trách cấp xã loại %d (%d người × 1,5 lần mức lương cơ sở)", in.Class, quota),
		fmt.Sprintf("Commune non-professional allowance fund, class %d (%d people × 1.5 base salaries)", in.Class, quota),
		fmt.Sprintf("%s × %s (= %d people × %s)", decInt(quota).Mul(per.Value).StringFixed(1), fmtMoney(base.Value), quota, fmtNum(per.Value)),
		decInt(quota).Mul(per.Value).Mul(base.Value), per.Citation)
	pop, area, ok := quotaIncrements(b, in)
	if !ok {
		b.warn("d33.increments_not_applied")
	} else if pop+area > 0 {
		incrementLine(b, pop, area, per.Value, base.Value)
	}
	r := b.result()
	return CommuneFundResult{Result: r, Quota: quota + pop + area, MonthlyFund: r.Total, QuotaIncrement: pop + area}, nil
}

// communeFundDecree92 is the fund from 2019-06-25 to 2023-07-31: a multiple
// of the base salary per commune class, not per person (corner 9).
func communeFundDecree92(in CommuneFundInput, b *builder) (CommuneFundResult, error) {
	q, err := communeQuota.get(b, in.AsOf)
	if err != nil {
		return CommuneFundResult{Result: emptyResult()}, err
	}
	m, err := communeFund92.get(b, in.AsOf)
	if err != nil {
		return CommuneFundResult{Result: emptyResult()}, err
	}
	base, err := baseSalary.get(b, in.AsOf)
	if err != nil {
		return CommuneFundResult{Result: emptyResult()}, err
	}
	k := m.Value[in.Class-1]
	b.line("commune_fund",
		fmt.Sprintf("Quỹ phụ cấp người hoạt động không chuyên trách cấp xã loại %d (%s lần mức lương cơ sở)", in.Class, k.StringFixed(1)),
		fmt.Sprintf("Commune non-professional allowance fund, class %d (%s base salaries)", in.Class, k.StringFixed(1)),
		fmt.Sprintf("%s × %s", k.StringFixed(1), fmtMoney(base.Value)),
		k.Mul(base.Value), m.Citation)
	r := b.result()
	return CommuneFundResult{Result: r, Quota: q.Value[in.Class-1], MonthlyFund: r.Total}, nil
}
