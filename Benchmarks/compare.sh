#!/usr/bin/env bash
# Benchmarks/compare.sh: etcd (Debian's etcd-server) and Roost on loopback, one at a time,
# under the SAME load from the SAME generator (roost-bench, etcd v3 JSON gateway over
# HTTP/1.1 keep-alive), reported as Roost/etcd ratios. See docs/benchmarks.md.
#
#   Benchmarks/compare.sh                 # everything, about 8-10 minutes
#   MEMORY_KEYS=0 Benchmarks/compare.sh   # skip the 1,000,000-key memory/restart part
#
# Settings (environment): DURATION WARMUP ROUNDS CONNECTIONS KEYS VALUE_BYTES MEMORY_KEYS
# WATCH_STREAMS WATCHERS_PER_STREAM WATCH_PUT_RATE WATCH_CONNECTIONS PORT_BASE
# SCRATCH (swift build --scratch-path, default .build), ROOST_BIN / BENCH_BIN (prebuilt
# binaries: skip the builds), RESULTS (output file).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION=${DURATION:-8}            # measured seconds per workload run (bounded: <= 30)
WARMUP=${WARMUP:-2}                # unmeasured seconds before each window
ROUNDS=${ROUNDS:-3}                # runs per workload and server, interleaved; median kept
CONNECTIONS=${CONNECTIONS:-64}
KEYS=${KEYS:-10000}
VALUE_BYTES=${VALUE_BYTES:-256}
WATCH_STREAMS=${WATCH_STREAMS:-10}
WATCHERS_PER_STREAM=${WATCHERS_PER_STREAM:-10}
WATCH_PUT_RATE=${WATCH_PUT_RATE:-1000}
WATCH_CONNECTIONS=${WATCH_CONNECTIONS:-16}
MEMORY_KEYS=${MEMORY_KEYS:-1000000}
PORT_BASE=${PORT_BASE:-23790}
SCRATCH=${SCRATCH:-$ROOT/.build}
RESULTS=${RESULTS:-$ROOT/Benchmarks/results/$(date -u +%Y-%m-%dT%H%M%SZ).md}

if (( DURATION > 30 )); then echo "DURATION must be <= 30 s" >&2; exit 2; fi

ROOST_PORT=$PORT_BASE
ETCD_PORT=$((PORT_BASE + 1))
ROOST_PEER=$((PORT_BASE + 10))
ETCD_PEER=$((PORT_BASE + 11))
WORK=$(mktemp -d /tmp/roost-compare.XXXXXX)
PIDS=()

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

cleanup() {
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# --- tools -------------------------------------------------------------------------------

ensure_tools() {
    local missing=()
    command -v etcd >/dev/null || missing+=(etcd-server)
    command -v jq >/dev/null || missing+=(jq)
    command -v curl >/dev/null || missing+=(curl)
    if (( ${#missing[@]} )); then
        log "installing ${missing[*]} (apt)"
        apt-get update -qq
        apt-cache policy "${missing[@]}" | grep -E '^[a-z]|Candidate' >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    # The Debian package may start a system etcd; it must not share the machine with us.
    if pgrep -x etcd >/dev/null; then
        log "warning: an etcd is already running (pid $(pgrep -x etcd | tr '\n' ' '))"
    fi
}

build() {
    if [[ -z ${ROOST_BIN:-} ]]; then
        log "building roost (release, scratch $SCRATCH)"
        (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product roost >&2)
        ROOST_BIN=$SCRATCH/release/roost
    fi
    if [[ -z ${BENCH_BIN:-} ]]; then
        log "building roost-bench (release, scratch $SCRATCH)"
        (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product roost-bench >&2)
        BENCH_BIN=$SCRATCH/release/roost-bench
    fi
}

# --- servers -------------------------------------------------------------------------------

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_health() { # port
    local i
    for i in $(seq 1 600); do
        curl -sf "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    log "server on port $1 did not become healthy"; return 1
}

start_roost() { # data-dir -> sets SERVER_PID
    port_free "$ROOST_PORT" || { log "port $ROOST_PORT is busy"; exit 1; }
    "$ROOST_BIN" server --name bench --data-dir "$1" \
        --listen-client "127.0.0.1:$ROOST_PORT" --listen-peer "127.0.0.1:$ROOST_PEER" --listen-dns "" \
        >>"$WORK/roost.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
}

start_etcd() { # data-dir -> sets SERVER_PID; etcd's defaults, its JSON gateway is on the client port
    port_free "$ETCD_PORT" || { log "port $ETCD_PORT is busy"; exit 1; }
    etcd --name bench --data-dir "$1" \
        --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
        --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
        --listen-peer-urls "http://127.0.0.1:$ETCD_PEER" \
        --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER" \
        --initial-cluster "bench=http://127.0.0.1:$ETCD_PEER" \
        >>"$WORK/etcd.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
}

stop_server() { # pid [signal]
    kill "-${2:-TERM}" "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# --- load ------------------------------------------------------------------------------------

bench() { # server port pid name mode-args... -> writes $WORK/runs/<server>-<name>-<n>.json
    local server=$1 port=$2 pid=$3 name=$4; shift 4
    local n=1
    while [[ -e $WORK/runs/$server-$name-$n.json ]]; do n=$((n + 1)); done
    local out=$WORK/runs/$server-$name-$n.json
    "$BENCH_BIN" "$@" --endpoint "127.0.0.1:$port" --server-pid "$pid" --json >"$out"
    log "$server $name #$n: $(jq -r '"\(.requests_per_second|floor) req/s, p99 \(.latency_ms.p99) ms" +
        (if .events_per_second then ", \(.events_per_second|floor) events/s" else "" end)' "$out")"
}

workload_args() { # name -> the roost-bench arguments of that workload
    local common=(--connections "$CONNECTIONS" --keys "$KEYS" --value-bytes "$VALUE_BYTES"
        --duration "$DURATION" --warmup "$WARMUP")
    case $1 in
    put) echo put "${common[@]}" ;;
    range-l) echo range --consistency l "${common[@]}" ;;
    range-s) echo range --consistency s "${common[@]}" ;;
    watch) echo watch --connections "$WATCH_CONNECTIONS" --keys "$KEYS" \
        --value-bytes "$VALUE_BYTES" --duration "$DURATION" --warmup "$WARMUP" \
        --watch-streams "$WATCH_STREAMS" --watchers-per-stream "$WATCHERS_PER_STREAM" \
        --put-rate "$WATCH_PUT_RATE" ;;
    watch-max) echo watch --connections "$WATCH_CONNECTIONS" --keys "$KEYS" \
        --value-bytes "$VALUE_BYTES" --duration "$DURATION" --warmup "$WARMUP" \
        --watch-streams "$WATCH_STREAMS" --watchers-per-stream "$WATCHERS_PER_STREAM" \
        --put-rate 0 ;;
    esac
}

WORKLOADS=(put range-l range-s watch watch-max)

throughput_part() {
    mkdir -p "$WORK/runs"
    start_etcd "$WORK/etcd-data"; ETCD_PID=$SERVER_PID
    start_roost "$WORK/roost-data"; ROOST_PID=$SERVER_PID
    wait_health "$ETCD_PORT"; wait_health "$ROOST_PORT"
    log "filling $KEYS keys into each"
    "$BENCH_BIN" fill --endpoint "127.0.0.1:$ETCD_PORT" --keys "$KEYS" --value-bytes "$VALUE_BYTES" --json >/dev/null
    "$BENCH_BIN" fill --endpoint "127.0.0.1:$ROOST_PORT" --keys "$KEYS" --value-bytes "$VALUE_BYTES" --json >/dev/null
    local round workload
    for round in $(seq 1 "$ROUNDS"); do
        for workload in "${WORKLOADS[@]}"; do
            # shellcheck disable=SC2046 # workload_args is a word list by design
            bench etcd "$ETCD_PORT" "$ETCD_PID" "$workload" $(workload_args "$workload")
            # shellcheck disable=SC2046
            bench roost "$ROOST_PORT" "$ROOST_PID" "$workload" $(workload_args "$workload")
        done
    done
    stop_server "$ETCD_PID"; stop_server "$ROOST_PID"
}

median() { # server workload field -> the run with the median value of field (JSON)
    jq -s --arg f "$3" 'sort_by(.[$f]) | .[(length - 1) / 2 | floor]' "$WORK"/runs/"$1-$2"-*.json
}

# --- memory and restart ------------------------------------------------------------------------

memory_part() { # server -> prints one JSON object (call it without $( ), see main)
    local server=$1 port pid data=$WORK/$1-memory
    if [[ $server == roost ]]; then port=$ROOST_PORT; start_roost "$data"
    else port=$ETCD_PORT; start_etcd "$data"; fi
    pid=$SERVER_PID
    wait_health "$port"
    log "$server: filling $MEMORY_KEYS keys"
    local fill
    fill=$("$BENCH_BIN" fill --endpoint "127.0.0.1:$port" --keys "$MEMORY_KEYS" \
        --value-bytes "$VALUE_BYTES" --connections 16 --time-limit 300 --json)
    sleep 2 # let a snapshot or compaction started by the fill settle
    local rss disk
    rss=$(rss_kib "$pid")
    disk=$(du -sk "$data" | cut -f1)
    log "$server: RSS $((rss / 1024)) MiB with $MEMORY_KEYS keys; killing it (SIGKILL)"
    stop_server "$pid" KILL
    local start_ns ready end_ns rss_after
    start_ns=$(date +%s%N)
    if [[ $server == roost ]]; then start_roost "$data"; else start_etcd "$data"; fi
    pid=$SERVER_PID
    ready=$("$BENCH_BIN" ready --endpoint "127.0.0.1:$port" --keys "$MEMORY_KEYS" --time-limit 120 --json)
    end_ns=$(date +%s%N)
    rss_after=$(rss_kib "$pid")
    stop_server "$pid"
    jq -n --arg server "$server" --argjson fill "$fill" --argjson ready "$ready" \
        --argjson rss "$rss" --argjson rss_after "$rss_after" --argjson disk "$disk" \
        --argjson total_ms "$(( (end_ns - start_ns) / 1000000 ))" --argjson keys "$MEMORY_KEYS" \
        '{server: $server, keys: $keys, fill_seconds: $fill.seconds, fill_failed: $fill.failed,
          rss_mib: ($rss / 1024), rss_after_restart_mib: ($rss_after / 1024),
          data_dir_mib: ($disk / 1024), restart_ms: $total_ms,
          health_ms: $ready.health_ms, read_ms: $ready.read_ms}'
}

# --- report ---------------------------------------------------------------------------------------

fmt() { jq -rn --argjson v "$1" 'if $v >= 100 then ($v | round | tostring) else ($v * 100 | round / 100 | tostring) end'; }

machine_section() {
    echo "## Machine"
    echo
    echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores (shared by servers, generator and anything else running)"
    echo "- Memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "- Disk: $(df -h "$WORK" | awk 'NR == 2 { print $1 ", " $2 }'); $(fsync_probe)"
    echo "- Kernel: $(uname -r)"
    echo "- etcd: $(etcd --version | head -1 | sed 's/etcd Version: //') ($(etcd --version | grep 'Go Version' | sed 's/Go Version: //'))"
    echo "- Swift: $(swift --version 2>&1 | head -1)"
    echo "- Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
}

fsync_probe() { # mean latency of a 4 KiB write + fdatasync, as dd measures it
    local out
    out=$(dd if=/dev/zero of="$WORK/fsync.probe" bs=4k count=200 oflag=dsync 2>&1 | tail -1)
    rm -f "$WORK/fsync.probe"
    echo "200 x (4 KiB write + O_DSYNC): $(echo "$out" | awk -F', ' '{ print $3 }')" \
        "= $(echo "$out" | awk -F', ' '{ split($3, t, " "); printf "%.2f ms each", t[1] * 1000 / 200 }')"
}

throughput_table() {
    echo "## Throughput and latency ($CONNECTIONS connections, $KEYS keys, $VALUE_BYTES-byte values, median of $ROUNDS x ${DURATION} s)"
    echo
    echo "| workload | etcd req/s | Roost req/s | Roost/etcd | etcd p50 / p99 ms | Roost p50 / p99 ms | server CPU cores etcd / Roost | req per server CPU-s etcd / Roost (ratio) | generator cores etcd / Roost run | others' cores etcd / Roost run |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    local workload label
    for workload in put range-l range-s; do
        case $workload in
        put) label="put" ;; range-l) label="range, linearizable" ;; range-s) label="range, serializable" ;;
        esac
        table_row "$label" "$workload" requests_per_second latency_ms
    done
    echo
    echo "## Watch fan-out ($((WATCH_STREAMS * WATCHERS_PER_STREAM)) watchers on $WATCH_STREAMS streams, puts on $WATCH_CONNECTIONS connections: paced at $WATCH_PUT_RATE/s, then as fast as each server takes them)"
    echo
    echo "| workload | etcd events/s | Roost events/s | Roost/etcd | etcd event p50 / p99 ms | Roost event p50 / p99 ms | server CPU cores etcd / Roost | events per server CPU-s etcd / Roost (ratio) | generator cores etcd / Roost run | others' cores etcd / Roost run |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    table_row "watch, $WATCH_PUT_RATE puts/s offered" watch events_per_second event_latency_ms
    table_row "watch, unpaced puts" watch-max events_per_second event_latency_ms
    echo
    local workload
    for workload in watch watch-max; do
        echo "- $workload: events delivered of expected (every put sent in the window reaches" \
            "every watcher): etcd $(median etcd $workload events_per_second |
                jq -r '"\(.events) of \(.events_expected), \(.requests_per_second | floor) puts/s"')," \
            "Roost $(median roost $workload events_per_second |
                jq -r '"\(.events) of \(.events_expected), \(.requests_per_second | floor) puts/s"')."
    done
    echo
}

per_core() { # rate run-json -> rate per server CPU-second (the work a core of the server does)
    jq -rn --argjson v "$1" --argjson c "$(jq '.server_cpu_cores // 0' <<<"$2")" \
        'if $c > 0 then ($v / $c | round) else 0 end'
}

table_row() { # label workload rate-field latency-field
    local etcd roost
    etcd=$(median etcd "$2" "$3"); roost=$(median roost "$2" "$3")
    local e r
    e=$(jq ".$3" <<<"$etcd"); r=$(jq ".$3" <<<"$roost")
    echo "| $1 | $(fmt "$e") | $(fmt "$r") | **$(jq -rn --argjson e "$e" --argjson r "$r" 'if $e > 0 then ($r / $e * 100 | round / 100 | tostring) + "x" else "n/a" end')**" \
        "| $(fmt "$(jq ".$4.p50" <<<"$etcd")") / $(fmt "$(jq ".$4.p99" <<<"$etcd")")" \
        "| $(fmt "$(jq ".$4.p50" <<<"$roost")") / $(fmt "$(jq ".$4.p99" <<<"$roost")")" \
        "| $(fmt "$(jq '.server_cpu_cores // 0' <<<"$etcd")") / $(fmt "$(jq '.server_cpu_cores // 0' <<<"$roost")")" \
        "| $(per_core "$e" "$etcd") / $(per_core "$r" "$roost") ($(jq -rn --argjson e "$(per_core "$e" "$etcd")" --argjson r "$(per_core "$r" "$roost")" 'if $e > 0 then ($r / $e * 100 | round / 100 | tostring) + "x" else "n/a" end'))" \
        "| $(fmt "$(jq '.generator_cpu_cores' <<<"$etcd")") / $(fmt "$(jq '.generator_cpu_cores' <<<"$roost")")" \
        "| $(fmt "$(jq '.other_cpu_cores // 0' <<<"$etcd")") / $(fmt "$(jq '.other_cpu_cores // 0' <<<"$roost")") |"
}

memory_table() { # etcd-json roost-json
    echo "## Memory and restart ($MEMORY_KEYS keys of $VALUE_BYTES B, filled in txns of 128 puts)"
    echo
    echo "| | etcd | Roost | Roost target |"
    echo "|---|---:|---:|---:|"
    echo "| fill time, s | $(fmt "$(jq .fill_seconds <<<"$1")") | $(fmt "$(jq .fill_seconds <<<"$2")") | |"
    echo "| RSS after the fill, MiB | $(fmt "$(jq .rss_mib <<<"$1")") | $(fmt "$(jq .rss_mib <<<"$2")") | <= 1024 |"
    echo "| data directory, MiB | $(fmt "$(jq .data_dir_mib <<<"$1")") | $(fmt "$(jq .data_dir_mib <<<"$2")") | |"
    echo "| SIGKILL, restart: /health answers after, ms | $(fmt "$(jq .health_ms <<<"$1")") | $(fmt "$(jq .health_ms <<<"$2")") | |"
    echo "| ... and the last key is read after, ms | $(fmt "$(jq .read_ms <<<"$1")") | $(fmt "$(jq .read_ms <<<"$2")") | <= 5000 |"
    echo "| RSS after the restart, MiB | $(fmt "$(jq .rss_after_restart_mib <<<"$1")") | $(fmt "$(jq .rss_after_restart_mib <<<"$2")") | |"
    echo
}

main() {
    ensure_tools
    build
    mkdir -p "$(dirname "$RESULTS")"
    local started
    started=$(date -u '+%Y-%m-%d %H:%M UTC')
    local machine
    machine=$(machine_section)
    log "throughput: ${#WORKLOADS[@]} workloads x $ROUNDS rounds x 2 servers, ${DURATION} s each"
    throughput_part
    local memory=""
    if (( MEMORY_KEYS > 0 )); then
        # Not in $( ): the servers must be children of this shell (wait, cleanup trap).
        memory_part etcd >"$WORK/etcd-memory.json"
        memory_part roost >"$WORK/roost-memory.json"
        memory=$(memory_table "$(cat "$WORK/etcd-memory.json")" "$(cat "$WORK/roost-memory.json")")
    fi
    {
        echo "# Roost vs etcd, $started"
        echo
        echo "Reproduce: \`Benchmarks/compare.sh\` (DURATION=$DURATION WARMUP=$WARMUP ROUNDS=$ROUNDS" \
            "CONNECTIONS=$CONNECTIONS KEYS=$KEYS VALUE_BYTES=$VALUE_BYTES MEMORY_KEYS=$MEMORY_KEYS)."
        echo "Same generator (roost-bench, 1 thread, closed loop, one request in flight per" \
            "connection) for both servers, one server loaded at a time, on the same cores."
        echo
        echo "$machine"
        echo
        throughput_table
        echo "$memory"
        echo
        echo "## Every run"
        echo
        echo '```'
        local file
        for file in "$WORK"/runs/*.json; do
            echo "$(basename "$file" .json): $(jq -c '{rps: (.requests_per_second | floor), p50: .latency_ms.p50, p99: .latency_ms.p99, eps: (.events_per_second // null | if . then floor else null end), server_cpu: .server_cpu_cores, gen_cpu: .generator_cpu_cores, others: .other_cpu_cores, failed, first_failure}' "$file")"
        done
        echo '```'
    } >"$RESULTS"
    cat "$RESULTS"
    log "written to $RESULTS"
}

# Sourced (Benchmarks/compare-cluster.sh reuses the functions above): do not run.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
