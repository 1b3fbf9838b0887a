#!/usr/bin/env bash
# make bench-xlsx [ROWS=100000]: an .xlsx import through the HTTP endpoint vs the same rows as CSV, and an
# xlsx export of the imported people, on a throwaway cluster; prints times, the ratio and the server's
# peak RSS after each.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-100000}
. scripts/lib.sh bench-xlsx
throwaway_db
go build -o "$tmp/benchxlsx" ./cmd/benchxlsx
"$PSQL" "$DATABASE_URL" -qc "INSERT INTO provinces (province_code, name) VALUES ('97', 'Tỉnh Đo Excel'), ('98', 'Tỉnh Đo CSV')"
TOKX=$("$tmp/server" keys create --role province_editor --province 97 --name bench-xlsx)
TOKC=$("$tmp/server" keys create --role province_editor --province 98 --name bench-csv)
start_server "${BENCH_LOG:-$tmp/server.log}"
"$tmp/benchxlsx" -url "http://127.0.0.1:$port" -token-xlsx "$TOKX" -province-xlsx 97 -token-csv "$TOKC" \
  -province-csv 98 -rows "$ROWS" -dir "$tmp" -pid "$server_pid"
