package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ruleChecks runs, in an import's check phase, the register rules whose one implementation the records
// API shares (issue 10 item 8), and returns a row error for each line that breaks one.
func ruleChecks(ctx context.Context, tx *Tx, kind string) ([]RowError, error) {
	switch kind {
	case "communes":
		if err := keepOldProvinceCodes(ctx, tx); err != nil {
			return nil, err
		}
		out, err := successorCycleRows(ctx, tx, kind)
		if err != nil {
			return nil, err
		}
		children, err := unitChildrenRows(ctx, tx, "commune") // its hamlets and posts stay within its life
		return append(out, children...), err
	case "hamlets":
		out, err := successorCycleRows(ctx, tx, kind)
		if err != nil {
			return nil, err
		}
		life, err := hamletLifeRows(ctx, tx) // hamlets within their commune's life (unit_rules.go)
		if err != nil {
			return nil, err
		}
		children, err := unitChildrenRows(ctx, tx, "hamlet") // its posts stay within its life
		return append(append(out, life...), children...), err
	case "cadres":
		return cadreReturnRows(ctx, tx) // a return to work (active_from) after the person's latest leaving
	case "assignments":
		return postRuleRows(ctx, tx) // posts within their unit's life; holders per unit (unit_rules.go)
	}
	return nil, nil
}

// successorCycleRows finds the file's units whose successor chain loops, over the register as the file
// would leave it: the staged rows in place of the rows of the same code.
func successorCycleRows(ctx context.Context, tx *Tx, table string) ([]RowError, error) {
	t := pgx.Identifier{table}.Sanitize()
	graph := fmt.Sprintf(`(SELECT $1::text AS province_code, s.code, s.successor_code FROM import_stage s
		UNION ALL SELECT t.province_code, t.code, t.successor_code FROM %s t
		WHERE t.province_code = $1 AND NOT EXISTS (SELECT 1 FROM import_stage s WHERE s.code = t.code)) AS file_and_register`, t)
	loops, err := successorLoops(ctx, tx, graph, `SELECT code FROM import_stage WHERE successor_code IS NOT NULL`, tx.P.Province)
	if err != nil || len(loops) == 0 {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT line FROM import_stage WHERE code IN (SELECT unnest($1::text[])) AND successor_code IS NOT NULL
		ORDER BY line`, loops)
	if err != nil {
		return nil, err
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, err
	}
	rule := SuccessorCycle(table)
	out := make([]RowError, 0, len(lines))
	for _, l := range lines {
		out = append(out, RowError{Line: l, Column: rule.Field, Code: rule.Code, MessageEN: rule.MessageEN, MessageVI: rule.MessageVI})
	}
	return out, nil
}
