#!/usr/bin/env bash
# make run: a private PostgreSQL cluster under .data/postgres (unless DATABASE_URL is set), migrations,
# the demo province, a demo editor key, then the server.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${DEV_PG_PORT:-55432}
if [ -z "${DATABASE_URL:-}" ]; then
  admin=$(scripts/pg.sh start .data/postgres "$PORT")
  scripts/pg.sh createdb "$admin" communehr
  export DATABASE_URL="${admin%/postgres\?*}/communehr?sslmode=disable"
fi
export ADDR=${ADDR:-127.0.0.1:8080}
bin/server migrate up >&2
bin/server seed demo
TOKEN=$(bin/server keys create --role province_editor --province 99 --name "make run demo key")
TOKEN08=$(bin/server keys create --role province_viewer --province 08 --name "make run demo key (Tuyên Quang)")
BASE="http://$ADDR"
cat <<TXT

communehr is starting on $BASE   (Ctrl-C stops it; the database stays in .data/postgres)
demo province: 99 — demo editor key (shown once):

  export TOKEN=$TOKEN

Try:
  curl -s $BASE/v1/me -H "Authorization: Bearer \$TOKEN"
  curl -s "$BASE/v1/provinces/99/hamlets?limit=2" -H "Authorization: Bearer \$TOKEN"
  curl -s $BASE/v1/calculations/hamlet-fund -H "Authorization: Bearer \$TOKEN" -H "Content-Type: application/json" -d '{"kind":"thon","households":420,"as_of":"2025-03-01"}'

The 2025 merger of a real province: 08 Tuyên Quang (with the old 02 Hà Giang units), real units of both maps
from the embedded reference data, synthetic hamlets, people and posts before 2025-07-01. A viewer key
(shown once) previews it; nothing is written:

  export TOKEN08=$TOKEN08
  curl -s "$BASE/v1/provinces/08/reorganisations?mode=preview" -H "Authorization: Bearer \$TOKEN08" -H "Content-Type: application/json" -d '{"effective_date":"2025-07-01","level":"commune","mapping":"national-2025"}'

TXT
exec bin/server serve
