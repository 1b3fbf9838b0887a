#!/usr/bin/env bash
# make bench-import [ROWS=200000]: CSV import through the HTTP endpoint vs psql \copy, on a throwaway
# cluster; prints both times, the ratio, a re-import and the server's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-200000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/communehr-bench.XXXXXX")
dir="$tmp/pg"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  scripts/pg.sh stop "$dir" || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
admin=$(scripts/pg.sh start "$dir" 0)
scripts/pg.sh createdb "$admin" communehr
export DATABASE_URL="${admin%/postgres\?*}/communehr?sslmode=disable"
go build -o "$tmp/server" ./cmd/server
go build -o "$tmp/benchimport" ./cmd/benchimport
"$tmp/server" migrate up >/dev/null
PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1)
[ -n "$PSQL" ] || PSQL=psql
"$PSQL" "$DATABASE_URL" -qc "INSERT INTO provinces (province_code, name) VALUES ('98', 'Tỉnh Đo Hiệu Năng')"
TOKEN=$("$tmp/server" keys create --role province_editor --province 98 --name bench)
port=$(( 20000 + RANDOM % 20000 ))
ADDR=127.0.0.1:$port LOG_LEVEL=warn "$tmp/server" serve 2>"${BENCH_LOG:-$tmp/server.log}" &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
"$tmp/benchimport" -url "http://127.0.0.1:$port" -token "$TOKEN" -province 98 -rows "$ROWS" -db "$DATABASE_URL" \
  -psql "$PSQL" -pid "$server_pid" -csv "$tmp/cadres.csv"
