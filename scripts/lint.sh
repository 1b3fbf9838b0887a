#!/usr/bin/env bash
# make lint: gofmt (any file listed fails), go vet, staticcheck (a tool dependency in go.mod, run with
# `go tool`), and no code comment naming a path outside the repository: an absolute path under /tmp, /work,
# /home or /root, the shared folder beside the checkout, or a *.md file the repository does not hold (the legal
# basis is docs/legal-basis.md).
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0

echo "== gofmt -l"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  printf 'not gofmt-formatted (run make fmt):\n%s\n' "$unformatted" >&2
  fail=1
fi

echo "== go vet ./..."
go vet ./... || fail=1

echo "== staticcheck ./..."
go tool staticcheck ./... || fail=1

echo "== comments name only paths inside the repository"
bad=$(scripts/comment-paths.sh || true)
if [ -n "$bad" ]; then
  printf 'comments naming a path outside the repository:\n%s\n' "$bad" >&2
  fail=1
fi

if [ "$fail" != 0 ]; then
  echo "== make lint: FAILED" >&2
  exit 1
fi
echo "== make lint: passed"
