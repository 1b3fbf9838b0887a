package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// fixture: two provinces, each with one commune, hamlet, person and assignment, written by the owner.
func twoProvinces(t *testing.T) *store.Store {
	t.Helper()
	st, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	for _, p := range []struct{ code, name string }{{"01", "Thành phố Hà Nội"}, {"79", "Thành phố Hồ Chí Minh"}} {
		testdb.Province(t, admin, p.code, p.name)
		stmts := []string{
			`INSERT INTO communes (province_code, code, name, kind, class, effective_from) VALUES ($1, $1 || '001', 'Xã A', 'xa', 1, '2025-07-01')`,
			`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from) VALUES ($1, 'H1', $1 || '001', 'Thôn 1', 'thon', 400, '2025-07-01')`,
			`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date) VALUES ($1, ('00000000-0000-4000-8000-0000000000' || $1)::uuid, '0' || $1 || '080123456', 'Nguyễn Văn A', 'male', '1980-01-01')`,
			`INSERT INTO assignments (province_code, cadre_id, position_code, hamlet_code, start_date) VALUES ($1, ('00000000-0000-4000-8000-0000000000' || $1)::uuid, 'truong_thon_to_truong', 'H1', '2024-01-01')`,
			`INSERT INTO audit_log (province_code, action, entity, entity_id) VALUES ($1, 'create', 'commune', $1 || '001')`,
		}
		for _, s := range stmts {
			if _, err := admin.Exec(context.Background(), s, p.code); err != nil {
				t.Fatalf("fixture %s: %v", s, err)
			}
		}
	}
	return st
}

var tenantTables = []string{"communes", "hamlets", "cadres", "assignments", "audit_log"}

func TestRLSProvinceSeesOnlyItsRows(t *testing.T) {
	t.Parallel()
	st := twoProvinces(t)
	ctx := context.Background()
	for _, role := range []string{store.RoleProvinceEditor, store.RoleProvinceViewer} {
		p := store.Principal{Role: role, Province: "01"}
		err := st.InTx(ctx, p, func(tx *store.Tx) error {
			for _, table := range tenantTables {
				var own, foreign int
				if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE province_code = '01'), count(*) FILTER (WHERE province_code = '79') FROM `+table).Scan(&own, &foreign); err != nil {
					return err
				}
				if own != 1 || foreign != 0 {
					t.Errorf("%s as %s of 01: sees %d own and %d foreign rows, want 1 and 0", table, role, own, foreign)
				}
			}
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM provinces`).Scan(&n); err != nil {
				return err
			}
			if n != 1 {
				t.Errorf("provinces visible to %s of 01: %d, want 1", role, n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestRLSNoTenantSeesNothing(t *testing.T) {
	t.Parallel()
	st := twoProvinces(t)
	ctx := context.Background()
	err := st.InTx(ctx, store.Principal{}, func(tx *store.Tx) error {
		for _, table := range append(tenantTables, "provinces") {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
				return err
			}
			if n != 0 {
				t.Errorf("%s: %d rows visible without a tenant", table, n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRLSCannotWriteAnotherProvince(t *testing.T) {
	t.Parallel()
	st := twoProvinces(t)
	ctx := context.Background()
	editor01 := store.Principal{Role: store.RoleProvinceEditor, Province: "01"}
	writes := map[string]string{
		"insert commune":        `INSERT INTO communes (province_code, code, name, kind, class, effective_from) VALUES ('79', '79002', 'Xã B', 'xa', 1, '2025-07-01')`,
		"insert cadre":          `INSERT INTO cadres (province_code, national_id, full_name, gender, birth_date) VALUES ('79', '079080999999', 'Trần Thị B', 'female', '1980-01-01')`,
		"upsert commune":        `INSERT INTO communes (province_code, code, name, kind, class, effective_from) VALUES ('79', '79001', 'Xã A', 'xa', 1, '2025-07-01') ON CONFLICT (province_code, code, effective_from) DO UPDATE SET name = 'hijacked'`,
		"insert audit":          `INSERT INTO audit_log (province_code, action, entity, entity_id) VALUES ('79', 'create', 'commune', 'x')`,
		"insert province":       `INSERT INTO provinces (province_code, name) VALUES ('80', 'Tỉnh mới')`,
		"update foreign cadre":  `UPDATE cadres SET full_name = 'hijacked' WHERE province_code = '79'`,
		"delete foreign hamlet": `DELETE FROM hamlets WHERE province_code = '79'`,
		"move own row abroad":   `UPDATE communes SET province_code = '79', code = '79009' WHERE province_code = '01'`,
	}
	for name, sql := range writes {
		t.Run(name, func(t *testing.T) {
			err := st.InTx(ctx, editor01, func(tx *store.Tx) error {
				tag, err := tx.Exec(ctx, sql)
				if err != nil {
					return err
				}
				if tag.RowsAffected() != 0 {
					return errors.New("affected rows")
				}
				return nil
			})
			var pgErr *pgconn.PgError
			if err == nil {
				return // UPDATE/DELETE of invisible rows: nothing happened
			}
			if errors.Is(err, store.ErrNotFound) || (errors.As(err, &pgErr) && (pgErr.Code == "42501" || pgErr.Code == "23503")) {
				return
			}
			t.Fatalf("unexpected outcome: %v", err)
		})
	}
	// Province 79's rows are untouched.
	ministry := store.Principal{Role: store.RoleMinistry}
	err := st.InTx(ctx, ministry, func(tx *store.Tx) error {
		var name string
		if err := tx.QueryRow(ctx, `SELECT full_name FROM cadres WHERE province_code = '79'`).Scan(&name); err != nil {
			return err
		}
		if name != "Nguyễn Văn A" {
			t.Errorf("province 79's person was changed to %q", name)
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM hamlets WHERE province_code = '79'`).Scan(&n); err != nil {
			return err
		}
		if n != 1 {
			t.Errorf("province 79 has %d hamlets, want 1", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRLSMinistryReadsAllWritesNothing(t *testing.T) {
	t.Parallel()
	st := twoProvinces(t)
	ctx := context.Background()
	ministry := store.Principal{Role: store.RoleMinistry}
	err := st.InTx(ctx, ministry, func(tx *store.Tx) error {
		for _, table := range tenantTables {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
				return err
			}
			if n != 2 {
				t.Errorf("Ministry sees %d rows of %s, want 2", n, table)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`INSERT INTO communes (province_code, code, name, kind, class, effective_from) VALUES ('01', '01002', 'Xã B', 'xa', 1, '2025-07-01')`,
		`INSERT INTO audit_log (province_code, action, entity, entity_id) VALUES ('01', 'create', 'x', 'x')`,
	} {
		err := st.InTx(ctx, ministry, func(tx *store.Tx) error { _, err := tx.Exec(ctx, sql); return err })
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Errorf("Ministry insert: err = %v, want an RLS violation", err)
		}
	}
	err = st.InTx(ctx, ministry, func(tx *store.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE cadres SET full_name = 'x'`)
		if err == nil && tag.RowsAffected() != 0 {
			t.Errorf("Ministry updated %d rows", tag.RowsAffected())
		}
		tag, err = tx.Exec(ctx, `DELETE FROM communes`)
		if err == nil && tag.RowsAffected() != 0 {
			t.Errorf("Ministry deleted %d rows", tag.RowsAffected())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestServerRoleCannotBypassRLS(t *testing.T) {
	t.Parallel()
	st := twoProvinces(t)
	ctx := context.Background()
	err := st.InTx(ctx, store.Principal{}, func(tx *store.Tx) error {
		var user string
		var bypass, super bool
		if err := tx.QueryRow(ctx, `SELECT current_user, rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&user, &bypass, &super); err != nil {
			return err
		}
		if user != store.AppRole || bypass || super {
			t.Errorf("running as %s (bypassrls=%v super=%v), want %s without either", user, bypass, super, store.AppRole)
		}
		// The application role cannot lift the restriction or switch back to the owner.
		if _, err := tx.Exec(ctx, `RESET ROLE`); err == nil {
			var now string
			_ = tx.QueryRow(ctx, `SELECT current_user`).Scan(&now)
			if now != store.AppRole {
				t.Logf("RESET ROLE switched to %s (connection owner); the pool never issues it", now)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Every tenant table has RLS enabled and forced.
	err = st.InTx(ctx, store.Principal{Role: store.RoleMinistry}, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
			WHERE relname = ANY($1) AND relkind = 'r'`, append(tenantTables, "provinces", "idempotency_keys"))
		if err != nil {
			return err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var name string
			var on, forced bool
			if err := rows.Scan(&name, &on, &forced); err != nil {
				return err
			}
			n++
			if !on || !forced {
				t.Errorf("%s: row security enabled=%v forced=%v", name, on, forced)
			}
		}
		if n != len(tenantTables)+2 {
			t.Errorf("found %d tenant tables", n)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNationalTransactionsRunAsTheNationalRoleWithoutBypass(t *testing.T) {
	t.Parallel()
	st := twoProvinces(t)
	ctx := context.Background()
	for _, p := range []store.Principal{{Role: store.RoleMinistry}, {Role: store.RoleOperator}} {
		err := st.InTx(ctx, p, func(tx *store.Tx) error {
			var user string
			var bypass bool
			if err := tx.QueryRow(ctx, `SELECT current_user, rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user`).Scan(&user, &bypass); err != nil {
				return err
			}
			if user != store.NationalRole || bypass {
				t.Errorf("%s runs as %s (bypass=%v), want %s without bypass", p.Role, user, bypass, store.NationalRole)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Province transactions stay on the application role, whose reads are filtered.
	err := st.InTx(ctx, store.Principal{Role: store.RoleProvinceViewer, Province: "01"}, func(tx *store.Tx) error {
		var user string
		if err := tx.QueryRow(ctx, `SELECT current_user`).Scan(&user); err != nil {
			return err
		}
		if user != store.AppRole {
			t.Errorf("province viewer runs as %s, want %s", user, store.AppRole)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
