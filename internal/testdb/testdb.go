// Package testdb gives tests a real, freshly migrated PostgreSQL database of their own.
//
// TEST_DATABASE_URL names a superuser connection to a cluster (make test starts a throwaway one). When it
// is unset, database tests skip with a message; when it is set, any failure to reach the database fails
// the test — so under `make test` nothing silently skips.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"communehr/internal/store"
)

// AdminURL returns TEST_DATABASE_URL or skips the test.
func AdminURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("TEST_DATABASE_URL")
	if u == "" {
		t.Skip("TEST_DATABASE_URL is not set: skipping a PostgreSQL test (make test sets it)")
	}
	return u
}

// Empty creates an empty database and returns its URL; it is dropped when the test ends.
func Empty(t testing.TB) string {
	t.Helper()
	return create(t, "")
}

// create makes a database of its own for the test (a copy of tmpl when tmpl is not empty) and drops it
// when the test ends.
func create(t testing.TB, tmpl string) string {
	t.Helper()
	admin := AdminURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to TEST_DATABASE_URL: %v", err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "chr_test_" + hex.EncodeToString(b[:])
	sql := "CREATE DATABASE " + name
	if tmpl != "" {
		sql += " TEMPLATE " + tmpl
	}
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("drop test database: %v", err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	return withDatabase(t, admin, name)
}

// withDatabase returns the admin URL pointed at database name.
func withDatabase(t testing.TB, admin, name string) string {
	t.Helper()
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("parse TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// Migrated creates a database with every migration applied and returns its URL. It is a copy
// (CREATE DATABASE … TEMPLATE) of a template database migrated once per cluster and migration set, so a
// test pays for a file copy, not for running every migration again.
func Migrated(t testing.TB) string {
	t.Helper()
	tmpl, err := template(AdminURL(t))
	if err != nil {
		t.Fatalf("migrated template database: %v", err)
	}
	return create(t, tmpl)
}

// Open returns a Store (running as the application role) on a fresh migrated database, connected through
// the PgBouncer of TEST_PGBOUNCER_URL when that is set.
func Open(t testing.TB) (*store.Store, string) {
	t.Helper()
	return OpenWith(t, store.Options{})
}

// OpenWith is Open with the store's options (e.g. the heavy-work limits).
func OpenWith(t testing.TB, opt store.Options) (*store.Store, string) {
	t.Helper()
	dbURL := Migrated(t)
	st, err := store.OpenWith(context.Background(), storeURL(t, dbURL), opt)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(st.Close)
	return st, dbURL
}

// Admin opens an owner connection (no SET ROLE) for fixtures that the application role may not write,
// such as API keys.
func Admin(t testing.TB, dbURL string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatalf("admin connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// Key creates an API key and returns its token.
func Key(t testing.TB, conn *pgx.Conn, role, province string) (int64, string) {
	t.Helper()
	k, tok, err := store.CreateKey(context.Background(), conn, role, province, "test "+role)
	if err != nil {
		t.Fatalf("create %s key: %v", role, err)
	}
	return k.ID, tok
}

// Province creates a province as the owner.
func Province(t testing.TB, conn *pgx.Conn, code, name string) {
	t.Helper()
	if _, err := conn.Exec(context.Background(), `INSERT INTO provinces (province_code, name) VALUES ($1, $2)`, code, name); err != nil {
		t.Fatalf("create province %s: %v", code, err)
	}
}
