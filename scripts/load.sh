#!/usr/bin/env bash
# make load [LOAD_SECONDS=30 LOAD_THREADS=2 LOAD_CONNECTIONS=32]: the demo province on a throwaway
# cluster, the server on loopback, and wrk mixing list reads, single reads, hamlet fund lookups and
# calculation POSTs (scripts/load.lua). Prints requests/s, p50/p99 latency and the error count; exits 1
# on any socket error, timeout or non-2xx answer.
set -euo pipefail
cd "$(dirname "$0")/.."
LOAD_SECONDS=${LOAD_SECONDS:-30}
LOAD_THREADS=${LOAD_THREADS:-2}
LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-32}

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

start_server "$tmp/server.log"

echo "== wrk: ${LOAD_SECONDS}s, $LOAD_THREADS threads, $LOAD_CONNECTIONS connections, http://127.0.0.1:$port (demo province 99)"
wrk -t "$LOAD_THREADS" -c "$LOAD_CONNECTIONS" -d "${LOAD_SECONDS}s" --timeout 5s --latency \
  -s scripts/load.lua "http://127.0.0.1:$port" | tee "$tmp/wrk.out"
rss=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$server_pid/status" 2>/dev/null || echo "?")
echo "server peak RSS: ${rss} MB"
if grep -q '^RESULT .* errors=0 non2xx=0 .*5xx=0' "$tmp/wrk.out"; then
  echo "load: OK (0 errors, 0 5xx)"
else
  echo "load: FAILED (see above; server log:)"; tail -n 20 "$tmp/server.log"
  exit 1
fi
