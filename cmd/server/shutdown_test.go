package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// TestSIGTERMBoundsJobs (issue 10, item 4): a synchronous import that cannot finish (it waits on a table
// lock) and a queued import are in flight when the real server gets SIGTERM with SHUTDOWN_GRACE=2s. The
// queued job ends failed/interrupted at once; at the grace deadline the synchronous import is cancelled
// and rolled back (failed/interrupted, nothing written), its client is answered 503 with Retry-After,
// and the process exits 0, well before the old 30 s grace. Before the fix the import went on after the
// grace period, the client got no answer and the process did not stop in time.
func TestSIGTERMBoundsJobs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and runs the real server")
	}
	dbURL := testdb.Migrated(t)
	admin := testdb.Admin(t, dbURL)
	bin := buildServer(t)
	env := []string{"DATABASE_URL=" + dbURL, "LOG_LEVEL=info", "PATH=" + os.Getenv("PATH"), "TMPDIR=" + t.TempDir(),
		"SHUTDOWN_GRACE=" + testGrace.String()}
	op := cli(t, bin, env, "keys", "create", "--role", "operator", "--name", "term-op")
	srv := startServer(t, bin, env)
	c := client{t: t, base: "http://" + srv.addr, token: op}
	if code, body := c.do("POST", "/v1/provinces", "application/json", strings.NewReader(`{"code":"98","name":"Tỉnh Thử Dừng"}`)); code != 201 {
		t.Fatalf("create province: %d %s", code, body)
	}
	c.token = cli(t, bin, env, "keys", "create", "--role", "province_editor", "--province", "98", "--name", "term-ed")

	lock, err := admin.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = lock.Rollback(context.Background()) }()
	if _, err := lock.Exec(context.Background(), `LOCK TABLE cadres IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}

	type answer struct {
		code       int
		body       []byte
		retryAfter string
		err        error
	}
	syncDone := make(chan answer, 1)
	go func() {
		f, err := os.Open(cadresFile(t, 500, 0))
		if err != nil {
			syncDone <- answer{err: err}
			return
		}
		defer f.Close()
		req, _ := http.NewRequest("POST", c.base+"/v1/provinces/98/imports?kind=cadres", f)
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Content-Type", "text/csv")
		res, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
		if err != nil {
			syncDone <- answer{err: err}
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		syncDone <- answer{code: res.StatusCode, body: b, retryAfter: res.Header.Get("Retry-After")}
	}()
	var syncID string
	poll(t, 20*time.Second, "the synchronous import runs", func() bool {
		_ = admin.QueryRow(context.Background(), `SELECT id::text FROM import_jobs WHERE status = 'running'`).Scan(&syncID)
		return syncID != ""
	})
	queued := c.upload(cadresFile(t, 100, 1000))
	if queued.Status != "queued" {
		t.Fatalf("second import of the province: %s, want queued", queued.Status)
	}

	sent := time.Now()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	a := <-syncDone
	answered := time.Since(sent)
	if a.err != nil || a.code != http.StatusServiceUnavailable || a.retryAfter == "" {
		t.Fatalf("the synchronous import answered %d (Retry-After %q) %v %s, want 503 with Retry-After", a.code, a.retryAfter, a.err, a.body)
	}
	var prob struct {
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}
	if err := json.Unmarshal(a.body, &prob); err != nil || prob.Status != 503 {
		t.Fatalf("503 body: %s", a.body)
	}
	if code := srv.wait(t, testGrace+afterGrace+5*time.Second); code != 0 {
		t.Fatalf("exit code %d after SIGTERM, want 0\n%s", code, srv.logs.String())
	}
	exited := time.Since(sent)
	t.Logf("SIGTERM with SHUTDOWN_GRACE=%s: the synchronous import answered after %s, the process exited after %s",
		testGrace, answered.Round(time.Millisecond), exited.Round(time.Millisecond))
	if answered < testGrace {
		t.Errorf("the import was stopped after %s, before the grace period (%s) was over", answered, testGrace)
	}
	if err := lock.Rollback(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{syncID, queued.ID} {
		var status, reason string
		if err := admin.QueryRow(context.Background(), `SELECT status, coalesce(failure_reason, '') FROM import_jobs WHERE id = $1`, id).
			Scan(&status, &reason); err != nil {
			t.Fatal(err)
		}
		if status != "failed" || reason != "interrupted" {
			t.Errorf("job %s reads %s/%s after SIGTERM, want failed/interrupted", id, status, reason)
		}
	}
	if n := countCadres(t, admin, 0, 2000); n != 0 {
		t.Fatalf("%d people written by imports stopped at shutdown", n)
	}
	testdb.CheckLogs(t, srv.logs.String())
}

func TestJobAndShutdownConfig(t *testing.T) {
	t.Parallel()
	cfg, err := loadConfig(envOf(map[string]string{"DATABASE_URL": "postgres://u@h/db"}))
	if err != nil || cfg.ShutdownGrace != defaultShutdownGrace || cfg.Jobs.MaxTotal != 2 || cfg.Jobs.MaxPerProvince != 1 ||
		cfg.Jobs.MaxQueue != 64 || cfg.Jobs.MaxQueuePerProvince != 16 {
		t.Fatalf("defaults: %+v %v", cfg, err)
	}
	cfg, err = loadConfig(envOf(map[string]string{"DATABASE_URL": "postgres://u@h/db", "SHUTDOWN_GRACE": "5s", "JOBS_MAX": "4",
		"JOBS_MAX_PER_PROVINCE": "9", "JOBS_QUEUE": "10", "JOBS_QUEUE_PER_PROVINCE": "3"}))
	if err != nil || cfg.ShutdownGrace != 5*time.Second || cfg.Jobs.MaxTotal != 4 || cfg.Jobs.MaxPerProvince != 4 ||
		cfg.Jobs.MaxQueue != 10 || cfg.Jobs.MaxQueuePerProvince != 3 {
		t.Fatalf("set: %+v %v", cfg.Jobs, err)
	}
	cfg, err = loadConfig(envOf(map[string]string{"DATABASE_URL": "postgres://u@h/db", "HEAVY_MAX": "3", "HEAVY_MAX_PER_PROVINCE": "1", "HEAVY_WAIT": "2s"}))
	if err != nil || cfg.Heavy != (store.HeavyLimits{Total: 3, PerProvince: 1, Wait: 2 * time.Second}) {
		t.Fatalf("heavy: %+v %v", cfg.Heavy, err)
	}
	for _, bad := range []map[string]string{{"SHUTDOWN_GRACE": "soon"}, {"SHUTDOWN_GRACE": "-1s"}, {"JOBS_MAX": "0"}, {"JOBS_QUEUE": "x"},
		{"HEAVY_MAX": "0"}, {"HEAVY_WAIT": "0s"}, {"HEAVY_WAIT": "1h"}} {
		bad["DATABASE_URL"] = "postgres://u@h/db"
		if _, err := loadConfig(envOf(bad)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
