package store

import (
	"math"
	"time"
)

// One province may hold only some of the requests' connections (issue 10 item 1, as a class). A request
// of a province can wait inside its transaction for a lock another session of that province holds —
// above all an import, which holds its hamlets FOR UPDATE and its people FOR KEY SHARE for its whole
// check phase (import_integrity.go), minutes for a large file. Each waiting request holds a connection:
// eight posts of one editor on the hamlet a long import was checking held all 8 connections, and another
// province's GET /v1/me waited two minutes. So a province's transactions on the requests' pool go
// through a gate (the heavy gate's semaphore, keyed by province, "national" for the readers across
// provinces) that admits at most PerProvince of them at once, the pool's size less a reserve (a quarter,
// at least 2) that stays free for the other provinces. The next one waits for a place without holding a
// connection, up to Wait (30 s), then gets ErrBusy (429 with Retry-After). Jobs run on their own pool and
// are not counted.

// provinceConnsWait is how long a transaction waits for a place of its province by default.
const provinceConnsWait = 30 * time.Second

// newProvinceConns is the gate of a requests' pool of maxConns connections; l's zero values take the
// defaults above.
func newProvinceConns(maxConns int32, l HeavyLimits) *heavyGate {
	reserve := max(2, int(maxConns)/4)
	if l.PerProvince <= 0 {
		l.PerProvince = max(1, int(maxConns)-reserve)
	}
	if l.Wait <= 0 {
		l.Wait = provinceConnsWait
	}
	l.Total = math.MaxInt32 // the pool itself bounds the total
	g := newHeavyGate(l)
	g.requests = true
	return g
}
