package store_test

import (
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// Finding 3 (issue 10 item 5, issue 11 item 3): whatever a planner says, an apply that continues a post
// in a hamlet runs the records API's own checks on what it wrote, and writes nothing when one fails:
// a second Trưởng thôn (checkMaxHolders), a fourth paid post (checkHamletPosts).
func TestReorgApplyRunsThePostRules(t *testing.T) {
	for _, c := range []struct {
		name, lift, move string
		want             func(error) bool
	}{
		{"second head", "", "00000000-0000-4000-9000-0000000000b1", func(err error) bool {
			var re *store.RuleError
			return errors.As(err, &re) && re.Code == "too_many_holders"
		}},
		{"fourth paid post", "bi_thu_chi_bo", "00000000-0000-4000-9000-0000000000b2", func(err error) bool {
			var ae *store.AssignmentRuleError
			return errors.As(err, &ae) && ae.Rule == store.RuleHamletPosts && ae.Hamlet.Code == "HA" && len(ae.InForce) == 3
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, admin, p := reorgRulesSeed(t, c.lift)
			eff := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			ha := "HA"
			plan := func(store.ReorgData, store.PeopleReader) (store.ReorgActions, any, error) {
				return store.ReorgActions{SplitPosts: []store.ReorgPostSplit{{AssignmentID: c.move, OldEnd: eff.AddDate(0, 0, -1),
					NewStart: eff, HamletCode: &ha}}}, map[string]any{}, nil
			}
			hash := sha256.Sum256([]byte(c.name))
			req := store.ReorgRequest{Province: "97", Level: "hamlet", Effective: eff, OldCodes: []string{"HB"}, NewCodes: []string{"HA"},
				RequestHash: hash[:]}
			_, err := st.ApplyReorganisation(t.Context(), p, req, plan, func(s any, _ string) any { return s })
			var pe *store.ReorgPostError
			if !errors.As(err, &pe) || pe.AssignmentID != c.move || !c.want(err) {
				t.Fatalf("apply: %v, want the post refused by the records rule", err)
			}
			var n int
			if err := admin.QueryRow(t.Context(), `SELECT count(*) FROM assignments WHERE hamlet_code = 'HA' OR end_date IS NOT NULL`).Scan(&n); err != nil || n != 3 {
				t.Errorf("%d posts in HA or ended (%v): a refused apply wrote", n, err)
			}
		})
	}
}

// reorgRulesSeed: hamlets HA and HB; HA has its three paid posts, HB a head and a party cell secretary.
// lift, when given, takes the one-holder limit off that post so the paid-posts rule is the one reached.
func reorgRulesSeed(t *testing.T, lift string) (*store.Store, *pgx.Conn, store.Principal) {
	t.Helper()
	st, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	testdb.Province(t, admin, "97", "Tỉnh Thử Nghiệm")
	keyID, _ := testdb.Key(t, admin, store.RoleProvinceEditor, "97")
	stmts := []string{
		`UPDATE positions SET max_per_unit = NULL WHERE code = '` + lift + `'`,
		`INSERT INTO communes (province_code, code, name, kind, class, effective_from) VALUES ('97', '90001', 'Xã A', 'xa', 1, '2010-01-01')`,
		`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from) VALUES
			('97', 'HA', '90001', 'Thôn A', 'thon', 400, '2010-01-01'), ('97', 'HB', '90001', 'Thôn B', 'thon', 150, '2010-01-01')`,
		`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months)
			SELECT '97', ('00000000-0000-4000-8000-00000000000' || i)::uuid, '09707000000' || i, 'Người ' || i, 'male', '1970-01-01', 100
			FROM generate_series(1, 5) i`,
		`INSERT INTO assignments (province_code, id, cadre_id, position_code, hamlet_code, start_date) VALUES
			('97', '00000000-0000-4000-9000-0000000000a1', '00000000-0000-4000-8000-000000000001', 'truong_thon_to_truong', 'HA', '2020-01-01'),
			('97', '00000000-0000-4000-9000-0000000000a2', '00000000-0000-4000-8000-000000000002', 'bi_thu_chi_bo', 'HA', '2020-01-01'),
			('97', '00000000-0000-4000-9000-0000000000a3', '00000000-0000-4000-8000-000000000003', 'truong_ban_cong_tac_mat_tran', 'HA', '2020-01-01'),
			('97', '00000000-0000-4000-9000-0000000000b1', '00000000-0000-4000-8000-000000000004', 'truong_thon_to_truong', 'HB', '2015-01-01'),
			('97', '00000000-0000-4000-9000-0000000000b2', '00000000-0000-4000-8000-000000000005', 'bi_thu_chi_bo', 'HB', '2015-01-01')`,
	}
	for _, s := range stmts {
		if _, err := admin.Exec(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return st, admin, store.Principal{KeyID: keyID, Role: store.RoleProvinceEditor, Province: "97"}
}
