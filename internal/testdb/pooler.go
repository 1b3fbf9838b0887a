package testdb

import (
	"net/url"
	"os"
	"testing"
)

// PoolerEnv names a PgBouncer (transaction pooling) in front of the TEST_DATABASE_URL cluster, as a
// postgres:// URL; scripts/test.sh sets it for a second pass of the tenancy and import tests. When it is
// set, Open connects the store through the pooler (fixtures stay on direct owner connections).
const PoolerEnv = "TEST_PGBOUNCER_URL"

// PoolerURL returns the URL of the pooler routed to database dbName, with the query mode the README
// prescribes behind a transaction pooler (default_query_exec_mode=cache_describe: no named prepared statements),
// or "" when no pooler is configured.
func PoolerURL(t testing.TB, dbName string) string {
	t.Helper()
	p := os.Getenv(PoolerEnv)
	if p == "" {
		return ""
	}
	u, err := url.Parse(p)
	if err != nil {
		t.Fatalf("parse %s: %v", PoolerEnv, err)
	}
	u.Path = "/" + dbName
	q := u.Query()
	if q.Get("default_query_exec_mode") == "" {
		q.Set("default_query_exec_mode", "cache_describe")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// storeURL is the URL the store of a test connects with: through the pooler when one is configured.
func storeURL(t testing.TB, dbURL string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatalf("parse database URL: %v", err)
	}
	if p := PoolerURL(t, u.Path[1:]); p != "" {
		return p
	}
	return dbURL
}
