package web

import (
	"net/http"
	"regexp"

	"github.com/go-chi/chi/v5"

	"communehr/internal/msg"
	"communehr/internal/national"
	"communehr/internal/policy"
)

// nationalPage is the Ministry's summary by province on a day (read-only), with a chart of fund against
// paid; provincePage one province's figures from the same summary.
type nationalPage struct {
	AsOf     string
	Summary  national.Summary
	Chart    barChart
	Province *national.Unit
}

// AsOfAction is where the summary's as-of form is sent (the asofform partial).
func (nationalPage) AsOfAction() string { return "/national" }

// nationalOfficer keeps the national pages to Ministry officers and operators (no province).
func nationalOfficer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if officer(r.Context()).Province != nil {
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func langOf(r *http.Request) msg.Lang {
	if language(r) == "en" {
		return msg.EN
	}
	return msg.VI
}

// summary computes the national summary as the officer sees it (national.Compute, as the API does); a day
// outside the rules engine's base salaries is a form error on the date.
func (c *Console) summary(w http.ResponseWriter, r *http.Request, view string) (nationalPage, bool) {
	var data nationalPage
	ok := onDay(c, w, r, view, &data.AsOf, &data, &data.Summary, func(day policy.Date) (national.Summary, error) {
		return national.Compute(r.Context(), c.store, principal(r), day, langOf(r))
	})
	return data, ok
}

func (c *Console) showNational(w http.ResponseWriter, r *http.Request) {
	data, ok := c.summary(w, r, "national.html")
	if !ok {
		return
	}
	rows := make([]barRow, 0, len(data.Summary.Provinces))
	for _, u := range data.Summary.Provinces {
		rows = append(rows, barRow{Label: u.Name, Href: "/national/" + u.Province + "?as_of=" + data.AsOf,
			Fund: u.Funds.Fund, Paid: u.Funds.Paid})
	}
	data.Chart = newBarChart("national-chart", c.views.catalogs[language(r)]["national.chart"], rows)
	c.render(w, r, http.StatusOK, "national.html", &page{Data: data})
}

var provinceCode = regexp.MustCompile(`^[0-9]{2}$`)

func (c *Console) showNationalProvince(w http.ResponseWriter, r *http.Request) {
	code := chi.URLParam(r, "province")
	if !provinceCode.MatchString(code) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	data, ok := c.summary(w, r, "national_province.html")
	if !ok {
		return
	}
	for i := range data.Summary.Provinces {
		if data.Summary.Provinces[i].Province == code {
			data.Province = &data.Summary.Provinces[i]
		}
	}
	if data.Province == nil {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	f := data.Province.Funds
	rows := []barRow{{Label: c.views.catalogs[language(r)]["national.total"], Fund: f.Fund, Paid: f.Paid}}
	if f.CommuneFund != nil {
		rows = append(rows, barRow{Label: c.views.catalogs[language(r)]["national.communes"], Fund: *f.CommuneFund, Paid: f.PaidCommune})
	}
	rows = append(rows, barRow{Label: c.views.catalogs[language(r)]["national.hamlets"], Fund: f.HamletFund, Paid: f.PaidHamlet})
	data.Chart = newBarChart("province-chart", data.Province.Name, rows)
	c.render(w, r, http.StatusOK, "national_province.html", &page{Data: data})
}

// communeTotal, hamletTotal and postTotal add up a unit's groups for the summary table.
func communeTotal(u national.Unit) int64 {
	var n int64
	for _, c := range u.Communes {
		n += c.Count
	}
	return n
}

func hamletTotal(u national.Unit) int64 {
	var n int64
	for _, h := range u.Hamlets {
		n += h.Count
	}
	return n
}

func postTotal(u national.Unit) int64 {
	var n int64
	for _, l := range u.People {
		n += l.Posts
	}
	return n
}
