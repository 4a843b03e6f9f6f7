# Shared by the classroom measuring scripts (source it after processes.sh, with TMP set): start the
# simulated origin of a profile and a gateway with config/gateway.yaml in front of it, both on free
# 127.0.0.1 ports. Sets ORIGIN, ORIGIN_CA (empty for plain HTTP), GATEWAY, ADMIN and GATEWAY_PID.

start_origin() { # PROFILE BANDWIDTH LATENCY: loadtest.jar origin, its URL in ORIGIN
  local profile="$1" port
  free_port port
  ORIGIN_CA=""
  local tls=()
  if [[ "$profile" != plain ]]; then
    ORIGIN_CA="$TMP/origin-ca-$port.pem"
    tls=(--ca-out "$ORIGIN_CA")
    ORIGIN="https://127.0.0.1:$port"
  else
    ORIGIN="http://127.0.0.1:$port"
  fi
  java -jar loadtest/target/loadtest.jar origin --port "$port" --bandwidth "$2" --latency "$3" \
    --profile "$profile" "${tls[@]}" > "$TMP/origin-$port.log" 2>&1 &
  pids+=($!)
  CURL_CA="$ORIGIN_CA" wait_for "$ORIGIN/_origin/catalog" "$TMP/origin-$port.log"
}

start_gateway() { # [SED_ARGS...]: config/gateway.yaml on free ports in front of ORIGIN (its CA trusted), edited
  # further by SED_ARGS (-e EXPR ...) if any: GATEWAY, ADMIN, GATEWAY_PID
  local port admin_port config
  free_port port; free_port admin_port
  config="$TMP/gateway-$port.yaml"
  local tls=()
  [[ -z "$ORIGIN_CA" ]] || tls=(-e "/^    url: https:/a\\    tls: { ca-file: '$ORIGIN_CA' }")
  sed -e 's|^  host: 0\.0\.0\.0$|  host: 127.0.0.1|' -e "s|^  port: 8080$|  port: $port|" \
    -e "s|^  port: 9090$|  port: $admin_port|" -e "s|^    url: http://127\.0\.0\.1:8000$|    url: $ORIGIN|" \
    "${tls[@]}" "$@" config/gateway.yaml > "$config"
  local settings want
  settings="$(grep -v '^ *#' "$config")"
  for want in "  port: $port" "  port: $admin_port" "    url: $ORIGIN"; do
    grep -qxF "$want" <<< "$settings" || { echo "config/gateway.yaml changed: cannot set '$want'" >&2; exit 1; }
  done
  if grep -qF '0.0.0.0' <<< "$settings"; then echo "config/gateway.yaml changed: still on 0.0.0.0" >&2; exit 1; fi
  java -jar gateway/target/gateway.jar run --config "$config" > "$TMP/gateway-$port.log" 2>&1 &
  GATEWAY_PID=$!
  pids+=("$GATEWAY_PID")
  GATEWAY="http://127.0.0.1:$port"
  ADMIN="http://127.0.0.1:$admin_port"
  wait_for "$ADMIN/readyz" "$TMP/gateway-$port.log"
}

cpu_ticks() { # PID: user + system CPU time so far, in clock ticks (getconf CLK_TCK a second)
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}
