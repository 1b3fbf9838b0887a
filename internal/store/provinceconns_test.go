package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// A province holds at most ProvinceConns.PerProvince transactions of the requests' pool at once: the next
// one of that province waits without a connection and gets a BusyError marked Requests after the wait,
// while another province's transaction runs at once (issue 10 item 1). The defaults leave a quarter of
// the pool (at least 2 connections) to the other provinces.
func TestAProvinceHoldsOnlySomeRequestConnections(t *testing.T) {
	st, _ := testdb.OpenWith(t, store.Options{ProvinceConns: store.HeavyLimits{PerProvince: 2, Wait: 300 * time.Millisecond}})
	ctx := context.Background()
	p01 := store.Principal{Province: "01", Role: store.RoleProvinceViewer}
	p02 := store.Principal{Province: "02", Role: store.RoleProvinceViewer}
	hold, held := make(chan struct{}), make(chan struct{}, 2)
	done := make(chan error, 2)
	for i := 0; i < 2; i++ {
		go func() {
			done <- st.InTx(ctx, p01, func(tx *store.Tx) error {
				held <- struct{}{}
				<-hold
				return nil
			})
		}()
	}
	<-held
	<-held
	t0 := time.Now()
	err := st.InTx(ctx, p01, func(tx *store.Tx) error { return nil })
	var busy *store.BusyError
	if !errors.As(err, &busy) || !busy.Requests || time.Since(t0) < 250*time.Millisecond {
		t.Fatalf("a third transaction of province 01: %v after %s, want a BusyError for requests after the wait", err, time.Since(t0))
	}
	t0 = time.Now()
	if err := st.InTx(ctx, p02, func(tx *store.Tx) error { return nil }); err != nil || time.Since(t0) > 250*time.Millisecond {
		t.Fatalf("province 02 while 01 holds its places: %v after %s", err, time.Since(t0))
	}
	close(hold)
	for i := 0; i < 2; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if err := st.InTx(ctx, p01, func(tx *store.Tx) error { return nil }); err != nil {
		t.Fatalf("province 01 once its places are free: %v", err)
	}
}
