#!/usr/bin/env bash
# Prints file:line: comment for every comment in the given Go files (default: every tracked one) that names
# a path outside the repository: /tmp/…, /work/…, /home/…, /root/…, ../shared…, or a *.md file the
# repository does not hold. Used by scripts/lint.sh; prints nothing when all is well.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [ $# -eq 0 ]; then
  mapfile -t files < <(git ls-files '*.go')
else
  files=("$@")
fi
# Only lines that might name such a path are looked at closely.
grep -nHE '//.*(/(tmp|work|home|root)/|\.\./shared|\.md\b)' "${files[@]}" /dev/null | while IFS= read -r line; do
    f=${line%%:*}
    line=${line#*:}
    n=${line%%:*}
    text=${line#*:}
    comment=$text
    case "$comment" in *'://'*) comment=$(printf '%s' "$comment" | sed -E 's#[a-z]+://[^ "]*##g') ;; esac
    case "$comment" in *//*) comment=${comment#*//} ;; *) continue ;; esac
    if printf '%s' "$comment" | grep -qE '(^|[^A-Za-z0-9_.])/(tmp|work|home|root)/|\.\./shared'; then
      echo "$f:$n:$text"
      continue
    fi
    for md in $(printf '%s' "$comment" | grep -oE '[A-Za-z0-9_./-]+\.md\b' || true); do
      md=${md#./}
      if [ ! -e "$root/$md" ] && [ ! -e "$(dirname "$f")/$md" ]; then
        echo "$f:$n:$text"
        break
      fi
    done
done
