#!/usr/bin/env bash
# make test: a throwaway PostgreSQL cluster (own directory, free port), go vet and go test against it,
# and the cluster stopped and removed even when tests fail. Under this script a database test that cannot
# reach PostgreSQL fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s.%N)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/communehr-test.XXXXXX")
dir="$tmp/pg"
cleanup() {
  local rc=$?
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
go test -count=1 ${GOTESTFLAGS:-} ./...
