#!/usr/bin/env bash
# 35 clients fetch the same cold object at once (curl, in parallel); prints the median time to
# first byte and the time until all 35 are done. Compare with the uplink limit: 20 MiB at
# 100 Mbit/s is 1.68 s.
#
#   loadtest/bin/blob-class.sh http://127.0.0.1:8080/blobs/20MiB/some-new-name [clients]
#
# Use a name never fetched before (the object must be cold), against a gateway in front of
# `loadtest.jar origin --port 8000 --bandwidth 100mbit --latency 20ms`, or at the origin itself.
set -euo pipefail
URL="$1"
CLIENTS="${2:-35}"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
for _ in $(seq 1 "$CLIENTS"); do
  curl -s -o /dev/null -w "%{time_starttransfer} %{time_total}\n" "$URL" &
done > "$OUT"
wait
sort -n "$OUT" | awk '{ttfb[NR]=$1; if ($2>max) max=$2}
  END {printf "clients %d, time to first byte p50 %.3f s, all done in %.3f s\n", NR, ttfb[int((NR+1)/2)], max}'
