package policy

import (
	"fmt"
	"time"
)

// Gender as docs/legal-basis.md §8 spells it.
type Gender string

// The two genders the Labour Code's retirement table distinguishes.
const (
	Male   Gender = "male"
	Female Gender = "female"
)

// RetirementInput is the body of POST /v1/calculations/retirement-date.
type RetirementInput struct {
	Gender    Gender `json:"gender"`
	BirthDate Date   `json:"birth_date"`
	// Reduced selects Appendix II of Decree 135/2020 (15+ years of heavy or
	// hazardous work, especially difficult areas, reduced working capacity):
	// the same roadmap 5 years lower. False: Appendix I (normal conditions).
	Reduced bool `json:"reduced,omitempty"`
}

// RetirementResult is the answer of RetirementDate.
type RetirementResult struct {
	Result
	// RetirementDate is the retirement time (thời điểm nghỉ hưu): the first
	// day of the month after the month in which the retirement age is reached.
	RetirementDate Date `json:"retirement_date"`
	RetirementAge  Age  `json:"retirement_age"`
}

// retirementTables hold the retirement-age roadmap (Labour Code 2019
// Art. 169; Decree 135/2020 Art. 4 and 5, Appendix I and II) keyed by the
// calendar year in which the age is reached; the value is the age in months.
// The first entry of each is the 2012 Labour Code's age for people who
// reached it before 2021. Order: male, female (Appendix I), then Appendix II.
var retirementTables = []*table[int]{
	roadmap("retirement_age.male", 720, 723, 3, 744,
		cite(instLabourCode2012, "187", "1"), cite(instDecree135of2020, "4", "1; Phụ lục I")),
	roadmap("retirement_age.female", 660, 664, 4, 720,
		cite(instLabourCode2012, "187", "1"), cite(instDecree135of2020, "4", "1; Phụ lục I")),
	roadmap("retirement_age.male.reduced", 660, 663, 3, 684,
		cite(instLabourCode2012, "187", "2"), cite(instDecree135of2020, "5", "1; Phụ lục II")),
	roadmap("retirement_age.female.reduced", 600, 604, 4, 660,
		cite(instLabourCode2012, "187", "2"), cite(instDecree135of2020, "5", "1; Phụ lục II")),
}

// roadmap builds a table: pre (months) for ages reached up to 2020; from
// 2021 first + step × (Y − 2021), until capAge, which then stays in force.
func roadmap(name string, pre, first, step, capAge int, preCite, c Citation) *table[int] {
	t := &table[int]{Name: name, Show: func(m int) string { return ageOfMonths(m).String() }}
	t.Entries = append(t.Entries, entry[int]{MustDate("1900-01-01"), pre, preCite})
	for y, age := 2021, first; ; y, age = y+1, age+step {
		from := Date{y, time.January, 1}
		if age >= capAge {
			t.Entries = append(t.Entries, entry[int]{from, capAge, c})
			return register(t)
		}
		t.Entries = append(t.Entries, entry[int]{from, age, c})
	}
}

func retirementTable(g Gender, reduced bool) *table[int] {
	i := 0
	if g == Female {
		i = 1
	}
	if reduced {
		i += 2
	}
	return retirementTables[i]
}

// retirementCitation: the retirement time is the end of the last day of the
// month in which the age is reached (Decree 135/2020 Art. 6); pensions and
// the decrees' "months early" run to the first day of the next month.
var retirementCitation = cite(instDecree135of2020, "6", "1")

// retirement computes the retirement time (first day of the month after the
// age is reached) and the age that applies: the age for the calendar year in
// which the person reaches it (docs/legal-basis.md §6). Only the birth month matters:
// the age is reached in that month whatever the day.
func retirement(g Gender, birth Date, reduced bool, b *builder) (Date, Age, Date, error) {
	t := retirementTable(g, reduced)
	start := birth.FirstOfMonth()
	for i, e := range t.Entries {
		reached := start.AddMonths(e.Value)
		if t.covers(i, reached) {
			// A birth date late in year 9999 reaches the age after 9999-12-31: a date no caller can
			// write as YYYY-MM-DD (the answer broke its contract), so it is out of the rules' range.
			if reached.AddMonths(1).Year > 9999 {
				break
			}
			if b != nil {
				b.param(t.use(e))
			}
			return reached.AddMonths(1), ageOfMonths(e.Value), reached, nil
		}
	}
	return Date{}, Age{}, Date{}, &OutOfRangeError{Param: t.Name, Date: birth}
}

// RetirementDate returns a person's retirement time and retirement age under
// Labour Code 2019 Art. 169 and Decree 135/2020 (Appendix I, or Appendix II
// when in.Reduced). People who reached 60 (men) or 55 (women) before 2021
// retired at that age under the 2012 Labour Code (Art. 187).
func RetirementDate(in RetirementInput) (RetirementResult, error) {
	var ec errs
	checkGender(&ec, "/gender", in.Gender)
	checkBirth(&ec, "/birth_date", in.BirthDate)
	if err := ec.err(); err != nil {
		return RetirementResult{Result: emptyResult()}, err
	}
	b := newBuilder()
	rt, age, reached, err := retirement(in.Gender, in.BirthDate, in.Reduced, b)
	if err != nil {
		return RetirementResult{Result: emptyResult()}, err
	}
	b.line("retirement_time",
		"Thời điểm nghỉ hưu: ngày đầu tháng liền kề sau tháng đủ tuổi nghỉ hưu",
		"Retirement time: first day of the month after the month the retirement age is reached",
		fmt.Sprintf("birth month %04d-%02d + %s = %04d-%02d → %s", in.BirthDate.Year, int(in.BirthDate.Month),
			age, reached.Year, int(reached.Month), rt),
		zero, retirementCitation)
	return RetirementResult{Result: b.result(), RetirementDate: rt, RetirementAge: age}, nil
}
