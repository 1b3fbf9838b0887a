package api

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"

	"communehr"
)

// Query parameters (issue 15). A parameter the route does not know is refused with a 400 naming it and the
// accepted ones, rather than silently ignored (`cadres?national_id=…` used to return everybody). The
// accepted parameters of every operation are read once from the embedded openapi.yaml, so a route added
// to the contract is covered without touching this file, and a parameter cannot be served undocumented.

var (
	queryParamsOnce sync.Once
	queryParamTable map[string][]string // "METHOD /pattern" → sorted accepted query parameter names
	queryParamsErr  error
)

func loadQueryParams() (map[string][]string, error) {
	queryParamsOnce.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(communehr.OpenAPI)
		if err != nil {
			queryParamsErr = fmt.Errorf("openapi.yaml: %w", err)
			return
		}
		queryParamTable = map[string][]string{}
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				names := []string{}
				for _, list := range []openapi3.Parameters{item.Parameters, op.Parameters} {
					for _, p := range list {
						if p != nil && p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
							names = append(names, p.Value.Name)
						}
					}
				}
				sort.Strings(names)
				queryParamTable[strings.ToUpper(method)+" "+path] = names
			}
		}
	})
	return queryParamTable, queryParamsErr
}

// routeKey is "METHOD /pattern" as openapi.yaml spells it: chi's trailing "/" of sub-routers trimmed.
func routeKey(method, pattern string) string {
	pattern = strings.ReplaceAll(pattern, "/*/", "/")
	if len(pattern) > 1 {
		pattern = strings.TrimSuffix(pattern, "/")
	}
	return method + " " + pattern
}

// knownQueryOnly refuses a request whose query names a parameter its operation does not document. It
// matches the route on root itself (it runs before routing), so it covers every route of the router.
// Requests that match no route, or no operation of the contract, pass on to the 404/405 answers.
func knownQueryOnly(root chi.Routes) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.RawQuery == "" || r.Method == http.MethodOptions {
				next.ServeHTTP(w, r)
				return
			}
			table, err := loadQueryParams()
			if err != nil {
				handle(func(http.ResponseWriter, *http.Request) error { return err })(w, r)
				return
			}
			rc := chi.NewRouteContext()
			method := r.Method
			if method == http.MethodHead {
				method = http.MethodGet
			}
			if !root.Match(rc, method, r.URL.Path) {
				next.ServeHTTP(w, r)
				return
			}
			accepted, ok := table[routeKey(method, rc.RoutePattern())]
			if !ok { // chi's Match also answers true for a path routed under another method: a 405
				next.ServeHTTP(w, r)
				return
			}
			if e := unknownQuery(r, accepted); e != nil {
				writeProblem(w, r, e)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// unknownQuery is the 400 for the parameters of r's query that are not in accepted, or nil.
func unknownQuery(r *http.Request, accepted []string) *Error {
	var unknown []string
	for name := range r.URL.Query() {
		if !slices.Contains(accepted, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	listEN, listVI := "none", "không có"
	if len(accepted) > 0 {
		listEN = strings.Join(accepted, ", ")
		listVI = listEN
	}
	fields := make([]FieldError, 0, len(unknown))
	for _, name := range unknown {
		fields = append(fields, FieldError{Pointer: "query/" + name, Code: "unknown_parameter",
			MessageEN: fmt.Sprintf("%q is not a filter of this list; the accepted ones are: %s.", name, listEN),
			MessageVI: fmt.Sprintf("%q không phải là điều kiện lọc ở đây; các điều kiện được nhận: %s.", name, listVI)})
	}
	return errBadRequest(
		fmt.Sprintf("Unknown query parameter %s; accepted: %s.", strings.Join(unknown, ", "), listEN),
		fmt.Sprintf("Tham số truy vấn không được nhận: %s; các tham số được nhận: %s.", strings.Join(unknown, ", "), listVI),
		fields...)
}

// allowedMethods lists the methods root routes for path, for the Allow header of a 405. chi's Match also
// answers true for a path routed under another method, so a method counts when the pattern it finds is
// an operation of the contract (a test holds the router and the contract to each other).
func allowedMethods(root chi.Routes, path string) []string {
	table, _ := loadQueryParams()
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		rc := chi.NewRouteContext()
		if !root.Match(rc, m, path) {
			continue
		}
		if _, ok := table[routeKey(m, rc.RoutePattern())]; ok {
			out = append(out, m)
		}
	}
	return out
}
