#!/usr/bin/env bash
# make key ROLE=… [PROVINCE=…] [NAME=…]: a new API key on the `make run` database, its token alone on stdout.
# Uses DATABASE_URL when set (the schema owner's, as for `server keys create`); otherwise the private cluster
# under .data/postgres that `make run` made (started if it is stopped).
set -euo pipefail
cd "$(dirname "$0")/.."
role=${1:-}
province=${2:-}
name=${3:-make key}
if [ -z "$role" ]; then
  echo "usage: make key ROLE=province_editor|province_viewer|ministry|operator [PROVINCE=08] [NAME=…]" >&2
  exit 2
fi
if [ -z "${DATABASE_URL:-}" ]; then
  if [ ! -d .data/postgres ]; then
    echo "make key: no .data/postgres cluster: run \`make run\` once first (or set DATABASE_URL)" >&2
    exit 1
  fi
  admin=$(scripts/pg.sh start .data/postgres "${DEV_PG_PORT:-55432}" 2>/dev/null)
  export DATABASE_URL="${admin%/postgres\?*}/communehr?sslmode=disable"
fi
[ -x bin/server ] || go build -o bin/server ./cmd/server
args=(keys create --role "$role" --name "$name")
[ -n "$province" ] && args+=(--province "$province")
exec bin/server "${args[@]}"
