#!/usr/bin/env bash
# make run: a private PostgreSQL cluster under .data/postgres (unless DATABASE_URL is set), migrations,
# the demo province, a demo editor key, then the server. The cluster's superuser migrates, seeds and makes
# the key; the server connects as communehr_server, a login role that is neither superuser nor owner
# (scripts/pg.sh approle), so a RESET ROLE slipped into a query would reach no data.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${DEV_PG_PORT:-55432}
SERVE_URL=${SERVE_DATABASE_URL:-}
if [ -z "${DATABASE_URL:-}" ]; then
  admin=$(scripts/pg.sh start .data/postgres "$PORT")
  scripts/pg.sh createdb "$admin" communehr
  export DATABASE_URL="${admin%/postgres\?*}/communehr?sslmode=disable"
  dev_cluster=1
fi
export ADDR=${ADDR:-127.0.0.1:8080}
bin/server migrate up >&2
if [ -n "${dev_cluster:-}" ] && [ -z "$SERVE_URL" ]; then
  SERVE_URL=$(scripts/pg.sh approle .data/postgres "$DATABASE_URL")
fi
bin/server seed demo
TOKEN=$(bin/server keys create --role province_editor --province 99 --name "make run demo key")
# A demo officer for the web console; the name is taken after the first run, so later runs add a new one.
OFFICER=demo.editor
PASSWORD=$(bin/server users create --role province_editor --province 99 --username "$OFFICER" 2>/dev/null | tail -1) || {
  OFFICER="demo.editor.$(date +%s)"
  PASSWORD=$(bin/server users create --role province_editor --province 99 --username "$OFFICER" | tail -1)
}
TOKEN08=$(bin/server keys create --role province_viewer --province 08 --name "make run demo key (Tuyên Quang)")
BASE="http://$ADDR"
cat <<TXT

communehr is starting on $BASE   (Ctrl-C stops it; the database stays in .data/postgres)

web console: $BASE/   log in as $OFFICER with the one-time password $PASSWORD
             (you choose your own password at first login)
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
# Serve as the plain login role when there is one (the dev cluster, or SERVE_DATABASE_URL); with only
# DATABASE_URL given, serve as that user (the server then warns if it is a superuser or the owner).
DATABASE_URL=${SERVE_URL:-$DATABASE_URL} exec bin/server serve
