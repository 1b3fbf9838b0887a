package api

import (
	"fmt"
	"sort"
	"time"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// tooMany caps the units a 422 lists one by one.
const tooMany = 50

func missingUnits(pl *planner, codes []string, on time.Time, what string) error {
	var fields []FieldError
	for i, c := range codes {
		if i == tooMany {
			break
		}
		fields = append(fields, FieldError{Pointer: "/mapping/" + c, Code: "unknown_unit",
			MessageEN: fmt.Sprintf("no %s of code %s is in force on %s", what, c, on.Format(time.DateOnly)),
			MessageVI: fmt.Sprintf("không có %s mã %s còn hiệu lực vào ngày %s", map[string]string{"unit": "đơn vị", "hamlet": "thôn, tổ dân phố"}[what], c, on.Format(time.DateOnly))})
	}
	hint, hintVI := "", ""
	if pl.req.national {
		hint, hintVI = " Load the province's reference units first.", " Hãy nạp danh mục đơn vị tham chiếu của tỉnh trước."
	}
	return errInvalid(fmt.Sprintf("%d units of the mapping are not in the register on the day before the reorganisation.%s", len(codes), hint),
		fmt.Sprintf("%d đơn vị trong bảng chuyển đổi không có trong sổ vào ngày trước khi sắp xếp.%s", len(codes), hintVI), fields...)
}

// planCommunes plans a reorganisation of commune-level units: close the old units the day before, create
// the new ones that the register lacks, record the lineage, move hamlets to their new unit, and carry the
// commune-level posts into the new unit until the law ends them.
func (pl *planner) planCommunes(d store.ReorgData, sum *reorgSummary, acts *store.ReorgActions, before time.Time) ([]ended, error) {
	eff := pl.req.EffectiveDate.Time
	old := map[string]store.ReorgUnit{}
	for _, u := range d.OldUnits {
		old[u.Code] = u
	}
	isOld := func(u store.ReorgUnit) bool { o, ok := old[u.Code]; return ok && o.From.Equal(u.From) }
	nu := map[string]store.ReorgUnit{}
	for _, u := range d.NewUnits {
		if !isOld(u) {
			nu[u.Code] = u
		}
	}
	succ := map[string][]string{}
	cov := map[[2]string]string{}
	info := map[string]reorgEntry{}
	var missing []string
	seen := map[string]bool{}
	for _, e := range pl.req.entries {
		if _, ok := old[e.Old]; !ok && !seen[e.Old] {
			missing = append(missing, e.Old)
		}
		seen[e.Old] = true
		succ[e.Old] = append(succ[e.Old], e.New)
		cov[[2]string{e.Old, e.New}] = e.Coverage
		if _, ok := info[e.New]; !ok || info[e.New].NewName == "" {
			info[e.New] = e
		}
	}
	for _, e := range pl.req.standalone {
		if _, ok := info[e.New]; !ok {
			info[e.New] = e
		}
	}
	if len(missing) > 0 {
		return nil, missingUnits(pl, missing, before, "unit")
	}
	var bad []FieldError
	for o, ss := range succ {
		full := 0
		for _, s := range ss {
			if cov[[2]string{o, s}] == "full" {
				full++
			}
		}
		if len(ss) > store.MaxSuccessors || (full > 0 && len(ss) > 1) {
			bad = append(bad, FieldError{Pointer: "/mapping/" + o, Code: "successors",
				MessageEN: fmt.Sprintf("unit %s: at most %d successors, and a unit that goes whole into one has no other", o, store.MaxSuccessors),
				MessageVI: fmt.Sprintf("đơn vị %s: tối đa %d đơn vị kế thừa, và đơn vị nhập toàn bộ vào một đơn vị thì không có đơn vị kế thừa khác", o, store.MaxSuccessors)})
		}
	}
	// New units the register lacks are created from the mapping's names and kinds.
	newCodes := make([]string, 0, len(info))
	for c := range info {
		newCodes = append(newCodes, c)
	}
	sort.Strings(newCodes)
	fullClass := map[string]int{}
	for _, e := range pl.req.entries {
		if c, ok := fullClass[e.New]; e.Coverage == "full" && (!ok || old[e.Old].Class < c) {
			fullClass[e.New] = old[e.Old].Class
		}
	}
	newKey := map[string]store.UnitKey{}
	newClass := map[string]int{}
	for _, c := range newCodes {
		if u, ok := nu[c]; ok {
			newKey[c], newClass[c] = u.Key(), u.Class
			if u.From.Equal(eff) {
				f := Date{Time: u.From}
				sum.UnitsCreated = append(sum.UnitsCreated, reorgUnitRef{Code: c, UnitID: unitID(c, u.From), Name: u.Name, Kind: u.Kind, EffectiveFrom: &f, Already: true})
			}
			continue
		}
		e := info[c]
		if e.NewName == "" || (e.NewKind != "xa" && e.NewKind != "phuong" && e.NewKind != "thi_tran" && e.NewKind != "dac_khu") {
			bad = append(bad, FieldError{Pointer: "/mapping/" + c, Code: "new_unit",
				MessageEN: fmt.Sprintf("unit %s is not in the register on %s: give its name and kind to create it", c, eff.Format(time.DateOnly)),
				MessageVI: fmt.Sprintf("đơn vị %s chưa có trong sổ vào ngày %s: cần ghi tên và loại đơn vị để tạo mới", c, eff.Format(time.DateOnly))})
			continue
		}
		class := 3 // the class of the highest-class unit merged whole into it, else 3
		if c, ok := fullClass[c]; ok {
			class = c
		}
		newKey[c], newClass[c] = store.UnitKey{Code: c, From: eff}, class
		acts.CreateUnits = append(acts.CreateUnits, store.ReorgUnit{Code: c, Name: e.NewName, Kind: e.NewKind, From: eff, Class: class})
		f := Date{Time: eff}
		sum.UnitsCreated = append(sum.UnitsCreated, reorgUnitRef{Code: c, UnitID: unitID(c, eff), Name: e.NewName, Kind: e.NewKind, EffectiveFrom: &f})
	}
	if len(bad) > 0 {
		if len(bad) > tooMany {
			bad = bad[:tooMany]
		}
		return nil, errInvalid("The mapping cannot be applied as it is.", "Không thể áp dụng bảng chuyển đổi như hiện tại.", bad...)
	}
	// Old units close the day before, with their successors.
	for _, o := range d.OldUnits {
		ref := reorgUnitRef{Code: o.Code, UnitID: unitID(o.Code, o.From), Name: o.Name, Kind: o.Kind, EffectiveFrom: &Date{Time: o.From},
			EffectiveTo: &Date{Time: before}, Already: o.To != nil && o.To.Equal(before)}
		for _, s := range succ[o.Code] {
			k := newKey[s]
			ref.Successors = append(ref.Successors, reorgUnitRef{Code: s, UnitID: k.String(), Coverage: cov[[2]string{o.Code, s}]})
			acts.Links = append(acts.Links, store.LineageLink{From: o.Key(), To: k, Coverage: cov[[2]string{o.Code, s}]})
		}
		if !ref.Already {
			var sc *string
			if ss := succ[o.Code]; len(ss) == 1 && ss[0] != o.Code {
				sc = &ss[0]
			}
			acts.CloseUnits = append(acts.CloseUnits, store.ReorgClose{Code: o.Code, From: o.From, To: before, Successor: sc})
		}
		sum.UnitsClosed = append(sum.UnitsClosed, ref)
	}
	// Hamlets go to their unit's successor; a split asks which.
	moved := map[string]string{}
	var after []store.ReorgHamlet
	for _, h := range d.Hamlets {
		from := unitID(h.CommuneCode, h.CommuneFrom)
		to, ok := choose(succ[h.CommuneCode], pl.req.Hamlets[h.Code])
		if !ok {
			pl.question(sum, "hamlet", h.Code, from, succ[h.CommuneCode])
			continue
		}
		k := newKey[to]
		moved[h.Code] = k.String()
		acts.MoveHamlets = append(acts.MoveHamlets, store.ReorgMove{HamletCode: h.Code, CommuneCode: k.Code, CommuneFrom: k.From})
		sum.HamletsMoved = append(sum.HamletsMoved, reorgHamletMove{HamletCode: h.Code, Name: h.Name, FromUnit: from, ToUnit: k.String()})
		after = append(after, h)
	}
	// Posts: hamlet posts go with their hamlet; commune-level posts continue in the successor until the
	// law (or the province's own end of the transition) ends them.
	lawEnd := toTime(policy.CommunePostsLastDay(d.CommunePostsEnd).LastDay).Time
	var ends []ended
	for _, p := range d.Posts {
		if p.HamletCode != nil {
			if to, ok := moved[*p.HamletCode]; ok {
				sum.PostsMoved = append(sum.PostsMoved, reorgPostItem(p, *p.HamletCode, to, nil))
			}
			continue
		}
		from := unitID(*p.CommuneCode, *p.CommuneFrom)
		answer := pl.req.Posts[p.AssignmentID]
		if lawEnd.Before(eff) || answer == "end" {
			end := before
			if lawEnd.Before(before) && !lawEnd.Before(p.Start) {
				end = lawEnd
			}
			it := reorgPostItem(p, from, "", &end)
			sum.PostsEnded = append(sum.PostsEnded, it)
			acts.EndPosts = append(acts.EndPosts, store.ReorgPostEnd{AssignmentID: p.AssignmentID, End: end})
			ends = append(ends, ended{post: p, item: it, exit: end.AddDate(0, 0, 1)})
			continue
		}
		to, ok := choose(succ[*p.CommuneCode], answer)
		if !ok {
			pl.question(sum, "post", p.AssignmentID, from, succ[*p.CommuneCode])
			continue
		}
		k := newKey[to]
		newEnd := lawEnd
		endedByLaw := p.End == nil || p.End.After(lawEnd)
		if !endedByLaw {
			newEnd = *p.End
		}
		code, kf := k.Code, k.From
		acts.SplitPosts = append(acts.SplitPosts, store.ReorgPostSplit{AssignmentID: p.AssignmentID, OldEnd: before, NewStart: eff,
			NewEnd: &newEnd, CommuneCode: &code, CommuneFrom: &kf})
		sum.PostsMoved = append(sum.PostsMoved, reorgPostItem(p, from, k.String(), nil))
		if endedByLaw {
			it := reorgPostItem(p, from, k.String(), &newEnd)
			sum.PostsEnded = append(sum.PostsEnded, it)
			ends = append(ends, ended{post: p, item: it, exit: newEnd.AddDate(0, 0, 1)})
		}
	}
	// Funds: the old units and their hamlets the day before; the new units and the moved hamlets on the date.
	sum.FundsBefore.On, sum.FundsAfter.On = Date{Time: before}, Date{Time: eff}
	var classesBefore, classesAfter []int
	for _, o := range d.OldUnits {
		classesBefore = append(classesBefore, o.Class)
	}
	for _, c := range newCodes {
		classesAfter = append(classesAfter, newClass[c])
	}
	pl.communeFunds(&sum.FundsBefore, classesBefore, policy.NewDate(before.Date()), sum)
	pl.communeFunds(&sum.FundsAfter, classesAfter, pl.eff, sum)
	pl.hamletFunds(&sum.FundsBefore, d.Hamlets, policy.NewDate(before.Date()))
	pl.hamletFunds(&sum.FundsAfter, after, pl.eff)
	return ends, nil
}

// planHamlets plans a hamlet merger (or split): close the old hamlets the day before, create the new ones
// or add the merged households to the hamlet that absorbs them (a dated change, so reads before the date
// keep the old figure), and move each post to the new hamlet while the post's limit per hamlet allows;
// beyond it (two heads for one hamlet) the province says which post ends.
func (pl *planner) planHamlets(d store.ReorgData, sum *reorgSummary, acts *store.ReorgActions, before time.Time) ([]ended, error) {
	eff := pl.req.EffectiveDate.Time
	hs := map[string]store.ReorgHamlet{}
	for _, h := range d.Hamlets {
		hs[h.Code] = h
	}
	succ := map[string][]string{}
	cov := map[[2]string]string{}
	info := map[string]reorgEntry{}
	oldSet := map[string]bool{}
	var missing []string
	for _, e := range pl.req.entries {
		if _, ok := hs[e.Old]; !ok && !oldSet[e.Old] {
			missing = append(missing, e.Old)
		}
		oldSet[e.Old] = true
		succ[e.Old] = append(succ[e.Old], e.New)
		cov[[2]string{e.Old, e.New}] = e.Coverage
		if _, ok := info[e.New]; !ok || info[e.New].NewName == "" {
			info[e.New] = e
		}
	}
	if len(missing) > 0 {
		return nil, missingUnits(pl, missing, before, "hamlet")
	}
	var bad []FieldError
	newCodes := make([]string, 0, len(info))
	for c := range info {
		newCodes = append(newCodes, c)
		if oldSet[c] {
			bad = append(bad, FieldError{Pointer: "/mapping/" + c, Code: "successor_is_closed",
				MessageEN: fmt.Sprintf("hamlet %s cannot both close and take in others", c),
				MessageVI: fmt.Sprintf("thôn, tổ dân phố %s không thể vừa chấm dứt vừa nhận đơn vị khác", c)})
		}
	}
	sort.Strings(newCodes)
	// The households of the hamlets that go whole into a new one are added to it.
	var after []store.ReorgHamlet
	for _, c := range newCodes {
		add := 0
		var first *store.ReorgHamlet
		for _, e := range pl.req.entries {
			if e.New == c && e.Coverage == "full" {
				h := hs[e.Old]
				add += h.Households
				if first == nil {
					first = &h
				}
			}
		}
		if h, ok := hs[c]; ok {
			next := h
			next.Households += add
			after = append(after, next)
			if add > 0 {
				acts.HamletChanges = append(acts.HamletChanges, store.Hamlet{Code: c, Households: next.Households})
			}
			continue
		}
		e := info[c]
		if e.NewName == "" {
			bad = append(bad, FieldError{Pointer: "/mapping/" + c, Code: "new_unit",
				MessageEN: fmt.Sprintf("hamlet %s is not in the register: give its name to create it", c),
				MessageVI: fmt.Sprintf("thôn, tổ dân phố %s chưa có trong sổ: cần ghi tên để tạo mới", c)})
			continue
		}
		if first == nil {
			for _, e := range pl.req.entries {
				if e.New == c {
					h := hs[e.Old]
					first = &h
					break
				}
			}
		}
		kind := first.Kind
		if e.NewKind == "thon" || e.NewKind == "to_dan_pho" {
			kind = e.NewKind
		}
		cf := first.CommuneFrom
		nh := store.Hamlet{Code: c, CommuneCode: first.CommuneCode, CommuneFrom: &cf, Name: e.NewName, Kind: kind, Households: add,
			KeySecurityOrder: first.KeySecurityOrder, BorderOrIsland: first.BorderOrIsland, EffectiveFrom: eff}
		acts.CreateHamlets = append(acts.CreateHamlets, nh)
		rh := *first
		rh.Code, rh.Name, rh.Kind, rh.Households, rh.From = c, e.NewName, kind, add, eff
		after = append(after, rh)
		f := Date{Time: eff}
		sum.UnitsCreated = append(sum.UnitsCreated, reorgUnitRef{Code: c, Name: e.NewName, Kind: kind, EffectiveFrom: &f})
	}
	if len(bad) > 0 {
		return nil, errInvalid("The mapping cannot be applied as it is.", "Không thể áp dụng bảng chuyển đổi như hiện tại.", bad...)
	}
	var beforeHamlets []store.ReorgHamlet
	for _, h := range d.Hamlets {
		beforeHamlets = append(beforeHamlets, h)
		if !oldSet[h.Code] {
			continue
		}
		ref := reorgUnitRef{Code: h.Code, Name: h.Name, Kind: h.Kind, EffectiveFrom: &Date{Time: h.From}, EffectiveTo: &Date{Time: before},
			Already: h.To != nil && h.To.Equal(before)}
		for _, s := range succ[h.Code] {
			ref.Successors = append(ref.Successors, reorgUnitRef{Code: s, Coverage: cov[[2]string{h.Code, s}]})
		}
		if !ref.Already {
			var sc *string
			if ss := succ[h.Code]; len(ss) == 1 {
				sc = &ss[0]
			}
			acts.CloseHamlets = append(acts.CloseHamlets, store.ReorgClose{Code: h.Code, From: h.From, To: before, Successor: sc})
		}
		sum.UnitsClosed = append(sum.UnitsClosed, ref)
	}
	// Posts: count who already holds each post in each hamlet that stays, then move the closed hamlets'
	// posts while the limit allows.
	held := map[[2]string]int{}
	for _, p := range d.Posts {
		if p.HamletCode != nil && !oldSet[*p.HamletCode] {
			held[[2]string{*p.HamletCode, p.PositionCode}]++
		}
	}
	var ends []ended
	for _, p := range d.Posts {
		if p.HamletCode == nil || !oldSet[*p.HamletCode] {
			continue
		}
		from := *p.HamletCode
		answer := pl.req.Posts[p.AssignmentID]
		to, ok := "", false
		if answer != "end" {
			to, ok = choose(succ[from], answer)
		}
		if ok && p.MaxPerUnit != nil && held[[2]string{to, p.PositionCode}] >= *p.MaxPerUnit && answer == "" {
			pl.question(sum, "post", p.AssignmentID, from, append(succ[from], "end"))
			continue
		}
		if answer == "end" {
			end := before
			it := reorgPostItem(p, from, "", &end)
			sum.PostsEnded = append(sum.PostsEnded, it)
			acts.EndPosts = append(acts.EndPosts, store.ReorgPostEnd{AssignmentID: p.AssignmentID, End: end})
			ends = append(ends, ended{post: p, item: it, exit: eff})
			continue
		}
		if !ok {
			pl.question(sum, "post", p.AssignmentID, from, append(succ[from], "end"))
			continue
		}
		held[[2]string{to, p.PositionCode}]++
		hc := to
		acts.SplitPosts = append(acts.SplitPosts, store.ReorgPostSplit{AssignmentID: p.AssignmentID, OldEnd: before, NewStart: eff,
			NewEnd: p.End, HamletCode: &hc})
		sum.PostsMoved = append(sum.PostsMoved, reorgPostItem(p, from, to, nil))
	}
	sum.FundsBefore.On, sum.FundsAfter.On = Date{Time: before}, Date{Time: eff}
	sum.FundsBefore.Communes, sum.FundsAfter.Communes = []fundLine{}, []fundLine{}
	pl.hamletFunds(&sum.FundsBefore, beforeHamlets, policy.NewDate(before.Date()))
	pl.hamletFunds(&sum.FundsAfter, after, pl.eff)
	return ends, nil
}
