// Package national computes the Ministry's national summary by province: units, people and posts, funds
// against what is paid, and approved exit decisions. The rules engine classifies each distinct hamlet and
// gives each fund; SQL does the counting. Both front doors (the JSON API's GET /v1/national/summary and
// the web console's national pages) call Compute, so neither holds the arithmetic.
package national

import (
	"context"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/exits"
	"communehr/internal/msg"
	"communehr/internal/policy"
	"communehr/internal/store"
)

type CommuneCount struct {
	Kind  string `json:"kind"`
	Class int    `json:"class"`
	Count int64  `json:"count"`
}

type HamletCount struct {
	Kind     string `json:"kind"`
	Category string `json:"category"`
	Count    int64  `json:"count"`
}

type LevelCount struct {
	Level  string          `json:"level"`
	People int64           `json:"people"`
	Posts  int64           `json:"posts"`
	Paid   decimal.Decimal `json:"paid"`
}

type PositionCount struct {
	Level        string          `json:"level"`
	PositionCode string          `json:"position_code"`
	People       int64           `json:"people"`
	Posts        int64           `json:"posts"`
	Paid         decimal.Decimal `json:"paid"`
}

type DecisionCount struct {
	Policy string          `json:"policy"`
	Count  int64           `json:"count"`
	People int64           `json:"people"`
	Total  decimal.Decimal `json:"total"`
}

type Funds struct {
	CommuneFund     *decimal.Decimal `json:"commune_fund"`
	CommuneFundNote *string          `json:"commune_fund_note"`
	HamletFund      decimal.Decimal  `json:"hamlet_fund"`
	Fund            decimal.Decimal  `json:"fund"`
	PaidCommune     decimal.Decimal  `json:"paid_commune"`
	PaidHamlet      decimal.Decimal  `json:"paid_hamlet"`
	Paid            decimal.Decimal  `json:"paid"`
	// Difference is fund − paid; null for a province with no allowance schedule in force (nothing can be
	// paid, so the whole fund would show as a "difference"). The country's sums the provinces that have one.
	Difference *decimal.Decimal `json:"difference"`
	// ScheduleMissing: the province has no allowance schedule in force on the date (for the country: some
	// province has none).
	ScheduleMissing bool `json:"schedule_missing"`
}

// Unit is one province's, or the country's, summary.
type Unit struct {
	Province  string          `json:"province"`
	Name      string          `json:"name"`
	Communes  []CommuneCount  `json:"communes"`
	Hamlets   []HamletCount   `json:"hamlets"`
	People    []LevelCount    `json:"people"`
	Posts     []PositionCount `json:"posts"`
	Funds     Funds           `json:"funds"`
	Decisions []DecisionCount `json:"decisions"`
}

type Summary struct {
	AsOf           policy.Date     `json:"as_of"`
	RulesetVersion string          `json:"ruleset_version"`
	BaseSalary     decimal.Decimal `json:"base_salary"`
	Country        Unit            `json:"country"`
	Provinces      []Unit          `json:"provinces"`
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

func newUnit(code, name string) *Unit {
	return &Unit{Province: code, Name: name, Communes: []CommuneCount{}, Hamlets: []HamletCount{},
		People: []LevelCount{}, Posts: []PositionCount{}, Decisions: []DecisionCount{}}
}

// Compute is the national summary on asOf as p sees it (the Ministry: every province), with notes in l.
// A date outside every base salary is the rules engine's *policy.OutOfRangeError.
func Compute(ctx context.Context, st *store.Store, p store.Principal, asOf policy.Date, l msg.Lang) (Summary, error) {
	base, _, err := policy.BaseSalary(asOf)
	if err != nil {
		return Summary{}, err
	}
	on := time.Date(asOf.Year, asOf.Month, asOf.Day, 0, 0, 0, 0, time.UTC)
	// The rules engine classifies each distinct combination of hamlet inputs once; SQL does the rest.
	inputs, err := st.NationalHamletInputs(ctx, p, on)
	if err != nil {
		return Summary{}, err
	}
	combos := make([]store.ClassifiedHamletInputs, 0, len(inputs))
	categoryFund := map[string]decimal.Decimal{}
	for _, h := range inputs {
		hf, err := policy.HamletFund(policy.HamletFundInput{Kind: policy.HamletKind(h.Kind), Households: h.Households,
			KeySecurityOrder: h.KeySecurityOrder, BorderOrIsland: h.BorderOrIsland, ConvertedFromThon: h.ConvertedFromThon, AsOf: asOf})
		cat := ""
		if err == nil {
			cat = hf.Category
			categoryFund[cat] = hf.MonthlyFund
		}
		combos = append(combos, store.ClassifiedHamletInputs{HamletInputs: h, Category: cat})
	}
	d, err := st.NationalSummary(ctx, p, on, combos, base, concurrentFactor(asOf))
	if err != nil {
		return Summary{}, err
	}

	// Whether the hamlet fund is in force on the date (Decree 33/2023 from 2023-08-01): when it is not,
	// what hamlet posts are paid has no fund to be compared with and stays out of the difference, as the
	// province report's paid_without_fund does.
	_, hamletFundErr := policy.HamletFund(policy.HamletFundInput{Kind: policy.Thon, AsOf: asOf})

	communeFund := map[int]*decimal.Decimal{}
	var communeNote *string
	for class := 1; class <= 3; class++ {
		cf, err := policy.CommuneFund(policy.CommuneFundInput{Class: class, AsOf: asOf})
		if err != nil {
			note := exits.PolicyNote(err, l)
			communeNote = &note
			continue
		}
		communeFund[class] = &cf.MonthlyFund
	}

	out := Summary{AsOf: asOf, RulesetVersion: policy.RulesetVersion, BaseSalary: base,
		Provinces: make([]Unit, 0, len(d.Provinces))}
	country := newUnit("all", "Việt Nam")
	byCode := map[string]*Unit{}
	units := make([]*Unit, 0, len(d.Provinces))
	for _, pr := range d.Provinces {
		u := newUnit(pr.Code, pr.Name)
		u.Funds.ScheduleMissing = !pr.HasSchedule
		byCode[pr.Code] = u
		units = append(units, u)
	}
	each := func(code string, fn func(u *Unit)) {
		if u, ok := byCode[code]; ok {
			fn(u)
		}
		fn(country)
	}
	zero := decimal.Zero
	for _, c := range d.Communes {
		class, _ := strconv.Atoi(c.Key2)
		each(c.Province, func(u *Unit) {
			u.Communes = addCommuneCount(u.Communes, CommuneCount{c.Key1, class, c.Count})
			if f := communeFund[class]; f != nil {
				if u.Funds.CommuneFund == nil {
					u.Funds.CommuneFund = &zero
				}
				v := u.Funds.CommuneFund.Add(f.Mul(decimal.NewFromInt(c.Count)))
				u.Funds.CommuneFund = &v
			} else {
				u.Funds.CommuneFundNote = communeNote
			}
		})
	}
	// The Decree 33/2023 increments, commune by commune as the province report computes them: what a
	// commune's fund has above its class's fund.
	for _, c := range d.Sized {
		base := communeFund[c.Class]
		if base == nil {
			continue
		}
		cf, err := policy.CommuneFund(exits.CommuneFundInput(c.ReportCommune, asOf))
		if err != nil || cf.QuotaIncrement == 0 {
			continue
		}
		inc := cf.MonthlyFund.Sub(*base)
		each(c.Province, func(u *Unit) {
			v := u.Funds.CommuneFund.Add(inc)
			u.Funds.CommuneFund = &v
		})
	}
	for _, h := range d.Hamlets {
		each(h.Province, func(u *Unit) {
			u.Hamlets = addHamletCount(u.Hamlets, HamletCount{h.Key1, h.Key2, h.Count})
			u.Funds.HamletFund = u.Funds.HamletFund.Add(categoryFund[h.Key2].Mul(decimal.NewFromInt(h.Count)))
		})
	}
	for _, ps := range d.Posts {
		each(ps.Province, func(u *Unit) {
			if ps.Key2 == "" {
				u.People = addLevelCount(u.People, LevelCount{ps.Key1, ps.People, ps.Count, ps.Amount})
				if ps.Key1 == string(policy.LevelCommune) {
					u.Funds.PaidCommune = u.Funds.PaidCommune.Add(ps.Amount)
				} else {
					u.Funds.PaidHamlet = u.Funds.PaidHamlet.Add(ps.Amount)
				}
				return
			}
			u.Posts = addPositionCount(u.Posts, PositionCount{ps.Key1, ps.Key2, ps.People, ps.Count, ps.Amount})
		})
	}
	for _, dc := range d.Decisions {
		each(dc.Province, func(u *Unit) {
			u.Decisions = addDecisionCount(u.Decisions, DecisionCount{dc.Key1, dc.Count, dc.People, dc.Amount})
		})
	}
	countryDiff := decimal.Zero
	for _, u := range append(units, country) {
		f := &u.Funds
		f.Paid = f.PaidCommune.Add(f.PaidHamlet)
		f.Fund = f.HamletFund
		diff := f.HamletFund
		if hamletFundErr == nil {
			diff = diff.Sub(f.PaidHamlet)
		}
		if f.CommuneFund != nil {
			f.Fund = f.Fund.Add(*f.CommuneFund)
			diff = diff.Add(f.CommuneFund.Sub(f.PaidCommune))
		} else if communeNote != nil {
			f.CommuneFundNote = communeNote
		}
		switch {
		case u == country:
			f.Difference = &countryDiff
		case f.ScheduleMissing:
			country.Funds.ScheduleMissing = true
		default:
			f.Difference = &diff
			countryDiff = countryDiff.Add(diff)
		}
		if u != country {
			out.Provinces = append(out.Provinces, *u)
		}
	}
	out.Country = *country
	return out, nil
}

// The add* helpers merge a group into a list (the country sums the provinces' groups).
func addCommuneCount(l []CommuneCount, c CommuneCount) []CommuneCount {
	for i := range l {
		if l[i].Kind == c.Kind && l[i].Class == c.Class {
			l[i].Count += c.Count
			return l
		}
	}
	return append(l, c)
}

func addHamletCount(l []HamletCount, c HamletCount) []HamletCount {
	for i := range l {
		if l[i].Kind == c.Kind && l[i].Category == c.Category {
			l[i].Count += c.Count
			return l
		}
	}
	return append(l, c)
}

func addLevelCount(l []LevelCount, c LevelCount) []LevelCount {
	for i := range l {
		if l[i].Level == c.Level {
			l[i].People, l[i].Posts, l[i].Paid = l[i].People+c.People, l[i].Posts+c.Posts, l[i].Paid.Add(c.Paid)
			return l
		}
	}
	return append(l, c)
}

func addPositionCount(l []PositionCount, c PositionCount) []PositionCount {
	for i := range l {
		if l[i].Level == c.Level && l[i].PositionCode == c.PositionCode {
			l[i].People, l[i].Posts, l[i].Paid = l[i].People+c.People, l[i].Posts+c.Posts, l[i].Paid.Add(c.Paid)
			return l
		}
	}
	return append(l, c)
}

func addDecisionCount(l []DecisionCount, c DecisionCount) []DecisionCount {
	for i := range l {
		if l[i].Policy == c.Policy {
			l[i].Count, l[i].People, l[i].Total = l[i].Count+c.Count, l[i].People+c.People, l[i].Total.Add(c.Total)
			return l
		}
	}
	return append(l, c)
}

var CSVHeader = []string{"province", "section", "key1", "key2", "count", "people", "amount"}

// CSVRows is the summary in long form: one row per (province, section, group), the country last.
func CSVRows(s Summary) [][]string {
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
			{"difference", decimalOrEmpty(f.Difference)}, {"schedule_missing", strconv.FormatBool(f.ScheduleMissing)}} {
			rows = append(rows, []string{u.Province, "funds", kv[0], "", "", "", kv[1]})
		}
		for _, d := range u.Decisions {
			rows = append(rows, []string{u.Province, "decisions", d.Policy, "", i64(d.Count), i64(d.People), d.Total.String()})
		}
	}
	return rows
}

// decimalOrEmpty is a nullable amount as a CSV cell.
func decimalOrEmpty(d *decimal.Decimal) string {
	if d == nil {
		return ""
	}
	return d.String()
}
