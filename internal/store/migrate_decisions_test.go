package store_test

import (
	"context"
	"testing"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// Migration 0015 on a database that already holds what issue 12 found: one person with two current
// decisions for the same exit. The newest stays current, the older is marked superseded by it, and the
// unique index then refuses a third.
func TestDecisionLifecycleMigrationKeepsTheNewestOfDuplicateCurrentDecisions(t *testing.T) {
	t.Parallel()
	dbURL := testdb.Empty(t)
	mg, err := store.NewMigrator(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer mg.Close()
	if err := mg.Up(); err != nil {
		t.Fatal(err)
	}
	for {
		v, _, err := mg.Version()
		if err != nil {
			t.Fatal(err)
		}
		if v < 15 {
			break
		}
		if err := mg.Steps(-1); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	conn := testdb.Admin(t, dbURL)
	testdb.Province(t, conn, "01", "Hà Nội")
	for _, sql := range []string{
		`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date)
			VALUES ('01', '00000000-0000-0000-0000-00000000000a', '001097000001', 'Nguyễn Văn An', 'male', '1997-03-02')`,
		`INSERT INTO decisions (province_code, id, cadre_id, reason, kind, exit_date, total, ruleset_version, inputs, request,
			parameters, result, created_at) VALUES
			('01', '00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-00000000000a', 'reorganisation', 'non_professional',
			 '2025-08-01', 171814500, 'v1', '{}', '{}', '[]', '{}', '2025-08-02 10:00Z'),
			('01', '00000000-0000-0000-0000-0000000000d2', '00000000-0000-0000-0000-00000000000a', 'reorganisation', 'non_professional',
			 '2025-08-01', 171814500, 'v1', '{}', '{}', '[]', '{}', '2025-08-02 10:05Z')`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	if err := mg.Up(); err != nil {
		t.Fatalf("up over duplicate decisions: %v", err)
	}
	rows, err := conn.Query(ctx, `SELECT id::text, status, coalesce(superseded_by::text, '') FROM decisions ORDER BY created_at`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id, status, by string
		if err := rows.Scan(&id, &status, &by); err != nil {
			t.Fatal(err)
		}
		got = append(got, id[len(id)-2:]+" "+status+" "+by)
	}
	if len(got) != 2 || got[0] != "d1 superseded 00000000-0000-0000-0000-0000000000d2" || got[1] != "d2 draft " {
		t.Fatalf("after migration %q", got)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO decisions (province_code, cadre_id, reason, kind, exit_date, total, ruleset_version,
		inputs, request, parameters, result) VALUES ('01', '00000000-0000-0000-0000-00000000000a', 'reorganisation',
		'non_professional', '2025-08-01', 1, 'v1', '{}', '{}', '[]', '{}')`); err == nil {
		t.Fatal("a second current decision for the same exit was stored")
	}
}
