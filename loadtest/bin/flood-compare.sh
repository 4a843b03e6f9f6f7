#!/usr/bin/env bash
# A class's book against a flood of one-off URLs between classes: three rounds of a classroom
# through a gateway whose memory tier is MEMORY (64MiB), with, before rounds 2 and 3, FLOOD
# distinct one-off objects of FLOOD_SIZE (2560 x 256KiB: ten times the tier) requested from the
# gateway, once without a flood, once with it (cache.min-uses 1, the default) and once with it and
# cache.min-uses 2. Prints the origin requests and uplink bytes of each round. Everything on
# 127.0.0.1, bounded by TIMEOUT seconds. Needs the jars: ./mvnw -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/../.."
REPORTS="${1:-reports/flood}"
BANDWIDTH="${BANDWIDTH:-1gbit}"
LATENCY="${LATENCY:-20ms}"
MEMORY="${MEMORY:-64MiB}"
FLOOD="${FLOOD:-2560}"
FLOOD_SIZE="${FLOOD_SIZE:-256KiB}"
STUDENTS="${STUDENTS:-10}"
TIMEOUT="${TIMEOUT:-900}"

if [[ -z "${FLOOD_DEADLINE:-}" ]]; then
  FLOOD_DEADLINE=1 exec timeout -k 20 "$TIMEOUT" "$0" "$REPORTS"
fi
for tool in java curl ss jq; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }; done
for jar in gateway/target/gateway.jar loadtest/target/loadtest.jar; do
  [[ -f "$jar" ]] || { echo "missing $jar: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
done

TMP="$(mktemp -d /tmp/flood-compare.XXXXXX)"
source "loadtest/bin/processes.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM
source "loadtest/bin/stack.sh"

start_small_gateway() { # MIN_USES: config/gateway.yaml, memory MEMORY, on free ports in front of ORIGIN
  local port admin_port config
  free_port port; free_port admin_port
  config="$TMP/gateway-$port.yaml"
  sed -e 's|^  host: 0\.0\.0\.0$|  host: 127.0.0.1|' -e "s|^  port: 8080$|  port: $port|" \
    -e "s|^  port: 9090$|  port: $admin_port|" -e "s|^    url: http://127\.0\.0\.1:8000$|    url: $ORIGIN|" \
    -e "s|^    max-bytes: 512MiB$|    max-bytes: $MEMORY|" -e "s|^  min-uses: 1$|  min-uses: $1|" \
    config/gateway.yaml > "$config"
  local want
  for want in "  port: $port" "    url: $ORIGIN" "    max-bytes: $MEMORY" "  min-uses: $1"; do
    grep -qxF "$want" "$config" || { echo "config/gateway.yaml changed: cannot set '$want'" >&2; exit 1; }
  done
  java -jar gateway/target/gateway.jar run --config "$config" > "$TMP/gateway-$port.log" 2>&1 &
  GATEWAY_PID=$!
  pids+=("$GATEWAY_PID")
  GATEWAY="http://127.0.0.1:$port"
  ADMIN="http://127.0.0.1:$admin_port"
  wait_for "$ADMIN/readyz" "$TMP/gateway-$port.log"
}

start_origin plain "$BANDWIDTH" "$LATENCY"
run() { # NAME MIN_USES FLOOD
  start_small_gateway "$2"
  echo "== $1: memory $MEMORY, cache.min-uses $2, --flood $3 --flood-size $FLOOD_SIZE"
  echo "\$ classroom --target $GATEWAY --origin $ORIGIN --students $STUDENTS --rounds 3 --flood $3 --flood-size $FLOOD_SIZE --max-time 3m --report $REPORTS/$1"
  java -jar loadtest/target/loadtest.jar classroom --target "$GATEWAY" --origin "$ORIGIN" --students "$STUDENTS" \
    --rounds 3 --flood "$3" --flood-size "$FLOOD_SIZE" --max-time 3m --report "$REPORTS/$1" | grep -E "^(before|round|  uplink|  errors)" || true
  curl -s "$ADMIN/metrics" | grep -E '^gateway_cache_min_uses_passed_total|^gateway_cache_evictions_total' || true
  kill "$GATEWAY_PID"; wait "$GATEWAY_PID" 2>/dev/null || true
}
run no-flood 1 0
run flood 1 "$FLOOD"
run flood-min-uses-2 2 "$FLOOD"

echo
echo "| run | round 1: origin requests, uplink | round 2 | round 3 | failed requests |"
echo "| --- | --- | --- | --- | --- |"
for name in no-flood flood flood-min-uses-2; do
  jq -r --arg name "$name" '[.rounds[] | "\(.uplink.requests), \(.uplink.bytes / 1048576 * 10 | round / 10) MiB"] as $r
      | "| \($name) | \($r[0]) | \($r[1]) | \($r[2]) | \([.rounds[].failed] | add) |"' "$REPORTS/$name/classroom.json"
done
