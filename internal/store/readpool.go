package store

import (
	"context"
	"fmt"
	"time"
)

// OpenReadReplica adds a second pool, on a streaming replica (DATABASE_READ_URL), for the national and
// report reads of callers that never write. It connects like Open (as AppRole, refusing a role that could
// bypass row-level security) and checks that the database is a standby, so that a primary named by
// mistake is not taken for a replica.
func (s *Store) OpenReadReplica(ctx context.Context, readURL string) error {
	r, err := Open(ctx, readURL)
	if err != nil {
		return fmt.Errorf("DATABASE_READ_URL: %w", err)
	}
	var standby bool
	if err := r.pool.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&standby); err != nil {
		r.Close()
		return fmt.Errorf("DATABASE_READ_URL: %w", err)
	}
	if !standby {
		r.Close()
		return fmt.Errorf("DATABASE_READ_URL names a primary, not a streaming replica (pg_is_in_recovery() is false)")
	}
	r.now = func() time.Time { return s.now() } // SetClock on s applies to the replica's transactions too
	s.replica = r
	return nil
}

// InReadTx runs a read-only fn like InTx, on the replica when there is one and the principal never writes
// (Ministry, province viewer): they cannot miss a write of their own, and a replica's lag is what they
// would see a moment later anyway. Province editors and operators write, so their reads stay on the
// primary and see what they have just written.
func (s *Store) InReadTx(ctx context.Context, p Principal, fn func(tx *Tx) error) error {
	if s.replica != nil && (p.Role == RoleMinistry || p.Role == RoleProvinceViewer) {
		return s.replica.InTx(ctx, p, fn)
	}
	return s.InTx(ctx, p, fn)
}
