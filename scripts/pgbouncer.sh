#!/usr/bin/env bash
# A private PgBouncer in transaction pooling mode in front of a cluster started by scripts/pg.sh.
#
#   scripts/pgbouncer.sh start DIR URL   start PgBouncer (config, log and pid in DIR) on a free loopback port in
#                                        front of the cluster of URL (a superuser's postgres:// URL); every
#                                        database name is routed to that cluster. Prints URL with PgBouncer's port.
#   scripts/pgbouncer.sh stop DIR        stop it; no-op when it is not running
#
# Clients authenticate with SCRAM against the superuser's own secret (copied from pg_authid), and PgBouncer
# logs in to PostgreSQL with the keys of that exchange. Each database's pool has 8 server connections, the
# size of the server's own pool: a background job holds a transaction while it writes its progress in another,
# so a smaller pooler pool can starve (see README, PgBouncer). Client connections still share the server
# connections transaction by transaction, and the tests close them under the server (RECONNECT) to show that
# no session state is relied on. Installs the Debian package `pgbouncer` when missing and
# root, like scripts/pg.sh does for PostgreSQL. PgBouncer refuses to run as root: as root it runs as `postgres`.
set -euo pipefail

log() { echo "pgbouncer.sh: $*" >&2; }

find_pgbouncer() {
  command -v pgbouncer 2>/dev/null && return 0
  [ -x /usr/sbin/pgbouncer ] && { echo /usr/sbin/pgbouncer; return 0; }
  return 1
}

ensure_pgbouncer() {
  if BIN=$(find_pgbouncer); then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "pgbouncer not found: installing the Debian package 'pgbouncer' with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >&2 ||
      { DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >&2; }
    BIN=$(find_pgbouncer) || { log "apt-get installed pgbouncer but no binary was found"; exit 1; }
    return 0
  fi
  log "pgbouncer not found. Install it with: sudo apt-get install -y pgbouncer"
  exit 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
  local p i
  for i in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 12000 )) # below the ephemeral range
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  log "no free port found"; exit 1
}

psql_bin() {
  command -v psql 2>/dev/null || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1
}

cmd_start() {
  local dir=$1 url=$2
  ensure_pgbouncer
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local psql; psql=$(psql_bin)
  local user hostport pgport port secret
  user=$(echo "$url" | sed -E 's|^postgres(ql)?://([^:@/]+).*|\2|')
  hostport=$(echo "$url" | sed -E 's|^[^@]*@([^/?]+).*|\1|')
  pgport=${hostport##*:}
  secret=$("$psql" "$url" -Atc "SELECT rolpassword FROM pg_authid WHERE rolname = current_user")
  [ -n "$secret" ] || { log "the role of $user has no password"; exit 1; }
  port=$(pick_port)
  printf '"%s" "%s"\n' "$user" "$secret" > "$dir/userlist.txt"
  cat > "$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$pgport

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
admin_users = $user
pool_mode = transaction
default_pool_size = 8
max_client_conn = 1000
max_db_connections = 0
server_reset_query =
ignore_startup_parameters = extra_float_digits,search_path
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres "$dir"
    # postgres must be able to reach DIR: make each parent traversable (not readable), as scripts/pg.sh does.
    local p=$dir
    while p=$(dirname "$p") && [ "$p" != / ]; do chmod o+x "$p" 2>/dev/null || true; done
  fi
  chmod 600 "$dir/userlist.txt"
  as_owner "$BIN" -d "$dir/pgbouncer.ini" >&2 || { tail -n 20 "$dir/pgbouncer.log" >&2 || true; exit 1; }
  local i
  for i in $(seq 1 100); do
    port_free "$port" || break
    sleep 0.1
  done
  port_free "$port" && { log "pgbouncer did not start"; tail -n 20 "$dir/pgbouncer.log" >&2 || true; exit 1; }
  echo "$url" | sed -E "s|@[^/?]+|@127.0.0.1:$port|"
}

cmd_stop() {
  local dir=$1
  [ -s "$dir/pgbouncer.pid" ] || return 0
  local pid; pid=$(cat "$dir/pgbouncer.pid")
  kill "$pid" 2>/dev/null || return 0
  local i
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) echo "usage: $0 start DIR URL | stop DIR" >&2; exit 2 ;;
esac
