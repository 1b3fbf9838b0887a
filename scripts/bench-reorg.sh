#!/usr/bin/env bash
# make bench-reorg: a throwaway PostgreSQL cluster; the reference units of all 34 provinces loaded one by
# one (targets: < 1 s each, < 10 s in all), then the 2025 merger of the province with the most pre-2025
# units, seeded with PEOPLE people (5,000 by default) and 4 posts each: preview (target < 3 s) and apply
# (target < 5 s) through the HTTP API, with the row counts. BENCH_DATABASE_URL (a superuser URL) uses an
# existing cluster instead.
set -euo pipefail
cd "$(dirname "$0")/.."
url=${BENCH_DATABASE_URL:-}
if [ -z "$url" ]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/communehr-bench.XXXXXX")
  cleanup() { scripts/pg.sh stop "$tmp/pg" || true; rm -rf "$tmp"; }
  trap cleanup EXIT INT TERM
  url=$(PGSH_FAST=1 scripts/pg.sh start "$tmp/pg" 0)
fi
go run ./cmd/benchreorg -db "$url" -people "${PEOPLE:-5000}" -runs "${BENCH_RUNS:-3}"
