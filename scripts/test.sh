#!/usr/bin/env bash
# make test: a throwaway PostgreSQL cluster (own directory, free port), go vet and go test against it,
# and the cluster stopped and removed even when tests fail. Under this script a database test that cannot
# reach PostgreSQL fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
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
cleanup() { scripts/pg.sh stop "$dir" || true; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
url=$(PGSH_FAST=1 scripts/pg.sh start "$dir" 0)
export TEST_DATABASE_URL="$url"
echo "== go vet ./..."
go vet ./...
echo "== go test ./... (PostgreSQL at ${url%%:*}://…@${url#*@})"
go test -count=1 ${GOTESTFLAGS:-} ./...
