package store

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/golang-migrate/migrate/v4"
	_ "github.com/golang-migrate/migrate/v4/database/pgx/v5" // registers the pgx5:// driver
	"github.com/golang-migrate/migrate/v4/source"
	"github.com/golang-migrate/migrate/v4/source/iofs"

	"communehr/migrations"
)

// Migrator applies the embedded migrations to a database. It connects with the DATABASE_URL user (who
// must be able to create tables and the communehr_app role), not as the application role.
type Migrator struct {
	m   *migrate.Migrate
	src source.Driver
}

// NewMigrator opens the embedded migrations against databaseURL (postgres:// or postgresql:// URL).
func NewMigrator(databaseURL string) (*Migrator, error) {
	return newMigrator(migrations.FS, databaseURL)
}

func newMigrator(fsys fs.FS, databaseURL string) (*Migrator, error) {
	src, err := iofs.New(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	url := databaseURL
	for _, prefix := range []string{"postgres://", "postgresql://"} {
		if strings.HasPrefix(url, prefix) {
			url = "pgx5://" + strings.TrimPrefix(url, prefix)
		}
	}
	if !strings.HasPrefix(url, "pgx5://") {
		return nil, errors.New("DATABASE_URL must be a postgres:// URL")
	}
	m, err := migrate.NewWithSourceInstance("iofs", src, url)
	if err != nil {
		return nil, fmt.Errorf("open migrations: %w", err)
	}
	return &Migrator{m: m, src: src}, nil
}

// Close releases the migrator's connection.
func (mg *Migrator) Close() error {
	srcErr, dbErr := mg.m.Close()
	return errors.Join(srcErr, dbErr)
}

// Up applies every pending migration.
func (mg *Migrator) Up() error {
	if err := mg.m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return err
	}
	return nil
}

// Down reverts n migrations.
func (mg *Migrator) Down(n int) error {
	if n <= 0 {
		return errors.New("down needs a positive number of steps")
	}
	if err := mg.m.Steps(-n); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return err
	}
	return nil
}

// Steps applies n migrations (n > 0 up, n < 0 down).
func (mg *Migrator) Steps(n int) error { return mg.m.Steps(n) }

// Version returns the database's schema version (0 when none applied) and whether it is dirty.
func (mg *Migrator) Version() (uint, bool, error) {
	v, dirty, err := mg.m.Version()
	if errors.Is(err, migrate.ErrNilVersion) {
		return 0, false, nil
	}
	return v, dirty, err
}

// Latest returns the newest version among the embedded migrations.
func (mg *Migrator) Latest() (uint, error) {
	v, err := mg.src.First()
	if err != nil {
		return 0, err
	}
	for {
		next, err := mg.src.Next(v)
		if errors.Is(err, fs.ErrNotExist) {
			return v, nil
		}
		if err != nil {
			return 0, err
		}
		v = next
	}
}

// CheckCurrent returns an error that names the fix when the database's schema is behind (or ahead of,
// or dirty against) the migrations this binary carries.
func CheckCurrent(databaseURL string) error {
	mg, err := NewMigrator(databaseURL)
	if err != nil {
		return err
	}
	defer mg.Close()
	have, dirty, err := mg.Version()
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	want, err := mg.Latest()
	if err != nil {
		return err
	}
	switch {
	case dirty:
		return fmt.Errorf("schema version %d is dirty (a migration failed half-way); fix it by hand, then run `server migrate up`", have)
	case have < want:
		return fmt.Errorf("database schema is at version %d, this binary needs %d: run `server migrate up`", have, want)
	case have > want:
		return fmt.Errorf("database schema is at version %d, newer than this binary's %d: deploy the newer binary", have, want)
	}
	return nil
}
