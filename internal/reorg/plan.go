package reorg

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/exits"
	"communehr/internal/msg"
	"communehr/internal/policy"
	"communehr/internal/store"
)

// ExitFunc computes one person's best exit leaving on exit (the first day out) for a reorganisation,
// exactly as the entitlement endpoints do; calc is the allowance calculator of the day before.
type ExitFunc func(p store.EntitlementPerson, exit time.Time, calc *exits.Calc) store.RunResult

// planner turns what the store read into the actions of an apply and the summary both modes answer.
type planner struct {
	req   *Request
	vi    bool
	eff   policy.Date
	apply bool
	exit  ExitFunc
}

// stored is a reason stored in both languages (msg.FromStored) in the request's language: the preview
// answered the raw {"vi":…,"en":…} to API readers.
func (pl *planner) stored(reason string) string {
	t := msg.FromStored(reason)
	return pl.t(t.EN, t.VI)
}

func (pl *planner) t(en, vi string) string {
	if pl.vi {
		return vi
	}
	return en
}

func unitID(code string, from time.Time) string { return code + "@" + from.Format(time.DateOnly) }

// ended is a post the reorganisation ends, with the day its holder leaves.
type ended struct {
	post store.ReorgPost
	item Post
	exit time.Time
}

func (pl *planner) plan(d store.ReorgData, people store.PeopleReader) (store.ReorgActions, any, error) {
	eff := pl.req.Effective
	before := eff.AddDate(0, 0, -1)
	sum := newSummary(pl.req.Level, eff)
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
		return acts, nil, unanswered(sum.NeedsAnswer)
	}
	if err := pl.people(ends, people, sum); err != nil {
		return acts, nil, err
	}
	return acts, sum, nil
}

// unanswered refuses an apply while a split's questions are open; each reason names the hamlet or the
// post's holder and the units to choose from, as an officer knows them (not by the request's ids).
func unanswered(qs []Question) error {
	var fields []Field
	for _, q := range qs {
		en, vi := questionWords(q)
		fields = append(fields, Field{"/" + q.Kind + "s/" + q.ID, "successor_required", en, vi})
	}
	return invalid(
		fmt.Sprintf("%d hamlets or posts are in units that split: say which new unit each goes to; nothing was changed.", len(qs)),
		fmt.Sprintf("%d thôn, tổ dân phố hoặc chức danh thuộc đơn vị bị chia tách: cần chỉ rõ đơn vị mới cho từng trường hợp; chưa thay đổi gì.", len(qs)),
		fields...)
}

// people computes each affected person's best exit exactly as the entitlement endpoints do (through
// pl.exit), one person once (their first ended post).
func (pl *planner) people(ends []ended, read store.PeopleReader, sum *Summary) error {
	byExit := map[time.Time][]string{}
	first := map[string]ended{}
	for _, e := range ends {
		if _, ok := first[e.post.CadreID]; ok {
			continue
		}
		first[e.post.CadreID] = e
		byExit[e.exit] = append(byExit[e.exit], e.post.CadreID)
	}
	exitDays := make([]time.Time, 0, len(byExit))
	for x := range byExit {
		exitDays = append(exitDays, x)
	}
	sort.Slice(exitDays, func(i, j int) bool { return exitDays[i].Before(exitDays[j]) })
	total := decimal.Zero
	for _, x := range exitDays {
		ppl, err := read(byExit[x], x.AddDate(0, 0, -1))
		if err != nil {
			return err
		}
		lastDay := policy.NewDate(x.Date()).AddDays(-1)
		calc, _ := exits.NewCalc(lastDay, nil)
		if len(ppl) > 0 {
			calc, _ = exits.NewCalc(lastDay, ppl[0].Schedule)
		}
		for _, p := range ppl {
			res := pl.exit(p, x, calc)
			e := first[p.CadreID]
			sum.PeopleAffected = append(sum.PeopleAffected, Person{CadreID: p.CadreID, FullName: p.FullName, Post: e.item,
				ExitDate: Date{x}, BestExit: BestExit{Policy: res.Policy, Total: res.Total, Eligible: res.Eligible, Reason: pl.stored(res.Reason)}})
			total = total.Add(res.Total)
		}
	}
	sort.Slice(sum.PeopleAffected, func(i, j int) bool { return sum.PeopleAffected[i].CadreID < sum.PeopleAffected[j].CadreID })
	sum.ExitCostTotal = total
	return nil
}

// communeFunds is the Decree 33 commune fund of units by class on a date (nil amounts when the law has no
// fund on that date, with a warning).
func (pl *planner) communeFunds(f *Funds, classes []int, on policy.Date, sum *Summary) {
	count := map[int]int{}
	for _, c := range classes {
		count[c]++
	}
	f.Communes = []FundLine{}
	for c := 1; c <= 3; c++ {
		if count[c] == 0 {
			continue
		}
		line := FundLine{Class: c, Units: count[c]}
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

// hamletFund is a hamlet's Decree 33 category and monthly fund; ok is false when the law gives none.
type hamletFund struct {
	category string
	fund     decimal.Decimal
	ok       bool
}

// hamletFunds is the Decree 33 hamlet fund of hamlets by category on a date. Hamlets alike (kind,
// households, flags) have the same fund: each input is computed once (a province's 1,400 hamlets are
// about 500 inputs).
func (pl *planner) hamletFunds(f *Funds, hs []store.ReorgHamlet, on policy.Date) {
	type agg struct {
		n    int
		fund decimal.Decimal
	}
	by := map[string]*agg{}
	seen := map[policy.HamletFundInput]hamletFund{}
	for _, h := range hs {
		c := &store.ReportCommune{Border: h.CommuneBorder, Island: h.CommuneIsland}
		in := exits.HamletInput(h.ReportHamlet, c, on)
		res, done := seen[in]
		if !done {
			r, err := policy.HamletFund(in)
			res = hamletFund{r.Category, r.MonthlyFund, err == nil}
			seen[in] = res
		}
		if !res.ok {
			continue
		}
		a := by[res.category]
		if a == nil {
			a = &agg{}
			by[res.category] = a
		}
		a.n++
		a.fund = a.fund.Add(res.fund)
	}
	f.Hamlets = []FundLine{}
	for _, cat := range []string{policy.CategoryHigh, policy.CategoryLow} {
		if a := by[cat]; a != nil {
			v := a.fund
			f.Hamlets = append(f.Hamlets, FundLine{Category: cat, Units: a.n, MonthlyFund: &v})
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

// questionWords is an open question as a reason (msg catalogue): what is asked about — a hamlet by its name
// and code, a post by its title, holder and period; never a record's id — in which unit (by code), and the
// choices.
func questionWords(q Question) (en, vi string) {
	unit, _, _ := strings.Cut(q.Unit, "@")
	var units []string
	end := false
	for _, c := range q.Choices {
		if c == "end" {
			end = true
			continue
		}
		units = append(units, c)
	}
	choices := strings.Join(units, ", ")
	var m msg.Message
	switch {
	case q.Kind == "hamlet":
		m = msg.New("reorg.question_hamlet", q.Name, q.ID, unit, choices)
	case end:
		m = msg.New("reorg.question_post_or_end", postWords(q), unit, choices)
	default:
		m = msg.New("reorg.question_post", postWords(q), unit, choices)
	}
	return m.EN(), m.VI()
}

// postWords names a question's post: its title (when known), its holder and its period.
func postWords(q Question) msg.Text {
	en, vi := "the post of "+q.Name, "chức danh của "+q.Name
	if q.TitleEN != "" || q.TitleVI != "" {
		en, vi = fmt.Sprintf("the post %s held by %s", q.TitleEN, q.Name), fmt.Sprintf("chức danh %s của %s", q.TitleVI, q.Name)
	}
	switch {
	case q.Start.IsZero():
	case q.End == nil:
		en, vi = fmt.Sprintf("%s (from %s)", en, q.Start.Format(time.DateOnly)), fmt.Sprintf("%s (từ %s)", vi, q.Start.Format(time.DateOnly))
	default:
		from, to := q.Start.Format(time.DateOnly), q.End.Format(time.DateOnly)
		en, vi = fmt.Sprintf("%s (%s to %s)", en, from, to), fmt.Sprintf("%s (từ %s đến %s)", vi, from, to)
	}
	return msg.Text{VI: vi, EN: en}
}

// ask records an open question, its message worded by questionWords in the request's language.
func (pl *planner) ask(sum *Summary, q Question) {
	en, vi := questionWords(q)
	q.Message = pl.t(en, vi)
	sum.NeedsAnswer = append(sum.NeedsAnswer, q)
}

// hamletQuestion asks which new unit takes a hamlet, naming it.
func (pl *planner) hamletQuestion(sum *Summary, h store.ReorgHamlet, unit string, choices []string) {
	pl.ask(sum, Question{Kind: "hamlet", ID: h.Code, Unit: unit, Choices: choices, Name: h.Name})
}

// postQuestion asks where a post goes, naming its holder, title and period.
func (pl *planner) postQuestion(sum *Summary, p store.ReorgPost, unit string, choices []string) {
	pl.ask(sum, Question{Kind: "post", ID: p.AssignmentID, Unit: unit, Choices: choices, Name: p.FullName,
		PositionCode: p.PositionCode, TitleEN: p.TitleEN, TitleVI: p.TitleVI, Start: p.Start, End: p.End})
}

func postItem(p store.ReorgPost, from, to string, end *time.Time) Post {
	it := Post{AssignmentID: p.AssignmentID, CadreID: p.CadreID, FullName: p.FullName, PositionCode: p.PositionCode, FromUnit: from, ToUnit: to}
	if end != nil {
		it.EndDate = &Date{*end}
	}
	return it
}

// tooMany caps the units a 422 lists one by one.
const tooMany = 50

func missingUnits(pl *planner, codes []string, on time.Time, what string) error {
	var fields []Field
	for i, c := range codes {
		if i == tooMany {
			break
		}
		fields = append(fields, Field{"/mapping/" + c, "unknown_unit",
			fmt.Sprintf("no %s of code %s is in force on %s", what, c, on.Format(time.DateOnly)),
			fmt.Sprintf("không có %s mã %s còn hiệu lực vào ngày %s", map[string]string{"unit": "đơn vị", "hamlet": "thôn, tổ dân phố"}[what], c, on.Format(time.DateOnly))})
	}
	hint, hintVI := "", ""
	if pl.req.National {
		hint, hintVI = " Load the province's reference units first.", " Hãy nạp danh mục đơn vị tham chiếu của tỉnh trước."
	}
	return invalid(fmt.Sprintf("%d units of the mapping are not in the register on the day before the reorganisation.%s", len(codes), hint),
		fmt.Sprintf("%d đơn vị trong bảng chuyển đổi không có trong sổ vào ngày trước khi sắp xếp.%s", len(codes), hintVI), fields...)
}

// notAsItIs is the 422 of a mapping the register cannot take as it is.
func notAsItIs(bad []Field) error {
	if len(bad) > tooMany {
		bad = bad[:tooMany]
	}
	return invalid("The mapping cannot be applied as it is.", "Không thể áp dụng bảng chuyển đổi như hiện tại.", bad...)
}

// lawEnd is the last day of the commune-level posts: the law's, or the province's own end.
func lawEnd(d store.ReorgData) time.Time {
	ld := policy.CommunePostsLastDay(d.CommunePostsEnd).LastDay
	t, _ := time.Parse(time.DateOnly, ld.String())
	return t
}
