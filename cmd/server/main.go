// Command server is communehr's single binary: the HTTP API (serve), schema migrations (migrate), API key
// management (keys) and demo data (seed).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"communehr/internal/store"
)

const usage = `usage: server [command]

commands:
  serve                      run the HTTP API (the default)
  migrate up|down N|version  apply, revert or show the embedded schema migrations
  keys create --role ROLE [--province CODE] [--name TEXT]
                             make an API key; prints the token (once) on stdout
  keys list                  list API keys (never the tokens)
  keys revoke ID             revoke a key (ID: its id in keys list)
  users create --role ROLE [--province CODE] --username NAME
                             make a console officer; prints a one-time password on the last line
  seed demo                  create the demo province with synthetic data (idempotent)
  reference-units load --province CODE | --all
                             load a 2025 province's units of both maps and their lineage from the
                             reference data embedded in the binary (idempotent)

environment: DATABASE_URL (required), ADDR (127.0.0.1:8080), LOG_LEVEL (info), CORS_ORIGINS,
MAX_BODY_BYTES (1048576), SHUTDOWN_GRACE (30s), JOBS_MAX (2), JOBS_MAX_PER_PROVINCE (1), JOBS_QUEUE (64),
JOBS_QUEUE_PER_PROVINCE (16), IDEMPOTENCY_LEASE (30s: how long an Idempotency-Key whose request died stays
"in progress" before a retry may take it over),
MAX_BODY_BYTES (1048576), METRICS_ADDR (off; e.g. 127.0.0.1:9090 serves /metrics there),
DATABASE_READ_URL (off; a streaming replica for national and report reads)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// run is the whole program, testable: args without the program name, the environment as a lookup
// function, and ready (may be nil) called with the listening address once serve accepts connections.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready func(addr string)) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	if v := getenv("IDEMPOTENCY_LEASE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second || d > time.Hour {
			return fmt.Errorf("IDEMPOTENCY_LEASE %q: want a duration between 1s and 1h, such as 30s", v)
		}
		store.IdemLease = d
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, stderr, ready)
	case "migrate":
		return migrateCmd(cfg, args, stdout)
	case "keys":
		return keysCmd(ctx, cfg, args, stdout)
	case "users":
		return usersCmd(ctx, cfg, args, stdout)
	case "seed":
		return seedCmd(ctx, cfg, args, stderr)
	case "reference-units":
		return referenceUnitsCmd(ctx, cfg, args, stdout)
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}
