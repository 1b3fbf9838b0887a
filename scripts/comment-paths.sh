#!/usr/bin/env bash
# Prints file:line: comment for every comment in the given files (default: every tracked Go file, migration,
# script and the Makefile) that names a path outside the repository: one under the file system's tmp, work,
# home or root directories, the shared folder beside the checkout, or a *.md file the repository does not
# hold. The comment marker follows the file: // in Go, -- in SQL and Lua, # in shell scripts and the
# Makefile. Used by scripts/lint.sh; prints nothing when all is well.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [ $# -eq 0 ]; then
  mapfile -t files < <(git ls-files '*.go' 'migrations/*.sql' 'scripts/*' Makefile)
else
  files=("$@")
fi
outside='(^|[^A-Za-z0-9_.])/(tmp|work|home|root)/|\.\./shared'

# marker FILE sets m to the comment marker of FILE, as an extended regular expression (empty: not checked).
marker() {
  case "$1" in
    *.go) m='//' ;;
    *.sql | *.lua) m='--' ;;
    *.sh | *Makefile | *.mk) m='(^|[[:space:]])#' ;;
    *) m=''; if IFS= read -r first <"$1" 2>/dev/null && [[ $first =~ ^\#!.*sh ]]; then m='(^|[[:space:]])#'; fi ;;
  esac
}

declare -A group=()
for f in "${files[@]}"; do
  marker "$f"
  if [ -n "$m" ]; then group[$m]+="$f"$'\n'; fi
done
for m in "${!group[@]}"; do
  mapfile -t fs <<<"${group[$m]%$'\n'}"
  # Only lines that might name such a path are looked at closely.
  { grep -nHE -e "$m.*(/(tmp|work|home|root)/|\\.\\./shared|\\.md\\b)" "${fs[@]}" /dev/null || [ $? -eq 1 ]; } | while IFS= read -r line; do
    f=${line%%:*}
    line=${line#*:}
    n=${line%%:*}
    text=${line#*:}
    # Drop URLs, then keep what follows the first comment marker.
    comment=$(printf '%s\n' "$text" | sed -E 's#[a-z]+://[^ "]*##g' | awk -v m="$m" '{ if (match($0, m)) print substr($0, RSTART + RLENGTH) }')
    [ -n "$comment" ] || continue
    if printf '%s' "$comment" | grep -qE "$outside"; then
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
done
