package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/jackc/pgx/v5"

	"communehr"
	"communehr/internal/store"
	"communehr/internal/testdb"
)

// spec loads openapi.yaml once and builds a router over it for response validation.
var spec = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(communehr.OpenAPI)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, err
	}
	return doc, nil
})

// A CSV response is documented as a string: kin-openapi's own text/csv decoder splits on ',' and
// refuses a ';'-separated file (which errors.csv is when the upload was), so the body is taken whole.
func init() {
	openapi3filter.RegisterBodyDecoder("text/csv", func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef,
		_ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(body)
		return string(b), err
	})
}

func specRouter(t testing.TB) routers.Router {
	t.Helper()
	doc, err := spec()
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	d := *doc
	d.Servers = openapi3.Servers{{URL: "/"}}
	r, err := legacy.NewRouter(&d)
	if err != nil {
		t.Fatalf("openapi router: %v", err)
	}
	return r
}

// env is one test's running API: a fresh database, the real router, keys of every role.
type env struct {
	t      testing.TB
	srv    *httptest.Server
	st     *store.Store
	admin  *pgx.Conn
	dbURL  string
	router routers.Router
	logs   *bytes.Buffer
	mu     *sync.Mutex
}

// sub is the same environment reporting to a subtest.
func (e *env) sub(t testing.TB) *env {
	c := *e
	c.t = t
	return &c
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWith(t, store.Options{})
}

// newEnvWith is newEnv on a store opened with opt.
func newEnvWith(t testing.TB, opt store.Options) *env {
	t.Helper()
	st, dbURL := testdb.OpenWith(t, opt)
	e := &env{t: t, st: st, dbURL: dbURL, admin: testdb.Admin(t, dbURL), router: specRouter(t), logs: &bytes.Buffer{}, mu: &sync.Mutex{}}
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{e: e}, nil))
	e.srv = httptest.NewServer(NewRouter(Config{MaxBodyBytes: 64 << 10, OpenAPI: communehr.OpenAPI}, st, logger))
	t.Cleanup(e.srv.Close)
	t.Cleanup(func() {
		// No API token and no national ID in any log line the server wrote.
		e.mu.Lock()
		logs := e.logs.String()
		e.mu.Unlock()
		testdb.CheckLogs(t, logs)
		if t.Failed() {
			e.mu.Lock()
			t.Logf("server log:\n%s", e.logs.String())
			e.mu.Unlock()
		}
	})
	return e
}

type lockedWriter struct{ e *env }

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.e.mu.Lock()
	defer w.e.mu.Unlock()
	return w.e.logs.Write(p)
}

func (e *env) province(code, name string) { testdb.Province(e.t, e.admin, code, name) }

func (e *env) key(role, province string) string {
	_, tok := testdb.Key(e.t, e.admin, role, province)
	return tok
}

// rawBody is a request body sent as it is, with its content type.
type rawBody struct {
	contentType string
	body        []byte
}

// resp is a response read whole.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r resp) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// problem decodes a problem+json body.
func (r resp) problem(t testing.TB) problem {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json; body %s", ct, r.Body)
	}
	var p problem
	r.json(t, &p)
	return p
}

// do sends a request and validates the response against openapi.yaml: a response the spec does not
// describe fails the test.
func (e *env) do(method, path, token string, body any, headers ...string) resp {
	e.t.Helper()
	var rdr io.Reader
	var raw []byte
	contentType := "application/json"
	switch b := body.(type) {
	case rawBody:
		raw, contentType = b.body, b.contentType
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			e.t.Fatal(err)
		}
	}
	if raw != nil {
		rdr = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rdr)
	if err != nil {
		e.t.Fatal(err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := resp{Status: res.StatusCode, Header: res.Header, Body: out}
	e.validate(req, raw, r)
	return r
}

func (e *env) validate(req *http.Request, reqBody []byte, r resp) {
	e.t.Helper()
	vreq := req.Clone(context.Background())
	vreq.URL.Scheme, vreq.URL.Host = "", ""
	if reqBody != nil {
		vreq.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	route, params, err := e.router.FindRoute(vreq)
	if err != nil {
		if r.Status == http.StatusNotFound || r.Status == http.StatusMethodNotAllowed {
			return // an unrouted path: nothing in the spec to hold it to
		}
		e.t.Fatalf("%s %s answered %d but is not in openapi.yaml: %v", req.Method, req.URL.Path, r.Status, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}}
	rin := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: r.Status, Header: r.Header,
		Body: io.NopCloser(bytes.NewReader(r.Body)), Options: in.Options}
	if err := openapi3filter.ValidateResponse(context.Background(), rin); err != nil {
		e.t.Fatalf("%s %s → %d does not match openapi.yaml: %v\nbody: %s", req.Method, req.URL.Path, r.Status,
			firstLine(err.Error()), r.Body)
	}
}

func firstLine(s string) string {
	if i := strings.Index(s, "\n"); i > 0 {
		return s[:i]
	}
	return s
}

func mustStatus(t testing.TB, r resp, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d; body %s", r.Status, want, r.Body)
	}
}
