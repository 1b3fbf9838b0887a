// Package api is communehr's HTTP layer: the chi router, middleware (request id, logging, recovery, limits,
// CORS, authentication, tenancy), handlers and the JSON / problem+json helpers. It knows HTTP, not SQL.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"

	"communehr/internal/jobs"
	"communehr/internal/store"
)

// Config is what the router needs from the server's configuration.
type Config struct {
	MaxBodyBytes   int64
	ImportMaxBytes int64 // limit on CSV uploads (default 200 MB)
	// Runner runs imports and entitlement runs on a bounded queue (issue 10); the server stops it at
	// shutdown. Nil: a runner with jobs.DefaultConfig (tests).
	Runner *jobs.Runner
	// JobContext is cancelled when the server shuts down, and Jobs tracks background work other than the
	// runner's jobs, so that shutdown can wait for it.
	JobContext  context.Context
	Jobs        *sync.WaitGroup
	CORSOrigins []string
	OpenAPI     []byte // served at /openapi.yaml
	// Observe, when set, wraps every request outermost (the Prometheus metrics of internal/metrics).
	Observe func(http.Handler) http.Handler
	// Console, when set, registers the web console's routes beside /v1 on the same router (package web;
	// api does not import it).
	Console func(r chi.Router)
	// ConsoleImports, when set, receives the import pipeline for the console before its routes are
	// registered (the console's upload page runs imports through it).
	ConsoleImports func(*ImportService)
	// ConsoleReports, likewise, receives the reports and CSV exports for the console.
	ConsoleReports func(*ReportService)
}

// Server holds the dependencies of the handlers.
type Server struct {
	cfg    Config
	store  *store.Store
	logger *slog.Logger
	runner *jobs.Runner
	jobs   struct {
		ctx context.Context
		wg  *sync.WaitGroup
	}
}

// NewRouter builds the whole route table. Global middleware first, then one group per resource; the
// route table reads like the API's contract (openapi.yaml), and a test holds the two to each other.
func NewRouter(cfg Config, st *store.Store, logger *slog.Logger) http.Handler {
	s := newServer(cfg, st, logger)
	cfg = s.cfg
	r := chi.NewRouter()
	if cfg.Observe != nil {
		r.Use(cfg.Observe)
	}
	r.Use(requestID, accessLog(logger), recoverer, cors(cfg.CORSOrigins), limitBody(cfg.MaxBodyBytes, cfg.ImportMaxBytes), knownQueryOnly(r), exportNegotiation)
	if cfg.Console != nil {
		r.Use(s.rootIndex) // browsers go on to the console's "/", API callers get the index
	} else {
		r.Get("/", handle(s.serveIndex))
	}
	r.NotFound(handle(func(w http.ResponseWriter, r *http.Request) error { return errNotFound() }))
	root := r
	r.MethodNotAllowed(handle(func(w http.ResponseWriter, r *http.Request) error {
		e := errMethodNotAllowed()
		e.Header = http.Header{"Allow": {strings.Join(allowedMethods(root, r.URL.Path), ", ")}}
		return e
	}))

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", handle(s.readyz))
	r.Get("/openapi.yaml", s.openapi)

	r.Route("/v1", func(r chi.Router) {
		r.Use(authenticate(st), readablePath)
		r.Get("/me", handle(s.me))
		r.Get("/positions", handle(s.listPositions))
		s.mountCalculations(r)
		s.mountImportTemplates(r)
		r.With(requireRole(store.RoleMinistry, store.RoleOperator)).Route("/national", s.mountNational)
		r.With(requireRole(store.RoleOperator)).Post("/users", handle(s.createUser))
		r.Route("/provinces", func(r chi.Router) { s.mountProvinces(r, st) })
	})
	s.mountConsole(r)
	return r
}

// mountProvinces mounts the province list and, under /{province}, the province's own routes: most for its
// writers (editors) and readers, a few whose writers are not its editors.
func (s *Server) mountProvinces(r chi.Router, st *store.Store) {
	r.Get("/", handle(s.listProvinces))
	r.With(requireRole(store.RoleOperator), idempotent(st)).Post("/", handle(s.createProvince))
	r.Route("/{province}", func(r chi.Router) {
		r.Use(provinceScope)
		r.With(requireRole(store.RoleOperator)).Patch("/", handle(s.patchProvince))
		r.Group(func(r chi.Router) {
			r.Use(writerOnly)
			r.Get("/", handle(s.getProvince))
			s.mountCommunes(r)
			s.mountHamlets(r)
			s.mountAllowanceSchedule(r)
			s.mountCommunePostsEnd(r)
			s.mountCadres(r)
			s.mountAudit(r)
			s.mountImports(r)
			s.mountProvinceReports(r)
			s.mountExports(r)
		})
		// Routes whose writers are not the province's editors (issue 11): the operator loads the
		// reference units; a reorganisation's preview is open to every reader, its apply to editors.
		r.With(requireRole(store.RoleOperator)).Post("/reference-units", handle(s.loadReferenceUnits))
		r.Post("/reorganisations", handle(s.postReorganisation))
	})
}

// newServer fills in the configuration's defaults (body limits, a job runner, a job context).
func newServer(cfg Config, st *store.Store, logger *slog.Logger) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.ImportMaxBytes <= 0 {
		cfg.ImportMaxBytes = 200 << 20
	}
	s := &Server{cfg: cfg, store: st, logger: logger, runner: cfg.Runner}
	if s.runner == nil {
		s.runner = jobs.New(context.Background(), jobs.DefaultConfig())
	}
	s.jobs.ctx, s.jobs.wg = cfg.JobContext, cfg.Jobs
	if s.jobs.ctx == nil {
		s.jobs.ctx = context.Background()
	}
	if s.jobs.wg == nil {
		s.jobs.wg = &sync.WaitGroup{}
	}
	return s
}

// mountConsole hands the import pipeline and the reports to the web console, when there is one, and lets
// it register its routes beside /v1.
func (s *Server) mountConsole(r chi.Router) {
	cfg := s.cfg
	if cfg.Console == nil {
		return
	}
	if cfg.ConsoleImports != nil {
		cfg.ConsoleImports(&ImportService{s: s})
	}
	if cfg.ConsoleReports != nil {
		cfg.ConsoleReports(&ReportService{s: s})
	}
	cfg.Console(r)
}
