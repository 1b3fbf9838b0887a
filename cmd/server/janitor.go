package main

import (
	"context"
	"log/slog"
	"time"
)

// purger is the store's retention call (store.Store.PurgeImportRejects).
type purger interface {
	PurgeImportRejects(ctx context.Context, age time.Duration) (int64, error)
}

// startJanitor deletes, once at start and then every interval, the import rejects (errors.csv) of jobs
// that finished more than age ago. It stops when ctx is cancelled; the returned function waits for it.
func startJanitor(ctx context.Context, st purger, interval, age time.Duration, logger *slog.Logger) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			n, err := st.PurgeImportRejects(ctx, age)
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				logger.Error("retention: import rejects", "error", err.Error())
			case n > 0:
				logger.Info("retention: import rejects deleted", "rows", n, "older_than", age.String())
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
