// Package metrics exposes communehr's Prometheus metrics: HTTP requests by chi route pattern, method and
// status (count and latency), background jobs by kind and state with the rows imported, and the
// connection pools. It is served on its own listener (METRICS_ADDR), never on the API port.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"communehr/internal/store"
)

// Source is what the collectors read at scrape time (a *store.Store).
type Source interface {
	JobCounts(ctx context.Context) ([]store.JobCount, error)
	PoolStats() map[string]*pgxpool.Stat
}

// Metrics is one registry with the server's metrics.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// New registers the HTTP metrics, the job and pool collectors over src, and the Go runtime and process
// collectors. logger reports a failed job count (the scrape then omits the job series).
func New(src Source, logger *slog.Logger) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "communehr_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "communehr_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request (until the handler returns), by route pattern, method and status code.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"route", "method", "status"}),
	}
	m.reg.MustRegister(m.requests, m.latency,
		&jobCollector{src: src, logger: logger}, &poolCollector{src: src},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Middleware counts and times every request. It labels by the chi route pattern (never the raw path,
// which holds IDs) once the router has matched it; an unmatched path is "unmatched".
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		defer func() {
			route := "unmatched"
			if rc := chi.RouteContext(r.Context()); rc != nil {
				if p := rc.RoutePattern(); p != "" {
					route = p
				}
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			labels := prometheus.Labels{"route": route, "method": r.Method, "status": strconv.Itoa(status)}
			m.requests.With(labels).Inc()
			m.latency.With(labels).Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(rec, r)
	})
}

// recorder remembers the status code written.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (flush, deadlines).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush passes streaming responses (CSV exports) through.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
