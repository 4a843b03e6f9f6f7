#!/usr/bin/env bash
# Measures one classroom (35 students opening the same book) through the gateway and straight at
# the origin, over a shaped school uplink: the table of docs/measurements.md, "Load testing".
#
#   loadtest/bin/classroom-compare.sh [REPORT_DIR] [extra classroom flags...]
#
# Starts `loadtest.jar origin --profile $PROFILE --bandwidth $BANDWIDTH --latency $LATENCY` (default
# plain, 100mbit, 20ms; PROFILE=cdn: HTTPS, br/gzip with Vary, its CA trusted by the gateway and the
# tools) and a gateway with config/gateway.yaml, its listeners and origin URL moved to free ports (every
# other setting as documented), then runs `classroom --students 35` through the gateway (--rounds
# 2: round 1 cold, round 2 warm) and straight at the origin, reports in REPORT_DIR/gateway and
# REPORT_DIR/direct (default reports/classroom), and prints the table with jq.
#
# SIGNED=1: the gateway guards /books/ with a signed-url entitlement rule (key k1, a random secret
# written into the run's temporary directory), and the class through it runs with --sign-key-file:
# each student sends its own signed links (grp=student-N), as a publisher's cloud hands them out.
# The run straight at the origin sends none (the origin ignores them anyway). SIGNED=1 UNSIGNED=N:
# the last N students of the class through the gateway send no link (--unsigned-students N; its
# summary counts their 403s), for pupils without a valid link.
#
# Needs the jars (./mvnw -B -q package -DskipTests), curl, ss and jq. Everything listens on
# 127.0.0.1 only; the whole run is bounded by $TIMEOUT seconds (default 900), and every process
# it started is stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPORTS="${1:-reports/classroom}"; shift || true
BANDWIDTH="${BANDWIDTH:-100mbit}"
LATENCY="${LATENCY:-20ms}"
PROFILE="${PROFILE:-plain}"
TIMEOUT="${TIMEOUT:-900}"
SIGNED="${SIGNED:-0}"
UNSIGNED="${UNSIGNED:-0}"

# The whole run under one deadline: timeout(1) signals our process group (origin, gateway,
# classroom) at the deadline, and the trap below stops what is left.
if [[ -z "${CLASSROOM_DEADLINE:-}" ]]; then
  CLASSROOM_DEADLINE=1 exec timeout -k 20 "$TIMEOUT" "$0" "$REPORTS" "$@"
fi
for tool in java curl ss jq; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }; done
for jar in gateway/target/gateway.jar loadtest/target/loadtest.jar; do
  [[ -f "$jar" ]] || { echo "missing $jar: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
done

TMP="$(mktemp -d /tmp/classroom-compare.XXXXXX)"
# shellcheck source=processes.sh
source "loadtest/bin/processes.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=stack.sh
source "loadtest/bin/stack.sh"
start_origin "$PROFILE" "$BANDWIDTH" "$LATENCY"
RULE=()
SIGN_FLAG=()
if [[ "$SIGNED" == 1 ]]; then
  # A throw-away secret, 32 characters: the gateway wants at least 16 bytes.
  head -c 24 /dev/urandom | base64 > "$TMP/k1.key"
  RULE=(-e "s|^  rules: \[\]\$|  rules: [{ paths: [\"/books/\"], mode: signed-url, keys: [{ id: k1, secret-file: '$TMP/k1.key' }] }]|")
  SIGN_FLAG=(--sign-key-file "$TMP/k1.key" --sign-key-id k1 --unsigned-students "$UNSIGNED")
fi
start_gateway "${RULE[@]}"
if [[ "$SIGNED" == 1 ]]; then
  # The rule must be in force, or the run would measure a plain gateway: a manifest without a link is refused.
  manifest="$(curl -fs "$GATEWAY/_origin/catalog" | jq -r '.books[0].manifest')"
  status="$(curl -s -o /dev/null -w '%{http_code}' "$GATEWAY$manifest")"
  [[ "$status" == 403 ]] || { echo "SIGNED=1: GET $manifest without a link answered $status, not 403" >&2; exit 1; }
fi
CA_FLAG=()
[[ -z "$ORIGIN_CA" ]] || CA_FLAG=(--origin-ca "$ORIGIN_CA")

echo "== through the gateway (round 1 cold, round 2 warm), $PROFILE origin, uplink $BANDWIDTH, latency $LATENCY$(
  [[ "$SIGNED" != 1 ]] || echo ", /books/ under a signed-url rule")"
echo "\$ classroom --target $GATEWAY --origin $ORIGIN ${CA_FLAG[*]} ${SIGN_FLAG[*]} --students 35 --rounds 2 --report $REPORTS/gateway $*"
ticks0="$(cpu_ticks "$GATEWAY_PID")"
java -jar loadtest/target/loadtest.jar classroom --target "$GATEWAY" --origin "$ORIGIN" "${CA_FLAG[@]}" \
  "${SIGN_FLAG[@]}" --students 35 --rounds 2 --report "$REPORTS/gateway" "$@"
# The gateway's own CPU moves less with the machine's load than latencies do: what to compare
# between two gateways (signed links or not) on a shared machine.
awk -v t="$(( $(cpu_ticks "$GATEWAY_PID") - ticks0 ))" -v hz="$(getconf CLK_TCK)" \
  'BEGIN { printf "gateway CPU (user + system) over the two rounds: %.2f s\n", t / hz }'
echo "== straight at the origin"
echo "\$ classroom --target $ORIGIN --origin $ORIGIN ${CA_FLAG[*]} --students 35 --report $REPORTS/direct $*"
java -jar loadtest/target/loadtest.jar classroom --target "$ORIGIN" --origin "$ORIGIN" "${CA_FLAG[@]}" \
  --students 35 --report "$REPORTS/direct" "$@"

# The table of docs/measurements.md, from the JSON reports.
row() { # LABEL JSON ROUND
  jq -r --arg name "$1" --argjson i "$3" '.rounds[$i] as $r | [$name, $r.uplink.requests, $r.uplink.bytes,
      $r.uplink.bytesPerDeliveredByte, $r.kinds.asset.firstByteMillis.p50, $r.kinds.asset.firstByteMillis.p99,
      $r.bookOpen.millis.p50, $r.bookOpen.millis.p99, $r.failed, $r.requests] | @tsv' "$2"
}
{
  row "origin directly" "$REPORTS/direct/classroom.json" 0
  row "gateway, cold cache (round 1)" "$REPORTS/gateway/classroom.json" 0
  row "gateway, warm cache (round 2)" "$REPORTS/gateway/classroom.json" 1
} | awk -F'\t' '
  function t(ms) { if (ms == "") return "-"; if (ms >= 1000) return sprintf("%.3g s", ms / 1000);
                   return sprintf("%.3g ms", ms) }
  function b(n) { return n >= 1048576 ? sprintf("%.1f MiB", n / 1048576) : sprintf("%d B", n) }
  BEGIN { print "| target | origin requests | bytes over the uplink | asset first byte p50 / p99 | book open p50 / p99 | failed requests |"
          print "| --- | --- | --- | --- | --- | --- |" }
  { printf "| %s | %d | %s (%.2f per byte delivered) | %s / %s | %s / %s | %d of %d |\n",
      $1, $2, b($3), $4, t($5), t($6), t($7), t($8), $9, $10 }'
