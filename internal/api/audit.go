package api

import "github.com/go-chi/chi/v5"

// mountAudit registers the routes of this resource under /v1/provinces/{province}.
func (s *Server) mountAudit(r chi.Router) {}
