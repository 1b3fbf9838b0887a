// Package exits computes what a person who leaves is entitled to, from the stored register: the working
// time (periods in post merged), the main post held on the last day worked, the "current monthly
// allowance" by the province's schedule or the central share (Decree 33/2023 Art. 34), and the rules
// engine's input. Both front doors (the JSON API and the web console) call it, so neither holds legal
// arithmetic of its own.
package exits

import (
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// Calc turns the register as of one date into Decree 33 funds and the allowances the province's
// schedule pays. Every amount comes from the rules engine; the per-post amount depends only on (post,
// hamlet category, concurrent), so it is computed once per combination and reused.
// It is safe for concurrent use (entitlement runs compute people on several goroutines).
type Calc struct {
	asOf     policy.Date
	base     decimal.Decimal
	schedule []policy.ScheduleRow
	mu       sync.Mutex // guards posts
	posts    map[postKey]postAmount
}

type postKey struct {
	position, category string
	concurrent         bool
}

type postAmount struct {
	line policy.Line
	ok   bool // false: the schedule has no row for the post
}

// NewCalc is a calculator for asOf and the province's schedule entries in force then. The error is the
// rules engine's (a *policy.OutOfRangeError when no base salary is in force).
func NewCalc(asOf policy.Date, sched []store.ScheduleEntry) (*Calc, error) {
	base, _, err := policy.BaseSalary(asOf)
	if err != nil {
		return nil, err
	}
	c := &Calc{asOf: asOf, base: base, posts: map[postKey]postAmount{}}
	for _, e := range sched {
		c.schedule = append(c.schedule, policy.ScheduleRow{PositionCode: e.PositionCode,
			HamletFundCategory: e.HamletFundCategory, Coefficient: e.Coefficient})
	}
	return c, nil
}

// Base is the base salary in force on the calculator's date.
func (c *Calc) Base() decimal.Decimal { return c.base }

// titleOr is a post's title from the catalogue, or its code when the title is not known.
func titleOr(title, code string) string {
	if title == "" {
		return code
	}
	return title
}

// hdndCitation is where the province's own amount for a post comes from (the HĐND resolution).
var hdndCitation = policy.Citation{Instrument: "Nghị định 33/2023/NĐ-CP", Article: "34", Clause: "3"}

// Post returns the monthly allowance line of one post held on the date and where it came from
// ("schedule", "override" or "no_schedule_row"): the schedule's amount (a concurrent post at the
// concurrent rate, 100 %), or the assignment's own allowance_override.
func (c *Calc) Post(ph store.PostHeld, category string) (policy.Line, string) {
	if ph.AllowanceOverride != nil {
		return policy.Line{Code: "override:" + ph.PositionCode,
			LabelVI: "Phụ cấp chức danh " + titleOr(ph.TitleVI, ph.PositionCode) + " (mức riêng ghi trên phân công)",
			LabelEN: "Allowance of post " + titleOr(ph.TitleEN, ph.PositionCode) + " (amount recorded on the assignment)",
			Formula: ph.AllowanceOverride.String(), Amount: *ph.AllowanceOverride,
			Citation: hdndCitation}, "override"
	}
	k := postKey{ph.PositionCode, category, ph.Concurrent}
	c.mu.Lock()
	defer c.mu.Unlock()
	pa, seen := c.posts[k]
	if !seen {
		res, err := policy.Allowance(policy.AllowanceInput{Schedule: c.schedule, AsOf: c.asOf,
			Posts: []policy.Post{{PositionCode: ph.PositionCode, HamletFundCategory: category, Concurrent: ph.Concurrent}}})
		if err == nil && len(res.Lines) == 1 {
			// The rules engine names the post by its code; the register knows its title (docs/legal-basis.md §9).
			line := res.Lines[0]
			line.LabelVI = strings.Replace(line.LabelVI, ph.PositionCode, titleOr(ph.TitleVI, ph.PositionCode), 1)
			line.LabelEN = strings.Replace(line.LabelEN, ph.PositionCode, titleOr(ph.TitleEN, ph.PositionCode), 1)
			pa = postAmount{line: line, ok: true}
		} else {
			pa = postAmount{line: policy.Line{Code: "no_schedule_row:" + ph.PositionCode,
				LabelVI: "Biểu mức phụ cấp của tỉnh không có dòng cho chức danh " + titleOr(ph.TitleVI, ph.PositionCode),
				LabelEN: "The province's schedule has no row for post " + titleOr(ph.TitleEN, ph.PositionCode),
				Formula: "0", Amount: decimal.Zero, Citation: hdndCitation}}
		}
		c.posts[k] = pa
	}
	if !pa.ok {
		return pa.line, "no_schedule_row"
	}
	return pa.line, "schedule"
}

// HamletInput is the Decree 33 input of a hamlet: key security from the hamlet or its commune; border or
// island from the hamlet when recorded, else from the commune.
func HamletInput(h store.ReportHamlet, c *store.ReportCommune, asOf policy.Date) policy.HamletFundInput {
	in := policy.HamletFundInput{Kind: policy.HamletKind(h.Kind), Households: h.Households,
		KeySecurityOrder: h.KeySecurityOrder, ConvertedFromThon: h.ConvertedFromThon, AsOf: asOf}
	if c != nil {
		in.KeySecurityOrder = in.KeySecurityOrder || c.KeySecurityOrder
		in.BorderOrIsland = c.Border || c.Island
	}
	if h.BorderOrIsland != nil {
		in.BorderOrIsland = *h.BorderOrIsland
	}
	return in
}
