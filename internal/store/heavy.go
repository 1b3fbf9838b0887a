package store

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// Heavy synchronous work — a reorganisation's preview or apply, a province's allowance report, the exit
// appraisal list, the national summary — takes hundreds of milliseconds of processor and, while it reads,
// a connection of the requests' pool. Sixteen previews of one province at once held every connection
// and both cores: another province's one-row read waited seconds (issue 10 item 1, the class of the pool
// deadlock fixed for background jobs). The store admits such work through one gate, whichever path asks
// (API, console): at most HeavyTotal at once in the whole server and HeavyPerProvince for one province;
// the rest wait up to HeavyWait for a place, then get ErrBusy (the API answers 429 with Retry-After).
// The gate is taken before a connection, so a waiting request holds none.

// ErrBusy is heavy work refused because too much of it is running already; errors.As gives *BusyError
// with how long to wait.
var ErrBusy = errors.New("store: too much heavy work is running at once")

// BusyError is ErrBusy with the advice to retry after RetryAfter. Requests is set when what was refused
// is a place among the requests' connections of a province (provinceconns.go), not heavy work.
type BusyError struct {
	RetryAfter time.Duration
	Requests   bool
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("%s; retry after %s", ErrBusy, e.RetryAfter)
}

// Is makes errors.Is(err, ErrBusy) true.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// HeavyLimits configure the gate; zero values take the defaults.
type HeavyLimits struct {
	Total       int           // at once in the server (default: the number of processors, at least 2)
	PerProvince int           // at once for one province, or for the national readers together (default 2)
	Wait        time.Duration // how long a request waits for a place before ErrBusy (default 5 s)
}

func (l HeavyLimits) withDefaults() HeavyLimits {
	if l.Total <= 0 {
		l.Total = max(2, runtime.GOMAXPROCS(0))
	}
	if l.PerProvince <= 0 {
		l.PerProvince = 2
	}
	l.PerProvince = min(l.PerProvince, l.Total)
	if l.Wait <= 0 {
		l.Wait = 5 * time.Second
	}
	return l
}

// heavyGate is a counting semaphore in total and per key, with a bounded wait.
type heavyGate struct {
	lim     HeavyLimits
	mu      sync.Mutex
	running int
	byKey   map[string]int
	changed chan struct{} // closed (and replaced) whenever a place is freed
}

func newHeavyGate(l HeavyLimits) *heavyGate {
	return &heavyGate{lim: l.withDefaults(), byKey: map[string]int{}, changed: make(chan struct{})}
}

// acquire takes a place for key, waiting up to the gate's Wait; release gives it back.
func (g *heavyGate) acquire(ctx context.Context, key string) (release func(), err error) {
	timer := time.NewTimer(g.lim.Wait)
	defer timer.Stop()
	for {
		g.mu.Lock()
		if g.running < g.lim.Total && g.byKey[key] < g.lim.PerProvince {
			g.running++
			g.byKey[key]++
			g.mu.Unlock()
			var once sync.Once
			return func() { once.Do(func() { g.release(key) }) }, nil
		}
		changed := g.changed
		g.mu.Unlock()
		select {
		case <-changed:
		case <-timer.C:
			return nil, &BusyError{RetryAfter: g.lim.Wait}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (g *heavyGate) release(key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.running--
	if g.byKey[key]--; g.byKey[key] <= 0 {
		delete(g.byKey, key)
	}
	close(g.changed)
	g.changed = make(chan struct{})
}

// heavyKey is the gate's key of a principal's work on a province: the province, or "national" for the
// Ministry's and operators' reads across provinces.
func heavyKey(province string) string {
	if province == "" {
		return "national"
	}
	return province
}

// Heavy runs fn once the gate admits work on province (see the comment at the top of this file).
func (s *Store) Heavy(ctx context.Context, province string, fn func() error) error {
	if s.gate == nil {
		return fn()
	}
	release, err := s.gate.acquire(ctx, heavyKey(province))
	if err != nil {
		return err
	}
	defer release()
	return fn()
}

// heavyRead is InReadTx admitted by the gate as work on province ("" for national reads).
func (s *Store) heavyRead(ctx context.Context, p Principal, province string, fn func(tx *Tx) error) error {
	return s.Heavy(ctx, province, func() error { return s.InReadTx(ctx, p, fn) })
}
