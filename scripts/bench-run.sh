#!/usr/bin/env bash
# make bench-run: a throwaway PostgreSQL cluster, one province seeded with PEOPLE people in post (30,000 by
# default) and its schedule, then POST /v1/provinces/98/entitlement-runs timed through the HTTP API; prints
# the total, the time per person and the split reading (SQL) / computing / writing recorded by the run.
# BENCH_DATABASE_URL (a superuser URL) uses an existing cluster instead.
set -euo pipefail
cd "$(dirname "$0")/.."
url=${BENCH_DATABASE_URL:-}
if [ -z "$url" ]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/communehr-bench.XXXXXX")
  cleanup() { scripts/pg.sh stop "$tmp/pg" || true; rm -rf "$tmp"; }
  trap cleanup EXIT INT TERM
  url=$(PGSH_FAST=1 scripts/pg.sh start "$tmp/pg" 0)
fi
go run ./cmd/benchrun -db "$url" ${BENCH_CPUPROFILE:+-cpuprofile "$BENCH_CPUPROFILE"} -people "${PEOPLE:-30000}" -runs "${BENCH_RUNS:-3}" -exit-date "${BENCH_EXIT_DATE:-2025-08-01}"
