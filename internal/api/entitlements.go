package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"communehr/internal/exits"
	"communehr/internal/policy"
	"communehr/internal/store"
)

// entitlementRequest is the body of POST cadres/{id}/entitlements (and of a decision's supersede and
// edit). Everything else the computation needs comes from the stored person and assignments. The exit is
// given as exactly one of last_day_worked (the last working day) and exit_date (the first day out, the
// day after); settleExitDates fills the other, so that a stored or echoed request shows both.
type entitlementRequest struct {
	LastDayWorked            Date     `json:"last_day_worked"`
	ExitDate                 Date     `json:"exit_date"`
	Reason                   string   `json:"reason" validate:"required,oneof=reorganisation streamlining early_retirement resignation"`
	DecisionDate             *Date    `json:"decision_date,omitempty"`
	MonthlySalary            *Decimal `json:"monthly_salary,omitempty"`
	RoadmapEnd               *Date    `json:"roadmap_end,omitempty"`
	OnPension                bool     `json:"on_pension,omitempty"`
	ReemployedWithin60Months bool     `json:"reemployed_within_60_months,omitempty"`
	KeptInHamletPost         bool     `json:"kept_in_hamlet_post,omitempty"`

	lastGiven bool // the exit was given as last_day_worked: errors about it point there
}

// exitPointer is the field the caller used to say when the person leaves.
func (r entitlementRequest) exitPointer() string {
	if r.lastGiven {
		return "/last_day_worked"
	}
	return "/exit_date"
}

// allowanceBasis shows both readings of the "current monthly allowance" (docs/legal-basis.md §3.2) and the one used.
type allowanceBasis = exits.Basis

// workTime is how the working time was counted from the assignments.
type workTime = exits.Work

// entitlementContext is what, besides the policy input, explains a computation; it is stored with a decision.
type entitlementContext struct {
	Request   entitlementRequest `json:"request"`
	Allowance *allowanceBasis    `json:"allowance"`
	Work      workTime           `json:"work"`
}

type entitlementResponse struct {
	CadreID       string                `json:"cadre_id"`
	FullName      string                `json:"full_name"`
	Reason        string                `json:"reason"`
	Kind          string                `json:"kind"`
	LastDayWorked Date                  `json:"last_day_worked"`
	ExitDate      Date                  `json:"exit_date"`
	Inputs        policy.BestExitInput  `json:"inputs"`
	Context       entitlementContext    `json:"context"`
	Result        policy.BestExitResult `json:"result"`
	Decision      *decisionResponse     `json:"decision,omitempty"`
}

// exitDateRange bounds the dates an exit may be given on, so that the day before or after stays a date.
var exitDateMin, exitDateMax = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2199, 12, 31, 0, 0, 0, 0, time.UTC)

// settleExitDates reads when the person leaves, given as exactly one of the last working day
// (last_day_worked) or the first day out (exit_date), and fills the other: last_day_worked 2025-07-31 is
// exit_date 2025-08-01. Neither or both is a 422 naming both fields.
func settleExitDates(last, exit *Date) error {
	hasLast, hasExit := !last.IsZero(), !exit.IsZero()
	both := func(code, en, vi string) error {
		return errInvalid("Say when the person leaves in one way only: either the last day worked or the first day out (the day after).",
			"Chỉ ghi thời điểm nghỉ theo một cách: hoặc ngày làm việc cuối cùng, hoặc ngày đầu tiên nghỉ việc (ngày hôm sau).",
			FieldError{Pointer: "/last_day_worked", Code: code, MessageEN: en, MessageVI: vi},
			FieldError{Pointer: "/exit_date", Code: code, MessageEN: en, MessageVI: vi})
	}
	switch {
	case hasLast && hasExit:
		return both("one_of", "give either the last day worked or the first day out, not both",
			"chỉ ghi ngày làm việc cuối cùng hoặc ngày đầu tiên nghỉ việc, không ghi cả hai")
	case !hasLast && !hasExit:
		return both("required", "give the last day worked or the first day out",
			"cần ghi ngày làm việc cuối cùng hoặc ngày đầu tiên nghỉ việc")
	case hasLast:
		*exit = Date{Time: last.AddDate(0, 0, 1)}
	default:
		*last = Date{Time: exit.AddDate(0, 0, -1)}
	}
	if exit.Before(exitDateMin) || exit.After(exitDateMax) {
		ptr := "/exit_date"
		if hasLast {
			ptr = "/last_day_worked"
		}
		return errInvalid("The date the person leaves is out of range.", "Ngày nghỉ việc nằm ngoài phạm vi cho phép.",
			FieldError{Pointer: ptr, Code: "out_of_range", MessageEN: "must be between 1900 and 2199",
				MessageVI: "phải trong khoảng từ năm 1900 đến năm 2199"})
	}
	return nil
}

// decodeEntitlementRequest reads an entitlement request body and settles its exit dates.
func decodeEntitlementRequest(r *http.Request) (entitlementRequest, error) {
	var req entitlementRequest
	if err := decodeJSON(r, &req); err != nil {
		return req, err
	}
	req.lastGiven = !req.LastDayWorked.IsZero()
	return req, settleExitDates(&req.LastDayWorked, &req.ExitDate)
}

func noPost(detailEN, detailVI string) error { return noPostAt("/exit_date", detailEN, detailVI) }

func noPostAt(pointer, detailEN, detailVI string) error {
	return errInvalid("The stored records do not allow this computation.", "Hồ sơ lưu trữ không cho phép tính toán này.",
		FieldError{Pointer: pointer, Code: "no_post_held", MessageEN: detailEN, MessageVI: detailVI})
}

// buildEntitlement turns the stored person and a request into the rules engine's input, with the context
// that explains where each value came from.
func buildEntitlement(p store.EntitlementPerson, req entitlementRequest) (policy.BestExitInput, entitlementContext, error) {
	return buildEntitlementWith(p, req, nil)
}

// buildEntitlementWith is buildEntitlement with a calculator for the day before the exit and the person's
// schedule, shared by the people of an entitlement run (nil: a new one). The computation is exits.Build,
// which the console calls too; a refusal becomes a 422 pointing at the field concerned.
func buildEntitlementWith(p store.EntitlementPerson, req entitlementRequest, calc *allowanceCalc) (policy.BestExitInput, entitlementContext, error) {
	in := exits.Input{ExitDate: policy.NewDate(req.ExitDate.Date()), Reason: req.Reason,
		OnPension: req.OnPension, ReemployedWithin60Months: req.ReemployedWithin60Months, KeptInHamletPost: req.KeptInHamletPost,
		ExitField: strings.TrimPrefix(req.exitPointer(), "/")}
	if req.DecisionDate != nil {
		d := policy.NewDate(req.DecisionDate.Date())
		in.DecisionDate = &d
	}
	if req.RoadmapEnd != nil {
		d := policy.NewDate(req.RoadmapEnd.Date())
		in.RoadmapEnd = &d
	}
	if req.MonthlySalary != nil {
		v := req.MonthlySalary.Decimal
		in.MonthlySalary = &v
	}
	bi, basis, work, err := exits.Build(p, in, calc)
	ctx := entitlementContext{Request: req, Allowance: basis, Work: work}
	var ref *exits.Refusal
	if errors.As(err, &ref) {
		return bi, ctx, errInvalid(ref.TitleEN, ref.TitleVI,
			FieldError{Pointer: "/" + ref.Field, Code: ref.Code, MessageEN: ref.MessageEN, MessageVI: ref.MessageVI})
	}
	return bi, ctx, err
}

// computeEntitlement reads the person and runs the rules engine.
func (s *Server) computeEntitlement(r *http.Request, province, cadreID string, req entitlementRequest) (entitlementResponse, error) {
	exit := policy.NewDate(req.ExitDate.Date())
	p, err := s.store.EntitlementPerson(r.Context(), principalFrom(r.Context()), province, cadreID, toTime(exit.AddDays(-1)).Time)
	if err != nil {
		return entitlementResponse{}, err
	}
	in, ctx, err := buildEntitlement(p, req)
	if err != nil {
		return entitlementResponse{}, err
	}
	res, err := policy.BestExit(in)
	if err != nil {
		return entitlementResponse{}, policyProblem(err, &in)
	}
	// Warnings and reasons in the reader's language; a saved decision keeps them as its author read them.
	res.Localize(langOf(r))
	return entitlementResponse{CadreID: p.CadreID, FullName: p.FullName, Reason: req.Reason, Kind: in.Kind,
		LastDayWorked: req.LastDayWorked, ExitDate: req.ExitDate, Inputs: in, Context: ctx, Result: res}, nil
}

// toDecision is the record a computation is stored as.
func toDecision(province string, e entitlementResponse) (store.Decision, error) {
	d := store.Decision{Province: province, CadreID: e.CadreID, Reason: e.Reason, Kind: e.Kind,
		ExitDate: toTime(e.Inputs.ExitDate).Time, Policy: e.Result.Chosen, Total: e.Result.Total,
		RulesetVersion: e.Result.RulesetVersion}
	var err error
	for _, f := range []struct {
		dst *json.RawMessage
		v   any
	}{{&d.Inputs, e.Inputs}, {&d.Request, e.Context}, {&d.Parameters, e.Result.Parameters}, {&d.Result, e.Result}} {
		if *f.dst, err = json.Marshal(f.v); err != nil {
			return d, fmt.Errorf("marshal decision: %w", err)
		}
	}
	return d, nil
}

func (s *Server) postEntitlement(w http.ResponseWriter, r *http.Request) error {
	save := false
	switch r.URL.Query().Get("save") {
	case "", "false":
	case "true":
		save = true
	default:
		return queryError("save", "bool", "must be true or false", "phải là true hoặc false")
	}
	req, err := decodeEntitlementRequest(r)
	if err != nil {
		return err
	}
	province := chi.URLParam(r, "province")
	out, err := s.computeEntitlement(r, province, chi.URLParam(r, "id"), req)
	if err != nil {
		return err
	}
	w.Header().Set("Ruleset-Version", policy.RulesetVersion)
	if !save {
		return writeJSON(w, http.StatusOK, out)
	}
	d, err := toDecision(province, out)
	if err != nil {
		return err
	}
	// At most one current decision per person and exit: the same computation again answers with the
	// stored decision (200); a different one for the same exit is a conflict naming the current decision.
	saved, existing, err := s.store.SaveDecision(r.Context(), principalFrom(r.Context()), d)
	if err != nil {
		return decisionConflict(province, err)
	}
	dr, err := toDecisionResponse(saved, false)
	if err != nil {
		return err
	}
	out.Decision = &dr
	w.Header().Set("Location", "/v1/provinces/"+province+"/decisions/"+saved.ID)
	setETag(w, saved.Version)
	if existing {
		return writeJSON(w, http.StatusOK, out)
	}
	return writeJSON(w, http.StatusCreated, out)
}
