package api

import (
	"communehr/internal/msg"
	"communehr/internal/store"
)

// cadreLawFields are the inputs of the law a person's record keeps (issue 12; migration 0016), so that
// entitlements computed from the register, entitlement runs and decisions use them as the stateless
// calculators do:
//   - si_total_months / si_uncompensated_months: the two meanings of social-insurance time (corner 7);
//     absent, si_months serves as both;
//   - decree29_paid / decree29_paid_on: whether, and when, a Decree 29/2023 allowance was paid (corner 4);
//   - merged_unit_surplus: made surplus by the 2019–2025 unit mergers (corner 5).
type cadreLawFields struct {
	SITotalMonths         *int  `json:"si_total_months"`
	SIUncompensatedMonths *int  `json:"si_uncompensated_months"`
	Decree29Paid          *bool `json:"decree29_paid"`
	Decree29PaidOn        *Date `json:"decree29_paid_on"`
	MergedUnitSurplus     bool  `json:"merged_unit_surplus"`
}

func lawFieldsOf(c store.Cadre) cadreLawFields {
	return cadreLawFields{SITotalMonths: c.SITotalMonths, SIUncompensatedMonths: c.SIUncompensatedMonths,
		Decree29Paid: c.Decree29Paid, Decree29PaidOn: datePtr(c.Decree29PaidOn), MergedUnitSurplus: c.MergedUnitSurplus}
}

func (f cadreLawFields) applyTo(c *store.Cadre) {
	c.SITotalMonths, c.SIUncompensatedMonths = f.SITotalMonths, f.SIUncompensatedMonths
	c.Decree29Paid, c.Decree29PaidOn = f.Decree29Paid, timePtr(f.Decree29PaidOn)
	c.MergedUnitSurplus = f.MergedUnitSurplus
}

// checkCadreLaw holds the cross-field rules of those inputs, as the calculators hold them: the time not yet
// compensated is not above the total, a payment date means it was paid.
func checkCadreLaw(c store.Cadre) []FieldError {
	var out []FieldError
	for _, f := range []struct {
		ptr string
		v   *int
	}{{"/si_total_months", c.SITotalMonths}, {"/si_uncompensated_months", c.SIUncompensatedMonths}} {
		if f.v != nil && (*f.v < 0 || *f.v > 720) {
			out = append(out, fieldMsg(f.ptr, "range", msg.New("cadre.si_range")))
		}
	}
	total := c.SIMonths
	if c.SITotalMonths != nil {
		total = *c.SITotalMonths
	}
	if c.SIUncompensatedMonths != nil && *c.SIUncompensatedMonths > total {
		out = append(out, fieldMsg("/si_uncompensated_months", "above_total", msg.New("cadre.si_uncompensated_above_total")))
	}
	if c.Decree29PaidOn != nil && c.Decree29Paid != nil && !*c.Decree29Paid {
		out = append(out, fieldMsg("/decree29_paid_on", "paid_on_unpaid", msg.New("cadre.decree29_paid_on_unpaid")))
	}
	return out
}

// cadreLawCells reads the import columns of cadreLawFields (the same names as the API fields).
func cadreLawCells(p *cellParser, cell func(string) string) cadreLawFields {
	f := cadreLawFields{SITotalMonths: p.integer("si_total_months", cell("si_total_months")),
		SIUncompensatedMonths: p.integer("si_uncompensated_months", cell("si_uncompensated_months")),
		Decree29Paid:          p.boolean("decree29_paid", cell("decree29_paid")),
		Decree29PaidOn:        p.date("decree29_paid_on", cell("decree29_paid_on"))}
	f.MergedUnitSurplus = boolOr(p.boolean("merged_unit_surplus", cell("merged_unit_surplus")), false)
	return f
}

// cadreStageRow is a person's staging row (the people import; the person part of the combined sheet).
func cadreStageRow(c store.Cadre) *store.CadreStageRow {
	return &store.CadreStageRow{NationalID: c.NationalID, FullName: c.FullName, Gender: c.Gender, BirthDate: c.BirthDate,
		SIMonths: c.SIMonths, Status: c.Status, LeftOn: c.LeftOn, SITotalMonths: c.SITotalMonths,
		SIUncompensatedMonths: c.SIUncompensatedMonths, Decree29Paid: c.Decree29Paid, Decree29PaidOn: c.Decree29PaidOn,
		MergedUnitSurplus: c.MergedUnitSurplus, ActiveFrom: c.ActiveFrom}
}
