#!/usr/bin/env bash
# Side by side with peers: the gateway, nginx (proxy_cache) and Varnish, each in turn in front of
# the same simulated origin on 127.0.0.1, each pinned to CPU 0 while wrk drives it from CPU 1.
# For hot objects (stored in the proxy's memory or, for nginx, its cache files in the page cache)
# it reports requests/s, latency p50/p90/p99 (16 KiB objects), MB/s (one 64 MiB object), and
# requests and MB per CPU-second of the proxy's processes (utime+stime from /proc), each also as
# a ratio to nginx measured in the same run: docs/measurements.md, "Side by side with nginx and Varnish".
#
#   loadtest/bin/peers-compare.sh [--report DIR] [--duration 15s] [--warm 5s]
#       [--small-connections 64] [--large-connections 4] [--threads 2] [--timeout 900]
#       [--proxies "gateway nginx varnish"] [--loads "small large"] [--gateway-access-log off|FILE]
#       [--profile] [--syscalls]
#
# --loads picks the measured loads: small (hot 16 KiB objects), large (the 64 MiB object) or both.
# --gateway-access-log writes the gateway's access log to FILE (appending; keep it in /tmp); the
# default, off, is what the README's figures were measured with (nginx's access_log is off too).
#
# --profile adds, after the gateway's measured runs, a JFR recording (settings=profile) of the
# gateway under each load, summarised by loadtest/bin/jfr-top.sh in DIR/gateway-small-profile.txt
# and DIR/gateway-large-profile.txt (not part of the table). GATEWAY_JVM_FLAGS overrides the gateway's JVM flags (default below).
#
# Installs nginx, varnish and wrk with apt-get when missing (as root), never uses their system
# services (runs its own instances with its own files in a temporary directory, on free loopback
# ports), builds the jars when missing. Everything listens on 127.0.0.1 only; the whole run is
# bounded by --timeout (seconds), and every process it started is stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"

REPORT="reports/peers"
DURATION="15s"
WARM="5s"
SMALL_CONNS=64
LARGE_CONNS=4
THREADS=2
TIMEOUT=900
PROXIES="gateway nginx varnish"
PROFILE=0
SYSCALLS=0
PROXY_CPU=0
LOAD_CPU=1
SMALL_COUNT=16
LOADS="small large"
GATEWAY_ACCESS_LOG="off"
# The gateway's JVM: a fixed 256 MiB heap (it holds metadata and Caffeine's index; bodies live
# in direct memory), the collector named (on one CPU the JVM would otherwise pick Serial; with
# one GC thread the two are alike), direct memory above the memory tier / 0.75 (the gateway
# checks it at start-up).
GATEWAY_JVM_FLAGS="${GATEWAY_JVM_FLAGS:--Xms256m -Xmx256m -XX:+UseParallelGC -XX:MaxDirectMemorySize=1g}"
GATEWAY_MEMORY_BYTES="512MiB"

usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while (($#)); do
  case "$1" in
    --report) REPORT="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warm) WARM="$2"; shift 2 ;;
    --small-connections) SMALL_CONNS="$2"; shift 2 ;;
    --large-connections) LARGE_CONNS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --proxies) PROXIES="$2"; shift 2 ;;
    --loads) LOADS="$2"; shift 2 ;;
    --gateway-access-log) GATEWAY_ACCESS_LOG="$2"; shift 2 ;;
    --profile) PROFILE=1; shift ;;
    --syscalls) SYSCALLS=1; shift ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done

# Bad values stop the run before anything is built or started, with one line naming the option.
[[ -n "${LOADS// /}" ]] || { echo "--loads: give small, large or both" >&2; exit 2; }
for load in $LOADS; do
  [[ $load == small || $load == large ]] || { echo "--loads: unknown load '$load' (small, large)" >&2; exit 2; }
done
if [[ $GATEWAY_ACCESS_LOG != off && ! -d "$(dirname -- "$GATEWAY_ACCESS_LOG")" ]]; then
  echo "--gateway-access-log: no directory for $GATEWAY_ACCESS_LOG (off, or a file in an existing directory)" >&2; exit 2
fi

# The whole run under one deadline: timeout(1) runs us in a process group of our own and, at the
# deadline, signals the whole group (every proxy, the origin, wrk), then the trap below cleans up.
if [[ -z "${PEERS_DEADLINE:-}" ]]; then
  PEERS_DEADLINE=1 exec timeout -k 20 "$TIMEOUT" "$0" --report "$REPORT" --duration "$DURATION" \
    --warm "$WARM" --small-connections "$SMALL_CONNS" --large-connections "$LARGE_CONNS" \
    --threads "$THREADS" --timeout "$TIMEOUT" --proxies "$PROXIES" \
    --loads "$LOADS" --gateway-access-log "$GATEWAY_ACCESS_LOG" \
    $( ((PROFILE)) && echo --profile) $( ((SYSCALLS)) && echo --syscalls)
fi

seconds() { # 15s, 2m, 30 -> seconds
  case "$1" in *m) echo $(( ${1%m} * 60 )) ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac
}
DURATION_S="$(seconds "$DURATION")"
WARM_S="$(seconds "$WARM")"

# ---- tools ---------------------------------------------------------------------------------
need_install=()
command -v nginx >/dev/null || need_install+=(nginx)
command -v varnishd >/dev/null || need_install+=(varnish)
command -v wrk >/dev/null || need_install+=(wrk)
if ((${#need_install[@]})); then
  if ((EUID != 0)); then echo "missing ${need_install[*]}: run as root or install them" >&2; exit 1; fi
  echo "== installing ${need_install[*]} (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_install[@]}" >/dev/null
  # The packages may start their system services: this script never uses them.
  for svc in nginx varnish; do
    if command -v service >/dev/null && service "$svc" status >/dev/null 2>&1; then
      service "$svc" stop >/dev/null 2>&1 || true
    fi
  done
fi
for tool in taskset curl ss java jcmd $( ((PROFILE)) && echo jfr) $( ((SYSCALLS)) && echo perf); do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
if [[ ! -f gateway/target/gateway.jar || ! -f loadtest/target/loadtest.jar ]]; then
  echo "== building the jars"
  ./mvnw -B -q package -DskipTests
fi

# ---- processes and clean-up ----------------------------------------------------------------
TMP="$(mktemp -d /tmp/peers-compare.XXXXXX)"
chmod 755 "$TMP"
mkdir -p "$REPORT"
REPORT="$(cd "$REPORT" && pwd)"
# shellcheck source=processes.sh
source "loadtest/bin/processes.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

# A process and all its descendants (nginx: master, worker, cache manager and loader; Varnish:
# the manager and its cache child; the gateway: one JVM whose threads /proc/PID/stat sums).
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
cpu_ticks() { # utime+stime of a process tree, in clock ticks
  local total=0 p stat
  for p in $(tree_pids "$1"); do
    stat="$(cat "/proc/$p/stat" 2>/dev/null)" || continue
    stat="${stat##*) }"                       # after the command name, which may hold spaces
    read -r -a f <<< "$stat"                  # f[0] is field 3 (state): utime is 14, stime 15
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

# ---- the origin ----------------------------------------------------------------------------
free_port ORIGIN_PORT
ORIGIN="http://127.0.0.1:$ORIGIN_PORT"
# No shaping (the command's defaults are a school's uplink): the proxies are what is measured.
taskset -c "$LOAD_CPU" java -Xmx512m -jar loadtest/target/loadtest.jar origin --port "$ORIGIN_PORT" \
  --bandwidth unlimited --latency 0ms > "$REPORT/origin.log" 2>&1 &
pids+=($!)
wait_for "$ORIGIN/_origin/catalog"
origin_requests() { curl -fs --max-time 5 "$ORIGIN/_origin/stats" | sed -n 's/^{"requests":\([0-9]*\).*/\1/p'; }

SMALL_PATHS=""
for i in $(seq -w 1 "$SMALL_COUNT"); do SMALL_PATHS+="/blobs/16KiB/hot-$i "; done
LARGE_PATH="/blobs/64MiB/hot-large"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "kernel: $(uname -r)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "nginx: $(nginx -v 2>&1 | sed 's/.*nginx\///'), varnish: $(varnishd -V 2>&1 | sed -n 's/.*(varnish-\([^ ]*\).*/\1/p'), wrk: $(wrk -v 2>&1 | sed -n 's/^wrk \([^ ]*\).*/\1/p'), java: $(java -version 2>&1 | head -1)"
  echo "proxy on CPU $PROXY_CPU, wrk (and the origin) on CPU $LOAD_CPU; $DURATION per run after $WARM of warm-up"
  echo "16 KiB: $SMALL_COUNT hot objects, $SMALL_CONNS connections, $THREADS threads; 64 MiB: 1 hot object, $LARGE_CONNS connections, $THREADS threads"
  echo "gateway JVM: $GATEWAY_JVM_FLAGS"
  echo "gateway access log: $GATEWAY_ACCESS_LOG; loads: $LOADS"
} > "$REPORT/machine.txt"
cat "$REPORT/machine.txt"

# ---- the proxies ---------------------------------------------------------------------------
PROXY_PID=""
PROXY_URL=""
GATEWAY_ADMIN=""

start_gateway() {
  local port admin; free_port port; free_port admin
  cat > "$TMP/gateway.yaml" <<EOF
school: peers
server: { host: 127.0.0.1, port: $port, io-threads: 1 }
admin: { host: 127.0.0.1, port: $admin }
origins:
  - { name: origin, url: "$ORIGIN", paths: ["/"] }
cache:
  memory: { max-bytes: $GATEWAY_MEMORY_BYTES }
access-log: { path: "$GATEWAY_ACCESS_LOG" }
timeouts: { shutdown: 1s }
EOF
  # shellcheck disable=SC2086
  taskset -c "$PROXY_CPU" java $GATEWAY_JVM_FLAGS -jar gateway/target/gateway.jar run \
    --config "$TMP/gateway.yaml" > "$REPORT/gateway.log" 2>&1 &
  PROXY_PID=$!; pids+=("$PROXY_PID")
  PROXY_URL="http://127.0.0.1:$port"
  GATEWAY_ADMIN="http://127.0.0.1:$admin"
  wait_for "$GATEWAY_ADMIN/readyz"
}

start_nginx() {
  local port; free_port port
  local d="$TMP/nginx"; mkdir -p "$d/cache" "$d/temp"
  local user=""; ((EUID == 0)) && user="user root root;"
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
    listen 127.0.0.1:$port;
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
  PROXY_URL="http://127.0.0.1:$port"
  wait_for "$PROXY_URL/_origin/catalog"
}

start_varnish() {
  local port admin; free_port port; free_port admin
  local d="$TMP/varnish"; mkdir -p "$d"
  # -b: the built-in VCL, which caches the origin's "public, max-age=3600" blobs as they are.
  # -j none: no privilege separation (the temporary directory is root's).
  taskset -c "$PROXY_CPU" varnishd -F -j none -n "$d" -a "127.0.0.1:$port" -T "127.0.0.1:$admin" \
    -b "127.0.0.1:$ORIGIN_PORT" -s malloc,1G > "$REPORT/varnish.log" 2>&1 &
  PROXY_PID=$!; pids+=("$PROXY_PID")
  PROXY_URL="http://127.0.0.1:$port"
  wait_for "$PROXY_URL/_origin/catalog"
}

stop_proxy() {
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
    varnish) grep -qiE '^x-varnish: [0-9]+ [0-9]+' "$2" ;;  # two ids: a hit
  esac
}
warm_object() { # proxy path: fetch until a hit (at most 5 times)
  local h="$TMP/headers"
  for _ in 1 2 3 4 5; do
    curl -fs --max-time 60 -o /dev/null -D "$h" "$PROXY_URL$2" || true
    if is_hit "$1" "$h"; then return 0; fi
    sleep 0.2
  done
  echo "$1: $2 is not a hit after 5 fetches:" >&2; cat "$h" >&2; return 1
}

# run_wrk NAME CONNECTIONS SECONDS PATHS: wrk on LOAD_CPU; the PEERS line goes to stdout.
run_wrk() {
  PEERS_PATHS="$4" taskset -c "$LOAD_CPU" timeout --foreground $(( $3 + 30 )) \
    wrk -t "$THREADS" -c "$2" -d "$3s" --timeout 10s --latency -s loadtest/bin/peers-wrk.lua "$PROXY_URL" \
    > "$REPORT/$1.txt" 2>&1
  grep '^PEERS ' "$REPORT/$1.txt" | tail -1
}

gateway_allocated() { # bytes allocated on the gateway's heap so far, exact after a GC
  jcmd "$PROXY_PID" GC.run > /dev/null
  curl -fs --max-time 5 "$GATEWAY_ADMIN/metrics" \
    | awk '/^jvm_gc_memory_allocated_bytes_total/ { printf "%.0f\n", $2 }'
}

RESULTS="$REPORT/results.tsv"
printf 'proxy\tscenario\trequests\tbytes\tseconds\terrors\tnon2xx\tp50_us\tp90_us\tp99_us\tmax_us\tcpu_s\torigin_requests\theap_bytes\n' > "$RESULTS"

# measure PROXY SCENARIO CONNECTIONS PATHS: one measured wrk run, CPU and origin read around it.
measure() {
  local proxy="$1" scenario="$2" conns="$3" paths="$4" alloc0="" alloc1="" heap="-"
  [[ "$proxy" == gateway ]] && alloc0="$(gateway_allocated)"
  local o0 t0 t1 o1 line
  o0="$(origin_requests)"; t0="$(cpu_ticks "$PROXY_PID")"
  line="$(run_wrk "$proxy-$scenario" "$conns" "$DURATION_S" "$paths")"
  t1="$(cpu_ticks "$PROXY_PID")"; o1="$(origin_requests)"
  [[ -n "$line" ]] || { echo "$proxy $scenario: wrk printed no result, see $REPORT/$proxy-$scenario.txt" >&2; exit 1; }
  if [[ "$proxy" == gateway ]]; then alloc1="$(gateway_allocated)"; heap=$((alloc1 - alloc0)); fi
  local kv; declare -A v
  for kv in ${line#PEERS }; do v[${kv%%=*}]="${kv#*=}"; done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$proxy" "$scenario" \
    "${v[requests]}" "${v[bytes]}" "$(awk -v d="${v[duration_us]}" 'BEGIN { printf "%.3f", d / 1e6 }')" \
    "${v[errors]}" "${v[non2xx]}" "${v[p50_us]}" "${v[p90_us]}" "${v[p99_us]}" "${v[max_us]}" \
    "$(awk -v t=$((t1 - t0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')" "$((o1 - o0))" "$heap" >> "$RESULTS"
  echo "   $proxy $scenario: ${line#PEERS }, proxy CPU $(( (t1 - t0) * 100 / CLK_TCK / 100 )).$(printf '%02d' $(( (t1 - t0) * 100 / CLK_TCK % 100 ))) s, origin requests $((o1 - o0))"
}

profile_gateway() { # scenario connections paths: a JFR recording (settings=profile) under that load
  local jfr="$REPORT/gateway-$1.jfr"
  echo "   profiling the gateway (JFR, settings=profile) under the $1 load for $DURATION"
  jcmd "$PROXY_PID" JFR.start name=peers settings=profile filename="$jfr" > /dev/null
  run_wrk "gateway-$1-profiled" "$2" "$DURATION_S" "$3" > /dev/null
  jcmd "$PROXY_PID" JFR.stop name=peers > /dev/null
  loadtest/bin/jfr-top.sh "$jfr" > "$REPORT/gateway-$1-profile.txt" || true
}

trace_syscalls() { # proxy scenario connections paths
  local out="$REPORT/$1-$2-syscalls.txt" tracer
  local tids; tids="$(tree_pids "$PROXY_PID" | tr ' ' ',')"
  perf trace -s -p "$tids" -o "$out" -- sleep "$DURATION_S" &
  tracer=$!
  sleep 1
  run_wrk "$1-$2-traced" "$3" "$((DURATION_S - 2))" "$4" > /dev/null
  wait "$tracer" || true
}

has_load() { [[ " $LOADS " == *" $1 "* ]]; }
for load in $LOADS; do
  case "$load" in small|large) ;; *) echo "unknown load: $load (small, large)" >&2; exit 2 ;; esac
done

for proxy in $PROXIES; do
  echo "== $proxy"
  "start_$proxy"
  echo "   pid $PROXY_PID on CPU $PROXY_CPU, $PROXY_URL; warming"
  has_load small && for p in $SMALL_PATHS; do warm_object "$proxy" "$p"; done
  has_load large && warm_object "$proxy" "$LARGE_PATH"
  has_load small && run_wrk "$proxy-warm-small" "$SMALL_CONNS" "$WARM_S" "$SMALL_PATHS" > /dev/null
  has_load large && run_wrk "$proxy-warm-large" "$LARGE_CONNS" "$WARM_S" "$LARGE_PATH" > /dev/null
  echo "   CPU counted for: $(for p in $(tree_pids "$PROXY_PID"); do printf '%s(%s) ' "$p" "$(cat "/proc/$p/comm" 2>/dev/null)"; done)"
  has_load small && measure "$proxy" small "$SMALL_CONNS" "$SMALL_PATHS"
  has_load large && measure "$proxy" large "$LARGE_CONNS" "$LARGE_PATH"
  if [[ "$proxy" == gateway ]] && ((PROFILE)); then
    has_load small && profile_gateway small "$SMALL_CONNS" "$SMALL_PATHS"
    has_load large && profile_gateway large "$LARGE_CONNS" "$LARGE_PATH"
  fi
  if ((SYSCALLS)); then
    echo "   tracing system calls (perf trace -s) under each load"
    has_load small && trace_syscalls "$proxy" small "$SMALL_CONNS" "$SMALL_PATHS"
    has_load large && trace_syscalls "$proxy" large "$LARGE_CONNS" "$LARGE_PATH"
  fi
  stop_proxy
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$REPORT/machine.txt"

# ---- the table -----------------------------------------------------------------------------
awk -F'\t' '
  NR == 1 { next }
  {
    k = $1 SUBSEP $2; order[$1] = order[$1] ? order[$1] : ++n; name[order[$1]] = $1
    rps[k] = $3 / $5; mbps[k] = $4 / $5 / 1e6; p50[k] = $8 / 1000; p90[k] = $9 / 1000; p99[k] = $10 / 1000
    cpu[k] = $12; rpc[k] = ($12 > 0) ? $3 / $12 : 0; mbpc[k] = ($12 > 0) ? $4 / 1e6 / $12 : 0
    util[k] = $12 / $5 * 100; err[k] = $6 + $7; orig[k] = $13; heap[k] = $14; reqs[k] = $3
  }
  function ratio(a, b) { return (b > 0) ? sprintf("%.2f", a / b) : "-" }
  END {
    s = "small"; l = "large"; ns = "nginx" SUBSEP s; nl = "nginx" SUBSEP l
    print ""
    print "Hot 16 KiB objects (16 URLs):"
    print ""
    print "| proxy | req/s | latency p50 / p90 / p99 | proxy CPU | req per proxy CPU-s | ×nginx req/s | ×nginx req per CPU-s | errors | origin requests | heap per request |"
    print "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for (i = 1; i <= n; i++) { k = name[i] SUBSEP s; if (!(k in rps)) continue
      printf "| %s | %.0f | %.2f / %.2f / %.2f ms | %.0f%% | %.0f | %s | %s | %d | %d | %s |\n", name[i], rps[k],
        p50[k], p90[k], p99[k], util[k], rpc[k], ratio(rps[k], rps[ns]), ratio(rpc[k], rpc[ns]), err[k], orig[k],
        (heap[k] == "-" ? "-" : sprintf("%.0f B", heap[k] / reqs[k])) }
    print ""
    print "Hot 64 MiB object (MB = 10^6 bytes):"
    print ""
    print "| proxy | MB/s | latency p50 / p99 | proxy CPU | MB per proxy CPU-s | ×nginx MB/s | ×nginx MB per CPU-s | errors | origin requests | heap per request |"
    print "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for (i = 1; i <= n; i++) { k = name[i] SUBSEP l; if (!(k in rps)) continue
      printf "| %s | %.0f | %.0f / %.0f ms | %.0f%% | %.0f | %s | %s | %d | %d | %s |\n", name[i], mbps[k],
        p50[k], p99[k], util[k], mbpc[k], ratio(mbps[k], mbps[nl]), ratio(mbpc[k], mbpc[nl]), err[k], orig[k],
        (heap[k] == "-" ? "-" : sprintf("%.0f B", heap[k] / reqs[k])) }
  }' "$RESULTS" | tee "$REPORT/table.md"
echo
echo "raw wrk outputs, results.tsv, table.md and the proxies' logs: $REPORT"
