package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/shopspring/decimal"

	"communehr/internal/msg"
	"communehr/internal/policy"
	"communehr/internal/store"
)

type communeCount struct {
	Kind  string `json:"kind"`
	Class int    `json:"class"`
	Count int64  `json:"count"`
}

type hamletCount struct {
	Kind     string `json:"kind"`
	Category string `json:"category"`
	Count    int64  `json:"count"`
}

type levelCount struct {
	Level  string          `json:"level"`
	People int64           `json:"people"`
	Posts  int64           `json:"posts"`
	Paid   decimal.Decimal `json:"paid"`
}

type positionCount struct {
	Level        string          `json:"level"`
	PositionCode string          `json:"position_code"`
	People       int64           `json:"people"`
	Posts        int64           `json:"posts"`
	Paid         decimal.Decimal `json:"paid"`
}

type decisionCount struct {
	Policy string          `json:"policy"`
	Count  int64           `json:"count"`
	People int64           `json:"people"`
	Total  decimal.Decimal `json:"total"`
}

type fundsSummary struct {
	CommuneFund     *decimal.Decimal `json:"commune_fund"`
	CommuneFundNote *string          `json:"commune_fund_note"`
	HamletFund      decimal.Decimal  `json:"hamlet_fund"`
	Fund            decimal.Decimal  `json:"fund"`
	PaidCommune     decimal.Decimal  `json:"paid_commune"`
	PaidHamlet      decimal.Decimal  `json:"paid_hamlet"`
	Paid            decimal.Decimal  `json:"paid"`
	Difference      decimal.Decimal  `json:"difference"`
}

// nationalUnit is one province's, or the country's, summary.
type nationalUnit struct {
	Province  string          `json:"province"`
	Name      string          `json:"name"`
	Communes  []communeCount  `json:"communes"`
	Hamlets   []hamletCount   `json:"hamlets"`
	People    []levelCount    `json:"people"`
	Posts     []positionCount `json:"posts"`
	Funds     fundsSummary    `json:"funds"`
	Decisions []decisionCount `json:"decisions"`
}

type nationalSummary struct {
	AsOf           policy.Date     `json:"as_of"`
	RulesetVersion string          `json:"ruleset_version"`
	BaseSalary     decimal.Decimal `json:"base_salary"`
	Country        nationalUnit    `json:"country"`
	Provinces      []nationalUnit  `json:"provinces"`
}

// concurrentFactor is the share of a post's allowance paid when it is held concurrently (Decree 33/2023:
// 100 %, policy.ConcurrentRate); 1 before the rule, when every post is counted at its own level.
func concurrentFactor(asOf policy.Date) decimal.Decimal {
	f, _, err := policy.ConcurrentRate(asOf)
	if err != nil {
		return decimal.NewFromInt(1)
	}
	return f
}

func newNationalUnit(code, name string) *nationalUnit {
	return &nationalUnit{Province: code, Name: name, Communes: []communeCount{}, Hamlets: []hamletCount{},
		People: []levelCount{}, Posts: []positionCount{}, Decisions: []decisionCount{}}
}

func (s *Server) nationalSummary(w http.ResponseWriter, r *http.Request) error {
	asOf, err := s.asOfParam(r)
	if err != nil {
		return err
	}
	csvOut, err := wantCSV(r)
	if err != nil {
		return err
	}
	base, _, err := policy.BaseSalary(asOf)
	if err != nil {
		var oor *policy.OutOfRangeError
		if errors.As(err, &oor) {
			return queryError("as_of", "out_of_range", oor.Error(), oor.MessageVI())
		}
		return err
	}
	ctx, p, on := r.Context(), principalFrom(r.Context()), toTime(asOf).Time

	// The rules engine classifies each distinct combination of hamlet inputs once; SQL does the rest.
	inputs, err := s.store.NationalHamletInputs(ctx, p, on)
	if err != nil {
		return err
	}
	combos, rates := classifyNationalHamlets(inputs, asOf)
	d, err := s.store.NationalSummary(ctx, p, on, combos, base, concurrentFactor(asOf))
	if err != nil {
		return err
	}
	rates.communeFunds(asOf, langOf(r))
	out := rates.summary(asOf, base, d)
	w.Header().Set("Ruleset-Version", policy.RulesetVersion)
	if csvOut {
		return writeCSV(w, "national-summary-"+asOf.String()+".csv", nationalCSVHeader, nationalCSVRows(out))
	}
	return writeJSON(w, http.StatusOK, out)
}

// nationalRates are the Decree 33 funds the national summary multiplies the counts by, all from the
// rules engine: per hamlet category, per commune class, and whether the hamlet fund is in force.
type nationalRates struct {
	hamlet        map[string]decimal.Decimal
	hamletInForce bool
	commune       map[int]*decimal.Decimal
	communeNote   *string // why there is no commune fund on the date
}

// classifyNationalHamlets gives each distinct combination of hamlet inputs its Decree 33 category and
// notes each category's monthly fund.
func classifyNationalHamlets(inputs []store.HamletInputs, asOf policy.Date) ([]store.ClassifiedHamletInputs, *nationalRates) {
	rates := &nationalRates{hamlet: map[string]decimal.Decimal{}, commune: map[int]*decimal.Decimal{}}
	combos := make([]store.ClassifiedHamletInputs, 0, len(inputs))
	for _, h := range inputs {
		hf, err := policy.HamletFund(policy.HamletFundInput{Kind: policy.HamletKind(h.Kind), Households: h.Households,
			KeySecurityOrder: h.KeySecurityOrder, BorderOrIsland: h.BorderOrIsland, ConvertedFromThon: h.ConvertedFromThon, AsOf: asOf})
		cat := ""
		if err == nil {
			cat = hf.Category
			rates.hamlet[cat] = hf.MonthlyFund
		}
		combos = append(combos, store.ClassifiedHamletInputs{HamletInputs: h, Category: cat})
	}
	// Whether the hamlet fund is in force on the date (Decree 33/2023 from 2023-08-01): when it is not,
	// what hamlet posts are paid has no fund to be compared with and stays out of the difference, as the
	// province report's paid_without_fund does.
	_, err := policy.HamletFund(policy.HamletFundInput{Kind: policy.Thon, AsOf: asOf})
	rates.hamletInForce = err == nil
	return combos, rates
}

// communeFunds reads the commune fund of each class on the date, or why there is none.
func (nr *nationalRates) communeFunds(asOf policy.Date, lang msg.Lang) {
	for class := 1; class <= 3; class++ {
		cf, err := policy.CommuneFund(policy.CommuneFundInput{Class: class, AsOf: asOf})
		if err != nil {
			note := policyNote(err, lang)
			nr.communeNote = &note
			continue
		}
		nr.commune[class] = &cf.MonthlyFund
	}
}

// nationalTally adds the store's groups to their province and to the country.
type nationalTally struct {
	country *nationalUnit
	units   []*nationalUnit
	byCode  map[string]*nationalUnit
}

func newNationalTally(d store.NationalData) *nationalTally {
	t := &nationalTally{country: newNationalUnit("all", "Việt Nam"), byCode: map[string]*nationalUnit{},
		units: make([]*nationalUnit, 0, len(d.Provinces))}
	for _, pr := range d.Provinces {
		u := newNationalUnit(pr.Code, pr.Name)
		t.byCode[pr.Code] = u
		t.units = append(t.units, u)
	}
	return t
}

// each applies fn to the province's unit (when listed) and to the country.
func (t *nationalTally) each(code string, fn func(u *nationalUnit)) {
	if u, ok := t.byCode[code]; ok {
		fn(u)
	}
	fn(t.country)
}

// summary tallies the store's groups by province and for the country, with the funds and the difference.
func (nr *nationalRates) summary(asOf policy.Date, base decimal.Decimal, d store.NationalData) nationalSummary {
	t := newNationalTally(d)
	nr.tallyCommunes(t, d, asOf)
	for _, h := range d.Hamlets {
		t.each(h.Province, func(u *nationalUnit) {
			u.Hamlets = addHamletCount(u.Hamlets, hamletCount{h.Key1, h.Key2, h.Count})
			u.Funds.HamletFund = u.Funds.HamletFund.Add(nr.hamlet[h.Key2].Mul(decimal.NewFromInt(h.Count)))
		})
	}
	tallyPeople(t, d)
	out := nationalSummary{AsOf: asOf, RulesetVersion: policy.RulesetVersion, BaseSalary: base,
		Provinces: make([]nationalUnit, 0, len(d.Provinces))}
	for _, u := range append(t.units, t.country) {
		nr.settle(&u.Funds)
		if u != t.country {
			out.Provinces = append(out.Provinces, *u)
		}
	}
	out.Country = *t.country
	return out
}

// tallyCommunes counts the communes by kind and class and adds their funds: the class's fund, plus the
// Decree 33/2023 increments commune by commune as the province report computes them (what a commune's
// fund has above its class's fund).
func (nr *nationalRates) tallyCommunes(t *nationalTally, d store.NationalData, asOf policy.Date) {
	zero := decimal.Zero
	for _, c := range d.Communes {
		class, _ := strconv.Atoi(c.Key2)
		t.each(c.Province, func(u *nationalUnit) {
			u.Communes = addCommuneCount(u.Communes, communeCount{c.Key1, class, c.Count})
			if f := nr.commune[class]; f != nil {
				if u.Funds.CommuneFund == nil {
					u.Funds.CommuneFund = &zero
				}
				v := u.Funds.CommuneFund.Add(f.Mul(decimal.NewFromInt(c.Count)))
				u.Funds.CommuneFund = &v
			} else {
				u.Funds.CommuneFundNote = nr.communeNote
			}
		})
	}
	for _, c := range d.Sized {
		base := nr.commune[c.Class]
		if base == nil {
			continue
		}
		cf, err := policy.CommuneFund(communeFundInput(c.ReportCommune, asOf))
		if err != nil || cf.QuotaIncrement == 0 {
			continue
		}
		inc := cf.MonthlyFund.Sub(*base)
		t.each(c.Province, func(u *nationalUnit) {
			v := u.Funds.CommuneFund.Add(inc)
			u.Funds.CommuneFund = &v
		})
	}
}

// tallyPeople counts people and posts by level and post, and the decisions, with what they are paid.
func tallyPeople(t *nationalTally, d store.NationalData) {
	for _, ps := range d.Posts {
		t.each(ps.Province, func(u *nationalUnit) {
			if ps.Key2 == "" {
				u.People = addLevelCount(u.People, levelCount{ps.Key1, ps.People, ps.Count, ps.Amount})
				if ps.Key1 == string(policy.LevelCommune) {
					u.Funds.PaidCommune = u.Funds.PaidCommune.Add(ps.Amount)
				} else {
					u.Funds.PaidHamlet = u.Funds.PaidHamlet.Add(ps.Amount)
				}
				return
			}
			u.Posts = addPositionCount(u.Posts, positionCount{ps.Key1, ps.Key2, ps.People, ps.Count, ps.Amount})
		})
	}
	for _, dc := range d.Decisions {
		t.each(dc.Province, func(u *nationalUnit) {
			u.Decisions = addDecisionCount(u.Decisions, decisionCount{dc.Key1, dc.Count, dc.People, dc.Amount})
		})
	}
}

// settle totals a unit's funds and the difference between what the funds allow and what is paid.
func (nr *nationalRates) settle(f *fundsSummary) {
	f.Paid = f.PaidCommune.Add(f.PaidHamlet)
	f.Fund = f.HamletFund
	f.Difference = f.HamletFund
	if nr.hamletInForce {
		f.Difference = f.Difference.Sub(f.PaidHamlet)
	}
	if f.CommuneFund != nil {
		f.Fund = f.Fund.Add(*f.CommuneFund)
		f.Difference = f.Difference.Add(f.CommuneFund.Sub(f.PaidCommune))
	} else if nr.communeNote != nil {
		f.CommuneFundNote = nr.communeNote
	}
}

// The add* helpers merge a group into a list (the country sums the provinces' groups).
func addCommuneCount(l []communeCount, c communeCount) []communeCount {
	for i := range l {
		if l[i].Kind == c.Kind && l[i].Class == c.Class {
			l[i].Count += c.Count
			return l
		}
	}
	return append(l, c)
}

func addHamletCount(l []hamletCount, c hamletCount) []hamletCount {
	for i := range l {
		if l[i].Kind == c.Kind && l[i].Category == c.Category {
			l[i].Count += c.Count
			return l
		}
	}
	return append(l, c)
}

func addLevelCount(l []levelCount, c levelCount) []levelCount {
	for i := range l {
		if l[i].Level == c.Level {
			l[i].People, l[i].Posts, l[i].Paid = l[i].People+c.People, l[i].Posts+c.Posts, l[i].Paid.Add(c.Paid)
			return l
		}
	}
	return append(l, c)
}

func addPositionCount(l []positionCount, c positionCount) []positionCount {
	for i := range l {
		if l[i].Level == c.Level && l[i].PositionCode == c.PositionCode {
			l[i].People, l[i].Posts, l[i].Paid = l[i].People+c.People, l[i].Posts+c.Posts, l[i].Paid.Add(c.Paid)
			return l
		}
	}
	return append(l, c)
}

func addDecisionCount(l []decisionCount, c decisionCount) []decisionCount {
	for i := range l {
		if l[i].Policy == c.Policy {
			l[i].Count, l[i].People, l[i].Total = l[i].Count+c.Count, l[i].People+c.People, l[i].Total.Add(c.Total)
			return l
		}
	}
	return append(l, c)
}

var nationalCSVHeader = []string{"province", "section", "key1", "key2", "count", "people", "amount"}

// nationalCSVRows is the summary in long form: one row per (province, section, group), the country last.
func nationalCSVRows(s nationalSummary) [][]string {
	var rows [][]string
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	for _, u := range append(s.Provinces, s.Country) {
		for _, c := range u.Communes {
			rows = append(rows, []string{u.Province, "communes", c.Kind, strconv.Itoa(c.Class), i64(c.Count), "", ""})
		}
		for _, h := range u.Hamlets {
			rows = append(rows, []string{u.Province, "hamlets", h.Kind, h.Category, i64(h.Count), "", ""})
		}
		for _, l := range u.People {
			rows = append(rows, []string{u.Province, "people", l.Level, "", i64(l.Posts), i64(l.People), l.Paid.String()})
		}
		for _, p := range u.Posts {
			rows = append(rows, []string{u.Province, "posts", p.Level, p.PositionCode, i64(p.Posts), i64(p.People), p.Paid.String()})
		}
		f := u.Funds
		cf := ""
		if f.CommuneFund != nil {
			cf = f.CommuneFund.String()
		}
		for _, kv := range [][2]string{{"commune_fund", cf}, {"hamlet_fund", f.HamletFund.String()}, {"fund", f.Fund.String()},
			{"paid_commune", f.PaidCommune.String()}, {"paid_hamlet", f.PaidHamlet.String()}, {"paid", f.Paid.String()},
			{"difference", f.Difference.String()}} {
			rows = append(rows, []string{u.Province, "funds", kv[0], "", "", "", kv[1]})
		}
		for _, d := range u.Decisions {
			rows = append(rows, []string{u.Province, "decisions", d.Policy, "", i64(d.Count), i64(d.People), d.Total.String()})
		}
	}
	return rows
}
