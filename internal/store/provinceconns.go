package store

import (
	"context"
	"sync"
	"time"
)

// One province may hold only some of the requests' connections (issue 10 item 1, as a class). A request
// of a province can wait inside its transaction for a lock another session of that province holds —
// above all an import, which holds its hamlets FOR UPDATE and its people FOR KEY SHARE for its whole
// check phase (import_integrity.go), minutes for a large file. Each waiting request holds a connection:
// eight posts of one editor on the hamlet a long import was checking held all 8 connections, and another
// province's GET /v1/me waited two minutes. So a province's transactions on the requests' pool take a
// place first (keyed by province, "national" for the readers across provinces): at most PerProvince at
// once, the pool's size less a reserve (a quarter, at least 2) that stays free for the other provinces.
// The next one waits for a place without holding a connection, in the order they came, up to Wait
// (30 s), then gets ErrBusy marked Requests (429 with Retry-After). Jobs run on their own pool and are not
// counted.

// provinceConnsWait is how long a transaction waits for a place of its province by default.
const provinceConnsWait = 30 * time.Second

// provinceConns is a first-come first-served semaphore per province: a buffered channel of places each.
type provinceConns struct {
	per  int
	wait time.Duration
	mu   sync.Mutex
	keys map[string]chan struct{}
}

// newProvinceConns is the gate of a requests' pool of maxConns connections; l's zero values (PerProvince,
// Wait; Total is not used) take the defaults above.
func newProvinceConns(maxConns int32, l HeavyLimits) *provinceConns {
	if l.PerProvince <= 0 {
		l.PerProvince = max(1, int(maxConns)-max(2, int(maxConns)/4))
	}
	if l.Wait <= 0 {
		l.Wait = provinceConnsWait
	}
	return &provinceConns{per: l.PerProvince, wait: l.Wait, keys: map[string]chan struct{}{}}
}

// acquire takes a place for key, waiting up to the gate's wait in the order of arrival (a channel's
// senders wait in line); release gives it back.
func (g *provinceConns) acquire(ctx context.Context, key string) (release func(), err error) {
	g.mu.Lock()
	places, ok := g.keys[key]
	if !ok {
		places = make(chan struct{}, g.per)
		g.keys[key] = places
	}
	g.mu.Unlock()
	select {
	case places <- struct{}{}:
	default:
		timer := time.NewTimer(g.wait)
		defer timer.Stop()
		select {
		case places <- struct{}{}:
		case <-timer.C:
			return nil, &BusyError{RetryAfter: g.wait, Requests: true}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var once sync.Once
	return func() { once.Do(func() { <-places }) }, nil
}
