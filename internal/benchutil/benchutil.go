// Package benchutil holds what the benchmark commands share: a throwaway, migrated database.
package benchutil

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"

	"communehr/internal/store"
)

// NewDB creates a database named prefix_<unix seconds> on the cluster at adminURL (a superuser URL),
// migrates it and returns its URL with a cleanup that drops it (unless keep) and closes the admin
// connection. When migrating fails, the cleanup has already run.
func NewDB(ctx context.Context, adminURL, prefix string, keep bool) (dbURL string, cleanup func(), err error) {
	if adminURL == "" {
		return "", nil, fmt.Errorf("-db (or DATABASE_URL) is required")
	}
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("%s_%d", prefix, time.Now().Unix())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", nil, err
	}
	cleanup = func() {
		if !keep {
			_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		}
		admin.Close(context.Background())
	}
	u, _ := url.Parse(adminURL)
	u.Path = "/" + name
	dbURL = u.String()
	if err := migrate(dbURL); err != nil {
		cleanup()
		return "", nil, err
	}
	return dbURL, cleanup, nil
}

func migrate(dbURL string) error {
	mg, err := store.NewMigrator(dbURL)
	if err != nil {
		return err
	}
	defer mg.Close()
	return mg.Up()
}
