package reorg

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// A serialization failure or deadlock that outlived the store's retries is ErrBusy (a clean 409, nothing
// written); any other error passes through.
func TestCollisionsThatOutliveTheRetriesAreBusy(t *testing.T) {
	for code, want := range map[string]bool{"40001": true, "40P01": true, "23505": false} {
		err := busy(fmt.Errorf("apply: %w", &pgconn.PgError{Code: code}))
		if errors.Is(err, ErrBusy) != want {
			t.Errorf("%s: busy = %v, want %v", code, errors.Is(err, ErrBusy), want)
		}
	}
	if other := errors.New("x"); busy(other) != other {
		t.Error("another error was changed")
	}
}
