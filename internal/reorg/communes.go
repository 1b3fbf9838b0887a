package reorg

import (
	"fmt"
	"sort"
	"time"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// communePlan is a commune-level reorganisation being planned: the mapping indexed, the new units' keys
// and classes, and the hamlets each moves where.
type communePlan struct {
	*planner
	d        store.ReorgData
	sum      *Summary
	acts     *store.ReorgActions
	before   time.Time
	old      map[string]store.ReorgUnit
	nu       map[string]store.ReorgUnit // new codes already in force on the date (not an old unit)
	succ     map[string][]string
	cov      map[[2]string]string
	info     map[string]Entry
	newCodes []string
	newKey   map[string]store.UnitKey
	newClass map[string]int
	moved    map[string]string
	after    []store.ReorgHamlet
}

// planCommunes plans a reorganisation of commune-level units: close the old units the day before, create
// the new ones that the register lacks, record the lineage, move hamlets to their new unit, and carry the
// commune-level posts into the new unit until the law ends them.
func (pl *planner) planCommunes(d store.ReorgData, sum *Summary, acts *store.ReorgActions, before time.Time) ([]ended, error) {
	cp := &communePlan{planner: pl, d: d, sum: sum, acts: acts, before: before}
	if err := cp.index(); err != nil {
		return nil, err
	}
	bad := cp.checkSuccessors()
	bad = append(bad, cp.createUnits()...)
	if len(bad) > 0 {
		return nil, notAsItIs(bad)
	}
	cp.closeUnits()
	cp.moveHamlets()
	ends := cp.posts()
	cp.funds()
	return ends, nil
}

// index reads the mapping against the units read: successors and coverage of each old unit, the entry
// describing each new one; an old code the register lacks is refused.
func (cp *communePlan) index() error {
	cp.old = map[string]store.ReorgUnit{}
	for _, u := range cp.d.OldUnits {
		cp.old[u.Code] = u
	}
	cp.nu = map[string]store.ReorgUnit{}
	for _, u := range cp.d.NewUnits {
		if o, ok := cp.old[u.Code]; !ok || !o.From.Equal(u.From) {
			cp.nu[u.Code] = u
		}
	}
	cp.succ, cp.cov, cp.info = map[string][]string{}, map[[2]string]string{}, map[string]Entry{}
	var missing []string
	seen := map[string]bool{}
	for _, e := range cp.req.Entries {
		if _, ok := cp.old[e.Old]; !ok && !seen[e.Old] {
			missing = append(missing, e.Old)
		}
		seen[e.Old] = true
		cp.succ[e.Old] = append(cp.succ[e.Old], e.New)
		cp.cov[[2]string{e.Old, e.New}] = e.Coverage
		if _, ok := cp.info[e.New]; !ok || cp.info[e.New].NewName == "" {
			cp.info[e.New] = e
		}
	}
	for _, e := range cp.req.standalone {
		if _, ok := cp.info[e.New]; !ok {
			cp.info[e.New] = e
		}
	}
	if len(missing) > 0 {
		return missingUnits(cp.planner, missing, cp.before, "unit")
	}
	return nil
}

// checkSuccessors refuses an old unit with too many successors, or one that goes whole into a unit and
// also into others.
func (cp *communePlan) checkSuccessors() []Field {
	var bad []Field
	for o, ss := range cp.succ {
		full := 0
		for _, s := range ss {
			if cp.cov[[2]string{o, s}] == "full" {
				full++
			}
		}
		if len(ss) > store.MaxSuccessors || (full > 0 && len(ss) > 1) {
			bad = append(bad, Field{"/mapping/" + o, "successors",
				fmt.Sprintf("unit %s: at most %d successors, and a unit that goes whole into one has no other", o, store.MaxSuccessors),
				fmt.Sprintf("đơn vị %s: tối đa %d đơn vị kế thừa, và đơn vị nhập toàn bộ vào một đơn vị thì không có đơn vị kế thừa khác", o, store.MaxSuccessors)})
		}
	}
	return bad
}

// createUnits keys every new unit: one in force on the date is used as it is; one the register lacks is
// created from the mapping's name and kind, with the class of the highest-class unit merged whole into
// it (else 3).
func (cp *communePlan) createUnits() []Field {
	cp.newCodes = make([]string, 0, len(cp.info))
	for c := range cp.info {
		cp.newCodes = append(cp.newCodes, c)
	}
	sort.Strings(cp.newCodes)
	fullClass := map[string]int{}
	for _, e := range cp.req.Entries {
		if c, ok := fullClass[e.New]; e.Coverage == "full" && (!ok || cp.old[e.Old].Class < c) {
			fullClass[e.New] = cp.old[e.Old].Class
		}
	}
	eff := cp.req.Effective
	cp.newKey, cp.newClass = map[string]store.UnitKey{}, map[string]int{}
	var bad []Field
	for _, c := range cp.newCodes {
		if u, ok := cp.nu[c]; ok {
			cp.newKey[c], cp.newClass[c] = u.Key(), u.Class
			if u.From.Equal(eff) {
				cp.sum.UnitsCreated = append(cp.sum.UnitsCreated, UnitRef{Code: c, UnitID: unitID(c, u.From), Name: u.Name, Kind: u.Kind, EffectiveFrom: &Date{u.From}, Already: true})
			}
			continue
		}
		e := cp.info[c]
		if e.NewName == "" || (e.NewKind != "xa" && e.NewKind != "phuong" && e.NewKind != "thi_tran" && e.NewKind != "dac_khu") {
			bad = append(bad, Field{"/mapping/" + c, "new_unit",
				fmt.Sprintf("unit %s is not in the register on %s: give its name and kind to create it", c, eff.Format(time.DateOnly)),
				fmt.Sprintf("đơn vị %s chưa có trong sổ vào ngày %s: cần ghi tên và loại đơn vị để tạo mới", c, eff.Format(time.DateOnly))})
			continue
		}
		class := 3
		if c, ok := fullClass[c]; ok {
			class = c
		}
		cp.newKey[c], cp.newClass[c] = store.UnitKey{Code: c, From: eff}, class
		cp.acts.CreateUnits = append(cp.acts.CreateUnits, store.ReorgUnit{Code: c, Name: e.NewName, Kind: e.NewKind, From: eff, Class: class})
		cp.sum.UnitsCreated = append(cp.sum.UnitsCreated, UnitRef{Code: c, UnitID: unitID(c, eff), Name: e.NewName, Kind: e.NewKind, EffectiveFrom: &Date{eff}})
	}
	return bad
}

// closeUnits closes the old units the day before, with their successors.
func (cp *communePlan) closeUnits() {
	for _, o := range cp.d.OldUnits {
		ref := UnitRef{Code: o.Code, UnitID: unitID(o.Code, o.From), Name: o.Name, Kind: o.Kind, EffectiveFrom: &Date{o.From},
			EffectiveTo: &Date{cp.before}, Already: o.To != nil && o.To.Equal(cp.before)}
		for _, s := range cp.succ[o.Code] {
			k := cp.newKey[s]
			ref.Successors = append(ref.Successors, UnitRef{Code: s, UnitID: k.String(), Coverage: cp.cov[[2]string{o.Code, s}]})
			cp.acts.Links = append(cp.acts.Links, store.LineageLink{From: o.Key(), To: k, Coverage: cp.cov[[2]string{o.Code, s}]})
		}
		if !ref.Already {
			var sc *string
			if ss := cp.succ[o.Code]; len(ss) == 1 && ss[0] != o.Code {
				sc = &ss[0]
			}
			cp.acts.CloseUnits = append(cp.acts.CloseUnits, store.ReorgClose{Code: o.Code, From: o.From, To: cp.before, Successor: sc})
		}
		cp.sum.UnitsClosed = append(cp.sum.UnitsClosed, ref)
	}
}

// moveHamlets sends each hamlet to its unit's successor; a split asks which.
func (cp *communePlan) moveHamlets() {
	cp.moved = map[string]string{}
	for _, h := range cp.d.Hamlets {
		from := unitID(h.CommuneCode, h.CommuneFrom)
		to, ok := choose(cp.succ[h.CommuneCode], cp.req.Hamlets[h.Code])
		if !ok {
			cp.hamletQuestion(cp.sum, h, from, cp.succ[h.CommuneCode])
			continue
		}
		k := cp.newKey[to]
		cp.moved[h.Code] = k.String()
		cp.acts.MoveHamlets = append(cp.acts.MoveHamlets, store.ReorgMove{HamletCode: h.Code, CommuneCode: k.Code, CommuneFrom: k.From})
		cp.sum.HamletsMoved = append(cp.sum.HamletsMoved, HamletMove{HamletCode: h.Code, Name: h.Name, FromUnit: from, ToUnit: k.String()})
		cp.after = append(cp.after, h)
	}
}

// posts: hamlet posts go with their hamlet; commune-level posts continue in the successor until the law
// (or the province's own end of the transition) ends them.
func (cp *communePlan) posts() []ended {
	end := lawEnd(cp.d)
	var ends []ended
	for _, p := range cp.d.Posts {
		if p.HamletCode != nil {
			if to, ok := cp.moved[*p.HamletCode]; ok {
				cp.sum.PostsMoved = append(cp.sum.PostsMoved, postItem(p, *p.HamletCode, to, nil))
			}
			continue
		}
		if e, ok := cp.communePost(p, end); ok {
			ends = append(ends, e)
		}
	}
	return ends
}

// communePost ends a commune-level post (the law ended it, or the province says so) or carries it into
// the successor; it reports the post when its holder leaves.
func (cp *communePlan) communePost(p store.ReorgPost, lawEnd time.Time) (ended, bool) {
	eff := cp.req.Effective
	from := unitID(*p.CommuneCode, *p.CommuneFrom)
	answer := cp.req.Posts[p.AssignmentID]
	if lawEnd.Before(eff) || answer == "end" {
		end := cp.before
		if lawEnd.Before(cp.before) && !lawEnd.Before(p.Start) {
			end = lawEnd
		}
		it := postItem(p, from, "", &end)
		cp.sum.PostsEnded = append(cp.sum.PostsEnded, it)
		cp.acts.EndPosts = append(cp.acts.EndPosts, store.ReorgPostEnd{AssignmentID: p.AssignmentID, End: end})
		return ended{post: p, item: it, exit: end.AddDate(0, 0, 1)}, true
	}
	to, ok := choose(cp.succ[*p.CommuneCode], answer)
	if !ok {
		cp.postQuestion(cp.sum, p, from, cp.succ[*p.CommuneCode])
		return ended{}, false
	}
	k := cp.newKey[to]
	newEnd := lawEnd
	endedByLaw := p.End == nil || p.End.After(lawEnd)
	if !endedByLaw {
		newEnd = *p.End
	}
	code, kf := k.Code, k.From
	cp.acts.SplitPosts = append(cp.acts.SplitPosts, store.ReorgPostSplit{AssignmentID: p.AssignmentID, OldEnd: cp.before, NewStart: eff,
		NewEnd: &newEnd, CommuneCode: &code, CommuneFrom: &kf})
	cp.sum.PostsMoved = append(cp.sum.PostsMoved, postItem(p, from, k.String(), nil))
	if !endedByLaw {
		return ended{}, false
	}
	it := postItem(p, from, k.String(), &newEnd)
	cp.sum.PostsEnded = append(cp.sum.PostsEnded, it)
	return ended{post: p, item: it, exit: newEnd.AddDate(0, 0, 1)}, true
}

// funds: the old units and their hamlets the day before; the new units and the moved hamlets on the date.
func (cp *communePlan) funds() {
	sum := cp.sum
	sum.FundsBefore.On, sum.FundsAfter.On = Date{cp.before}, Date{cp.req.Effective}
	var classesBefore, classesAfter []int
	for _, o := range cp.d.OldUnits {
		classesBefore = append(classesBefore, o.Class)
	}
	for _, c := range cp.newCodes {
		classesAfter = append(classesAfter, cp.newClass[c])
	}
	dayBefore := policy.NewDate(cp.before.Date())
	cp.communeFunds(&sum.FundsBefore, classesBefore, dayBefore, sum)
	cp.communeFunds(&sum.FundsAfter, classesAfter, cp.eff, sum)
	cp.hamletFunds(&sum.FundsBefore, cp.d.Hamlets, dayBefore)
	cp.hamletFunds(&sum.FundsAfter, cp.after, cp.eff)
}
