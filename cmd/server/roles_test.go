package main

import (
	"context"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"communehr/internal/testdb"
)

// Issue 10 item 13d: serve warns when it connects as a superuser (or the schema owner), and not when it
// connects as the plain login role that scripts/pg.sh approle creates, which serves normally.
func TestServeWarnsAboutASuperuserLogin(t *testing.T) {
	t.Parallel()
	dbURL := testdb.Migrated(t) // the test cluster's superuser
	serveLogs := func(url string) string {
		t.Helper()
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		logs := &syncBuffer{}
		done := make(chan error, 1)
		ready := make(chan struct{}, 1)
		go func() {
			done <- run(ctx, []string{"serve"}, envOf(map[string]string{"DATABASE_URL": url, "ADDR": "127.0.0.1:0"}),
				io.Discard, logs, func(string) { ready <- struct{}{} })
		}()
		select {
		case <-ready:
		case err := <-done:
			t.Fatalf("serve: %v\n%s", err, logs)
		case <-time.After(20 * time.Second):
			t.Fatal("serve did not start")
		}
		stop()
		if err := <-done; err != nil {
			t.Fatalf("serve: %v", err)
		}
		return logs.String()
	}
	if l := serveLogs(dbURL); !strings.Contains(l, `"level":"WARN","msg":"database login role"`) || !strings.Contains(l, "superuser") {
		t.Fatalf("no warning when serving as a superuser:\n%s", l)
	}
	dir := t.TempDir()
	out, err := exec.Command("../../scripts/pg.sh", "approle", dir+"/pg", dbURL).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("pg.sh approle: %v %s", err, stderr)
	}
	appURL := strings.TrimSpace(string(out))
	if !strings.HasPrefix(appURL, "postgres://communehr_server:") {
		t.Fatalf("approle printed %q", appURL)
	}
	if l := serveLogs(appURL); strings.Contains(l, "WARN") {
		t.Fatalf("a warning when serving as the plain login role:\n%s", l)
	}
	// The plain role reaches no data without the application role: a RESET ROLE leaves it powerless.
	admin := testdb.Admin(t, appURL)
	for _, q := range []string{`SELECT count(*) FROM cadres`, `SELECT count(*) FROM audit_log`, `SELECT count(*) FROM idempotency_keys`} {
		if _, err := admin.Exec(context.Background(), "RESET ROLE; "+q); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Fatalf("%s as the login role after RESET ROLE: %v, want permission denied", q, err)
		}
	}
}
