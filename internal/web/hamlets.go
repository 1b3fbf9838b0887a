package web

import (
	"errors"
	"net/http"
	"regexp"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"

	"communehr/internal/exits"
	"communehr/internal/policy"
	"communehr/internal/store"
)

var hamletKinds = []string{"thon", "to_dan_pho"}

// showHamlets lists the province's hamlets (thôn, tổ dân phố) in force on a day, by name
// (accent-insensitive), kind and commune, a page at a time.
func (c *Console) showHamlets(w http.ResponseWriter, r *http.Request) {
	showList(c, w, r, "hamlets.html", hamletKinds, true, func(q listQuery, limit int) ([]store.Hamlet, error) {
		return c.store.ListHamlets(r.Context(), principal(r), *officer(r.Context()).Province,
			store.HamletFilter{Q: q.Q, Kind: q.Kind, CommuneCode: q.Commune, ActiveOn: &q.Day, After: q.After, Limit: limit})
	}, func(h store.Hamlet) string { return h.Code })
}

// hamletPost is a post held in the hamlet on the day, with its monthly allowance from the schedule.
type hamletPost struct {
	Held   store.PostHeld
	Line   policy.Line
	Source string
}

// hamletPage is one hamlet: its record, lineage, fund on the day (Decree 33/2023 Art. 34 by the rules
// engine), the posts held and what they are paid.
type hamletPage struct {
	AsOf                     string
	Hamlet                   store.Hamlet
	CommuneName              string
	Successors, Predecessors []store.UnitRef
	Fund                     *policy.HamletFundResult
	FundNote                 string
	Posts                    []hamletPost
	Paid                     decimal.Decimal
	Over                     bool
}

// hamletCode is what the register accepts as a hamlet code (up to 32 letters, digits and - _ .).
var hamletCode = regexp.MustCompile(`^[A-Za-z0-9._-]{1,32}$`)

// showHamlet shows a hamlet on a day: its record, what it came from and went to, and its paid posts with
// the hamlet fund they are weighed against.
func (c *Console) showHamlet(w http.ResponseWriter, r *http.Request) {
	province, code := *officer(r.Context()).Province, chi.URLParam(r, "code")
	if !hamletCode.MatchString(code) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	day, dayText := c.asOfOrToday(r)
	p := principal(r)
	data := hamletPage{AsOf: dayText}
	var err error
	data.Hamlet, data.Successors, data.Predecessors, err = c.store.GetHamlet(r.Context(), p, province, code, &day)
	if errors.Is(err, store.ErrNotFound) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	d, err := c.store.AllowanceData(r.Context(), p, province, day, store.UnitScope{HamletCode: code})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		c.serverError(w, r, err)
		return
	}
	hamletPosts(&data, d, day)
	data.Over = data.Fund != nil && data.Paid.GreaterThan(data.Fund.MonthlyFund)
	c.render(w, r, http.StatusOK, "hamlet.html", &page{Data: data})
}

// hamletPosts fills in the hamlet's fund on the day (or why there is none: the hamlet or its commune not in
// force, no fund computable) and its paid posts with what each is paid under the schedule in force.
func hamletPosts(data *hamletPage, d store.AllowanceData, day time.Time) {
	asOf := policy.NewDate(day.Date())
	var commune *store.ReportCommune
	for i := range d.Communes {
		commune = &d.Communes[i]
		data.CommuneName = commune.Name
	}
	category := ""
	for _, h := range d.Hamlets {
		if !h.InForce || commune == nil || !commune.InForce {
			data.FundNote = "hamlet.not_in_force"
			continue
		}
		hf, err := policy.HamletFund(exits.HamletInput(h, commune, asOf))
		if err != nil {
			data.FundNote = "hamlet.no_fund"
			continue
		}
		data.Fund, category = &hf, hf.Category
	}
	if data.Fund != nil || data.FundNote == "" {
		calc, err := exits.NewCalc(asOf, d.Schedule)
		if err == nil {
			for _, ph := range d.Posts {
				line, source := calc.Post(ph, category)
				data.Posts = append(data.Posts, hamletPost{Held: ph, Line: line, Source: source})
				data.Paid = data.Paid.Add(line.Amount)
			}
		}
	}
	if data.Fund == nil && data.FundNote == "" {
		data.FundNote = "hamlet.no_fund"
	}
}
