package reorg

import (
	"context"
	"errors"
	"testing"
	"time"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// hamletsLeftInClosedUnits counts hamlets still in force after their commune-level unit closed.
const hamletsLeftInClosedUnits = `SELECT count(*) FROM hamlets h
	JOIN communes c ON c.province_code = h.province_code AND c.code = h.commune_code AND c.effective_from = h.commune_from
	WHERE c.effective_to IS NOT NULL AND (h.effective_to IS NULL OR h.effective_to > c.effective_to)`

// Done when: a hamlet created under a merging commune while an apply is between reading its plan and
// writing it is either carried into the new unit by the apply or refused (it would run past its closed
// commune's end), never left under the closed unit (issue 11). As for posts, the write is made from the
// planning step itself, on a second connection, through the register's own CreateHamlet.
func TestAHamletWrittenDuringAnApplyIsNotLeftInTheClosedUnit(t *testing.T) {
	hamlet := store.Hamlet{Province: "97", Code: "90002-01", CommuneCode: "90002", Name: "Thôn Mới", Kind: "thon", Households: 120,
		EffectiveFrom: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	_, dbURL, werr := applyWithWriteDuringPlan(t, func(ctx context.Context, st *store.Store, editor store.Principal) error {
		_, err := st.CreateHamlet(ctx, editor, hamlet)
		return err
	})
	var rule *store.RuleError
	if werr != nil && (!errors.As(werr, &rule) || rule.Code != "outside_commune_life" || rule.Field != "effective_to") {
		t.Fatalf("the concurrent hamlet failed with %v, want a refusal as running past its commune's end", werr)
	}
	t.Logf("concurrent write: %v", werr)
	if n := count(t, dbURL, hamletsLeftInClosedUnits); n != 0 {
		t.Errorf("%d hamlets are still in force in a unit the apply closed (write error: %v)", n, werr)
	}
	if werr == nil {
		var commune string
		if err := testdb.Admin(t, dbURL).QueryRow(t.Context(), `SELECT commune_code FROM hamlets WHERE code = '90002-01'`).
			Scan(&commune); err != nil || commune != "91001" {
			t.Errorf("the hamlet written first was not carried into the new unit: %q %v", commune, err)
		}
	}
}
