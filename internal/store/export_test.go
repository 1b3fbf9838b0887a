package store

import (
	"context"
	"time"
)

// ReportStatements returns the allowance report's statements for a scope and their arguments, as
// allowanceData runs them (plan tests EXPLAIN them).
func ReportStatements(ctx context.Context, tx *Tx, province string, asOf time.Time, u UnitScope) ([]string, []any, error) {
	sc, err := allowanceScope(ctx, tx, province, asOf, u)
	return []string{reportCommunesSQL(sc), reportHamletsSQL(sc), reportPostsSQL(sc)}, sc.args, err
}
