package api

import (
	"strings"
	"testing"
)

// Issue 10 item 12: a commune-level unit is its code and its period, so every writer names it in the audit
// log the same way, code@effective_from: the records API (create, update, delete) as imports do. The audit
// read finds a unit's rows by either form: code@date (that unit only, including rows written before the
// unit id was used, found by the period in their snapshot) or the bare code (every unit of the code).
func TestAuditNamesCommuneUnitsByCodeAndPeriod(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, communeBody("00001", "Xã Một")), 201)
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/communes/00001", ed, map[string]any{"class": 1}, "If-Match", `"1"`), 200)
	csv := "code,name,kind,class,population,area_km2,effective_from\n00001,Xã Một Mới,xa,1,12000,35.50,2020-01-01\n"
	if j := importJob(t, e.upload(ed, "kind=communes", []byte(csv))); j.Status != "succeeded" || j.RowsUpdated != 1 {
		t.Fatalf("import: %+v", j)
	}
	mustStatus(t, e.do("DELETE", "/v1/provinces/01/communes/00001", ed, nil, "If-Match", `"3"`), 204)
	// Rows written before this change named the unit by its code alone: one of this unit (its snapshot says
	// 2020-01-01), one of an earlier unit of the same code.
	if _, err := e.admin.Exec(t.Context(), `INSERT INTO audit_log (province_code, action, entity, entity_id, after) VALUES
		('01', 'create', 'commune', '00001', '{"Code": "00001", "EffectiveFrom": "2020-01-01T00:00:00Z"}'),
		('01', 'create', 'commune', '00001', '{"code": "00001", "effective_from": "2010-01-01"}')`); err != nil {
		t.Fatal(err)
	}
	ids := func(q string) string {
		var got []string
		for _, it := range auditItems(t, e, "/v1/provinces/01/audit?entity=commune&"+q, ed).Items {
			got = append(got, it.Action+" "+it.EntityID)
		}
		return strings.Join(got, ", ")
	}
	unit := "delete 00001@2020-01-01, update 00001@2020-01-01, update 00001@2020-01-01, create 00001@2020-01-01"
	if got := ids("entity_id=00001@2020-01-01"); got != "create 00001, "+unit {
		t.Errorf("by unit: %s", got)
	}
	if got := ids("entity_id=00001"); got != "create 00001, create 00001, "+unit {
		t.Errorf("by code: %s", got)
	}
	if got := ids("entity_id=00001@2010-01-01"); got != "create 00001" {
		t.Errorf("the earlier unit: %s", got)
	}
	// A change of a unit's first day is filed under the new one, and found under both.
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, communeBody("00003", "Xã Ba")), 201)
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/communes/00003", ed, map[string]any{"effective_from": "2019-01-01"}, "If-Match", `"1"`), 200)
	if got := ids("entity_id=00003@2020-01-01"); got != "update 00003@2019-01-01, create 00003@2020-01-01" {
		t.Errorf("the unit before the move: %s", got)
	}
	if got := ids("entity_id=00003@2019-01-01"); got != "update 00003@2019-01-01" {
		t.Errorf("the unit after the move: %s", got)
	}
	for _, q := range []string{"entity_id=0000", "entity_id=00001@2020-01-02", "entity_id=00001@", "entity_id=00003@2019-01-02"} {
		if got := ids(q); got != "" {
			t.Errorf("%s: %s", q, got)
		}
	}
}
