package main

import (
	"context"
	"log/slog"
	"time"
)

// purger is the store's retention calls (store.Store.PurgeImportRejects, PurgeIdempotencyKeys).
type purger interface {
	PurgeImportRejects(ctx context.Context, age time.Duration) (int64, error)
	PurgeIdempotencyKeys(ctx context.Context, age time.Duration) (int64, error)
}

// retention is how long the janitor keeps what it deletes.
type retention struct {
	rejects     time.Duration // the import rejects (errors.csv) of a finished job
	idempotency time.Duration // a stored Idempotency-Key response
}

// startJanitor deletes, once at start and then every interval, the import rejects (errors.csv) of jobs
// that finished more than keep.rejects ago and the Idempotency-Key records made more than
// keep.idempotency ago. It stops when ctx is cancelled; the returned function waits for it.
func startJanitor(ctx context.Context, st purger, interval time.Duration, keep retention, logger *slog.Logger) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			for _, job := range []struct {
				what  string
				age   time.Duration
				purge func(context.Context, time.Duration) (int64, error)
			}{{"import rejects", keep.rejects, st.PurgeImportRejects}, {"idempotency keys", keep.idempotency, st.PurgeIdempotencyKeys}} {
				n, err := job.purge(ctx, job.age)
				switch {
				case ctx.Err() != nil:
					return
				case err != nil:
					logger.Error("retention: "+job.what, "error", err.Error())
				case n > 0:
					logger.Info("retention: "+job.what+" deleted", "rows", n, "older_than", job.age.String())
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { <-done }
}
