#!/usr/bin/env bash
# scripts/backup.sh URL FILE — a consistent, online backup of the register: pg_dump in the custom format
# (compressed, restorable table by table) of the database URL names, taken in one snapshot while the server
# runs. The roles communehr_app and communehr_national are cluster objects, not in the dump:
# scripts/restore.sh creates them. Use a pg_dump at least as new as the server (PG_BINDIR to choose one).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 DATABASE_URL FILE" >&2; exit 2; }
bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
  if command -v pg_dump >/dev/null 2>&1; then bindir=$(dirname "$(command -v pg_dump)")
  else bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1); fi
fi
[ -x "$bindir/pg_dump" ] || { echo "backup.sh: pg_dump not found (apt-get install postgresql-client)" >&2; exit 1; }
"$bindir/pg_dump" --format=custom --compress=6 --file="$2" --dbname="$1"
echo "backup.sh: wrote $2 ($(du -h "$2" | cut -f1))" >&2
