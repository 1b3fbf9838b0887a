// Package jobs runs communehr's background work (imports, entitlement runs) on a bounded queue: at most
// MaxTotal jobs run at once, at most MaxPerProvince of them for one province, and at most MaxQueue wait
// (MaxQueuePerProvince for one province) in FIFO order; beyond that a job is refused (the API answers 429).
// Each job has a context of its own, cancelled by Cancel (the editor's cancel endpoint) or by CancelAll
// (the grace deadline of a shutdown), with the reason as the context's cause.
//
// The runner knows nothing of the database: the caller makes sure that a running job holds at most one
// connection of the jobs pool for its data (see store.Options.JobConns), so that a full runner can never
// take the connections that requests need.
package jobs

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrBusy is returned by Reserve when the queue (in total or for the province) is full.
var ErrBusy = errors.New("jobs: the queue is full")

// ErrStopped is returned by Reserve once the runner stopped taking work (shutdown).
var ErrStopped = errors.New("jobs: the server is shutting down")

// Config bounds the runner. Zero values take the defaults of DefaultConfig.
type Config struct {
	MaxTotal            int // jobs running at once
	MaxPerProvince      int // jobs of one province running at once
	MaxQueue            int // jobs waiting, in total
	MaxQueuePerProvince int // jobs of one province waiting
	// KeepaliveEvery is how often the Keepalive of each queued job is called (default 20 s).
	KeepaliveEvery time.Duration
}

// DefaultConfig suits a small server (2 cores): two jobs at a time, one per province, 64 waiting (16 per
// province).
func DefaultConfig() Config {
	return Config{MaxTotal: 2, MaxPerProvince: 1, MaxQueue: 64, MaxQueuePerProvince: 16}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.MaxTotal <= 0 {
		c.MaxTotal = d.MaxTotal
	}
	if c.MaxPerProvince <= 0 {
		c.MaxPerProvince = min(d.MaxPerProvince, c.MaxTotal)
	}
	if c.MaxQueue <= 0 {
		c.MaxQueue = d.MaxQueue
	}
	if c.MaxQueuePerProvince <= 0 {
		c.MaxQueuePerProvince = min(d.MaxQueuePerProvince, c.MaxQueue)
	}
	if c.KeepaliveEvery <= 0 {
		c.KeepaliveEvery = 20 * time.Second
	}
	return c
}

// Job is one unit of background work.
type Job struct {
	Province string
	ID       string
	// Run does the work; ctx is cancelled (with a cause) by Cancel or CancelAll. Run records the job's
	// outcome itself, including a cancellation.
	Run func(ctx context.Context)
	// Drop is called instead of Run when the job leaves the queue without running (Cancel, or the
	// shutdown of the runner), with the cause; may be nil.
	Drop func(cause error)
	// Keepalive is called every Config.KeepaliveEvery while the job waits in the queue (it confirms
	// that the job's server is alive); may be nil.
	Keepalive func()

	ctx      context.Context
	cancel   context.CancelCauseFunc
	finished chan struct{} // closed once Run returned or the job was dropped
}

func key(province, id string) string { return province + "/" + id }

// Runner is the bounded job queue. The zero value is not usable: call New.
type Runner struct {
	cfg  Config
	base context.Context

	mu        sync.Mutex
	stopped   bool
	total     int            // running (or reserved to run now)
	running   map[string]int // by province
	waiting   int            // queued (or reserved to queue)
	waitingBy map[string]int
	queue     []*Job
	live      map[string]*Job // queued or running, by province/id
	idle      chan struct{}   // closed when nothing runs and nothing waits (replaced when work arrives)
	stop      chan struct{}   // closed by Stop
	wg        sync.WaitGroup
}

// New returns a runner whose jobs' contexts derive from base (values only: cancelling base does not
// cancel the jobs; CancelAll does).
func New(base context.Context, cfg Config) *Runner {
	r := &Runner{cfg: cfg.withDefaults(), base: context.WithoutCancel(base), running: map[string]int{},
		waitingBy: map[string]int{}, live: map[string]*Job{}, idle: make(chan struct{}), stop: make(chan struct{})}
	close(r.idle)
	go r.keepalive()
	return r
}

// keepalive calls the Keepalive of every queued job every KeepaliveEvery, until Stop.
func (r *Runner) keepalive() {
	t := time.NewTicker(r.cfg.KeepaliveEvery)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
		}
		r.mu.Lock()
		queued := append([]*Job(nil), r.queue...)
		r.mu.Unlock()
		for _, j := range queued {
			if j.Keepalive != nil {
				j.Keepalive()
			}
		}
	}
}

// Config returns the runner's bounds.
func (r *Runner) Config() Config { return r.cfg }

// Ticket is an admitted job's place: a slot to run now, or a place in the queue. The caller records the
// job (queued or running) and then calls Start, or gives the place back with Abandon.
type Ticket struct {
	r        *Runner
	province string
	now      bool
	done     bool
}

// Queued reports whether the job will wait in the queue (otherwise it starts at once on Start).
func (t *Ticket) Queued() bool { return !t.now }

// Reserve admits one job of the province: a running slot when one is free, otherwise a place in the queue;
// ErrBusy when the queue is full, ErrStopped after Stop.
func (r *Runner) Reserve(province string) (*Ticket, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return nil, ErrStopped
	}
	t := &Ticket{r: r, province: province}
	switch {
	case r.total < r.cfg.MaxTotal && r.running[province] < r.cfg.MaxPerProvince && r.waitingBy[province] == 0:
		t.now = true
		r.total++
		r.running[province]++
	case r.waiting < r.cfg.MaxQueue && r.waitingBy[province] < r.cfg.MaxQueuePerProvince:
		r.waiting++
		r.waitingBy[province]++
	default:
		return nil, ErrBusy
	}
	r.busyLocked()
	return t, nil
}

// RetryAfter is a hint for a refused client: how long until a place is likely to be free.
func (r *Runner) RetryAfter() time.Duration { return 10 * time.Second }

func (r *Runner) busyLocked() {
	select {
	case <-r.idle:
		r.idle = make(chan struct{})
	default:
	}
}

func (r *Runner) idleLocked() {
	if r.total == 0 && r.waiting == 0 {
		select {
		case <-r.idle:
		default:
			close(r.idle)
		}
	}
}

// Abandon gives the ticket's place back (the job could not be recorded).
func (t *Ticket) Abandon() {
	r := t.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if t.done {
		return
	}
	t.done = true
	if t.now {
		r.total--
		r.running[t.province]--
	} else {
		r.waiting--
		r.waitingBy[t.province]--
	}
	r.dispatchLocked()
	r.idleLocked()
}

// Start runs the job now (its ticket holds a slot) or appends it to the queue. After Stop, a queued job is
// dropped at once (Drop with ErrStopped).
func (t *Ticket) Start(j *Job) {
	r := t.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if t.done {
		return
	}
	t.done = true
	j.ctx, j.cancel = context.WithCancelCause(r.base)
	j.finished = make(chan struct{})
	if t.now {
		r.live[key(j.Province, j.ID)] = j
		r.goLocked(j)
		return
	}
	r.waiting--
	r.waitingBy[t.province]--
	if r.stopped {
		r.idleLocked()
		go r.drop(j, ErrStopped)
		return
	}
	r.waiting++
	r.waitingBy[t.province]++
	r.queue = append(r.queue, j)
	r.live[key(j.Province, j.ID)] = j
	r.dispatchLocked()
}

func (r *Runner) drop(j *Job, cause error) {
	defer close(j.finished)
	j.cancel(cause)
	if j.Drop != nil {
		j.Drop(cause)
	}
}

// goLocked starts a job whose slot is already counted.
func (r *Runner) goLocked(j *Job) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer func() {
			r.mu.Lock()
			defer r.mu.Unlock()
			j.cancel(nil)
			close(j.finished)
			delete(r.live, key(j.Province, j.ID))
			r.total--
			r.running[j.Province]--
			if r.running[j.Province] == 0 {
				delete(r.running, j.Province)
			}
			r.dispatchLocked()
			r.idleLocked()
		}()
		j.Run(j.ctx)
	}()
}

// dispatchLocked starts queued jobs, oldest first, while slots are free (skipping the jobs of a province
// that runs its maximum already).
func (r *Runner) dispatchLocked() {
	if r.stopped {
		return
	}
	for i := 0; i < len(r.queue) && r.total < r.cfg.MaxTotal; {
		j := r.queue[i]
		if r.running[j.Province] >= r.cfg.MaxPerProvince {
			i++
			continue
		}
		r.queue = append(r.queue[:i], r.queue[i+1:]...)
		r.waiting--
		r.waitingBy[j.Province]--
		r.total++
		r.running[j.Province]++
		r.goLocked(j)
	}
}

// Cancel cancels the job with the given cause: a queued job leaves the queue (its Drop is called before
// Cancel returns) and a running one has its context cancelled. It reports whether the job was known and
// whether it was still queued.
func (r *Runner) Cancel(province, id string, cause error) (found, wasQueued bool) {
	r.mu.Lock()
	j, ok := r.live[key(province, id)]
	if !ok {
		r.mu.Unlock()
		return false, false
	}
	for i, q := range r.queue {
		if q == j {
			r.queue = append(r.queue[:i], r.queue[i+1:]...)
			r.waiting--
			r.waitingBy[province]--
			delete(r.live, key(province, id))
			r.idleLocked()
			r.mu.Unlock()
			r.drop(j, cause)
			return true, true
		}
	}
	r.mu.Unlock()
	j.cancel(cause)
	return true, false
}

// Done returns a channel closed once the job is no longer queued or running (closed at once for an
// unknown job).
func (r *Runner) Done(province, id string) <-chan struct{} {
	r.mu.Lock()
	j, ok := r.live[key(province, id)]
	r.mu.Unlock()
	if !ok {
		c := make(chan struct{})
		close(c)
		return c
	}
	return j.finished
}

// Stop makes the runner refuse new work and drops every queued job with cause (their Drop records them);
// running jobs go on until they end or CancelAll.
func (r *Runner) Stop(cause error) {
	r.mu.Lock()
	if !r.stopped {
		close(r.stop)
	}
	r.stopped = true
	queued := r.queue
	r.queue = nil
	for _, j := range queued {
		r.waiting--
		r.waitingBy[j.Province]--
		delete(r.live, key(j.Province, j.ID))
	}
	r.idleLocked()
	r.mu.Unlock()
	for _, j := range queued {
		r.drop(j, cause)
	}
}

// Idle returns a channel closed when no job runs or waits.
func (r *Runner) Idle() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.idle
}

// CancelAll cancels every running job with cause (the grace deadline of a shutdown).
func (r *Runner) CancelAll(cause error) {
	r.mu.Lock()
	var all []*Job
	for _, j := range r.live {
		all = append(all, j)
	}
	r.mu.Unlock()
	for _, j := range all {
		j.cancel(cause)
	}
}

// Wait waits for every started job to return, or for ctx; it reports whether they all returned.
func (r *Runner) Wait(ctx context.Context) bool {
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// Shutdown is Stop, then waiting for the running jobs until ctx ends, then CancelAll and waiting (at most
// `after`) for them to roll back. It reports whether every job returned.
func (r *Runner) Shutdown(ctx context.Context, cause error, after time.Duration) bool {
	r.Stop(cause)
	if r.Wait(ctx) {
		return true
	}
	r.CancelAll(cause)
	wctx, cancel := context.WithTimeout(context.Background(), after)
	defer cancel()
	return r.Wait(wctx)
}
