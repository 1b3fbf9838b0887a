package api

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"communehr/internal/store"
)

func TestNationalSummaryAgreesWithTheProvinceReportAndCountsEveryGroup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	e.province("79", "Thành phố Hồ Chí Minh")
	e.exec(`INSERT INTO communes (province_code, code, name, kind, class, key_security_order, effective_from) VALUES
		('79', '26734', 'Phường Sài Gòn', 'phuong', 1, true, '2020-01-01')`)
	e.exec(`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from) VALUES
		('79', 'K1', '26734', 'Khu phố 1', 'to_dan_pho', 200, '2020-01-01')`)
	ed := e.key(store.RoleProvinceEditor, "01")
	mustStatus(t, e.do("POST", "/v1/provinces/01/cadres/"+cadreA+"/entitlements?save=true", ed,
		map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"}), 201)
	ministry := e.key(store.RoleMinistry, "")

	mustStatus(t, e.do("GET", "/v1/national/summary?as_of=2025-03-01", ed, nil), 403)
	r := e.do("GET", "/v1/national/summary?as_of=2025-03-01", ministry, nil)
	mustStatus(t, r, 200)
	var s nationalSummary
	r.json(t, &s)
	if len(s.Provinces) != 2 || s.Provinces[0].Province != "01" {
		t.Fatalf("provinces %s", r.Body)
	}
	hn := s.Provinces[0]
	// The report fixture's 30,166,000 plus H (2,340,000) and I (1.2 × 2,340,000 = 2,808,000) at commune 00002;
	// the same figures as GET /v1/provinces/01/allowances on that date (read here with the Ministry key).
	if hn.Funds.Fund.String() != "115830000" || hn.Funds.Paid.String() != "35314000" || hn.Funds.Difference.String() != "80516000" ||
		hn.Funds.CommuneFund.String() != "77220000" || hn.Funds.HamletFund.String() != "38610000" ||
		hn.Funds.PaidCommune.String() != "15636000" || hn.Funds.PaidHamlet.String() != "19678000" {
		t.Fatalf("funds of 01 %+v", hn.Funds)
	}
	var rep allowanceReport
	rr := e.do("GET", "/v1/provinces/01/allowances?as_of=2025-03-01", ministry, nil)
	mustStatus(t, rr, 200)
	rr.json(t, &rep)
	if !rep.Totals.Fund.Equal(hn.Funds.Fund) || !rep.Totals.Paid.Equal(hn.Funds.Paid) || hn.Funds.Difference == nil || !rep.Totals.Difference.Equal(*hn.Funds.Difference) {
		t.Fatalf("province report %+v vs national %+v", rep.Totals, hn.Funds)
	}
	// Cadre I (W9) is in post too on 2025-03-01, and cadre H: 9 + 2 posts, of which commune level: A×2, B, G, H, I.
	levels := map[string]levelCount{}
	for _, l := range hn.People {
		levels[l.Level] = l
	}
	if levels["commune"].Posts != 6 || levels["commune"].People != 5 || levels["hamlet"].Posts != 5 || levels["hamlet"].People != 3 {
		t.Fatalf("people %+v", hn.People)
	}
	hc := map[string]int64{}
	for _, h := range s.Country.Hamlets {
		hc[h.Kind+"/"+h.Category] = h.Count
	}
	// H1 thôn 420 → 6.0, H3 thôn in a border commune → 6.0, H2 tổ 480 → 4.5, K1 in a key-security ward → 6.0.
	if hc["thon/6.0"] != 2 || hc["to_dan_pho/4.5"] != 1 || hc["to_dan_pho/6.0"] != 1 || len(hc) != 3 {
		t.Fatalf("hamlets by kind and category %v", hc)
	}
	cc := map[string]int64{}
	for _, c := range s.Country.Communes {
		cc[c.Kind+"/"+string(rune('0'+c.Class))] = c.Count
	}
	if cc["xa/2"] != 1 || cc["xa/3"] != 1 || cc["phuong/1"] != 1 {
		t.Fatalf("communes %v", cc)
	}
	// Country = the sum of the provinces (HCMC: class 1 fund 14 × 1.5 × 2,340,000 + one 6.0 group).
	if s.Country.Funds.Fund.String() != "179010000" {
		t.Fatalf("country fund %s, want 115,830,000 + 49,140,000 + 14,040,000", s.Country.Funds.Fund)
	}

	// Decisions by policy, as of a date after the decision was stored.
	r = e.do("GET", "/v1/national/summary?as_of=2099-01-01", ministry, nil)
	mustStatus(t, r, 200)
	r.json(t, &s)
	if d := s.Country.Decisions; len(d) != 1 || d[0].Policy != "decree_154_2025_art9" || d[0].Count != 1 || d[0].Total.String() != "210600000" {
		t.Fatalf("decisions %+v", d)
	}
	if s.Country.Funds.CommuneFund != nil || s.Country.Funds.CommuneFundNote == nil {
		t.Fatalf("commune fund after 2025-08-01 %+v", s.Country.Funds)
	}

	// The CSV holds the same numbers.
	r = e.do("GET", "/v1/national/summary?as_of=2025-03-01&format=csv", ministry, nil)
	mustStatus(t, r, 200)
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, row := range recs[1:] {
		if row[1] == "funds" {
			found[row[0]+"/"+row[2]] = row[6]
		}
	}
	if found["01/fund"] != "115830000" || found["01/paid"] != "35314000" || found["all/fund"] != "179010000" {
		t.Fatalf("csv funds %v", found)
	}
}

// TestMinistryKeysReadEveryProvinceRouteAndWriteNone walks the router: every GET under
// /v1/provinces/{province} answers a Ministry key (never 401/403), every other method is 403.
func TestMinistryKeysReadEveryProvinceRouteAndWriteNone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	r := e.do("POST", "/v1/provinces/01/cadres/"+cadreA+"/entitlements?save=true", ed,
		map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"})
	mustStatus(t, r, 201)
	var ent entitlementResponse
	r.json(t, &ent)
	ministry := e.key(store.RoleMinistry, "")

	var routes []string
	for rt := range routeSet(t) {
		if strings.Contains(rt, " /v1/provinces/{province}") {
			routes = append(routes, rt)
		}
	}
	sort.Strings(routes)
	fill := func(path string) string {
		id := "00000000-0000-0000-0000-000000000000"
		code := "00001"
		switch {
		case strings.Contains(path, "/cadres/"):
			id = cadreA
		case strings.Contains(path, "/decisions/"):
			id = ent.Decision.ID
		}
		if strings.Contains(path, "/hamlets/") {
			code = "H1"
		}
		return strings.NewReplacer("{province}", "01", "{code}", code, "{id}", id).Replace(path)
	}
	mustOK := map[string]bool{"/v1/provinces/01/allowances": true, "/v1/provinces/01/decisions": true,
		"/v1/provinces/01/decisions/" + ent.Decision.ID: true, "/v1/provinces/01/communes/00001/allowances": true,
		"/v1/provinces/01/hamlets/H1/allowances": true, "/v1/provinces/01/communes": true}
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt, " ")
		path = fill(path)
		for strings.Contains(path, "{") { // a parameter this test does not know: any value
			i, j := strings.Index(path, "{"), strings.Index(path, "}")
			path = path[:i] + "x" + path[j+1:]
		}
		query := "" // as_of where the operation takes it: an unknown parameter is a 400 before any role check
		if accepted, _ := loadQueryParams(); slices.Contains(accepted[rt], "as_of") {
			query = "?as_of=2025-03-01"
		}
		if strings.HasSuffix(path, "/reorganisations") {
			query = "?mode=apply" // the Ministry may preview (a what-if that writes nothing), never apply
		}
		req, _ := http.NewRequest(method, e.srv.URL+path+query, strings.NewReader(`{}`))
		req.Header.Set("Authorization", "Bearer "+ministry)
		req.Header.Set("Content-Type", "application/json")
		res, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		switch {
		case method == "GET" && (res.StatusCode == 401 || res.StatusCode == 403 || res.StatusCode >= 500):
			t.Errorf("Ministry %s %s → %d", method, path, res.StatusCode)
		case method == "GET" && mustOK[path] && res.StatusCode != 200:
			t.Errorf("Ministry %s %s → %d, want 200", method, path, res.StatusCode)
		case method != "GET" && method != "HEAD" && method != "OPTIONS" && res.StatusCode != 403:
			t.Errorf("Ministry %s %s → %d, want 403", method, path, res.StatusCode)
		}
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM decisions`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d decisions after the Ministry's attempts (%v)", n, err)
	}
}

// TestReviewNationalSummaryIsTheSumOfTheProvinceReports compares, on dates on both sides of every
// boundary (before Decree 33, the 2024-07-01 base salary, the 2025-01-01 schedule version of province 02,
// after commune posts ended), each province's national figures with GET /v1/provinces/{p}/allowances
// for the same as_of, the country with their sum, and the CSV with the JSON, number by number. Province 02
// has units closed before the date with assignments still open, and an older schedule version left open.
func TestReviewNationalSummaryIsTheSumOfTheProvinceReports(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	province02Fixture(e)
	e.province("79", "Thành phố Hồ Chí Minh")
	e.exec(`INSERT INTO communes (province_code, code, name, kind, class, key_security_order, effective_from) VALUES
		('79', '26734', 'Phường Sài Gòn', 'phuong', 1, true, '2020-01-01')`)
	// Communes above the administrative-unit standard (Decree 33/2023 increments, issue 12): the national
	// summary adds them commune by commune, as the province report does.
	e.exec(`INSERT INTO communes (province_code, code, name, kind, class, population, area_km2, mountainous,
		ward_of_urban_district, effective_from) VALUES
		('79', '26740', 'Phường Bến Thành', 'phuong', 1, 40000, 5, false, true, '2020-01-01'),
		('79', '26741', 'Xã Núi', 'xa', 2, 13000, 120, true, false, '2020-01-01'),
		('79', '26742', 'Thị trấn Một', 'thi_tran', 3, 90000, 300, false, false, '2020-01-01')`)
	e.exec(`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from) VALUES
		('79', 'K1', '26734', 'Khu phố 1', 'to_dan_pho', 200, '2020-01-01')`)
	ministry := e.key(store.RoleMinistry, "")
	for _, asOf := range []string{"2023-07-15", "2024-06-30", "2024-07-01", "2025-03-01", "2025-09-01"} {
		t.Run(asOf, func(t *testing.T) {
			e := e.sub(t)
			r := e.do("GET", "/v1/national/summary?as_of="+asOf, ministry, nil)
			mustStatus(t, r, 200)
			var s nationalSummary
			r.json(t, &s)
			var sumFund, sumPaid, sumDiff decimal.Decimal
			for _, u := range s.Provinces {
				var rep allowanceReport
				rr := e.do("GET", "/v1/provinces/"+u.Province+"/allowances?as_of="+asOf, ministry, nil)
				mustStatus(t, rr, 200)
				rr.json(t, &rep)
				var paidC, paidH decimal.Decimal
				hamlets := map[string]int64{}
				for _, c := range rep.Communes {
					paidC = paidC.Add(c.Paid)
					for _, h := range c.Hamlets {
						paidH = paidH.Add(h.Paid)
						cat := ""
						if h.Category != nil {
							cat = *h.Category
						}
						hamlets[h.Kind+"/"+cat]++
					}
				}
				f := u.Funds
				cf := decimal.Zero
				if f.CommuneFund != nil {
					cf = *f.CommuneFund
				}
				if !f.Fund.Equal(rep.Totals.Fund) || !f.Paid.Equal(rep.Totals.Paid) ||
					(f.Difference == nil) != f.ScheduleMissing || (f.Difference != nil && !f.Difference.Equal(rep.Totals.Difference)) ||
					!cf.Equal(rep.Totals.CommuneFund) || !f.HamletFund.Equal(rep.Totals.HamletFund) ||
					!f.PaidCommune.Equal(paidC) || !f.PaidHamlet.Equal(paidH) {
					t.Errorf("province %s: national %+v, report %+v (paid commune %s, hamlet %s)", u.Province, f, rep.Totals, paidC, paidH)
				}
				var posts int64
				for _, l := range u.People {
					posts += l.Posts
				}
				if posts != int64(rep.Totals.PostsFilled) {
					t.Errorf("province %s: %d posts nationally, %d in the report", u.Province, posts, rep.Totals.PostsFilled)
				}
				got := map[string]int64{}
				for _, h := range u.Hamlets {
					got[h.Kind+"/"+h.Category] = h.Count
				}
				if len(got) != len(hamlets) {
					t.Errorf("province %s: hamlets %v nationally, %v in the report", u.Province, got, hamlets)
				}
				for k, n := range hamlets {
					if got[k] != n {
						t.Errorf("province %s: hamlets %v nationally, %v in the report", u.Province, got, hamlets)
					}
				}
				var communes int64
				for _, c := range u.Communes {
					communes += c.Count
				}
				if communes != int64(rep.Totals.Communes) {
					t.Errorf("province %s: %d communes nationally, %d in the report", u.Province, communes, rep.Totals.Communes)
				}
				sumFund, sumPaid = sumFund.Add(rep.Totals.Fund), sumPaid.Add(rep.Totals.Paid)
				if !f.ScheduleMissing { // a province without a schedule has no difference to add
					sumDiff = sumDiff.Add(rep.Totals.Difference)
				}
			}
			if asOf == "2025-03-01" {
				// 5 + 4 workers added in 79 (the township has no standard found: none), 9 × 3,510,000 above the
				// classes' funds: 14 + 14 + 12 + 10 people = 50 × 3,510,000 = 175,500,000, plus 31,590,000.
				for _, u := range s.Provinces {
					if u.Province == "79" && (u.Funds.CommuneFund == nil || u.Funds.CommuneFund.String() != "207090000") {
						t.Errorf("79 commune fund %v, want 207090000", u.Funds.CommuneFund)
					}
				}
			}
			if !s.Country.Funds.Fund.Equal(sumFund) || !s.Country.Funds.Paid.Equal(sumPaid) || !s.Country.Funds.Difference.Equal(sumDiff) ||
				s.Country.Funds.ScheduleMissing != slices.ContainsFunc(s.Provinces, func(u nationalUnit) bool { return u.Funds.ScheduleMissing }) {
				t.Errorf("country %+v, provinces' reports fund %s paid %s difference %s", s.Country.Funds, sumFund, sumPaid, sumDiff)
			}

			// The CSV parses back to the same numbers, every funds row of every province and the country.
			r = e.do("GET", "/v1/national/summary?as_of="+asOf+"&format=csv", ministry, nil)
			mustStatus(t, r, 200)
			recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			csvFunds := map[string]string{}
			for _, row := range recs[1:] {
				if row[1] == "funds" {
					csvFunds[row[0]+"/"+row[2]] = row[6]
				}
			}
			for _, u := range append(s.Provinces, s.Country) {
				f := u.Funds
				cf := ""
				if f.CommuneFund != nil {
					cf = f.CommuneFund.String()
				}
				for k, v := range map[string]string{"commune_fund": cf, "hamlet_fund": f.HamletFund.String(), "fund": f.Fund.String(),
					"paid_commune": f.PaidCommune.String(), "paid_hamlet": f.PaidHamlet.String(), "paid": f.Paid.String(),
					"difference": decimalOrEmpty(f.Difference)} {
					if got, ok := csvFunds[u.Province+"/"+k]; !ok || got != v {
						t.Errorf("csv %s/%s = %q, json %q", u.Province, k, got, v)
					}
				}
			}
		})
	}
}

// decimalOrEmpty is a nullable amount as the CSV writes it.
func decimalOrEmpty(d *decimal.Decimal) string {
	if d == nil {
		return ""
	}
	return d.String()
}
