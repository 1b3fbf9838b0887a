package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// CopyInsert bulk-inserts rows into a tenant table. PostgreSQL refuses COPY FROM into a table with
// row-level security, so the rows are COPYed into a temporary staging table (no RLS; dropped at commit)
// and moved with one INSERT … SELECT, which the table's policies check row by row.
func (tx *Tx) CopyInsert(ctx context.Context, table string, cols []string, src pgx.CopyFromSource) (int64, error) {
	stage := "stage_" + table
	ident := pgx.Identifier{table}.Sanitize()
	if _, err := tx.Exec(ctx, fmt.Sprintf(
		`CREATE TEMP TABLE IF NOT EXISTS %s (LIKE %s INCLUDING DEFAULTS) ON COMMIT DROP`,
		pgx.Identifier{stage}.Sanitize(), ident)); err != nil {
		return 0, fmt.Errorf("staging table for %s: %w", table, err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{stage}, cols, src); err != nil {
		return 0, translate(fmt.Errorf("copy into %s: %w", stage, err))
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = pgx.Identifier{c}.Sanitize()
	}
	list := strings.Join(quoted, ", ")
	tag, err := tx.Exec(ctx, fmt.Sprintf(`INSERT INTO %s (%s) SELECT %s FROM %s`, ident, list, list, pgx.Identifier{stage}.Sanitize()))
	if err != nil {
		return 0, translate(fmt.Errorf("insert into %s: %w", table, err))
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf(`TRUNCATE %s`, pgx.Identifier{stage}.Sanitize())); err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}
