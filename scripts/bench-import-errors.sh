#!/usr/bin/env bash
# make bench-import-errors [BAD_ROWS=3000000]: upload a cadres file in which every row is bad (a gender the
# register does not know) to a server on a throwaway cluster, wait for the job, stream errors.csv, and print
# the server's peak RSS (VmHWM). Row errors must not grow the server's memory (issue 10, item 2).
set -euo pipefail
cd "$(dirname "$0")/.."
BAD_ROWS=${BAD_ROWS:-3000000}
. scripts/lib.sh bench-errors
throwaway_db
"$PSQL" "$DATABASE_URL" -qc "INSERT INTO provinces (province_code, name) VALUES ('98', 'Tỉnh Đo Hiệu Năng')"
TOKEN=$("$tmp/server" keys create --role province_editor --province 98 --name bench)
start_server "${BENCH_LOG:-$tmp/server.log}"
base="http://127.0.0.1:$port/v1/provinces/98/imports"
rss() { awk '/^VmHWM:/ {print $2, $3}' "/proc/$server_pid/status"; }

awk -v n="$BAD_ROWS" 'BEGIN { print "national_id,full_name,gender,birth_date,si_months";
  for (i = 0; i < n; i++) printf "001080%06d,Nguyễn Văn An,robot,1980-05-17,%d\n", i % 1000000, i % 300 }' >"$tmp/bad.csv"
echo "generated $BAD_ROWS bad cadres rows ($(( $(stat -c %s "$tmp/bad.csv") / 1000000 )) MB); server peak RSS before: $(rss)"

start=$(date +%s.%N)
job=$(curl -sf -X POST "$base?kind=cadres&mode=validate" -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/csv" \
  -H "Prefer: respond-async" --data-binary @"$tmp/bad.csv")
id=$(jq -r .id <<<"$job")
while [ "$(jq -r .status <<<"$job")" = running ] || [ "$(jq -r .status <<<"$job")" = queued ]; do
  sleep 1
  job=$(curl -sf "$base/$id" -H "Authorization: Bearer $TOKEN")
done
end=$(date +%s.%N)
jq -c '{status, failure_reason, rows_total, rows_failed, errors_total, errors_listed: (.errors | length)}' <<<"$job"
printf 'import (validate) of %d bad rows: %.1f s\n' "$BAD_ROWS" "$(echo "$end - $start" | bc)"
echo "server peak RSS after the import: $(rss)"

start=$(date +%s.%N)
lines=$(curl -sf "$base/$id/errors.csv" -H "Authorization: Bearer $TOKEN" | wc -l)
end=$(date +%s.%N)
printf 'errors.csv: %d lines (header + rows) streamed in %.1f s\n' "$lines" "$(echo "$end - $start" | bc)"
echo "server peak RSS after errors.csv: $(rss)"

# The attack of the review: eight viewers downloading the same errors.csv at once.
DOWNLOADS=${DOWNLOADS:-8}
VIEWER=$("$tmp/server" keys create --role province_viewer --province 98 --name bench-viewer)
start=$(date +%s.%N)
pids=()
for _ in $(seq 1 "$DOWNLOADS"); do
  curl -sf "$base/$id/errors.csv" -H "Authorization: Bearer $VIEWER" -o /dev/null &
  pids+=($!)
done
wait "${pids[@]}" # not the server's
end=$(date +%s.%N)
printf '%d parallel viewer downloads of errors.csv: %.1f s\n' "$DOWNLOADS" "$(echo "$end - $start" | bc)"
echo "server peak RSS (VmHWM) at the end: $(rss)   (goal < 150 MB)"
[ "$(jq -r .errors_total <<<"$job")" = "$BAD_ROWS" ] && [ "$lines" = $((BAD_ROWS + 1)) ] || { echo "counts do not add up" >&2; exit 1; }
