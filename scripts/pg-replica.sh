#!/usr/bin/env bash
# A streaming replica of a cluster started by scripts/pg.sh, from the same PostgreSQL binaries.
#
#   scripts/pg-replica.sh start DIR PRIMARY_URL   pg_basebackup -R of the primary (a superuser's postgres://
#                                                 URL) into DIR, started as a hot standby on a free loopback
#                                                 port; prints PRIMARY_URL with the replica's port
#   scripts/pg.sh stop DIR                         stops it
#
# As root, pg_basebackup and postgres run as the `postgres` system user, as in scripts/pg.sh.
set -euo pipefail

log() { echo "pg-replica.sh: $*" >&2; }

find_bindir() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v pg_basebackup >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"; return 0
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/pg_basebackup" ] && { echo "$d"; return 0; }
  return 1
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

cmd_start() {
  local dir=$1 primary=$2
  BINDIR=$(find_bindir) || { log "PostgreSQL binaries not found (scripts/pg.sh installs them)"; exit 1; }
  mkdir -p "$(dirname "$dir")"
  dir=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")
  [ ! -e "$dir/PG_VERSION" ] || { log "$dir already holds a cluster"; exit 1; }
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir"
    local p=$dir
    while p=$(dirname "$p") && [ "$p" != / ]; do chmod o+x "$p" 2>/dev/null || true; done
  fi
  chmod 700 "$dir"
  # -R writes standby.signal and primary_conninfo (with the URL's password) for streaming replication.
  as_owner "$BINDIR/pg_basebackup" -D "$dir" -R -X stream -c fast -d "$primary" >"$dir.basebackup.log" 2>&1 ||
    { cat "$dir.basebackup.log" >&2; exit 1; }
  local port; port=$(pick_port)
  as_owner "$BINDIR/pg_ctl" -D "$dir" -w -t 60 -l "$dir/server.log" \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='' -c hot_standby=on -c fsync=off -c max_connections=200" \
    start >&2 || { tail -n 30 "$dir/server.log" >&2; exit 1; }
  echo "$primary" | sed -E "s|@([^/:?]+):[0-9]+|@\1:$port|"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  *) echo "usage: $0 start DIR PRIMARY_URL   (stop it with scripts/pg.sh stop DIR)" >&2; exit 2 ;;
esac
