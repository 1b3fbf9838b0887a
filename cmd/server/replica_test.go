package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"communehr/internal/testdb"
)

// TestReadReplica runs the server with DATABASE_READ_URL on a real streaming replica (pg_basebackup -R of
// a primary started from the same binaries). With replay paused on the replica, a change made on the
// primary is missing from what the Ministry's national summary and a viewer's report show (they read the
// replica), and present in what an operator's summary and an editor's report show (callers who write read
// the primary). Once replay resumes, the replica's readers see it too.
func TestReadReplica(t *testing.T) {
	t.Parallel()       // own clusters / databases and listeners: overlaps with the other cluster tests
	testdb.AdminURL(t) // a database test: skipped without TEST_DATABASE_URL, like the others
	dir := t.TempDir()
	primaryAdmin := newCluster(t, filepath.Join(dir, "primary"))
	ctx := context.Background()
	pc, err := pgx.Connect(ctx, primaryAdmin)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close(ctx)
	if _, err := pc.Exec(ctx, "CREATE DATABASE communehr"); err != nil {
		t.Fatal(err)
	}
	primary := withDB(t, primaryAdmin, "communehr")
	env := envOf(map[string]string{"DATABASE_URL": primary})
	for _, args := range [][]string{{"migrate", "up"}, {"seed", "demo"}} {
		if err := run(ctx, args, env, io.Discard, io.Discard, nil); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	owner, err := pgx.Connect(ctx, primary)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	keys := map[string]string{}
	for _, k := range [][]string{{"ministry"}, {"operator"}, {"province_viewer", "--province", "99"}, {"province_editor", "--province", "99"}} {
		var out bytes.Buffer
		if err := run(ctx, append([]string{"keys", "create", "--role"}, k...), env, &out, io.Discard, nil); err != nil {
			t.Fatalf("keys create %v: %v", k, err)
		}
		keys[k[0]] = strings.TrimSpace(out.String())
	}

	replicaAdmin := script(t, nil, "pg-replica.sh", "start", filepath.Join(dir, "replica"), primaryAdmin)
	t.Cleanup(func() { script(t, nil, "pg.sh", "stop", filepath.Join(dir, "replica")) })
	rc, err := pgx.Connect(ctx, replicaAdmin)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close(ctx)
	caughtUp := func() {
		t.Helper()
		var target string
		if err := pc.QueryRow(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&target); err != nil {
			t.Fatal(err)
		}
		for i := 0; ; i++ {
			var done bool
			if err := rc.QueryRow(ctx, "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", target).Scan(&done); err != nil {
				t.Fatal(err)
			}
			if done {
				return
			}
			if i == 300 {
				t.Fatalf("the replica did not replay up to %s in 30 s", target)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	caughtUp()

	// A primary named in DATABASE_READ_URL by mistake: serve refuses to start.
	err = run(ctx, []string{"serve"}, envOf(map[string]string{"DATABASE_URL": primary, "DATABASE_READ_URL": primary, "ADDR": "127.0.0.1:0"}),
		io.Discard, io.Discard, func(string) { t.Error("serve started with a primary as its read replica") })
	if err == nil || !strings.Contains(err.Error(), "DATABASE_READ_URL") {
		t.Fatalf("DATABASE_READ_URL on a primary: %v, want a refusal naming DATABASE_READ_URL", err)
	}

	addr, _ := startServe(t, map[string]string{"DATABASE_URL": primary, "DATABASE_READ_URL": withDB(t, replicaAdmin, "communehr"), "ADDR": "127.0.0.1:0"})
	api := "http://" + addr + "/v1"
	provinceName := func(role string) string {
		t.Helper()
		code, body := call(t, "GET", api+"/national/summary", keys[role], "", "")
		var s struct {
			Provinces []struct{ Province, Name string } `json:"provinces"`
		}
		if err := json.Unmarshal([]byte(body), &s); code != 200 || err != nil {
			t.Fatalf("national summary as %s: %d %s", role, code, body)
		}
		for _, p := range s.Provinces {
			if p.Province == "99" {
				return p.Name
			}
		}
		t.Fatalf("national summary as %s has no province 99: %s", role, body)
		return ""
	}
	var commune, communeName string
	if err := owner.QueryRow(ctx, `SELECT code, name FROM communes WHERE province_code = '99' ORDER BY code LIMIT 1`).Scan(&commune, &communeName); err != nil {
		t.Fatal(err)
	}
	reportNames := func(role string) string {
		t.Helper()
		code, body := call(t, "GET", api+"/provinces/99/allowances", keys[role], "", "")
		if code != 200 {
			t.Fatalf("allowance report as %s: %d %s", role, code, body)
		}
		return body
	}
	before := provinceName("ministry")
	if !strings.Contains(reportNames("province_viewer"), communeName) {
		t.Fatalf("the viewer's report does not name commune %s %q", commune, communeName)
	}

	if _, err := rc.Exec(ctx, "SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`UPDATE provinces SET name = name || ' (đổi tên)' WHERE province_code = '99'`,
		`UPDATE communes SET name = name || ' (đổi tên)' WHERE province_code = '99' AND code = '` + commune + `'`,
	} {
		if _, err := owner.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	renamed := communeName + " (đổi tên)"
	if got := provinceName("ministry"); got != before {
		t.Errorf("the Ministry's summary shows %q while the replica is paused at %q: it did not read the replica", got, before)
	}
	if got := provinceName("operator"); got != before+" (đổi tên)" {
		t.Errorf("the operator's summary shows %q, want the primary's %q", got, before+" (đổi tên)")
	}
	if strings.Contains(reportNames("province_viewer"), renamed) {
		t.Errorf("the viewer's report shows the primary's rename while the replica is paused: it did not read the replica")
	}
	if !strings.Contains(reportNames("province_editor"), renamed) {
		t.Errorf("the editor's report does not show the rename on the primary: an editor must read its own writes")
	}

	if _, err := rc.Exec(ctx, "SELECT pg_wal_replay_resume()"); err != nil {
		t.Fatal(err)
	}
	caughtUp()
	// The replay position can pass the commit a moment before a new snapshot on the standby sees it: wait
	// until the replica itself answers the rename, then ask the server, which must read it from there.
	rdb, err := pgx.Connect(ctx, withDB(t, replicaAdmin, "communehr"))
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close(ctx)
	for i := 0; ; i++ {
		var name string
		if err := rdb.QueryRow(ctx, `SELECT name FROM provinces WHERE province_code = '99'`).Scan(&name); err != nil {
			t.Fatal(err)
		}
		if name == before+" (đổi tên)" {
			break
		}
		if i == 300 {
			t.Fatalf("the replica does not show the rename 30 s after replaying up to it: %q", name)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := provinceName("ministry"); got != before+" (đổi tên)" {
		t.Errorf("after replay resumed the Ministry's summary shows %q, want %q", got, before+" (đổi tên)")
	}
	if !strings.Contains(reportNames("province_viewer"), renamed) {
		t.Errorf("after replay resumed the viewer's report still lacks the rename")
	}
}
