package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// Review finding 9: docker-compose.yml serves as a role that is neither superuser nor owner. The compose
// file runs scripts/serve-role.sql (the set-up `make run` uses) and points the server at the role it
// creates; the same SQL, run here as compose runs it (psql -f), gives a role that `serve` does not warn
// about and that serves a request.
func TestComposeServesAsThePlainLoginRole(t *testing.T) {
	t.Parallel()
	compose, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	c := string(compose)
	serveURL := regexp.MustCompile(`(?m)^\s+DATABASE_URL: postgres://([a-z_]+):`).FindAllStringSubmatch(c, -1)
	if !strings.Contains(c, "./scripts/serve-role.sql:/serve-role.sql") || !strings.Contains(c, `"role=communehr_server"`) ||
		len(serveURL) != 2 || serveURL[0][1] != "communehr" || serveURL[1][1] != "communehr_server" {
		t.Fatalf("docker-compose.yml: the admin service must migrate as the owner and the server serve as communehr_server after serve-role.sql:\n%s", c)
	}

	dbURL := testdb.Migrated(t) // the test cluster's superuser, as the postgres image's user is
	const role, pw = "communehr_server_compose", "compose-test-pw"
	out, err := exec.Command(psqlPath(t), dbURL, "-q", "-v", "ON_ERROR_STOP=1", "-v", "role="+role, "-v", "pw="+pw,
		"-f", "../../scripts/serve-role.sql").CombinedOutput()
	if err != nil {
		t.Fatalf("serve-role.sql: %v\n%s", err, out)
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(role, pw)
	conn, err := pgx.Connect(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	var limit string
	err = conn.QueryRow(context.Background(), `SHOW temp_file_limit`).Scan(&limit)
	conn.Close(context.Background())
	if err != nil || limit != "8GB" {
		t.Fatalf("the role's temp_file_limit is %q (%v), want 8GB: a hostile query must not fill the shared disk", limit, err)
	}
	_, token := testdb.Key(t, testdb.Admin(t, dbURL), store.RoleOperator, "")

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	logs := &syncBuffer{}
	done, ready := make(chan error, 1), make(chan string, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, envOf(map[string]string{"DATABASE_URL": u.String(), "ADDR": "127.0.0.1:0"}),
			io.Discard, logs, func(addr string) { ready <- addr })
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve: %v\n%s", err, logs)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/v1/provinces", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	stop()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET /v1/provinces as %s: %d\n%s", role, resp.StatusCode, logs)
	}
	if l := logs.String(); strings.Contains(l, "WARN") {
		t.Fatalf("a warning when serving as the role serve-role.sql creates:\n%s", l)
	}
}

// psqlPath finds psql on PATH or among the machine's PostgreSQL binaries (as scripts/pg.sh does).
func psqlPath(t *testing.T) string {
	if p, err := exec.LookPath("psql"); err == nil {
		return p
	}
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/psql")
	if len(m) == 0 {
		t.Fatal("psql not found (PATH, /usr/lib/postgresql/*/bin)")
	}
	return m[len(m)-1]
}
