#!/usr/bin/env bash
# make test: a throwaway PostgreSQL cluster (own directory, free port), go vet and go test against it,
# and the cluster stopped and removed even when tests fail. Under this script a database test that cannot
# reach PostgreSQL fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
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
