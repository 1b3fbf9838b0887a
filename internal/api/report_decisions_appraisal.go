package api

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"

	"communehr/internal/msg"
	"communehr/internal/policy"
	"communehr/internal/store"
)

// The appraisal list of saved decisions (issue 13 item 6): every current decision of the province (draft or
// approved, or the one status asked), whatever its kind — so it also lists the cadres whose early
// retirement or resignation was computed with their salary under Decree 178/2024, where the law pays
// differently "within the first 12 months" after the reorganisation decision and "from month 13" (Art. 7
// cl. 1: × 0.5; Art. 9: 0.8 or 0.4 × salary × months). Each row shows the inputs the stored result used —
// the monthly salary or allowance, the months and years counted, each component's multiple — with the
// month-based allowance in a "within 12 months" or a "from month 13" pair of columns, and in the workbook
// every amount is a formula over them (report_decisions_appraisal_xlsx.go).
//
// GET /v1/provinces/{province}/reports/decision-appraisal?status=draft|approved

// decisionRow is one decision of the list.
type decisionRow struct {
	FullName, Policy, Status string
	DecisionDate, ExitDate   *time.Time
	Split                    string          // "within_12" | "from_13" | "" (the policy does not distinguish)
	Monthly                  decimal.Decimal // the salary (cadre) or the current allowance (non-professional)
	Months                   *int            // counted by the month-based line
	Years                    *decimal.Decimal
	Within, After, PerYear   *component
	Lump                     [2]*component // multiples of the monthly amount (job search, SI years, at retirement age)
	Other, Total             decimal.Decimal
}

// component is a line as a multiple of the monthly amount, and its amount.
type component struct{ Multiple, Amount decimal.Decimal }

// splitPolicies are the policies whose month-based allowance depends on leaving within 12 months.
var splitPolicies = map[string]bool{policy.PolicyEarlyRetire178: true, policy.PolicyResign178: true}

func (s *Server) decisionAppraisal(w http.ResponseWriter, r *http.Request) error {
	status := r.URL.Query().Get("status")
	if status != "" && status != "draft" && status != "approved" {
		return queryError("status", "oneof", "must be draft or approved", "phải là draft hoặc approved")
	}
	format, err := tableFormat(r)
	if err != nil {
		return err
	}
	province := chi.URLParam(r, "province")
	decisions, err := s.allCurrentDecisions(r, province, status)
	if err != nil {
		return err
	}
	names, err := s.cadreNames(r, province)
	if err != nil {
		return err
	}
	lang := langOf(r)
	rows := make([]decisionRow, 0, len(decisions))
	for _, d := range decisions {
		rows = append(rows, decisionRowOf(d, names[d.CadreID]))
	}
	contentLanguage(w, r)
	name := "decision-appraisal-" + province
	title := msg.New("appraisal.decisions_title").Render(lang)
	if format == "xlsx" {
		return writeDecisionAppraisalXLSX(w, name+".xlsx", title, rows, lang)
	}
	return writeDecisionAppraisalCSV(w, name+".csv", rows, lang)
}

// allCurrentDecisions reads every decision not superseded, page by page, oldest first.
func (s *Server) allCurrentDecisions(r *http.Request, province, status string) ([]store.Decision, error) {
	f := store.DecisionFilter{Current: true, Status: status, Limit: 500, WithResults: true}
	var out []store.Decision
	for {
		page, err := s.store.ListDecisions(r.Context(), principalFrom(r.Context()), province, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			break
		}
		last := page[len(page)-1]
		f.BeforeAt, f.BeforeID = &last.CreatedAt, last.ID
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// cadreNames maps the province's people to their names.
func (s *Server) cadreNames(r *http.Request, province string) (map[string]string, error) {
	names := map[string]string{}
	after := ""
	for {
		page, err := s.store.ListCadres(r.Context(), principalFrom(r.Context()), province, store.CadreFilter{After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, c := range page {
			names[c.ID] = c.FullName
		}
		if len(page) < 1000 {
			return names, nil
		}
		after = page[len(page)-1].ID
	}
}

// decisionRowOf lays a stored decision out in the list's columns.
func decisionRowOf(d store.Decision, name string) decisionRow {
	row := decisionRow{FullName: name, Policy: d.Policy, Status: d.Status, Total: d.Total}
	var in policy.BestExitInput
	var res policy.BestExitResult
	_ = json.Unmarshal(d.Inputs, &in)
	_ = json.Unmarshal(d.Result, &res)
	exit := d.ExitDate
	row.ExitDate = &exit
	if !in.DecisionDate.IsZero() {
		t, _ := time.Parse(dateLayout, in.DecisionDate.String())
		row.DecisionDate = &t
	}
	row.Monthly = in.MonthlyAllowance
	if in.Kind == policy.KindCadre {
		row.Monthly = in.MonthlySalary
	}
	for _, l := range res.Lines {
		row.addDecisionLine(l)
	}
	if splitPolicies[d.Policy] {
		row.Split = "within_12"
		if row.After != nil {
			row.Split = "from_13"
		}
	}
	return row
}

// decisionLine reads "m1 × [m2 × ]monthly[ × N months| × Y years]" and the SI-years forms
// "(a + b × c years) × monthly (…)" and "a × monthly (…)".
var (
	decisionLine = regexp.MustCompile(`^((?:[0-9.]+ × )+)([0-9,]+)(?: × ([0-9.]+) (months?|years?))?$`)
	siExtra      = regexp.MustCompile(`^\(([0-9.]+) \+ ([0-9.]+) × ([0-9.]+) years\) × ([0-9,]+) \(`)
	siFirst      = regexp.MustCompile(`^([0-9.]+) × ([0-9,]+) \(`)
)

// addDecisionLine puts a result line into its column: month-based (within 12 months or from month 13),
// per year, a multiple of the monthly amount, or other.
func (row *decisionRow) addDecisionLine(l policy.Line) {
	mult, per, count, ok := parseDecisionLine(l.Formula, row.Monthly)
	if !ok {
		row.Other = row.Other.Add(l.Amount)
		return
	}
	c := &component{Multiple: mult, Amount: l.Amount}
	switch {
	case per == "months" && row.Within == nil && row.After == nil:
		n := int(count.IntPart())
		row.Months = &n
		if strings.Contains(l.LabelVI, "tháng thứ 13") {
			row.After = c
		} else {
			row.Within = c
		}
	case per == "years" && row.PerYear == nil:
		row.Years, row.PerYear = &count, c
	case per == "" && row.Lump[0] == nil:
		row.Lump[0] = c
	case per == "" && row.Lump[1] == nil:
		row.Lump[1] = c
	default:
		row.Other = row.Other.Add(l.Amount)
	}
}

// parseDecisionLine is a line's multiple of the monthly amount, what it counts (months, years or
// nothing) and how many; ok is false when the formula is not over the monthly amount.
func parseDecisionLine(formula string, monthly decimal.Decimal) (mult decimal.Decimal, per string, count decimal.Decimal, ok bool) {
	money := func(s string) bool {
		d, err := decimal.NewFromString(strings.ReplaceAll(s, ",", ""))
		return err == nil && d.Equal(monthly)
	}
	if m := siExtra.FindStringSubmatch(formula); m != nil && money(m[4]) {
		a, b, c := decimal.RequireFromString(m[1]), decimal.RequireFromString(m[2]), decimal.RequireFromString(m[3])
		return a.Add(b.Mul(c)), "", decimal.Zero, true
	}
	if m := siFirst.FindStringSubmatch(formula); m != nil && money(m[2]) {
		return decimal.RequireFromString(m[1]), "", decimal.Zero, true
	}
	m := decisionLine.FindStringSubmatch(formula)
	if m == nil || !money(m[2]) {
		return mult, "", count, false
	}
	mult = decimal.NewFromInt(1)
	for _, f := range strings.Split(strings.TrimSuffix(m[1], " × "), " × ") {
		mult = mult.Mul(decimal.RequireFromString(f))
	}
	if m[3] != "" {
		count = decimal.RequireFromString(m[3])
		per = "months"
		if strings.HasPrefix(m[4], "year") {
			per = "years"
		}
	}
	return mult, per, count, true
}

// splitText is the "within 12 months" column's text.
func splitText(s string, lang msg.Lang) string {
	switch s {
	case "within_12":
		return msg.New("appraisal.within_12").Render(lang)
	case "from_13":
		return msg.New("appraisal.from_13").Render(lang)
	}
	return ""
}

func dateText(t *time.Time, lang msg.Lang) string {
	if t == nil {
		return ""
	}
	if lang == msg.VI {
		return viDate(*t)
	}
	return t.Format(dateLayout)
}

func compText(c *component, amount bool) string {
	if c == nil {
		return ""
	}
	if amount {
		return c.Amount.String()
	}
	return c.Multiple.String()
}
