package policy

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// Every registered parameter is ordered, cited and non-empty (register
// already panics otherwise; this names the table when one is wrong).
func TestRegisteredTablesAreOrdered(t *testing.T) {
	if len(registry) < 20 {
		t.Fatalf("only %d parameters registered", len(registry))
	}
	seen := map[string]bool{}
	for _, l := range registry {
		if err := l.check(); err != nil {
			t.Error(err)
		}
		if seen[l.name()] {
			t.Errorf("parameter %q registered twice", l.name())
		}
		seen[l.name()] = true
	}
}

func TestCheckRefusesBadTables(t *testing.T) {
	c := cite(instDecree161of2026, "3", "2")
	cases := map[string]table[int]{
		"entries must be in date order": {Name: "x", Show: func(int) string { return "" }, Entries: []entry[int]{
			{MustDate("2027-07-01"), 2, c}, {MustDate("2026-07-01"), 1, c}}},
		"not after entry": {Name: "x", Show: func(int) string { return "" }, Entries: []entry[int]{
			{MustDate("2026-07-01"), 1, c}, {MustDate("2026-07-01"), 2, c}}},
		"before its last entry starts": {Name: "x", Show: func(int) string { return "" }, Until: MustDate("2026-06-30"),
			Entries: []entry[int]{{MustDate("2026-07-01"), 1, c}}},
		"no citation":        {Name: "x", Show: func(int) string { return "" }, Entries: []entry[int]{{MustDate("2026-07-01"), 1, Citation{}}}},
		"at least one entry": {Name: "x", Show: func(int) string { return "" }},
	}
	for want, tb := range cases {
		err := tb.check()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: check() = %v", want, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("register accepted an unordered table")
		}
	}()
	bad := cases["entries must be in date order"]
	register(&bad)
}

// Next year's decree is one appended entry: the 2026 value stops the day
// before without being closed by hand.
func TestAppendedEntryEndsThePreviousOne(t *testing.T) {
	next := *baseSalary
	next.Entries = append(append([]entry[decimal.Decimal]{}, baseSalary.Entries...),
		entry[decimal.Decimal]{MustDate("2027-07-01"), dec("2700000"), cite("Nghị định X/2027/NĐ-CP", "3", "2")})
	if err := next.check(); err != nil {
		t.Fatal(err)
	}
	for d, want := range map[string]string{"2027-06-30": "2530000", "2027-07-01": "2700000", "2026-07-01": "2530000", "2026-06-30": "2340000"} {
		e, err := next.at(MustDate(d))
		if err != nil || e.Value.String() != want {
			t.Errorf("on %s: %v, %v; want %s", d, e.Value, err, want)
		}
	}
}

// A table with an end date answers out of range the day after.
func TestTableUntil(t *testing.T) {
	if _, err := decree154Params.at(d154Ends); err != nil {
		t.Fatal(err)
	}
	if _, err := decree154Params.at(d154Ends.AddDays(1)); err == nil {
		t.Fatal("Decree 154 answered after its last day")
	}
	if _, err := baseSalary.at(MustDate("2013-06-30")); err == nil {
		t.Fatal("base salary answered before its first entry")
	}
}
