package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"communehr/internal/msg"
	"communehr/internal/policy"
	"communehr/internal/store"
)

// ReportService offers the web console the province's allowance report (the same buildReport as GET
// …/allowances) and the API's CSV exports, run in-process as the officer: no HTTP call, no API key.
type ReportService struct{ s *Server }

// AllowanceReport is the province's allowance report by commune and hamlet on asOf (only commune and its
// hamlets when commune is not ""), as p sees it, with the rules engine's notes in lang ("vi" or "en").
func (rs *ReportService) AllowanceReport(ctx context.Context, p store.Principal, province, commune string, asOf policy.Date, lang string) (AllowanceReport, error) {
	d, err := rs.s.store.AllowanceData(ctx, p, province, toTime(asOf).Time, store.UnitScope{CommuneCode: commune})
	if errors.Is(err, store.ErrNotFound) {
		return AllowanceReport{Province: province, AsOf: asOf}, nil
	}
	if err != nil {
		return AllowanceReport{}, err
	}
	return buildReport(province, asOf, d, nil, nil, msg.LangOf(lang == "vi"))
}

// AllowanceReport is the report's JSON body (its communes, hamlets, figures and totals).
type AllowanceReport = allowanceReport

// CSV exports, in-process and as p, one of the API's tables as CSV: "allowances" (province), "runs/{id}"
// (an entitlement run's results) or "national" (the national summary). query carries as_of.
func (rs *ReportService) CSV(w http.ResponseWriter, r *http.Request, p store.Principal, province, table, id string) {
	rctx := chi.NewRouteContext()
	rctx.URLParams.Add("province", province)
	rctx.URLParams.Add("id", id)
	ctx := context.WithValue(context.WithValue(r.Context(), chi.RouteCtxKey, rctx), ctxPrincipal, p)
	req := r.Clone(ctx)
	q := req.URL.Query()
	q.Set("format", "csv")
	req.URL.RawQuery = q.Encode()
	var h handlerFunc
	switch table {
	case "allowances":
		h = rs.s.provinceAllowances
	case "run":
		h = rs.s.entitlementRunResultsCSV
	case "national":
		h = rs.s.nationalSummary
	default:
		h = func(http.ResponseWriter, *http.Request) error { return errNotFound() }
	}
	handle(h)(w, req)
}
