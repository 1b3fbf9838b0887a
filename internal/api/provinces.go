package api

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"communehr/internal/store"
)

type provinceResponse struct {
	Code           string  `json:"code"`
	Name           string  `json:"name"`
	EffectiveFrom  string  `json:"effective_from"`
	EffectiveTo    *string `json:"effective_to"`
	AllowanceBasis string  `json:"allowance_basis"`
}

func toProvinceResponse(p store.Province) provinceResponse {
	out := provinceResponse{Code: p.Code, Name: p.Name, EffectiveFrom: p.EffectiveFrom.Format(dateLayout),
		AllowanceBasis: p.AllowanceBasis}
	if p.EffectiveTo != nil {
		s := p.EffectiveTo.Format(dateLayout)
		out.EffectiveTo = &s
	}
	return out
}

const dateLayout = "2006-01-02"

type provinceList struct {
	Items []provinceResponse `json:"items"`
}

func (s *Server) listProvinces(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.store.ListProvinces(r.Context(), principalFrom(r.Context()))
	if err != nil {
		return err
	}
	out := provinceList{Items: make([]provinceResponse, 0, len(ps))}
	for _, p := range ps {
		out.Items = append(out.Items, toProvinceResponse(p))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) getProvince(w http.ResponseWriter, r *http.Request) error {
	p, err := s.store.GetProvince(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"))
	if err != nil {
		return err
	}
	setETag(w, p.Version)
	return writeJSON(w, http.StatusOK, toProvinceResponse(p))
}

type createProvinceRequest struct {
	Code           string `json:"code" validate:"required,len=2,numeric"`
	Name           string `json:"name" validate:"required,min=2,max=100"`
	AllowanceBasis string `json:"allowance_basis" validate:"omitempty,oneof=central_fund_share hdnd_level"`
}

func (s *Server) createProvince(w http.ResponseWriter, r *http.Request) error {
	var req createProvinceRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	p, err := s.store.CreateProvince(r.Context(), principalFrom(r.Context()),
		store.Province{Code: req.Code, Name: normalizeText(req.Name), AllowanceBasis: req.AllowanceBasis})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/provinces/"+p.Code)
	setETag(w, p.Version)
	return writeJSON(w, http.StatusCreated, toProvinceResponse(p))
}

// setETag writes a weak-free ETag from a row version.
func setETag(w http.ResponseWriter, version int) {
	w.Header().Set("ETag", `"`+strconv.Itoa(version)+`"`)
}
