package api

import (
	"errors"
	"net/http"

	"communehr/internal/national"
	"communehr/internal/policy"
)

// The national summary's types and arithmetic live in package national, shared with the web console.
type (
	nationalSummary = national.Summary
	levelCount      = national.LevelCount
	nationalUnit    = national.Unit
)

func (s *Server) nationalSummary(w http.ResponseWriter, r *http.Request) error {
	asOf, err := s.asOfParam(r)
	if err != nil {
		return err
	}
	csvOut, err := wantCSV(r)
	if err != nil {
		return err
	}
	out, err := national.Compute(r.Context(), s.store, principalFrom(r.Context()), asOf, langOf(r))
	if err != nil {
		var oor *policy.OutOfRangeError
		if errors.As(err, &oor) {
			return queryError("as_of", "out_of_range", oor.Error(), oor.MessageVI())
		}
		return err
	}
	w.Header().Set("Ruleset-Version", policy.RulesetVersion)
	if csvOut {
		return writeCSV(w, "national-summary-"+asOf.String()+".csv", national.CSVHeader, national.CSVRows(out))
	}
	return writeJSON(w, http.StatusOK, out)
}
