#!/usr/bin/env bash
# Summarises a JFR recording by its hottest frames: CPU samples (jdk.ExecutionSample) by top
# frame and by the first gateway frame (fr.acclermont.*) on the stack, and allocation samples
# (jdk.ObjectAllocationSample, by sampled weight) by class and by the allocating frame.
#
#   loadtest/bin/jfr-top.sh RECORDING.jfr [ROWS]
#
# Record with `jcmd PID JFR.start settings=profile filename=...` (loadtest/bin/peers-compare.sh
# --profile does it under its 16 KiB load) or -XX:StartFlightRecording=...,settings=profile.
set -euo pipefail
JFR_FILE="$1"
ROWS="${2:-25}"

summarise() { # label [denominator]: reads "weight<TAB>key" lines, prints the top ROWS with their share
  awk -F'\t' -v rows="$ROWS" -v label="$1" -v denominator="${2:-0}" '
    { w[$2] += $1; total += $1 }
    END {
      if (denominator > 0) total = denominator
      printf "\n-- %s (total %.0f)\n", label, total
      n = 0; for (k in w) keys[++n] = k
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (w[keys[j]] > w[keys[i]]) { t = keys[i]; keys[i] = keys[j]; keys[j] = t }
      for (i = 1; i <= n && i <= rows; i++) printf "%6.1f%%  %s\n", 100 * w[keys[i]] / total, keys[i]
    }'
}

# One line per event: weight, top frame, first gateway frame, object class (allocations). The
# first allocation sample of each thread is dropped: its weight is everything the thread
# allocated before the recording started.
events() { # event-name
  jfr print --stack-depth 64 --events "$1" "$JFR_FILE" | awk '
    function flush() {
      if (inev && !(weight != "" && !(thread in seen)))
        print (weight == "" ? 1 : weight) "\t" top "\t" (app == "" ? "(no gateway frame)" : app) "\t" cls "\t" frames
      if (inev) seen[thread] = 1
      inev = 0
    }
    /^jdk\.[A-Za-z]+ \{/ { flush(); inev = 1; top = ""; app = ""; cls = ""; weight = ""; thread = ""; frames = ""; delete inframes; instack = 0; next }
    /^  eventThread = / { thread = $0; next }
    /^  objectClass = / { sub(/^  objectClass = /, ""); sub(/ \(classLoader.*/, ""); cls = $0; next }
    /^  weight = / { sub(/^  weight = /, ""); v = $1; u = $2
      if (u ~ /^kB/) v *= 1024; else if (u ~ /^MB/) v *= 1048576; else if (u ~ /^GB/) v *= 1073741824
      weight = v; next }
    /stackTrace = \[/ { instack = 1; next }
    instack && /^[[:space:]]*\]/ { instack = 0; next }
    instack {
      f = $0; sub(/^[[:space:]]+/, "", f); sub(/[[:space:]]+line:.*/, "", f)
      if (top == "") top = f
      if (!(f in inframes)) { inframes[f] = 1; frames = frames (frames == "" ? "" : "\001") f }
      if (app == "" && f ~ /^fr\.acclermont\./) app = f
    }
    END { flush() }'
}

echo "== $JFR_FILE"
echo
echo "-- heap allocated per thread during the recording (jdk.ThreadAllocationStatistics, last - first)"
jfr print --events jdk.ThreadAllocationStatistics "$JFR_FILE" | awk '
  function bytes(v, u) { return u ~ /^kB/ ? v * 1024 : u ~ /^MB/ ? v * 1048576 : u ~ /^GB/ ? v * 1073741824 : v }
  /^  allocated = / { a = bytes($3, $4); next }
  /^  thread = / { t = $0; sub(/^  thread = /, "", t); sub(/ \(javaThreadId.*/, "", t)
    if (!(t in first)) first[t] = a; last[t] = a; next }
  END { for (t in first) if (last[t] > first[t]) printf "%12.0f bytes  %s\n", last[t] - first[t], t }' | sort -rn | head -10
cpu="$(events jdk.ExecutionSample)"
echo "CPU samples: $(printf '%s\n' "$cpu" | grep -c . || true)"
printf '%s\n' "$cpu" | awk -F'\t' '{ print $1 "\t" $2 }' | summarise "CPU samples by top frame"
printf '%s\n' "$cpu" | awk -F'\t' '{ print $1 "\t" $3 }' | summarise "CPU samples by first gateway frame"
printf '%s\n' "$cpu" | awk -F'\t' '{ n = split($5, f, "\001"); for (i = 1; i <= n; i++) print $1 "\t" f[i] }' \
  | summarise "CPU samples by frame on the stack (inclusive: the share of samples in that method or its callees)" \
    "$(printf '%s\n' "$cpu" | awk -F'\t' '{ t += $1 } END { print t + 0 }')"
alloc="$(events jdk.ObjectAllocationSample)"
printf '%s\n' "$alloc" | awk -F'\t' '{ print $1 "\t" $4 }' | summarise "allocation (sampled bytes) by class"
printf '%s\n' "$alloc" | awk -F'\t' '{ print $1 "\t" $2 }' | summarise "allocation (sampled bytes) by allocating frame"
printf '%s\n' "$alloc" | awk -F'\t' '{ print $1 "\t" $3 " <- " $4 }' | summarise "allocation (sampled bytes) by first gateway frame and class"
