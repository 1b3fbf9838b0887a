#!/usr/bin/env bash
# make load [LOAD_SECONDS=30 LOAD_THREADS=2 LOAD_CONNECTIONS=32 LOAD_BACKGROUND=1]: the demo province on a
# throwaway cluster, the server on loopback, and wrk mixing list reads, single reads, hamlet fund lookups and
# calculation POSTs (scripts/load.lua), and the console's pages with an officer's session cookie. Prints requests/s, p50/p99 latency and the error count; exits 1
# on any socket error, timeout or non-2xx answer.
#
# Background phase (issue 10; LOAD_BACKGROUND=0 skips it): province 98, a copy of the demo province, has
# its editor start 10 entitlement runs and 5 CSV imports (20,000 people each) while wrk runs against
# province 99: wrk's figures are then the other province's requests under that background load. Every job
# must be accepted (202) and succeed.
set -euo pipefail
cd "$(dirname "$0")/.."
LOAD_SECONDS=${LOAD_SECONDS:-30}
LOAD_THREADS=${LOAD_THREADS:-2}
LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-32}
LOAD_BACKGROUND=${LOAD_BACKGROUND:-1}
LOAD_BG_RUNS=${LOAD_BG_RUNS:-10}
LOAD_BG_IMPORTS=${LOAD_BG_IMPORTS:-5}
LOAD_BG_ROWS=${LOAD_BG_ROWS:-20000}
# LOAD_SCRIPT: another wrk mix, e.g. an earlier commit's scripts/load.lua (API only, no console pages), to
# compare two commits on the same requests.
LOAD_SCRIPT=${LOAD_SCRIPT:-scripts/load.lua}

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "load.sh: wrk not found: installing the Debian package 'wrk' with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
  else
    echo "load.sh: wrk not found. Install it with:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y wrk" >&2
    exit 1
  fi
fi

. scripts/lib.sh load
throwaway_db
"$tmp/server" seed demo >&2
export LOAD_TOKEN=$("$tmp/server" keys create --role province_viewer --province 99 --name load)

ids() { "$PSQL" "$DATABASE_URL" -Atc "$1" | paste -sd, -; }
export LOAD_COMMUNES=$(ids "SELECT code FROM communes WHERE province_code = '99' ORDER BY code LIMIT 50")
export LOAD_HAMLETS=$(ids "SELECT code FROM hamlets WHERE province_code = '99' ORDER BY code LIMIT 200")
export LOAD_CADRES=$(ids "SELECT id FROM cadres WHERE province_code = '99' ORDER BY id LIMIT 500")

if [ "$LOAD_BACKGROUND" = 1 ]; then
  # Province 98: the demo province's records copied as they are (the superuser bypasses row-level security).
  "$PSQL" "$DATABASE_URL" -q -v ON_ERROR_STOP=1 <<'SQL'
INSERT INTO provinces SELECT (jsonb_populate_record(NULL::provinces, to_jsonb(p) || '{"province_code":"98","name":"Tỉnh Nền (tải nền)"}')).*
  FROM provinces p WHERE province_code = '99';
SET session_replication_role = replica; -- copy as is: no triggers, no deferred checks
INSERT INTO communes SELECT (jsonb_populate_record(NULL::communes, to_jsonb(x) || '{"province_code":"98"}')).* FROM communes x WHERE province_code = '99';
INSERT INTO hamlets SELECT (jsonb_populate_record(NULL::hamlets, to_jsonb(x) || '{"province_code":"98"}')).* FROM hamlets x WHERE province_code = '99';
INSERT INTO cadres SELECT (jsonb_populate_record(NULL::cadres, to_jsonb(x) || '{"province_code":"98"}')).* FROM cadres x WHERE province_code = '99';
INSERT INTO assignments SELECT (jsonb_populate_record(NULL::assignments, to_jsonb(x) || '{"province_code":"98"}')).* FROM assignments x WHERE province_code = '99';
INSERT INTO allowance_schedules SELECT (jsonb_populate_record(NULL::allowance_schedules, to_jsonb(x) || '{"province_code":"98"}')).* FROM allowance_schedules x WHERE province_code = '99';
SQL
  BG_TOKEN=$("$tmp/server" keys create --role province_editor --province 98 --name load-background)
  for i in $(seq 1 "$LOAD_BG_IMPORTS"); do
    # New people: national IDs 098 + century/gender 0 + the birth year's two digits + a serial.
    awk -v n="$LOAD_BG_ROWS" -v from=$((i * 100000)) 'BEGIN {
      print "national_id,full_name,gender,birth_date,si_months"
      for (k = 0; k < n; k++) { y = 1960 + k % 40
        printf "0980%02d%06d,Nguyễn Văn Nền,male,%d-%02d-%02d,%d\n", y % 100, (from + k) % 1000000, y, 1 + k % 12, 1 + k % 28, k % 400 } }' \
      > "$tmp/bg-$i.csv"
  done
fi

start_server "$tmp/server.log"
base="http://127.0.0.1:$port"

# The console: an officer of province 99 logs in once (one-time password, then a new one) and wrk reuses
# the session cookie on the console's pages.
LOAD_OTP=$("$tmp/server" users create --role province_viewer --province 99 --username load.viewer | tail -n 1)
curl -sf -o /dev/null -c "$tmp/cookies" -b "$tmp/cookies" --data-urlencode username=load.viewer \
  --data-urlencode "password=$LOAD_OTP" "$base/login"
curl -sf -o /dev/null -c "$tmp/cookies" -b "$tmp/cookies" --data-urlencode "current_password=$LOAD_OTP" \
  --data-urlencode "new_password=mật khẩu tải thử đủ dài" --data-urlencode "confirm_password=mật khẩu tải thử đủ dài" "$base/password"
export LOAD_COOKIE="chr_session=$(awk '$6 == "chr_session" {print $7}' "$tmp/cookies")"
if [ "$LOAD_COOKIE" = "chr_session=" ] || ! curl -sf -o /dev/null -H "Cookie: $LOAD_COOKIE" "$base/communes"; then
  echo "load: the console login failed" >&2; exit 1
fi

# background: start the runs and imports of province 98 at once; writes one "kind id http_status" line each.
background() {
  local pids=()
  for i in $(seq 1 "$LOAD_BG_RUNS"); do
    ( out=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $BG_TOKEN" -H 'Content-Type: application/json' \
        -d '{"exit_date":"2025-08-01","reason":"reorganisation"}' "$base/v1/provinces/98/entitlement-runs")
      echo "entitlement-runs $(echo "$out" | head -n 1 | jq -r '.id // "-"') $(echo "$out" | tail -n 1)" ) >>"$tmp/bg.jobs" &
    pids+=($!)
  done
  for i in $(seq 1 "$LOAD_BG_IMPORTS"); do
    ( out=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $BG_TOKEN" -H 'Content-Type: text/csv' \
        -H 'Prefer: respond-async' --data-binary "@$tmp/bg-$i.csv" "$base/v1/provinces/98/imports?kind=cadres")
      echo "imports $(echo "$out" | head -n 1 | jq -r '.id // "-"') $(echo "$out" | tail -n 1)" ) >>"$tmp/bg.jobs" &
    pids+=($!)
  done
  wait "${pids[@]}"
}

bg_pid=""
: >"$tmp/bg.jobs"
if [ "$LOAD_BACKGROUND" = 1 ]; then
  echo "== background: province 98's editor starts $LOAD_BG_RUNS entitlement runs and $LOAD_BG_IMPORTS imports of $LOAD_BG_ROWS rows during the run"
  ( sleep 2; background ) &
  bg_pid=$!
fi
echo "== wrk: ${LOAD_SECONDS}s, $LOAD_THREADS threads, $LOAD_CONNECTIONS connections, $base (demo province 99)"
wrk -t "$LOAD_THREADS" -c "$LOAD_CONNECTIONS" -d "${LOAD_SECONDS}s" --timeout 5s --latency \
  -s "$LOAD_SCRIPT" "$base" | tee "$tmp/wrk.out"
rss=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$server_pid/status" 2>/dev/null || echo "?")
echo "server peak RSS: ${rss} MB"
fail=0
if grep -q '^RESULT .* errors=0 non2xx=0 .*5xx=0' "$tmp/wrk.out"; then
  echo "load: OK (0 errors, 0 5xx) for province 99$( [ -n "$bg_pid" ] && echo ' with province 98 jobs in the background')"
else
  echo "load: FAILED (see above)"; fail=1
fi

if [ -n "$bg_pid" ]; then
  wait "$bg_pid"
  # Each job must have been accepted and must succeed; report how each ended and when.
  declare -A final=()
  deadline=$((SECONDS + 600))
  first=1
  while :; do
    pending=0
    while read -r kind id code; do
      [ "$code" = 202 ] || continue
      [ -n "${final[$id]:-}" ] && continue
      status=$(curl -s -H "Authorization: Bearer $BG_TOKEN" "$base/v1/provinces/98/$kind/$id" | jq -r .status)
      case "$status" in queued|running) pending=$((pending + 1)) ;; *) final[$id]=$status ;; esac
    done <"$tmp/bg.jobs"
    if [ "$first" = 1 ]; then
      echo "background: $pending jobs still queued or running when wrk ended"; first=0
      bg_wait_from=$SECONDS
    fi
    [ "$pending" = 0 ] && break
    if [ "$SECONDS" -gt "$deadline" ]; then echo "background: $pending jobs still unfinished after 600 s"; fail=1; break; fi
    sleep 1
  done
  echo "background: the last job ended $((SECONDS - bg_wait_from)) s after wrk"
  accepted=$(awk '$3 == 202' "$tmp/bg.jobs" | wc -l)
  refused=$(awk '$3 != 202' "$tmp/bg.jobs" | wc -l)
  ok=0; for id in "${!final[@]}"; do [ "${final[$id]}" = succeeded ] && ok=$((ok + 1)); done
  echo "background: $accepted jobs accepted, $refused refused, $ok succeeded ($(awk '{print $3}' "$tmp/bg.jobs" | sort | uniq -c | tr -s ' ' | tr '\n' ';'))"
  if [ "$refused" != 0 ] || [ "$ok" != "$accepted" ]; then
    echo "load: FAILED: every background job must be accepted and succeed"; fail=1
  fi
fi
if [ "$fail" != 0 ]; then
  echo "server log:"; tail -n 20 "$tmp/server.log"
  exit 1
fi
