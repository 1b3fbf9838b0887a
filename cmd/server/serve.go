package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"communehr"
	"communehr/internal/api"
	"communehr/internal/jobs"
	"communehr/internal/store"
	"communehr/internal/web"
)

// defaultShutdownGrace is how long in-flight requests and jobs may run after SIGINT/SIGTERM (SHUTDOWN_GRACE).
const defaultShutdownGrace = 30 * time.Second

// afterGrace bounds what follows the grace deadline: cancelled jobs rolling back, then their requests
// being answered.
const afterGrace = 10 * time.Second

func serve(ctx context.Context, cfg Config, logOut io.Writer, ready func(addr string)) error {
	logger := slog.New(slog.NewJSONHandler(logOut, &slog.HandlerOptions{Level: cfg.LogLevel}))
	if err := store.CheckCurrent(cfg.DatabaseURL); err != nil {
		return err
	}
	// The jobs' pool has two connections more than the jobs that may run: each running job holds one
	// for its data and briefly takes another for its row and progress (store.Options.JobConns).
	st, err := store.OpenWith(ctx, cfg.DatabaseURL, store.Options{JobConns: cfg.Jobs.MaxTotal + 2, Heavy: cfg.Heavy})
	if err != nil {
		return err
	}
	defer st.Close()
	risks, err := st.ConnectionRisks(ctx)
	if err != nil {
		return err
	}
	for _, r := range risks {
		logger.Warn("database login role", "risk", r)
	}
	if cfg.DatabaseReadURL != "" {
		if err := st.OpenReadReplica(ctx, cfg.DatabaseReadURL); err != nil {
			return err
		}
	}
	observe, stopMetrics, err := startMetrics(cfg.MetricsAddr, st, logger)
	if err != nil {
		return err
	}
	defer stopMetrics()

	// The retention janitor (import rejects), stopped before the store closes.
	janitorCtx, stopJanitor := context.WithCancel(ctx)
	waitJanitor := startJanitor(janitorCtx, st, cfg.RejectsJanitorInterval,
		retention{rejects: cfg.RejectsRetention, idempotency: cfg.IdempotencyRetention}, logger)
	defer func() { stopJanitor(); waitJanitor() }()

	runner := jobs.New(context.WithoutCancel(ctx), cfg.Jobs)
	// Other background work runs under jobCtx, cancelled once the jobs are done.
	jobCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()
	var background sync.WaitGroup
	if cfg.readHeaderTimeout <= 0 {
		cfg.readHeaderTimeout = 10 * time.Second
	}
	con := web.New(st, logger)
	handler := api.NewRouter(api.Config{MaxBodyBytes: cfg.MaxBodyBytes, ImportMaxBytes: cfg.ImportMaxBytes,
		CORSOrigins: cfg.CORSOrigins, OpenAPI: communehr.OpenAPI, Runner: runner, JobContext: jobCtx, Jobs: &background, Observe: observe,
		Console: con.Routes, ConsoleImports: func(i *api.ImportService) { con.SetImporter(i) },
		ConsoleReports: func(rs *api.ReportService) { con.SetReports(rs) }}, st, logger)
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: cfg.readHeaderTimeout,
		ReadTimeout:       5 * time.Minute, // large CSV uploads
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	logger.Info("listening", "addr", ln.Addr().String(), "config", cfg.String())
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "grace", cfg.ShutdownGrace.String())
	if err := shutdown(srv, runner, cfg.ShutdownGrace, logger); err != nil {
		return err
	}
	cancelJobs()
	background.Wait()
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

// shutdown stops the server within grace (issue 10, item 4): no new connections and no new jobs; queued
// jobs end failed/interrupted at once; in-flight requests and running jobs get until the grace deadline;
// then every job still running (a synchronous import's too) is cancelled, rolls back and reads
// failed/interrupted, its request is answered (503), and whatever still hangs is closed.
func shutdown(srv *http.Server, runner *jobs.Runner, grace time.Duration, logger *slog.Logger) error {
	deadline, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	runner.Stop(store.ErrJobInterrupted)
	drained := make(chan error, 1)
	go func() { drained <- srv.Shutdown(deadline) }()
	if !runner.Wait(deadline) {
		logger.Warn("grace period over: cancelling the running jobs")
		runner.CancelAll(store.ErrJobInterrupted)
		wctx, wcancel := context.WithTimeout(context.Background(), afterGrace)
		defer wcancel()
		if !runner.Wait(wctx) {
			logger.Error("jobs did not stop after cancellation", "within", afterGrace.String())
		}
	}
	if err := <-drained; err == nil {
		return nil
	}
	// Requests still in flight at the deadline: those of cancelled jobs answer now; give them a moment.
	actx, acancel := context.WithTimeout(context.Background(), afterGrace)
	defer acancel()
	if err := srv.Shutdown(actx); err != nil {
		logger.Warn("closing connections still busy after the grace period", "error", err.Error())
		return srv.Close()
	}
	return nil
}
