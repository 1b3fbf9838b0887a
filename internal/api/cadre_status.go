package api

import (
	"time"

	"communehr/internal/msg"
	"communehr/internal/store"
)

// A person's status in time (issue 11 item 2; docs/time.md): the periods are kept by the database's
// triggers on every write path (migration 0029); this file shows them and checks a return to work.

// statusPeriodResponse is one period of a person's status; valid_from null = since the record began,
// valid_to null = still in force.
type statusPeriodResponse struct {
	Status    string `json:"status"`
	ValidFrom *Date  `json:"valid_from"`
	ValidTo   *Date  `json:"valid_to"`
}

func toStatusPeriod(s store.StatusPeriod) statusPeriodResponse {
	return statusPeriodResponse{Status: s.Status, ValidFrom: datePtr(s.From), ValidTo: datePtr(s.To)}
}

// addStatusHistory shows the person's status periods when the read loaded them.
func addStatusHistory(out *cadreResponse, c store.Cadre) {
	if c.StatusHistory == nil {
		return
	}
	h := make([]statusPeriodResponse, len(c.StatusHistory))
	for i, s := range c.StatusHistory {
		h[i] = toStatusPeriod(s)
	}
	out.StatusHistory = &h
}

// statusAsOf makes status and left_on those in force on d, and says which period that is.
func statusAsOf(out *cadreResponse, c store.Cadre, d time.Time) {
	out.AsOf = &Date{Time: d}
	s, ok := c.StatusOn(d)
	if !ok {
		return
	}
	sp := toStatusPeriod(s)
	out.Status, out.StatusPeriod, out.LeftOn = s.Status, &sp, nil
	if s.Status != "active" {
		out.LeftOn = datePtr(s.From)
	}
}

// latestLeaving is the first day of the person's latest period out (left or retired), if any.
func latestLeaving(c store.Cadre) *time.Time {
	for i := len(c.StatusHistory) - 1; i >= 0; i-- {
		if s := c.StatusHistory[i]; s.Status != "active" {
			return s.From
		}
	}
	return nil
}

// checkReturn holds the rules of a return to work (active_from): only for a person who is working after
// the change and was out before it, and after the day they left.
func checkReturn(before, after store.Cadre) []FieldError {
	if after.ActiveFrom == nil || (before.ActiveFrom != nil && before.ActiveFrom.Equal(*after.ActiveFrom)) {
		return nil
	}
	bad := func(code string, m msg.Message) []FieldError { return []FieldError{fieldMsg("/active_from", code, m)} }
	if after.Status != "active" {
		return bad("active_only", msg.New("cadre.active_from_not_active"))
	}
	left := latestLeaving(before)
	if left == nil {
		return bad("not_left", msg.New("cadre.active_from_not_left"))
	}
	if !after.ActiveFrom.After(*left) {
		return bad("after_left_on", msg.New("cadre.active_from_before_leaving", statusDateText(*left)))
	}
	return nil
}

// statusDateText is a date as each language writes it.
func statusDateText(t time.Time) msg.Text {
	return msg.Text{VI: viDate(t), EN: t.Format(time.DateOnly)}
}

// personOutNote says why a post recorded as held on the report's date by a person who was not working on it
// (left or retired by then): listed, not paid.
func personOutNote(ph store.PostHeld) msg.Message {
	return msg.New("status.not_working_on_date", statusLeftText(ph.PersonOut.Status), statusDateText(*ph.PersonOut.From))
}
