package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"communehr/internal/store"
)

// A tenant transaction starts in one round trip (BEGIN and its settings in one query) with exactly the
// settings and role the two-step start gave; a value that cannot be inlined takes the two-step path.
func TestTenantTransactionStartsWithItsSettings(t *testing.T) {
	t.Parallel()
	st := twoProvinces(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		p    store.Principal
		role string
	}{
		{"viewer", store.Principal{Role: store.RoleProvinceViewer, Province: "01", KeyID: 7}, store.AppRole},
		{"officer", store.Principal{Role: store.RoleProvinceEditor, Province: "79", UserID: 12}, store.AppRole},
		{"ministry", store.Principal{Role: store.RoleMinistry, KeyID: 3}, store.NationalRole},
		{"unusual province value", store.Principal{Role: store.RoleProvinceViewer, Province: "0'1", KeyID: 5}, store.AppRole},
	} {
		var province, role, key, user, current string
		var first, second time.Time
		err := st.InTx(ctx, tc.p, func(tx *store.Tx) error {
			if err := tx.QueryRow(ctx, `SELECT current_setting('app.province'), current_setting('app.role'),
				current_setting('app.key_id'), current_setting('app.user_id'), current_user::text, now()`).
				Scan(&province, &role, &key, &user, &current, &first); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT now() FROM pg_sleep(0.002)`).Scan(&second)
		})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want := []string{tc.p.Province, tc.p.Role, strconv.FormatInt(tc.p.KeyID, 10), strconv.FormatInt(tc.p.UserID, 10), tc.role}
		got := []string{province, role, key, user, current}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: settings %q, want %q", tc.name, got, want)
				break
			}
		}
		if !first.Equal(second) {
			t.Errorf("%s: the queries ran in two transactions (now() %v, then %v), not in the one InTx began", tc.name, first, second)
		}
	}
	// Settings are transaction-local: a later transaction on the same connections sees its own.
	var province string
	if err := st.InTx(ctx, store.Principal{Role: store.RoleProvinceViewer, Province: "79"}, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT current_setting('app.province')`).Scan(&province)
	}); err != nil || province != "79" {
		t.Fatalf("later transaction: province %q, %v", province, err)
	}
}
