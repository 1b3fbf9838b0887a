package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"communehr/internal/msg"
	"communehr/internal/store"
)

type communeResponse struct {
	Code                string     `json:"code"`
	Name                string     `json:"name"`
	Kind                string     `json:"kind"`
	Class               int        `json:"class"`
	Population          *int       `json:"population"`
	AreaKm2             *Decimal   `json:"area_km2"`
	KeySecurityOrder    bool       `json:"key_security_order"`
	Border              bool       `json:"border"`
	Island              bool       `json:"island"`
	Mountainous         bool       `json:"mountainous"`
	WardOfUrbanDistrict bool       `json:"ward_of_urban_district"`
	EffectiveFrom       Date       `json:"effective_from"`
	EffectiveTo         *Date      `json:"effective_to"`
	SuccessorCode       *string    `json:"successor_code"`
	OldProvinceCode     *string    `json:"old_province_code"`
	UnitID              string     `json:"unit_id"`
	AsOf                *Date      `json:"as_of,omitempty"`
	Version             int        `json:"version"`
	Successors          *[]unitRef `json:"successors,omitempty"`
	Predecessors        *[]unitRef `json:"predecessors,omitempty"`
}

type unitRef struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	EffectiveFrom Date   `json:"effective_from"`
	EffectiveTo   *Date  `json:"effective_to"`
	UnitID        string `json:"unit_id,omitempty"`
	Coverage      string `json:"coverage,omitempty"`
}

func toLineageRefs(ls []store.LineageRef) *[]unitRef {
	out := make([]unitRef, 0, len(ls))
	for _, l := range ls {
		out = append(out, unitRef{Code: l.Code, Name: l.Name, EffectiveFrom: Date{Time: l.EffectiveFrom},
			EffectiveTo: datePtr(l.EffectiveTo), UnitID: store.UnitKey{Code: l.Code, From: l.EffectiveFrom}.String(),
			Coverage: l.Coverage})
	}
	return &out
}

func toUnitRefs(us []store.UnitRef) *[]unitRef {
	out := make([]unitRef, 0, len(us))
	for _, u := range us {
		out = append(out, unitRef{Code: u.Code, Name: u.Name, EffectiveFrom: Date{Time: u.EffectiveFrom}, EffectiveTo: datePtr(u.EffectiveTo)})
	}
	return &out
}

func toCommuneResponse(c store.Commune) communeResponse {
	out := communeResponse{Code: c.Code, Name: c.Name, Kind: c.Kind, Class: c.Class, Population: c.Population,
		KeySecurityOrder: c.KeySecurityOrder, Border: c.Border, Island: c.Island,
		Mountainous: c.Mountainous, WardOfUrbanDistrict: c.WardOfUrbanDistrict,
		EffectiveFrom: Date{Time: c.EffectiveFrom}, EffectiveTo: datePtr(c.EffectiveTo), SuccessorCode: c.SuccessorCode,
		OldProvinceCode: c.OldProvinceCode, UnitID: c.Key().String(), Version: c.Version}
	if c.AreaKm2 != nil {
		d := NewDecimal(*c.AreaKm2)
		out.AreaKm2 = &d
	}
	return out
}

type communeList struct {
	Items      []communeResponse `json:"items"`
	NextCursor *string           `json:"next_cursor"`
}

func (s *Server) mountCommunes(r chi.Router) {
	r.Route("/communes", func(r chi.Router) {
		r.Get("/", handle(s.listCommunes))
		r.With(idempotent(s.store)).Post("/", handle(s.createCommune))
		r.Get("/{code}", handle(s.getCommune))
		r.Patch("/{code}", handle(s.patchCommune))
		r.Delete("/{code}", handle(s.deleteCommune))
	})
}

func (s *Server) listCommunes(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	search, err := queryText(r, "q")
	if err != nil {
		return err
	}
	f := store.CommuneFilter{Kind: q.Get("kind"), Q: normalizeText(search), After: after, Limit: limit}
	if f.Kind != "" && !oneOf(f.Kind, "xa", "phuong", "thi_tran", "dac_khu") {
		return queryError("kind", "oneof", "must be xa, phuong, thi_tran or dac_khu", "phải là xa, phuong, thi_tran hoặc dac_khu")
	}
	if c := q.Get("class"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 || n > 3 {
			return queryError("class", "oneof", "must be 1, 2 or 3", "phải là 1, 2 hoặc 3")
		}
		f.Class = n
	}
	on, err := communeListDate(r)
	if err != nil {
		return err
	}
	f.ActiveOn = timePtr(on)
	items, err := s.store.ListCommunes(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), f)
	if err != nil {
		return err
	}
	out := communeList{Items: make([]communeResponse, 0, len(items))}
	last := ""
	for _, c := range items {
		item := toCommuneResponse(c)
		item.AsOf = on
		out.Items = append(out.Items, item)
		last = item.UnitID // c.Key().String(), already written
	}
	out.NextCursor = nextCursor(last, len(items), limit)
	return writeJSON(w, http.StatusOK, out)
}

// communeListDate reads the date of a list of communes: as_of (as GET one reads it: the units in force on
// the date, with the class, population and flags in force on it) or active_on, its earlier name; both
// must then be the same date.
func communeListDate(r *http.Request) (*Date, error) {
	on, err := queryDate(r, "active_on")
	if err != nil {
		return nil, err
	}
	asOf, err := queryDate(r, "as_of")
	if err != nil || asOf == nil {
		return on, err
	}
	if on != nil && !on.Time.Equal(asOf.Time) {
		return nil, queryError("as_of", "as_of_mismatch", "must be the same date as active_on when both are given",
			"phải cùng ngày với active_on khi có cả hai")
	}
	return asOf, nil
}

func oneOf(v string, options ...string) bool {
	for _, o := range options {
		if v == o {
			return true
		}
	}
	return false
}

func (s *Server) getCommune(w http.ResponseWriter, r *http.Request) error {
	code, sel, err := unitSel(r)
	if err != nil {
		return err
	}
	c, succ, pred, err := s.store.GetCommune(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), code, sel)
	if err != nil {
		return err
	}
	out := toCommuneResponse(c)
	asOf := s.store.Today()
	if sel.AsOf != nil {
		asOf = *sel.AsOf
	}
	out.AsOf = &Date{Time: asOf}
	out.Successors, out.Predecessors = toLineageRefs(succ), toLineageRefs(pred)
	setETag(w, c.Version)
	return writeJSON(w, http.StatusOK, out)
}

type communeCreate struct {
	Code                string   `json:"code" validate:"required,len=5,numeric"`
	Name                string   `json:"name" validate:"required,min=1,max=200"`
	Kind                string   `json:"kind" validate:"required,oneof=xa phuong thi_tran dac_khu"`
	Class               int      `json:"class" validate:"required,min=1,max=3"`
	Population          *int     `json:"population" validate:"omitempty,min=0"`
	AreaKm2             *Decimal `json:"area_km2"`
	KeySecurityOrder    bool     `json:"key_security_order"`
	Border              bool     `json:"border"`
	Island              bool     `json:"island"`
	Mountainous         bool     `json:"mountainous"`
	WardOfUrbanDistrict bool     `json:"ward_of_urban_district"`
	EffectiveFrom       Date     `json:"effective_from" validate:"required"`
	EffectiveTo         *Date    `json:"effective_to"`
	SuccessorCode       *string  `json:"successor_code" validate:"omitempty,len=5,numeric"`
	OldProvinceCode     *string  `json:"old_province_code" validate:"omitempty,len=2,numeric"`
}

func (s *Server) createCommune(w http.ResponseWriter, r *http.Request) error {
	var req communeCreate
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	c := store.Commune{Province: chi.URLParam(r, "province"), Code: req.Code, Name: normalizeText(req.Name), Kind: req.Kind,
		Class: req.Class, Population: req.Population, KeySecurityOrder: req.KeySecurityOrder, Border: req.Border,
		Island: req.Island, EffectiveFrom: req.EffectiveFrom.Time, EffectiveTo: timePtr(req.EffectiveTo), SuccessorCode: req.SuccessorCode,
		Mountainous: req.Mountainous, WardOfUrbanDistrict: req.WardOfUrbanDistrict, OldProvinceCode: req.OldProvinceCode}
	if req.AreaKm2 != nil {
		c.AreaKm2 = &req.AreaKm2.Decimal
	}
	if err := checkCommune(c); err != nil {
		return err
	}
	out, err := s.store.CreateCommune(r.Context(), principalFrom(r.Context()), c)
	if err != nil {
		return err
	}
	w.Header().Set("Location", r.URL.Path+"/"+out.Key().String())
	setETag(w, out.Version)
	return writeJSON(w, http.StatusCreated, toCommuneResponse(out))
}

// checkUnitDates holds the effective-dating rules communes and hamlets share: effective_to after
// effective_from, and a successor only for a closed unit and never the unit itself.
func checkUnitDates(code string, from time.Time, to *time.Time, successor *string, selfEN, selfVI string) []FieldError {
	var fields []FieldError
	if to != nil && !to.After(from) {
		fields = append(fields, FieldError{Pointer: "/effective_to", Code: "after_effective_from",
			MessageEN: "must be after effective_from", MessageVI: "phải sau effective_from"})
	}
	if successor != nil {
		switch {
		case to == nil:
			fields = append(fields, FieldError{Pointer: "/successor_code", Code: "requires_effective_to",
				MessageEN: "a successor needs effective_to (the last day of the merged unit)",
				MessageVI: "đơn vị kế thừa cần có effective_to (ngày cuối của đơn vị bị sáp nhập)"})
		case *successor == code:
			fields = append(fields, FieldError{Pointer: "/successor_code", Code: "self", MessageEN: selfEN, MessageVI: selfVI})
		}
	}
	return fields
}

// checkCommune holds the rules that span fields (the single-field ones are validator tags).
func checkCommune(c store.Commune) error {
	var fields []FieldError
	if c.AreaKm2 != nil && (c.AreaKm2.IsNegative() || c.AreaKm2.Exponent() < -2) {
		fields = append(fields, FieldError{Pointer: "/area_km2", Code: "area", MessageEN: "must be ≥ 0 with at most 2 decimals",
			MessageVI: "phải ≥ 0 và tối đa 2 chữ số thập phân"})
	}
	if c.WardOfUrbanDistrict && c.Kind != "phuong" {
		fields = append(fields, fieldMsg("/ward_of_urban_district", "ward_only", msg.New("commune.ward_of_urban_district_only_ward")))
	}
	fields = append(fields, checkUnitDates(c.Code, c.EffectiveFrom, c.EffectiveTo, c.SuccessorCode,
		"cannot be the commune itself", "không được là chính xã này")...)
	if len(fields) > 0 {
		return errInvalid("Some fields are not valid.", "Một số trường không hợp lệ.", fields...)
	}
	return nil
}

type communePatch struct {
	Name                Opt[string]  `json:"name"`
	Kind                Opt[string]  `json:"kind"`
	Class               Opt[int]     `json:"class"`
	Population          Opt[int]     `json:"population"`
	AreaKm2             Opt[Decimal] `json:"area_km2"`
	KeySecurityOrder    Opt[bool]    `json:"key_security_order"`
	Border              Opt[bool]    `json:"border"`
	Island              Opt[bool]    `json:"island"`
	Mountainous         Opt[bool]    `json:"mountainous"`
	WardOfUrbanDistrict Opt[bool]    `json:"ward_of_urban_district"`
	EffectiveFrom       Opt[Date]    `json:"effective_from"`
	EffectiveTo         Opt[Date]    `json:"effective_to"`
	SuccessorCode       Opt[string]  `json:"successor_code"`
	OldProvinceCode     Opt[string]  `json:"old_province_code"`
	ChangesFrom         *Date        `json:"changes_from"`
}

// apply changes c by the fields present in the patch; a null on a required field is refused.
func (p communePatch) apply(c *store.Commune) error {
	var fields []FieldError
	if p.Name.required("/name", &fields) {
		c.Name = normalizeText(*p.Name.Value)
	}
	if p.Kind.required("/kind", &fields) {
		c.Kind = *p.Kind.Value
	}
	if p.Class.required("/class", &fields) {
		c.Class = *p.Class.Value
	}
	if p.Population.Set {
		c.Population = p.Population.Value
	}
	if p.AreaKm2.Set {
		c.AreaKm2 = nil
		if p.AreaKm2.Value != nil {
			c.AreaKm2 = &p.AreaKm2.Value.Decimal
		}
	}
	if p.KeySecurityOrder.required("/key_security_order", &fields) {
		c.KeySecurityOrder = *p.KeySecurityOrder.Value
	}
	if p.Border.required("/border", &fields) {
		c.Border = *p.Border.Value
	}
	if p.Island.required("/island", &fields) {
		c.Island = *p.Island.Value
	}
	if p.Mountainous.required("/mountainous", &fields) {
		c.Mountainous = *p.Mountainous.Value
	}
	if p.WardOfUrbanDistrict.required("/ward_of_urban_district", &fields) {
		c.WardOfUrbanDistrict = *p.WardOfUrbanDistrict.Value
	}
	if p.EffectiveFrom.required("/effective_from", &fields) {
		c.EffectiveFrom = p.EffectiveFrom.Value.Time
	}
	if p.EffectiveTo.Set {
		c.EffectiveTo = timePtr(p.EffectiveTo.Value)
	}
	if p.SuccessorCode.Set {
		c.SuccessorCode = p.SuccessorCode.Value
	}
	if p.OldProvinceCode.Set {
		c.OldProvinceCode = p.OldProvinceCode.Value
	}
	c.ChangesFrom = timePtr(p.ChangesFrom)
	if len(fields) > 0 {
		return errInvalid("Some fields are not valid.", "Một số trường không hợp lệ.", fields...)
	}
	// The patched record must still be a valid commune.
	req := communeCreate{Code: c.Code, Name: c.Name, Kind: c.Kind, Class: c.Class, Population: c.Population,
		EffectiveFrom: Date{Time: c.EffectiveFrom}, SuccessorCode: c.SuccessorCode, OldProvinceCode: c.OldProvinceCode}
	if err := validateStruct(&req); err != nil {
		return err
	}
	return checkCommune(*c)
}

func (s *Server) patchCommune(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var req communePatch
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	code, sel, err := unitSel(r)
	if err != nil {
		return err
	}
	out, err := s.store.UpdateCommune(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"),
		code, sel, version, req.apply)
	if err != nil {
		return err
	}
	setETag(w, out.Version)
	return writeJSON(w, http.StatusOK, toCommuneResponse(out))
}

func (s *Server) deleteCommune(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	code, sel, err := unitSel(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteCommune(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), code, sel, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
