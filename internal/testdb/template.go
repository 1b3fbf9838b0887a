package testdb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"communehr/internal/store"
	"communehr/migrations"
)

// templates remembers, per cluster (admin URL), the template database this test process has made sure
// of, so that only the first Migrated call of a package talks to the lock.
var templates sync.Map // admin URL → func() (string, error)

// template returns the name of a database with every migration applied, marked as a template. Its name
// carries a hash of the embedded migrations, so every test process of every package (they run at the
// same time) shares it, and a changed migration gets a new one. One process builds it under an advisory
// lock, into a scratch database that is renamed only once fully migrated: a crashed build leaves no
// half-migrated template behind.
func template(admin string) (string, error) {
	f, _ := templates.LoadOrStore(admin, sync.OnceValues(func() (string, error) { return ensureTemplate(admin) }))
	return f.(func() (string, error))()
}

// templateLock is the pg_advisory_lock key that serialises template builds across test processes.
const templateLock = 0x63687274 // "chrt"

func ensureTemplate(admin string) (string, error) {
	sum, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := "chr_tmpl_" + sum
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", fmt.Errorf("connect to TEST_DATABASE_URL: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", templateLock); err != nil {
		return "", fmt.Errorf("lock: %w", err)
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", templateLock) //nolint:errcheck
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	build := name + "_build"
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+build+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+build); err != nil {
		return "", err
	}
	u, err := url.Parse(admin)
	if err != nil {
		return "", err
	}
	u.Path = "/" + build
	mg, err := store.NewMigrator(u.String())
	if err != nil {
		return "", fmt.Errorf("migrator: %w", err)
	}
	upErr := mg.Up()
	if err := mg.Close(); err != nil && upErr == nil {
		upErr = err
	}
	if upErr != nil {
		return "", fmt.Errorf("migrate up: %w", upErr)
	}
	for _, sql := range []string{
		"ALTER DATABASE " + build + " RENAME TO " + name,
		"ALTER DATABASE " + name + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false",
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return "", err
		}
	}
	return name, nil
}

// migrationsHash is a short hash of every embedded migration's name and content.
func migrationsHash() (string, error) {
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, err := fs.ReadFile(migrations.FS, n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
