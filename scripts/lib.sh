# Shared by the benchmark and load scripts (source it): a throwaway PostgreSQL cluster with a migrated
# `communehr` database, the server binary built into it, and a server started on a free loopback port.
# Everything lives in $tmp and is stopped and removed on exit.

tmp=$(mktemp -d "${TMPDIR:-/tmp}/communehr-${1:-run}.XXXXXX")
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  scripts/pg.sh stop "$tmp/pg" || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# throwaway_db: start the cluster, create and migrate `communehr`, build $tmp/server; exports DATABASE_URL.
throwaway_db() {
  local admin
  admin=$(scripts/pg.sh start "$tmp/pg" 0)
  scripts/pg.sh createdb "$admin" communehr
  export DATABASE_URL="${admin%/postgres\?*}/communehr?sslmode=disable"
  go build -o "$tmp/server" ./cmd/server
  "$tmp/server" migrate up >/dev/null
  PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$PSQL" ] || PSQL=psql
}

# start_server LOGFILE: serve on a free port and wait for /healthz; sets port and server_pid. A port can be
# taken between the pick and the bind (the cluster's own port was once picked): then another is tried.
start_server() {
  local try
  for try in 1 2 3 4 5; do
    port=$(( 20000 + RANDOM % 12000 )) # below the ephemeral range
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    ADDR=127.0.0.1:$port LOG_LEVEL=warn "$tmp/server" serve 2>"$1" &
    server_pid=$!
    for _ in $(seq 1 100); do
      curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$server_pid" 2>/dev/null || ! grep -q "address already in use" "$1" || continue
    break
  done
  echo "the server did not start; its log:" >&2
  tail -n 20 "$1" >&2
  return 1
}
