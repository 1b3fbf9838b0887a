package policy

import "testing"

func TestWorkTimeBefore(t *testing.T) {
	d := MustDate
	exit := d("2025-08-01")
	cases := []struct {
		name    string
		periods []PostPeriod
		want    WorkTime
	}{
		{"one open post", []PostPeriod{{From: d("2020-08-01")}}, WorkTime{Months: 60, Periods: 1}},
		// A concurrent post inside the main one adds no time.
		{"overlap counted once", []PostPeriod{{From: d("2020-08-01")}, {From: d("2021-01-01"), Until: d("2022-12-31"), Concurrent: true}},
			WorkTime{Months: 60, Periods: 1}},
		// Given out of order, the union is the same.
		{"unordered periods", []PostPeriod{{From: d("2021-01-01"), Until: d("2022-12-31"), Concurrent: true}, {From: d("2020-08-01")}},
			WorkTime{Months: 60, Periods: 1}},
		// Two stretches with a gap: each counted in whole months, the days left over dropped.
		{"gap", []PostPeriod{{From: d("2020-01-01"), Until: d("2020-12-15")}, {From: d("2024-08-01")}},
			WorkTime{Months: 11 + 12, DaysDropped: 15, Periods: 2}},
		// Adjacent periods (a post ends, the next starts the day after) are one stretch.
		{"adjacent", []PostPeriod{{From: d("2020-08-01"), Until: d("2022-07-31")}, {From: d("2022-08-01")}},
			WorkTime{Months: 60, Periods: 1}},
		{"starts after the exit", []PostPeriod{{From: d("2025-08-01")}}, WorkTime{}},
		{"post ending after the exit is cut", []PostPeriod{{From: d("2024-08-01"), Until: d("2026-01-01")}}, WorkTime{Months: 12, Periods: 1}},
	}
	for _, c := range cases {
		if got := WorkTimeBefore(c.periods, exit); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestMainPost(t *testing.T) {
	d := MustDate
	last := d("2025-07-31")
	cases := []struct {
		name    string
		periods []PostPeriod
		want    int
	}{
		{"the non-concurrent post held that day", []PostPeriod{{From: d("2020-01-01"), Concurrent: true}, {From: d("2021-01-01")}}, 1},
		{"the first of two main posts", []PostPeriod{{From: d("2020-01-01")}, {From: d("2021-01-01")}}, 0},
		{"only a concurrent post", []PostPeriod{{From: d("2020-01-01"), Until: d("2024-12-31")}, {From: d("2021-01-01"), Concurrent: true}}, 1},
		{"a post ended the day before is not held", []PostPeriod{{From: d("2020-01-01"), Until: d("2025-07-30")}}, -1},
		{"a post ending on the last day is held", []PostPeriod{{From: d("2020-01-01"), Until: last}}, 0},
		{"a post starting on the exit date is not held", []PostPeriod{{From: d("2025-08-01")}}, -1},
	}
	for _, c := range cases {
		if got := MainPost(c.periods, last); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

func TestCentralFundShare(t *testing.T) {
	for _, on := range []string{"2023-08-01", "2025-07-31", "2025-08-01", "2027-01-01"} {
		v, c, err := CentralFundShare(MustDate(on))
		if err != nil || v.String() != "1.5" || c.Article != "34" || c.Clause != "1" {
			t.Errorf("%s: %v %+v %v", on, v, c, err)
		}
	}
	if _, _, err := CentralFundShare(MustDate("2023-07-31")); err == nil {
		t.Error("a per-person share before Decree 33")
	}
	l, err := CentralFundShareLine(MustDate("2025-07-31"), dec("2340000"))
	if err != nil || l.Amount.String() != "3510000" || l.Formula != "1.5 × 2340000" {
		t.Errorf("%+v %v", l, err)
	}
}

func TestConcurrentRate(t *testing.T) {
	f, c, err := ConcurrentRate(MustDate("2025-01-01"))
	if err != nil || f.String() != "1" || c.Article != "34" {
		t.Errorf("%v %+v %v", f, c, err)
	}
	if _, _, err := ConcurrentRate(MustDate("2023-07-31")); err == nil {
		t.Error("a concurrent rate before Decree 33")
	}
}
