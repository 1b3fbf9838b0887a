package api

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// reorgUnitRef names a unit (or hamlet) in a reorganisation's answer.
type reorgUnitRef struct {
	Code          string         `json:"code"`
	UnitID        string         `json:"unit_id,omitempty"`
	Name          string         `json:"name,omitempty"`
	Kind          string         `json:"kind,omitempty"`
	EffectiveFrom *Date          `json:"effective_from,omitempty"`
	EffectiveTo   *Date          `json:"effective_to,omitempty"`
	Coverage      string         `json:"coverage,omitempty"`
	Successors    []reorgUnitRef `json:"successors,omitempty"`
	Already       bool           `json:"already_recorded"`
}

type reorgHamletMove struct {
	HamletCode string `json:"hamlet_code"`
	Name       string `json:"name"`
	FromUnit   string `json:"from_unit"`
	ToUnit     string `json:"to_unit"`
}

type reorgPost struct {
	AssignmentID string `json:"assignment_id"`
	CadreID      string `json:"cadre_id"`
	FullName     string `json:"full_name"`
	PositionCode string `json:"position_code"`
	FromUnit     string `json:"from_unit"`
	ToUnit       string `json:"to_unit,omitempty"`
	EndDate      *Date  `json:"end_date,omitempty"`
}

type reorgBestExit struct {
	Policy   string          `json:"policy"`
	Total    decimal.Decimal `json:"total"`
	Eligible bool            `json:"eligible"`
	Reason   string          `json:"reason"`
}

type reorgPerson struct {
	CadreID  string        `json:"cadre_id"`
	FullName string        `json:"full_name"`
	Post     reorgPost     `json:"post"`
	ExitDate Date          `json:"exit_date"`
	BestExit reorgBestExit `json:"best_exit"`
}

type reorgQuestion struct {
	Kind    string   `json:"kind"` // hamlet | post
	ID      string   `json:"id"`
	Unit    string   `json:"unit"`
	Choices []string `json:"choices"`
	Message string   `json:"message"`
}

type fundLine struct {
	Class       int              `json:"class,omitempty"`
	Category    string           `json:"category,omitempty"`
	Units       int              `json:"units"`
	MonthlyFund *decimal.Decimal `json:"monthly_fund"`
}

type reorgFunds struct {
	On          Date            `json:"on"`
	Communes    []fundLine      `json:"communes"`
	Hamlets     []fundLine      `json:"hamlets"`
	CommuneFund decimal.Decimal `json:"commune_total"`
	HamletFund  decimal.Decimal `json:"hamlet_total"`
}

// reorgSummary is the answer of a preview and of an apply (stored with it).
type reorgSummary struct {
	Mode           string            `json:"mode"`
	ID             string            `json:"reorganisation_id,omitempty"`
	Repeated       bool              `json:"repeated,omitempty"`
	Level          string            `json:"level"`
	EffectiveDate  Date              `json:"effective_date"`
	UnitsClosed    []reorgUnitRef    `json:"units_closed"`
	UnitsCreated   []reorgUnitRef    `json:"units_created"`
	HamletsMoved   []reorgHamletMove `json:"hamlets_moved"`
	PostsMoved     []reorgPost       `json:"posts_moved"`
	PostsEnded     []reorgPost       `json:"posts_ended"`
	PeopleAffected []reorgPerson     `json:"people_affected"`
	NeedsAnswer    []reorgQuestion   `json:"needs_answer"`
	FundsBefore    reorgFunds        `json:"funds_before"`
	FundsAfter     reorgFunds        `json:"funds_after"`
	ExitCostTotal  decimal.Decimal   `json:"exit_cost_total"`
	Warnings       []string          `json:"warnings"`
}

// planner turns what the store read into the actions of an apply and the summary both modes answer.
type planner struct {
	req   *reorgRequest
	vi    bool
	eff   policy.Date
	apply bool
}

func (pl *planner) t(en, vi string) string { return pick(pl.vi, en, vi) }

func unitID(code string, from time.Time) string { return code + "@" + from.Format(time.DateOnly) }

// ended is a post the reorganisation ends, with the day its holder leaves.
type ended struct {
	post store.ReorgPost
	item reorgPost
	exit time.Time
}

func (pl *planner) plan(d store.ReorgData, people store.PeopleReader) (store.ReorgActions, any, error) {
	eff := pl.req.EffectiveDate.Time
	before := eff.AddDate(0, 0, -1)
	sum := &reorgSummary{Level: pl.req.Level, EffectiveDate: pl.req.EffectiveDate, UnitsClosed: []reorgUnitRef{},
		UnitsCreated: []reorgUnitRef{}, HamletsMoved: []reorgHamletMove{}, PostsMoved: []reorgPost{}, PostsEnded: []reorgPost{},
		PeopleAffected: []reorgPerson{}, NeedsAnswer: []reorgQuestion{}, Warnings: []string{}}
	var acts store.ReorgActions
	var ends []ended
	var err error
	if pl.req.Level == "commune" {
		ends, err = pl.planCommunes(d, sum, &acts, before)
	} else {
		ends, err = pl.planHamlets(d, sum, &acts, before)
	}
	if err != nil {
		return acts, nil, err
	}
	if pl.apply && len(sum.NeedsAnswer) > 0 {
		var fields []FieldError
		for _, q := range sum.NeedsAnswer {
			fields = append(fields, FieldError{Pointer: "/" + q.Kind + "s/" + q.ID, Code: "successor_required",
				MessageEN: fmt.Sprintf("%s of %s: choose one of %s", q.ID, q.Unit, strings.Join(q.Choices, ", ")),
				MessageVI: fmt.Sprintf("%s thuộc %s: chọn một trong %s", q.ID, q.Unit, strings.Join(q.Choices, ", "))})
		}
		return acts, nil, errInvalid(
			fmt.Sprintf("%d hamlets or posts are in units that split: say which new unit each goes to; nothing was changed.", len(sum.NeedsAnswer)),
			fmt.Sprintf("%d thôn, tổ dân phố hoặc chức danh thuộc đơn vị bị chia tách: cần chỉ rõ đơn vị mới cho từng trường hợp; chưa thay đổi gì.", len(sum.NeedsAnswer)),
			fields...)
	}
	if err := pl.people(ends, people, sum); err != nil {
		return acts, nil, err
	}
	return acts, sum, nil
}

// people computes each affected person's best exit exactly as the entitlement endpoints do (the same
// buildEntitlement and policy.BestExit, through runOne), one person once (their first ended post).
func (pl *planner) people(ends []ended, read store.PeopleReader, sum *reorgSummary) error {
	byExit := map[time.Time][]string{}
	first := map[string]ended{}
	for _, e := range ends {
		if _, ok := first[e.post.CadreID]; ok {
			continue
		}
		first[e.post.CadreID] = e
		byExit[e.exit] = append(byExit[e.exit], e.post.CadreID)
	}
	exits := make([]time.Time, 0, len(byExit))
	for x := range byExit {
		exits = append(exits, x)
	}
	sort.Slice(exits, func(i, j int) bool { return exits[i].Before(exits[j]) })
	total := decimal.Zero
	for _, x := range exits {
		ids := byExit[x]
		ppl, err := read(ids, x.AddDate(0, 0, -1))
		if err != nil {
			return err
		}
		req := entitlementRequest{ExitDate: Date{Time: x}, LastDayWorked: Date{Time: x.AddDate(0, 0, -1)}, Reason: "reorganisation"}
		calc, _ := newAllowanceCalc(policy.NewDate(x.Date()).AddDays(-1), nil)
		if len(ppl) > 0 {
			calc, _ = newAllowanceCalc(policy.NewDate(x.Date()).AddDays(-1), ppl[0].Schedule)
		}
		for _, p := range ppl {
			res := runOne(p, req, calc)
			e := first[p.CadreID]
			sum.PeopleAffected = append(sum.PeopleAffected, reorgPerson{CadreID: p.CadreID, FullName: p.FullName, Post: e.item,
				ExitDate: Date{Time: x}, BestExit: reorgBestExit{Policy: res.Policy, Total: res.Total, Eligible: res.Eligible, Reason: res.Reason}})
			total = total.Add(res.Total)
		}
	}
	sort.Slice(sum.PeopleAffected, func(i, j int) bool { return sum.PeopleAffected[i].CadreID < sum.PeopleAffected[j].CadreID })
	sum.ExitCostTotal = total
	return nil
}

// communeFunds is the Decree 33 commune fund of units by class on a date (nil amounts when the law has no
// fund on that date, with a warning).
func (pl *planner) communeFunds(f *reorgFunds, classes []int, on policy.Date, sum *reorgSummary) {
	count := map[int]int{}
	for _, c := range classes {
		count[c]++
	}
	f.Communes = []fundLine{}
	for c := 1; c <= 3; c++ {
		if count[c] == 0 {
			continue
		}
		line := fundLine{Class: c, Units: count[c]}
		if res, err := policy.CommuneFund(policy.CommuneFundInput{Class: c, AsOf: on}); err == nil {
			v := res.MonthlyFund.Mul(decimal.NewFromInt(int64(count[c])))
			line.MonthlyFund = &v
			f.CommuneFund = f.CommuneFund.Add(v)
		} else if c == classes[0] || len(count) == 1 {
			sum.Warnings = append(sum.Warnings, pl.t(
				fmt.Sprintf("No Decree 33 commune fund applies on %s: the commune-level non-professional posts had ended.", on),
				fmt.Sprintf("Không có quỹ phụ cấp cấp xã theo Nghị định 33 vào ngày %s: chức danh không chuyên trách cấp xã đã chấm dứt.", on)))
		}
		f.Communes = append(f.Communes, line)
	}
}

// hamletFunds is the Decree 33 hamlet fund of hamlets by category on a date.
func (pl *planner) hamletFunds(f *reorgFunds, hs []store.ReorgHamlet, on policy.Date) {
	type agg struct {
		n    int
		fund decimal.Decimal
	}
	by := map[string]*agg{}
	for _, h := range hs {
		c := &store.ReportCommune{Border: h.CommuneBorder, Island: h.CommuneIsland}
		res, err := policy.HamletFund(hamletInput(h.ReportHamlet, c, on))
		if err != nil {
			continue
		}
		a := by[res.Category]
		if a == nil {
			a = &agg{}
			by[res.Category] = a
		}
		a.n++
		a.fund = a.fund.Add(res.MonthlyFund)
	}
	f.Hamlets = []fundLine{}
	for _, cat := range []string{policy.CategoryHigh, policy.CategoryLow} {
		if a := by[cat]; a != nil {
			v := a.fund
			f.Hamlets = append(f.Hamlets, fundLine{Category: cat, Units: a.n, MonthlyFund: &v})
			f.HamletFund = f.HamletFund.Add(v)
		}
	}
}

// choose picks the successor of a hamlet or post: the only one, or the answer when it names one of them.
func choose(successors []string, answer string) (string, bool) {
	if len(successors) == 1 && answer == "" {
		return successors[0], true
	}
	for _, s := range successors {
		if s == answer {
			return s, true
		}
	}
	return "", false
}

func (pl *planner) question(sum *reorgSummary, kind, id, unit string, choices []string) {
	sum.NeedsAnswer = append(sum.NeedsAnswer, reorgQuestion{Kind: kind, ID: id, Unit: unit, Choices: choices,
		Message: pl.t(fmt.Sprintf("%s splits: say which of %s takes %s.", unit, strings.Join(choices, ", "), id),
			fmt.Sprintf("%s bị chia tách: cần chỉ rõ đơn vị nào trong %s nhận %s.", unit, strings.Join(choices, ", "), id))})
}

func reorgPostItem(p store.ReorgPost, from, to string, end *time.Time) reorgPost {
	it := reorgPost{AssignmentID: p.AssignmentID, CadreID: p.CadreID, FullName: p.FullName, PositionCode: p.PositionCode, FromUnit: from, ToUnit: to}
	if end != nil {
		it.EndDate = &Date{Time: *end}
	}
	return it
}
