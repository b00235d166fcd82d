#!/usr/bin/env bash
# Benchmarks/discovery.sh: service discovery at the issue's scale on one Roost server, over
# the Consul HTTP API, driven by roost-bench. See docs/benchmarks.md ("Discovery").
#
#   1. ttl-services: SERVICES services with a TTL check each, every check passed once per
#      INTERVAL seconds over HEARTBEAT_CONNECTIONS keep-alive connections; measured for
#      HEARTBEAT_SECONDS after one interval: heartbeat latency, the server's CPU and memory,
#      store writes (none expected), and whether every check still passes at the end.
#   2. blocking-wakeup: QUERIES blocking /v1/health/service queries parked on one service,
#      woken by a flip of its TTL check, WAKE_ROUNDS times: wake-up latency of each.
#   3. the same with FILLERS more services in the catalog (0 skips it).
#
# Each part gets a fresh server (data directory in a temporary directory).
#
#   Benchmarks/discovery.sh                        # builds roost and roost-bench, ~4 minutes
#   ROOST_BIN=.build/release/roost BENCH_BIN=.build/release/roost-bench Benchmarks/discovery.sh
#   SERVICES=2000 HEARTBEAT_SECONDS=20 FILLERS=0 Benchmarks/discovery.sh
#
# Settings (environment): SERVICES INTERVAL TTL HEARTBEAT_SECONDS HEARTBEAT_CONNECTIONS
# QUERIES WAKE_ROUNDS FILLERS PORT_BASE (client port; +10 is the peer port) SCRATCH
# (swift build --scratch-path, default .build) ROOST_BIN / BENCH_BIN (prebuilt binaries:
# skip the builds) RESULTS (the JSON file written, default Benchmarks/results/<date>-discovery.json).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES=${SERVICES:-10000}
INTERVAL=${INTERVAL:-10}                    # seconds between passes of one check
TTL=${TTL:-30}                              # the checks' TTL, seconds
HEARTBEAT_SECONDS=${HEARTBEAT_SECONDS:-60}  # measured window (bounded: <= 600)
HEARTBEAT_CONNECTIONS=${HEARTBEAT_CONNECTIONS:-64}
QUERIES=${QUERIES:-1000}
WAKE_ROUNDS=${WAKE_ROUNDS:-10}
FILLERS=${FILLERS:-10000}
PORT_BASE=${PORT_BASE:-24790}
SCRATCH=${SCRATCH:-$ROOT/.build}
RESULTS=${RESULTS:-$ROOT/Benchmarks/results/$(date -u +%Y-%m-%dT%H%M%SZ)-discovery.json}

if (( HEARTBEAT_SECONDS > 600 )); then echo "HEARTBEAT_SECONDS must be <= 600" >&2; exit 2; fi

CLIENT_PORT=$PORT_BASE
PEER_PORT=$((PORT_BASE + 10))
WORK=$(mktemp -d /tmp/roost-discovery.XXXXXX)
PIDS=()

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

cleanup() {
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    { wait; } 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

ensure_tools() {
    local missing=()
    command -v jq >/dev/null || missing+=(jq)
    command -v curl >/dev/null || missing+=(curl)
    if (( ${#missing[@]} )); then
        command -v apt-get >/dev/null || { log "missing ${missing[*]} and no apt-get"; exit 1; }
        log "installing ${missing[*]} (apt)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

build() {
    if [[ -z ${ROOST_BIN:-} || -z ${BENCH_BIN:-} ]]; then
        log "building roost and roost-bench (release, scratch $SCRATCH)"
        # One --product per build: SwiftPM builds only the last one given.
        (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product roost >&2)
        (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product roost-bench >&2)
        ROOST_BIN=${ROOST_BIN:-$SCRATCH/release/roost}
        BENCH_BIN=${BENCH_BIN:-$SCRATCH/release/roost-bench}
    fi
}

# Both ends hold a descriptor per parked query: raise the soft limit as far as allowed.
raise_descriptor_limit() {
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    local limit
    limit=$(ulimit -n)
    if [[ $limit != unlimited ]] && (( limit < QUERIES + 256 )); then
        log "open-file limit $limit is below QUERIES + 256 ($((QUERIES + 256))); raise it (ulimit -Hn)"
        exit 1
    fi
    log "open-file limit $limit"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_roost() { # name -> sets SERVER_PID
    port_free "$CLIENT_PORT" && port_free "$PEER_PORT" \
        || { log "port $CLIENT_PORT or $PEER_PORT is busy (set PORT_BASE)"; exit 1; }
    "$ROOST_BIN" server --name bench --data-dir "$WORK/$1.data" \
        --listen-client "127.0.0.1:$CLIENT_PORT" --listen-peer "127.0.0.1:$PEER_PORT" \
        --listen-dns "" >>"$WORK/$1.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    local i
    for i in $(seq 1 600); do
        curl -sf "http://127.0.0.1:$CLIENT_PORT/health" >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    log "the server did not become healthy; its log:"; cat "$WORK/$1.log" >&2; exit 1
}

stop_roost() {
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
}

run_part() { # name bench-args... -> $WORK/<name>.json
    local name=$1; shift
    start_roost "$name"
    log "$name: roost-bench $*"
    if ! "$BENCH_BIN" "$@" --endpoint "127.0.0.1:$CLIENT_PORT" --server-pid "$SERVER_PID" \
        --json >"$WORK/$name.json"; then
        log "$name: roost-bench failed; the server's log:"; tail -50 "$WORK/$name.log" >&2
        exit 1
    fi
    stop_roost
}

machine_json() {
    jq -n --arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')" \
        --argjson cores "$(nproc)" \
        --arg memory "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" \
        --arg kernel "$(uname -r)" --arg swift "$(swift --version 2>&1 | head -1)" \
        --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
        --arg head "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
        '{cpu: $cpu, cores: $cores, memory: $memory, kernel: $kernel, swift: $swift,
          load_average_at_start: $load, git_head: $head}'
}

summary() { # results-json
    jq -r '
      def f: if . >= 100 then (. | round | tostring) else (. * 100 | round / 100 | tostring) end;
      .ttl_services as $t |
      "ttl-services: \($t.services) services, a pass every \($t.interval_seconds) s on \($t.connections) connections, \($t.seconds) s window",
      "  registered \($t.registered) in \($t.registration_seconds | f) s; heartbeats \($t.heartbeats_per_second | f)/s of \($t.heartbeats_offered_per_second | f) offered, \($t.heartbeats_failed) failed",
      "  heartbeat latency ms p50 \($t.heartbeat_latency_ms.p50 | f) p99 \($t.heartbeat_latency_ms.p99 | f) max \($t.heartbeat_latency_ms.max | f); lateness p99 \($t.heartbeat_lateness_ms.p99 | f) ms",
      "  server CPU \($t.server_cpu_cores | f) cores (others \($t.other_cpu_cores | f)); RSS \($t.server_rss_first_mib | f) -> \($t.server_rss_last_mib | f) MiB, peak \($t.server_rss_peak_mib | f) MiB",
      "  store writes in the window \($t.store_writes_in_window); at the end \($t.passing_at_end) passing, \($t.critical_at_end) critical",
      (.wakeups[] |
        "blocking-wakeup: \(.queries) queries x \(.rounds) rounds, \(.filler_services) other services: woke \(.woke) of \(.expected) (early \(.early), stale \(.stale), missing \(.missing))",
        "  wake-up ms from the change sent: p50 \(.wakeup_from_send_ms.p50 | f) p99 \(.wakeup_from_send_ms.p99 | f) max \(.wakeup_from_send_ms.max | f); change acknowledged p50 \(.change_ack_ms.p50 | f) ms",
        "  server CPU \(.server_cpu_seconds | f) s over \(.seconds | f) s (others \(.other_cpu_seconds | f) s); RSS \(.server_rss_before_mib | f) MiB idle, \(.server_rss_parked_max_mib | f) MiB with the queries parked")
    ' "$1"
}

main() {
    ensure_tools
    build
    raise_descriptor_limit
    mkdir -p "$(dirname "$RESULTS")"
    local machine
    machine=$(machine_json)
    run_part ttl ttl-services --services "$SERVICES" --interval "$INTERVAL" --ttl "$TTL" \
        --duration "$HEARTBEAT_SECONDS" --connections "$HEARTBEAT_CONNECTIONS"
    run_part wake blocking-wakeup --queries "$QUERIES" --rounds "$WAKE_ROUNDS"
    local wakeups=("$WORK/wake.json")
    if (( FILLERS > 0 )); then
        run_part wake-fillers blocking-wakeup --queries "$QUERIES" --rounds "$WAKE_ROUNDS" \
            --services "$FILLERS" --time-limit 120
        wakeups+=("$WORK/wake-fillers.json")
    fi
    jq -n --argjson machine "$machine" --slurpfile ttl "$WORK/ttl.json" \
        --argjson wakeups "$(jq -s . "${wakeups[@]}")" \
        --arg command "SERVICES=$SERVICES INTERVAL=$INTERVAL TTL=$TTL HEARTBEAT_SECONDS=$HEARTBEAT_SECONDS HEARTBEAT_CONNECTIONS=$HEARTBEAT_CONNECTIONS QUERIES=$QUERIES WAKE_ROUNDS=$WAKE_ROUNDS FILLERS=$FILLERS Benchmarks/discovery.sh" \
        '{command: $command, machine: $machine, ttl_services: $ttl[0], wakeups: $wakeups}' \
        >"$RESULTS"
    summary "$RESULTS"
    log "written to $RESULTS"
}

main "$@"
