package api

import (
	"net/http"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"communehr/internal/msg"
	"communehr/internal/refdata"
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
	if err := mergedProvince(req.Code, "/code", "province.merged"); err != nil {
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

// provincePatch is what an operator may change of a province: its name and which reading of the "current
// monthly allowance" its Decree 154/2025 exits use.
type provincePatch struct {
	Name           Opt[string] `json:"name"`
	AllowanceBasis Opt[string] `json:"allowance_basis"`
}

func (p provincePatch) apply(pr *store.Province) error {
	var fields []FieldError
	if p.Name.required("/name", &fields) {
		name := normalizeText(*p.Name.Value)
		if n := utf8.RuneCountInString(name); n < 2 || n > 100 {
			fields = append(fields, FieldError{Pointer: "/name", Code: "len",
				MessageEN: "must be 2 to 100 characters", MessageVI: "phải dài từ 2 đến 100 ký tự"})
		}
		pr.Name = name
	}
	if p.AllowanceBasis.required("/allowance_basis", &fields) {
		if !oneOf(*p.AllowanceBasis.Value, "central_fund_share", "hdnd_level") {
			fields = append(fields, FieldError{Pointer: "/allowance_basis", Code: "oneof",
				MessageEN: "must be central_fund_share or hdnd_level", MessageVI: "phải là central_fund_share hoặc hdnd_level"})
		}
		pr.AllowanceBasis = *p.AllowanceBasis.Value
	}
	if len(fields) > 0 {
		return errInvalid("Some fields are not valid.", "Một số trường không hợp lệ.", fields...)
	}
	return nil
}

// patchProvince changes a province (operators), at the version of If-Match.
func (s *Server) patchProvince(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var req provincePatch
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	out, err := s.store.UpdateProvince(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), version, req.apply)
	if err != nil {
		return err
	}
	setETag(w, out.Version)
	return writeJSON(w, http.StatusOK, toProvinceResponse(out))
}

// mergedProvince refuses a code of the pre-2025 map that is not a province of 2025 (02 Hà Giang, merged
// into 08 Tuyên Quang): a 422 naming the successor, from the embedded reference data. nil for any other code.
func mergedProvince(code, pointer, msgCode string) error {
	d, err := refdata.Load()
	if err != nil {
		return err
	}
	m, ok := d.MergedInto(code)
	if !ok {
		return nil
	}
	t := msg.New(msgCode, m.Name, m.Code, m.Into.Name, m.Into.Code)
	return errInvalid(t.Render(msg.EN), t.Render(msg.VI), fieldMsg(pointer, "merged_province", t))
}
