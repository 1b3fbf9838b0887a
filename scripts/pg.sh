#!/usr/bin/env bash
# Private PostgreSQL clusters built from the machine's own binaries.
#
#   scripts/pg.sh start DIR [PORT]   create (first time) and start a cluster in DIR on 127.0.0.1:PORT
#                                    (PORT 0 or absent: a free port); prints the superuser's DATABASE_URL
#   scripts/pg.sh stop DIR           stop the cluster in DIR (fast shutdown); no-op when it is not running
#   scripts/pg.sh createdb URL NAME  create database NAME unless it exists
#   scripts/pg.sh approle DIR URL    create (or update) the login role `communehr_server` that `server serve`
#                                    connects as, in the database of URL (an owner's, after `migrate up`);
#                                    prints its DATABASE_URL. The role is neither superuser nor owner, has no
#                                    BYPASSRLS and inherits nothing: its only powers are SET ROLE communehr_app
#                                    or communehr_national (which row-level security holds) and reading the
#                                    schema version, so a RESET ROLE after an injection reaches no data.
#
# The cluster listens on TCP loopback only (no Unix socket, so deep checkout paths don't hit the 107-byte
# socket path limit), with scram-sha-256 authentication and a random password kept in DIR/../<name>.password.
# As root, initdb and postgres refuse to run, so both run as the `postgres` system user.
set -euo pipefail

log() { echo "pg.sh: $*" >&2; }

find_bindir() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  return 1
}

ensure_binaries() {
  if BINDIR=$(find_bindir); then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "PostgreSQL binaries not found: installing the Debian package 'postgresql' with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    BINDIR=$(find_bindir) || { log "apt-get installed postgresql but no pg_ctl was found"; exit 1; }
    return 0
  fi
  log "PostgreSQL binaries not found. Install them with:"
  log "    sudo apt-get update && sudo apt-get install -y postgresql"
  exit 1
}

# as_owner runs a command as the user that owns the cluster: `postgres` when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
  local p i
  for i in $(seq 1 50); do
    # Below Linux's ephemeral range (32768–60999), so an outgoing connection cannot take it meanwhile.
    p=$(( 20000 + RANDOM % 12000 ))
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  log "no free port found"; exit 1
}

cmd_start() {
  local dir=$1 port=${2:-0}
  ensure_binaries
  mkdir -p "$(dirname "$dir")"
  dir=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")
  local pwfile="$dir.password"
  if [ ! -s "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    if [ ! -s "$pwfile" ]; then
      head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$pwfile"
    fi
    if [ "$(id -u)" = 0 ]; then
      getent passwd postgres >/dev/null || { log "as root, a 'postgres' system user is needed (apt-get install postgresql creates it)"; exit 1; }
      chown postgres "$dir" "$pwfile"
      # postgres must be able to reach DIR: make each parent traversable (not readable).
      local p=$dir
      while p=$(dirname "$p") && [ "$p" != / ]; do chmod o+x "$p" 2>/dev/null || true; done
    fi
    chmod 700 "$dir"
    log "creating a PostgreSQL cluster in $dir ($BINDIR)"
    as_owner "$BINDIR/initdb" -D "$dir" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 || { cat "$dir.initdb.log" >&2; exit 1; }
  fi
  local picked=0 try
  if [ "$port" = 0 ]; then port=$(pick_port); picked=1; fi
  if as_owner "$BINDIR/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    log "cluster in $dir already running"
    port=$(head -n 4 "$dir/postmaster.pid" | tail -n 1)
  else
    # A picked port can still be taken between the check and the bind (clusters started in parallel): then
    # another one is picked, a few times.
    for try in 1 2 3 4 5; do
      if as_owner "$BINDIR/pg_ctl" -D "$dir" -w -t 60 -l "$dir/server.log" \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='' ${PGSH_FAST:+-c fsync=off -c synchronous_commit=off -c full_page_writes=off} -c max_connections=200" \
        start >&2; then
        break
      fi
      if [ "$picked" = 1 ] && [ "$try" -lt 5 ] && tail -n 30 "$dir/server.log" | grep -q "Address already in use"; then
        log "port $port was taken meanwhile; trying another"
        port=$(pick_port)
        continue
      fi
      tail -n 30 "$dir/server.log" >&2; exit 1
    done
  fi
  echo "postgres://postgres:$(cat "$pwfile")@127.0.0.1:$port/postgres?sslmode=disable"
}

cmd_stop() {
  local dir=$1
  [ -s "$dir/PG_VERSION" ] || return 0
  BINDIR=$(find_bindir) || return 0
  if as_owner "$BINDIR/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_owner "$BINDIR/pg_ctl" -D "$dir" -m fast -w stop >&2 || true
  fi
}

# createdb URL NAME: create database NAME (if missing) in the cluster that URL (a superuser's) points at.
cmd_createdb() {
  local url=$1 name=$2
  ensure_binaries
  if [ "$("$BINDIR/psql" "$url" -Atc "SELECT 1 FROM pg_database WHERE datname = '$name'")" != 1 ]; then
    "$BINDIR/psql" "$url" -qc "CREATE DATABASE \"$name\"" >&2
  fi
}

# approle DIR URL: the serving role (see the header); its password is kept in DIR.server.password.
cmd_approle() {
  local dir=$1 url=$2
  ensure_binaries
  mkdir -p "$(dirname "$dir")"
  dir=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")
  local pwfile="$dir.server.password"
  if [ ! -s "$pwfile" ]; then
    head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$pwfile"
    chmod 600 "$pwfile"
  fi
  "$BINDIR/psql" "$url" -qv ON_ERROR_STOP=1 -v role=communehr_server -v pw="$(cat "$pwfile")" \
    -f "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/serve-role.sql" >&2
  local rest=${url#postgres://}
  rest=${rest#*@}
  echo "postgres://communehr_server:$(cat "$pwfile")@$rest"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  createdb) shift; cmd_createdb "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  approle) shift; cmd_approle "$@" ;;
  *) echo "usage: $0 start DIR [PORT] | stop DIR | createdb URL NAME | approle DIR URL" >&2; exit 2 ;;
esac
