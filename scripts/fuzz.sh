#!/usr/bin/env bash
# make fuzz [FUZZTIME=30s]: every Fuzz* target of the module, one after the other, each for FUZZTIME.
# New failing inputs are written under the package's testdata/fuzz/ (commit them with the fix); the seed
# corpora also run in `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-30s}
status=0
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    echo "== $pkg $target ($FUZZTIME)"
    if ! go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME"; then
      status=1
    fi
  done
done
exit $status
