#!/usr/bin/env bash
# make test: a throwaway PostgreSQL cluster (own directory, free port), go vet and go test against it,
# and the cluster stopped and removed even when tests fail. Under this script a database test that cannot
# reach PostgreSQL fails instead of skipping. Then, when PgBouncer is installed (or can be: as root it is
# installed with apt-get), the tenancy and import tests run again with the server's store connected through a
# PgBouncer in transaction pooling mode (TEST_PGBOUNCER_URL); NO_PGBOUNCER=1 skips that pass.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s.%N)
# The console's browser tests need Debian's chromium and pdftotext (poppler-utils): installed here when
# missing and running as root, as PostgreSQL is; otherwise the command is printed and make test fails.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if ((${#need[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "== apt-get install ${need[*]} (console browser tests)"
    apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
      { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
  else
    echo "make test: the console's browser tests need: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
export TEST_BROWSER=1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/communehr-test.XXXXXX")
dir="$tmp/pg"
cleanup() {
  local rc=$?
  scripts/pgbouncer.sh stop "$tmp/pgbouncer" || true
  scripts/pg.sh stop "$dir" || true
  rm -rf "$tmp"
  printf '== make test: %s after %.1f s\n' "$([ "$rc" = 0 ] && echo passed || echo FAILED)" \
    "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
url=$(PGSH_FAST=1 scripts/pg.sh start "$dir" 0)
export TEST_DATABASE_URL="$url"
echo "== go vet ./..."
go vet ./...
echo "== go test ./... (PostgreSQL at ${url%%:*}://…@${url#*@})"
phase=$(date +%s.%N)
# Database tests run in parallel (t.Parallel, each on its own copy of the migrated template): mostly waiting
# on PostgreSQL, so more of them than cores (TEST_PARALLEL, default 4) keep the cluster busy.
# A package's tests may take longer than go test's default 10 minutes on a loaded 2-core machine (TEST_TIMEOUT).
go test -count=1 -timeout "${TEST_TIMEOUT:-25m}" -parallel "${TEST_PARALLEL:-4}" ${GOTESTFLAGS:-} ./...
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }
echo "== go test ./...: $(elapsed "$phase")"

if [ -n "${NO_PGBOUNCER:-}" ]; then
  echo "== PgBouncer pass skipped (NO_PGBOUNCER is set)"
elif command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || [ "$(id -u)" = 0 ]; then
  phase=$(date +%s.%N)
  bouncer=$(scripts/pgbouncer.sh start "$tmp/pgbouncer" "$url")
  echo "== go test (tenancy and imports) through PgBouncer, transaction pooling (${bouncer#*@})"
  TEST_PGBOUNCER_URL="$bouncer" go test -count=1 -timeout "${TEST_TIMEOUT:-25m}" -parallel "${TEST_PARALLEL:-4}" ${GOTESTFLAGS:-} \
    -run 'RLS|Tenancy|ServerRole|NationalTransactions|Isolat|Import|NationalKey|ViewerSees' ./internal/store ./internal/api
  echo "== PgBouncer pass: $(elapsed "$phase")"
else
  echo "== PgBouncer pass skipped: pgbouncer is not installed (sudo apt-get install -y pgbouncer)"
fi
