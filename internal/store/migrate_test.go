package store_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"communehr/internal/store"
	"communehr/internal/testdb"
	"communehr/migrations"
)

func TestMigrationsGoUpAndDownCleanly(t *testing.T) {
	t.Parallel()
	dbURL := testdb.Empty(t)
	mg, err := store.NewMigrator(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer mg.Close()
	latest, err := mg.Latest()
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CheckCurrent(dbURL); err == nil || !strings.Contains(err.Error(), "server migrate up") {
		t.Fatalf("an empty database passed the schema check: %v", err)
	}
	if err := mg.Up(); err != nil {
		t.Fatalf("up: %v", err)
	}
	if err := store.CheckCurrent(dbURL); err != nil {
		t.Fatalf("after up: %v", err)
	}
	ups, err := fs.Glob(migrations.FS, "*.up.sql")
	if err != nil {
		t.Fatal(err)
	}
	if err := mg.Down(len(ups)); err != nil {
		t.Fatalf("down %d: %v", len(ups), err)
	}
	conn := testdb.Admin(t, dbURL)
	var tables int
	if err := conn.QueryRow(context.Background(),
		`SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("%d tables left after migrating all the way down", tables)
	}
	// And up again: down must have left nothing that blocks a fresh up.
	if err := mg.Up(); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if v, dirty, err := mg.Version(); err != nil || dirty || v != latest {
		t.Fatalf("version %d dirty=%v err=%v, want %d", v, dirty, err, latest)
	}
}

func TestCheckCurrentRefusesSchemaBehind(t *testing.T) {
	t.Parallel()
	dbURL := testdb.Empty(t)
	mg, err := store.NewMigrator(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer mg.Close()
	latest, _ := mg.Latest()
	if latest < 2 {
		// Only one migration: "behind" is the empty schema, checked in the up/down test.
		return
	}
	if err := mg.Steps(1); err != nil {
		t.Fatal(err)
	}
	err = store.CheckCurrent(dbURL)
	if err == nil || !strings.Contains(err.Error(), "server migrate up") {
		t.Fatalf("CheckCurrent = %v, want an error naming `server migrate up`", err)
	}
}

func TestEveryTableIsCommented(t *testing.T) {
	t.Parallel()
	dbURL := testdb.Migrated(t)
	conn := testdb.Admin(t, dbURL)
	rows, err := conn.Query(context.Background(), `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations' AND obj_description(c.oid, 'pg_class') IS NULL`)
	if err != nil {
		t.Fatal(err)
	}
	missing, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Fatalf("tables without COMMENT ON: %v", missing)
	}
}
