package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"communehr/internal/testdb"
)

// TestTenantKeysLedByProvince reads the catalogue of a migrated database: every tenant table (row-level
// security on, a province_code column; provinces itself is the tenants' root) has a primary key led by
// province_code, every unique constraint or index includes province_code, and every foreign key between
// tenant tables is composite and pairs province_code with province_code. Then distributing the register by
// province (Citus: tenant tables distributed on province_code, provinces and positions reference tables)
// is a configuration, not a rewrite — and a row can never reference another province's row.
func TestTenantKeysLedByProvince(t *testing.T) {
	t.Parallel()
	conn := testdb.Admin(t, testdb.Migrated(t))
	tenant := tenantKeyCheck(t, conn, t.Errorf)
	for _, must := range []string{"communes", "hamlets", "cadres", "assignments", "audit_log", "import_jobs", "decisions", "entitlement_runs"} {
		if !tenant[must] {
			t.Errorf("%s is not found as a tenant table (row-level security and a province_code column)", must)
		}
	}
	t.Logf("tenant tables: %v", tenant)

	// The check catches a table that breaks each rule.
	ctx := context.Background()
	for _, sql := range []string{
		`CREATE TABLE bad_keys (id int, province_code text NOT NULL, PRIMARY KEY (id, province_code), UNIQUE (id))`,
		`CREATE TABLE bad_refs (province_code text NOT NULL, id int, other_province text, cadre_id uuid, PRIMARY KEY (province_code, id),
			CONSTRAINT bad_refs_cadre_fkey FOREIGN KEY (other_province, cadre_id) REFERENCES cadres (province_code, id))`,
		`ALTER TABLE bad_keys ENABLE ROW LEVEL SECURITY`,
		`ALTER TABLE bad_refs ENABLE ROW LEVEL SECURITY`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	var found []string
	tenantKeyCheck(t, conn, func(format string, args ...any) { found = append(found, fmt.Sprintf(format, args...)) })
	for _, want := range []string{"bad_keys: primary key", "bad_keys: unique index", "bad_refs_cadre_fkey"} {
		if !strings.Contains(strings.Join(found, "\n"), want) {
			t.Errorf("the catalogue check misses %q; it reported:\n%s", want, strings.Join(found, "\n"))
		}
	}
}

// users (the console's officers) are, like api_keys, the service's credentials: looked up by name before
// any province is known, national users have none, and under Citus they are a reference table; their row
// security only scopes who may change them. They are not tenant rows.
//
// tenantKeyCheck reports (through errorf) every tenant table whose keys break the rules and returns the
// tenant tables.
func tenantKeyCheck(t *testing.T, conn *pgx.Conn, errorf func(format string, args ...any)) map[string]bool {
	t.Helper()
	ctx := context.Background()

	tenant := map[string]bool{}
	rows, err := conn.Query(ctx, `
		SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relrowsecurity AND c.relname NOT IN ('provinces', 'users')
		  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'province_code' AND NOT a.attisdropped)
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tenant[name] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	// Unique constraints and indexes (the primary key among them), with their columns in order.
	rows, err = conn.Query(ctx, `
		SELECT c.relname, i.relname, x.indisprimary,
		       array(SELECT coalesce(a.attname, '(expression)') FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(att, ord)
		             LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.att ORDER BY k.ord)
		FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND x.indisunique`)
	if err != nil {
		t.Fatal(err)
	}
	hasPK := map[string]bool{}
	for rows.Next() {
		var table, index string
		var primary bool
		var cols []string
		if err := rows.Scan(&table, &index, &primary, &cols); err != nil {
			t.Fatal(err)
		}
		if !tenant[table] {
			continue
		}
		if primary {
			hasPK[table] = true
			if cols[0] != "province_code" {
				errorf("%s: primary key (%s) is not led by province_code", table, strings.Join(cols, ", "))
			}
		} else if !hasColumn(cols, "province_code") {
			errorf("%s: unique index %s (%s) does not include province_code", table, index, strings.Join(cols, ", "))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for table := range tenant {
		if !hasPK[table] {
			errorf("%s has no primary key", table)
		}
	}

	// Foreign keys between tenant tables: composite, province_code referencing province_code.
	rows, err = conn.Query(ctx, `
		SELECT con.conname, src.relname, dst.relname,
		       array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(att, ord)
		             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.att ORDER BY k.ord),
		       array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(att, ord)
		             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.att ORDER BY k.ord)
		FROM pg_constraint con JOIN pg_class src ON src.oid = con.conrelid JOIN pg_class dst ON dst.oid = con.confrelid
		JOIN pg_namespace n ON n.oid = con.connamespace
		WHERE con.contype = 'f' AND n.nspname = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for rows.Next() {
		var name, from, to string
		var cols, refs []string
		if err := rows.Scan(&name, &from, &to, &cols, &refs); err != nil {
			t.Fatal(err)
		}
		if !tenant[from] || !tenant[to] {
			continue
		}
		checked++
		paired := false
		for i := range cols {
			if cols[i] == "province_code" && refs[i] == "province_code" {
				paired = true
			}
		}
		if len(cols) < 2 || !paired {
			errorf("%s: %s (%s) → %s (%s) is not composite with province_code → province_code",
				name, from, strings.Join(cols, ", "), to, strings.Join(refs, ", "))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if checked < 5 {
		t.Errorf("only %d foreign keys between tenant tables found; the catalogue query is wrong", checked)
	}
	return tenant
}

func hasColumn(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
