package policy

import (
	"regexp"
	"strings"
	"testing"

	"communehr/internal/msg"

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

// Labels are built from the parameters: change a value and the text follows
// (no "0,8" or "60 tháng" written by hand).
func TestLabelsFollowParameters(t *testing.T) {
	saved := decree154Params.Entries
	defer func() { decree154Params.Entries = saved }()
	p := saved[0]
	p.Value.Rate, p.Value.CapMonths, p.Value.PerYear, p.Value.JobSearch = dec("0.9"), 48, dec("2.5"), dec("4")
	decree154Params.Entries = []entry[d154Params]{p}
	work := 120
	res, err := NonProfessionalExit(NonProfessionalExitInput{
		MonthlyAllowance: dec("3000000"), Level: LevelCommune, DecisionDate: MustDate("2025-07-01"),
		ExitDate: MustDate("2025-08-01"), WorkMonths: &work, Gender: Male, BirthDate: MustDate("1980-01-15"),
	})
	if err != nil {
		t.Fatal(err)
	}
	var vi, en string
	for _, l := range res.Lines {
		vi, en = vi+l.LabelVI+"\n", en+l.LabelEN+"\n"
	}
	for _, want := range []string{"0,9 mức", "× 48 tháng", "Trợ cấp 2,5 mức", "Trợ cấp 04 tháng"} {
		if !strings.Contains(vi, want) {
			t.Errorf("Vietnamese labels lack %q:\n%s", want, vi)
		}
	}
	for _, want := range []string{"0.9 ×", "× 48 months", "2.5 ×", "4 months"} {
		if !strings.Contains(en, want) {
			t.Errorf("English labels lack %q:\n%s", want, en)
		}
	}
	if got := hamletFundMultiples.Show(hamletMultiples{dec("7"), dec("5.5")}); got != "7.0 / 5.5" {
		t.Errorf("hamlet fund multiples shown as %q", got)
	}
}

// Clause 2's 15 months is cited to clause 2, not to clause 1's bundle.
func TestRetiredMonthsCitedToClause2(t *testing.T) {
	ps, err := Parameters(MustDate("2025-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Name == "decree_154_2025.retired_lump_sum_months" {
			if p.Citation.Article != "9" || p.Citation.Clause != "2" || p.Value == "" {
				t.Fatalf("%+v", p)
			}
			return
		}
	}
	t.Fatal("the 15 months of Decree 154 Art. 9 cl. 2 are not a parameter of their own")
}

// The messages that quote a number of months take it from the dated table (review finding 18): a new
// decree changing the table changes the text.
func TestMessagesQuoteTheMonthsOfTheirParameters(t *testing.T) {
	savedRetired, savedRepay := decree154RetiredMonths.Entries, decree154RepayMonths.Entries
	defer func() { decree154RetiredMonths.Entries, decree154RepayMonths.Entries = savedRetired, savedRepay }()
	r := savedRetired[0]
	r.Value = dec("18")
	decree154RetiredMonths.Entries = []entry[decimal.Decimal]{r}
	p := savedRepay[0]
	p.Value = 48
	decree154RepayMonths.Entries = []entry[int]{p}
	work := 120
	for _, level := range []Level{LevelCommune, LevelHamlet} {
		res, err := NonProfessionalExit(NonProfessionalExitInput{
			MonthlyAllowance: dec("3000000"), Level: level, DecisionDate: MustDate("2025-07-01"),
			ExitDate: MustDate("2025-08-01"), WorkMonths: &work, Gender: Male, BirthDate: MustDate("1980-01-15"),
			OnPension: true, ReemployedWithin60Months: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		vi := strings.Join(msg.RenderAll(res.Messages, msg.VI), "\n")
		en := strings.Join(msg.RenderAll(res.Messages, msg.EN), "\n")
		for _, want := range []string{"một lần 18 tháng", "trong 48 tháng"} {
			if !strings.Contains(vi, want) {
				t.Errorf("%s: Vietnamese messages lack %q:\n%s", level, want, vi)
			}
		}
		for _, want := range []string{"one-off 18 months", "within 48 months"} {
			if !strings.Contains(en, want) {
				t.Errorf("%s: English messages lack %q:\n%s", level, want, en)
			}
		}
		if level == LevelHamlet && (!strings.Contains(vi, "mức 18 tháng") || !strings.Contains(en, "18 months is the amount")) {
			t.Errorf("hamlet: the unconfirmed amount is not the table's:\n%s\n%s", vi, en)
		}
		if lit := regexp.MustCompile(`\b(15|60) (tháng|months)`).FindString(vi + en); lit != "" {
			t.Errorf("%s: a literal 15 or 60 months remains:\n%s\n%s", level, vi, en)
		}
	}
}
