package reorg

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"communehr/internal/store"
)

// A post moved into a hamlet by a hamlet merger obeys the rules POST …/assignments and the imports
// enforce (issue 10 item 5, issue 11 item 3): no more holders at once than the catalogue allows (one
// Trưởng thôn per hamlet) and at most store.MaxPaidHamletPosts paid posts in force at once. The planner
// counts every post of the hamlet in force on or after the date (ReorgData.Held) and the posts it has
// already moved there, so the preview says what the apply would refuse; the apply then runs the store's
// own checks on what it wrote (store.checkReorgPosts), under the same hamlet locks.

// movedPost is a post the plan moves into a hamlet, from the effective date.
type movedPost struct {
	store.ReorgPost
	From time.Time
}

// crowded returns the field refusing p's move into hamlet to, or nil when the hamlet can take it.
func (hp *hamletPlan) crowded(p store.ReorgPost, to string) *Field {
	var same, paid []movedPost
	for _, h := range hp.d.Held {
		if h.HamletCode == nil || *h.HamletCode != to || h.AssignmentID == p.AssignmentID {
			continue
		}
		hp.sortInto(movedPost{h, h.Start}, p, &same, &paid)
	}
	for _, m := range hp.movedIn[to] {
		hp.sortInto(m, p, &same, &paid)
	}
	unit := hp.hamletName(to)
	if p.MaxPerUnit != nil {
		if day, names := firstCrowdedDay(same, hp.req.Effective, p.End, *p.MaxPerUnit); names != nil {
			e := store.MaxHoldersRule(store.Position{Code: p.PositionCode, TitleVI: p.TitleVI, TitleEN: p.TitleEN}, *p.MaxPerUnit, unit, day, names)
			return &Field{"/posts/" + p.AssignmentID, e.Code, e.MessageEN, e.MessageVI}
		}
	}
	if p.PaidHamletPost {
		if day, names := firstCrowdedDay(paid, hp.req.Effective, p.End, store.MaxPaidHamletPosts); names != nil {
			f := paidPostsField(p.AssignmentID, unit, day, names)
			return &f
		}
	}
	return nil
}

// sortInto puts h among the holders of p's post and, when both are paid, among the paid posts.
func (hp *hamletPlan) sortInto(h movedPost, p store.ReorgPost, same, paid *[]movedPost) {
	if h.PositionCode == p.PositionCode {
		*same = append(*same, h)
	}
	if h.PaidHamletPost && p.PaidHamletPost {
		*paid = append(*paid, h)
	}
}

// moveIn records that p moves into hamlet to from the effective date.
func (hp *hamletPlan) moveIn(p store.ReorgPost, to string) {
	if hp.movedIn == nil {
		hp.movedIn = map[string][]movedPost{}
	}
	hp.movedIn[to] = append(hp.movedIn[to], movedPost{p, hp.req.Effective})
}

func (hp *hamletPlan) hamletName(code string) string {
	name := hp.info[code].NewName
	if h, ok := hp.hs[code]; ok {
		name = h.Name
	}
	if name == "" {
		return code
	}
	return code + " (" + name + ")"
}

// firstCrowdedDay returns the first day of [start, end] on which limit or more of held are in force, and
// who holds them (name and period), or nil names. The most in force at once is reached on the first day
// of some period, so only those days are counted (the days store's hamletPostsSQL sweeps; the apply's
// last word, store.checkReorgPosts, runs that statement itself).
func firstCrowdedDay(held []movedPost, start time.Time, end *time.Time, limit int) (time.Time, []string) {
	days := []time.Time{start}
	for _, h := range held {
		if h.From.After(start) && (end == nil || !h.From.After(*end)) {
			days = append(days, h.From)
		}
	}
	var best time.Time
	var bestNames []string
	for _, day := range days {
		var names []string
		for _, h := range held {
			if !h.From.After(day) && (h.End == nil || !h.End.Before(day)) {
				names = append(names, fmt.Sprintf("%s (%s)", h.FullName, store.PeriodText(h.From, h.End)))
			}
		}
		if len(names) >= limit && (bestNames == nil || day.Before(best)) {
			best, bestNames = day, names
		}
	}
	return best, bestNames
}

// paidPostsField refuses the post id: the hamlet already has store.MaxPaidHamletPosts paid posts on day.
func paidPostsField(id, unit string, day time.Time, names []string) Field {
	return Field{"/posts/" + id, "too_many_hamlet_posts",
		fmt.Sprintf("hamlet %s already has %d paid posts in force on %s: %s; at most %d (Decree 33/2023/NĐ-CP)",
			unit, len(names), day.Format(time.DateOnly), strings.Join(names, "; "), store.MaxPaidHamletPosts),
		fmt.Sprintf("thôn, tổ dân phố %s đã có %d chức danh hưởng phụ cấp vào ngày %s: %s; tối đa %d (Nghị định 33/2023/NĐ-CP)",
			unit, len(names), day.Format(time.DateOnly), strings.Join(names, "; "), store.MaxPaidHamletPosts)}
}

// postRefused turns the store's last-word refusal of a moved post (store.ReorgPostError) into the 422
// the planner would have given; any other error is returned as it is.
func postRefused(err error) error {
	var pe *store.ReorgPostError
	if !errors.As(err, &pe) {
		return err
	}
	var re *store.RuleError
	var ae *store.AssignmentRuleError
	var f Field
	switch {
	case errors.As(pe.Err, &re):
		f = Field{"/posts/" + pe.AssignmentID, re.Code, re.MessageEN, re.MessageVI}
	case errors.As(pe.Err, &ae):
		var names []string
		for _, h := range ae.InForce {
			names = append(names, fmt.Sprintf("%s (%s)", h.CadreName, store.PeriodText(h.StartDate, h.EndDate)))
		}
		f = paidPostsField(pe.AssignmentID, ae.Hamlet.Code+" ("+ae.Hamlet.Name+")", ae.On, names)
	default:
		return err
	}
	return invalid("The answers would give a hamlet more holders of a post than the law allows.",
		"Phương án trả lời làm một thôn, tổ dân phố có nhiều người giữ chức danh hơn quy định.", f)
}

// lifeRefused turns the store's refusal of a reorganisation that would leave a hamlet or a post outside
// the life of a unit it closes (*store.ReorgLifeError: the apply's last check, which the preview runs
// too) into the planner's 422, so that the API and the console word it as every other refusal of the
// plan; any other error is returned as it is.
func lifeRefused(err error) error {
	var le *store.ReorgLifeError
	if !errors.As(err, &le) {
		return err
	}
	inv := invalid("The reorganisation would leave a hamlet or a post outside the life of a unit it closes.",
		"Phương án sắp xếp để lại thôn, tổ dân phố hoặc chức danh nằm ngoài thời gian tồn tại của đơn vị bị giải thể.",
		Field{"/" + le.Err.Field, le.Err.Code, le.Err.MessageEN, le.Err.MessageVI})
	inv.units = []string{le.Unit}
	return inv
}
