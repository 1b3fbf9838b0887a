package api

import (
	"strings"
	"testing"

	"communehr/internal/store"
)

// Issue 12, item 3: the Decree 33/2023 increments in the province report and the national summary. A
// commune carries population, area and the flags that pick its administrative-unit standard (Resolution
// 1211/2016/UBTVQH13 as amended by Resolution 27/2022/UBTVQH15); the commune fund adds 1.5 × base salary
// for each worker the excess adds (Decree 33/2023 Art. 33 cl. 2, Art. 34 cl. 1).
func TestCommuneIncrementsInTheProvinceReportHandChecked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	for _, c := range []map[string]any{
		// Mountainous commune, class 2: standard 5,000 people and 50 km². Population 13,000, one more per full
		// ½ of the standard (2,500) above it: 8,000 / 2,500 = 3.2 → 3. Area
		// 120 km²: (120 − 50) / 50 = 1.4 → 1. Four more: quota 12 + 4 = 16, fund 16 × 1.5 × 2,340,000 = 56,160,000.
		{"code": "00001", "name": "Xã Núi", "kind": "xa", "class": 2, "population": 13000, "area_km2": "120",
			"mountainous": true, "effective_from": "2020-01-01"},
		// Ward of an urban district, class 1: standard 15,000 people, one more per full ⅓ (5,000): 40,000 →
		// 25,000 / 5,000 = 5; area 5 km² is under 5.5. Quota 14 + 5 = 19, fund 19 × 3,510,000 = 66,690,000.
		{"code": "00002", "name": "Phường Quận", "kind": "phuong", "class": 1, "population": 40000, "area_km2": "5",
			"ward_of_urban_district": true, "effective_from": "2020-01-01"},
		// No population or area: the class's fund only, 10 × 3,510,000 = 35,100,000.
		{"code": "00003", "name": "Xã Ba", "kind": "xa", "class": 3, "effective_from": "2020-01-01"},
	} {
		mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, c), 201)
	}
	report := func() map[string]communeAllowance {
		r := e.do("GET", "/v1/provinces/01/allowances?as_of=2025-03-01", ed, nil)
		mustStatus(t, r, 200)
		var rep allowanceReport
		r.json(t, &rep)
		out := map[string]communeAllowance{}
		for _, c := range rep.Communes {
			out[c.Code] = c
		}
		if total := rep.Totals.CommuneFund.String(); total != sumFunds(out) {
			t.Fatalf("totals commune_fund %s, units %s", total, sumFunds(out))
		}
		return out
	}
	got := report()
	for code, want := range map[string]struct {
		fund        string
		quota, incr int
		incrFund    string
	}{
		"00001": {"56160000", 16, 4, "14040000"},
		"00002": {"66690000", 19, 5, "17550000"},
		"00003": {"35100000", 10, 0, ""},
	} {
		c := got[code]
		if c.Fund == nil || c.Fund.String() != want.fund || c.Quota == nil || *c.Quota != want.quota || c.QuotaIncrement != want.incr {
			t.Errorf("%s: fund %v quota %v increment %d, want %+v", code, c.Fund, c.Quota, c.QuotaIncrement, want)
			continue
		}
		if want.incrFund == "" {
			if c.FundIncrement != nil {
				t.Errorf("%s: increment line %+v", code, c.FundIncrement)
			}
			continue
		}
		l := c.FundIncrement
		if l == nil || l.Amount.String() != want.incrFund || l.Citation.Article != "34" || l.Citation.Clause != "1" ||
			!strings.Contains(l.Citation.Instrument, "33/2023") {
			t.Errorf("%s: increment line %+v", code, l)
		}
	}

	// The flag decides the standard: not a ward of an urban district, the ward standard is 7,000 people and
	// one more per full ½ (3,500): 33,000 / 3,500 = 9.4 → 9; quota 23, fund 23 × 3,510,000 = 80,730,000.
	r := e.do("GET", "/v1/provinces/01/communes/00002", ed, nil)
	r = e.do("PATCH", "/v1/provinces/01/communes/00002", ed, map[string]any{"ward_of_urban_district": false}, "If-Match", r.Header.Get("ETag"))
	mustStatus(t, r, 200)
	if c := report()["00002"]; c.Fund.String() != "80730000" || c.QuotaIncrement != 9 {
		t.Fatalf("ward not in an urban district: fund %s increment %d", c.Fund, c.QuotaIncrement)
	}
	// Only a ward can be a ward of an urban district.
	r = e.do("GET", "/v1/provinces/01/communes/00003", ed, nil)
	r = e.do("PATCH", "/v1/provinces/01/communes/00003", ed, map[string]any{"ward_of_urban_district": true}, "If-Match", r.Header.Get("ETag"))
	mustStatus(t, r, 422)
	if p := r.problem(t); p.Errors[0].Pointer != "/ward_of_urban_district" {
		t.Fatalf("problem %+v", p)
	}
}

func sumFunds(cs map[string]communeAllowance) string {
	var s = communeAllowance{}.Paid
	for _, c := range cs {
		if c.Fund != nil {
			s = s.Add(*c.Fund)
		}
	}
	return s.String()
}

func TestCommuneImportTakesTheStandardFlagsUnderVietnameseHeaders(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	body := "Mã xã,Tên xã,Loại,Phân loại,Dân số,Diện tích (km2),Miền núi,Phường thuộc quận,Ngày hiệu lực\n" +
		"00001,Xã Núi,xa,2,13000,120,có,không,2020-01-01\n" +
		"00002,Phường Quận,phuong,1,40000,5,false,true,2020-01-01\n"
	r := e.upload(ed, "kind=communes", []byte(body))
	mustStatus(t, r, 201)
	if j := importJob(t, r); j.Status != "succeeded" || j.RowsInserted != 2 {
		t.Fatalf("import %s", r.Body)
	}
	for code, want := range map[string][2]bool{"00001": {true, false}, "00002": {false, true}} {
		r := e.do("GET", "/v1/provinces/01/communes/"+code, ed, nil)
		var c communeResponse
		r.json(t, &c)
		if c.Mountainous != want[0] || c.WardOfUrbanDistrict != want[1] {
			t.Errorf("%s: %+v", code, c)
		}
	}
	// A commune (xa) cannot be a ward of an urban district: the row is refused.
	r = e.upload(ed, "kind=communes", []byte("code,name,kind,class,ward_of_urban_district,effective_from\n00009,Xã Chín,xa,1,true,2020-01-01\n"))
	if j := importJob(t, r); j.Status != "failed" {
		t.Fatalf("bad row: %s", r.Body)
	}
}
