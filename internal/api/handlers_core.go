package api

import (
	"context"
	"net/http"
	"time"

	"communehr/internal/store"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.logger.WarnContext(ctx, "readiness check failed", "error", err.Error())
		return &Error{Status: http.StatusServiceUnavailable, Code: "database_unavailable",
			TitleEN: "Database unavailable", TitleVI: "Cơ sở dữ liệu không sẵn sàng",
			DetailEN: "The database does not answer.", DetailVI: "Cơ sở dữ liệu không phản hồi.",
			Header: http.Header{"Retry-After": {"5"}}}
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	_, _ = w.Write(s.cfg.OpenAPI)
}

type meResponse struct {
	KeyID    string  `json:"key_id"`
	Role     string  `json:"role"`
	Province *string `json:"province"`
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	resp := meResponse{KeyID: p.KeyPublicID, Role: p.Role}
	if p.Province != "" {
		resp.Province = &p.Province
	}
	return writeJSON(w, http.StatusOK, resp)
}

type positionList struct {
	Items []store.Position `json:"items"`
}

func (s *Server) listPositions(w http.ResponseWriter, r *http.Request) error {
	items, err := s.store.ListPositions(r.Context(), principalFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, positionList{Items: items})
}
