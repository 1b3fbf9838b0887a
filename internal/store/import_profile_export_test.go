package store

import (
	"context"
	"fmt"
	"os"
)

// ImportStep is one step of an import's check and write phases, named for a per-statement profile
// (import_profile_test.go).
type ImportStep struct {
	Name string
	Run  func(ctx context.Context, tx *Tx) error
}

// ImportSteps are the steps runImportData takes once import_stage is loaded, for kind, applying the file
// as job (audited): ANALYZE, planner settings and locks, each set-based check, the shared rules, the write.
func ImportSteps(kind, job string) []ImportStep {
	spec := ImportSpecs[kind]
	steps := []ImportStep{
		{"row error tables", func(ctx context.Context, tx *Tx) error {
			if os.Getenv("PROFILE_JIT") == "" {
				if _, err := tx.Exec(ctx, `SELECT `+importNoJIT); err != nil {
					return err
				}
			}
			_, err := tx.Exec(ctx, rowErrorTables)
			return err
		}},
		{"analyze", func(ctx context.Context, tx *Tx) error { _, err := tx.Exec(ctx, `ANALYZE import_stage`); return err }},
		{"planning+locks", func(ctx context.Context, tx *Tx) error {
			if _, err := tx.Exec(ctx, importPlanning); err != nil {
				return err
			}
			if err := lockReferences(ctx, tx, kind); err != nil {
				return err
			}
			return spec.Prepare(ctx, tx)
		}},
	}
	for i, q := range spec.Checks {
		q := q
		steps = append(steps, ImportStep{fmt.Sprintf("check %d", i), func(ctx context.Context, tx *Tx) error {
			var args []any
			if containsParam1(q) {
				args = append(args, tx.P.Province)
			}
			_, err := tx.Exec(ctx, `INSERT INTO import_row_errors (line, col, code, message_en, message_vi) `+q, args...)
			return err
		}})
	}
	steps = append(steps, ImportStep{"rules", func(ctx context.Context, tx *Tx) error {
		if kind == "assignments" { // the two statements of postRuleRows apart
			return nil
		}
		errs, err := ruleChecks(ctx, tx, kind)
		if err == nil && len(errs) > 0 {
			err = fmt.Errorf("%d rule errors, first %+v", len(errs), errs[0])
		}
		return err
	}})
	for _, name := range []string{"life", "overlap", "hamlet posts", "holders"} {
		steps = append(steps, ImportStep{"rule: " + name, func(ctx context.Context, tx *Tx) error {
			if kind != "assignments" {
				return nil
			}
			rows, err := tx.Query(ctx, PostRuleSQL[name], tx.P.Province)
			if err != nil {
				return err
			}
			rows.Close()
			return rows.Err()
		}})
	}
	steps = append(steps, ImportStep{"write", func(ctx context.Context, tx *Tx) error {
		if err := auditImportRecords(ctx, tx, ImportJob{ID: job, Mode: "apply"}); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM import_stage`).Scan(&n); err != nil {
			return err
		}
		_, _, _, lost, err := applyStage(ctx, tx, kind, spec, n)
		if err == nil && len(lost) > 0 {
			err = fmt.Errorf("%d rows lost", len(lost))
		}
		return err
	}})
	return steps
}

// PostRuleSQL are the statements of the posts' shared rules ($1 = province), for EXPLAIN.
var PostRuleSQL = map[string]string{}

func init() {
	for name, stmt := range map[string]string{"life": postLifeSQL, "overlap": overlapSQL, "hamlet posts": hamletPostsSQL,
		"holders": postHoldersSQL} {
		PostRuleSQL[name], _ = importPostSource.sql(stmt, "")
	}
}
