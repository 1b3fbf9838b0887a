package store_test

import (
	"context"
	"strings"
	"testing"

	"communehr/internal/testdb"
)

// Issue 10 item 3 (make bench-import): the audit triggers of imports pass every written row through
// audit_view. PostgreSQL inlined it nowhere (declared IMMUTABLE over a STABLE body), so every audited row
// paid a function call; for any entity but people it must reduce to the row itself, and people's
// national IDs stay masked.
func TestImportAuditViewIsInlined(t *testing.T) {
	conn := testdb.Admin(t, testdb.Migrated(t))
	ctx := context.Background()
	rows, err := conn.Query(ctx, `EXPLAIN (VERBOSE, COSTS OFF) SELECT audit_view('assignment', to_jsonb(a)) FROM assignments a`)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if p := strings.Join(lines, "\n"); strings.Contains(p, "audit_view") || !strings.Contains(p, "to_jsonb(a.*)") {
		t.Errorf("audit_view is called once per row instead of inlined:\n%s", p)
	}
	for in, want := range map[string]string{
		`{"national_id": "001080012345", "full_name": "Lê Văn An"}`: `{"full_name": "Lê Văn An", "national_id": "0010*****345"}`,
		`{"national_id": "12345"}`:                                  `{"national_id": "*****"}`,
		`{"full_name": "Lê Văn An"}`:                                `{"full_name": "Lê Văn An"}`,
	} {
		var got string
		if err := conn.QueryRow(ctx, `SELECT audit_view('cadre', $1::jsonb)::text`, in).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("audit_view(cadre, %s) = %s, want %s", in, got, want)
		}
	}
}
