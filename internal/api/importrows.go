package api

import (
	"communehr/internal/msg"
	"communehr/internal/store"
)

// The row converters build the records API's own request structs from the cells and run the same
// validation (validator tags and the check functions), so an import and a POST refuse the same values
// with the same codes and messages.

func communeRow(rc *rowContext, cell func(string) string) (store.StageRow, []FieldError) {
	var p cellParser
	req := communeCreate{Code: cell("code"), Name: normalizeText(cell("name")), Kind: enum(cell("kind")),
		Population: p.integer("population", cell("population")), AreaKm2: p.decimal("area_km2", cell("area_km2")),
		KeySecurityOrder: boolOr(p.boolean("key_security_order", cell("key_security_order")), false),
		Border:           boolOr(p.boolean("border", cell("border")), false),
		Island:           boolOr(p.boolean("island", cell("island")), false),
		EffectiveTo:      p.date("effective_to", cell("effective_to")), SuccessorCode: p.str(cell("successor_code")),
		Mountainous:         boolOr(p.boolean("mountainous", cell("mountainous")), false),
		WardOfUrbanDistrict: boolOr(p.boolean("ward_of_urban_district", cell("ward_of_urban_district")), false),
		OldProvinceCode:     p.str(cell("old_province_code"))}
	if n := p.integer("class", cell("class")); n != nil {
		req.Class = *n
	}
	if d := p.date("effective_from", cell("effective_from")); d != nil {
		req.EffectiveFrom = *d
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	if err := validateStruct(&req); err != nil {
		return nil, fieldsOf(err)
	}
	c := store.Commune{Code: req.Code, Name: req.Name, Kind: req.Kind, Class: req.Class, Population: req.Population,
		EffectiveFrom: req.EffectiveFrom.Time, EffectiveTo: timePtr(req.EffectiveTo), SuccessorCode: req.SuccessorCode,
		WardOfUrbanDistrict: req.WardOfUrbanDistrict}
	if req.AreaKm2 != nil {
		c.AreaKm2 = &req.AreaKm2.Decimal
	}
	if err := checkCommune(c); err != nil {
		return nil, fieldsOf(err)
	}
	return &store.CommuneStageRow{Code: req.Code, Name: req.Name, Kind: req.Kind, Class: req.Class, Population: req.Population,
		AreaKm2: c.AreaKm2, KeySecurityOrder: req.KeySecurityOrder, Border: req.Border, Island: req.Island,
		EffectiveFrom: req.EffectiveFrom.Time, EffectiveTo: c.EffectiveTo, SuccessorCode: req.SuccessorCode,
		Mountainous: req.Mountainous, WardOfUrbanDistrict: req.WardOfUrbanDistrict, OldProvinceCode: req.OldProvinceCode}, nil
}

func hamletRow(rc *rowContext, cell func(string) string) (store.StageRow, []FieldError) {
	var p cellParser
	req := hamletCreate{Code: cell("code"), CommuneCode: cell("commune_code"), Name: normalizeText(cell("name")),
		Kind: enum(cell("kind")), Households: p.integer("households", cell("households")),
		KeySecurityOrder:  boolOr(p.boolean("key_security_order", cell("key_security_order")), false),
		BorderOrIsland:    p.boolean("border_or_island", cell("border_or_island")),
		ConvertedFromThon: boolOr(p.boolean("converted_from_thon", cell("converted_from_thon")), false),
		EffectiveTo:       p.date("effective_to", cell("effective_to")), SuccessorCode: p.str(cell("successor_code"))}
	if d := p.date("effective_from", cell("effective_from")); d != nil {
		req.EffectiveFrom = *d
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	if err := validateStruct(&req); err != nil {
		return nil, fieldsOf(err)
	}
	h := store.Hamlet{Code: req.Code, CommuneCode: req.CommuneCode, Name: req.Name, Kind: req.Kind, Households: *req.Households,
		KeySecurityOrder: req.KeySecurityOrder, BorderOrIsland: req.BorderOrIsland, ConvertedFromThon: req.ConvertedFromThon,
		EffectiveFrom: req.EffectiveFrom.Time, EffectiveTo: timePtr(req.EffectiveTo), SuccessorCode: req.SuccessorCode}
	if err := checkHamlet(h); err != nil {
		return nil, fieldsOf(err)
	}
	return &store.HamletStageRow{Code: h.Code, CommuneCode: h.CommuneCode, Name: h.Name, Kind: h.Kind, Households: h.Households,
		KeySecurityOrder: h.KeySecurityOrder, BorderOrIsland: h.BorderOrIsland, ConvertedFromThon: h.ConvertedFromThon,
		EffectiveFrom: h.EffectiveFrom, EffectiveTo: h.EffectiveTo, SuccessorCode: h.SuccessorCode}, nil
}

func cadreRow(rc *rowContext, cell func(string) string) (*store.CadreStageRow, []FieldError) {
	var p cellParser
	req := cadreCreate{NationalID: cell("national_id"), FullName: normalizeName(cell("full_name")), Gender: enum(cell("gender")),
		Status: enum(cell("status")), LeftOn: p.date("left_on", cell("left_on"))}
	if n := p.integer("si_months", cell("si_months")); n != nil {
		req.SIMonths = *n
	}
	if d := p.date("birth_date", cell("birth_date")); d != nil {
		req.BirthDate = *d
	}
	req.cadreLawFields = cadreLawCells(&p, cell)
	activeFrom := p.date("active_from", cell("active_from"))
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	if err := validateStruct(&req); err != nil {
		return nil, fieldsOf(err)
	}
	if req.Status == "" {
		req.Status = "active"
	}
	c := store.Cadre{NationalID: req.NationalID, FullName: req.FullName, Gender: req.Gender, BirthDate: req.BirthDate.Time,
		SIMonths: req.SIMonths, Status: req.Status, LeftOn: timePtr(req.LeftOn), ActiveFrom: timePtr(activeFrom)}
	req.cadreLawFields.applyTo(&c)
	if err := checkCadre(c, rc.today); err != nil {
		return nil, fieldsOf(err)
	}
	if c.ActiveFrom != nil && c.Status != "active" { // the rest of checkReturn needs the register: store.cadreReturnRows
		return nil, []FieldError{fieldMsg("/active_from", "active_only", msg.New("cadre.active_from_not_active"))}
	}
	return cadreStageRow(c), nil
}

func assignmentRow(rc *rowContext, cell func(string) string) (*store.AssignmentStageRow, []FieldError) {
	var p cellParser
	nid := cell("national_id")
	req := assignmentCreate{PositionCode: cell("position_code"), CommuneCode: p.str(cell("commune_code")),
		HamletCode: p.str(cell("hamlet_code")), EndDate: p.date("end_date", cell("end_date")),
		Concurrent: boolOr(p.boolean("concurrent", cell("concurrent")), false), Elected: p.boolean("elected", cell("elected")),
		TermEnd: p.date("term_end", cell("term_end")), AllowanceOverride: p.decimal("allowance_override", cell("allowance_override"))}
	if d := p.date("start_date", cell("start_date")); d != nil {
		req.StartDate = *d
	}
	if len(nid) != 12 || !isDigits(nid) {
		p.fail("national_id", "national_id", "must be 12 digits", "phải gồm 12 chữ số")
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	if err := validateStruct(&req); err != nil {
		return nil, fieldsOf(err)
	}
	a := store.Assignment{PositionCode: req.PositionCode, CommuneCode: req.CommuneCode, HamletCode: req.HamletCode,
		StartDate: req.StartDate.Time, EndDate: timePtr(req.EndDate), Concurrent: req.Concurrent, Elected: req.Elected,
		TermEnd: timePtr(req.TermEnd)}
	if req.AllowanceOverride != nil {
		a.AllowanceOverride = &req.AllowanceOverride.Decimal
	}
	if err := checkAssignmentFields(a); err != nil {
		return nil, fieldsOf(err)
	}
	// The post must be in the catalogue and its level decides which unit is named: the same rule, code and
	// message as POST …/assignments (store.UnitRule).
	pos, ok := rc.positions[req.PositionCode]
	if !ok {
		return nil, fieldsOf(assignmentProblem(&store.AssignmentRuleError{Rule: store.RuleUnknownPosition, Field: "position_code"}))
	}
	if e := store.UnitRule(pos, req.CommuneCode, req.HamletCode); e != nil {
		return nil, fieldsOf(assignmentProblem(e))
	}
	return &store.AssignmentStageRow{NationalID: nid, PositionCode: a.PositionCode, CommuneCode: a.CommuneCode, HamletCode: a.HamletCode,
		StartDate: a.StartDate, EndDate: a.EndDate, Concurrent: a.Concurrent, Elected: a.Elected, TermEnd: a.TermEnd,
		AllowanceOverride: a.AllowanceOverride}, nil
}

// typedRow is a converter whose rows are of one type (people, posts: also the parts of the combined sheet)
// as a rowFunc.
func typedRow[R store.StageRow](f func(*rowContext, func(string) string) (R, []FieldError)) rowFunc {
	return func(rc *rowContext, cell func(string) string) (store.StageRow, []FieldError) {
		r, errs := f(rc, cell)
		if len(errs) > 0 {
			return nil, errs
		}
		return r, nil
	}
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
