package store_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"communehr/internal/testdb"
)

// The comments a migrated database carries on its tables, columns and functions name only files the
// repository holds (migration 0040 replaced 0001's citations of a rules file that is not in it).
func TestSchemaCommentsCiteFilesInTheRepository(t *testing.T) {
	t.Parallel()
	conn := testdb.Admin(t, testdb.Migrated(t))
	rows, err := conn.Query(context.Background(), `
		SELECT d.objoid::regclass::text || coalesce('.' || a.attname, ''), d.description
		FROM pg_description d
		JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
		JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
		LEFT JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid AND d.objsubid > 0
		UNION ALL
		SELECT p.oid::regprocedure::text, d.description
		FROM pg_description d JOIN pg_proc p ON d.classoid = 'pg_proc'::regclass AND p.oid = d.objoid
		JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	file := regexp.MustCompile(`[A-Za-z0-9_./-]+\.md\b`)
	seen := 0
	for rows.Next() {
		var obj, text string
		if err := rows.Scan(&obj, &text); err != nil {
			t.Fatal(err)
		}
		seen++
		for _, name := range file.FindAllString(text, -1) {
			if _, err := os.Stat(filepath.Join("..", "..", name)); err != nil {
				t.Errorf("the comment on %s names %s, which the repository does not hold: %q", obj, name, text)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if seen < 10 {
		t.Fatalf("only %d comments read: the query is wrong", seen)
	}
}
