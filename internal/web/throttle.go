package web

import (
	"sync"
	"time"
)

// throttle limits login attempts with token buckets per username and per client address: a burst, then
// one attempt per refill interval. In memory: a restart forgets, which only ever helps the officer; the
// database counts failures (users.failed_logins) across restarts.
type throttle struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// Login limits: 5 attempts at once per username then one per 20 s; 20 per address then one per 3 s.
var (
	userBurst, userEvery = 5.0, 20 * time.Second
	addrBurst, addrEvery = 20.0, 3 * time.Second
)

func newThrottle() *throttle { return &throttle{buckets: map[string]*bucket{}, now: time.Now} }

// allow takes one token from the bucket of key, or reports false when it is empty.
func (t *throttle) allow(key string, burst float64, every time.Duration) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.buckets) > 100_000 { // an address or name flood: forget full buckets rather than grow
		for k, b := range t.buckets {
			if now.Sub(b.at) > time.Duration(burst)*every {
				delete(t.buckets, k)
			}
		}
	}
	b, ok := t.buckets[key]
	if !ok {
		b = &bucket{tokens: burst, at: now}
		t.buckets[key] = b
	}
	b.tokens = min(burst, b.tokens+now.Sub(b.at).Seconds()/every.Seconds())
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// allowLogin checks both buckets (both are charged, so that spraying names from one address is limited
// by the address, and one name from many addresses by the name).
func (t *throttle) allowLogin(username, addr string) bool {
	u := t.allow("u:"+username, userBurst, userEvery)
	a := t.allow("a:"+addr, addrBurst, addrEvery)
	return u && a
}
