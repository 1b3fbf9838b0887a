package api

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/shopspring/decimal"

	"communehr/internal/store"
	"communehr/internal/vnfmt"
)

// The Vietnamese CSV writes its numbers with the console's function (vnfmt): a negative amount (a unit
// paid over its fund has a negative difference) reads "-1.234.000" in both, and a code with leading zeros
// (the commune code 00001) stays a code, not the number 1.
func TestVietnameseCSVNumbersAsTheConsoleWritesThem(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reportFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	type unit struct {
		Code       string           `json:"code"`
		Difference *decimal.Decimal `json:"difference"`
	}
	var rep struct {
		Communes []struct {
			unit
			Hamlets []unit `json:"hamlets"`
		} `json:"communes"`
	}
	r := e.do("GET", "/v1/provinces/01/allowances?as_of=2025-03-01", ed, nil)
	mustStatus(t, r, 200)
	r.json(t, &rep)
	var units []unit // in the CSV's order: a commune, then its hamlets
	codes := []string{}
	for _, c := range rep.Communes {
		units = append(units, c.unit)
		codes = append(codes, c.Code)
		for _, h := range c.Hamlets {
			units = append(units, h)
			codes = append(codes, c.Code)
		}
	}
	r = e.do("GET", "/v1/provinces/01/allowances?as_of=2025-03-01&format=csv&lang=vi&delimiter=%3B", ed, nil)
	mustStatus(t, r, 200)
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF"))))
	cr.Comma = ';'
	records, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) < len(units)+1 {
		t.Fatalf("%d CSV records for %d units", len(records), len(units))
	}
	negative := false
	for i, u := range units {
		rec := records[i+1]
		if rec[1] != codes[i] {
			t.Errorf("row %d: commune code %q in the CSV, %q in the report", i, rec[1], codes[i])
		}
		if u.Difference != nil {
			negative = negative || u.Difference.IsNegative()
			if want := vnfmt.Money(*u.Difference); rec[10] != want {
				t.Errorf("row %d: difference %q in the CSV, the console writes %q", i, rec[10], want)
			}
		}
	}
	if !negative {
		t.Errorf("the fixture has no negative difference: %+v", units)
	}
}
