package reorg

import (
	"testing"

	"github.com/shopspring/decimal"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// Hamlets alike are computed once, and the funds are still each hamlet's: by category, the count and the
// sum of policy.HamletFund over every hamlet (alike or not, with a bad kind that has no fund).
func TestHamletFundsCountEveryHamlet(t *testing.T) {
	yes := true
	var hs []store.ReorgHamlet
	for i, h := range []store.ReportHamlet{
		{Kind: "thon", Households: 120}, {Kind: "thon", Households: 120}, {Kind: "thon", Households: 400},
		{Kind: "to_dan_pho", Households: 520}, {Kind: "to_dan_pho", Households: 120, ConvertedFromThon: true},
		{Kind: "thon", Households: 120, KeySecurityOrder: true}, {Kind: "thon", Households: 120, BorderOrIsland: &yes},
		{Kind: "thon", Households: 120}, {Kind: "nha", Households: 10},
	} {
		hs = append(hs, store.ReorgHamlet{ReportHamlet: h, CommuneBorder: i == 7})
	}
	for _, on := range []policy.Date{policy.NewDate(2025, 6, 30), policy.NewDate(2024, 7, 1)} {
		var f Funds
		(&planner{}).hamletFunds(&f, hs, on)
		want := map[string]FundLine{}
		total := decimal.Zero
		for _, h := range hs {
			in := policy.HamletFundInput{Kind: policy.HamletKind(h.Kind), Households: h.Households, KeySecurityOrder: h.KeySecurityOrder,
				BorderOrIsland: h.CommuneBorder || h.CommuneIsland, ConvertedFromThon: h.ConvertedFromThon, AsOf: on}
			if h.BorderOrIsland != nil {
				in.BorderOrIsland = *h.BorderOrIsland
			}
			res, err := policy.HamletFund(in)
			if err != nil {
				continue
			}
			l := want[res.Category]
			sum := res.MonthlyFund
			if l.MonthlyFund != nil {
				sum = sum.Add(*l.MonthlyFund)
			}
			want[res.Category] = FundLine{Category: res.Category, Units: l.Units + 1, MonthlyFund: &sum}
			total = total.Add(res.MonthlyFund)
		}
		if len(f.Hamlets) != len(want) || !f.HamletFund.Equal(total) || len(want) != 2 {
			t.Fatalf("%s: lines %+v total %s, want %+v total %s", on, f.Hamlets, f.HamletFund, want, total)
		}
		for _, l := range f.Hamlets {
			if w := want[l.Category]; l.Units != w.Units || !l.MonthlyFund.Equal(*w.MonthlyFund) {
				t.Errorf("%s: category %s: %d hamlets %s, want %d %s", on, l.Category, l.Units, l.MonthlyFund, w.Units, w.MonthlyFund)
			}
		}
	}
}
