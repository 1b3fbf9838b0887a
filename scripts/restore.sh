#!/usr/bin/env bash
# scripts/restore.sh FILE URL — restore a backup made by scripts/backup.sh into the database URL names, on
# the same or a new cluster. URL's user becomes the owner of everything restored and must be the server's
# DATABASE_URL user (it needs CREATEROLE, or the roles must exist); the database is created when missing
# and must otherwise be empty. Then run `server migrate up` (a no-op for the same version, the pending
# migrations for a newer binary) and start the server.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 FILE DATABASE_URL" >&2; exit 2; }
file=$1 url=$2
bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
  if command -v pg_restore >/dev/null 2>&1; then bindir=$(dirname "$(command -v pg_restore)")
  else bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1); fi
fi
[ -x "$bindir/pg_restore" ] || { echo "restore.sh: pg_restore not found (apt-get install postgresql-client)" >&2; exit 1; }
psql() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

# The database, when missing (connecting to the cluster's maintenance database "postgres").
db=$(echo "$url" | sed -E 's|^[^/]*//[^/]*/([^?]*).*|\1|')
[[ $db =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || { echo "restore.sh: database name '$db' must be a plain identifier" >&2; exit 2; }
maint=$(echo "$url" | sed -E "s|^([^/]*//[^/]*/)[^?]*|\1postgres|")
if [ "$(psql "$maint" -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
  psql "$maint" -c "CREATE DATABASE \"$db\""
fi
if [ "$(psql "$url" -Atc "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'")" != 0 ]; then
  echo "restore.sh: database $db is not empty; restore into a new database" >&2
  exit 1
fi

# The roles the server runs as (cluster objects, not in the dump), as the migrations create them.
psql "$url" <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'communehr_app') THEN
    CREATE ROLE communehr_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT pg_has_role(current_user, 'communehr_app', 'MEMBER') THEN
    EXECUTE format('GRANT communehr_app TO %I', current_user);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'communehr_national') THEN
    CREATE ROLE communehr_national NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT pg_has_role('communehr_national', 'communehr_app', 'MEMBER') THEN
    GRANT communehr_app TO communehr_national;
  END IF;
  IF NOT pg_has_role(current_user, 'communehr_national', 'MEMBER') THEN
    EXECUTE format('GRANT communehr_national TO %I', current_user);
  END IF;
END
$$;
SQL
"$bindir/pg_restore" --exit-on-error --no-owner --single-transaction --dbname="$url" "$file"
echo "restore.sh: restored $file into $db; next: server migrate up, then server serve" >&2
