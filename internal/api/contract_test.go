package api

import (
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"communehr"
)

// routeSet walks the chi router: every "METHOD /path" it serves, with chi's trailing "/" of sub-routers
// trimmed so that paths read as in openapi.yaml.
func routeSet(t testing.TB) map[string]bool {
	t.Helper()
	h := NewRouter(Config{OpenAPI: communehr.OpenAPI}, nil, slog.Default())
	routes := map[string]bool{}
	err := chi.Walk(h.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if len(route) > 1 {
			route = strings.TrimSuffix(route, "/")
		}
		route = strings.ReplaceAll(route, "/*/", "/")
		routes[method+" "+route] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return routes
}

// TestRouterMatchesOpenAPI fails when a chi route is missing from openapi.yaml or a documented operation
// is not routed.
func TestRouterMatchesOpenAPI(t *testing.T) {
	t.Parallel()
	doc, err := spec()
	if err != nil {
		t.Fatalf("openapi.yaml does not load or validate: %v", err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	routed := routeSet(t)
	var missing, unrouted []string
	for r := range routed {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for d := range documented {
		if !routed[d] {
			unrouted = append(unrouted, d)
		}
	}
	sort.Strings(missing)
	sort.Strings(unrouted)
	if len(missing) > 0 {
		t.Errorf("routes not documented in openapi.yaml:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(unrouted) > 0 {
		t.Errorf("documented in openapi.yaml but not routed:\n  %s", strings.Join(unrouted, "\n  "))
	}
}

// Every documented operation has an operationId and documents 401 when it needs a key.
func TestOpenAPIOperationsAreComplete(t *testing.T) {
	t.Parallel()
	doc, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", method, path)
			}
			public := op.Security != nil && len(*op.Security) == 0
			if !public && op.Responses.Value("401") == nil {
				t.Errorf("%s %s needs a key but does not document 401", method, path)
			}
		}
	}
}
