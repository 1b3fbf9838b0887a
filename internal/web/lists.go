package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// listPageSize is how many rows a list page shows; the next page starts after the last one's code.
const listPageSize = 200

// listPage is a list of units (communes, hamlets) in force on a day: the filters as the officer typed
// them, one page of rows, and the query of the next page ("" on the last).
type listPage[T any] struct {
	Q, Kind, Commune, AsOf string
	Rows                   []T
	Next                   string
}

// listQuery is what a list page read from its URL.
type listQuery struct {
	Q, Kind, Commune, After string
	Day                     time.Time
}

// readList reads the filters every list has (search text, kind among kinds, as-of day, cursor) and
// the commune code where withCommune; errs maps a bad field to its message key.
func (c *Console) readList(r *http.Request, kinds []string, withCommune bool) (listQuery, map[string]string, string) {
	v := r.URL.Query()
	q := listQuery{Q: strings.TrimSpace(v.Get("q")), Kind: v.Get("kind"), After: v.Get("after")}
	day, dayText, ok := c.asOf(r)
	q.Day = day
	errs := map[string]string{}
	if !ok {
		errs["as_of"] = "form.date_invalid"
	}
	if len([]rune(q.Q)) > 100 || !printable(q.Q) {
		errs["q"] = "people.q_invalid"
	}
	if q.Kind != "" && !slices.Contains(kinds, q.Kind) {
		errs["kind"] = "form.choice_invalid"
	}
	if withCommune {
		q.Commune = strings.TrimSpace(v.Get("commune"))
		if q.Commune != "" && !unitCode.MatchString(q.Commune) {
			errs["commune"] = "hamlets.commune_invalid"
		}
	}
	if len(q.After) > 64 || !printable(q.After) {
		q.After = ""
	}
	return q, errs, dayText
}

// showList renders a list page: 422 with the form on a bad filter, else one page of what fetch reads
// (asked for one row more than a page, to know whether another follows); code names a row for the
// next page's cursor.
func showList[T any](c *Console, w http.ResponseWriter, r *http.Request, view string, kinds []string, withCommune bool,
	fetch func(q listQuery, limit int) ([]T, error), code func(T) string) {
	q, errs, dayText := c.readList(r, kinds, withCommune)
	data := listPage[T]{Q: q.Q, Kind: q.Kind, Commune: q.Commune, AsOf: dayText}
	if len(errs) > 0 {
		c.render(w, r, http.StatusUnprocessableEntity, view, &page{Data: data, Errors: errs})
		return
	}
	rows, err := fetch(q, listPageSize+1)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	if len(rows) > listPageSize {
		rows = rows[:listPageSize]
		next := url.Values{"q": {q.Q}, "kind": {q.Kind}, "as_of": {dayText}, "after": {code(rows[len(rows)-1])}}
		if withCommune {
			next.Set("commune", q.Commune)
		}
		data.Next = "?" + next.Encode()
	}
	data.Rows = rows
	c.render(w, r, http.StatusOK, view, &page{Data: data})
}
