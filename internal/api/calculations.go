package api

import "github.com/go-chi/chi/v5"

// mountCalculations registers the stateless calculation endpoints (issue 3).
func (s *Server) mountCalculations(r chi.Router) {}
