package main

import (
	"context"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"communehr/internal/testdb"
)

// TestIdempotencyKeySurvivesACrash kills the real server (SIGKILL) while a synchronous upload with an
// Idempotency-Key runs. The key used to stay "still being processed" (409) forever; its claim is now a
// lease that only the living owner renews, so once the lease lapses (2 s here) the retry with the same
// key and file is served, and the next retry replays that response.
func TestIdempotencyKeySurvivesACrash(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the crash test builds and runs the real server")
	}
	dbURL := testdb.Migrated(t)
	admin := testdb.Admin(t, dbURL)
	bin := buildServer(t)
	env := []string{"DATABASE_URL=" + dbURL, "LOG_LEVEL=info", "PATH=" + os.Getenv("PATH"), "TMPDIR=" + t.TempDir(),
		"IDEMPOTENCY_LEASE=2s"}
	op := cli(t, bin, env, "keys", "create", "--role", "operator", "--name", "idem-op")
	srv := startServer(t, bin, env)
	c := client{t: t, base: "http://" + srv.addr, token: op}
	if code, body := c.do("POST", "/v1/provinces", "application/json", strings.NewReader(`{"code":"98","name":"Tỉnh Thử Sập"}`)); code != 201 {
		t.Fatalf("create province: %d %s", code, body)
	}
	c.token = cli(t, bin, env, "keys", "create", "--role", "province_editor", "--province", "98", "--name", "idem-ed")
	// A synchronous upload (at most syncMaxRows rows, 50,000) holds its key in progress for the whole
	// import; a larger one answers 202 as soon as its job starts, too short a window to be killed in.
	file := cadresFile(t, 45_000, 0)
	upload := func(base string) (int, http.Header) {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		req, _ := http.NewRequest("POST", base+"/v1/provinces/98/imports?kind=cadres", f)
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Idempotency-Key", "crash-1")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, nil // the server was killed under it
		}
		res.Body.Close()
		return res.StatusCode, res.Header
	}
	done := make(chan struct{})
	go func() { defer close(done); upload(c.base) }()
	inProgress := func() bool {
		var n int
		if err := admin.QueryRow(context.Background(),
			`SELECT count(*) FROM idempotency_keys WHERE key = 'crash-1' AND status = 0`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	poll(t, 60*time.Second, "the upload claims its key", inProgress)
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.wait(t, 10*time.Second)
	<-done
	if !inProgress() {
		t.Fatal("the killed request's claim is not left in progress: the test proves nothing")
	}

	srv = startServer(t, bin, env)
	c.base = "http://" + srv.addr
	var code int
	poll(t, 30*time.Second, "a retry after the crash is served", func() bool {
		code, _ = upload(c.base)
		if code != http.StatusConflict && (code < 200 || code > 299) {
			t.Fatalf("retry after the crash: %d", code)
		}
		if code == http.StatusConflict {
			time.Sleep(250 * time.Millisecond)
		}
		return code != http.StatusConflict
	})
	again, h := upload(c.base)
	if again != code || h.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("the next retry: %d replayed=%q, want %d replayed", again, h.Get("Idempotent-Replayed"), code)
	}
}
