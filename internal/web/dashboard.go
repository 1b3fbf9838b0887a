package web

import (
	"net/http"
	"time"

	"communehr/internal/store"
)

// dashboardPage is the front page: the province's figures today, or the list of provinces for a national
// officer.
type dashboardPage struct {
	Today     time.Time
	Province  string
	Figures   store.Dashboard
	Drafts    []store.Decision
	Names     map[string]string // cadre id → name, for the drafts
	Provinces []store.Province
}

// today is the date in Vietnam (UTC+7): what "in force today" means to an officer.
func (c *Console) today() time.Time {
	y, m, d := c.now().In(time.FixedZone("ICT", 7*3600)).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (c *Console) showDashboard(w http.ResponseWriter, r *http.Request) {
	u, p := officer(r.Context()), principal(r)
	data := dashboardPage{Today: c.today()}
	if u.Province == nil {
		ps, err := c.store.ListProvinces(r.Context(), p)
		if err != nil {
			c.serverError(w, r, err)
			return
		}
		data.Provinces = ps
		c.render(w, r, http.StatusOK, "dashboard.html", &page{Data: data})
		return
	}
	data.Province = *u.Province
	var err error
	if data.Figures, err = c.store.Dashboard(r.Context(), p, *u.Province, data.Today); err != nil {
		c.serverError(w, r, err)
		return
	}
	if data.Drafts, err = c.store.ListDecisions(r.Context(), p, *u.Province,
		store.DecisionFilter{Current: true, Status: "draft", Limit: 20}); err != nil {
		c.serverError(w, r, err)
		return
	}
	if data.Names, err = c.names(r, data.Drafts); err != nil {
		c.serverError(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "dashboard.html", &page{Data: data})
}

// names reads the names of the people the decisions concern.
func (c *Console) names(r *http.Request, ds []store.Decision) (map[string]string, error) {
	out := map[string]string{}
	for _, d := range ds {
		if _, ok := out[d.CadreID]; ok {
			continue
		}
		cd, _, err := c.store.GetCadre(r.Context(), principal(r), d.Province, d.CadreID)
		if err != nil {
			return nil, err
		}
		out[d.CadreID] = cd.FullName
	}
	return out, nil
}
