package jobs

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

var errTestCancel = errors.New("cancelled")

// blockingJob runs until released or cancelled, and records that it ran and why it ended.
type blockingJob struct {
	started chan struct{}
	release chan struct{}
	mu      sync.Mutex
	cause   error
	dropped error
}

func newBlocking() *blockingJob {
	return &blockingJob{started: make(chan struct{}), release: make(chan struct{})}
}

func (b *blockingJob) job(province, id string) *Job {
	return &Job{Province: province, ID: id,
		Run: func(ctx context.Context) {
			close(b.started)
			select {
			case <-b.release:
			case <-ctx.Done():
				b.mu.Lock()
				b.cause = context.Cause(ctx)
				b.mu.Unlock()
			}
		},
		Drop: func(cause error) { b.mu.Lock(); b.dropped = cause; b.mu.Unlock() }}
}

func submit(t *testing.T, r *Runner, province, id string) (*blockingJob, bool) {
	t.Helper()
	tk, err := r.Reserve(province)
	if err != nil {
		t.Fatalf("reserve %s/%s: %v", province, id, err)
	}
	b := newBlocking()
	tk.Start(b.job(province, id))
	return b, tk.Queued()
}

func waitFor(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: not within 5 s", what)
	}
}

func TestRunnerBoundsAndQueue(t *testing.T) {
	r := New(context.Background(), Config{MaxTotal: 2, MaxPerProvince: 1, MaxQueue: 3, MaxQueuePerProvince: 2})
	a1, q := submit(t, r, "01", "a1")
	if q {
		t.Fatal("first job of 01 queued, want running")
	}
	waitFor(t, a1.started, "a1 starts")
	a2, q := submit(t, r, "01", "a2") // the province runs its maximum: queued
	if !q {
		t.Fatal("second job of 01 runs, want queued (one per province)")
	}
	b1, q := submit(t, r, "02", "b1")
	if q {
		t.Fatal("job of 02 queued, want running (a slot is free)")
	}
	waitFor(t, b1.started, "b1 starts")
	a3, _ := submit(t, r, "01", "a3")
	if _, err := r.Reserve("01"); !errors.Is(err, ErrBusy) {
		t.Fatalf("third waiting job of 01: %v, want ErrBusy", err)
	}
	if _, q := submit(t, r, "03", "c1"); !q {
		t.Fatal("c1 should queue: both slots are taken")
	}
	if _, err := r.Reserve("04"); !errors.Is(err, ErrBusy) {
		t.Fatalf("fourth waiting job: %v, want ErrBusy", err)
	}
	// FIFO within the limits: when 01's job ends, a2 (not a3) runs.
	close(a1.release)
	waitFor(t, a2.started, "a2 starts after a1")
	select {
	case <-a3.started:
		t.Fatal("a3 started before a2 finished")
	default:
	}
	// Cancel a queued job: it never runs and is dropped with the cause.
	if found, queued := r.Cancel("01", "a3", errTestCancel); !found || !queued {
		t.Fatalf("cancel a3: found %v queued %v", found, queued)
	}
	if a3.dropped != errTestCancel {
		t.Fatalf("a3 dropped with %v", a3.dropped)
	}
	// Cancel a running job: its context ends with the cause.
	if found, queued := r.Cancel("01", "a2", errTestCancel); !found || queued {
		t.Fatalf("cancel a2: found %v queued %v", found, queued)
	}
	waitFor(t, r.Done("01", "a2"), "a2 ends")
	if a2.cause != errTestCancel {
		t.Fatalf("a2 ended with %v", a2.cause)
	}
	close(b1.release)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if !r.Shutdown(ctx, errTestCancel, time.Second) {
		t.Fatal("shutdown did not finish")
	}
}

func TestRunnerShutdownCancelsAtDeadline(t *testing.T) {
	r := New(context.Background(), Config{MaxTotal: 1, MaxPerProvince: 1, MaxQueue: 10, MaxQueuePerProvince: 10})
	run, _ := submit(t, r, "01", "run")
	waitFor(t, run.started, "run starts")
	var queued []*blockingJob
	for i := 0; i < 3; i++ {
		b, q := submit(t, r, "01", fmt.Sprint("q", i))
		if !q {
			t.Fatal("want queued")
		}
		queued = append(queued, b)
	}
	stop := errors.New("shutdown")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if !r.Shutdown(ctx, stop, 5*time.Second) {
		t.Fatal("jobs did not return after CancelAll")
	}
	if run.cause != stop {
		t.Fatalf("running job ended with %v, want the shutdown cause", run.cause)
	}
	for i, b := range queued {
		if b.dropped != stop {
			t.Fatalf("queued job %d: dropped %v, want the shutdown cause", i, b.dropped)
		}
	}
	if _, err := r.Reserve("01"); !errors.Is(err, ErrStopped) {
		t.Fatalf("reserve after shutdown: %v", err)
	}
}

func TestRunnerKeepsQueuedJobsAlive(t *testing.T) {
	r := New(context.Background(), Config{MaxTotal: 1, KeepaliveEvery: 10 * time.Millisecond})
	run, _ := submit(t, r, "01", "run")
	waitFor(t, run.started, "run starts")
	tk, err := r.Reserve("01")
	if err != nil || !tk.Queued() {
		t.Fatalf("reserve: %v", err)
	}
	alive := make(chan struct{}, 100)
	tk.Start(&Job{Province: "01", ID: "q", Run: func(context.Context) {}, Keepalive: func() { alive <- struct{}{} }})
	for i := 0; i < 3; i++ {
		select {
		case <-alive:
		case <-time.After(5 * time.Second):
			t.Fatal("no keepalive for the queued job")
		}
	}
	close(run.release)
	r.Stop(errTestCancel)
}
