#!/usr/bin/env bash
# Headless Chromium opening a demo book through the gateway over HTTPS, with HTTP/2 (ALPN h2, the
# default) and with HTTP/1.1 (server.http2.enabled: false): the time to the page's load event and
# the connections opened, cold (a fresh gateway: every asset crosses the simulated uplink) and
# warm (the same gateway again, from a second fresh browser: every asset a hit, as for the second
# tablet of a class). docs/measurements.md: "HTTP/2 and TLS side by side with nginx", the browser part.
#
#   loadtest/bin/browser-h2.sh [--report DIR] [--runs 3] [--bandwidth 100mbit] [--latency 20ms]
#       [--book /books/maths-6e/index.html] [--timeout 900]
#
# The origin is `loadtest.jar origin --profile cdn` (HTTPS, br/gzip with Vary, a publisher's
# Cache-Control) behind the uplink --bandwidth/--latency (a school's, by default); the gateway gets
# a throw-away self-signed EC P-256 certificate through server.tls, which Chromium trusts by its
# public key (--ignore-certificate-errors-spki-list). Connections are counted twice: the gateway's
# gateway_client_tls_handshakes_total{outcome="ok"} around each load (every connection is a
# handshake), and Chromium's resource timing (entries with connectEnd > connectStart).
# The gateway runs on CPU 0, Chromium and the origin on CPU 1. Each browser is a fresh profile.
#
# Installs chromium (apt-get, as root) and playwright-core (npm, into
# ${XDG_CACHE_HOME:-~/.cache}/textbook-gateway/browser-h2, never into the repository) when missing.
# Everything listens on 127.0.0.1; the run is bounded by --timeout and every process it started is
# stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/../.."

REPORT="reports/browser-h2"
RUNS=3
BANDWIDTH="100mbit"
LATENCY="20ms"
BOOK="/books/maths-6e/index.html"
TIMEOUT=900
usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while (($#)); do
  case "$1" in
    --report) REPORT="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --bandwidth) BANDWIDTH="$2"; shift 2 ;;
    --latency) LATENCY="$2"; shift 2 ;;
    --book) BOOK="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done
if [[ -z "${BROWSER_H2_DEADLINE:-}" ]]; then
  BROWSER_H2_DEADLINE=1 exec timeout -k 20 "$TIMEOUT" "$0" --report "$REPORT" --runs "$RUNS" \
    --bandwidth "$BANDWIDTH" --latency "$LATENCY" --book "$BOOK" --timeout "$TIMEOUT"
fi

# ---- tools ---------------------------------------------------------------------------------
if ! command -v chromium >/dev/null; then
  if ((EUID != 0)); then echo "missing chromium: run as root or install it" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
for tool in node npm openssl taskset curl ss java jq; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }; done
NODE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/textbook-gateway/browser-h2"
if [[ ! -d "$NODE_DIR/node_modules/playwright-core" ]]; then
  echo "== installing playwright-core (npm) into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --silent playwright-core@1 >/dev/null)
fi
# ES modules resolve packages from the importing file's folder: the script runs from NODE_DIR.
cp loadtest/bin/browser-h2.mjs "$NODE_DIR/browser-h2.mjs"
if [[ ! -f gateway/target/gateway.jar || ! -f loadtest/target/loadtest.jar ]]; then
  ./mvnw -B -q package -DskipTests
fi

TMP="$(mktemp -d /tmp/browser-h2.XXXXXX)"
chmod 755 "$TMP"
mkdir -p "$REPORT"
REPORT="$(cd "$REPORT" && pwd)"
# shellcheck source=processes.sh
source "loadtest/bin/processes.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

CERT="$TMP/cert.pem"; KEY="$TMP/key.pem"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$KEY" -out "$CERT" \
  -days 2 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
SPKI="$(openssl x509 -in "$CERT" -pubkey -noout | openssl pkey -pubin -outform der \
  | openssl dgst -sha256 -binary | base64)"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "$(chromium --version 2>/dev/null | head -1), playwright-core $(node -p "require('$NODE_DIR/node_modules/playwright-core/package.json').version")"
  echo "origin: --profile cdn, uplink $BANDWIDTH, $LATENCY; book $BOOK; $RUNS runs per protocol"
} > "$REPORT/machine.txt"
cat "$REPORT/machine.txt"

GATEWAY_PID=""
start_origin() { # a fresh origin: ORIGIN, ORIGIN_CA, ORIGIN_PID
  local port; free_port port
  ORIGIN_CA="$TMP/origin-ca-$port.pem"
  taskset -c 1 java -Xmx512m -jar loadtest/target/loadtest.jar origin --port "$port" --profile cdn \
    --ca-out "$ORIGIN_CA" --bandwidth "$BANDWIDTH" --latency "$LATENCY" > "$TMP/origin-$port.log" 2>&1 &
  ORIGIN_PID=$!; pids+=("$ORIGIN_PID")
  ORIGIN="https://127.0.0.1:$port"
  for _ in $(seq 1 300); do [[ -s "$ORIGIN_CA" ]] && break; sleep 0.1; done
  CURL_CA="$ORIGIN_CA" wait_for "$ORIGIN/_origin/catalog" "$TMP/origin-$port.log"
}
start_gateway() { # MODE (h2|h1) LOG: a fresh gateway (empty cache) with TLS; GATEWAY, ADMIN, GATEWAY_PID
  local port tls admin; free_port port; free_port tls; free_port admin
  local h2=true; [[ "$1" == h1 ]] && h2=false
  cat > "$TMP/gateway-$1.yaml" <<EOF
school: browser
server:
  host: 127.0.0.1
  port: $port
  tls: { port: $tls, cert-file: "$CERT", key-file: "$KEY" }
  http2: { enabled: $h2 }
admin: { host: 127.0.0.1, port: $admin }
origins:
  - { name: origin, url: "$ORIGIN", paths: ["/"], tls: { ca-file: "$ORIGIN_CA" } }
cache:
  memory: { max-bytes: 512MiB }
access-log: { path: "off" }
timeouts: { shutdown: 1s }
EOF
  taskset -c 0 java -Xms256m -Xmx256m -XX:MaxDirectMemorySize=1g -jar gateway/target/gateway.jar run \
    --config "$TMP/gateway-$1.yaml" >> "$2" 2>&1 &
  GATEWAY_PID=$!; pids+=("$GATEWAY_PID")
  GATEWAY="https://localhost:$tls"
  ADMIN="http://127.0.0.1:$admin"
  wait_for "$ADMIN/readyz" "$2"
}
handshakes() { curl -fs --max-time 5 "$ADMIN/metrics" | awk '/^gateway_client_tls_handshakes_total\{outcome="ok"\}/ { printf "%d\n", $2 }'; }
origin_requests() { curl -fs --cacert "$ORIGIN_CA" --max-time 5 "$ORIGIN/_origin/stats" | jq -r .requests; }

load_page() { # MODE PHASE RUN: one page load, a JSON line appended to REPORT/loads.jsonl
  local h0 h1 o0 o1 out
  h0="$(handshakes)"; o0="$(origin_requests)"
  out="$(cd "$NODE_DIR" && taskset -c 1 timeout 150 node browser-h2.mjs "$GATEWAY$BOOK" "$SPKI")" \
    || { echo "browser failed ($1 $2 $3)" >&2; return 1; }
  sleep 1   # connections Chromium opened for prefetches after the load event are counted too
  h1="$(handshakes)"; o1="$(origin_requests)"
  jq -c --arg mode "$1" --arg phase "$2" --argjson run "$3" --argjson hs $((h1 - h0)) --argjson origin $((o1 - o0)) \
    '{mode: $mode, phase: $phase, run: $run, gatewayHandshakes: $hs, originRequests: $origin} + .' <<< "$out" \
    | tee -a "$REPORT/loads.jsonl"
}

: > "$REPORT/loads.jsonl"
: > "$REPORT/gateway.log"
for run in $(seq 1 "$RUNS"); do
  for mode in h2 h1; do
    echo "== run $run, $mode (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    start_origin
    echo "--- $mode run $run" >> "$REPORT/gateway.log"
    start_gateway "$mode" "$REPORT/gateway.log"
    load_page "$mode" cold "$run"
    load_page "$mode" warm "$run"
    stop_pid "$GATEWAY_PID"; stop_pid "$ORIGIN_PID"
    pids=("${pids[@]:0:${#pids[@]}-2}")
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$REPORT/machine.txt"

jq -rs '
  def med: sort | if length == 0 then null else .[(length - 1) / 2 | floor] end;
  group_by(.mode + " " + .phase) | map({
    key: (.[0].mode + " " + .[0].phase),
    load: (map(.loadEventMs) | med), loads: (map(.loadEventMs | tostring) | join(", ")),
    hs: (map(.gatewayHandshakes | tostring) | join(", ")), seen: (map(.connectionsSeen | tostring) | join(", ")),
    res: (map(.resources) | med), origin: (map(.originRequests) | med),
    proto: (map(.protocols | keys | join("+")) | unique | join(" / "))
  }) | sort_by(.key | if startswith("h2") then 0 else 1 end) |
  (["| protocol, cache | load event, median (runs) | connections (gateway handshakes) | connections (resource timing) | resources | origin requests | nextHopProtocol |",
    "| --- | --- | --- | --- | --- | --- | --- |"] +
   map("| \(.key) | \(.load) ms (\(.loads)) | \(.hs) | \(.seen) | \(.res) | \(.origin) | \(.proto) |")) | .[]' \
  "$REPORT/loads.jsonl" | tee "$REPORT/table.md"
echo "per-load JSON lines, table.md and the gateways' log: $REPORT"
