package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"communehr/internal/policy"
)

// communePostsEnd is when the province's commune-level non-professional posts end: the legal end, or the
// province's own recorded end of the 2025 transition (no later than the legal limit).
type communePostsEnd struct {
	LastDay         Date            `json:"last_day"`
	Source          string          `json:"source"` // law | province
	ProvinceLastDay *Date           `json:"province_last_day"`
	LegalLimit      Date            `json:"legal_limit"`
	Citation        policy.Citation `json:"citation"`
}

type communePostsEndRequest struct {
	ProvinceLastDay *Date `json:"province_last_day"`
}

// reformStart is the first day of the two-level local government (Decree 154/2025 Art. 2 cl. 4).
var reformStart = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

func (s *Server) mountCommunePostsEnd(r chi.Router) {
	r.Get("/commune-posts-end", handle(s.getCommunePostsEnd))
	r.Put("/commune-posts-end", handle(s.putCommunePostsEnd))
}

func (s *Server) getCommunePostsEnd(w http.ResponseWriter, r *http.Request) error {
	last, err := s.store.CommunePostsEnd(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"))
	if err != nil {
		return err
	}
	e := policy.CommunePostsLastDay(last)
	return writeJSON(w, http.StatusOK, communePostsEnd{LastDay: toTime(e.LastDay), Source: e.Source, ProvinceLastDay: datePtr(last),
		LegalLimit: toTime(policy.CommunePostsTransitionLimit()), Citation: e.Citation})
}

func (s *Server) putCommunePostsEnd(w http.ResponseWriter, r *http.Request) error {
	var req communePostsEndRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if d := req.ProvinceLastDay; d != nil {
		limit := toTime(policy.CommunePostsTransitionLimit())
		if d.Before(reformStart) || d.After(limit.Time) {
			return errInvalid("Some fields are not valid.", "Một số trường không hợp lệ.", FieldError{Pointer: "/province_last_day",
				Code: "out_of_range",
				MessageEN: "the province's last day of its commune-level posts must lie from 2025-07-01 to " + limit.Format(dateLayout) +
					" (before 2026-05-31, Official Dispatch 12/CV-BCĐ)",
				MessageVI: "ngày cuối cùng của các chức danh cấp xã phải từ 2025-07-01 đến " + limit.Format(dateLayout) +
					" (trước ngày 31/5/2026, Văn bản 12/CV-BCĐ)"})
		}
	}
	if err := s.store.SetCommunePostsEnd(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), timePtr(req.ProvinceLastDay)); err != nil {
		return err
	}
	return s.getCommunePostsEnd(w, r)
}
