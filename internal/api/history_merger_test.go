package api

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"communehr/internal/store"
)

// Issue 11 item 6, review finding 1: a commune merger moves the hamlets to the successor from its date;
// every read of an earlier date — the allowance reports of the province, a commune and a hamlet, the
// national summary, an entitlement run — gives the same figures before and after apply, and reads from the
// date on show the hamlets under the successor (migration 0047: the hamlet's commune has history).
func TestFiguresBeforeAMergerSurviveItsApply(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := seedReorg(t, e)
	e.exec(`INSERT INTO allowance_schedules (province_code, position_code, hamlet_fund_category, effective_from, coefficient, resolution)
		VALUES ('97', 'truong_thon_to_truong', '', '2019-01-01', 1.2, 'NQ 1'), ('97', 'van_phong_dang_uy', '', '2019-01-01', 1.0, 'NQ 1'),
		       ('97', 'pho_chu_tich_hoi_nong_dan', '', '2019-01-01', 0.8, 'NQ 1')`)
	ed, op := e.key(store.RoleProvinceEditor, "97"), e.key(store.RoleOperator, "")
	reads := map[string]string{
		"province":  "/v1/provinces/97/allowances?as_of=2025-06-15",
		"commune":   "/v1/provinces/97/communes/90001/allowances?as_of=2025-06-15",
		"hamlet HA": "/v1/provinces/97/hamlets/HA/allowances?as_of=2025-06-15",
		"hamlet HC": "/v1/provinces/97/hamlets/HC?as_of=2025-06-15",
		"hamlets":   "/v1/provinces/97/hamlets?as_of=2025-06-15&commune_code=90003",
		"national":  "/v1/national/summary?as_of=2025-06-15",
	}
	read := func() map[string][]byte {
		out := map[string][]byte{"run": mergerRun(e, ed, "2025-06-15", ""), "run of 90001": mergerRun(e, ed, "2025-06-15", "90001")}
		for name, path := range reads {
			tok := ed
			if name == "national" {
				tok = op
			}
			r := e.do("GET", path, tok, nil)
			mustStatus(t, r, 200)
			out[name] = r.Body
		}
		return out
	}
	before := read()
	var rep allowanceReport
	if err := json.Unmarshal(before["province"], &rep); err != nil || rep.Totals.Hamlets != 2 || rep.Totals.PostsFilled != 3 {
		t.Fatalf("before the merger: %s", before["province"])
	}
	body := map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": reorgMapping(),
		"hamlets": map[string]string{"HC": "91002"}, "posts": map[string]string{ids["postC"]: "91001"}}
	mustStatus(t, e.do("POST", "/v1/provinces/97/reorganisations?mode=apply", ed, body), 201)
	after := read()
	for name, b := range before {
		// The hamlets' row version counts the move; nothing else may differ.
		if !bytes.Equal(rowVersion.ReplaceAll(b, nil), rowVersion.ReplaceAll(after[name], nil)) {
			t.Errorf("%s as of 2025-06-15 changed with the merger:\nbefore %s\nafter  %s", name, b, after[name])
		}
	}
	// From the effective date the hamlets are the successors'.
	r := e.do("GET", "/v1/provinces/97/allowances?as_of=2025-07-15", ed, nil)
	mustStatus(t, r, 200)
	rep = allowanceReport{}
	r.json(t, &rep)
	under := map[string]string{}
	for _, c := range rep.Communes {
		for _, h := range c.Hamlets {
			under[h.Code] = c.Code
		}
	}
	if under["HA"] != "91001" || under["HC"] != "91002" || rep.Totals.Hamlets != 2 {
		t.Errorf("hamlets as of 2025-07-15: %v, totals %+v", under, rep.Totals)
	}
	for _, c := range []struct{ asOf, commune string }{{"2025-06-30", "90001"}, {"2025-07-01", "91001"}, {"", "91001"}} {
		q := ""
		if c.asOf != "" {
			q = "?as_of=" + c.asOf
		}
		r := e.do("GET", "/v1/provinces/97/hamlets/HA"+q, ed, nil)
		mustStatus(t, r, 200)
		var h hamletResponse
		r.json(t, &h)
		if h.CommuneCode != c.commune {
			t.Errorf("hamlet HA as of %q: commune %s, want %s", c.asOf, h.CommuneCode, c.commune)
		}
	}
}

var rowVersion = regexp.MustCompile(`"version":\d+`)

// mergerRun runs the entitlements of province 97 (or of one commune) on lastDay and returns its results.csv.
func mergerRun(e *env, token, lastDay, commune string) []byte {
	e.t.Helper()
	body := map[string]any{"last_day_worked": lastDay, "reason": "reorganisation"}
	if commune != "" {
		body["filter"] = map[string]any{"commune_code": commune}
	}
	r := e.do("POST", "/v1/provinces/97/entitlement-runs", token, body)
	mustStatus(e.t, r, 202)
	var run runResponse
	r.json(e.t, &run)
	if got := waitRun(e, token, "97", run.ID); got.Status != "succeeded" {
		e.t.Fatalf("run: %+v", got)
	}
	r = e.do("GET", "/v1/provinces/97/entitlement-runs/"+run.ID+"/results.csv", token, nil)
	mustStatus(e.t, r, 200)
	if n := strings.Count(string(r.Body), "\n"); n < 2 {
		e.t.Fatalf("run results: %s", r.Body)
	}
	return r.Body
}
