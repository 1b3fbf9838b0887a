package exits

import (
	"errors"

	"communehr/internal/msg"
	"communehr/internal/policy"
	"communehr/internal/store"
)

// CommuneFundInput is the Decree 33 input of a commune's fund: its class, and for a commune, ward or
// township with a recorded population or area, the increment inputs (Art. 33 cl. 2).
func CommuneFundInput(c store.ReportCommune, asOf policy.Date) policy.CommuneFundInput {
	in := policy.CommuneFundInput{Class: c.Class, AsOf: asOf}
	if c.Kind != policy.UnitCommune && c.Kind != policy.UnitWard && c.Kind != policy.UnitTownship {
		return in
	}
	if c.Population == nil && c.AreaKm2 == nil {
		return in
	}
	in.Kind, in.Population, in.AreaKm2 = c.Kind, c.Population, c.AreaKm2
	in.Mountainous, in.WardOfUrbanDistrict = c.Mountainous, c.WardOfUrbanDistrict
	return in
}

// PolicyNote is the message of a rules-engine refusal in the reader's language, used where a report shows
// "no fund" instead of failing (e.g. the commune fund after commune posts ended on 2025-08-01).
func PolicyNote(err error, l msg.Lang) string {
	var (
		one  *policy.InputError
		oor  *policy.OutOfRangeError
		many policy.InputErrors
	)
	var t msg.Text
	switch {
	case errors.As(err, &one):
		t = msg.Text{VI: one.MessageVI, EN: one.MessageEN}
	case errors.As(err, &many) && len(many) > 0:
		t = msg.Text{VI: many[0].MessageVI, EN: many[0].MessageEN}
	case errors.As(err, &oor):
		t = msg.Text{VI: oor.MessageVI(), EN: oor.Error()}
	default:
		return err.Error()
	}
	return t.In(l)
}
