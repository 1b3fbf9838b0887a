package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"communehr/internal/schedules"
	"communehr/internal/store"
)

// scheduleBody is both the PUT body and the GET answer: one version of the province's HĐND resolution.
type scheduleBody struct {
	Resolution    string        `json:"resolution" validate:"required,min=1,max=100"`
	EffectiveFrom Date          `json:"effective_from" validate:"required"`
	EffectiveTo   *Date         `json:"effective_to"`
	Rows          []scheduleRow `json:"rows" validate:"required,min=1,max=200,dive"`
}

type scheduleRow struct {
	PositionCode       string   `json:"position_code" validate:"required,max=64"`
	HamletFundCategory *string  `json:"hamlet_fund_category" validate:"omitempty,oneof=6.0 4.5"`
	Coefficient        *Decimal `json:"coefficient" validate:"required"`
}

func toScheduleBody(s store.Schedule) scheduleBody {
	out := scheduleBody{Resolution: s.Resolution, EffectiveFrom: Date{Time: s.EffectiveFrom}, EffectiveTo: datePtr(s.EffectiveTo),
		Rows: make([]scheduleRow, 0, len(s.Rows))}
	for _, r := range s.Rows {
		row := scheduleRow{PositionCode: r.PositionCode}
		if r.HamletFundCategory != "" {
			c := r.HamletFundCategory
			row.HamletFundCategory = &c
		}
		d := NewDecimal(r.Coefficient)
		row.Coefficient = &d
		out.Rows = append(out.Rows, row)
	}
	return out
}

func (s *Server) mountAllowanceSchedule(r chi.Router) {
	r.Get("/allowance-schedule", handle(s.getAllowanceSchedule))
	r.Put("/allowance-schedule", handle(s.putAllowanceSchedule))
}

func (s *Server) getAllowanceSchedule(w http.ResponseWriter, r *http.Request) error {
	asOf, err := s.asOfOrToday(r)
	if err != nil {
		return err
	}
	sch, err := s.store.ScheduleAsOf(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), asOf)
	if errors.Is(err, store.ErrNotFound) {
		// The province itself was checked by provinceScope: what is missing is a version in force.
		day := asOf.Format(dateLayout)
		e := errNotFound()
		e.DetailEN = "The province has no allowance schedule in force on " + day + " (PUT one with its HĐND resolution)."
		e.DetailVI = "Tỉnh chưa có biểu mức phụ cấp áp dụng vào ngày " + day + " (hãy PUT theo nghị quyết HĐND)."
		return e
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toScheduleBody(sch))
}

// putAllowanceSchedule replaces the version starting on effective_from: 201 when it is new, 200 when it
// replaced one. Sending the same body again changes nothing, so no If-Match or Idempotency-Key is needed.
func (s *Server) putAllowanceSchedule(w http.ResponseWriter, r *http.Request) error {
	var req scheduleBody
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	p := principalFrom(r.Context())
	positions, err := s.store.ListPositions(r.Context(), p)
	if err != nil {
		return err
	}
	sch, err := checkSchedule(req, positions)
	if err != nil {
		return err
	}
	sch.Province = chi.URLParam(r, "province")
	out, created, err := s.store.PutSchedule(r.Context(), p, sch)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		// The new version is read back by the date it starts on.
		w.Header().Set("Location", r.URL.Path+"?as_of="+out.EffectiveFrom.Format(dateLayout))
	}
	return writeJSON(w, status, toScheduleBody(out))
}

// checkSchedule builds the version and checks it with package schedules (shared with the console).
func checkSchedule(req scheduleBody, positions []store.Position) (store.Schedule, error) {
	sch := store.Schedule{Resolution: normalizeText(req.Resolution), EffectiveFrom: req.EffectiveFrom.Time,
		EffectiveTo: timePtr(req.EffectiveTo)}
	for _, row := range req.Rows {
		cat := ""
		if row.HamletFundCategory != nil {
			cat = *row.HamletFundCategory
		}
		sch.Rows = append(sch.Rows, store.ScheduleRow{PositionCode: row.PositionCode, HamletFundCategory: cat, Coefficient: row.Coefficient.Decimal})
	}
	var fields []FieldError
	for _, p := range schedules.Check(sch.Rows, sch.EffectiveFrom, sch.EffectiveTo, positions) {
		ptr := "/" + p.Field
		if p.Row >= 0 {
			ptr = fmt.Sprintf("/rows/%d", p.Row)
			if p.Field != "" {
				ptr += "/" + p.Field
			}
		}
		fields = append(fields, FieldError{Pointer: ptr, Code: p.Code, MessageEN: p.MessageEN, MessageVI: p.MessageVI})
	}
	if len(fields) > 0 {
		return store.Schedule{}, errInvalid("The schedule is not valid.", "Biểu mức phụ cấp không hợp lệ.", fields...)
	}
	return sch, nil
}
