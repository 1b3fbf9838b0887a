package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// decisionPage is one decision with its computation, the person and the forms its status allows.
type decisionPage struct {
	D       store.Decision
	Result  policy.BestExitResult
	Context storedContext
	Cadre   store.Cadre
	Person  store.EntitlementPerson
	Main    *store.PersonPost // the post the allowance basis names
	Today   string
}

// loadDecision reads a decision of the officer's province with its person; ok is false when a page was
// already written (404 or 500).
func (c *Console) loadDecision(w http.ResponseWriter, r *http.Request) (decisionPage, bool) {
	province, id := *officer(r.Context()).Province, chi.URLParam(r, "id")
	if !validID(id) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return decisionPage{}, false
	}
	p := principal(r)
	d, err := c.store.GetDecision(r.Context(), p, province, id)
	if errors.Is(err, store.ErrNotFound) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return decisionPage{}, false
	}
	if err != nil {
		c.serverError(w, r, err)
		return decisionPage{}, false
	}
	data := decisionPage{D: d, Today: c.today().Format("2006-01-02")}
	if err := json.Unmarshal(d.Result, &data.Result); err != nil {
		c.serverError(w, r, err)
		return decisionPage{}, false
	}
	_ = json.Unmarshal(d.Request, &data.Context) // older rows may lack parts of the context: shown as far as known
	if data.Cadre, _, err = c.store.GetCadre(r.Context(), p, province, d.CadreID); err != nil {
		c.serverError(w, r, err)
		return decisionPage{}, false
	}
	if data.Person, err = c.store.EntitlementPerson(r.Context(), p, province, d.CadreID, d.ExitDate.AddDate(0, 0, -1)); err != nil {
		c.serverError(w, r, err)
		return decisionPage{}, false
	}
	if a := data.Context.Allowance; a != nil {
		for i := range data.Person.Posts {
			if data.Person.Posts[i].AssignmentID == a.AssignmentID {
				data.Main = &data.Person.Posts[i]
			}
		}
	}
	return data, true
}

func (c *Console) showDecision(w http.ResponseWriter, r *http.Request) {
	if data, ok := c.loadDecision(w, r); ok {
		c.render(w, r, http.StatusOK, "decision.html", &page{Data: data})
	}
}

// saveDraft computes the exit again from the submitted form (never from figures the browser sends) and
// stores it as a draft decision, as POST …/entitlements?save=true does.
func (c *Console) saveDraft(w http.ResponseWriter, r *http.Request) {
	province, id := *officer(r.Context()).Province, chi.URLParam(r, "id")
	if !validID(id) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	_ = r.ParseForm() // a body over the limit leaves the form empty: refused below as missing fields
	calc, errs, err := c.compute(r, province, id, readComputeForm(r.PostForm))
	if errors.Is(err, store.ErrNotFound) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	if len(errs) > 0 {
		http.Redirect(w, r, "/people/"+id+"?"+r.PostForm.Encode(), http.StatusSeeOther)
		return
	}
	d, err := calc.decision(province)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	saved, _, err := c.store.SaveDecision(r.Context(), principal(r), d)
	var cur *store.CurrentDecisionError
	if errors.As(err, &cur) {
		redirectFlash(w, r, "/decisions/"+cur.Current.ID, "current_decision_exists")
		return
	}
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	redirectFlash(w, r, "/decisions/"+saved.ID, "draft_saved")
}

// approveDecision records the number, date and signer's title of a draft (store.ApproveDecision: the
// person's posts end and the person is recorded as left, in the same transaction).
func (c *Console) approveDecision(w http.ResponseWriter, r *http.Request) {
	data, ok := c.loadDecision(w, r)
	if !ok {
		return
	}
	number := strings.TrimSpace(r.PostFormValue("decision_number"))
	signer := strings.TrimSpace(r.PostFormValue("signer_title"))
	version, verr := strconv.Atoi(r.PostFormValue("version"))
	errs := map[string]string{}
	if number == "" || len([]rune(number)) > 60 || !printable(number) {
		errs["decision_number"] = "form.text_required"
	}
	if signer == "" || len([]rune(signer)) > 200 || !printable(signer) {
		errs["signer_title"] = "form.text_required"
	}
	date, dok := parseDate(strings.TrimSpace(r.PostFormValue("decision_date")))
	if !dok {
		errs["decision_date"] = "form.date_required"
	} else if dd := data.Context.Request.DecisionDate; dd != nil && *dd != date.Format("2006-01-02") {
		// The draft was computed with its decision date (Decree 178 counts from it): the act carries it.
		errs["decision_date"] = "form.decision_date_differs"
	}
	if verr != nil {
		errs["decision_number"] = "form.stale"
	}
	if len(errs) > 0 {
		c.render(w, r, http.StatusUnprocessableEntity, "decision.html", &page{Data: data, Errors: errs, Form: r.PostForm})
		return
	}
	_, _, err := c.store.ApproveDecision(r.Context(), principal(r), data.D.Province, data.D.ID, version,
		store.Approval{Number: number, Date: date, SignerTitle: signer})
	switch {
	case errors.Is(err, store.ErrStale), errors.Is(err, store.ErrNotDraft):
		redirectFlash(w, r, "/decisions/"+data.D.ID, "stale")
		return
	case err != nil:
		var cur *store.CurrentDecisionError
		if errors.As(err, &cur) {
			redirectFlash(w, r, "/decisions/"+cur.Current.ID, "current_decision_exists")
			return
		}
		c.serverError(w, r, err)
		return
	}
	redirectFlash(w, r, "/decisions/"+data.D.ID, "approved")
}

// supersedeDecision computes the exit again with the corrected form and stores it as the decision that
// replaces this one (store.SupersedeDecision).
func (c *Console) supersedeDecision(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	data, ok := c.loadDecision(w, r)
	if !ok {
		return
	}
	calc, errs, err := c.compute(r, data.D.Province, data.D.CadreID, readComputeForm(r.PostForm))
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	if len(errs) > 0 {
		c.render(w, r, http.StatusUnprocessableEntity, "decision.html", &page{Data: data, Errors: errs, Form: r.PostForm})
		return
	}
	d, err := calc.decision(data.D.Province)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	next, _, err := c.store.SupersedeDecision(r.Context(), principal(r), data.D.Province, data.D.ID, d)
	switch {
	case errors.Is(err, store.ErrSuperseded):
		redirectFlash(w, r, "/decisions/"+data.D.ID, "already_superseded")
		return
	case err != nil:
		var cur *store.CurrentDecisionError
		if errors.As(err, &cur) {
			redirectFlash(w, r, "/decisions/"+cur.Current.ID, "current_decision_exists")
			return
		}
		c.serverError(w, r, err)
		return
	}
	redirectFlash(w, r, "/decisions/"+next.ID, "superseded")
}

// printDecision is the Quyết định as a printable A4 page, the calculation table as its appendix.
func (c *Console) printDecision(w http.ResponseWriter, r *http.Request) {
	data, ok := c.loadDecision(w, r)
	if !ok {
		return
	}
	pv, err := c.printView(r, data)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "print.html", &page{Data: pv})
}
