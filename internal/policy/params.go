package policy

import (
	"github.com/shopspring/decimal"
)

// entry is one dated value of a parameter (OpenFisca-style):
// it applies from From to Until, both inclusive; a zero Until is open-ended.
type entry[T any] struct {
	From, Until Date
	Value       T
	Citation    Citation
}

func (e entry[T]) covers(d Date) bool {
	return !d.Before(e.From) && (e.Until.IsZero() || !d.After(e.Until))
}

// table is a parameter: a name, how to print a value, and its dated entries
// (non-overlapping, in date order).
type table[T any] struct {
	Name    string
	Show    func(T) string
	Entries []entry[T]
}

// at returns the entry in force on d, or *OutOfRangeError naming the
// parameter and the date — never a silent zero.
func (t *table[T]) at(d Date) (entry[T], error) {
	for _, e := range t.Entries {
		if e.covers(d) {
			return e, nil
		}
	}
	return entry[T]{}, &OutOfRangeError{Param: t.Name, Date: d}
}

func (t *table[T]) use(e entry[T]) ParamUse {
	return ParamUse{Name: t.Name, Value: t.Show(e.Value), From: e.From, Citation: e.Citation}
}

// get looks the parameter up on d and records its use in b.
func (t *table[T]) get(b *builder, d Date) (entry[T], error) {
	e, err := t.at(d)
	if err == nil && b != nil {
		b.param(t.use(e))
	}
	return e, err
}

func (t *table[T]) inForce(d Date) (ParamUse, bool) {
	e, err := t.at(d)
	if err != nil {
		return ParamUse{}, false
	}
	return t.use(e), true
}

type lister interface {
	inForce(d Date) (ParamUse, bool)
}

func showDec(d decimal.Decimal) string { return d.String() }

// baseSalary is the mức lương cơ sở (docs/legal-basis.md §1), the unit every allowance
// multiple is expressed in; each value is set by Art. 3 cl. 2 of its decree.
// docs/legal-basis.md lists 1,150,000 (2013) then 1,390,000 (2018); the two values in
// between are in force law and are included so that no date falls on a wrong
// amount: 1,210,000 from 2016-05-01 (Decree 47/2016/NĐ-CP Art. 3 cl. 2) and
// 1,300,000 from 2017-07-01 (Decree 47/2017/NĐ-CP Art. 3 cl. 2).
var baseSalary = table[decimal.Decimal]{
	Name: "base_salary",
	Show: showDec,
	Entries: []entry[decimal.Decimal]{
		{MustDate("2013-07-01"), MustDate("2016-04-30"), dec("1150000"), cite(instDecree66of2013, "3", "2")},
		{MustDate("2016-05-01"), MustDate("2017-06-30"), dec("1210000"), cite(instDecree47of2016, "3", "2")},
		{MustDate("2017-07-01"), MustDate("2018-06-30"), dec("1300000"), cite(instDecree47of2017, "3", "2")},
		{MustDate("2018-07-01"), MustDate("2019-06-30"), dec("1390000"), cite(instDecree72of2018, "3", "2")},
		{MustDate("2019-07-01"), MustDate("2023-06-30"), dec("1490000"), cite(instDecree38of2019, "3", "2")},
		{MustDate("2023-07-01"), MustDate("2024-06-30"), dec("1800000"), cite(instDecree24of2023, "3", "2")},
		{MustDate("2024-07-01"), MustDate("2026-06-30"), dec("2340000"), cite(instDecree73of2024, "3", "2")},
		// docs/legal-basis.md §1; article/clause by the pattern of every earlier
		// base-salary decree (unconfirmed; docs/legal-basis.md: Decree 161/2026 Art. 3 cl. 2).
		{MustDate("2026-07-01"), Date{}, dec("2530000"), cite(instDecree161of2026, "3", "2")},
	},
}

// BaseSalary returns the base salary in force on asOf and its citation, or
// *OutOfRangeError before 2013-07-01.
func BaseSalary(asOf Date) (decimal.Decimal, Citation, error) {
	e, err := baseSalary.at(asOf)
	if err != nil {
		return decimal.Decimal{}, Citation{}, err
	}
	return e.Value, e.Citation, nil
}

// Parameters lists every parameter in force on asOf with its value and
// citation (GET /v1/parameters). A date before the first base salary is an
// *OutOfRangeError; other parameters not in force on asOf are left out.
func Parameters(asOf Date) ([]ParamUse, error) {
	if _, err := baseSalary.at(asOf); err != nil {
		return nil, err
	}
	out := []ParamUse{}
	for _, t := range allTables() {
		if p, ok := t.inForce(asOf); ok {
			out = append(out, p)
		}
	}
	return out, nil
}

func allTables() []lister {
	ts := []lister{&baseSalary}
	for _, t := range retirementTables {
		ts = append(ts, t)
	}
	return append(ts,
		&communeQuota, &communeFund92, &communeFundPerPerson, &adminUnitStandards, &hamletFundMultiples, &hamletThresholds, &hamletMaxPaidPosts,
		&concurrentRate, &nonProfessionalExitPolicies, &decree29Params, &decree154Params, &decree154Art9Window,
		&d178Availability, &d178MergedUnits, &d178EarlyRetirement, &d178Resignation, &siYearsAllowance, &pensionMinSIYears,
		&d154EarlyRetirement, &d154Resignation, &d154Recalculation)
}
