package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"communehr/internal/metrics"
	"communehr/internal/store"
)

// startMetrics serves /metrics on addr, a listener of its own (never the API's), and returns the
// middleware that records the API's requests and a function that stops the listener. With addr empty,
// metrics are off: no listener and no middleware.
func startMetrics(addr string, st *store.Store, logger *slog.Logger) (func(http.Handler) http.Handler, func(), error) {
	if addr == "" {
		return nil, func() {}, nil
	}
	m := metrics.New(st, logger)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("listen on METRICS_ADDR %s: %w", addr, err)
	}
	logger.Info("metrics listening", "addr", ln.Addr().String(), "path", "/metrics")
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics listener", "err", err)
		}
	}()
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	return m.Middleware, stop, nil
}
