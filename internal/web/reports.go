package web

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"communehr/internal/api"
	"communehr/internal/policy"
	"communehr/internal/store"
)

// SetReports gives the console the API's allowance report and CSV exports (api.Config.ConsoleReports).
func (c *Console) SetReports(rs *api.ReportService) { c.reports = rs }

// reportPage is the allowance report on a day: every commune (or one commune's hamlets) with a chart of
// fund against paid, and the totals.
type reportPage struct {
	AsOf    string
	Report  api.AllowanceReport
	Commune int // index of the commune shown with its hamlets
	Chart   barChart
}

// AsOfAction is where the report's as-of form is sent (the asofform partial), from a commune's page too.
func (reportPage) AsOfAction() string { return "/reports" }

func (c *Console) allowanceReport(w http.ResponseWriter, r *http.Request, commune string) (reportPage, bool) {
	var data reportPage
	if c.reports == nil {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return data, false
	}
	ok := onDay(c, w, r, "reports.html", &data.AsOf, &data, &data.Report, func(day policy.Date) (api.AllowanceReport, error) {
		return c.reports.AllowanceReport(r.Context(), principal(r), *officer(r.Context()).Province, commune, day, language(r))
	})
	return data, ok
}

func (c *Console) showReports(w http.ResponseWriter, r *http.Request) {
	data, ok := c.allowanceReport(w, r, "")
	if !ok {
		return
	}
	rows := make([]barRow, 0, len(data.Report.Communes))
	for _, cm := range data.Report.Communes {
		row := barRow{Label: cm.Name, Href: "/reports/communes/" + cm.Code + "?as_of=" + data.AsOf, Paid: cm.Paid, NoFund: cm.Fund == nil}
		if cm.Fund != nil {
			row.Fund = *cm.Fund
		}
		for _, h := range cm.Hamlets { // the commune's bar includes its hamlets
			row.Paid = row.Paid.Add(h.Paid)
			if h.Fund != nil {
				row.Fund = row.Fund.Add(*h.Fund)
				row.NoFund = false
			}
		}
		rows = append(rows, row)
	}
	data.Chart = newBarChart("report-chart", c.views.catalogs[language(r)]["reports.chart"], rows)
	c.render(w, r, http.StatusOK, "reports.html", &page{Data: data})
}

func (c *Console) showReportCommune(w http.ResponseWriter, r *http.Request) {
	code := chi.URLParam(r, "code")
	if !unitCode.MatchString(code) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	data, ok := c.allowanceReport(w, r, code)
	if !ok {
		return
	}
	data.Commune = -1
	for i := range data.Report.Communes {
		if data.Report.Communes[i].Code == code {
			data.Commune = i
		}
	}
	if data.Commune < 0 {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	cm := data.Report.Communes[data.Commune]
	rows := []barRow{}
	if cm.Fund != nil || !cm.Paid.IsZero() {
		row := barRow{Label: cm.Name, Paid: cm.Paid, NoFund: cm.Fund == nil}
		if cm.Fund != nil {
			row.Fund = *cm.Fund
		}
		rows = append(rows, row)
	}
	for _, h := range cm.Hamlets {
		row := barRow{Label: h.Name, Href: "/hamlets/" + h.Code + "?as_of=" + data.AsOf, Paid: h.Paid, NoFund: h.Fund == nil}
		if h.Fund != nil {
			row.Fund = *h.Fund
		}
		rows = append(rows, row)
	}
	data.Chart = newBarChart("commune-chart", cm.Name, rows)
	c.render(w, r, http.StatusOK, "report_commune.html", &page{Data: data})
}

// reportCSV downloads the API's CSV export of the allowance report as the officer.
func (c *Console) reportCSV(w http.ResponseWriter, r *http.Request) {
	if c.reports == nil {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	c.reports.CSV(w, r, principal(r), *officer(r.Context()).Province, "allowances", "")
}

// nationalCSV downloads the API's CSV export of the national summary as the Ministry officer.
func (c *Console) nationalCSV(w http.ResponseWriter, r *http.Request) {
	if c.reports == nil {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	c.reports.CSV(w, r, principal(r), "", "national", "")
}

// runsPage lists the province's entitlement runs with their progress and totals by policy.
type runsPage struct {
	Runs []store.EntitlementRun
	Run  *store.EntitlementRun
}

func runPercent(run store.EntitlementRun) int {
	if run.Status != "running" && run.Status != "queued" {
		return 100
	}
	if run.PeopleTotal <= 0 {
		return 0
	}
	return min(99, run.PeopleProcessed*100/run.PeopleTotal)
}

func (c *Console) showRuns(w http.ResponseWriter, r *http.Request) {
	runs, err := c.store.ListEntitlementRuns(r.Context(), principal(r), *officer(r.Context()).Province, 50, "")
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "runs.html", &page{Data: runsPage{Runs: runs}})
}

func (c *Console) showRun(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if !validID(id) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	run, err := c.store.GetEntitlementRun(r.Context(), principal(r), *officer(r.Context()).Province, id)
	if errors.Is(err, store.ErrNotFound) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "run.html", &page{Data: runsPage{Run: &run}})
}

// runCSV downloads a finished run's results through the API's export, as the officer.
func (c *Console) runCSV(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if c.reports == nil || !validID(id) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	c.reports.CSV(w, r, principal(r), *officer(r.Context()).Province, "run", id)
}
