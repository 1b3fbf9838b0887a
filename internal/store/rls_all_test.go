package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// Tables with a province_code column that are not tenant data under row-level security, and why.
var notTenantTables = map[string]string{
	// Authentication reads it before any tenant is known; it holds token hashes only, and the application
	// role may only read it (asserted below).
	"api_keys": "authentication",
	// Console officers are looked up at login before any tenant is known, like keys; writes are held by
	// their own policies (operators create, a user changes only itself: migration 0018).
	"users": "authentication",
}

const (
	provA = "01"
	provB = "79"
)

// allTablesFixture writes, as the owner, at least one row of every tenant table for two provinces (B's
// import job is left running, the state that the interrupted-marking policy opens to readers). A new
// tenant table without a row here fails TestRLSOnEveryTenantTable: add one.
func allTablesFixture(t *testing.T) (*store.Store, *pgx.Conn, map[string]int64) {
	t.Helper()
	st, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	keys := map[string]int64{}
	for _, p := range []struct{ code, name, status string }{{provA, "Thành phố Hà Nội", "succeeded"}, {provB, "Thành phố Hồ Chí Minh", "running"}} {
		testdb.Province(t, admin, p.code, p.name)
		keyID, _ := testdb.Key(t, admin, store.RoleProvinceEditor, p.code)
		keys[p.code] = keyID
		cadre := "00000000-0000-4000-8000-0000000000" + p.code
		job := "00000000-0000-4000-9000-0000000000" + p.code
		run := "00000000-0000-4000-a000-0000000000" + p.code
		finished := "now()"
		if p.status == "running" {
			finished = "NULL"
		}
		stmts := []string{
			`INSERT INTO communes (province_code, code, name, kind, class, effective_from) VALUES ($1, $1 || '001', 'Xã A', 'xa', 1, '2025-07-01')`,
			`INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from) VALUES ($1, 'H1', $1 || '001', 'Thôn 1', 'thon', 400, '2025-07-01')`,
			`INSERT INTO communes (province_code, code, name, kind, class, effective_from, effective_to) VALUES ($1, $1 || '001', 'Xã A cũ', 'xa', 2, '2020-01-01', '2025-06-30')`,
			`INSERT INTO commune_lineage (province_code, from_code, from_effective, to_code, to_effective, coverage) VALUES ($1, $1 || '001', '2020-01-01', $1 || '001', '2025-07-01', 'full')`,
			`INSERT INTO commune_history (province_code, code, unit_from, valid_from, class, key_security_order, border, island) VALUES ($1, $1 || '001', '2025-07-01', '2025-07-01', 1, false, false, false)`,
			`INSERT INTO hamlet_history (province_code, hamlet_code, valid_from, kind, households, key_security_order, converted_from_thon, commune_code, commune_from) VALUES ($1, 'H1', '2025-07-01', 'thon', 400, false, false, $1 || '001', '2025-07-01')`,
			`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date) VALUES ($1, '` + cadre + `', '0' || $1 || '080123456', 'Nguyễn Văn A', 'male', '1980-01-01')`,
			`INSERT INTO assignments (province_code, cadre_id, position_code, hamlet_code, start_date) VALUES ($1, '` + cadre + `', 'truong_thon_to_truong', 'H1', '2024-01-01')`,
			`INSERT INTO cadre_status_history (province_code, cadre_id, valid_from, valid_to, status) VALUES ($1, '` + cadre + `', '2030-01-01', NULL, 'retired')`,
			`INSERT INTO audit_log (province_code, action, entity, entity_id) VALUES ($1, 'create', 'commune', $1 || '001')`,
			`INSERT INTO users (username, role, province_code, password_hash) VALUES ('officer' || $1, 'province_editor', $1, '$argon2id$')`,
			`INSERT INTO reorganisations (province_code, level, effective_date, request_hash, summary) VALUES ($1, 'commune', '2025-07-01', sha256(convert_to($1::text, 'UTF8')), '{}')`,
			`INSERT INTO allowance_schedules (province_code, position_code, hamlet_fund_category, effective_from, coefficient, resolution) VALUES ($1, 'truong_thon_to_truong', '', '2024-07-01', 1.5, 'NQ 1')`,
			fmt.Sprintf(`INSERT INTO idempotency_keys (province_code, api_key_id, key, method, path, request_hash, status, body) VALUES ($1, %d, 'k1', 'POST', '/x', '\x00', 201, '\x7b7d')`, keyID),
			`INSERT INTO import_jobs (province_code, id, kind, mode, status, finished_at) VALUES ($1, '` + job + `', 'cadres', 'apply', '` + p.status + `', ` + finished + `)`,
			`INSERT INTO import_rejects (province_code, job_id, line, fields, error) VALUES ($1, '` + job + `', 2, '{a,b}', 'bad')`,
			`INSERT INTO entitlement_runs (province_code, id, exit_date, reason, status, finished_at) VALUES ($1, '` + run + `', '2025-08-01', 'reorganisation', '` + p.status + `', ` + finished + `)`,
			`INSERT INTO entitlement_run_results (province_code, run_id, cadre_id, policy, total, eligible, reason) VALUES ($1, '` + run + `', '` + cadre + `', 'decree_154_2025_art9', 1000, true, 'ok')`,
			`INSERT INTO decisions (province_code, cadre_id, reason, kind, exit_date, total, ruleset_version, inputs, request, parameters, result)
				VALUES ($1, '` + cadre + `', 'reorganisation', 'cadre', '2025-08-01', 1000, '1.0.0', '{}', '{}', '{}', '{}')`,
		}
		for _, s := range stmts {
			if _, err := admin.Exec(context.Background(), s, p.code); err != nil {
				t.Fatalf("fixture %s: %v", firstLine(s), err)
			}
		}
	}
	// B's job is live: a session holds its advisory lock, as the importing session does.
	holder := testdb.Admin(t, dbURL)
	if _, err := holder.Exec(context.Background(), `SELECT pg_advisory_lock(4711, hashtext($1))`, "00000000-0000-4000-9000-0000000000"+provB); err != nil {
		t.Fatal(err)
	}
	// B's entitlement run is live too (lock class 4713 on the run id).
	if _, err := holder.Exec(context.Background(), `SELECT pg_advisory_lock(4713, hashtext($1))`, "00000000-0000-4000-a000-0000000000"+provB); err != nil {
		t.Fatal(err)
	}
	return st, admin, keys
}

func firstLine(s string) string {
	return strings.TrimSpace(strings.SplitN(strings.TrimSpace(s), "\n", 2)[0])
}

type tableInfo struct {
	name                   string
	rls, forced            bool
	cols, insertCols, pkey []string
	identityAlways         bool
}

// tenantTableInfo lists every table of the public schema that has a province_code column.
func tenantTableInfo(t *testing.T, admin *pgx.Conn) []tableInfo {
	t.Helper()
	ctx := context.Background()
	rows, err := admin.Query(ctx, `
		SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
			array(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
			array(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
				AND a.attidentity <> 'a' AND a.attgenerated = '' ORDER BY a.attnum),
			coalesce(array(SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
				WHERE i.indrelid = c.oid AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)), '{}'),
			EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attidentity = 'a')
		FROM pg_class c
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
			AND EXISTS (SELECT 1 FROM information_schema.columns ic WHERE ic.table_schema = 'public' AND ic.table_name = c.relname AND ic.column_name = 'province_code')
		ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tableInfo, error) {
		var ti tableInfo
		err := r.Scan(&ti.name, &ti.rls, &ti.forced, &ti.cols, &ti.insertCols, &ti.pkey, &ti.identityAlways)
		return ti, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 10 {
		t.Fatalf("found only %d tables with province_code", len(out))
	}
	return out
}

// rowsOf returns a table's rows of one province as JSON, in a stable order, read by the owner.
func rowsOf(t *testing.T, admin *pgx.Conn, table, province string) []string {
	t.Helper()
	ident := pgx.Identifier{table}.Sanitize()
	rows, err := admin.Query(context.Background(),
		`SELECT to_jsonb(x)::text FROM `+ident+` x WHERE province_code = $1 ORDER BY to_jsonb(x)::text`, province)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// refused reports whether a write was refused by a policy or privilege (42501, which the store translates
// to ErrNotFound), or ran and touched nothing.
func refused(err error, affected int64) bool {
	var pgErr *pgconn.PgError
	if err != nil {
		return errors.Is(err, store.ErrNotFound) || (errors.As(err, &pgErr) && pgErr.Code == "42501")
	}
	return affected == 0
}

// TestRLSOnEveryTenantTable finds every table with a province_code column and proves, as the application
// role, that a province's keys see none of another province's rows and can neither insert, upsert,
// update, delete nor stage them, and that the Ministry reads everything and writes nothing.
func TestRLSOnEveryTenantTable(t *testing.T) {
	t.Parallel()
	st, admin, keys := allTablesFixture(t)
	ctx := context.Background()
	tables := tenantTableInfo(t, admin)

	principals := map[string]store.Principal{
		"editor of A":  {Role: store.RoleProvinceEditor, Province: provA, KeyID: keys[provA]},
		"viewer of A":  {Role: store.RoleProvinceViewer, Province: provA, KeyID: keys[provA]},
		"the Ministry": {Role: store.RoleMinistry},
	}
	for _, ti := range tables {
		t.Run(ti.name, func(t *testing.T) {
			if why, ok := notTenantTables[ti.name]; ok {
				// Not tenant data, but the application role must not be able to write it.
				for _, sql := range []string{`DELETE FROM ` + ti.name, `UPDATE ` + ti.name + ` SET province_code = province_code`} {
					var affected int64
					err := st.InTx(ctx, principals["editor of A"], func(tx *store.Tx) error {
						tag, err := tx.Exec(ctx, sql)
						affected = tag.RowsAffected()
						return err
					})
					if !refused(err, affected) {
						t.Errorf("%s (%s): %s was not refused: %v", ti.name, why, sql, err)
					}
				}
				return
			}
			if !ti.rls || !ti.forced {
				t.Fatalf("row-level security enabled=%v forced=%v, want both", ti.rls, ti.forced)
			}
			if len(ti.pkey) == 0 || ti.pkey[0] != "province_code" {
				t.Errorf("primary key %v does not start with province_code: every tenant key is led by the province", ti.pkey)
			}
			bRows := rowsOf(t, admin, ti.name, provB)
			aRows := rowsOf(t, admin, ti.name, provA)
			if len(bRows) == 0 || len(aRows) == 0 {
				t.Fatalf("the fixture has %d rows of province A and %d of B: add rows for this table to allTablesFixture", len(aRows), len(bRows))
			}
			ident := pgx.Identifier{ti.name}.Sanitize()
			quote := func(cols []string) string {
				q := make([]string, len(cols))
				for i, c := range cols {
					q[i] = pgx.Identifier{c}.Sanitize()
				}
				return strings.Join(q, ", ")
			}
			allCols, insCols := quote(ti.cols), quote(ti.insertCols)
			overriding := ""
			if ti.identityAlways {
				overriding = " OVERRIDING SYSTEM VALUE"
			}
			var someCol string // a non-key column, for no-op updates
			for _, c := range ti.insertCols {
				if c != "province_code" && !strings.Contains(strings.Join(ti.pkey, ","), c) {
					someCol = pgx.Identifier{c}.Sanitize()
					break
				}
			}
			if someCol == "" {
				someCol = "province_code"
			}
			bRow := bRows[0]
			copyOf := `SELECT ` + allCols + ` FROM jsonb_populate_record(NULL::` + ident + `, $1::jsonb)`
			writes := []struct {
				name, sql string
				args      []any
			}{
				{"insert a copy of B's row", `INSERT INTO ` + ident + ` (` + allCols + `)` + overriding + ` ` + copyOf, []any{bRow}},
				{"upsert on B's key", `INSERT INTO ` + ident + ` (` + allCols + `)` + overriding + ` ` + copyOf +
					` ON CONFLICT (` + quote(ti.pkey) + `) DO UPDATE SET ` + someCol + ` = EXCLUDED.` + someCol, []any{bRow}},
				{"upsert on B's key, do nothing", `INSERT INTO ` + ident + ` (` + allCols + `)` + overriding + ` ` + copyOf +
					` ON CONFLICT DO NOTHING`, []any{bRow}},
				{"update B's rows", `UPDATE ` + ident + ` SET ` + someCol + ` = ` + someCol + ` WHERE province_code = $1`, []any{provB}},
				{"move B's rows to A", `UPDATE ` + ident + ` SET province_code = $2 WHERE province_code = $1`, []any{provB, provA}},
				{"delete B's rows", `DELETE FROM ` + ident + ` WHERE province_code = $1`, []any{provB}},
				{"stage and insert B's row", `CREATE TEMP TABLE stage_rls ON COMMIT DROP AS SELECT ` + insCols +
					` FROM jsonb_populate_record(NULL::` + ident + `, '` + strings.ReplaceAll(bRow, "'", "''") + `'::jsonb);` +
					`INSERT INTO ` + ident + ` (` + insCols + `) SELECT ` + insCols + ` FROM stage_rls`, nil},
			}
			if ti.name == "import_jobs" {
				writes = append(writes, struct {
					name, sql string
					args      []any
				}{"mark B's running job interrupted", `UPDATE import_jobs SET status = 'failed', failure_reason = 'interrupted', finished_at = now() WHERE province_code = $1`, []any{provB}})
			}
			if ti.name == "entitlement_runs" {
				writes = append(writes, struct {
					name, sql string
					args      []any
				}{"mark B's running run interrupted", `UPDATE entitlement_runs SET status = 'failed', failure_reason = 'interrupted', finished_at = now() WHERE province_code = $1`, []any{provB}})
			}
			for who, p := range principals {
				// Reads.
				err := st.InTx(ctx, p, func(tx *store.Tx) error {
					var own, foreign int
					err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE province_code = $1), count(*) FILTER (WHERE province_code IS DISTINCT FROM $1) FROM `+ident, provA).Scan(&own, &foreign)
					if err != nil {
						return err
					}
					switch {
					case p.National() && ti.name != "idempotency_keys" && (own != len(aRows) || foreign < len(bRows)):
						t.Errorf("%s sees %d rows of A and %d others, want %d and at least %d", who, own, foreign, len(aRows), len(bRows))
					case !p.National() && foreign != 0:
						t.Errorf("%s sees %d rows of other provinces", who, foreign)
					}
					return nil
				})
				if err != nil {
					t.Fatalf("%s reading: %v", who, err)
				}
				// Writes of B's rows, one transaction each (a refused statement aborts its transaction).
				for _, w := range writes {
					var affected int64
					err := st.InTx(ctx, p, func(tx *store.Tx) error {
						tag, err := tx.Exec(ctx, w.sql, w.args...)
						affected = tag.RowsAffected()
						return err
					})
					if !refused(err, affected) {
						t.Errorf("%s: %s: err %v, %d rows affected; want a policy violation or no row", who, w.name, err, affected)
					}
				}
				// The import path itself: COPY into a staging table, then INSERT … SELECT (store.CopyInsert).
				// Its staging table does not carry identity columns, so it cannot serve such tables at all.
				if ti.identityAlways {
					continue
				}
				err = st.InTx(ctx, p, func(tx *store.Tx) error {
					rows, err := tx.Query(ctx, `SELECT `+insCols+` FROM jsonb_populate_record(NULL::`+ident+`, $1::jsonb)`, bRow)
					if err != nil {
						return err
					}
					vals, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) { return r.Values() })
					if err != nil {
						return err
					}
					_, err = tx.CopyInsert(ctx, ti.name, ti.insertCols, pgx.CopyFromRows(vals))
					return err
				})
				if !refused(err, 1) {
					t.Errorf("%s: CopyInsert of B's row: %v, want a policy violation", who, err)
				}
			}
			if got := rowsOf(t, admin, ti.name, provB); strings.Join(got, "\n") != strings.Join(bRows, "\n") {
				t.Errorf("province B's rows changed (a refused write wrote):\nbefore %v\nafter  %v", bRows, got)
			}
		})
	}
}
