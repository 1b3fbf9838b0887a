package main

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"communehr/internal/testdb"
)

// script runs one of the repository's scripts (scripts/NAME) and returns its stdout.
func script(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join("..", "..", "scripts", name), args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("scripts/%s %s: %v\n%s", name, strings.Join(args, " "), err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

// newCluster starts a throwaway PostgreSQL cluster of its own (scripts/pg.sh, the same binaries as the
// test cluster), stopped when the test ends, and returns its superuser URL.
func newCluster(t *testing.T, dir string) string {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is needed to start a second cluster")
	}
	t.Cleanup(func() { _ = exec.Command(filepath.Join("..", "..", "scripts", "pg.sh"), "stop", dir).Run() })
	return script(t, []string{"PGSH_FAST=1"}, "pg.sh", "start", dir, "0")
}

// withDB returns u pointed at database name.
func withDB(t *testing.T, u, name string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	p.Path = "/" + name
	return p.String()
}

// TestBackupRestoreIntoANewCluster follows the README's backup procedure: a seeded register is dumped
// (scripts/backup.sh), restored into a fresh cluster (scripts/restore.sh), migrated (a no-op), and the
// server started on the copy serves the same records to the same API key.
func TestBackupRestoreIntoANewCluster(t *testing.T) {
	t.Parallel() // own clusters / databases and listeners: overlaps with the other cluster tests
	src := testdb.Empty(t)
	ctx := context.Background()
	env := envOf(map[string]string{"DATABASE_URL": src})
	if err := run(ctx, []string{"migrate", "up"}, env, io.Discard, io.Discard, nil); err != nil {
		t.Fatalf("migrate up: %v", err)
	}
	if err := run(ctx, []string{"seed", "demo"}, env, io.Discard, io.Discard, nil); err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"keys", "create", "--role", "province_viewer", "--province", "99"}, env, &out, io.Discard, nil); err != nil {
		t.Fatalf("keys create: %v", err)
	}
	token := strings.TrimSpace(out.String())
	admin := testdb.Admin(t, src)
	var commune, communeName, cadre, cadreName string
	if err := admin.QueryRow(ctx, `SELECT code, name FROM communes WHERE province_code = '99' ORDER BY code LIMIT 1`).Scan(&commune, &communeName); err != nil {
		t.Fatalf("a demo commune: %v", err)
	}
	if err := admin.QueryRow(ctx, `SELECT id::text, full_name FROM cadres WHERE province_code = '99' ORDER BY id LIMIT 1`).Scan(&cadre, &cadreName); err != nil {
		t.Fatalf("a demo person: %v", err)
	}

	dir := t.TempDir()
	dump := filepath.Join(dir, "communehr.dump")
	script(t, nil, "backup.sh", src, dump)
	dst := withDB(t, newCluster(t, filepath.Join(dir, "pg")), "communehr")
	script(t, nil, "restore.sh", dump, dst)

	denv := map[string]string{"DATABASE_URL": dst, "ADDR": "127.0.0.1:0"}
	if err := run(ctx, []string{"migrate", "up"}, envOf(denv), io.Discard, io.Discard, nil); err != nil {
		t.Fatalf("migrate up on the restored copy: %v", err)
	}
	addr, _ := startServe(t, denv)
	api := "http://" + addr + "/v1/provinces/99"
	if code, body := call(t, "GET", api+"/communes/"+commune, token, "", ""); code != 200 || !strings.Contains(body, communeName) {
		t.Fatalf("GET commune %s on the restored copy: %d %s, want 200 with %q", commune, code, body, communeName)
	}
	if code, body := call(t, "GET", api+"/cadres/"+cadre, token, "", ""); code != 200 || !strings.Contains(body, cadreName) {
		t.Fatalf("GET person %s on the restored copy: %d %s, want 200 with %q", cadre, code, body, cadreName)
	}
	// The copy is a database of its own: the key revoked at the source still works on the copy.
	if _, err := admin.Exec(ctx, `UPDATE api_keys SET revoked_at = now()`); err != nil {
		t.Fatal(err)
	}
	if code, _ := call(t, "GET", api+"/communes/"+commune, token, "", ""); code != 200 {
		t.Fatalf("the restored copy follows the source: %d after revoking the key at the source", code)
	}
}
