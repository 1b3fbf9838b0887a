#!/usr/bin/env bash
# scripts/new-migration.sh NAME — create the next-numbered migration pair in migrations/:
# NNNN_NAME.up.sql and NNNN_NAME.down.sql (NNNN one more than the highest number there). NAME is
# lower_snake_case. `make migration NAME=...` runs it. The files are embedded into the server binary at
# the next build; `server migrate up` applies them.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-}
if ! [[ $name =~ ^[a-z][a-z0-9_]*$ ]]; then
  echo "usage: $0 NAME   (NAME in lower_snake_case, e.g. add_cadre_email)" >&2
  exit 2
fi
last=$(ls migrations | sed -n 's/^\([0-9]\{4\}\)_.*\.up\.sql$/\1/p' | sort -n | tail -n 1)
next=$(printf '%04d' $(( 10#${last:-0} + 1 )))
up="migrations/${next}_${name}.up.sql"
down="migrations/${next}_${name}.down.sql"
for f in "$up" "$down"; do
  [ ! -e "$f" ] || { echo "$f already exists" >&2; exit 1; }
done
cat > "$up" <<SQL
-- ${next}_${name}: why this change is needed (the rule or design section it serves).
-- Tenant tables: primary key led by province_code, composite foreign keys including province_code,
-- and row-level security with the standard policies: SELECT enable_tenant_rls('the_table'); (0033).
SQL
cat > "$down" <<SQL
-- Reverts ${next}_${name}.up.sql.
SQL
echo "$up"
echo "$down"
