package api

import "github.com/go-chi/chi/v5"

// mountProvinceReports registers allowances, entitlements, decisions and entitlement runs under /v1/provinces/{province}
// (issue 6). provinceScope and writerOnly already guard the group: province keys see only their province,
// and only editors may POST.
func (s *Server) mountProvinceReports(r chi.Router) {
	r.Get("/allowances", handle(s.provinceAllowances))
	r.Get("/communes/{code}/allowances", handle(s.unitAllowances("commune")))
	r.Get("/hamlets/{code}/allowances", handle(s.unitAllowances("hamlet")))
	r.Post("/cadres/{id}/entitlements", handle(s.postEntitlement))
	r.Route("/decisions", func(r chi.Router) {
		r.Get("/", handle(s.listDecisions))
		r.Get("/{id}", handle(s.getDecision))
		r.Patch("/{id}", handle(s.patchDecision))
		r.Post("/{id}/approve", handle(s.approveDecision))
		r.Post("/{id}/supersede", handle(s.supersedeDecision))
	})
	r.Route("/entitlement-runs", func(r chi.Router) {
		r.Get("/", handle(s.listEntitlementRuns))
		r.With(idempotent(s.store)).Post("/", handle(s.createEntitlementRun))
		r.Get("/{id}", handle(s.getEntitlementRun))
		r.Get("/{id}/results.csv", handle(s.entitlementRunResultsCSV))
		r.Post("/{id}/cancel", handle(s.cancelEntitlementRun))
	})
}

// mountNational registers the Ministry's read-only national views under /v1/national (issue 6).
func (s *Server) mountNational(r chi.Router) {
	r.Get("/summary", handle(s.nationalSummary))
}
