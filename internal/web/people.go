package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"communehr/internal/store"
)

// peoplePage is the search page: a name (accent-insensitive) or a full CCCD number.
type peoplePage struct {
	Q        string
	Results  []store.Cadre
	Searched bool
}

func (c *Console) showPeople(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	data := peoplePage{Q: q}
	if officer(r.Context()).Role != store.RoleProvinceEditor && len(q) == 12 && strings.Trim(q, "0123456789") == "" {
		data.Q = store.MaskNationalID(q) // viewers never see a full CCCD on a page, even the one they typed
	}
	if len([]rune(q)) > 100 || !printable(q) {
		c.render(w, r, http.StatusUnprocessableEntity, "people.html", &page{Data: data, Errors: map[string]string{"q": "people.q_invalid"}})
		return
	}
	if q != "" {
		var err error
		data.Searched = true
		data.Results, err = c.store.SearchPeople(r.Context(), principal(r), *officer(r.Context()).Province, q, 50)
		if err != nil {
			c.serverError(w, r, err)
			return
		}
	}
	c.render(w, r, http.StatusOK, "people.html", &page{Data: data})
}

// printable reports whether s is text PostgreSQL can compare: no control characters (valid UTF-8 is
// guaranteed by the form decoding... not for query strings, so checked too).
func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\uFFFD' {
			return false
		}
	}
	return true
}

// personPage is a person: identity, posts over time, decisions, and an exit computation when asked.
type personPage struct {
	Cadre     store.Cadre
	Person    store.EntitlementPerson
	Decisions []store.Decision
	Calc      *computation
	Form      computeForm
}

func (c *Console) showPerson(w http.ResponseWriter, r *http.Request) {
	province, id := *officer(r.Context()).Province, chi.URLParam(r, "id")
	if !validID(id) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	p := principal(r)
	cd, _, err := c.store.GetCadre(r.Context(), p, province, id)
	if errors.Is(err, store.ErrNotFound) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	data := personPage{Cadre: cd}
	if data.Person, err = c.store.EntitlementPerson(r.Context(), p, province, id, c.today()); err != nil {
		c.serverError(w, r, err)
		return
	}
	if data.Decisions, err = c.store.ListDecisions(r.Context(), p, province, store.DecisionFilter{CadreID: id, Limit: 50}); err != nil {
		c.serverError(w, r, err)
		return
	}
	status, errs := http.StatusOK, map[string]string(nil)
	if r.URL.Query().Has("reason") {
		form := readComputeForm(r.URL.Query())
		data.Form = form
		calc, fieldErrs, err := c.compute(r, province, id, form)
		if err != nil {
			c.serverError(w, r, err)
			return
		}
		data.Calc, errs = calc, fieldErrs
		if len(errs) > 0 {
			status = http.StatusUnprocessableEntity
		}
	}
	c.render(w, r, status, "person.html", &page{Data: data, Errors: errs})
}

// validID is a UUID in its text form (anything else names no person or decision).
func validID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, ch := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if ch != '-' {
				return false
			}
		case (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'):
		default:
			return false
		}
	}
	return true
}
