#!/usr/bin/env bash
# make bench-console: the console's main pages of the demo province (dashboard, CCCD and name search, communes,
# hamlets, the schedule, imports, reports, the national summary for the Ministry, a
# person with an exit computation, a decision, the printable decision, the runs page, the reorganisation
# page and its preview of the 2025 merger of the demo's real province 08, for its editor and for the
# Ministry) rendered through the real router on
# a throwaway PostgreSQL cluster; prints ms per page (goal < 100 ms) and KB per page (goal < 200 KB).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/communehr-bench-console.XXXXXX")
cleanup() { scripts/pg.sh stop "$tmp/pg" || true; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
export TEST_DATABASE_URL=$(PGSH_FAST=1 scripts/pg.sh start "$tmp/pg" 0)
go test ./internal/web -run '^$' -bench ConsolePages -benchtime "${BENCH_TIME:-30x}" -count 1 |
  awk '/^Benchmark/ { printf "%-60s %8.1f ms/page %8.1f KB/page\n", $1, $3/1e6, $5; next } { print }'
