package api

import "github.com/go-chi/chi/v5"

// mountProvinceReports registers allowances, entitlements, decisions and entitlement runs under
// /v1/provinces/{province} (issue 6).
func (s *Server) mountProvinceReports(r chi.Router) {}

// mountNational registers the Ministry's read-only national views under /v1/national (issue 6).
func (s *Server) mountNational(r chi.Router) {}
