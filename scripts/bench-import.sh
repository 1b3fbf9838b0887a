#!/usr/bin/env bash
# make bench-import [ROWS=200000]: CSV import through the HTTP endpoint vs psql \copy, on a throwaway
# cluster; prints both times, the ratio, a re-import and the server's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-200000}
. scripts/lib.sh bench
throwaway_db
go build -o "$tmp/benchimport" ./cmd/benchimport
"$PSQL" "$DATABASE_URL" -qc "INSERT INTO provinces (province_code, name) VALUES ('98', 'Tỉnh Đo Hiệu Năng')"
TOKEN=$("$tmp/server" keys create --role province_editor --province 98 --name bench)
start_server "${BENCH_LOG:-$tmp/server.log}"
"$tmp/benchimport" -url "http://127.0.0.1:$port" -token "$TOKEN" -province 98 -rows "$ROWS" -db "$DATABASE_URL" \
  -psql "$PSQL" -pid "$server_pid" -csv "$tmp/cadres.csv"
