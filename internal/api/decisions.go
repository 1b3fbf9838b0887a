package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"

	"communehr/internal/store"
)

// decisionResponse is a stored decision; the large parts (inputs, context, parameters, result) only on GET
// one and on creation. Status is draft (computed, editable), approved (the signed act: number, date,
// signer; immutable) or superseded.
type decisionResponse struct {
	ID             string            `json:"id"`
	CadreID        string            `json:"cadre_id"`
	Status         string            `json:"status"`
	Version        int               `json:"version"`
	DecisionNumber *string           `json:"decision_number"`
	DecisionDate   *Date             `json:"decision_date"`
	SignerTitle    *string           `json:"signer_title"`
	ApprovedAt     *time.Time        `json:"approved_at"`
	Reason         string            `json:"reason"`
	Kind           string            `json:"kind"`
	LastDayWorked  Date              `json:"last_day_worked"`
	ExitDate       Date              `json:"exit_date"`
	Policy         string            `json:"policy"`
	Total          decimal.Decimal   `json:"total"`
	RulesetVersion string            `json:"ruleset_version"`
	KeyID          *string           `json:"key_id"`
	RequestID      string            `json:"request_id"`
	CreatedAt      time.Time         `json:"created_at"`
	Supersedes     *string           `json:"supersedes"`
	SupersededBy   *string           `json:"superseded_by"`
	Inputs         json.RawMessage   `json:"inputs,omitempty"`
	Context        json.RawMessage   `json:"context,omitempty"`
	Parameters     json.RawMessage   `json:"parameters,omitempty"`
	Result         json.RawMessage   `json:"result,omitempty"`
	Approval       *approvalEffects  `json:"approval,omitempty"` // on approve: what the act changed
	Changes        *supersedeChanges `json:"changes,omitempty"`  // on supersede: what the correction changes
}

func toDecisionResponse(d store.Decision, summary bool) (decisionResponse, error) {
	out := decisionResponse{ID: d.ID, CadreID: d.CadreID, Status: d.Status, Version: d.Version, DecisionNumber: d.DecisionNumber,
		DecisionDate: datePtr(d.DecisionDate), SignerTitle: d.SignerTitle, Reason: d.Reason, Kind: d.Kind,
		LastDayWorked: Date{Time: d.ExitDate.AddDate(0, 0, -1)}, ExitDate: Date{Time: d.ExitDate},
		Policy: d.Policy, Total: d.Total, RulesetVersion: d.RulesetVersion, KeyID: d.KeyID, RequestID: d.RequestID,
		CreatedAt: d.CreatedAt.UTC(), Supersedes: d.Supersedes, SupersededBy: d.SupersededBy}
	if d.ApprovedAt != nil {
		t := d.ApprovedAt.UTC()
		out.ApprovedAt = &t
	}
	if !summary {
		out.Inputs, out.Context, out.Parameters, out.Result = d.Inputs, d.Request, d.Parameters, d.Result
	}
	return out, nil
}

type decisionList struct {
	Items      []decisionResponse `json:"items"`
	NextCursor *string            `json:"next_cursor"`
}

func (s *Server) listDecisions(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	// Both filters go to the database as text: not UTF-8, or a control character, is a 422 (queryText).
	cadreID, err := queryText(r, "cadre_id")
	if err != nil {
		return err
	}
	pol, err := queryText(r, "policy")
	if err != nil {
		return err
	}
	f := store.DecisionFilter{CadreID: cadreID, Policy: pol, Limit: limit}
	switch st := q.Get("status"); st {
	case "", store.DecisionDraft, store.DecisionApproved, store.DecisionSuperseded:
		f.Status = st
	default:
		return queryError("status", "enum", "must be draft, approved or superseded", "phải là draft, approved hoặc superseded")
	}
	switch q.Get("current") {
	case "", "false":
	case "true":
		f.Current = true
	default:
		return queryError("current", "bool", "must be true or false", "phải là true hoặc false")
	}
	if after != "" {
		at, id, ok := strings.Cut(after, "|")
		t, perr := time.Parse(time.RFC3339Nano, at)
		if !ok || perr != nil {
			return queryError("cursor", "cursor", "is not a cursor this API returned", "không phải con trỏ do API trả về")
		}
		f.BeforeAt, f.BeforeID = &t, id
	}
	items, err := s.store.ListDecisions(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), f)
	if err != nil {
		return err
	}
	out := decisionList{Items: make([]decisionResponse, 0, len(items))}
	last := ""
	for _, d := range items {
		dr, err := toDecisionResponse(d, true)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, dr)
		last = d.CreatedAt.UTC().Format(time.RFC3339Nano) + "|" + d.ID
	}
	out.NextCursor = nextCursor(last, len(items), limit)
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) getDecision(w http.ResponseWriter, r *http.Request) error {
	d, err := s.store.GetDecision(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	out, err := toDecisionResponse(d, false)
	if err != nil {
		return err
	}
	w.Header().Set("Ruleset-Version", d.RulesetVersion)
	setETag(w, d.Version)
	return writeJSON(w, http.StatusOK, out)
}

// supersedeDecision recomputes the old decision's person with a corrected request and stores the result as
// a new draft that supersedes the old one (which is otherwise left untouched). Nothing the old decision's
// approval did is reopened: the answer says what changes and what does not.
func (s *Server) supersedeDecision(w http.ResponseWriter, r *http.Request) error {
	req, err := decodeEntitlementRequest(r)
	if err != nil {
		return err
	}
	province, id := chi.URLParam(r, "province"), chi.URLParam(r, "id")
	p := principalFrom(r.Context())
	old, err := s.store.GetDecision(r.Context(), p, province, id)
	if err != nil {
		return err
	}
	if old.SupersededBy != nil {
		return errAlreadySuperseded(*old.SupersededBy)
	}
	if h := r.Header.Get("If-Match"); h != "" {
		v, err := ifMatch(r)
		if err != nil {
			return err
		}
		if v != old.Version {
			return errPreconditionFailed()
		}
	}
	ent, err := s.computeEntitlement(r, province, old.CadreID, req)
	if err != nil {
		return err
	}
	d, err := toDecision(province, ent)
	if err != nil {
		return err
	}
	saved, old, err := s.store.SupersedeDecision(r.Context(), p, province, old.ID, d)
	if errors.Is(err, store.ErrSuperseded) {
		return errAlreadySuperseded("")
	}
	if err != nil {
		return decisionConflict(province, err)
	}
	out, err := toDecisionResponse(saved, false)
	if err != nil {
		return err
	}
	out.Changes = changesOf(old, saved)
	w.Header().Set("Ruleset-Version", saved.RulesetVersion)
	w.Header().Set("Location", "/v1/provinces/"+province+"/decisions/"+saved.ID)
	setETag(w, saved.Version)
	return writeJSON(w, http.StatusCreated, out)
}

func errAlreadySuperseded(by string) error {
	en, vi := "This decision was already superseded; supersede the newest one instead.",
		"Quyết định này đã được thay thế; hãy thay thế quyết định mới nhất."
	if by != "" {
		en += " (superseded by " + by + ")"
		vi += " (được thay thế bởi " + by + ")"
	}
	return errConflict(en, vi, FieldError{Pointer: "/id", Code: "superseded", MessageEN: "already superseded", MessageVI: "đã được thay thế"})
}
