package api

import "github.com/go-chi/chi/v5"

// mountHamlets registers the routes of this resource under /v1/provinces/{province}.
func (s *Server) mountHamlets(r chi.Router) {}
