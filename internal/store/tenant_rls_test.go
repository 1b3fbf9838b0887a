package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"communehr/internal/testdb"
)

// policyShape lists a table's row security and its policies with the table's name taken out of the
// policy names: "rls=t force=t", then "suffix cmd permissive roles USING … CHECK …" per policy, sorted.
func policyShape(t *testing.T, conn *pgx.Conn, table string) string {
	t.Helper()
	ctx := context.Background()
	var rls, force bool
	if err := conn.QueryRow(ctx, `SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = $1::regclass`,
		table).Scan(&rls, &force); err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	rows, err := conn.Query(ctx, `
		SELECT substr(p.polname, length(c.relname) + 1), p.polcmd::text, p.polpermissive, p.polroles::regrole[]::text,
		       coalesce(pg_get_expr(p.polqual, p.polrelid), ''), coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')
		FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
		WHERE p.polrelid = $1::regclass ORDER BY 1`, table)
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{fmt.Sprintf("rls=%v force=%v", rls, force)}
	for rows.Next() {
		var suffix, cmd, roles, using, check string
		var permissive bool
		if err := rows.Scan(&suffix, &cmd, &permissive, &roles, &using, &check); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("%s %s permissive=%v roles=%s USING %s CHECK %s", suffix, cmd, permissive, roles, using, check))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// A table given its row security by enable_tenant_rls (migration 0033) has exactly the policies of the
// tenant tables made by hand before it: same commands, roles and expressions, RLS enabled and forced.
func TestEnableTenantRLSMatchesTheTenantTables(t *testing.T) {
	t.Parallel()
	conn := testdb.Admin(t, testdb.Migrated(t))
	ctx := context.Background()
	for _, sql := range []string{
		`CREATE TABLE rls_probe (province_code text NOT NULL REFERENCES provinces, id int, PRIMARY KEY (province_code, id))`,
		`SELECT enable_tenant_rls('rls_probe')`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	got := policyShape(t, conn, "rls_probe")
	if !strings.Contains(got, "_delete") || !strings.HasPrefix(got, "rls=true force=true") {
		t.Fatalf("enable_tenant_rls made:\n%s", got)
	}
	for _, table := range []string{"communes", "hamlets", "cadres", "assignments", "allowance_schedules"} {
		if want := policyShape(t, conn, table); got != want {
			t.Errorf("policies differ from %s's:\n got (rls_probe):\n%s\n want (%s):\n%s", table, got, table, want)
		}
	}

	// A table without province_code is refused, and the application role may not call the helper.
	if _, err := conn.Exec(ctx, `CREATE TABLE rls_no_tenant (id int PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `SELECT enable_tenant_rls('rls_no_tenant')`); err == nil || !strings.Contains(err.Error(), "province_code") {
		t.Errorf("a table without province_code: %v", err)
	}
	var appMay bool
	if err := conn.QueryRow(ctx, `SELECT has_function_privilege('communehr_app', 'enable_tenant_rls(regclass)', 'EXECUTE')`).Scan(&appMay); err != nil {
		t.Fatal(err)
	}
	if appMay {
		t.Error("the application role may call enable_tenant_rls")
	}
}
