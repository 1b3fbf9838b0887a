package web

import (
	"net/http"
	"strings"

	"communehr/internal/api"
)

// runReasons are the exits a run computes for everyone at once (early retirement and resignation need
// each person's salary and are computed one by one on the person's page).
var runReasons = []string{"reorganisation", "streamlining"}

// startRun starts an entitlement run from the runs page's form (editors): the API's run, in-process and
// as the officer; the officer is sent to the run's page, which follows its progress and totals.
func (c *Console) startRun(w http.ResponseWriter, r *http.Request) {
	province := *officer(r.Context()).Province
	last, ok := parseDate(strings.TrimSpace(r.FormValue("last_day_worked")))
	reason := r.FormValue("reason")
	errs := map[string]string{}
	if !ok {
		errs["last_day_worked"] = "form.date_required"
	}
	if reason != runReasons[0] && reason != runReasons[1] {
		errs["reason"] = "form.reason_required"
	}
	if len(errs) == 0 && c.reports == nil {
		c.renderError(w, r, http.StatusServiceUnavailable, "error.internal")
		return
	}
	if len(errs) == 0 {
		run, err := c.reports.StartRun(r.Context(), principal(r), province, last, reason)
		if err == nil {
			redirectFlash(w, r, "/reports/runs/"+run.ID, "run_started")
			return
		}
		status, detail, known := api.Describe(err, language(r) == "vi")
		if !known {
			c.serverError(w, r, err)
			return
		}
		c.showRunsWith(w, r, status, map[string]string{"run": "!" + detail})
		return
	}
	c.showRunsWith(w, r, http.StatusUnprocessableEntity, errs)
}

// showRunsWith shows the runs page again with the form's values and errors.
func (c *Console) showRunsWith(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) {
	runs, err := c.store.ListEntitlementRuns(r.Context(), principal(r), *officer(r.Context()).Province, 50, "")
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	c.render(w, r, status, "runs.html", &page{Data: runsPage{Runs: runs}, Form: r.PostForm, Errors: errs})
}
