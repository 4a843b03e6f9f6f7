#!/usr/bin/env bash
# Measures one classroom (35 students opening the same book) through the gateway and straight at
# the origin, over a shaped school uplink: the "Load testing" table of the README.
#
#   loadtest/bin/classroom-compare.sh [REPORT_DIR] [extra classroom flags...]
#
# Needs the jars (./mvnw -B -q package -DskipTests). Uses ports 8000 (origin), 8080 and 9090
# (gateway, from config/gateway.yaml); everything runs on 127.0.0.1 and stops at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPORTS="${1:-reports/classroom}"; shift || true
BANDWIDTH="${BANDWIDTH:-100mbit}"
LATENCY="${LATENCY:-20ms}"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_for() { for _ in $(seq 1 100); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done; echo "not up: $1" >&2; exit 1; }

java -jar loadtest/target/loadtest.jar origin --port 8000 --bandwidth "$BANDWIDTH" --latency "$LATENCY" > /dev/null 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:8000/_origin/catalog
java -jar gateway/target/gateway.jar run --config config/gateway.yaml > /dev/null 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:9090/readyz

echo "== through the gateway (round 1 cold, round 2 warm), uplink $BANDWIDTH, latency $LATENCY"
java -jar loadtest/target/loadtest.jar classroom --target http://127.0.0.1:8080 --origin http://127.0.0.1:8000 \
  --students 35 --rounds 2 --report "$REPORTS/gateway" "$@"
echo "== straight at the origin"
java -jar loadtest/target/loadtest.jar classroom --target http://127.0.0.1:8000 --origin http://127.0.0.1:8000 \
  --students 35 --rounds 1 --report "$REPORTS/direct" "$@"
