package api

import (
	"errors"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"

	"communehr/internal/msg"
	"communehr/internal/policy"
	"communehr/internal/store"
)

// The appraisal list (danh sách đề nghị thẩm định, issue 13 item 6): the people an entitlement run would
// cover, each with the exit policy chosen for them (the most favourable one, policy.BestExit) and every
// input of its formula in a column of its own — months of work, the years they round to and how, the
// post's coefficient, rate and the base salary, the current monthly allowance, the months counted, each
// component's multiple and amount — so that an appraiser recomputes every đồng. The computation is the
// one an entitlement run and POST cadres/{id}/entitlements make (buildEntitlementWith, BestExit); the
// workbook's amounts are formulas over the input cells (report_appraisal_xlsx.go).
//
// GET /v1/provinces/{province}/reports/exit-appraisal?exit_date=…|last_day_worked=…&reason=…

// appraisalComponent is one group of result lines the list shows as a multiple and an amount: by months
// counted, by years of work, or a number of months of allowance.
type appraisalComponent struct {
	codes []string // the rules engine's line codes it holds
	per   string   // "months" (× months counted), "years" (× years of work) or "" (× allowance only)
}

// appraisalComponents are the list's component columns, in order; any other line goes to "other".
var appraisalComponents = []appraisalComponent{
	{codes: []string{"one_off_allowance", "months_left_early"}, per: "months"},
	{codes: []string{"allowance_per_year_of_work"}, per: "years"},
	{codes: []string{"job_search_allowance"}},
	{codes: []string{"retired_lump_sum"}},
}

// appraisalRow is one person of the list.
type appraisalRow struct {
	CadreID, FullName, Gender, Unit, Post string
	BirthDate                             Date
	Policy                                string // the policy code chosen ("" when none applies)
	WorkMonths                            *int
	WorkYears                             *decimal.Decimal // with the ½-year rounding, as the per-year line counts them
	Coefficient, Rate                     *decimal.Decimal // of the main post ("" for an amount of the province's own)
	Base                                  decimal.Decimal
	Allowance                             *decimal.Decimal
	MonthsCounted                         *int
	Multiple                              []*decimal.Decimal // per appraisalComponents
	Amount                                []*decimal.Decimal
	Other                                 decimal.Decimal // lines outside the components (no formula)
	Total                                 decimal.Decimal
	Note                                  string
}

// appraisalParams reads the list's query: the exit (one of exit_date and last_day_worked), the reason
// (reorganisation or streamlining, as a run), the optional decision date and roadmap end, and the run's
// filter (commune_code, position_level).
func appraisalParams(r *http.Request) (entitlementRequest, store.RunFilter, error) {
	var req entitlementRequest
	exit, err := queryDate(r, "exit_date")
	if err != nil {
		return req, store.RunFilter{}, err
	}
	last, err := queryDate(r, "last_day_worked")
	if err != nil {
		return req, store.RunFilter{}, err
	}
	switch {
	case exit != nil && last != nil:
		return req, store.RunFilter{}, queryError("exit_date", "one_of", "give either the last day worked or the first day out, not both",
			"chỉ ghi ngày làm việc cuối cùng hoặc ngày đầu tiên nghỉ việc, không ghi cả hai")
	case exit == nil && last == nil:
		return req, store.RunFilter{}, queryError("exit_date", "required", "give the last day worked or the first day out",
			"cần ghi ngày làm việc cuối cùng hoặc ngày đầu tiên nghỉ việc")
	case last != nil:
		req.LastDayWorked, req.ExitDate, req.lastGiven = *last, Date{Time: last.AddDate(0, 0, 1)}, true
	default:
		req.ExitDate, req.LastDayWorked = *exit, Date{Time: exit.AddDate(0, 0, -1)}
	}
	q := r.URL.Query()
	req.Reason = q.Get("reason")
	if req.Reason != "reorganisation" && req.Reason != "streamlining" {
		m := msg.New("appraisal.reason_required")
		return req, store.RunFilter{}, queryError("reason", "oneof", m.EN(), m.VI())
	}
	if req.DecisionDate, err = queryDate(r, "decision_date"); err != nil {
		return req, store.RunFilter{}, err
	}
	if req.RoadmapEnd, err = queryDate(r, "roadmap_end"); err != nil {
		return req, store.RunFilter{}, err
	}
	f := store.RunFilter{CommuneCode: q.Get("commune_code"), PositionLevel: q.Get("position_level")}
	if f.PositionLevel != "" && f.PositionLevel != "commune" && f.PositionLevel != "hamlet" {
		return req, f, queryError("position_level", "oneof", "must be commune or hamlet", "phải là commune hoặc hamlet")
	}
	return req, f, nil
}

// exitAppraisal answers the appraisal list as CSV (the default) or an xlsx workbook.
func (s *Server) exitAppraisal(w http.ResponseWriter, r *http.Request) error {
	req, filter, err := appraisalParams(r)
	if err != nil {
		return err
	}
	format, err := tableFormat(r)
	if err != nil {
		return err
	}
	exit := policy.NewDate(req.ExitDate.Date())
	before := exit.AddDays(-1)
	if _, _, err := policy.BaseSalary(before); err != nil {
		return queryError(pick(req.lastGiven, "exit_date", "last_day_worked"), "out_of_range",
			"no base salary is in force on the last day worked", "không có mức lương cơ sở áp dụng vào ngày làm việc cuối cùng")
	}
	province := chi.URLParam(r, "province")
	people, err := s.store.AppraisalPeople(r.Context(), principalFrom(r.Context()), province, req.ExitDate.Time, filter)
	if errors.Is(err, store.ErrAppraisalTooLarge) {
		m := msg.New("appraisal.too_many")
		return queryError("commune_code", "too_many", m.EN(), m.VI())
	}
	if err != nil {
		return err
	}
	var calc *allowanceCalc
	if len(people) > 0 {
		calc, _ = newAllowanceCalc(before, people[0].Schedule) // nil on error: each person then says why
	}
	lang := langOf(r)
	rows := make([]appraisalRow, 0, len(people))
	for _, p := range people {
		rows = append(rows, appraisalOne(p, req, calc, lang))
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Unit != rows[j].Unit {
			return rows[i].Unit < rows[j].Unit
		}
		return rows[i].FullName < rows[j].FullName
	})
	contentLanguage(w, r)
	w.Header().Set("Ruleset-Version", policy.RulesetVersion)
	name := "exit-appraisal-" + province + "-" + req.ExitDate.Format(dateLayout)
	title := msg.New("appraisal.title", msg.Text{VI: viDate(req.ExitDate.Time), EN: req.ExitDate.Format(dateLayout)}).Render(lang)
	if format == "xlsx" {
		return writeAppraisalXLSX(w, name+".xlsx", title, rows, lang)
	}
	return writeAppraisalCSV(w, name+".csv", rows, lang)
}

// appraisalOne computes one person as an entitlement run does and lays the result out in columns.
func appraisalOne(p store.EntitlementPerson, req entitlementRequest, calc *allowanceCalc, lang msg.Lang) appraisalRow {
	row := appraisalRow{CadreID: p.CadreID, FullName: p.FullName, Gender: p.Gender, BirthDate: Date{Time: p.BirthDate},
		Multiple: make([]*decimal.Decimal, len(appraisalComponents)), Amount: make([]*decimal.Decimal, len(appraisalComponents))}
	in, ctx, err := buildEntitlementWith(p, req, calc)
	if in.WorkMonths != nil {
		m := *in.WorkMonths
		row.WorkMonths = &m
	}
	if a := ctx.Allowance; a != nil {
		row.Unit, row.Post = mainPostUnit(p, a.AssignmentID, lang)
		row.Allowance = a.Used
		row.allowanceParts(a.Lines, a.Used, calc)
	}
	if err != nil {
		row.Note = reasonIn(runReason(err), lang)
		return row
	}
	best, err := policy.BestExit(in)
	if err != nil {
		row.Note = reasonIn(runReason(policyProblem(err, &in)), lang)
		return row
	}
	best.Localize(lang)
	row.Policy, row.Total = best.Chosen, best.Total
	row.Note = strings.Join(best.Warnings, "; ")
	if best.Chosen == "" {
		return row
	}
	for _, l := range best.Lines {
		row.addLine(l)
	}
	return row
}

// mainPostUnit names the unit and the title of the post the allowance was read from.
func mainPostUnit(p store.EntitlementPerson, assignmentID string, lang msg.Lang) (unit, post string) {
	for _, pp := range p.Posts {
		if pp.AssignmentID != assignmentID {
			continue
		}
		post = pp.TitleVI
		if lang == msg.EN && pp.TitleEN != "" {
			post = pp.TitleEN
		}
		switch {
		case pp.Hamlet != nil && pp.Commune != nil:
			return pp.Hamlet.Name + ", " + pp.Commune.Name, post
		case pp.Hamlet != nil:
			return pp.Hamlet.Name, post
		case pp.Commune != nil:
			return pp.Commune.Name, post
		}
	}
	return "", post
}

// allowanceParts reads the coefficient, the rate and the base salary of the allowance used from its
// line's formula ("[rate% × ]coefficient × base"); an amount of the province's own has none.
func (row *appraisalRow) allowanceParts(lines []policy.Line, used *decimal.Decimal, calc *allowanceCalc) {
	if calc != nil {
		row.Base = calc.Base()
	}
	if used == nil {
		return
	}
	for _, l := range lines {
		if !l.Amount.Equal(*used) {
			continue
		}
		m := allowanceFormula.FindStringSubmatch(strings.TrimSpace(l.Formula))
		if m == nil {
			return
		}
		rate := "100"
		if m[1] != "" {
			rate = m[1]
		}
		c, errC := decimal.NewFromString(m[2])
		rt, errR := decimal.NewFromString(rate)
		b, errB := decimal.NewFromString(strings.ReplaceAll(m[3], ",", ""))
		if errC == nil && errR == nil && errB == nil {
			row.Coefficient, row.Rate, row.Base = &c, &rt, b
		}
		return
	}
}

// lineFormula reads a result line's "multiple × allowance[ × N months| × Y years]".
var lineFormula = regexp.MustCompile(`^([0-9.]+) × ([0-9,]+)(?: × ([0-9.]+) (months?|years?))?$`)

// addLine puts one result line into its component (multiple and amount) or into "other".
func (row *appraisalRow) addLine(l policy.Line) {
	for i, c := range appraisalComponents {
		if !containsString(c.codes, l.Code) {
			continue
		}
		m := lineFormula.FindStringSubmatch(l.Formula)
		if m == nil || row.Amount[i] != nil {
			break
		}
		mult, _ := decimal.NewFromString(m[1])
		amount := l.Amount
		row.Multiple[i], row.Amount[i] = &mult, &amount
		switch {
		case c.per == "months" && strings.HasPrefix(m[4], "month"):
			n, _ := strconv.Atoi(m[3])
			row.MonthsCounted = &n
		case c.per == "years" && strings.HasPrefix(m[4], "year"):
			y, _ := decimal.NewFromString(m[3]) // the years of work as the rules engine rounded them
			row.WorkYears = &y
		}
		return
	}
	row.Other = row.Other.Add(l.Amount)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// policyText is a policy as a reader cites it.
func policyText(code string, lang msg.Lang) string {
	if code == "" {
		return msg.New("policy.none").Render(lang)
	}
	if _, _, ok := msg.Texts("policy." + code); ok {
		return msg.New("policy." + code).Render(lang)
	}
	return code
}
