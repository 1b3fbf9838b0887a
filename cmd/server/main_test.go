package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"communehr/internal/testdb"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestServeEndToEnd runs the real program: migrate, create a key through the CLI, serve on port 0, call
// /healthz and /v1/me, then shut down gracefully.
func TestServeEndToEnd(t *testing.T) {
	t.Parallel()
	dbURL := testdb.Empty(t)
	env := envOf(map[string]string{"DATABASE_URL": dbURL, "ADDR": "127.0.0.1:0"})
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"migrate", "up"}, env, &out, io.Discard, nil); err != nil {
		t.Fatalf("migrate up: %v", err)
	}
	if err := run(ctx, []string{"seed", "demo"}, env, io.Discard, io.Discard, nil); err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"keys", "create", "--role", "province_viewer", "--province", "99"}, env, &out, io.Discard, nil); err != nil {
		t.Fatalf("keys create: %v", err)
	}
	token := strings.TrimSpace(out.String())
	if !strings.HasPrefix(token, "chr_") || strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("keys create printed %q, want the token alone", out.String())
	}

	sctx, stop := context.WithCancel(ctx)
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	logs := &syncBuffer{}
	go func() { done <- run(sctx, []string{"serve"}, env, io.Discard, logs, func(a string) { addrc <- a }) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve exited: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}
	get := func(path string) (int, []byte) {
		req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b
	}
	if code, body := get("/healthz"); code != 200 || !strings.Contains(string(body), "ok") {
		t.Fatalf("/healthz = %d %s", code, body)
	}
	code, body := get("/v1/me")
	var me struct {
		Role     string `json:"role"`
		Province string `json:"province"`
	}
	if err := json.Unmarshal(body, &me); code != 200 || err != nil || me.Role != "province_viewer" || me.Province != "99" {
		t.Fatalf("/v1/me = %d %s", code, body)
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown", err)
		}
	case <-time.After(35 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if strings.Contains(logs.String(), token) {
		t.Fatal("the token appears in the server log")
	}
	if !strings.Contains(logs.String(), `"route":"/v1/me"`) {
		t.Fatalf("no access log line for /v1/me in:\n%s", logs.String())
	}
}

func TestServeRefusesSchemaBehind(t *testing.T) {
	t.Parallel()
	dbURL := testdb.Empty(t)
	env := envOf(map[string]string{"DATABASE_URL": dbURL, "ADDR": "127.0.0.1:0"})
	err := run(context.Background(), []string{"serve"}, env, io.Discard, io.Discard, func(string) {
		t.Error("serve started on a database without the schema")
	})
	if err == nil || !strings.Contains(err.Error(), "server migrate up") {
		t.Fatalf("serve on an unmigrated database: %v, want a refusal naming `server migrate up`", err)
	}
}

func TestSeedDemoIsIdempotentAndDeterministic(t *testing.T) {
	t.Parallel()
	dbURL := testdb.Empty(t)
	env := envOf(map[string]string{"DATABASE_URL": dbURL})
	ctx := context.Background()
	if err := run(ctx, []string{"migrate", "up"}, env, io.Discard, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	var first, second bytes.Buffer
	if err := run(ctx, []string{"seed", "demo"}, env, io.Discard, &first, nil); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"seed", "demo"}, env, io.Discard, &second, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first.String(), "(created)") || !strings.Contains(second.String(), "(already present)") {
		t.Fatalf("seed outputs: %q then %q", first.String(), second.String())
	}
	// One line per seeded province; the counts must not change, only the outcome.
	counts := func(s string) string {
		return strings.NewReplacer("(created)", "", "(already present)", "").Replace(s)
	}
	if counts(first.String()) != counts(second.String()) {
		t.Fatalf("second seed changed the counts: %q vs %q", first.String(), second.String())
	}
}

func TestConfigValidation(t *testing.T) {
	t.Parallel()
	cases := map[string]map[string]string{
		"no database":        {},
		"bad log level":      {"DATABASE_URL": "postgres://x", "LOG_LEVEL": "loud"},
		"body limit too low": {"DATABASE_URL": "postgres://x", "MAX_BODY_BYTES": "10"},
	}
	for name, m := range cases {
		if _, err := loadConfig(envOf(m)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	cfg, err := loadConfig(envOf(map[string]string{"DATABASE_URL": "postgres://u:secret@h/db", "CORS_ORIGINS": "https://a.vn, https://b.vn"}))
	if err != nil || cfg.Addr != "127.0.0.1:8080" || len(cfg.CORSOrigins) != 2 || strings.Contains(cfg.String(), "secret") {
		t.Fatalf("cfg = %v, %v", cfg, err)
	}
}
