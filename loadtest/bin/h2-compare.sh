#!/usr/bin/env bash
# HTTPS side by side: the gateway and nginx 1.22 (`listen ... ssl http2`, proxy_cache) in turn, in
# front of the same simulated origin on 127.0.0.1, with the same throw-away certificate (EC P-256,
# self-signed, made with openssl in the temporary directory), each pinned to CPU 0 while h2load
# drives it from CPU 1. Three loads per proxy, as docs/measurements.md's "HTTP/2 and TLS side by side with
# nginx" explains:
#   h2         hot 16 KiB hits over HTTP/2: 64 connections (tablets), 16 concurrent streams each;
#   h1         the same objects over HTTP/1.1 over TLS (h2load --h1): 384 connections (64 tablets x
#              the 6 connections a browser opens per host), one request at a time on each (no
#              pipelining, as browsers);
#   handshake  TLS 1.3 handshakes: bursts of new connections that each make one request for a
#              1 KiB hit over h2 and close (h2load -c B -n B, repeated), no session resumption.
# Each reports requests (or handshakes)/s, latency p50/p90/p99 (from h2load's per-request log),
# the proxy's CPU (utime+stime of its process tree from /proc) and requests per proxy CPU-second,
# each also as a ratio to nginx measured in the same run.
#
#   loadtest/bin/h2-compare.sh [--report DIR] [--duration 15s] [--warm 20s] [--connections 64]
#       [--streams 16] [--h1-connections 384] [--handshakes 6000] [--burst 200]
#       [--timeout 900] [--proxies "gateway nginx"] [--loads "h2 h1 handshake"]
#
# Installs nginx and nghttp2-client (h2load) with apt-get when missing (as root), never uses
# nginx's system service, builds the jars when missing. Everything listens on 127.0.0.1 only; the
# whole run is bounded by --timeout (seconds), each h2load by its own, and every process it
# started is stopped at exit. GATEWAY_JVM_FLAGS overrides the gateway's JVM flags (default below,
# as peers-compare.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"

REPORT="reports/h2"
DURATION="15s"
WARM="20s"   # the gateway's JIT needs it under h2 on one core: 5 s left it at a quarter of its speed
CONNS=64
STREAMS=16
H1_CONNS=384
HANDSHAKES=6000
BURST=200
TIMEOUT=900
PROXIES="gateway nginx"
LOADS="h2 h1 handshake"
PROXY_CPU=0
LOAD_CPU=1
SMALL_COUNT=16
GATEWAY_JVM_FLAGS="${GATEWAY_JVM_FLAGS:--Xms256m -Xmx256m -XX:+UseParallelGC -XX:MaxDirectMemorySize=1g}"
GATEWAY_MEMORY_BYTES="512MiB"

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while (($#)); do
  case "$1" in
    --report) REPORT="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warm) WARM="$2"; shift 2 ;;
    --connections) CONNS="$2"; shift 2 ;;
    --streams) STREAMS="$2"; shift 2 ;;
    --h1-connections) H1_CONNS="$2"; shift 2 ;;
    --handshakes) HANDSHAKES="$2"; shift 2 ;;
    --burst) BURST="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --proxies) PROXIES="$2"; shift 2 ;;
    --loads) LOADS="$2"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done

# The whole run under one deadline (as peers-compare.sh): timeout(1) signals our process group.
if [[ -z "${H2_DEADLINE:-}" ]]; then
  H2_DEADLINE=1 exec timeout -k 20 "$TIMEOUT" "$0" --report "$REPORT" --duration "$DURATION" \
    --warm "$WARM" --connections "$CONNS" --streams "$STREAMS" --h1-connections "$H1_CONNS" \
    --handshakes "$HANDSHAKES" --burst "$BURST" --timeout "$TIMEOUT" --proxies "$PROXIES" --loads "$LOADS"
fi

seconds() { case "$1" in *m) echo $(( ${1%m} * 60 )) ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac; }
DURATION_S="$(seconds "$DURATION")"
WARM_S="$(seconds "$WARM")"
ROUNDS=$(( (HANDSHAKES + BURST - 1) / BURST ))

# ---- tools ---------------------------------------------------------------------------------
need_install=()
command -v nginx >/dev/null || need_install+=(nginx)
command -v h2load >/dev/null || need_install+=(nghttp2-client)
command -v openssl >/dev/null || need_install+=(openssl)
if ((${#need_install[@]})); then
  if ((EUID != 0)); then echo "missing ${need_install[*]}: run as root or install them" >&2; exit 1; fi
  echo "== installing ${need_install[*]} (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_install[@]}" >/dev/null
  if command -v service >/dev/null && service nginx status >/dev/null 2>&1; then service nginx stop >/dev/null 2>&1 || true; fi
fi
nginx -V 2>&1 | grep -q -- '--with-http_v2_module' || { echo "this nginx has no http_v2_module" >&2; exit 1; }
for tool in taskset curl ss java; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }; done
if [[ ! -f gateway/target/gateway.jar || ! -f loadtest/target/loadtest.jar ]]; then
  echo "== building the jars"
  ./mvnw -B -q package -DskipTests
fi

# ---- processes and clean-up ----------------------------------------------------------------
TMP="$(mktemp -d /tmp/h2-compare.XXXXXX)"
chmod 755 "$TMP"
mkdir -p "$REPORT"
REPORT="$(cd "$REPORT" && pwd)"
# shellcheck source=processes.sh
source "loadtest/bin/processes.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

# A process and its descendants, and their utime+stime in clock ticks (as peers-compare.sh).
tree_pids() {
  local all; all="$(ps -e -o pid=,ppid=)"
  local -a queue=("$1") out=()
  while ((${#queue[@]})); do
    local p="${queue[0]}"; queue=("${queue[@]:1}")
    out+=("$p")
    while read -r c pp; do [[ "$pp" == "$p" ]] && queue+=("$c"); done <<< "$all"
  done
  echo "${out[@]}"
}
CLK_TCK="$(getconf CLK_TCK)"
cpu_ticks() {
  local total=0 p stat
  for p in $(tree_pids "$1"); do
    stat="$(cat "/proc/$p/stat" 2>/dev/null)" || continue
    stat="${stat##*) }"
    read -r -a f <<< "$stat"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

# ---- the certificate: EC P-256, self-signed, for localhost and 127.0.0.1 --------------------
CERT="$TMP/cert.pem"; KEY="$TMP/key.pem"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$KEY" -out "$CERT" \
  -days 2 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
CURL_CA="$CERT"; export CURL_CA

# ---- the origin ----------------------------------------------------------------------------
free_port ORIGIN_PORT
ORIGIN="http://127.0.0.1:$ORIGIN_PORT"
taskset -c "$LOAD_CPU" java -Xmx512m -jar loadtest/target/loadtest.jar origin --port "$ORIGIN_PORT" \
  --bandwidth unlimited --latency 0ms > "$REPORT/origin.log" 2>&1 &
pids+=($!)
CURL_CA="" wait_for "$ORIGIN/_origin/catalog"
origin_requests() { curl -fs --max-time 5 "$ORIGIN/_origin/stats" | sed -n 's/^{"requests":\([0-9]*\).*/\1/p'; }

SMALL_PATHS=()
for i in $(seq -w 1 "$SMALL_COUNT"); do SMALL_PATHS+=("/blobs/16KiB/hot-$i"); done
TINY_PATH="/blobs/1KiB/handshake"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "kernel: $(uname -r)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "nginx: $(nginx -v 2>&1 | sed 's/.*nginx\///'), $(h2load --version | head -1), $(openssl version), java: $(java -version 2>&1 | head -1)"
  echo "proxy on CPU $PROXY_CPU, h2load (and the origin) on CPU $LOAD_CPU; $DURATION per run after $WARM of warm-up"
  echo "h2: $SMALL_COUNT hot 16 KiB objects, $CONNS connections x $STREAMS streams; h1: $H1_CONNS connections x 1"
  echo "handshake: $ROUNDS bursts of $BURST new connections, one 1 KiB hit each over h2"
  echo "gateway JVM: $GATEWAY_JVM_FLAGS"
} > "$REPORT/machine.txt"
cat "$REPORT/machine.txt"

# ---- the proxies ---------------------------------------------------------------------------
PROXY_PID=""
PROXY_URL=""
GATEWAY_ADMIN=""

start_gateway() {
  local port tls admin; free_port port; free_port tls; free_port admin
  cat > "$TMP/gateway.yaml" <<EOF
school: h2
server:
  host: 127.0.0.1
  port: $port
  io-threads: 1
  tls: { port: $tls, cert-file: "$CERT", key-file: "$KEY" }
admin: { host: 127.0.0.1, port: $admin }
origins:
  - { name: origin, url: "$ORIGIN", paths: ["/"] }
cache:
  memory: { max-bytes: $GATEWAY_MEMORY_BYTES }
access-log: { path: "off" }
timeouts: { shutdown: 1s }
EOF
  # shellcheck disable=SC2086
  taskset -c "$PROXY_CPU" java $GATEWAY_JVM_FLAGS -jar gateway/target/gateway.jar run \
    --config "$TMP/gateway.yaml" > "$REPORT/gateway.log" 2>&1 &
  PROXY_PID=$!; pids+=("$PROXY_PID")
  PROXY_URL="https://localhost:$tls"
  GATEWAY_ADMIN="http://127.0.0.1:$admin"
  wait_for "$GATEWAY_ADMIN/readyz" "$REPORT/gateway.log"
  wait_for "$PROXY_URL/_origin/catalog" "$REPORT/gateway.log"
}

start_nginx() {
  local port; free_port port
  local d="$TMP/nginx"; mkdir -p "$d/cache" "$d/temp"
  local user=""; ((EUID == 0)) && user="user root root;"
  # As peers-compare.sh, plus TLS (1.2 and 1.3, the certificate above) and HTTP/2 on the same
  # listener; HTTP/2's defaults (128 concurrent streams, 64 KiB window) are the gateway's too.
  cat > "$d/nginx.conf" <<EOF
$user
daemon off;
master_process on;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path $d/temp/client;
  fastcgi_temp_path $d/temp/fastcgi;
  uwsgi_temp_path $d/temp/uwsgi;
  scgi_temp_path $d/temp/scgi;
  proxy_temp_path $d/temp/proxy;
  proxy_cache_path $d/cache levels=1:2 keys_zone=peers:16m max_size=2g inactive=1h use_temp_path=off;
  upstream origin { server 127.0.0.1:$ORIGIN_PORT; keepalive 16; }
  server {
    listen 127.0.0.1:$port ssl http2;
    ssl_certificate $CERT;
    ssl_certificate_key $KEY;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering on;
      proxy_cache peers;
      proxy_cache_valid 200 1h;
      proxy_cache_lock on;
      add_header X-Cache-Status \$upstream_cache_status always;
    }
  }
}
EOF
  taskset -c "$PROXY_CPU" nginx -p "$d/" -e "$d/error.log" -c "$d/nginx.conf" > "$REPORT/nginx.log" 2>&1 &
  PROXY_PID=$!; pids+=("$PROXY_PID")
  PROXY_URL="https://localhost:$port"
  wait_for "$PROXY_URL/_origin/catalog" "$d/error.log"
}

stop_proxy() {
  [[ -f "$TMP/nginx/error.log" ]] && cp "$TMP/nginx/error.log" "$REPORT/nginx-error.log"
  stop_pid "$PROXY_PID"
  local keep=() p
  for p in "${pids[@]}"; do [[ "$p" != "$PROXY_PID" ]] && keep+=("$p"); done
  pids=("${keep[@]}")
  PROXY_PID=""
}

is_hit() { # proxy headers-file
  case "$1" in
    gateway) grep -qiE '^cache-status:.*; hit' "$2" ;;
    nginx) grep -qiE '^x-cache-status: HIT' "$2" ;;
  esac
}
warm_object() { # proxy path: fetch over h2 until a hit (at most 5 times)
  local h="$TMP/headers"
  for _ in 1 2 3 4 5; do
    curl -fs --http2 --cacert "$CERT" --max-time 60 -o /dev/null -D "$h" "$PROXY_URL$2" || true
    if is_hit "$1" "$h"; then return 0; fi
    sleep 0.2
  done
  echo "$1: $2 is not a hit after 5 fetches:" >&2; cat "$h" >&2; return 1
}

urls() { local p; for p in "$@"; do printf '%s%s ' "$PROXY_URL" "$p"; done; }

# h2load_run NAME ARGS...: h2load on LOAD_CPU, one thread, its output in REPORT/NAME.txt and the
# per-request log (start, status, duration in us) in TMP/NAME.log. An h2load still running 30 s
# after its duration has hung (seen with the gateway: it waits for streams after stopping its
# clients): the sockets' state goes to REPORT/NAME-hung.txt, a line to REPORT/anomalies.txt, and
# the run is made once more.
h2load_run() {
  local name="$1"; shift
  local attempt limit=$(( ${H2LOAD_SECONDS:-$DURATION_S} + 30 ))
  for attempt in 1 2; do
    rm -f "$TMP/$name.log"   # h2load appends to its log file
    taskset -c "$LOAD_CPU" h2load -t 1 --log-file "$TMP/$name.log" "$@" > "$REPORT/$name.txt" 2>&1 &
    local h=$! waited=0
    while kill -0 "$h" 2>/dev/null && ((waited < limit * 10)); do sleep 0.1; waited=$((waited + 1)); done
    if kill -0 "$h" 2>/dev/null; then
      local port="${PROXY_URL##*:}"
      { date -u +%H:%M:%S; echo "proxy side:"; ss -tnio state established "( sport = :$port )"
        echo "h2load side:"; ss -tnio state established "( dport = :$port )"; } > "$REPORT/$name-hung.txt" 2>&1
      echo "$name attempt $attempt: h2load still running ${limit}s after start, killed; $(grep -c . <(ss -Htn state established "( sport = :$port )")) connections open; see $name-hung.txt" \
        | tee -a "$REPORT/anomalies.txt" >&2
      kill "$h" 2>/dev/null; wait "$h" 2>/dev/null || true
      continue
    fi
    if wait "$h" && grep -q '^finished in' "$REPORT/$name.txt"; then return 0; fi
    echo "h2load failed ($name), see $REPORT/$name.txt" >&2; tail -5 "$REPORT/$name.txt" >&2; return 1
  done
  return 1
}

# Figures from h2load's output and per-request logs: requests ok, failed, seconds, p50/p90/p99/max us.
summarise() { # seconds log-files...
  local seconds="$1"; shift
  cat "$@" | awk -v s="$seconds" '{ n++; if ($2 >= 200 && $2 < 300) ok++; else bad++; print $3 > "/dev/stderr" }
    END { printf "%d\t%d\t%.3f\n", ok, bad, s }' 2> "$TMP/durations" > "$TMP/counts"
  local pct
  pct="$(sort -n "$TMP/durations" | awk '{ d[NR] = $1 } END {
      if (NR == 0) { print "0\t0\t0\t0"; exit }
      printf "%d\t%d\t%d\t%d\n", d[int(NR * 0.5) + (NR * 0.5 > int(NR * 0.5))], d[int(NR * 0.9 + 0.999999)], d[int(NR * 0.99 + 0.999999)], d[NR] }')"
  printf '%s\t%s\n' "$(cat "$TMP/counts")" "$pct"
}

RESULTS="$REPORT/results.tsv"
printf 'proxy\tload\trequests\tfailed\tseconds\tp50_us\tp90_us\tp99_us\tmax_us\tcpu_s\torigin_requests\ttls\n' > "$RESULTS"

record() { # proxy load figures(ok failed seconds p50 p90 p99 max) t0 t1 o0 o1 negotiated
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" \
    "$(awk -v t=$(($5 - $4)) -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", t / hz }')" "$(($7 - $6))" "$8" >> "$RESULTS"
  tail -1 "$RESULTS" | awk -F'\t' '{ printf "   %s %s: %d ok, %d failed in %.1f s (%.0f/s), p50 %.2f ms, p99 %.2f ms, proxy CPU %.2f s, %.0f per CPU-s, origin %d, %s\n",
    $1, $2, $3, $4, $5, $3 / $5, $6 / 1000, $8 / 1000, $10, ($10 > 0 ? $3 / $10 : 0), $11, $12 }'
}

finished_s() { # h2load output: its "finished in" time in seconds (it prints us, ms or s)
  sed -n 's/^finished in \([0-9.]*\)\([mu]*s\),.*/\1 \2/p' "$1" \
    | awk '{ f = ($2 == "ms") ? 1e-3 : ($2 == "us") ? 1e-6 : 1; printf "%.6f\n", $1 * f }'
}
tls_line() { sed -n 's/^TLS Protocol: *//p' "$1" | head -1; }
protocol_line() { sed -n 's/^Application protocol: *//p' "$1" | head -1; }

measure_keepalive() { # proxy load (h2|h1): a warm-up run, then the measured run
  local proxy="$1" load="$2" args
  if [[ "$load" == h2 ]]; then args=(-c "$CONNS" -m "$STREAMS"); else args=(--h1 -c "$H1_CONNS" -m 1); fi
  local o0 t0 t1 o1 wall
  # shellcheck disable=SC2046
  H2LOAD_SECONDS="$WARM_S" h2load_run "$proxy-$load-warm" "${args[@]}" -D "$WARM_S" $(urls "${SMALL_PATHS[@]}")
  o0="$(origin_requests)"; t0="$(cpu_ticks "$PROXY_PID")"
  # The measured run asks a fixed number of requests (the warm-up's rate x DURATION), not -D: when
  # h2load's -D duration ends against the gateway, it sometimes goes on making requests on
  # connections that stay open (never seen with nginx), which would spoil the CPU counted here.
  local n; n="$(awk -v r="$(grep -c . "$TMP/$proxy-$load-warm.log")" -v w="$WARM_S" -v d="$DURATION_S" \
    'BEGIN { n = int(r / w * d); if (n < 1000) n = 1000; print n }')"
  # shellcheck disable=SC2046
  h2load_run "$proxy-$load" "${args[@]}" -n "$n" $(urls "${SMALL_PATHS[@]}")
  t1="$(cpu_ticks "$PROXY_PID")"; o1="$(origin_requests)"
  wall="$(finished_s "$REPORT/$proxy-$load.txt")"
  record "$proxy" "$load" "$(summarise "$wall" "$TMP/$proxy-$load.log")" "$t0" "$t1" "$o0" "$o1" \
    "$(tls_line "$REPORT/$proxy-$load.txt") $(protocol_line "$REPORT/$proxy-$load.txt")"
}

measure_handshakes() { # proxy: ROUNDS bursts of BURST new connections, one request each, over h2
  local proxy="$1" o0 t0 t1 o1 r wall=0 w
  H2LOAD_SECONDS=10 h2load_run "$proxy-handshake-warm" -c "$BURST" -n "$BURST" "$PROXY_URL$TINY_PATH"
  : > "$TMP/$proxy-handshake.all"
  o0="$(origin_requests)"; t0="$(cpu_ticks "$PROXY_PID")"
  for r in $(seq 1 "$ROUNDS"); do
    H2LOAD_SECONDS=10 h2load_run "$proxy-handshake" -c "$BURST" -n "$BURST" "$PROXY_URL$TINY_PATH"
    w="$(finished_s "$REPORT/$proxy-handshake.txt")"
    wall="$(awk -v a="$wall" -v b="$w" 'BEGIN { printf "%.3f", a + b }')"
    cat "$TMP/$proxy-handshake.log" >> "$TMP/$proxy-handshake.all"
  done
  t1="$(cpu_ticks "$PROXY_PID")"; o1="$(origin_requests)"
  # Latency here is h2load's "time for connect" + request: its per-request log holds the request
  # only, so p50/p99 come from the log and the connect times stay in the .txt.
  record "$proxy" handshake "$(summarise "$wall" "$TMP/$proxy-handshake.all")" "$t0" "$t1" "$o0" "$o1" \
    "$(tls_line "$REPORT/$proxy-handshake.txt") $(protocol_line "$REPORT/$proxy-handshake.txt")"
}

for proxy in $PROXIES; do
  echo "== $proxy"
  "start_$proxy"
  echo "   pid $PROXY_PID on CPU $PROXY_CPU, $PROXY_URL; load average $(cut -d' ' -f1-3 /proc/loadavg); warming"
  for p in "${SMALL_PATHS[@]}" "$TINY_PATH"; do warm_object "$proxy" "$p"; done
  echo "   TLS as offered to a TLS 1.3 client: $(openssl s_client -connect "${PROXY_URL#https://}" -servername localhost \
    -alpn h2,http/1.1 -tls1_3 < /dev/null 2>/dev/null | grep -E '^(New,|ALPN)' | tr '\n' ' ')"
  for load in $LOADS; do
    echo "   $load (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    case "$load" in
      h2|h1) measure_keepalive "$proxy" "$load" ;;
      handshake) measure_handshakes "$proxy" ;;
      *) echo "unknown load $load" >&2; exit 1 ;;
    esac
  done
  if [[ "$proxy" == gateway ]]; then
    curl -fs --max-time 5 "$GATEWAY_ADMIN/metrics" | grep -E '^gateway_(client_tls_handshakes_total|http2_streams_total)' \
      > "$REPORT/gateway-metrics.txt" || true
  fi
  stop_proxy
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$REPORT/machine.txt"

# ---- the table -----------------------------------------------------------------------------
awk -F'\t' '
  NR == 1 { next }
  {
    k = $1 SUBSEP $2; if (!($1 in seen)) { seen[$1] = 1; name[++n] = $1 }
    rps[k] = $3 / $5; p50[k] = $6 / 1000; p90[k] = $7 / 1000; p99[k] = $8 / 1000
    cpu[k] = $10; util[k] = $10 / $5 * 100; rpc[k] = ($10 > 0) ? $3 / $10 : 0
    fail[k] = $4; orig[k] = $11; tls[k] = $12
  }
  function ratio(a, b) { return (b > 0) ? sprintf("%.2f", a / b) : "-" }
  END {
    split("h2 h1 handshake", loads, " ")
    title["h2"] = "Hot 16 KiB hits, HTTP/2 over TLS"
    title["h1"] = "Hot 16 KiB hits, HTTP/1.1 over TLS"
    title["handshake"] = "New TLS connections, one 1 KiB hit each (handshakes)"
    for (j = 1; j <= 3; j++) { l = loads[j]; nk = "nginx" SUBSEP l; any = 0
      for (i = 1; i <= n; i++) if ((name[i] SUBSEP l) in rps) any = 1
      if (!any) continue
      print ""; print title[l] ":"; print ""
      print "| proxy | per s | latency p50 / p90 / p99 | proxy CPU | per proxy CPU-s | ×nginx per s | ×nginx per CPU-s | failed | origin requests | negotiated |"
      print "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
      for (i = 1; i <= n; i++) { k = name[i] SUBSEP l; if (!(k in rps)) continue
        printf "| %s | %.0f | %.2f / %.2f / %.2f ms | %.0f%% | %.0f | %s | %s | %d | %d | %s |\n", name[i], rps[k],
          p50[k], p90[k], p99[k], util[k], rpc[k], ratio(rps[k], rps[nk]), ratio(rpc[k], rpc[nk]), fail[k], orig[k], tls[k] }
    }
  }' "$RESULTS" | tee "$REPORT/table.md"
echo
echo "h2load outputs, results.tsv, table.md, gateway-metrics.txt and the proxies' logs: $REPORT"
