package api

import (
	"strings"
	"testing"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// The two SI times (issue 12, corner 7): one of si_months and si_total_months
// is required; si_total_months alone is enough; neither is a 422 at /si_months.
func TestCalculationSITimesOneOfRequired(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.key(store.RoleMinistry, "")
	base := `"gender":"male","birth_date":"1966-09-10","decision_date":"2025-01-15","exit_date":"2025-06-01","monthly_salary":"10000000"`
	r := e.do("POST", "/v1/calculations/early-retirement", tok, `{`+base+`}`)
	mustStatus(t, r, 422)
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Pointer != "/si_months" {
		t.Fatalf("want one error at /si_months: %s", r.Body)
	}
	r = e.do("POST", "/v1/calculations/early-retirement", tok, `{`+base+`,"si_total_months":264,"si_uncompensated_months":144}`)
	mustStatus(t, r, 200)
	var got calcResponse
	r.json(t, &got)
	if got.Total != "625000000" {
		t.Fatalf("total %s: %s", got.Total, r.Body)
	}
	r = e.do("POST", "/v1/calculations/resignation", tok, `{`+base+`,"si_months":null}`)
	mustStatus(t, r, 422)
}

// GET /v1/parameters lists every parameter issue 12 added, each with its
// citation, and the calculation endpoints carry the bumped Ruleset-Version.
func TestParametersListTheLawsCorners(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.key(store.RoleOperator, "")
	for asOf, names := range map[string][]string{
		"2025-07-15": {"decree_178_2024.last_exit_date", "decree_178_2024.merged_units_exit_after", "decree_154_2025.art9_exit_window",
			"decree_154_2025.early_retirement", "decree_154_2025.resignation", "decree_154_2025.decree29_recalculation",
			"administrative_unit_standards"},
		"2020-01-01": {"commune_fund_multiple_by_class", "commune_nonprofessional_quota"},
	} {
		r := e.do("GET", "/v1/parameters?as_of="+asOf, tok, nil)
		mustStatus(t, r, 200)
		if v := r.Header.Get("Ruleset-Version"); v != policy.RulesetVersion {
			t.Fatalf("Ruleset-Version %q", v)
		}
		var out struct {
			Items []policy.ParamUse `json:"items"`
		}
		r.json(t, &out)
		have := map[string]policy.ParamUse{}
		for _, p := range out.Items {
			have[p.Name] = p
		}
		for _, n := range names {
			p, ok := have[n]
			if !ok || p.Citation.Instrument == "" {
				t.Errorf("%s on %s: not listed with a citation: %s", n, asOf, r.Body)
			}
		}
	}
	if strings.HasPrefix(policy.RulesetVersion, "1.0.") {
		t.Errorf("Ruleset-Version %s not bumped", policy.RulesetVersion)
	}
}
