package policy

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// entry is one dated value of a parameter (OpenFisca-style): it holds from
// From until the day before the next entry's From. Only start dates are
// stored, so adding next year's value cannot leave an earlier one open.
type entry[T any] struct {
	From     Date
	Value    T
	Citation Citation
}

// table is a parameter: a name, how to print a value, and its dated entries
// in strictly ascending From order. The last entry holds until Until (the
// last day the rule is in force, e.g. a decree's sunset), or for good when
// Until is zero. Tables are registered by the file that defines them
// (register) and checked there: an unordered table stops the program.
type table[T any] struct {
	Name    string
	Show    func(T) string
	Entries []entry[T]
	Until   Date
}

// check reports an empty table, entries out of order or sharing a start
// date, or an Until before the last entry's start.
func (t *table[T]) check() error {
	if t.Name == "" || t.Show == nil || len(t.Entries) == 0 {
		return fmt.Errorf("parameter %q: a name, a Show function and at least one entry are required", t.Name)
	}
	for i, e := range t.Entries {
		if !e.From.valid() {
			return fmt.Errorf("parameter %q: entry %d has no valid start date", t.Name, i)
		}
		if e.Citation.Instrument == "" {
			return fmt.Errorf("parameter %q: entry %d (from %s) has no citation", t.Name, i, e.From)
		}
		if i > 0 && !e.From.After(t.Entries[i-1].From) {
			return fmt.Errorf("parameter %q: entry %d starts %s, not after entry %d (%s): entries must be in date order",
				t.Name, i, e.From, i-1, t.Entries[i-1].From)
		}
	}
	if last := t.Entries[len(t.Entries)-1].From; !t.Until.IsZero() && t.Until.Before(last) {
		return fmt.Errorf("parameter %q: ends %s, before its last entry starts (%s)", t.Name, t.Until, last)
	}
	return nil
}

// registry is every parameter, in registration order (GET /v1/parameters).
var registry []lister

// register checks t and adds it to the registry; each decree file registers
// its own tables as package variables (var x = register(&table[T]{…})).
func register[T any](t *table[T]) *table[T] {
	if err := t.check(); err != nil {
		panic(err)
	}
	registry = append(registry, t)
	return t
}

// span is the first and last day entry i holds (a zero last day: for good).
func (t *table[T]) span(i int) (from, until Date) {
	if i+1 < len(t.Entries) {
		return t.Entries[i].From, t.Entries[i+1].From.AddDays(-1)
	}
	return t.Entries[i].From, t.Until
}

// covers reports whether entry i is the one in force on d.
func (t *table[T]) covers(i int, d Date) bool {
	from, until := t.span(i)
	return !d.Before(from) && (until.IsZero() || !d.After(until))
}

// at returns the entry in force on d (the last one starting on or before d,
// unless d is after Until), or *OutOfRangeError naming the parameter and the
// date — never a silent zero.
func (t *table[T]) at(d Date) (entry[T], error) {
	for i := len(t.Entries) - 1; i >= 0; i-- {
		if t.covers(i, d) {
			return t.Entries[i], nil
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
	check() error
	name() string
}

func (t *table[T]) name() string { return t.Name }

func showDec(d decimal.Decimal) string { return d.String() }

// baseSalary is the mức lương cơ sở (docs/legal-basis.md §1), the unit every allowance
// multiple is expressed in; each value is set by Art. 3 cl. 2 of its decree.
// docs/legal-basis.md lists 1,150,000 (2013) then 1,390,000 (2018); the two values in
// between are in force law and are included so that no date falls on a wrong
// amount: 1,210,000 from 2016-05-01 (Decree 47/2016/NĐ-CP Art. 3 cl. 2) and
// 1,300,000 from 2017-07-01 (Decree 47/2017/NĐ-CP Art. 3 cl. 2).
var baseSalary = register(&table[decimal.Decimal]{
	Name: "base_salary",
	Show: showDec,
	Entries: []entry[decimal.Decimal]{
		{MustDate("2013-07-01"), dec("1150000"), cite(instDecree66of2013, "3", "2")},
		{MustDate("2016-05-01"), dec("1210000"), cite(instDecree47of2016, "3", "2")},
		{MustDate("2017-07-01"), dec("1300000"), cite(instDecree47of2017, "3", "2")},
		{MustDate("2018-07-01"), dec("1390000"), cite(instDecree72of2018, "3", "2")},
		{MustDate("2019-07-01"), dec("1490000"), cite(instDecree38of2019, "3", "2")},
		{MustDate("2023-07-01"), dec("1800000"), cite(instDecree24of2023, "3", "2")},
		{MustDate("2024-07-01"), dec("2340000"), cite(instDecree73of2024, "3", "2")},
		// docs/legal-basis.md §1; article/clause by the pattern of every earlier
		// base-salary decree (unconfirmed; docs/legal-basis.md: Decree 161/2026 Art. 3 cl. 2).
		{MustDate("2026-07-01"), dec("2530000"), cite(instDecree161of2026, "3", "2")},
	},
})

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
// citation (GET /v1/parameters), by name. A date before the first base salary is an
// *OutOfRangeError; other parameters not in force on asOf are left out.
func Parameters(asOf Date) ([]ParamUse, error) {
	if _, err := baseSalary.at(asOf); err != nil {
		return nil, err
	}
	out := []ParamUse{}
	for _, t := range registry {
		if p, ok := t.inForce(asOf); ok {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
