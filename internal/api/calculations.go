package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/go-chi/chi/v5"

	"communehr/internal/policy"
)

// calculator adapts one policy calculator to the stateless endpoint: decode its input struct, compute.
type calculator func(r *http.Request) (any, error)

// calc builds a calculator for a policy function whose input struct carries the docs/legal-basis.md §8 JSON names.
// required lists the fields openapi.yaml marks required: a body without one of them (or with null) is
// refused with a pointer to each, rather than computed with a zero amount (a missing monthly_salary would
// otherwise be a 200 with total 0).
func calc[In any, Out any](fn func(In) (Out, error), required ...string) calculator {
	return func(r *http.Request) (any, error) {
		var in In
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, jsonProblem(err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err := decodeCalcInput(r, &in, required); err != nil {
			return nil, err
		}
		out, err := fn(in)
		if err != nil {
			return nil, policyProblem(err, &in)
		}
		// The policy names the inputs it refuses more precisely (a negative amount, an unknown class);
		// any other value outside openapi.yaml's range is refused here rather than computed.
		if err := checkBodyRanges(r, body); err != nil {
			return nil, err
		}
		localize(r, &out) // warnings and reasons in the reader's language (package msg)
		return out, nil
	}
}

var calculators = map[string]calculator{
	"retirement-date": calc(policy.RetirementDate, "gender", "birth_date"),
	"commune-fund":    calc(policy.CommuneFund, "class", "as_of"),
	"hamlet-fund":     calc(policy.HamletFund, "kind", "households", "as_of"),
	"allowance":       calc(policy.Allowance, "schedule", "posts", "as_of"),
	"non-professional-exit": calc(policy.NonProfessionalExit,
		"monthly_allowance", "level", "exit_date", "gender", "birth_date"),
	// "si_months|si_total_months": one of the two SI times is required (issue 12, corner 7).
	"early-retirement": calc(policy.EarlyRetirement,
		"gender", "birth_date", "decision_date", "exit_date", "monthly_salary", "si_months|si_total_months"),
	"resignation": calc(policy.Resignation,
		"decision_date", "exit_date", "monthly_salary", "si_months|si_total_months", "gender", "birth_date"),
	"best-exit": calc(policy.BestExit, "kind", "gender", "birth_date", "exit_date"),
}

// mountCalculations registers the stateless calculation endpoints (any valid key; nothing stored) and the
// parameter listing.
func (s *Server) mountCalculations(r chi.Router) {
	for name, c := range calculators {
		r.Post("/calculations/"+name, handle(func(w http.ResponseWriter, r *http.Request) error {
			out, err := c(r)
			if err != nil {
				return err
			}
			w.Header().Set("Ruleset-Version", policy.RulesetVersion)
			contentLanguage(w, r)
			return writeJSON(w, http.StatusOK, out)
		}))
	}
	r.Get("/parameters", handle(s.listParameters))
}

type parameterList struct {
	AsOf           policy.Date       `json:"as_of"`
	RulesetVersion string            `json:"ruleset_version"`
	Items          []policy.ParamUse `json:"items"`
}

func (s *Server) listParameters(w http.ResponseWriter, r *http.Request) error {
	asOf := policy.NewDate(s.store.Today().Date())
	if v := r.URL.Query().Get("as_of"); v != "" {
		d, err := policy.ParseDate(v)
		if err != nil {
			return queryError("as_of", "date", "must be a date YYYY-MM-DD", "phải là ngày dạng YYYY-MM-DD")
		}
		asOf = d
	}
	items, err := policy.Parameters(asOf)
	if err != nil {
		var oor *policy.OutOfRangeError
		if errors.As(err, &oor) {
			return queryError("as_of", "out_of_range", oor.Error(), oor.MessageVI())
		}
		return policyProblem(err, nil)
	}
	w.Header().Set("Ruleset-Version", policy.RulesetVersion)
	return writeJSON(w, http.StatusOK, parameterList{AsOf: asOf, RulesetVersion: policy.RulesetVersion, Items: items})
}

// policyProblem maps the rules engine's errors to 422 problems with pointers. An out-of-range parameter
// lookup points at the request's date field holding that date.
func policyProblem(err error, in any) error {
	var (
		one  *policy.InputError
		many policy.InputErrors
		oor  *policy.OutOfRangeError
	)
	const en, vi = "The input cannot be computed as given.", "Không thể tính với dữ liệu đã nhập."
	switch {
	case errors.As(err, &one):
		return errInvalid(en, vi, FieldError{Pointer: one.Field, Code: one.Code, MessageEN: one.MessageEN, MessageVI: one.MessageVI})
	case errors.As(err, &many):
		fields := make([]FieldError, 0, len(many))
		for _, e := range many {
			fields = append(fields, FieldError{Pointer: e.Field, Code: e.Code, MessageEN: e.MessageEN, MessageVI: e.MessageVI})
		}
		return errInvalid(en, vi, fields...)
	case errors.As(err, &oor):
		return errInvalid(en, vi, FieldError{Pointer: dateFieldPointer(in, oor.Date), Code: "out_of_range",
			MessageEN: oor.Error(), MessageVI: oor.MessageVI()})
	}
	return err
}

// dateFieldPointer finds the top-level policy.Date field of in equal to d.
func dateFieldPointer(in any, d policy.Date) string {
	if in == nil {
		return ""
	}
	v := reflect.Indirect(reflect.ValueOf(in))
	if v.Kind() != reflect.Struct {
		return ""
	}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := v.Field(i)
		if f.Kind() == reflect.Pointer && !f.IsNil() {
			f = f.Elem()
		}
		if got, ok := f.Interface().(policy.Date); ok && got == d {
			return "/" + strings.SplitN(t.Field(i).Tag.Get("json"), ",", 2)[0]
		}
	}
	return ""
}
