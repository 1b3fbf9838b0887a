#!/usr/bin/env bash
# make bench-import [ROWS_SMALL=50000] [ROWS_LARGE=200000] [KINDS=communes,hamlets,cadres,assignments]:
# on a throwaway cluster, every import kind at two sizes (each size in its own empty province) through the
# HTTP endpoint, with a re-import of each file (all rows unchanged); prints each kind's time per row at both
# sizes, the growth ratio and posts vs people as PASS/FAIL lines, the psql \copy baseline for people and the
# server's peak RSS, and the processor time per row of the server and the database beside the elapsed
# time (information: on a busy machine it leaves out the waits for a processor). Each figure is the best
# of REPEAT runs (3). Exits 1 when a goal is missed. KINDS picks the kinds measured (the ones they need
# are imported first, unmeasured). BENCH_PROFILE=FILE logs every statement's duration on the database
# (log_min_duration_statement = 0) and copies that log to FILE at the end, for a per-statement profile.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS_SMALL=${ROWS_SMALL:-50000}
ROWS_LARGE=${ROWS_LARGE:-${ROWS:-200000}}
. scripts/lib.sh bench
throwaway_db
go build -o "$tmp/benchimport" ./cmd/benchimport
"$PSQL" "$DATABASE_URL" -qc "INSERT INTO provinces (province_code, name) VALUES ('97', 'Tỉnh Đo Hiệu Năng Nhỏ'), ('98', 'Tỉnh Đo Hiệu Năng')"
if [ -n "${BENCH_PROFILE:-}" ]; then
  "$PSQL" "$DATABASE_URL" -qc "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()" >/dev/null
fi
TOKEN_SMALL=$("$tmp/server" keys create --role province_editor --province 97 --name bench-small)
TOKEN_LARGE=$("$tmp/server" keys create --role province_editor --province 98 --name bench-large)
start_server "${BENCH_LOG:-$tmp/server.log}"
"$tmp/benchimport" -url "http://127.0.0.1:$port" -small 97 -large 98 -token-small "$TOKEN_SMALL" -token-large "$TOKEN_LARGE" \
  -rows-small "$ROWS_SMALL" -rows-large "$ROWS_LARGE" -repeat "${REPEAT:-3}" -kinds "${KINDS:-communes,hamlets,cadres,assignments}" \
  -db "$DATABASE_URL" -psql "$PSQL" -pid "$server_pid" -pgpid "$(head -n 1 "$tmp/pg/postmaster.pid")" -dir "$tmp" || rc=$?
[ -z "${BENCH_PROFILE:-}" ] || cp "$tmp/pg/server.log" "$BENCH_PROFILE"
exit "${rc:-0}"
