#!/usr/bin/env bash
# Benchmarks/compare-cluster.sh: a 3-member etcd cluster and a 3-member Roost cluster on
# loopback, under the SAME load from the SAME generator as Benchmarks/compare.sh (whose
# functions it reuses), with every connection to ONE member: the leader, then a follower.
# See docs/benchmarks.md, "3-member cluster".
#
#   Benchmarks/compare-cluster.sh                     # about 8 minutes
#   TARGETS=leader ROUNDS=1 Benchmarks/compare-cluster.sh
#
# Settings (environment): DURATION WARMUP ROUNDS CONNECTIONS KEYS VALUE_BYTES (as in
# compare.sh), TARGETS ("leader follower"), CLUSTER_PORT_BASE (23800: etcd clients +0..2,
# etcd peers +10..12, Roost clients +20..22, Roost peers +30..32), SCRATCH / ROOST_BIN /
# BENCH_BIN, RESULTS, CLUSTER_WORKLOADS ("put range-l range-s"), ROOST_EXTRA_FLAGS (added to
# every Roost member's command line, e.g. "--peer-secret-file /path/peer.secret").
#
# Both clusters run for the whole benchmark; only one is loaded at a time (the other only
# exchanges heartbeats). Server CPU is summed over the 3 members of the loaded cluster:
# the script samples /proc/<pid>/stat of all 6 members over the measured window (the
# generator's own --server-pid figure is the member it talks to).
set -euo pipefail

CLUSTER_RESULTS=${RESULTS:-}
MEMORY_KEYS=0
# shellcheck source=Benchmarks/compare.sh
source "$(dirname "${BASH_SOURCE[0]}")/compare.sh"

TARGETS=${TARGETS:-leader follower}
CLUSTER_PORT_BASE=${CLUSTER_PORT_BASE:-23800}
RESULTS=${CLUSTER_RESULTS:-$ROOT/Benchmarks/results/$(date -u +%Y-%m-%dT%H%M%SZ)-cluster.md}
read -r -a CLUSTER_WORKLOADS <<<"${CLUSTER_WORKLOADS:-put range-l range-s}"
read -r -a ROOST_EXTRA <<<"${ROOST_EXTRA_FLAGS:-}"
MEMBERS=3

# ports: client / peer of member i (0-based) of each system
client_port() { # system i
    case $1 in etcd) echo $((CLUSTER_PORT_BASE + $2)) ;; roost) echo $((CLUSTER_PORT_BASE + 20 + $2)) ;; esac
}
peer_port() { # system i
    case $1 in etcd) echo $((CLUSTER_PORT_BASE + 10 + $2)) ;; roost) echo $((CLUSTER_PORT_BASE + 30 + $2)) ;; esac
}
initial_cluster() { # system prefix
    local i out=""
    for ((i = 0; i < MEMBERS; i++)); do
        out+="${out:+,}$2$((i + 1))=http://127.0.0.1:$(peer_port "$1" "$i")"
    done
    echo "$out"
}

ETCD_PIDS=()
ROOST_PIDS=()

start_etcd_cluster() {
    local i cluster
    cluster=$(initial_cluster etcd e)
    for ((i = 0; i < MEMBERS; i++)); do
        local client peer
        client=$(client_port etcd "$i"); peer=$(peer_port etcd "$i")
        port_free "$client" && port_free "$peer" || { log "port $client or $peer is busy"; exit 1; }
        etcd --name "e$((i + 1))" --data-dir "$WORK/etcd-cluster/e$((i + 1))" \
            --listen-client-urls "http://127.0.0.1:$client" \
            --advertise-client-urls "http://127.0.0.1:$client" \
            --listen-peer-urls "http://127.0.0.1:$peer" \
            --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
            --initial-cluster "$cluster" --initial-cluster-state new \
            --initial-cluster-token roost-bench-etcd \
            >>"$WORK/etcd-e$((i + 1)).log" 2>&1 &
        ETCD_PIDS+=("$!"); PIDS+=("$!")
    done
}

start_roost_cluster() {
    local i cluster
    cluster=$(initial_cluster roost r)
    for ((i = 0; i < MEMBERS; i++)); do
        local client peer
        client=$(client_port roost "$i"); peer=$(peer_port roost "$i")
        port_free "$client" && port_free "$peer" || { log "port $client or $peer is busy"; exit 1; }
        "$ROOST_BIN" server --name "r$((i + 1))" --data-dir "$WORK/roost-cluster/r$((i + 1))" \
            --listen-client "127.0.0.1:$client" --listen-peer "127.0.0.1:$peer" --listen-dns "" \
            --initial-cluster "$cluster" --initial-cluster-state new \
            --initial-cluster-token roost-bench-roost ${ROOST_EXTRA[@]+"${ROOST_EXTRA[@]}"} \
            >>"$WORK/roost-r$((i + 1)).log" 2>&1 &
        ROOST_PIDS+=("$!"); PIDS+=("$!")
    done
}

status_of() { # port -> "member_id leader" (both as decimal strings), or nothing
    curl -sf -m 1 -X POST -d '{}' "http://127.0.0.1:$1/v3/maintenance/status" 2>/dev/null |
        jq -r '"\(.header.member_id | tostring) \(.leader | tostring)"' 2>/dev/null || true
}

leader_index() { # system -> index (0-based) of the member all members agree leads; waits <= 30 s
    local try i
    for try in $(seq 1 300); do
        local ids=() leaders=() ok=1
        for ((i = 0; i < MEMBERS; i++)); do
            local s
            s=$(status_of "$(client_port "$1" "$i")")
            [[ -n $s ]] || { ok=0; break; }
            ids+=("${s% *}"); leaders+=("${s#* }")
        done
        if ((ok)) && [[ ${leaders[0]} != 0 && ${leaders[0]} == "${leaders[1]}" && ${leaders[1]} == "${leaders[2]}" ]]; then
            for ((i = 0; i < MEMBERS; i++)); do
                [[ ${ids[$i]} == "${leaders[0]}" ]] && { echo "$i"; return 0; }
            done
        fi
        sleep 0.1
    done
    log "$1: no leader agreed on within 30 s"; return 1
}

target_index() { # system target -> member index
    local leader
    leader=$(leader_index "$1")
    if [[ $2 == leader ]]; then echo "$leader"; else echo $(((leader + 1) % MEMBERS)); fi
}

cpu_ticks() { # pid... -> utime+stime of each, in clock ticks, space-separated
    local pid
    for pid in "$@"; do
        awk '{ sub(/^.*\) /, ""); printf "%d ", $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || printf '0 '
    done
}

busy_ticks() { # the machine's busy ticks (/proc/stat: user nice system irq softirq steal; a process's stime
    # includes the loopback softirq work done in its context, which /proc/stat counts as softirq)
    awk '/^cpu / { printf "%d ", $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

sample_window() { # out-file: CPU cores used by each of the 6 members and the machine (7th) in the window
    # The generator connects, warms up for WARMUP s, then measures DURATION s.
    sleep "$WARMUP"
    local a b t0 t1
    t0=$(date +%s%N); a="$(cpu_ticks "${ETCD_PIDS[@]}" "${ROOST_PIDS[@]}")$(busy_ticks)"
    sleep "$DURATION"
    t1=$(date +%s%N); b="$(cpu_ticks "${ETCD_PIDS[@]}" "${ROOST_PIDS[@]}")$(busy_ticks)"
    jq -n --arg a "$a" --arg b "$b" --argjson s "$(( (t1 - t0) / 1000000 ))" --argjson hz "$(getconf CLK_TCK)" \
        '[$a, $b | split(" ") | map(select(length > 0) | tonumber)] as [$x, $y]
         | [range(0; $x | length) | ($y[.] - $x[.]) / $hz / ($s / 1000)]' >"$1"
}

bench_cluster() { # system target workload -> $WORK/runs/<system>-<target>-<workload>-<n>.json
    local system=$1 target=$2 workload=$3 index pid port pids
    index=$(target_index "$system" "$target")
    if [[ $system == etcd ]]; then pids=("${ETCD_PIDS[@]}"); else pids=("${ROOST_PIDS[@]}"); fi
    pid=${pids[$index]}; port=$(client_port "$system" "$index")
    local n=1 name=$system-$target-$workload
    while [[ -e $WORK/runs/$name-$n.json ]]; do n=$((n + 1)); done
    local out=$WORK/runs/$name-$n.json
    sample_window "$WORK/cpu.json" &
    local sampler=$!
    # shellcheck disable=SC2046 # workload_args is a word list by design
    "$BENCH_BIN" $(workload_args "$workload") --endpoint "127.0.0.1:$port" --server-pid "$pid" \
        --json >"$WORK/run.json"
    wait "$sampler"
    local leader_after
    leader_after=$(leader_index "$system")
    # $c: the 6 members' cores in the window (etcd 1-3, Roost 1-3), then the machine's
    # busy cores; cluster = the loaded system's 3; idle = the other system's 3; others =
    # machine - all 6 members - the generator.
    jq --slurpfile cpu "$WORK/cpu.json" --arg system "$system" --arg target "$target" \
        --argjson index "$index" --argjson leader_after "$leader_after" '
        ($cpu[0]) as $c
        | (if $system == "etcd" then $c[0:3] else $c[3:6] end) as $mine
        | (if $system == "etcd" then $c[3:6] else $c[0:3] end) as $idle
        | . + {system: $system, target: $target, member: ($index + 1),
               leader_after: ($leader_after + 1),
               member_cpu_cores: $mine, cluster_cpu_cores: ($mine | add),
               idle_cluster_cpu_cores: ($idle | add),
               others_cpu_cores: ($c[6] - ($c[0:6] | add) - .generator_cpu_cores)}' \
        "$WORK/run.json" >"$out"
    log "$system $target (member $((index + 1))) $workload #$n: $(jq -r '"\(.requests_per_second|floor) req/s, p99 \(.latency_ms.p99) ms, cluster CPU \(.cluster_cpu_cores * 100 | round / 100) cores, others \(.others_cpu_cores * 100 | round / 100)"' "$out")"
}

cluster_part() {
    mkdir -p "$WORK/runs"
    start_etcd_cluster
    start_roost_cluster
    local i
    for ((i = 0; i < MEMBERS; i++)); do
        wait_health "$(client_port etcd "$i")"; wait_health "$(client_port roost "$i")"
    done
    log "etcd leader: e$(($(leader_index etcd) + 1)); Roost leader: r$(($(leader_index roost) + 1))"
    log "filling $KEYS keys into each cluster (through its leader)"
    "$BENCH_BIN" fill --endpoint "127.0.0.1:$(client_port etcd "$(leader_index etcd)")" \
        --keys "$KEYS" --value-bytes "$VALUE_BYTES" --time-limit 120 --json >/dev/null
    "$BENCH_BIN" fill --endpoint "127.0.0.1:$(client_port roost "$(leader_index roost)")" \
        --keys "$KEYS" --value-bytes "$VALUE_BYTES" --time-limit 120 --json >/dev/null
    sleep 1
    local round target workload
    for round in $(seq 1 "$ROUNDS"); do
        for target in $TARGETS; do
            for workload in "${CLUSTER_WORKLOADS[@]}"; do
                bench_cluster etcd "$target" "$workload"
                bench_cluster roost "$target" "$workload"
            done
        done
    done
    for pid in "${ETCD_PIDS[@]}" "${ROOST_PIDS[@]}"; do stop_server "$pid"; done
}

cluster_median() { # system target workload -> the run with the median req/s (JSON)
    jq -s 'sort_by(.requests_per_second) | .[(length - 1) / 2 | floor]' "$WORK"/runs/"$1-$2-$3"-*.json
}

ratio() { jq -rn --argjson e "$1" --argjson r "$2" 'if $e > 0 then ($r / $e * 100 | round / 100 | tostring) + "x" else "n/a" end'; }

cluster_row() { # label target workload
    local etcd roost e r ec rc
    etcd=$(cluster_median etcd "$2" "$3"); roost=$(cluster_median roost "$2" "$3")
    e=$(jq .requests_per_second <<<"$etcd"); r=$(jq .requests_per_second <<<"$roost")
    ec=$(jq .cluster_cpu_cores <<<"$etcd"); rc=$(jq .cluster_cpu_cores <<<"$roost")
    local epc rpc
    epc=$(jq -rn --argjson v "$e" --argjson c "$ec" 'if $c > 0 then $v / $c | round else 0 end')
    rpc=$(jq -rn --argjson v "$r" --argjson c "$rc" 'if $c > 0 then $v / $c | round else 0 end')
    echo "| $1 | $(fmt "$e") | $(fmt "$r") | **$(ratio "$e" "$r")**" \
        "| $(fmt "$(jq .latency_ms.p50 <<<"$etcd")") / $(fmt "$(jq .latency_ms.p99 <<<"$etcd")")" \
        "| $(fmt "$(jq .latency_ms.p50 <<<"$roost")") / $(fmt "$(jq .latency_ms.p99 <<<"$roost")")" \
        "| $(fmt "$ec") / $(fmt "$rc")" \
        "| $(jq -r '.member_cpu_cores | map(. * 100 | round / 100 | tostring) | join(" + ")' <<<"$etcd") / $(jq -r '.member_cpu_cores | map(. * 100 | round / 100 | tostring) | join(" + ")' <<<"$roost")" \
        "| $epc / $rpc ($(ratio "$epc" "$rpc"))" \
        "| $(fmt "$(jq .generator_cpu_cores <<<"$etcd")") / $(fmt "$(jq .generator_cpu_cores <<<"$roost")")" \
        "| $(fmt "$(jq .others_cpu_cores <<<"$etcd")") / $(fmt "$(jq .others_cpu_cores <<<"$roost")") |"
}

cluster_table() {
    echo "## 3-member clusters, $CONNECTIONS connections to one member, $KEYS keys, $VALUE_BYTES-byte values, median of $ROUNDS x ${DURATION} s"
    echo
    echo "| workload (member loaded) | etcd req/s | Roost req/s | Roost/etcd | etcd p50 / p99 ms | Roost p50 / p99 ms | cluster CPU cores etcd / Roost (sum of 3) | per member cores etcd e1 + e2 + e3 / Roost r1 + r2 + r3 | req per cluster CPU-s etcd / Roost (ratio) | generator cores etcd / Roost run | others' cores etcd / Roost run |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    local target workload label
    for target in $TARGETS; do
        for workload in "${CLUSTER_WORKLOADS[@]}"; do
            case $workload in
            put) label="put" ;; range-l) label="range, linearizable" ;; range-s) label="range, serializable" ;;
            esac
            cluster_row "$label ($target)" "$target" "$workload"
        done
    done
    echo
}

cluster_main() {
    ensure_tools
    build
    mkdir -p "$(dirname "$RESULTS")"
    local started machine
    started=$(date -u '+%Y-%m-%d %H:%M UTC')
    machine=$(machine_section)
    log "cluster: ${#CLUSTER_WORKLOADS[@]} workloads x targets ($TARGETS) x $ROUNDS rounds x 2 systems, ${DURATION} s each"
    cluster_part
    {
        echo "# 3-member Roost vs 3-member etcd, $started"
        echo
        echo "Reproduce: \`Benchmarks/compare-cluster.sh\` (DURATION=$DURATION WARMUP=$WARMUP ROUNDS=$ROUNDS" \
            "CONNECTIONS=$CONNECTIONS KEYS=$KEYS VALUE_BYTES=$VALUE_BYTES TARGETS=\"$TARGETS\"" \
            "CLUSTER_WORKLOADS=\"${CLUSTER_WORKLOADS[*]}\" ROOST_EXTRA_FLAGS=\"${ROOST_EXTRA_FLAGS:-}\")."
        echo "Same generator (roost-bench, 1 thread, closed loop, one request in flight per" \
            "connection), all connections to one member, one cluster loaded at a time," \
            "all 6 members and the generator on the same cores."
        echo
        echo "$machine"
        echo
        cluster_table
        echo "## Every run"
        echo
        echo '```'
        local file
        for file in "$WORK"/runs/*.json; do
            echo "$(basename "$file" .json): $(jq -c '{member, leader_after, rps: (.requests_per_second | floor), p50: .latency_ms.p50, p99: .latency_ms.p99, members_cpu: (.member_cpu_cores | map(. * 100 | round / 100)), cluster_cpu: (.cluster_cpu_cores * 100 | round / 100), idle_cluster_cpu: (.idle_cluster_cpu_cores * 100 | round / 100), gen_cpu: .generator_cpu_cores, others: (.others_cpu_cores * 100 | round / 100), failed, first_failure}' "$file")"
        done
        echo '```'
    } >"$RESULTS"
    cat "$RESULTS"
    log "written to $RESULTS"
}

cluster_main "$@"
