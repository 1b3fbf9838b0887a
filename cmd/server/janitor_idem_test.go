package main

import (
	"context"
	"io"
	"testing"
	"time"

	"communehr/internal/testdb"
)

// TestJanitorDeletesOldIdempotencyRecords (issue 10 items 2 and 13, retention): a stored Idempotency-Key
// response holds a whole first answer (a person's full national ID included) and was kept forever. The
// server deletes the records made more than IDEMPOTENCY_RETENTION ago, keeps the newer ones, and keeps an
// old claim whose request is still running (its lease holds).
func TestJanitorDeletesOldIdempotencyRecords(t *testing.T) {
	t.Parallel()
	dbURL := testdb.Migrated(t)
	admin := testdb.Admin(t, dbURL)
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	ctx := context.Background()
	for key, row := range map[string]struct {
		age    string
		status int
		lease  string
	}{"old": {"25 hours", 201, ""}, "new": {"23 hours", 201, ""}, "running": {"25 hours", 0, "1 minute"}, "dead": {"25 hours", 0, "-1 minute"}} {
		if _, err := admin.Exec(ctx, `INSERT INTO idempotency_keys (province_code, api_key_id, key, method, path, request_hash, status, body, created_at, lease_until)
			VALUES ('01', 1, $1, 'POST', '/v1/provinces/01/cadres', '\x00', $2, '{"national_id":"001085123456"}', now() - $3::interval,
			now() + nullif($4, '')::interval)`, key, row.status, row.age, row.lease); err != nil {
			t.Fatal(err)
		}
	}
	left := func() map[string]bool {
		rows, err := admin.Query(ctx, `SELECT key FROM idempotency_keys`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[string]bool{}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			m[k] = true
		}
		return m
	}
	cfg, err := loadConfig(envOf(map[string]string{"DATABASE_URL": dbURL, "ADDR": "127.0.0.1:0",
		"IDEMPOTENCY_RETENTION": "24h", "REJECTS_JANITOR_INTERVAL": "1s"}))
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- serve(sctx, cfg, io.Discard, nil) }()
	deadline := time.Now().Add(15 * time.Second)
	for k := left(); k["old"] || k["dead"]; k = left() {
		if time.Now().After(deadline) {
			t.Fatalf("records past retention still there: %v", k)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond)
	if k := left(); !k["new"] || !k["running"] || len(k) != 2 {
		t.Fatalf("left %v, want the newer record and the claim still in progress", k)
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(35 * time.Second):
		t.Fatal("serve did not stop")
	}
	for _, bad := range []string{"59m", "x"} {
		if _, err := loadConfig(envOf(map[string]string{"DATABASE_URL": "postgres://h/db", "IDEMPOTENCY_RETENTION": bad})); err == nil {
			t.Errorf("IDEMPOTENCY_RETENTION=%s accepted", bad)
		}
	}
}
