package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/exits"
	"communehr/internal/policy"
	"communehr/internal/store"
)

// computeForm is the exit as the officer typed it: the last day worked, the reason, and for cadres and
// civil servants the monthly salary; optionally the decision date.
type computeForm struct {
	LastDayWorked string
	Reason        string
	MonthlySalary string
	DecisionDate  string
}

var reasons = []string{"reorganisation", "streamlining", "early_retirement", "resignation"}

func readComputeForm(v url.Values) computeForm {
	return computeForm{LastDayWorked: strings.TrimSpace(v.Get("last_day_worked")), Reason: v.Get("reason"),
		MonthlySalary: strings.TrimSpace(v.Get("monthly_salary")), DecisionDate: strings.TrimSpace(v.Get("decision_date"))}
}

// parseDate reads a date as a browser's date field sends it (yyyy-mm-dd) or as officers write it
// (dd/mm/yyyy).
func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1900 && t.Year() <= 2199 {
			return t, true
		}
	}
	return time.Time{}, false
}

// input checks the form and makes the computation's input; errs maps each bad field to a message key.
func (f computeForm) input() (exits.Input, map[string]string) {
	errs := map[string]string{}
	in := exits.Input{Reason: f.Reason, ExitField: "last_day_worked"}
	if last, ok := parseDate(f.LastDayWorked); ok {
		in.ExitDate = pdate(last).AddDays(1)
	} else {
		errs["last_day_worked"] = "form.date_required"
	}
	known := false
	for _, r := range reasons {
		known = known || r == f.Reason
	}
	if !known {
		errs["reason"] = "form.reason_required"
	}
	if f.MonthlySalary != "" {
		v, err := decimal.NewFromString(strings.NewReplacer(".", "", " ", "").Replace(f.MonthlySalary))
		if err != nil || v.IsNegative() || v.GreaterThan(decimal.NewFromInt(1_000_000_000_000)) {
			errs["monthly_salary"] = "form.money_invalid"
		} else {
			in.MonthlySalary = &v
		}
	}
	if f.DecisionDate != "" {
		if d, ok := parseDate(f.DecisionDate); ok {
			pd := pdate(d)
			in.DecisionDate = &pd
		} else {
			errs["decision_date"] = "form.date_invalid"
		}
	}
	return in, errs
}

// computation is one exit computed: the person as stored, what the rules engine was given and why, and
// its answer (every policy, the most favourable chosen, line by line with citations).
type computation struct {
	Input  exits.Input
	Person store.EntitlementPerson
	Engine policy.BestExitInput
	Basis  *exits.Basis
	Work   exits.Work
	Result policy.BestExitResult
}

// compute reads the person as of the day before the exit and runs exits.Build and policy.BestExit, the
// same code as POST …/entitlements. A refusal (of the form, the records or the rules engine) comes back
// as field errors: errs maps the field to a message already in the officer's language or to a key.
func (c *Console) compute(r *http.Request, province, cadreID string, f computeForm) (*computation, map[string]string, error) {
	in, errs := f.input()
	if len(errs) > 0 {
		return nil, errs, nil
	}
	person, err := c.store.EntitlementPerson(r.Context(), principal(r), province, cadreID, ptime(in.ExitDate.AddDays(-1)))
	if err != nil {
		return nil, nil, err
	}
	vi := language(r) == "vi"
	pick := func(en, viText string) string {
		if vi {
			return viText
		}
		return en
	}
	engine, basis, work, err := exits.Build(person, in, nil)
	var ref *exits.Refusal
	if errors.As(err, &ref) {
		return nil, map[string]string{ref.Field: "!" + pick(ref.MessageEN, ref.MessageVI)}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	res, err := policy.BestExit(engine)
	if err != nil {
		var (
			one  *policy.InputError
			many policy.InputErrors
			oor  *policy.OutOfRangeError
		)
		switch {
		case errors.As(err, &one):
			return nil, map[string]string{"last_day_worked": "!" + pick(one.MessageEN, one.MessageVI)}, nil
		case errors.As(err, &many) && len(many) > 0:
			return nil, map[string]string{"last_day_worked": "!" + pick(many[0].MessageEN, many[0].MessageVI)}, nil
		case errors.As(err, &oor):
			return nil, map[string]string{"last_day_worked": "!" + pick(oor.Error(), oor.MessageVI())}, nil
		}
		return nil, nil, err
	}
	return &computation{Input: in, Person: person, Engine: engine, Basis: basis, Work: work, Result: res}, nil, nil
}

// storedRequest is the request part of a decision's stored context, in the shape the API stores it (the
// API reads it back when a decision is edited, approved or superseded).
type storedRequest struct {
	LastDayWorked string           `json:"last_day_worked"`
	ExitDate      string           `json:"exit_date"`
	Reason        string           `json:"reason"`
	DecisionDate  *string          `json:"decision_date,omitempty"`
	MonthlySalary *decimal.Decimal `json:"monthly_salary,omitempty"`
}

type storedContext struct {
	Request   storedRequest `json:"request"`
	Allowance *exits.Basis  `json:"allowance"`
	Work      exits.Work    `json:"work"`
}

// decision is the record a computation is stored as (as the API's toDecision stores it).
func (cp *computation) decision(province string) (store.Decision, error) {
	in := cp.Input
	req := storedRequest{LastDayWorked: in.ExitDate.AddDays(-1).String(), ExitDate: in.ExitDate.String(), Reason: in.Reason,
		MonthlySalary: in.MonthlySalary}
	if in.DecisionDate != nil {
		s := in.DecisionDate.String()
		req.DecisionDate = &s
	}
	d := store.Decision{Province: province, CadreID: cp.Person.CadreID, Reason: in.Reason, Kind: cp.Engine.Kind,
		ExitDate: ptime(in.ExitDate), Policy: cp.Result.Chosen, Total: cp.Result.Total, RulesetVersion: cp.Result.RulesetVersion}
	var err error
	for _, f := range []struct {
		dst *json.RawMessage
		v   any
	}{{&d.Inputs, cp.Engine}, {&d.Request, storedContext{Request: req, Allowance: cp.Basis, Work: cp.Work}},
		{&d.Parameters, cp.Result.Parameters}, {&d.Result, cp.Result}} {
		if *f.dst, err = json.Marshal(f.v); err != nil {
			return d, fmt.Errorf("marshal decision: %w", err)
		}
	}
	return d, nil
}

// DecisionDateValue is the stored decision date, "" when none (for the approval form).
func (r storedRequest) DecisionDateValue() string {
	if r.DecisionDate == nil {
		return ""
	}
	return *r.DecisionDate
}

// Form is the stored request as the exit form shows it (to correct it for a supersession).
func (r storedRequest) Form() computeForm {
	f := computeForm{LastDayWorked: r.LastDayWorked, Reason: r.Reason, DecisionDate: r.DecisionDateValue()}
	if r.MonthlySalary != nil {
		f.MonthlySalary = r.MonthlySalary.String()
	}
	return f
}

func pdate(t time.Time) policy.Date { return policy.NewDate(t.Date()) }

func ptime(d policy.Date) time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }
