package api

import "github.com/go-chi/chi/v5"

// mountAllowanceSchedule registers the routes of this resource under /v1/provinces/{province}.
func (s *Server) mountAllowanceSchedule(r chi.Router) {}
