package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"

	"communehr/internal/msg"
	"communehr/internal/store"
)

type assignmentResponse struct {
	ID                string   `json:"id"`
	CadreID           string   `json:"cadre_id"`
	PositionCode      string   `json:"position_code"`
	CommuneCode       *string  `json:"commune_code"`
	CommuneFrom       *Date    `json:"commune_from"`
	HamletCode        *string  `json:"hamlet_code"`
	StartDate         Date     `json:"start_date"`
	EndDate           *Date    `json:"end_date"`
	Concurrent        bool     `json:"concurrent"`
	Elected           bool     `json:"elected"`
	ElectedDefaulted  bool     `json:"elected_defaulted"`
	TermEnd           *Date    `json:"term_end"`
	AllowanceOverride *Decimal `json:"allowance_override"`
	Version           int      `json:"version"`
}

func toAssignmentResponse(a store.Assignment) assignmentResponse {
	out := assignmentResponse{ID: a.ID, CadreID: a.CadreID, PositionCode: a.PositionCode, CommuneCode: a.CommuneCode,
		CommuneFrom: datePtr(a.CommuneFrom),
		HamletCode:  a.HamletCode, StartDate: Date{Time: a.StartDate}, EndDate: datePtr(a.EndDate), Concurrent: a.Concurrent,
		Elected: a.ElectedEffective(), ElectedDefaulted: a.Elected == nil, TermEnd: datePtr(a.TermEnd), Version: a.Version}
	if a.AllowanceOverride != nil {
		d := NewDecimal(*a.AllowanceOverride)
		out.AllowanceOverride = &d
	}
	return out
}

func toAssignmentResponses(as []store.Assignment) *[]assignmentResponse {
	out := make([]assignmentResponse, 0, len(as))
	for _, a := range as {
		out = append(out, toAssignmentResponse(a))
	}
	return &out
}

type assignmentList struct {
	Items      []assignmentResponse `json:"items"`
	NextCursor *string              `json:"next_cursor"`
}

// mountAssignments registers a person's posts under /cadres/{id}/assignments.
func (s *Server) mountAssignments(r chi.Router) {
	r.Route("/{id}/assignments", func(r chi.Router) {
		r.Get("/", handle(s.listAssignments))
		r.With(idempotent(s.store)).Post("/", handle(s.createAssignment))
		r.Get("/{assignment_id}", handle(s.getAssignment))
		r.Patch("/{assignment_id}", handle(s.patchAssignment))
		r.Delete("/{assignment_id}", handle(s.deleteAssignment))
	})
}

// assignmentPath reads the person's and (when named) the assignment's ids from the path.
func assignmentPath(r *http.Request, withAssignment bool) (cadreID, id string, err error) {
	if cadreID, err = cadrePathUUID(r, "id"); err != nil || !withAssignment {
		return cadreID, "", err
	}
	id, err = cadrePathUUID(r, "assignment_id")
	return cadreID, id, err
}

func (s *Server) listAssignments(w http.ResponseWriter, r *http.Request) error {
	cadreID, _, err := assignmentPath(r, false)
	if err != nil {
		return err
	}
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	f := store.AssignmentFilter{Limit: limit}
	if after != "" {
		day, id, ok := strings.Cut(after, "|")
		d, derr := ParseDate(day)
		if !ok || derr != nil || !cadreUUIDPattern.MatchString(id) {
			return queryError("cursor", "cursor", "is not a cursor this API returned", "không phải con trỏ do API trả về")
		}
		f.AfterStart, f.AfterID = &d.Time, id
	}
	items, err := s.store.ListAssignments(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), cadreID, f)
	if err != nil {
		return err
	}
	out := assignmentList{Items: *toAssignmentResponses(items)}
	last := ""
	if n := len(items); n > 0 {
		last = items[n-1].StartDate.Format(dateLayout) + "|" + items[n-1].ID
	}
	out.NextCursor = nextCursor(last, len(items), limit)
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) getAssignment(w http.ResponseWriter, r *http.Request) error {
	cadreID, id, err := assignmentPath(r, true)
	if err != nil {
		return err
	}
	a, err := s.store.GetAssignment(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), cadreID, id)
	if err != nil {
		return err
	}
	setETag(w, a.Version)
	return writeJSON(w, http.StatusOK, toAssignmentResponse(a))
}

type assignmentCreate struct {
	PositionCode      string   `json:"position_code" validate:"required,max=64"`
	CommuneCode       *string  `json:"commune_code" validate:"omitempty,len=5,number"`
	CommuneFrom       *Date    `json:"commune_from"`
	HamletCode        *string  `json:"hamlet_code" validate:"omitempty,min=1,max=32"`
	StartDate         Date     `json:"start_date" validate:"required"`
	EndDate           *Date    `json:"end_date"`
	Concurrent        bool     `json:"concurrent"`
	Elected           *bool    `json:"elected"`
	TermEnd           *Date    `json:"term_end"`
	AllowanceOverride *Decimal `json:"allowance_override"`
}

func (s *Server) createAssignment(w http.ResponseWriter, r *http.Request) error {
	cadreID, _, err := assignmentPath(r, false)
	if err != nil {
		return err
	}
	var req assignmentCreate
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	a := store.Assignment{Province: chi.URLParam(r, "province"), CadreID: cadreID, PositionCode: req.PositionCode,
		CommuneCode: req.CommuneCode, CommuneFrom: timePtr(req.CommuneFrom), HamletCode: req.HamletCode, StartDate: req.StartDate.Time,
		EndDate:    timePtr(req.EndDate),
		Concurrent: req.Concurrent, Elected: req.Elected, TermEnd: timePtr(req.TermEnd)}
	if req.AllowanceOverride != nil {
		a.AllowanceOverride = &req.AllowanceOverride.Decimal
	}
	if err := checkAssignmentFields(a); err != nil {
		return err
	}
	out, err := s.store.CreateAssignment(r.Context(), principalFrom(r.Context()), a)
	if err != nil {
		return assignmentProblem(err)
	}
	w.Header().Set("Location", strings.TrimSuffix(r.URL.Path, "/")+"/"+out.ID)
	setETag(w, out.Version)
	return writeJSON(w, http.StatusCreated, toAssignmentResponse(out))
}

// maxAllowance is the largest amount numeric(14, 0) holds.
var maxAllowance = decimal.New(1, 14)

// checkAssignmentFields holds the rules between fields of the request; the rules that need the register
// (the post's level, overlaps, the hamlet's 3 paid posts) are the store's.
func checkAssignmentFields(a store.Assignment) error {
	var fields []FieldError
	if a.EndDate != nil && a.EndDate.Before(a.StartDate) {
		fields = append(fields, fieldMsg("/end_date", "after_start_date", msg.New("post.end_before_start")))
	}
	if a.TermEnd != nil && a.TermEnd.Before(a.StartDate) {
		fields = append(fields, fieldMsg("/term_end", "after_start_date", msg.New("post.term_end_before_start")))
	}
	if d := a.AllowanceOverride; d != nil && (d.IsNegative() || !d.Equal(d.Truncate(0)) || d.GreaterThanOrEqual(maxAllowance)) {
		fields = append(fields, fieldMsg("/allowance_override", "money", msg.New("post.allowance_money")))
	}
	if len(fields) > 0 {
		return errInvalid("Some fields are not valid.", "Một số trường không hợp lệ.", fields...)
	}
	return nil
}

// assignmentProblem words a broken register rule for the client; other errors pass through.
func assignmentProblem(err error) error {
	var re *store.AssignmentRuleError
	if !errors.As(err, &re) {
		return err
	}
	ptr := "/" + re.Field
	level := map[string]msg.Text{"commune": {VI: "cấp xã", EN: "commune-level"},
		"hamlet": {VI: "cấp thôn, tổ dân phố", EN: "hamlet-level"}}[re.Position.Level]
	title := msg.Text{VI: re.Position.TitleVI, EN: re.Position.TitleEN}
	field := msg.Text{}
	field.VI, _ = msg.FieldLabel(re.Field, msg.VI)
	field.EN, _ = msg.FieldLabel(re.Field, msg.EN)
	if field.EN != "" { // it opens the sentence
		field.EN = strings.ToUpper(field.EN[:1]) + field.EN[1:]
	}
	refuse := func(conflict bool, code string, m msg.Message) error {
		if conflict {
			return errConflict(m.Render(msg.EN), m.Render(msg.VI), fieldMsg(ptr, code, m))
		}
		return errInvalid(m.Render(msg.EN), m.Render(msg.VI), fieldMsg(ptr, code, m))
	}
	switch re.Rule {
	case store.RuleUnknownPosition:
		return refuse(false, "unknown_position", msg.New("post.unknown_position"))
	case store.RuleUnitRequired:
		return refuse(false, "required_by_level", msg.New("post.unit_required", field, title, level))
	case store.RuleUnitNotAllowed:
		return refuse(false, "not_allowed_by_level", msg.New("post.unit_not_allowed", field, title, level))
	case store.RuleOverlap, store.RuleHamletPosts: // worded by the store, as an import words them
		if re.Words == nil {
			return err
		}
		f := FieldError{Pointer: ptr, Code: re.Words.Code, MessageEN: re.Words.MessageEN, MessageVI: re.Words.MessageVI}
		if re.Rule == store.RuleOverlap {
			return errConflict(f.MessageEN, f.MessageVI, f)
		}
		return errInvalid(f.MessageEN, f.MessageVI, f)
	}
	return err
}

type assignmentPatch struct {
	PositionCode      Opt[string]  `json:"position_code"`
	CommuneCode       Opt[string]  `json:"commune_code"`
	CommuneFrom       Opt[Date]    `json:"commune_from"`
	HamletCode        Opt[string]  `json:"hamlet_code"`
	StartDate         Opt[Date]    `json:"start_date"`
	EndDate           Opt[Date]    `json:"end_date"`
	Concurrent        Opt[bool]    `json:"concurrent"`
	Elected           Opt[bool]    `json:"elected"`
	TermEnd           Opt[Date]    `json:"term_end"`
	AllowanceOverride Opt[Decimal] `json:"allowance_override"`
}

// apply changes a by the fields present; null clears an optional field (elected: back to the post's
// default) and is refused on a required one.
func (p assignmentPatch) apply(a *store.Assignment) error {
	var fields []FieldError
	if p.PositionCode.required("/position_code", &fields) {
		a.PositionCode = *p.PositionCode.Value
	}
	if p.CommuneCode.Set {
		if p.CommuneCode.Value == nil || a.CommuneCode == nil || *a.CommuneCode != *p.CommuneCode.Value {
			a.CommuneFrom = nil // another unit: the one of that code in force on the post's first day
		}
		a.CommuneCode = p.CommuneCode.Value
	}
	if p.CommuneFrom.Set {
		a.CommuneFrom = timePtr(p.CommuneFrom.Value)
	}
	if p.HamletCode.Set {
		a.HamletCode = p.HamletCode.Value
	}
	if p.StartDate.required("/start_date", &fields) {
		a.StartDate = p.StartDate.Value.Time
	}
	if p.EndDate.Set {
		a.EndDate = timePtr(p.EndDate.Value)
	}
	if p.Concurrent.required("/concurrent", &fields) {
		a.Concurrent = *p.Concurrent.Value
	}
	if p.Elected.Set {
		a.Elected = p.Elected.Value
	}
	if p.TermEnd.Set {
		a.TermEnd = timePtr(p.TermEnd.Value)
	}
	if p.AllowanceOverride.Set {
		a.AllowanceOverride = nil
		if p.AllowanceOverride.Value != nil {
			a.AllowanceOverride = &p.AllowanceOverride.Value.Decimal
		}
	}
	if len(fields) > 0 {
		return errInvalid("Some fields are not valid.", "Một số trường không hợp lệ.", fields...)
	}
	req := assignmentCreate{PositionCode: a.PositionCode, CommuneCode: a.CommuneCode, HamletCode: a.HamletCode,
		StartDate: Date{Time: a.StartDate}}
	if err := validateStruct(&req); err != nil {
		return err
	}
	return checkAssignmentFields(*a)
}

func (s *Server) patchAssignment(w http.ResponseWriter, r *http.Request) error {
	cadreID, id, err := assignmentPath(r, true)
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var req assignmentPatch
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	out, err := s.store.UpdateAssignment(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), cadreID, id,
		version, req.apply)
	if err != nil {
		return assignmentProblem(err)
	}
	setETag(w, out.Version)
	return writeJSON(w, http.StatusOK, toAssignmentResponse(out))
}

func (s *Server) deleteAssignment(w http.ResponseWriter, r *http.Request) error {
	cadreID, id, err := assignmentPath(r, true)
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteAssignment(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), cadreID, id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
