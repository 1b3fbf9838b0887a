#!/usr/bin/env bash
# make bench-national: a throwaway PostgreSQL cluster, 34 provinces seeded at national scale, then
# GET /v1/national/summary timed against the equivalent hand-written SQL run with psql (ratio printed;
# goal ≤ 1.5×). BENCH_DATABASE_URL (a superuser URL) uses an existing cluster instead. BENCH_RUNS (default 9)
# timed runs after one warm-up: more than five, so that the median is taken where PostgreSQL may replace a
# prepared statement's custom plans by its generic plan (from the sixth execution on a connection; the
# summary once fell from 1.5 s to 10 s of database CPU there).
set -euo pipefail
cd "$(dirname "$0")/.."
url=${BENCH_DATABASE_URL:-}
if [ -z "$url" ]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/communehr-bench.XXXXXX")
  cleanup() { scripts/pg.sh stop "$tmp/pg" || true; rm -rf "$tmp"; }
  trap cleanup EXIT INT TERM
  url=$(PGSH_FAST=1 scripts/pg.sh start "$tmp/pg" 0)
fi
go run ./cmd/bench national -db "$url" -runs "${BENCH_RUNS:-9}" -as-of "${BENCH_AS_OF:-2025-07-15}"
