package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// The heavy-work gate admits at most PerProvince for one key and Total in all; a request over either
// waits for a place, and gets *BusyError (errors.Is ErrBusy, with the wait as Retry-After) when none
// comes in time; a freed place admits a waiter at once; a cancelled request stops waiting.
func TestHeavyGateBoundsPerProvinceAndInTotal(t *testing.T) {
	ctx := context.Background()
	g := newHeavyGate(HeavyLimits{Total: 2, PerProvince: 1, Wait: 20 * time.Millisecond})
	relA, err := g.acquire(ctx, "08")
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.acquire(ctx, "08")
	var busy *BusyError
	if !errors.As(err, &busy) || !errors.Is(err, ErrBusy) || busy.RetryAfter != 20*time.Millisecond {
		t.Fatalf("a second heavy request of one province: %v, want BusyError after 20ms", err)
	}
	relB, err := g.acquire(ctx, "national")
	if err != nil {
		t.Fatalf("another key while the total has room: %v", err)
	}
	if _, err := g.acquire(ctx, "22"); !errors.Is(err, ErrBusy) {
		t.Fatalf("a third key over the total: %v, want ErrBusy", err)
	}

	// A waiter is admitted when a place is freed, long before its wait ends.
	g.lim.Wait = time.Minute
	got := make(chan error, 1)
	go func() {
		rel, err := g.acquire(ctx, "22")
		if err == nil {
			rel()
		}
		got <- err
	}()
	relA()
	relA() // releasing twice frees one place only
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("the waiter: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the waiter was not admitted when a place was freed")
	}
	g.mu.Lock()
	running := g.running
	g.mu.Unlock()
	if running != 1 {
		t.Fatalf("%d places taken after the releases, want 1 (the national one)", running)
	}

	// A cancelled request stops waiting with its context's error.
	relC, err := g.acquire(ctx, "22")
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	go cancel()
	if _, err := g.acquire(cctx, "23"); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled waiter: %v", err)
	}
	relB()
	relC()
	if g.running != 0 || len(g.byKey) != 0 {
		t.Fatalf("places left after every release: %d %v", g.running, g.byKey)
	}
}
