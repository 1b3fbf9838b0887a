package reorg

import (
	"fmt"
	"sort"
	"time"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// hamletPlan is a hamlet-level reorganisation being planned.
type hamletPlan struct {
	*planner
	d        store.ReorgData
	sum      *Summary
	acts     *store.ReorgActions
	before   time.Time
	hs       map[string]store.ReorgHamlet
	succ     map[string][]string
	cov      map[[2]string]string
	info     map[string]Entry
	oldSet   map[string]bool
	newCodes []string
	after    []store.ReorgHamlet
	movedIn  map[string][]movedPost // posts the plan moves into each hamlet (hamlet_rules.go)
	refused  []Field                // answers that would break a post rule (hamlet_rules.go)
}

// planHamlets plans a hamlet merger (or split): close the old hamlets the day before, create the new ones
// or add the merged households to the hamlet that absorbs them (a dated change, so reads before the date
// keep the old figure), and move each post to the new hamlet while the post's limit per hamlet allows;
// beyond it (two heads for one hamlet) the province says which post ends.
func (pl *planner) planHamlets(d store.ReorgData, sum *Summary, acts *store.ReorgActions, before time.Time) ([]ended, error) {
	hp := &hamletPlan{planner: pl, d: d, sum: sum, acts: acts, before: before}
	if err := hp.index(); err != nil {
		return nil, err
	}
	bad := hp.checkSuccessors()
	for _, c := range hp.newCodes {
		if f := hp.newHamlet(c); f != nil {
			bad = append(bad, *f)
		}
	}
	if len(bad) > 0 {
		return nil, invalid("The mapping cannot be applied as it is.", "Không thể áp dụng bảng chuyển đổi như hiện tại.", bad...)
	}
	hp.closeHamlets()
	ends := hp.posts()
	if len(hp.refused) > 0 {
		return nil, invalid("The answers would give a hamlet more holders of a post than the law allows.",
			"Phương án trả lời làm một thôn, tổ dân phố có nhiều người giữ chức danh hơn quy định.", hp.refused...)
	}
	sum.FundsBefore.On, sum.FundsAfter.On = Date{before}, Date{pl.req.Effective}
	sum.FundsBefore.Communes, sum.FundsAfter.Communes = []FundLine{}, []FundLine{}
	pl.hamletFunds(&sum.FundsBefore, d.Hamlets, policy.NewDate(before.Date()))
	pl.hamletFunds(&sum.FundsAfter, hp.after, pl.eff)
	return ends, nil
}

// index reads the mapping against the hamlets read; an old code the register lacks is refused.
func (hp *hamletPlan) index() error {
	hp.hs = map[string]store.ReorgHamlet{}
	for _, h := range hp.d.Hamlets {
		hp.hs[h.Code] = h
	}
	hp.succ, hp.cov, hp.info, hp.oldSet = map[string][]string{}, map[[2]string]string{}, map[string]Entry{}, map[string]bool{}
	var missing []string
	for _, e := range hp.req.Entries {
		if _, ok := hp.hs[e.Old]; !ok && !hp.oldSet[e.Old] {
			missing = append(missing, e.Old)
		}
		hp.oldSet[e.Old] = true
		hp.succ[e.Old] = append(hp.succ[e.Old], e.New)
		hp.cov[[2]string{e.Old, e.New}] = e.Coverage
		if _, ok := hp.info[e.New]; !ok || hp.info[e.New].NewName == "" {
			hp.info[e.New] = e
		}
	}
	if len(missing) > 0 {
		return missingUnits(hp.planner, missing, hp.before, "hamlet")
	}
	hp.newCodes = make([]string, 0, len(hp.info))
	for c := range hp.info {
		hp.newCodes = append(hp.newCodes, c)
	}
	sort.Strings(hp.newCodes)
	return nil
}

// checkSuccessors refuses a hamlet that both closes and takes in others.
func (hp *hamletPlan) checkSuccessors() []Field {
	var bad []Field
	for _, c := range hp.newCodes {
		if hp.oldSet[c] {
			bad = append(bad, Field{"/mapping/" + c, "successor_is_closed",
				fmt.Sprintf("hamlet %s cannot both close and take in others", c),
				fmt.Sprintf("thôn, tổ dân phố %s không thể vừa chấm dứt vừa nhận đơn vị khác", c)})
		}
	}
	return bad
}

// newHamlet makes the new hamlet c: the households of the hamlets that go whole into it are added to it
// (an existing hamlet changes from the date; a missing one is created like its first predecessor).
func (hp *hamletPlan) newHamlet(c string) *Field {
	add := 0
	var first *store.ReorgHamlet
	for _, e := range hp.req.Entries {
		if e.New == c && e.Coverage == "full" {
			h := hp.hs[e.Old]
			add += h.Households
			if first == nil {
				first = &h
			}
		}
	}
	if h, ok := hp.hs[c]; ok {
		next := h
		next.Households += add
		hp.after = append(hp.after, next)
		if add > 0 {
			hp.acts.HamletChanges = append(hp.acts.HamletChanges, store.Hamlet{Code: c, Households: next.Households})
		}
		return nil
	}
	e := hp.info[c]
	if e.NewName == "" {
		return &Field{"/mapping/" + c, "new_unit",
			fmt.Sprintf("hamlet %s is not in the register: give its name to create it", c),
			fmt.Sprintf("thôn, tổ dân phố %s chưa có trong sổ: cần ghi tên để tạo mới", c)}
	}
	if first == nil {
		for _, e := range hp.req.Entries {
			if e.New == c {
				h := hp.hs[e.Old]
				first = &h
				break
			}
		}
	}
	hp.createHamlet(c, e, first, add)
	return nil
}

func (hp *hamletPlan) createHamlet(c string, e Entry, first *store.ReorgHamlet, households int) {
	eff := hp.req.Effective
	kind := first.Kind
	if e.NewKind == "thon" || e.NewKind == "to_dan_pho" {
		kind = e.NewKind
	}
	cf := first.CommuneFrom
	nh := store.Hamlet{Code: c, CommuneCode: first.CommuneCode, CommuneFrom: &cf, Name: e.NewName, Kind: kind, Households: households,
		KeySecurityOrder: first.KeySecurityOrder, BorderOrIsland: first.BorderOrIsland, EffectiveFrom: eff}
	hp.acts.CreateHamlets = append(hp.acts.CreateHamlets, nh)
	rh := *first
	rh.Code, rh.Name, rh.Kind, rh.Households, rh.From = c, e.NewName, kind, households, eff
	hp.after = append(hp.after, rh)
	hp.sum.UnitsCreated = append(hp.sum.UnitsCreated, UnitRef{Code: c, Name: e.NewName, Kind: kind, EffectiveFrom: &Date{eff}})
}

// closeHamlets closes the old hamlets the day before, with their successors.
func (hp *hamletPlan) closeHamlets() {
	for _, h := range hp.d.Hamlets {
		if !hp.oldSet[h.Code] {
			continue
		}
		ref := UnitRef{Code: h.Code, Name: h.Name, Kind: h.Kind, EffectiveFrom: &Date{h.From}, EffectiveTo: &Date{hp.before},
			Already: h.To != nil && h.To.Equal(hp.before)}
		for _, s := range hp.succ[h.Code] {
			ref.Successors = append(ref.Successors, UnitRef{Code: s, Coverage: hp.cov[[2]string{h.Code, s}]})
		}
		if !ref.Already {
			var sc *string
			if ss := hp.succ[h.Code]; len(ss) == 1 {
				sc = &ss[0]
			}
			hp.acts.CloseHamlets = append(hp.acts.CloseHamlets, store.ReorgClose{Code: h.Code, From: h.From, To: hp.before, Successor: sc})
		}
		hp.sum.UnitsClosed = append(hp.sum.UnitsClosed, ref)
	}
}

// posts moves the closed hamlets' posts while the hamlet they go to can take them (crowded, in
// hamlet_rules.go: every holder in force on or after the date counts); beyond it, or where the hamlet
// splits, the province says, and an answer that would break the limit is refused.
func (hp *hamletPlan) posts() []ended {
	var ends []ended
	for _, p := range hp.d.Posts {
		if p.HamletCode == nil || !hp.oldSet[*p.HamletCode] {
			continue
		}
		from := *p.HamletCode
		answer := hp.req.Posts[p.AssignmentID]
		to, ok := "", false
		if answer != "end" {
			to, ok = choose(hp.succ[from], answer)
		}
		var crowded *Field
		if ok {
			crowded = hp.crowded(p, to)
		}
		switch {
		case crowded != nil && answer == "":
			hp.postQuestion(hp.sum, p, from, append(hp.succ[from], "end"))
		case crowded != nil:
			hp.refused = append(hp.refused, *crowded)
		case answer == "end":
			end := hp.before
			it := postItem(p, from, "", &end)
			hp.sum.PostsEnded = append(hp.sum.PostsEnded, it)
			hp.acts.EndPosts = append(hp.acts.EndPosts, store.ReorgPostEnd{AssignmentID: p.AssignmentID, End: end})
			ends = append(ends, ended{post: p, item: it, exit: hp.req.Effective})
		case !ok:
			hp.postQuestion(hp.sum, p, from, append(hp.succ[from], "end"))
		default:
			hp.moveIn(p, to)
			hc := to
			hp.acts.SplitPosts = append(hp.acts.SplitPosts, store.ReorgPostSplit{AssignmentID: p.AssignmentID, OldEnd: hp.before, NewStart: hp.req.Effective,
				NewEnd: p.End, HamletCode: &hc})
			hp.sum.PostsMoved = append(hp.sum.PostsMoved, postItem(p, from, to, nil))
		}
	}
	return ends
}
