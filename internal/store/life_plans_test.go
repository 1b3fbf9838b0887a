package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// The register rules an import runs from Go (a unit's dates against its hamlets and posts; a return to
// work against the person's leavings) are O(n log n) too: each statement, EXPLAINed over the plan test's
// staged files (planRows rows over as many records, statistics stale), runs no node once per row.
func TestLifeRuleChecksAreNotQuadratic(t *testing.T) {
	t.Parallel()
	st, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	ctx := context.Background()
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	for _, q := range append(append([]string{}, planFixture...),
		`UPDATE cadres SET status = 'left', left_on = '2024-06-01' WHERE national_id LIKE '%%0' /* %[1]d */`,
		`UPDATE cadres SET status = 'active', left_on = NULL, active_from = '2025-01-01' WHERE national_id LIKE '%%00' /* %[1]d */`) {
		if _, err := admin.Exec(ctx, fmt.Sprintf(q, planRows)); err != nil {
			t.Fatalf("fixture: %v\n%s", err, q)
		}
	}
	extra := map[string]string{"cadres": `UPDATE import_stage SET active_from = '2025-02-01' WHERE line %% 7 = 0 /* %[1]d */`}
	p := store.Principal{Role: store.RoleProvinceEditor, Province: "01"}
	for _, kind := range []string{"communes", "hamlets", "cadres"} {
		spec := store.ImportSpecs[kind]
		t.Run(kind, func(t *testing.T) {
			err := st.InTx(ctx, p, func(tx *store.Tx) error {
				for _, q := range []string{`CREATE TEMP TABLE import_stage (` + spec.StageDDL + `) ON COMMIT DROP`,
					fmt.Sprintf(planStage[kind], planRows), fmt.Sprintf(extra[kind]+"; /* %[1]d */", planRows), `ANALYZE import_stage`} {
					if _, err := tx.Exec(ctx, q); err != nil {
						return fmt.Errorf("%w\n%s", err, q)
					}
				}
				if err := spec.Prepare(ctx, tx); err != nil {
					return err
				}
				stmts, args, err := store.LifeRuleStatements(ctx, tx, kind)
				if err != nil {
					return err
				}
				for i, q := range stmts {
					if err := checkNotRepeatedPerRow(t, tx, i, q, args[i]); err != nil {
						return err
					}
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				t.Fatal(err)
			}
		})
	}
}
