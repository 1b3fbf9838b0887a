package main

import (
	"context"
	"io"
	"testing"
	"time"

	"communehr/internal/testdb"
)

// TestJanitorDeletesOldRejects (issue 10, item 2, retention): the server itself deletes the rejects
// (errors.csv) of import jobs that finished more than REJECTS_RETENTION ago, every
// REJECTS_JANITOR_INTERVAL, keeps the newer ones, and stops with the server.
func TestJanitorDeletesOldRejects(t *testing.T) {
	t.Parallel()
	dbURL := testdb.Migrated(t)
	admin := testdb.Admin(t, dbURL)
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	ctx := context.Background()
	for id, age := range map[string]string{
		"00000000-0000-4000-8000-000000000031": "31 days", "00000000-0000-4000-8000-000000000029": "29 days"} {
		if _, err := admin.Exec(ctx, `INSERT INTO import_jobs (province_code, id, kind, mode, status, failure_reason, started_at, finished_at)
			VALUES ('01', $1, 'cadres', 'apply', 'failed', 'invalid_rows', now() - $2::interval, now() - $2::interval)`, id, age); err != nil {
			t.Fatal(err)
		}
		if _, err := admin.Exec(ctx, `INSERT INTO import_rejects (province_code, job_id, line, fields, error)
			SELECT '01', $1, g, '{x}', 'e' FROM generate_series(2, 11) g`, id); err != nil {
			t.Fatal(err)
		}
	}
	count := func(id string) int {
		var n int
		if err := admin.QueryRow(ctx, `SELECT count(*) FROM import_rejects WHERE job_id = $1`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	cfg, err := loadConfig(envOf(map[string]string{"DATABASE_URL": dbURL, "ADDR": "127.0.0.1:0",
		"REJECTS_RETENTION": "720h", "REJECTS_JANITOR_INTERVAL": "1s"}))
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- serve(sctx, cfg, io.Discard, nil) }()
	deadline := time.Now().Add(15 * time.Second)
	for count("00000000-0000-4000-8000-000000000031") != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the rejects of a job finished 31 days ago are still there")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// A job that finishes now is past retention only in 30 days: kept, also by the next rounds.
	time.Sleep(1500 * time.Millisecond)
	if n := count("00000000-0000-4000-8000-000000000029"); n != 10 {
		t.Fatalf("a job finished 29 days ago kept %d of its 10 rejects", n)
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
}

func TestRetentionConfig(t *testing.T) {
	t.Parallel()
	for _, bad := range []map[string]string{{"REJECTS_RETENTION": "1h"}, {"REJECTS_RETENTION": "x"}, {"REJECTS_JANITOR_INTERVAL": "1ms"}} {
		bad["DATABASE_URL"] = "postgres://h/db"
		if _, err := loadConfig(envOf(bad)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	cfg, err := loadConfig(envOf(map[string]string{"DATABASE_URL": "postgres://h/db"}))
	if err != nil || cfg.RejectsRetention != 30*24*time.Hour || cfg.RejectsJanitorInterval != time.Hour {
		t.Fatalf("defaults %v %v (%v)", cfg.RejectsRetention, cfg.RejectsJanitorInterval, err)
	}
}
