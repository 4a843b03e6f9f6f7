# Shared by the measuring scripts (source it; it runs nothing): the processes a run starts, free
# loopback ports, and waiting for a server to answer. The script sets TMP (a directory removed at
# exit), appends each background process to pids, and installs the traps:
#   trap cleanup EXIT; trap 'exit 130' INT TERM
pids=()
used_ports=()

stop_pid() { # PID: TERM, then KILL after 10 s
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}

cleanup() { # stops every process in pids, removes TMP
  local p
  for p in "${pids[@]}"; do stop_pid "$p"; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}

free_port() { # VAR: a port nothing listens on, not handed out before
  local p
  for _ in $(seq 1 500); do
    p=$((20000 + RANDOM % 40000))
    [[ " ${used_ports[*]} " == *" $p "* ]] && continue
    # Any state, not only listening: a port in TIME_WAIT or used by a connection cannot be bound either.
    if [[ -z "$(ss -Htan "sport = :$p")" ]]; then used_ports+=("$p"); printf -v "$1" '%s' "$p"; return 0; fi
  done
  echo "no free port" >&2; exit 1
}

wait_for() { # URL [LOG]: answers within 30 s, or "not up" (and the LOG's end) and failure; https trusts $CURL_CA if set
  local ca=()
  [[ -z "${CURL_CA:-}" ]] || ca=(--cacert "$CURL_CA")
  for _ in $(seq 1 300); do curl -fs "${ca[@]}" -o /dev/null --max-time 2 "$1" && return 0; sleep 0.1; done
  echo "not up: $1" >&2
  [[ -z "${2:-}" ]] || tail -20 "$2" >&2
  return 1
}
