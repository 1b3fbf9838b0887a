package api

import (
	"errors"
	"net/http"
	"regexp"
	"time"

	"github.com/go-chi/chi/v5"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// hamletResponse is a hamlet with its fund category, computed (never stored) by internal/policy.
type hamletResponse struct {
	Code              string        `json:"code"`
	CommuneCode       string        `json:"commune_code"`
	Name              string        `json:"name"`
	Kind              string        `json:"kind"`
	Households        int           `json:"households"`
	KeySecurityOrder  bool          `json:"key_security_order"`
	BorderOrIsland    *bool         `json:"border_or_island"`
	ConvertedFromThon bool          `json:"converted_from_thon"`
	EffectiveFrom     Date          `json:"effective_from"`
	EffectiveTo       *Date         `json:"effective_to"`
	SuccessorCode     *string       `json:"successor_code"`
	CommuneFrom       *Date         `json:"commune_from"`
	AsOf              Date          `json:"as_of"`
	Version           int           `json:"version"`
	FundCategory      string        `json:"fund_category"`
	FundCriterion     fundCriterion `json:"fund_criterion"`
	Successors        *[]unitRef    `json:"successors,omitempty"`
	Predecessors      *[]unitRef    `json:"predecessors,omitempty"`
}

// fundCriterion names the clause of Decree 33/2023 Art. 34 cl. 2 that put a hamlet in its category.
type fundCriterion struct {
	Code     string          `json:"code"`
	LabelVI  string          `json:"label_vi"`
	LabelEN  string          `json:"label_en"`
	Citation policy.Citation `json:"citation"`
}

type hamletList struct {
	Items      []hamletResponse `json:"items"`
	NextCursor *string          `json:"next_cursor"`
}

// hamletFund classifies h on asOf. A flag set on the hamlet or on its commune counts; border_or_island
// left null on the hamlet is derived from the commune's border or island flag.
func hamletFund(h store.Hamlet, asOf time.Time) (policy.HamletCategory, error) {
	border := h.Commune.Border || h.Commune.Island
	if h.BorderOrIsland != nil {
		border = *h.BorderOrIsland
	}
	y, m, d := asOf.Date()
	c, err := policy.HamletFundCategory(policy.HamletFundInput{
		Kind:              policy.HamletKind(h.Kind),
		Households:        h.Households,
		KeySecurityOrder:  h.KeySecurityOrder || h.Commune.KeySecurityOrder,
		BorderOrIsland:    border,
		ConvertedFromThon: h.ConvertedFromThon,
		AsOf:              policy.NewDate(y, m, d),
	})
	// Before any hamlet fund rule is in force the hamlet is answered as it was, with no category (a
	// historic hamlet is readable as of any day of its life, issue 11).
	var oor *policy.OutOfRangeError
	if errors.As(err, &oor) {
		return policy.HamletFundNotInForce(policy.NewDate(y, m, d)), nil
	}
	// An input error on the date: ?as_of=0000-01-01 parses as
	// YYYY-MM-DD but is outside the engine's 1900–9999 range (it was a 500).
	var one *policy.InputError
	var many policy.InputErrors
	if errors.As(err, &one) {
		many = policy.InputErrors{*one}
	} else {
		errors.As(err, &many)
	}
	if len(many) > 0 && many[0].Field == "/as_of" {
		return c, queryError("as_of", "date", "must be a date between 1900-01-01 and 9999-12-31",
			"phải là ngày trong khoảng 1900-01-01 đến 9999-12-31")
	}
	return c, err
}

func toHamletResponse(h store.Hamlet, asOf time.Time) (hamletResponse, error) {
	c, err := hamletFund(h, asOf)
	if err != nil {
		return hamletResponse{}, err
	}
	return hamletResponse{Code: h.Code, CommuneCode: h.CommuneCode, Name: h.Name, Kind: h.Kind, Households: h.Households,
		KeySecurityOrder: h.KeySecurityOrder, BorderOrIsland: h.BorderOrIsland, ConvertedFromThon: h.ConvertedFromThon,
		EffectiveFrom: Date{Time: h.EffectiveFrom}, EffectiveTo: datePtr(h.EffectiveTo), SuccessorCode: h.SuccessorCode,
		CommuneFrom: datePtr(h.CommuneFrom), AsOf: Date{Time: asOf}, Version: h.Version, FundCategory: c.Category,
		FundCriterion: fundCriterion{Code: c.Criterion, LabelVI: c.LabelVI, LabelEN: c.LabelEN, Citation: c.Citation}}, nil
}

func (s *Server) mountHamlets(r chi.Router) {
	r.Route("/hamlets", func(r chi.Router) {
		r.Get("/", handle(s.listHamlets))
		r.With(idempotent(s.store)).Post("/", handle(s.createHamlet))
		r.Get("/{code}", handle(s.getHamlet))
		r.Patch("/{code}", handle(s.patchHamlet))
		r.Delete("/{code}", handle(s.deleteHamlet))
	})
}

func (s *Server) listHamlets(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	search, err := queryText(r, "q")
	if err != nil {
		return err
	}
	commune, err := queryText(r, "commune_code")
	if err != nil {
		return err
	}
	f := store.HamletFilter{CommuneCode: commune, Kind: q.Get("kind"), Q: normalizeText(search),
		After: after, Limit: limit}
	if f.Kind != "" && !oneOf(f.Kind, "thon", "to_dan_pho") {
		return queryError("kind", "oneof", "must be thon or to_dan_pho", "phải là thon hoặc to_dan_pho")
	}
	on, err := queryDate(r, "active_on")
	if err != nil {
		return err
	}
	f.ActiveOn = timePtr(on)
	asOf, err := s.asOfOrToday(r)
	if err != nil {
		return err
	}
	f.ValuesOn = &asOf
	items, err := s.store.ListHamlets(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), f)
	if err != nil {
		return err
	}
	out := hamletList{Items: make([]hamletResponse, 0, len(items))}
	last := ""
	for _, h := range items {
		hr, err := toHamletResponse(h, asOf)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, hr)
		last = h.Code
	}
	out.NextCursor = nextCursor(last, len(items), limit)
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) getHamlet(w http.ResponseWriter, r *http.Request) error {
	asOf, err := s.asOfOrToday(r)
	if err != nil {
		return err
	}
	h, succ, pred, err := s.store.GetHamlet(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), chi.URLParam(r, "code"), &asOf)
	if err != nil {
		return err
	}
	out, err := toHamletResponse(h, asOf)
	if err != nil {
		return err
	}
	out.Successors, out.Predecessors = toUnitRefs(succ), toUnitRefs(pred)
	setETag(w, h.Version)
	return writeJSON(w, http.StatusOK, out)
}

type hamletCreate struct {
	Code              string  `json:"code" validate:"required,max=32"`
	CommuneCode       string  `json:"commune_code" validate:"required,len=5,numeric"`
	Name              string  `json:"name" validate:"required,min=1,max=200"`
	Kind              string  `json:"kind" validate:"required,oneof=thon to_dan_pho"`
	Households        *int    `json:"households" validate:"required,min=0,max=100000"`
	KeySecurityOrder  bool    `json:"key_security_order"`
	BorderOrIsland    *bool   `json:"border_or_island"`
	ConvertedFromThon bool    `json:"converted_from_thon"`
	EffectiveFrom     Date    `json:"effective_from" validate:"required"`
	EffectiveTo       *Date   `json:"effective_to"`
	SuccessorCode     *string `json:"successor_code" validate:"omitempty,max=32"`
	CommuneFrom       *Date   `json:"commune_from"`
}

func (s *Server) createHamlet(w http.ResponseWriter, r *http.Request) error {
	var req hamletCreate
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	h := store.Hamlet{Province: chi.URLParam(r, "province"), Code: req.Code, CommuneCode: req.CommuneCode,
		Name: normalizeText(req.Name), Kind: req.Kind, Households: *req.Households, KeySecurityOrder: req.KeySecurityOrder,
		BorderOrIsland: req.BorderOrIsland, ConvertedFromThon: req.ConvertedFromThon, EffectiveFrom: req.EffectiveFrom.Time,
		EffectiveTo: timePtr(req.EffectiveTo), SuccessorCode: req.SuccessorCode, CommuneFrom: timePtr(req.CommuneFrom)}
	if err := checkHamlet(h); err != nil {
		return err
	}
	out, err := s.store.CreateHamlet(r.Context(), principalFrom(r.Context()), h)
	if err != nil {
		return err
	}
	resp, err := toHamletResponse(out, s.store.Today())
	if err != nil {
		return err
	}
	w.Header().Set("Location", r.URL.Path+"/"+out.Code)
	setETag(w, out.Version)
	return writeJSON(w, http.StatusCreated, resp)
}

var hamletCodePattern = regexp.MustCompile(`^[0-9A-Za-z_.-]{1,32}$`)

// checkHamlet holds the rules that span fields or need a pattern (the single-field ones are validator tags).
func checkHamlet(h store.Hamlet) error {
	var fields []FieldError
	if !hamletCodePattern.MatchString(h.Code) {
		fields = append(fields, FieldError{Pointer: "/code", Code: "pattern",
			MessageEN: "must be 1–32 letters, digits, '_', '.' or '-'", MessageVI: "phải gồm 1–32 chữ cái, chữ số, '_', '.' hoặc '-'"})
	}
	if h.SuccessorCode != nil && !hamletCodePattern.MatchString(*h.SuccessorCode) {
		fields = append(fields, FieldError{Pointer: "/successor_code", Code: "pattern",
			MessageEN: "must be 1–32 letters, digits, '_', '.' or '-'", MessageVI: "phải gồm 1–32 chữ cái, chữ số, '_', '.' hoặc '-'"})
	}
	if h.ConvertedFromThon && h.Kind != "to_dan_pho" {
		fields = append(fields, FieldError{Pointer: "/converted_from_thon", Code: "requires_to_dan_pho",
			MessageEN: "only a residential group (to_dan_pho) can have been converted from a thôn",
			MessageVI: "chỉ tổ dân phố (to_dan_pho) mới có thể được chuyển từ thôn"})
	}
	fields = append(fields, checkUnitDates(h.Code, h.EffectiveFrom, h.EffectiveTo, h.SuccessorCode,
		"cannot be the hamlet itself", "không được là chính thôn, tổ dân phố này")...)
	if len(fields) > 0 {
		return errInvalid("Some fields are not valid.", "Một số trường không hợp lệ.", fields...)
	}
	return nil
}

type hamletPatch struct {
	CommuneCode       Opt[string] `json:"commune_code"`
	Name              Opt[string] `json:"name"`
	Kind              Opt[string] `json:"kind"`
	Households        Opt[int]    `json:"households"`
	KeySecurityOrder  Opt[bool]   `json:"key_security_order"`
	BorderOrIsland    Opt[bool]   `json:"border_or_island"`
	ConvertedFromThon Opt[bool]   `json:"converted_from_thon"`
	EffectiveFrom     Opt[Date]   `json:"effective_from"`
	EffectiveTo       Opt[Date]   `json:"effective_to"`
	SuccessorCode     Opt[string] `json:"successor_code"`
	CommuneFrom       Opt[Date]   `json:"commune_from"`
	ChangesFrom       *Date       `json:"changes_from"`
}

// apply changes h by the fields present in the patch; a null on a required field is refused.
func (p hamletPatch) apply(h *store.Hamlet) error {
	var fields []FieldError
	if p.CommuneCode.required("/commune_code", &fields) {
		if h.CommuneCode != *p.CommuneCode.Value {
			h.CommuneFrom = nil // another unit: the one of that code in force on the hamlet's first day
		}
		h.CommuneCode = *p.CommuneCode.Value
	}
	if p.CommuneFrom.Set {
		h.CommuneFrom = timePtr(p.CommuneFrom.Value)
	}
	h.ChangesFrom = timePtr(p.ChangesFrom)
	if p.Name.required("/name", &fields) {
		h.Name = normalizeText(*p.Name.Value)
	}
	if p.Kind.required("/kind", &fields) {
		h.Kind = *p.Kind.Value
	}
	if p.Households.required("/households", &fields) {
		h.Households = *p.Households.Value
	}
	if p.KeySecurityOrder.required("/key_security_order", &fields) {
		h.KeySecurityOrder = *p.KeySecurityOrder.Value
	}
	if p.BorderOrIsland.Set {
		h.BorderOrIsland = p.BorderOrIsland.Value // null: derive from the commune again
	}
	if p.ConvertedFromThon.required("/converted_from_thon", &fields) {
		h.ConvertedFromThon = *p.ConvertedFromThon.Value
	}
	if p.EffectiveFrom.required("/effective_from", &fields) {
		h.EffectiveFrom = p.EffectiveFrom.Value.Time
	}
	if p.EffectiveTo.Set {
		h.EffectiveTo = timePtr(p.EffectiveTo.Value)
	}
	if p.SuccessorCode.Set {
		h.SuccessorCode = p.SuccessorCode.Value
	}
	if len(fields) > 0 {
		return errInvalid("Some fields are not valid.", "Một số trường không hợp lệ.", fields...)
	}
	// The patched record must still be a valid hamlet.
	households := h.Households
	req := hamletCreate{Code: h.Code, CommuneCode: h.CommuneCode, Name: h.Name, Kind: h.Kind, Households: &households,
		EffectiveFrom: Date{Time: h.EffectiveFrom}, SuccessorCode: h.SuccessorCode}
	if err := validateStruct(&req); err != nil {
		return err
	}
	return checkHamlet(*h)
}

func (s *Server) patchHamlet(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var req hamletPatch
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	out, err := s.store.UpdateHamlet(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"),
		chi.URLParam(r, "code"), version, req.apply)
	if err != nil {
		return err
	}
	resp, err := toHamletResponse(out, s.store.Today())
	if err != nil {
		return err
	}
	setETag(w, out.Version)
	return writeJSON(w, http.StatusOK, resp)
}

func (s *Server) deleteHamlet(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteHamlet(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), chi.URLParam(r, "code"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
