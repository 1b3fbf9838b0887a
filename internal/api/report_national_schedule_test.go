package api

import (
	"testing"

	"communehr/internal/demo"
	"communehr/internal/store"
)

// The demo province (make run) has communes, hamlets and people but no allowance schedule: the national
// summary flags it and shows no difference for it, instead of its whole fund (16.9 billion đồng) as one.
func TestNationalSummaryFlagsAProvinceWithoutSchedule(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := demo.Seed(t.Context(), e.st); err != nil {
		t.Fatalf("demo seed: %v", err)
	}
	r := e.do("GET", "/v1/national/summary", e.key(store.RoleMinistry, ""), nil)
	mustStatus(t, r, 200)
	var s nationalSummary
	r.json(t, &s)
	var demoUnit *nationalUnit
	for i := range s.Provinces {
		if s.Provinces[i].Province == "99" {
			demoUnit = &s.Provinces[i]
		}
	}
	if demoUnit == nil {
		t.Fatalf("no demo province 99 in %s", r.Body)
	}
	f := demoUnit.Funds
	if !f.ScheduleMissing || f.Difference != nil || f.Fund.IsZero() {
		t.Fatalf("demo province funds %+v: want schedule_missing, no difference, a fund", f)
	}
	if !s.Country.Funds.ScheduleMissing || s.Country.Funds.Difference == nil || !s.Country.Funds.Difference.IsZero() {
		t.Fatalf("country funds %+v: want flagged, difference 0 (no province with a schedule)", s.Country.Funds)
	}
}
