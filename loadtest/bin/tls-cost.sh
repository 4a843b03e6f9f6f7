#!/usr/bin/env bash
# What TLS to the origin costs the gateway: its CPU time per GiB delivered (and per GiB fetched
# over the uplink) while a class of 35 opens a cold book, in front of the plain origin, the same
# answers over HTTPS (--profile https) and the CDN profile (HTTPS, br/gzip with Vary).
#
#   loadtest/bin/tls-cost.sh [REPORT_DIR]        # PROFILES="plain https cdn" REPEAT=3
#
# For each profile and repetition: a fresh origin (uplink $BANDWIDTH, $LATENCY) and a fresh gateway
# with config/gateway.yaml on free 127.0.0.1 ports; one cold class on another book first (so the
# JIT has compiled the miss path, TLS included), then the measured cold class on the catalog's
# first book; the gateway's user + system CPU time over that class, from /proc/PID/stat.
#
# Needs the jars (./mvnw -B -q package -DskipTests), curl, ss and jq; the whole run is bounded by
# $TIMEOUT seconds (default 900), and every process it started is stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPORTS="${1:-reports/tls-cost}"
BANDWIDTH="${BANDWIDTH:-100mbit}"
LATENCY="${LATENCY:-20ms}"
PROFILES="${PROFILES:-plain https cdn}"
REPEAT="${REPEAT:-3}"
TIMEOUT="${TIMEOUT:-900}"

if [[ -z "${TLS_COST_DEADLINE:-}" ]]; then
  TLS_COST_DEADLINE=1 exec timeout -k 20 "$TIMEOUT" "$0" "$REPORTS"
fi
for tool in java curl ss jq; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }; done
for jar in gateway/target/gateway.jar loadtest/target/loadtest.jar; do
  [[ -f "$jar" ]] || { echo "missing $jar: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
done

TMP="$(mktemp -d /tmp/tls-cost.XXXXXX)"
# shellcheck source=processes.sh
source "loadtest/bin/processes.sh"
# shellcheck source=stack.sh
source "loadtest/bin/stack.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM
TICKS="$(getconf CLK_TCK)"

classroom() { # REPORT [flags...]: one cold round of 35 students through the gateway
  local report="$1"; shift
  java -jar loadtest/target/loadtest.jar classroom --target "$GATEWAY" --origin "$ORIGIN" "${CA_FLAG[@]}" \
    --students 35 --report "$report" "$@" > "$report.log" 2>&1 || { tail -20 "$report.log" >&2; exit 1; }
}

rows=()
for profile in $PROFILES; do
  for run in $(seq 1 "$REPEAT"); do
    start_origin "$profile" "$BANDWIDTH" "$LATENCY"
    start_gateway
    CA_FLAG=()
    [[ -z "$ORIGIN_CA" ]] || CA_FLAG=(--origin-ca "$ORIGIN_CA")
    report="$REPORTS/$profile-$run"
    mkdir -p "$report-warmup" "$report"
    warmup_book="$(curl -fs ${ORIGIN_CA:+--cacert "$ORIGIN_CA"} "$ORIGIN/_origin/catalog" | jq -r '.books[1].id')"
    classroom "$report-warmup" --book "$warmup_book"
    before="$(cpu_ticks "$GATEWAY_PID")"
    classroom "$report"
    after="$(cpu_ticks "$GATEWAY_PID")"
    rows+=("$(jq -r --arg p "$profile" --arg cpu "$(( after - before ))" --arg tck "$TICKS" '.rounds[0] as $r |
        [$p, $r.uplink.requests, $r.uplink.bytes, $r.deliveredBytes, ($cpu | tonumber) / ($tck | tonumber), $r.failed]
        | @tsv' "$report/classroom.json")")
    stop_pid "$GATEWAY_PID"; stop_pid "${pids[-2]}"; pids=("${pids[@]:0:${#pids[@]}-2}")
  done
done

printf '%s\n' "${rows[@]}" | awk -F'\t' '
  function mib(n) { return sprintf("%.1f MiB", n / 1048576) }
  BEGIN { print "| origin profile | origin requests | uplink | delivered | gateway CPU | CPU s per delivered GiB | CPU s per uplink GiB | failed |"
          print "| --- | --- | --- | --- | --- | --- | --- | --- |" }
  { printf "| %s | %d | %s | %s | %.2f s | %.2f | %.1f | %d |\n", $1, $2, mib($3), mib($4), $5,
      $5 / ($4 / 1073741824), $5 / ($3 / 1073741824), $6 }'
