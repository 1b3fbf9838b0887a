package web

import (
	"errors"
	"net/http"

	"communehr/internal/api"
	"communehr/internal/policy"
)

// onDay computes a page's figures for the day the officer asked (as_of, or today) into *into, after
// writing that day as the form shows it into *asOf. A day that cannot be read, or one outside the rules
// engine's base salaries, shows view again with data and the date's error (422); any other failure is a
// server error. It reports whether compute succeeded (the national summary and the allowance reports).
func onDay[T any](c *Console, w http.ResponseWriter, r *http.Request, view string, asOf *string, data any, into *T,
	compute func(policy.Date) (T, error)) bool {
	day, dayText, ok := c.asOf(r)
	*asOf = dayText
	if !ok {
		c.render(w, r, http.StatusUnprocessableEntity, view, &page{Data: data, Errors: map[string]string{"as_of": "form.date_invalid"}})
		return false
	}
	v, err := compute(policy.NewDate(day.Date()))
	switch {
	case outOfRange(err):
		c.render(w, r, http.StatusUnprocessableEntity, view, &page{Data: data, Errors: map[string]string{"as_of": "national.date_out_of_range"}})
		return false
	case err != nil:
		c.serverError(w, r, err)
		return false
	}
	*into = v
	return true
}

// outOfRange reports whether err says the day is outside the base salaries the rules engine knows: the
// engine's own error, or the API's refusal of the as_of it was given (the allowance report's).
func outOfRange(err error) bool {
	var oor *policy.OutOfRangeError
	if errors.As(err, &oor) {
		return true
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		for _, f := range ae.Fields {
			if f.Pointer == "query/as_of" && f.Code == "out_of_range" {
				return true
			}
		}
	}
	return false
}
