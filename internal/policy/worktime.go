package policy

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// PostPeriod is one stretch a person held a post: from From (the first day)
// to Until (the last day; zero while the post is still held). Concurrent
// marks a post held in addition to the main one (kiêm nhiệm).
type PostPeriod struct {
	From       Date
	Until      Date
	Concurrent bool
}

// WorkTime is the working time counted from a person's periods in post.
type WorkTime struct {
	Months      int `json:"months"`
	DaysDropped int `json:"days_dropped"`
	Periods     int `json:"periods"`
}

// end is the first day after the period, cut at exit (both exclusive).
func (p PostPeriod) end(exit Date) Date {
	if !p.Until.IsZero() {
		if e := p.Until.AddDays(1); e.Before(exit) {
			return e
		}
	}
	return exit
}

// WorkTimeBefore is the working time of Decree 154/2025 Art. 5 cl. 4–5
// (docs/legal-basis.md §3.2): the union of the periods in post before the
// exit date (the first day out), so that a post held concurrently with
// another adds no time twice, counted in whole calendar months per
// continuous stretch (MonthsBetween, docs/legal-basis.md §7); the days left
// over in each stretch are dropped and reported.
func WorkTimeBefore(periods []PostPeriod, exit Date) WorkTime {
	ps := append([]PostPeriod(nil), periods...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].From.Before(ps[j].From) })
	type span struct{ from, to Date } // to exclusive
	var spans []span
	for _, p := range ps {
		if !p.From.Before(exit) {
			continue
		}
		to := p.end(exit)
		if n := len(spans); n > 0 && !p.From.After(spans[n-1].to) {
			if to.After(spans[n-1].to) {
				spans[n-1].to = to
			}
			continue
		}
		spans = append(spans, span{p.From, to})
	}
	w := WorkTime{Periods: len(spans)}
	for _, s := range spans {
		m, d := MonthsBetween(s.from, s.to)
		w.Months += m
		w.DaysDropped += d
	}
	return w
}

// MainPost picks the post whose allowance is "the current monthly
// allowance" of Decree 154/2025 Art. 5 cl. 2 (docs/legal-basis.md §3.2): the
// main post, not a concurrent one, held on lastDay (the day before the
// exit). It returns the index in periods of the first post held that day
// that is not concurrent, else of the first concurrent one held that day, or
// -1 when no post is held then.
func MainPost(periods []PostPeriod, lastDay Date) int {
	main := -1
	exit := lastDay.AddDays(1)
	for i, p := range periods {
		if lastDay.Before(p.From) || !p.end(exit).After(lastDay) {
			continue
		}
		if main < 0 || (periods[main].Concurrent && !p.Concurrent) {
			main = i
		}
	}
	return main
}

// CentralFundShare is the centrally funded monthly share per commune-level
// non-professional worker, in base salaries (Decree 33/2023 Art. 34 cl. 1:
// the commune fund is 1.5 × base salary per person of the quota;
// docs/legal-basis.md §2.1), with its citation. The commune fund ended on
// 2025-07-31 (the table's last day); a later date reads the last value in
// force, for the workers kept on after the two-level reform. Before Decree
// 33 (2023-08-01) the fund was a lump sum per class with no per-person
// share: *OutOfRangeError.
func CentralFundShare(on Date) (decimal.Decimal, Citation, error) {
	t := communeFundPerPerson
	if !t.Until.IsZero() && on.After(t.Until) {
		on = t.Until
	}
	e, err := t.at(on)
	if err != nil {
		return decimal.Decimal{}, Citation{}, err
	}
	return e.Value, e.Citation, nil
}

// CentralFundShareLine is CentralFundShare on a date as a result line: the
// share × base, rounded to the đồng.
func CentralFundShareLine(on Date, base decimal.Decimal) (Line, error) {
	coef, c, err := CentralFundShare(on)
	if err != nil {
		return Line{}, err
	}
	return Line{Code: "central_fund_share",
		LabelVI: "Phần kinh phí ngân sách trung ương khoán cho mỗi người hoạt động không chuyên trách cấp xã",
		LabelEN: "Centrally funded share per commune-level non-professional worker",
		Formula: fmt.Sprintf("%s × %s", coef.String(), base.String()), Amount: roundDong(coef.Mul(base)),
		Citation: c}, nil
}

// ConcurrentRate is the share of a post's own allowance paid when it is held
// concurrently (Decree 33/2023 Art. 34; docs/legal-basis.md §2.2), as a
// fraction (1 for 100 %), with its citation; *OutOfRangeError before
// 2023-08-01.
func ConcurrentRate(asOf Date) (decimal.Decimal, Citation, error) {
	e, err := concurrentRate.at(asOf)
	if err != nil {
		return decimal.Decimal{}, Citation{}, err
	}
	return e.Value.Shift(-2), e.Citation, nil
}
