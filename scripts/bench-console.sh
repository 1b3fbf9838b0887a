#!/usr/bin/env bash
# make bench-console: the console's main pages of the demo province (dashboard, CCCD and name search, communes,
# hamlets, the schedule, imports, reports, the national summary for the Ministry, a
# person with an exit computation, a decision, the printable decision, the runs page, the reorganisation
# page and its preview of the 2025 merger of the demo's real province 08, for its editor and for the
# Ministry) rendered through the real router on
# a throwaway PostgreSQL cluster; prints ms per page (goal < 100 ms) and KB per page (goal < 200 KB), and
# marks a page over either goal. Every page is asked BENCH_TIME times (default 30), one request after another,
# so the connections run their prepared statements past the fifth time, when PostgreSQL may switch them to
# a generic plan (the reorganisation preview did, at 300 ms more).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/communehr-bench-console.XXXXXX")
cleanup() { scripts/pg.sh stop "$tmp/pg" || true; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
export TEST_DATABASE_URL=$(PGSH_FAST=1 scripts/pg.sh start "$tmp/pg" 0)
go test ./internal/web -run '^$' -bench ConsolePages -benchtime "${BENCH_TIME:-30x}" -count 1 |
  awk '/^Benchmark/ { ms = $3/1e6; kb = $5
         printf "%-60s %8.1f ms/page %8.1f KB/page%s%s\n", $1, ms, kb, (ms >= 100 ? "  over 100 ms" : ""), (kb >= 200 ? "  over 200 KB" : "")
         next } { print }'
