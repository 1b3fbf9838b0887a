package api

import (
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
)

// Issue 11 item 1, one level down: a hamlets file row whose period does not overlap the recorded hamlet
// of its code is another hamlet, never an update — it is refused on the line and the date that misses,
// naming both periods, in the reader's language, and the recorded hamlet keeps its life. A row whose
// period overlaps the recorded one still updates it.
func TestAHamletRowOfAnotherPeriodIsNotAnUpdate(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	for _, f := range ruleFixtures[:2] {
		mustSucceed(t, importJob(t, e.upload(ed, "kind="+f.kind, []byte(f.csv))))
	}
	for _, c := range []struct{ lang, row, column, recorded, given string }{
		{"vi", "00100-02,00100,Thôn Hai Mới,thon,150,,2025-07-01,,\n", "effective_from", "2020-01-01 đến 2025-06-30", "từ 2025-07-01"},
		{"en", "00100-02,00100,Thôn Hai Mới,thon,150,,2026-01-01,2026-12-31,\n", "effective_from", "2020-01-01..2025-06-30", "2026-01-01..2026-12-31"},
	} {
		j := importJob(t, e.upload(ed, "kind=hamlets", []byte(hamletHeader+c.row), "Accept-Language", c.lang))
		if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Line != 2 || j.Errors[0].Column != c.column {
			t.Fatalf("%s: %+v", c.lang, j)
		}
		m := j.Errors[0].Message
		if !strings.Contains(m, c.recorded) || !strings.Contains(m, c.given) {
			t.Errorf("%s: the message does not name both periods: %q", c.lang, m)
		}
		if bad := msgcheck.DeveloperText(m); bad != "" {
			t.Errorf("%s: developer text %q in %q", c.lang, bad, m)
		}
	}
	var name, from string
	if err := e.admin.QueryRow(t.Context(), `SELECT name, effective_from::text FROM hamlets WHERE code = '00100-02'`).Scan(&name, &from); err != nil ||
		name != "Thôn Hai" || from != "2020-01-01" {
		t.Fatalf("the recorded hamlet changed: %s from %s (%v)", name, from, err)
	}
	// An overlapping period is the same hamlet: updated.
	mustSucceed(t, importJob(t, e.upload(ed, "kind=hamlets", []byte(hamletHeader+"00100-02,00100,Thôn Hai,thon,150,,2020-01-01,2025-06-30,00100-03\n"))))
}

// A hamlet is readable as of any day of its life: before the first hamlet fund rule (Decree 33/2023,
// from 2023-08-01) it is answered with the values of that day and no fund category — the criterion says
// from when the rule applies — instead of a 422 that quoted the rules engine.
func TestAHamletReadBeforeTheHamletFundRulesHasNoCategory(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	for _, f := range ruleFixtures[:2] {
		mustSucceed(t, importJob(t, e.upload(ed, "kind="+f.kind, []byte(f.csv))))
	}
	r := e.do("GET", "/v1/provinces/01/hamlets/00100-01?as_of=2021-06-15", ed, nil, "Accept-Language", "vi")
	mustStatus(t, r, 200)
	var h hamletResponse
	r.json(t, &h)
	if h.Code != "00100-01" || h.Households != 100 || h.FundCategory != "" || h.FundCriterion.Code != "not_in_force" ||
		!strings.Contains(h.FundCriterion.LabelVI, "01/08/2023") || h.FundCriterion.Citation.Article != "34" {
		t.Fatalf("%s", r.Body)
	}
	if bad := msgcheck.DeveloperText(h.FundCriterion.LabelVI + " " + h.FundCriterion.LabelEN); bad != "" {
		t.Errorf("developer text %q", bad)
	}
	var l hamletList
	r = e.do("GET", "/v1/provinces/01/hamlets?active_on=2021-06-15&as_of=2021-06-15", ed, nil)
	mustStatus(t, r, 200)
	r.json(t, &l)
	if len(l.Items) != 3 || l.Items[0].FundCategory != "" {
		t.Fatalf("list as of 2021: %s", r.Body)
	}
	r = e.do("GET", "/v1/provinces/01/hamlets/00100-01?as_of=2023-08-01", ed, nil)
	r.json(t, &h)
	if h.FundCategory != "4.5" {
		t.Fatalf("on the rule's first day: %s", r.Body)
	}
}
