package web

import (
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"communehr/internal/store"
)

var communeKinds = []string{"xa", "phuong", "thi_tran", "dac_khu"}

// asOf reads ?as_of (yyyy-mm-dd or dd/mm/yyyy), today when absent; ok is false for a bad date.
func (c *Console) asOf(r *http.Request) (time.Time, string, bool) {
	v := strings.TrimSpace(r.URL.Query().Get("as_of"))
	if v == "" {
		t := c.today()
		return t, t.Format("2006-01-02"), true
	}
	t, ok := parseDate(v)
	return t, t.Format("2006-01-02"), ok
}

// asOfOrToday is the day of the as_of parameter, or today when it is missing or not a date (unit pages).
func (c *Console) asOfOrToday(r *http.Request) (time.Time, string) {
	if day, dayText, ok := c.asOf(r); ok {
		return day, dayText
	}
	return c.today(), c.today().Format("2006-01-02")
}

// showCommunes lists the province's communes and wards in force on a day, by name (accent-insensitive)
// and kind, a page at a time.
func (c *Console) showCommunes(w http.ResponseWriter, r *http.Request) {
	showList(c, w, r, "communes.html", communeKinds, false, func(q listQuery, limit int) ([]store.Commune, error) {
		return c.store.ListCommunes(r.Context(), principal(r), *officer(r.Context()).Province,
			store.CommuneFilter{Q: q.Q, Kind: q.Kind, ActiveOn: &q.Day, After: q.After, Limit: limit})
	}, func(u store.Commune) string { return u.Code })
}

// communePage is one commune: its record, lineage across mergers, hamlets and people on the day.
type communePage struct {
	AsOf                     string
	Commune                  store.Commune
	Successors, Predecessors []store.LineageRef
	Hamlets                  []store.Hamlet
	People                   []store.Cadre
}

var unitCode = regexp.MustCompile(`^[0-9]{5}$`)

func (c *Console) showCommune(w http.ResponseWriter, r *http.Request) {
	province, code := *officer(r.Context()).Province, chi.URLParam(r, "code")
	if !unitCode.MatchString(code) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	day, dayText := c.asOfOrToday(r)
	p := principal(r)
	data := communePage{AsOf: dayText}
	var err error
	data.Commune, data.Successors, data.Predecessors, err = c.store.GetCommune(r.Context(), p, province, code, store.UnitSel{AsOf: &day})
	if errors.Is(err, store.ErrNotFound) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	if data.Hamlets, err = c.store.ListHamlets(r.Context(), p, province, store.HamletFilter{CommuneCode: code, ActiveOn: &day, Limit: 500}); err != nil {
		c.serverError(w, r, err)
		return
	}
	if data.People, err = c.store.ListCadres(r.Context(), p, province, store.CadreFilter{CommuneCode: code, Limit: 500}); err != nil {
		c.serverError(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "commune.html", &page{Data: data})
}
