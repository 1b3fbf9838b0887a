package store_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// TestTenancyBehindTransactionPooler runs only with TEST_PGBOUNCER_URL (make test sets it when the
// pgbouncer package is installed): the store connects through PgBouncer in transaction mode, and PgBouncer
// is told to replace its server connections (RECONNECT — what server_lifetime and server_idle_timeout do in
// production). The next transactions run on server connections that never saw anything but a transaction
// of ours: they must still run as the application role, see only the tenant's rows, and write nothing
// elsewhere. Session-level state (a SET ROLE when the client connection was opened) would be gone.
func TestTenancyBehindTransactionPooler(t *testing.T) {
	t.Parallel()
	if testdb.PoolerURL(t, "x") == "" {
		t.Skip("TEST_PGBOUNCER_URL is not set (make test sets it when pgbouncer is installed)")
	}
	st := twoProvinces(t)
	ctx := context.Background()
	var dbName string
	p01 := store.Principal{Role: store.RoleProvinceEditor, Province: "01"}
	check := func(when string) {
		t.Helper()
		err := st.InTx(ctx, p01, func(tx *store.Tx) error {
			var user string
			var foreign int
			if err := tx.QueryRow(ctx, `SELECT current_user, current_database(),
				(SELECT count(*) FROM communes WHERE province_code = '79')`).Scan(&user, &dbName, &foreign); err != nil {
				return err
			}
			if user != store.AppRole || foreign != 0 {
				t.Errorf("%s: the transaction runs as %q and sees %d communes of another province, want %s and 0",
					when, user, foreign, store.AppRole)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		err = st.InTx(ctx, p01, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO communes (province_code, code, name, kind, class, effective_from)
				VALUES ('79', '79999', 'Xã X', 'xa', 1, '2025-07-01')`)
			return err
		})
		if err == nil {
			t.Errorf("%s: an editor of 01 wrote a commune of 79", when)
		}
	}
	check("before RECONNECT")

	admin := adminConsole(t)
	for round := 0; round < 3; round++ {
		if _, err := admin.Exec(ctx, "RECONNECT "+dbName); err != nil {
			t.Fatalf("RECONNECT %s: %v", dbName, err)
		}
		time.Sleep(50 * time.Millisecond)
		check("after RECONNECT")
	}
}

// adminConsole connects to PgBouncer's admin console (database "pgbouncer", simple protocol only).
func adminConsole(t *testing.T) *pgx.Conn {
	t.Helper()
	u, err := url.Parse(testdb.PoolerURL(t, "pgbouncer"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("default_query_exec_mode", "simple_protocol")
	u.RawQuery = q.Encode()
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("PgBouncer admin console: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
