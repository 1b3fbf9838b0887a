package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"communehr/internal/exits"
	"communehr/internal/msg"
	"communehr/internal/policy"
	"communehr/internal/reorg"
	"communehr/internal/store"
)

// The planning and the apply of a reorganisation live in internal/reorg (the console calls them too);
// this file reads the API's request and answers with reorg's summary.

// reorgPost and reorgFunds are parts of the summary (the tests read them).
type (
	reorgPost  = reorg.Post
	reorgFunds = reorg.Funds
)

// reorgJSON is the body of POST …/reorganisations. Mapping is a list of entries or the name of a
// built-in mapping; hamlets and posts answer the questions a split asks (a hamlet → its new commune-level
// unit; a post → its new unit, or "end").
type reorgJSON struct {
	EffectiveDate Date              `json:"effective_date"`
	Level         string            `json:"level"`
	Mapping       json.RawMessage   `json:"mapping"`
	Hamlets       map[string]string `json:"hamlets,omitempty"`
	Posts         map[string]string `json:"posts,omitempty"`
}

// msgField is a field error worded by the msg catalogue.
func msgField(pointer, code string, m msg.Message) FieldError {
	return FieldError{Pointer: pointer, Code: code, MessageEN: m.EN(), MessageVI: m.VI()}
}

func reorgInvalid(fields ...FieldError) error {
	return errInvalid("The reorganisation request is not valid.", "Yêu cầu sắp xếp đơn vị không hợp lệ.", fields...)
}

// decodeReorgRequest reads the JSON body or, for text/csv, the mapping as CSV with the date and level
// as query parameters, and checks it (reorg.Request.Validate).
func decodeReorgRequest(r *http.Request) (*reorg.Request, error) {
	req := &reorg.Request{}
	if strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "text/csv") {
		q := r.URL.Query()
		d, err := ParseDate(q.Get("effective_date"))
		if err != nil {
			return nil, queryError("effective_date", "date", "must be a date YYYY-MM-DD", "phải là ngày dạng YYYY-MM-DD")
		}
		req.Effective, req.Level = d.Time, q.Get("level")
		if err = req.ReadCSV(r.Body); err != nil {
			return nil, err
		}
	} else if err := decodeReorgJSON(r, req); err != nil {
		return nil, err
	}
	return req, req.Validate()
}

// decodeReorgJSON reads the JSON body: the mapping is a list of entries or the built-in mapping's name.
func decodeReorgJSON(r *http.Request, req *reorg.Request) error {
	var body reorgJSON
	if err := decodeJSON(r, &body); err != nil {
		return err
	}
	if en, vi, bad := body.EffectiveDate.parseProblem(); bad {
		return reorgInvalid(FieldError{Pointer: "/effective_date", Code: "date", MessageEN: en, MessageVI: vi})
	}
	req.Effective, req.Level, req.Hamlets, req.Posts = body.EffectiveDate.Time, body.Level, body.Hamlets, body.Posts
	var name string
	switch {
	case len(body.Mapping) == 0 || string(body.Mapping) == "null":
		return reorgInvalid(msgField("/mapping", "required", msg.New("reorg.mapping_required")))
	case json.Unmarshal(body.Mapping, &name) == nil:
		if name != reorg.MappingNational2025 {
			return reorgInvalid(msgField("/mapping", "unknown_mapping", msg.New("reorg.mapping_unknown")))
		}
		req.National = true
	default:
		dec := json.NewDecoder(strings.NewReader(string(body.Mapping)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req.Entries); err != nil {
			return reorgInvalid(msgField("/mapping", "type", msg.New("reorg.mapping_type")))
		}
	}
	return nil
}

// reorgService is the reorganisation planner with the API's exit computation.
func (s *Server) reorgService() reorg.Service { return reorg.Service{Store: s.store, Exit: ReorgExit} }

// ReorgExit is a reorganisation's exit of one person, computed as the entitlement endpoints and runs do
// (buildEntitlement and policy.BestExit through runOne); the console's preview uses it too.
func ReorgExit(p store.EntitlementPerson, exit time.Time, calc *exits.Calc) store.RunResult {
	req := entitlementRequest{ExitDate: Date{Time: exit}, LastDayWorked: Date{Time: exit.AddDate(0, 0, -1)}, Reason: "reorganisation"}
	return runOne(p, req, calc)
}

// reorgError is a reorganisation's refusal as the API's problem (422 naming the fields, 404 for a
// province without reference data, 409 for an apply that kept colliding with other writes); any other
// error is returned as it is.
func reorgError(err error) error {
	var inv *reorg.Invalid
	switch {
	case errors.As(err, &inv):
		fields := make([]FieldError, len(inv.Fields))
		for i, f := range inv.Fields {
			fields[i] = FieldError{Pointer: f.Pointer, Code: f.Code, MessageEN: f.EN, MessageVI: f.VI}
			fields[i].Line, fields[i].Column, _ = f.Cell()
		}
		return errInvalid(inv.DetailEN, inv.DetailVI, fields...)
	case errors.Is(err, reorg.ErrNoReferenceData):
		return errNotFound()
	case errors.Is(err, reorg.ErrBusy):
		return errConflict("Other changes to these units kept colliding with the reorganisation; nothing was changed. Try again in a moment.",
			"Đơn vị đang được cập nhật đồng thời bởi thao tác khác; chưa thay đổi gì. Hãy thử lại sau giây lát.")
	}
	return err
}

// postReorganisation is POST /v1/provinces/{province}/reorganisations?mode=preview|apply. What it echoes
// (names and codes typed in a mapping, people's names, questions, refusals) reaches a viewer with every
// 12-digit run masked (viewerText, as errors.csv); an editor gets it whole.
func (s *Server) postReorganisation(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	mask := viewerText(p)
	status, sum, err := s.reorganise(w, r, p)
	if err != nil {
		return maskedError(reorgError(err), mask)
	}
	return writeJSON(w, status, sum.Masked(mask))
}

// reorganise previews or applies the request: 201 for a new apply, 200 for a preview, a repeat, or an
// apply the register already records whole (nothing written).
func (s *Server) reorganise(w http.ResponseWriter, r *http.Request, p store.Principal) (int, *reorg.Summary, error) {
	mode := r.URL.Query().Get("mode")
	if mode != "preview" && mode != "apply" {
		return 0, nil, queryError("mode", "oneof", "must be preview or apply", "phải là preview (xem trước) hoặc apply (thực hiện)")
	}
	if mode == "apply" && p.Role != store.RoleProvinceEditor {
		return 0, nil, errForbidden(p.Role)
	}
	req, err := decodeReorgRequest(r)
	if err != nil {
		return 0, nil, err
	}
	req.Province = chi.URLParam(r, "province")
	w.Header().Set("Ruleset-Version", policy.RulesetVersion)
	if mode == "preview" {
		sum, err := s.reorgService().Preview(r.Context(), p, req, vietnamese(r))
		return http.StatusOK, sum, err
	}
	sum, err := s.reorgService().Apply(r.Context(), p, req, vietnamese(r))
	if err != nil || sum.Repeated || sum.ID == "" {
		return http.StatusOK, sum, err
	}
	return http.StatusCreated, sum, nil
}

// maskedError passes a refusal's texts and pointers through mask (any other error is returned as is).
func maskedError(err error, mask func(string) string) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	out := *e
	out.DetailEN, out.DetailVI = mask(e.DetailEN), mask(e.DetailVI)
	out.Fields = make([]FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Pointer, f.MessageEN, f.MessageVI, f.Column = mask(f.Pointer), mask(f.MessageEN), mask(f.MessageVI), mask(f.Column)
		out.Fields[i] = f
	}
	return &out
}

// ViewerText is the masking p gets of what a reorganisation echoes (the console uses it too).
func ViewerText(p store.Principal) func(string) string { return viewerText(p) }
