package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"

	"communehr/internal/store"
)

// The lifecycle of a stored decision (issue 12): a draft is computed and its inputs may be edited
// (recomputed on each edit); approving it records the signed act (number, date, signer's title) and does
// what the act does — the person's posts end on the last day worked and the person is recorded as left —
// all in one transaction; a correction supersedes it and says what it changes.

// approveRequest is the body of POST decisions/{id}/approve.
type approveRequest struct {
	DecisionNumber string `json:"decision_number" validate:"required,max=60"`
	DecisionDate   Date   `json:"decision_date" validate:"required"`
	SignerTitle    string `json:"signer_title" validate:"required,max=200"`
}

// endedPost is a post the approval ended.
type endedPost struct {
	AssignmentID string  `json:"assignment_id"`
	PositionCode string  `json:"position_code"`
	TitleVI      string  `json:"title_vi"`
	TitleEN      string  `json:"title_en"`
	CommuneCode  *string `json:"commune_code"`
	HamletCode   *string `json:"hamlet_code"`
	StartDate    Date    `json:"start_date"`
	EndDateWas   *Date   `json:"end_date_was"`
	EndDate      Date    `json:"end_date"`
}

// personChange is the person's status before and after an approval.
type personChange struct {
	StatusWas string `json:"status_was"`
	LeftOnWas *Date  `json:"left_on_was"`
	Status    string `json:"status"`
	LeftOn    Date   `json:"left_on"`
}

// approvalEffects is what an approval changed besides the decision.
type approvalEffects struct {
	PostsEnded []endedPost   `json:"posts_ended"`
	Person     *personChange `json:"person"`
}

// supersedeChanges says what a correction changes, and what it does not reopen.
type supersedeChanges struct {
	SupersededStatus string          `json:"superseded_status"`
	TotalWas         decimal.Decimal `json:"total_was"`
	Total            decimal.Decimal `json:"total"`
	AmountDifference decimal.Decimal `json:"amount_difference"`
	PolicyWas        string          `json:"policy_was"`
	Policy           string          `json:"policy"`
	ExitDateWas      Date            `json:"exit_date_was"`
	ExitDate         Date            `json:"exit_date"`
	LastDayWorkedWas Date            `json:"last_day_worked_was"`
	LastDayWorked    Date            `json:"last_day_worked"`
	PostsReopened    bool            `json:"posts_reopened"`
	PersonReopened   bool            `json:"person_reopened"`
	Notes            []bilingualNote `json:"notes"`
}

// bilingualNote is a plain-words explanation in both languages.
type bilingualNote struct {
	EN string `json:"en"`
	VI string `json:"vi"`
}

func changesOf(old, d store.Decision) *supersedeChanges {
	c := &supersedeChanges{SupersededStatus: old.Status, TotalWas: old.Total, Total: d.Total, AmountDifference: d.Total.Sub(old.Total),
		PolicyWas: old.Policy, Policy: d.Policy, ExitDateWas: Date{Time: old.ExitDate}, ExitDate: Date{Time: d.ExitDate},
		LastDayWorkedWas: Date{Time: old.ExitDate.AddDate(0, 0, -1)}, LastDayWorked: Date{Time: d.ExitDate.AddDate(0, 0, -1)},
		Notes: []bilingualNote{}}
	note := func(en, vi string) { c.Notes = append(c.Notes, bilingualNote{EN: en, VI: vi}) }
	if old.Status == store.DecisionApproved {
		num := ""
		if old.DecisionNumber != nil {
			num = *old.DecisionNumber
		}
		note(fmt.Sprintf("Decision %s stays on record as superseded. The posts it ended stay ended and the person stays recorded as left: nothing is reopened. Correct those records separately if the correction requires it.", num),
			fmt.Sprintf("Quyết định %s vẫn được lưu, ở trạng thái đã bị thay thế. Các chức danh đã kết thúc theo quyết định đó vẫn kết thúc và người này vẫn được ghi nhận là đã nghỉ việc: không có gì được mở lại. Nếu cần, hãy điều chỉnh các hồ sơ đó riêng.", num))
		note("The correction is a draft: it takes effect when it is approved.",
			"Quyết định điều chỉnh đang là dự thảo: chỉ có hiệu lực khi được phê duyệt.")
	} else {
		note("The superseded draft was never approved: no post or status had been changed by it.",
			"Dự thảo bị thay thế chưa được phê duyệt: chưa làm thay đổi chức danh hay trạng thái nào.")
	}
	switch d.Total.Cmp(old.Total) {
	case 1:
		note("The new amount is "+d.Total.Sub(old.Total).String()+" VND more than the superseded one.",
			"Số tiền mới nhiều hơn số tiền của quyết định bị thay thế "+d.Total.Sub(old.Total).String()+" đồng.")
	case -1:
		note("The new amount is "+old.Total.Sub(d.Total).String()+" VND less than the superseded one.",
			"Số tiền mới ít hơn số tiền của quyết định bị thay thế "+old.Total.Sub(d.Total).String()+" đồng.")
	default:
		note("The amount is unchanged.", "Số tiền không thay đổi.")
	}
	if !old.ExitDate.Equal(d.ExitDate) {
		note("The first day out changes from "+old.ExitDate.Format(dateLayout)+" to "+d.ExitDate.Format(dateLayout)+".",
			"Ngày đầu tiên nghỉ việc thay đổi từ "+viDate(old.ExitDate)+" thành "+viDate(d.ExitDate)+".")
	}
	return c
}

func viDate(t time.Time) string { return t.Format("02/01/2006") }

// decisionConflict explains store errors about the one current decision per person and exit.
func decisionConflict(province string, err error) error {
	var cur *store.CurrentDecisionError
	switch {
	case errors.As(err, &cur):
		c := cur.Current
		name, nameVI := "the draft decision "+c.ID, "dự thảo quyết định "+c.ID
		how, howVI := "Edit that draft, or supersede it with the corrected figures.",
			"Hãy sửa dự thảo đó, hoặc thay thế nó bằng số liệu đã điều chỉnh."
		if c.Status == store.DecisionApproved && c.DecisionNumber != nil {
			name = fmt.Sprintf("decision %s of %s (%s)", *c.DecisionNumber, c.DecisionDate.Format(dateLayout), c.ID)
			nameVI = fmt.Sprintf("quyết định số %s ngày %s (%s)", *c.DecisionNumber, viDate(*c.DecisionDate), c.ID)
			how, howVI = "An approved decision cannot be changed: supersede it with the corrected figures.",
				"Quyết định đã phê duyệt không thể sửa: hãy thay thế nó bằng quyết định với số liệu đã điều chỉnh."
		}
		e := errConflict(
			fmt.Sprintf("This person already has a current decision for this exit, %s (first day out %s), with different figures. %s",
				name, c.ExitDate.Format(dateLayout), how),
			fmt.Sprintf("Người này đã có quyết định hiện hành cho lần nghỉ việc này, %s (ngày đầu tiên nghỉ việc %s), với số liệu khác. %s",
				nameVI, viDate(c.ExitDate), howVI),
			FieldError{Pointer: "/exit_date", Code: "current_decision_exists",
				MessageEN: "a current decision already settles this exit", MessageVI: "đã có quyết định hiện hành cho lần nghỉ việc này"})
		e.Header = http.Header{"Link": {`</v1/provinces/` + province + `/decisions/` + c.ID + `>; rel="current"`,
			`</v1/provinces/` + province + `/decisions/` + c.ID + `/supersede>; rel="supersede"`}}
		return e
	case errors.Is(err, store.ErrNotDraft):
		return errConflict("Only a draft decision can be edited or approved; an approved decision can only be superseded.",
			"Chỉ dự thảo quyết định mới được sửa hoặc phê duyệt; quyết định đã phê duyệt chỉ có thể được thay thế.",
			FieldError{Pointer: "/id", Code: "not_draft", MessageEN: "the decision is not a draft", MessageVI: "quyết định không còn là dự thảo"})
	}
	return err
}

func (s *Server) approveDecision(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var req approveRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	var bad []FieldError
	for _, f := range []struct{ ptr, v string }{{"/decision_number", req.DecisionNumber}, {"/signer_title", req.SignerTitle}} {
		if !readableText(f.v) || len([]rune(f.v)) == 0 {
			bad = append(bad, FieldError{Pointer: f.ptr, Code: "text", MessageEN: "must be plain text without control characters",
				MessageVI: "phải là văn bản thường, không có ký tự điều khiển"})
		}
	}
	if req.DecisionDate.Before(exitDateMin) || req.DecisionDate.After(exitDateMax) {
		bad = append(bad, FieldError{Pointer: "/decision_date", Code: "out_of_range", MessageEN: "must be between 1900 and 2199",
			MessageVI: "phải trong khoảng từ năm 1900 đến năm 2199"})
	}
	province, id := chi.URLParam(r, "province"), chi.URLParam(r, "id")
	p := principalFrom(r.Context())
	d, err := s.store.GetDecision(r.Context(), p, province, id)
	if err != nil {
		return err
	}
	// The draft was computed with the decision date it was given (Decree 178 counts from it): the signed
	// act must carry the same date, or the draft is edited first.
	var ctx entitlementContext
	if json.Unmarshal(d.Request, &ctx) == nil && ctx.Request.DecisionDate != nil && !ctx.Request.DecisionDate.Equal(req.DecisionDate.Time) {
		bad = append(bad, FieldError{Pointer: "/decision_date", Code: "differs_from_draft",
			MessageEN: "differs from the decision date the draft was computed with (" + ctx.Request.DecisionDate.Format(dateLayout) + "); edit the draft first",
			MessageVI: "khác ngày quyết định đã dùng để tính dự thảo (" + viDate(ctx.Request.DecisionDate.Time) + "); hãy sửa dự thảo trước"})
	}
	if len(bad) > 0 {
		return errInvalid("Some fields are not valid.", "Một số trường không hợp lệ.", bad...)
	}
	saved, eff, err := s.store.ApproveDecision(r.Context(), p, province, id, version,
		store.Approval{Number: req.DecisionNumber, Date: req.DecisionDate.Time, SignerTitle: req.SignerTitle})
	if err != nil {
		return decisionConflict(province, err)
	}
	out, err := toDecisionResponse(saved, false)
	if err != nil {
		return err
	}
	ae := &approvalEffects{PostsEnded: make([]endedPost, 0, len(eff.PostsEnded)),
		Person: &personChange{StatusWas: eff.StatusWas, LeftOnWas: datePtr(eff.LeftOnWas), Status: eff.Status, LeftOn: Date{Time: eff.LeftOn}}}
	for _, pe := range eff.PostsEnded {
		ae.PostsEnded = append(ae.PostsEnded, endedPost{AssignmentID: pe.AssignmentID, PositionCode: pe.PositionCode,
			TitleVI: pe.TitleVI, TitleEN: pe.TitleEN, CommuneCode: pe.CommuneCode, HamletCode: pe.HamletCode,
			StartDate: Date{Time: pe.StartDate}, EndDateWas: datePtr(pe.EndDateWas), EndDate: Date{Time: pe.EndDate}})
	}
	out.Approval = ae
	w.Header().Set("Ruleset-Version", saved.RulesetVersion)
	setETag(w, saved.Version)
	return writeJSON(w, http.StatusOK, out)
}

// patchDecision edits a draft's inputs: the fields sent replace the stored request's (null removes an
// optional one; sending either exit date replaces both), and the person is recomputed.
func (s *Server) patchDecision(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var patch map[string]json.RawMessage
	if err := decodeJSON(r, &patch); err != nil {
		return err
	}
	if patch == nil {
		return errBadRequest("The body must be a JSON object.", "Nội dung phải là một đối tượng JSON.")
	}
	province, id := chi.URLParam(r, "province"), chi.URLParam(r, "id")
	p := principalFrom(r.Context())
	old, err := s.editableDraft(r, p, province, id, version)
	if err != nil {
		return err
	}
	body, err := patchedRequest(old, patch)
	if err != nil {
		return err
	}
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.Header.Set("Content-Type", "application/json")
	req, err := decodeEntitlementRequest(r2)
	if err != nil {
		return err
	}
	ent, err := s.computeEntitlement(r, province, old.CadreID, req)
	if err != nil {
		return err
	}
	d, err := toDecision(province, ent)
	if err != nil {
		return err
	}
	saved, err := s.store.UpdateDraft(r.Context(), p, province, old.ID, version, d)
	if err != nil {
		return decisionConflict(province, err)
	}
	out, err := toDecisionResponse(saved, false)
	if err != nil {
		return err
	}
	w.Header().Set("Ruleset-Version", saved.RulesetVersion)
	setETag(w, saved.Version)
	return writeJSON(w, http.StatusOK, out)
}

// editableDraft is the decision the request names when it is still a draft at the version If-Match gave.
func (s *Server) editableDraft(r *http.Request, p store.Principal, province, id string, version int) (store.Decision, error) {
	old, err := s.store.GetDecision(r.Context(), p, province, id)
	if err != nil {
		return old, err
	}
	if old.Status != store.DecisionDraft {
		return old, decisionConflict(province, store.ErrNotDraft)
	}
	if old.Version != version {
		return old, errPreconditionFailed()
	}
	return old, nil
}

// patchedRequest is the draft's stored request with the patch's fields laid over it, as JSON: null removes
// an optional field, and sending either exit date replaces both (else the stored last day worked is
// dropped and exit_date stays the one given).
func patchedRequest(old store.Decision, patch map[string]json.RawMessage) ([]byte, error) {
	var stored struct {
		Request map[string]json.RawMessage `json:"request"`
	}
	if err := json.Unmarshal(old.Request, &stored); err != nil || stored.Request == nil {
		return nil, fmt.Errorf("decision %s: stored request: %v", old.ID, err)
	}
	merged := stored.Request
	_, hasExit := patch["exit_date"]
	_, hasLast := patch["last_day_worked"]
	if hasExit || hasLast {
		delete(merged, "exit_date")
		delete(merged, "last_day_worked")
	} else {
		delete(merged, "last_day_worked") // exit_date stays the one given
	}
	for k, v := range patch {
		if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			delete(merged, k)
			continue
		}
		merged[k] = v
	}
	return json.Marshal(merged)
}
