package api

import (
	"encoding/json"
	"fmt"
	"testing"
)

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Issue 11 item 2, review finding 2: every write without a date corrects the row and its latest version
// together (migration 0046), whatever the path. A re-import after a dated change used to change the row
// and no read (the open version won).

// readAt reads path as of asOf ("" = today).
func readAt[T any](e *env, ed, path, asOf string) T {
	if asOf != "" {
		path += "?as_of=" + asOf
	}
	r := e.do("GET", path, ed, nil)
	mustStatus(e.t, r, 200)
	var v T
	r.json(e.t, &v)
	return v
}

// hamletAt reads HL01 as of asOf ("" = today).
func (e *env) hamletAt(ed, asOf string) hamletResponse {
	return readAt[hamletResponse](e, ed, qnPath+"/hamlets/HL01", asOf)
}

func TestAHamletImportAfterADatedChangeIsRead(t *testing.T) {
	t.Parallel()
	e, ed := quangNinh(t)
	e.exec(`INSERT INTO communes (province_code, code, name, kind, class, effective_from) VALUES ('22', '07000', 'Xã Hạ Long', 'xa', 2, '2020-01-01')`)
	mustStatus(t, e.do("POST", qnPath+"/hamlets", ed, map[string]any{"code": "HL01", "commune_code": "07000", "name": "Thôn 1",
		"kind": "thon", "households": 300, "effective_from": "2024-01-01"}), 201)
	mustStatus(t, e.do("PATCH", qnPath+"/hamlets/HL01", ed, map[string]any{"households": 400, "changes_from": "2026-01-01"},
		"If-Match", `"1"`), 200)
	const head = "code,commune_code,name,kind,households,effective_from\n"
	for _, c := range []struct {
		households int
		category   string
	}{{500, "6.0"}, {320, "4.5"}} {
		j := e.uploadTo(qnPath, ed, "kind=hamlets", head+fmt.Sprintf("HL01,07000,Thôn 1,thon,%d,2024-01-01\n", c.households))
		if j.Status != "succeeded" || j.RowsUpdated != 1 {
			t.Fatalf("import %d: %+v", c.households, j)
		}
		for _, asOf := range []string{"", "2026-06-01"} {
			if h := e.hamletAt(ed, asOf); h.Households != c.households || h.FundCategory != c.category {
				t.Errorf("after importing %d, GET as of %q: %d households, category %s", c.households, asOf, h.Households, h.FundCategory)
			}
		}
		// The version before the dated change keeps its own value.
		if h := e.hamletAt(ed, "2025-06-01"); h.Households != 300 || h.FundCategory != "4.5" {
			t.Errorf("after importing %d, GET as of 2025-06-01: %d households, category %s", c.households, h.Households, h.FundCategory)
		}
		r := e.do("GET", qnPath+"/allowances?as_of=2026-06-01", ed, nil)
		mustStatus(t, r, 200)
		var rep allowanceReport
		r.json(t, &rep)
		if n := reportHouseholds(rep, "HL01"); n != c.households {
			t.Errorf("after importing %d, the report of 2026-06-01 reads %d households", c.households, n)
		}
	}
	// A PATCH without a date still corrects the latest version only.
	h := e.hamletAt(ed, "")
	mustStatus(t, e.do("PATCH", qnPath+"/hamlets/HL01", ed, map[string]any{"households": 410}, "If-Match", fmt.Sprintf(`"%d"`, h.Version)), 200)
	if h := e.hamletAt(ed, "2026-06-01"); h.Households != 410 || h.FundCategory != "6.0" {
		t.Errorf("PATCH without a date: %d households, category %s", h.Households, h.FundCategory)
	}
	if h := e.hamletAt(ed, "2025-06-01"); h.Households != 300 {
		t.Errorf("PATCH without a date changed the earlier version: %d households", h.Households)
	}
}

func reportHouseholds(rep allowanceReport, code string) int {
	for _, c := range rep.Communes {
		for _, h := range c.Hamlets {
			if h.Code == code {
				return h.Households
			}
		}
	}
	return -1
}

// communeAt reads 07000's class and population as of asOf ("" = today).
func (e *env) communeAt(ed, asOf string) communeResponse {
	return readAt[communeResponse](e, ed, qnPath+"/communes/07000", asOf)
}

func TestACommuneImportAfterADatedChangeIsRead(t *testing.T) {
	t.Parallel()
	e, ed := quangNinh(t)
	mustStatus(t, e.do("POST", qnPath+"/communes", ed, map[string]any{"code": "07000", "name": "Xã Hạ Long", "kind": "xa",
		"class": 2, "population": 9000, "effective_from": "2020-01-01"}), 201)
	mustStatus(t, e.do("PATCH", qnPath+"/communes/07000", ed, map[string]any{"class": 1, "population": 12000, "changes_from": "2023-01-01"},
		"If-Match", `"1"`), 200)
	j := e.uploadTo(qnPath, ed, "kind=communes", "code,name,kind,class,population,effective_from\n07000,Xã Hạ Long,xa,3,15000,2020-01-01\n")
	if j.Status != "succeeded" || j.RowsUpdated != 1 {
		t.Fatalf("import: %+v", j)
	}
	for _, asOf := range []string{"", "2024-06-01"} {
		if c := e.communeAt(ed, asOf); c.Class != 3 || c.Population == nil || *c.Population != 15000 {
			t.Errorf("after the import, GET as of %q: class %d, population %s", asOf, c.Class, jsonText(c.Population))
		}
	}
	if c := e.communeAt(ed, "2022-06-01"); c.Class != 2 || c.Population == nil || *c.Population != 9000 {
		t.Errorf("after the import, GET as of 2022-06-01: class %d, population %s", c.Class, jsonText(c.Population))
	}
	r := e.do("GET", qnPath+"/allowances?as_of=2024-06-01", ed, nil)
	mustStatus(t, r, 200)
	var rep allowanceReport
	r.json(t, &rep)
	if len(rep.Communes) != 1 || rep.Communes[0].Code != "07000" || rep.Communes[0].Class != 3 {
		t.Errorf("the report of 2024-06-01: %+v", rep.Communes)
	}
	c := e.communeAt(ed, "")
	mustStatus(t, e.do("PATCH", qnPath+"/communes/07000", ed, map[string]any{"class": 2}, "If-Match", fmt.Sprintf(`"%d"`, c.Version)), 200)
	if c := e.communeAt(ed, "2024-06-01"); c.Class != 2 {
		t.Errorf("PATCH without a date: class %d", c.Class)
	}
	if c := e.communeAt(ed, "2022-06-01"); c.Class != 2 || c.Population == nil || *c.Population != 9000 {
		t.Errorf("PATCH without a date changed the earlier version: class %d, population %s", c.Class, jsonText(c.Population))
	}
}
