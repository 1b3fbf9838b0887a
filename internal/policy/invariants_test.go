package policy

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

// resultOf extracts the embedded Result of any calculator's answer.
func resultOf(t *testing.T, v any) Result {
	t.Helper()
	switch r := v.(type) {
	case RetirementResult:
		return r.Result
	case CommuneFundResult:
		return r.Result
	case HamletFundResult:
		return r.Result
	case AllowanceResult:
		return r.Result
	case NonProfessionalExitResult:
		return r.Result
	case EarlyRetirementResult:
		return r.Result
	case ResignationResult:
		return r.Result
	case BestExitResult:
		return r.Result
	}
	t.Fatalf("unknown result type %T", v)
	return Result{}
}

// checkInvariants holds for every answer: no negative amount, the total is
// the sum of the (whole-đồng) lines, the lists marshal as [], every line
// cites an instrument, and an error is one of the package's input errors.
func checkInvariants(t *testing.T, v any, err error) {
	t.Helper()
	if err != nil {
		var ie *InputError
		var ies InputErrors
		var oor *OutOfRangeError
		if !errors.As(err, &ie) && !errors.As(err, &ies) && !errors.As(err, &oor) {
			t.Fatalf("error of unexpected type %T: %v", err, err)
		}
		return
	}
	r := resultOf(t, v)
	sum := decimal.Zero
	for _, l := range r.Lines {
		if l.Amount.IsNegative() {
			t.Fatalf("negative line %s: %s", l.Code, l.Amount)
		}
		if !l.Amount.Equal(l.Amount.Round(0)) {
			t.Fatalf("line %s not in whole đồng: %s", l.Code, l.Amount)
		}
		if l.Citation.Instrument == "" || l.Code == "" || l.LabelVI == "" || l.LabelEN == "" || l.Formula == "" {
			t.Fatalf("incomplete line %+v", l)
		}
		sum = sum.Add(l.Amount)
	}
	if r.Total.IsNegative() || !r.Total.Equal(sum) {
		t.Fatalf("total %s, sum of lines %s", r.Total, sum)
	}
	if r.Lines == nil || r.Parameters == nil || r.Warnings == nil {
		t.Fatalf("nil list in %+v", r)
	}
	if r.RulesetVersion != RulesetVersion || r.Currency != "VND" {
		t.Fatalf("ruleset %q currency %q", r.RulesetVersion, r.Currency)
	}
}

// checkDeterministic runs f twice and compares the JSON, formulas included.
func checkDeterministic(t *testing.T, f func() (any, error)) (any, error) {
	t.Helper()
	v1, err1 := f()
	v2, err2 := f()
	b1, _ := json.Marshal(v1)
	b2, _ := json.Marshal(v2)
	if string(b1) != string(b2) || (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
		t.Fatalf("not deterministic:\n%s %v\n%s %v", b1, err1, b2, err2)
	}
	checkInvariants(t, v1, err1)
	return v1, err1
}

func TestEmptyListsMarshalAsArrays(t *testing.T) {
	r, err := RetirementDate(RetirementInput{Gender: "x"})
	if err == nil {
		t.Fatal("want an error")
	}
	b, _ := json.Marshal(r)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"lines", "parameters", "warnings"} {
		if _, ok := m[k].([]any); !ok {
			t.Errorf("%s = %v, want []", k, m[k])
		}
	}
}

func TestParameters(t *testing.T) {
	if _, err := Parameters(MustDate("2013-06-30")); err == nil {
		t.Fatal("want OutOfRangeError before the first base salary")
	} else if oor := (*OutOfRangeError)(nil); !errors.As(err, &oor) || oor.Param != "base_salary" || oor.MessageVI() == "" {
		t.Fatalf("err = %v", err)
	}
	names := func(d string) map[string]string {
		ps, err := Parameters(MustDate(d))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, p := range ps {
			if p.Citation.Instrument == "" || p.Value == "" || p.From.IsZero() {
				t.Errorf("%s: incomplete %+v", d, p)
			}
			m[p.Name] = p.Value
		}
		return m
	}
	m := names("2025-03-01")
	for _, n := range []string{"base_salary", "retirement_age.male", "commune_nonprofessional_quota", "hamlet_fund_multiple",
		"non_professional_exit_policy", "decree_29_2023.non_professional", "decree_178_2024.early_retirement",
		"decree_178_2024.si_years_allowance", "pension_min_si_years"} {
		if _, ok := m[n]; !ok {
			t.Errorf("2025-03-01: %s missing", n)
		}
	}
	if m["base_salary"] != "2340000" || m["retirement_age.male"] != "61y3m" || m["retirement_age.female"] != "56y8m" {
		t.Errorf("2025-03-01: %v", m)
	}
	m = names("2025-08-01")
	if _, ok := m["commune_nonprofessional_quota"]; ok {
		t.Error("commune quota listed after 2025-08-01")
	}
	if m["non_professional_exit_policy"] != "decree_154_2025" {
		t.Errorf("exit policy on 2025-08-01 = %q", m["non_professional_exit_policy"])
	}
	if v, c, err := BaseSalary(MustDate("2026-07-01")); err != nil || v.String() != "2530000" || c.Instrument != instDecree161of2026 {
		t.Errorf("BaseSalary(2026-07-01) = %v, %v", v, err)
	}
}

func TestHamletFundCategoryMatchesHamletFund(t *testing.T) {
	in := HamletFundInput{Kind: ToDanPho, Households: 500, AsOf: MustDate("2025-03-01")}
	c, err := HamletFundCategory(in)
	if err != nil || c.Category != CategoryHigh || c.Criterion != "to_dan_pho_500_households" {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := HamletFundCategory(HamletFundInput{Kind: Thon, Households: -5}); err == nil {
		t.Fatal("want an input error")
	}
}
