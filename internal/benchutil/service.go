package benchutil

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"

	"github.com/jackc/pgx/v5"

	"communehr"
	"communehr/internal/api"
	"communehr/internal/store"
)

// Flags are the flags every benchmark command takes: the cluster and whether to keep the seeded database.
type Flags struct {
	DB   *string
	Keep *bool
}

// AddFlags registers -db (default DATABASE_URL) and -keep on fs.
func AddFlags(fs *flag.FlagSet) Flags {
	return Flags{
		DB:   fs.String("db", os.Getenv("DATABASE_URL"), "superuser URL of a cluster"),
		Keep: fs.Bool("keep", false, "keep the seeded database"),
	}
}

// Service is a benchmark's running communehr: a throwaway migrated database with its owner connection
// (for seeding and keys), the store as the server uses it and, once Serve is called, the API in-process.
type Service struct {
	DBURL string
	Owner *pgx.Conn
	Store *store.Store
	URL   string // the in-process server's base URL, after Serve

	srv     *httptest.Server
	closers []func()
}

// Start creates and migrates a database named prefix_<unix seconds> on the cluster at adminURL and opens
// the owner connection and the store on it. Close undoes everything (the database stays when keep).
func Start(ctx context.Context, adminURL, prefix string, keep bool) (*Service, error) {
	dbURL, cleanup, err := NewDB(ctx, adminURL, prefix, keep)
	if err != nil {
		return nil, err
	}
	s := &Service{DBURL: dbURL, closers: []func(){cleanup}}
	if s.Owner, err = pgx.Connect(ctx, dbURL); err != nil {
		s.Close()
		return nil, err
	}
	s.closers = append(s.closers, func() { s.Owner.Close(context.Background()) })
	if s.Store, err = store.Open(ctx, dbURL); err != nil {
		s.Close()
		return nil, err
	}
	s.closers = append(s.closers, s.Store.Close)
	return s, nil
}

// Serve starts the API in-process with cfg (the OpenAPI document, a discarded log and a job context that
// Close cancels and waits for are filled in).
func (s *Service) Serve(cfg api.Config) {
	jobCtx, cancel := context.WithCancel(context.Background())
	var jobs sync.WaitGroup
	cfg.OpenAPI, cfg.JobContext, cfg.Jobs = communehr.OpenAPI, jobCtx, &jobs
	s.srv = httptest.NewServer(api.NewRouter(cfg, s.Store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	s.URL = s.srv.URL
	s.closers = append(s.closers, func() { cancel(); jobs.Wait() }, s.srv.Close)
}

// Key creates an API key as the owner and returns its token.
func (s *Service) Key(ctx context.Context, role, province string) (string, error) {
	_, token, err := store.CreateKey(ctx, s.Owner, role, province, "bench")
	return token, err
}

// Call sends a request with the token (and a JSON body when body is not nil) and reads the answer whole.
func (s *Service) Call(method, path, token string, body []byte) (status int, h http.Header, out []byte, err error) {
	req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := s.srv.Client().Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	out, err = io.ReadAll(res.Body)
	return res.StatusCode, res.Header, out, err
}

// Close stops the server and its jobs, closes the store and the owner connection and drops the database
// (unless kept), in the reverse order of opening.
func (s *Service) Close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
	s.closers = nil
}
