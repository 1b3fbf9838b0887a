package api

import "github.com/go-chi/chi/v5"

// mountCadres registers the routes of this resource under /v1/provinces/{province}.
func (s *Server) mountCadres(r chi.Router) {}
