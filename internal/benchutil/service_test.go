package benchutil

import (
	"context"
	"flag"
	"testing"

	"github.com/jackc/pgx/v5"

	"communehr/internal/api"
	"communehr/internal/store"
	"communehr/internal/testdb"
)

// Start, Serve, Key and Call give a benchmark a served, migrated database; Close drops it (unless kept).
func TestServiceStartsServesAndDrops(t *testing.T) {
	admin := testdb.AdminURL(t)
	ctx := context.Background()
	svc, err := Start(ctx, admin, "chr_benchutil_test", false)
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			svc.Close()
		}
	}()
	token, err := svc.Key(ctx, store.RoleOperator, "")
	if err != nil {
		t.Fatal(err)
	}
	svc.Serve(api.Config{})
	status, h, body, err := svc.Call("GET", "/v1/me", token, nil)
	if err != nil || status != 200 || h.Get("Content-Type") == "" {
		t.Fatalf("GET /v1/me: %d %v %s", status, err, body)
	}
	name := svc.Owner.Config().Database
	svc.Close()
	closed = true
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Errorf("database %s is still there after Close", name)
	}
}

func TestAddFlags(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://example/db")
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	f := AddFlags(fs)
	if err := fs.Parse([]string{"-keep"}); err != nil {
		t.Fatal(err)
	}
	if *f.DB != "postgres://example/db" || !*f.Keep {
		t.Errorf("-db %q -keep %v", *f.DB, *f.Keep)
	}
}
