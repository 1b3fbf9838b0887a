package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"

	"communehr/internal/policy"
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

// checkSchedule holds the rules that span rows or need the catalogue of posts, and builds the version.
func checkSchedule(req scheduleBody, positions []store.Position) (store.Schedule, error) {
	var fields []FieldError
	bad := func(ptr, code, en, vi string) {
		fields = append(fields, FieldError{Pointer: ptr, Code: code, MessageEN: en, MessageVI: vi})
	}
	byCode := make(map[string]store.Position, len(positions))
	for _, p := range positions {
		byCode[p.Code] = p
	}
	if req.EffectiveTo != nil && req.EffectiveTo.Before(req.EffectiveFrom.Time) {
		bad("/effective_to", "before_effective_from", "must not be before effective_from", "không được trước effective_from")
	}
	type key struct{ code, cat string }
	seen := map[key]bool{}
	coef := map[key]decimal.Decimal{}
	sch := store.Schedule{Resolution: normalizeText(req.Resolution), EffectiveFrom: req.EffectiveFrom.Time,
		EffectiveTo: timePtr(req.EffectiveTo)}
	for i, row := range req.Rows {
		ptr := fmt.Sprintf("/rows/%d", i)
		cat := ""
		if row.HamletFundCategory != nil {
			cat = *row.HamletFundCategory
		}
		pos, known := byCode[row.PositionCode]
		switch {
		case !known:
			bad(ptr+"/position_code", "unknown_position", "is not a post of the national catalogue (GET /v1/positions)",
				"không phải chức danh trong danh mục quốc gia (GET /v1/positions)")
		case cat != "" && !pos.PaidHamletPost:
			bad(ptr+"/hamlet_fund_category", "commune_post_category",
				"must be null: only the 3 paid hamlet posts depend on the hamlet's fund category",
				"phải để trống: chỉ 3 chức danh được hưởng phụ cấp ở thôn, tổ dân phố mới phụ thuộc loại quỹ của thôn")
		}
		c := row.Coefficient.Decimal
		if !c.IsPositive() || c.GreaterThan(decimal.NewFromInt(20)) || c.Exponent() < -4 {
			bad(ptr+"/coefficient", "coefficient", "must be more than 0 and at most 20, with at most 4 decimals",
				"phải lớn hơn 0 và không quá 20, tối đa 4 chữ số thập phân")
		}
		k := key{row.PositionCode, cat}
		if seen[k] {
			bad(ptr, "duplicate_row", "another row has the same position_code and hamlet_fund_category",
				"trùng mã chức danh và loại quỹ với một dòng khác")
		}
		seen[k] = true
		coef[k] = c
		sch.Rows = append(sch.Rows, store.ScheduleRow{PositionCode: row.PositionCode, HamletFundCategory: cat, Coefficient: c})
	}
	if len(fields) == 0 {
		// Schedule-fits-fund: in each hamlet category the paid hamlet posts' allowances, each the row of
		// that category else the row with no category, must fit inside the hamlet's monthly lump-sum fund.
		for _, cat := range []string{policy.CategoryHigh, policy.CategoryLow} {
			var sum decimal.Decimal
			var parts []string
			for _, p := range positions {
				if !p.PaidHamletPost {
					continue
				}
				c, ok := coef[key{p.Code, cat}]
				if !ok {
					c, ok = coef[key{p.Code, ""}]
				}
				if ok {
					sum = sum.Add(c)
					parts = append(parts, p.Code+" "+c.String())
				}
			}
			if fund := hamletFundMultiple(cat); sum.GreaterThan(fund) {
				over := sum.Sub(fund)
				bad("/rows", "exceeds_hamlet_fund",
					fmt.Sprintf("category %s: the %d hamlet posts (%s) sum to %s × base salary, %s over the fund of %s (Decree 33/2023 Art. 34 cl. 2)",
						cat, len(parts), strings.Join(parts, " + "), sum, over, cat),
					fmt.Sprintf("loại %s: %d chức danh ở thôn, tổ dân phố (%s) cộng lại %s lần mức lương cơ sở, vượt %s so với quỹ khoán %s (khoản 2 Điều 34 Nghị định 33/2023/NĐ-CP)",
						cat, len(parts), strings.Join(parts, " + "), sum, over, cat))
			}
		}
	}
	if len(fields) > 0 {
		return store.Schedule{}, errInvalid("The schedule is not valid.", "Biểu mức phụ cấp không hợp lệ.", fields...)
	}
	return sch, nil
}

// hamletFundMultiple is the monthly fund of a hamlet of the category, in base salaries: the category is
// named by its multiple (6.0 and 4.5 × the base salary, Decree 33/2023 Art. 34 cl. 2(a) and (b)).
func hamletFundMultiple(category string) decimal.Decimal {
	return decimal.RequireFromString(category)
}
