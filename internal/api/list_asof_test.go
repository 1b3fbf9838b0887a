package api

import (
	"net/url"
	"testing"
)

// Done when: the list of people read ?as_of=D shows each person's status and left_on in force on D, with
// as_of and the period, as GET one does, and filters by that status (issue 11 item 2).
func TestThePeopleListReadsStatusAsOfADate(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	seedUnitChildren(t, e)
	const left, stayed = "00000000-0000-4000-8000-000000000601", "00000000-0000-4000-8000-000000000602"
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/cadres/"+left, ed, map[string]any{"status": "left", "left_on": "2025-03-01"},
		"If-Match", `"1"`), 200)
	type item struct {
		ID           string                `json:"id"`
		Status       string                `json:"status"`
		LeftOn       *Date                 `json:"left_on"`
		AsOf         *Date                 `json:"as_of"`
		StatusPeriod *statusPeriodResponse `json:"status_period"`
	}
	list := func(query string) map[string]item {
		t.Helper()
		r := e.do("GET", "/v1/provinces/01/cadres?"+query, ed, nil)
		mustStatus(t, r, 200)
		var l struct{ Items []item }
		r.json(t, &l)
		out := map[string]item{}
		for _, i := range l.Items {
			out[i.ID] = i
		}
		return out
	}
	str := func(d *Date) string {
		if d == nil {
			return ""
		}
		return d.Format("2006-01-02")
	}
	for _, c := range []struct {
		on, status, leftOn, from, to string
	}{
		{"2025-02-28", "active", "", "", "2025-02-28"},
		{"2025-03-01", "left", "2025-03-01", "2025-03-01", ""},
	} {
		got := list("as_of=" + c.on)[left]
		if got.Status != c.status || str(got.LeftOn) != c.leftOn || str(got.AsOf) != c.on || got.StatusPeriod == nil ||
			got.StatusPeriod.Status != c.status || str(got.StatusPeriod.ValidFrom) != c.from || str(got.StatusPeriod.ValidTo) != c.to {
			t.Errorf("as of %s: %+v (period %+v)", c.on, got, got.StatusPeriod)
		}
		// The same as GET one with as_of.
		var one item
		r := e.do("GET", "/v1/provinces/01/cadres/"+left+"?as_of="+c.on, ed, nil)
		mustStatus(t, r, 200)
		r.json(t, &one)
		if one.Status != got.Status || str(one.LeftOn) != str(got.LeftOn) || one.StatusPeriod.Status != got.StatusPeriod.Status ||
			str(one.StatusPeriod.ValidFrom) != str(got.StatusPeriod.ValidFrom) || str(one.StatusPeriod.ValidTo) != str(got.StatusPeriod.ValidTo) {
			t.Errorf("as of %s: list %+v, GET one %+v", c.on, got, one)
		}
	}
	if s := list("as_of=2025-01-01")[stayed]; s.Status != "active" || s.StatusPeriod == nil || s.StatusPeriod.ValidFrom != nil || s.StatusPeriod.ValidTo != nil {
		t.Errorf("a person who never left: %+v", s)
	}
	if _, ok := list("as_of=2025-01-01&status=active")[left]; !ok {
		t.Error("status=active as of 2025-01-01 leaves out a person who left later")
	}
	if _, ok := list("as_of=2025-01-01&status=left")[left]; ok {
		t.Error("status=left as of 2025-01-01 lists a person who left later")
	}
	if now := list("")[left]; now.Status != "left" || now.AsOf != nil || now.StatusPeriod != nil {
		t.Errorf("without as_of: %+v", now)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/cadres?as_of=2025-02-30", ed, nil), 422)
}

// Done when: the list of communes read ?as_of=D shows the class in force on D, as GET one does, and says
// the date; as_of and active_on name the same date or the request is refused.
func TestTheCommuneListReadsValuesAsOfADate(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	seedUnitChildren(t, e)
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/communes/00601", ed, map[string]any{"class": 1, "changes_from": "2026-01-01"},
		"If-Match", `"1"`), 200)
	for _, c := range []struct {
		on    string
		class int
	}{{"2025-12-31", 2}, {"2026-01-02", 1}} {
		r := e.do("GET", "/v1/provinces/01/communes?q="+url.QueryEscape("Sáu Một")+"&as_of="+c.on, ed, nil)
		mustStatus(t, r, 200)
		var l struct{ Items []communeResponse }
		r.json(t, &l)
		if len(l.Items) != 1 || l.Items[0].Class != c.class || l.Items[0].AsOf == nil || l.Items[0].AsOf.Format("2006-01-02") != c.on ||
			l.Items[0].EffectiveFrom.Format("2006-01-02") != "2020-01-01" {
			t.Fatalf("as of %s: %s", c.on, r.Body)
		}
		var one communeResponse
		r = e.do("GET", "/v1/provinces/01/communes/00601?as_of="+c.on, ed, nil)
		mustStatus(t, r, 200)
		r.json(t, &one)
		if one.Class != l.Items[0].Class {
			t.Errorf("as of %s: list class %d, GET one %d", c.on, l.Items[0].Class, one.Class)
		}
	}
	r := e.do("GET", "/v1/provinces/01/communes?as_of=2025-12-31&active_on=2026-01-02", ed, nil)
	mustStatus(t, r, 422)
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Pointer != "query/as_of" {
		t.Fatalf("%s", r.Body)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/communes?as_of=2025-12-31&active_on=2025-12-31", ed, nil), 200)
}
