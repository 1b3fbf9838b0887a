package store

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// JobCount is how many background jobs of one kind are in one state, with the rows the finished, applied
// ones imported (zero for entitlement runs). It feeds the /metrics listener.
type JobCount struct {
	Kind         string // communes, hamlets, cadres, assignments (imports) or entitlement_run
	State        string // running, succeeded, failed
	Jobs         int64
	RowsInserted int64
	RowsUpdated  int64
}

// JobCounts counts the jobs of every province by kind and state, read as the operator (a national read:
// no row filter). Rows are those of succeeded imports in apply mode, which are the rows written.
func (s *Store) JobCounts(ctx context.Context) ([]JobCount, error) {
	var out []JobCount
	err := s.InTx(ctx, Principal{Role: RoleOperator, RequestID: "metrics"}, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT kind, status, count(*),
			       coalesce(sum(rows_inserted) FILTER (WHERE mode = 'apply' AND status = 'succeeded'), 0),
			       coalesce(sum(rows_updated) FILTER (WHERE mode = 'apply' AND status = 'succeeded'), 0)
			FROM import_jobs GROUP BY kind, status
			UNION ALL
			SELECT 'entitlement_run', status, count(*), 0, 0 FROM entitlement_runs GROUP BY status
			ORDER BY 1, 2`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c JobCount
			if err := rows.Scan(&c.Kind, &c.State, &c.Jobs, &c.RowsInserted, &c.RowsUpdated); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// PoolStats returns the connection pools' statistics by name: "primary", and "read" when the store
// has a read pool (DATABASE_READ_URL).
func (s *Store) PoolStats() map[string]*pgxpool.Stat {
	m := map[string]*pgxpool.Stat{"primary": s.pool.Stat()}
	if s.replica != nil {
		m["read"] = s.replica.pool.Stat()
	}
	return m
}
