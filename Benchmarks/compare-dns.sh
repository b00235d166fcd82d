#!/usr/bin/env bash
# Benchmarks/compare-dns.sh: Roost's DNS responder and dnsmasq (Debian dnsmasq-base) on
# loopback, serving the SAME names (Roost from its catalog, dnsmasq from static records),
# under the SAME dnsperf query file, one server loaded at a time and alternating, reported
# as Roost/dnsmasq ratios. See docs/benchmarks.md ("DNS").
#
#   Benchmarks/compare-dns.sh                            # builds roost (release), ~2 minutes
#   ROOST_BIN=.build/release/roost Benchmarks/compare-dns.sh
#   Benchmarks/compare-dns.sh path/to/roost              # the same
#
# Settings (environment): DURATION ROUNDS CLIENTS THREADS OUTSTANDING MAX_QPS (dnsperf -Q,
# empty = unlimited) EVENT_LOOPS (roost --event-loops, empty = its default) SCRATCH
# (swift build --scratch-path, default .build) ROOST_BIN (prebuilt binary: skip the build).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION=${DURATION:-10}          # measured seconds per dnsperf run (bounded: <= 60)
ROUNDS=${ROUNDS:-3}               # runs per server, alternating; median kept
CLIENTS=${CLIENTS:-4}             # dnsperf -c: client sockets (source ports)
THREADS=${THREADS:-1}             # dnsperf -T
OUTSTANDING=${OUTSTANDING:-100}   # dnsperf -q: queries in flight
MAX_QPS=${MAX_QPS:-}              # dnsperf -Q
EVENT_LOOPS=${EVENT_LOOPS:-}
SCRATCH=${SCRATCH:-$ROOT/.build}
ROOST_BIN=${1:-${ROOST_BIN:-}}
DOMAIN=roost
INSTANCES=3
ADDRESSES=(10.0.0.1 10.0.0.2 10.0.0.3)
SERVICE_PORT=8080

if (( DURATION > 60 )); then echo "DURATION must be <= 60 s" >&2; exit 2; fi

WORK=$(mktemp -d /tmp/roost-dns-compare.XXXXXX)
PIDS=()

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

cleanup() {
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    { wait; } 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# --- tools -------------------------------------------------------------------------------

ensure_tools() {
    local missing=()
    command -v dnsperf >/dev/null || missing+=(dnsperf)
    command -v dnsmasq >/dev/null || [[ -x /usr/sbin/dnsmasq ]] || missing+=(dnsmasq-base)
    command -v dig >/dev/null || missing+=(bind9-dnsutils)
    command -v jq >/dev/null || missing+=(jq)
    command -v curl >/dev/null || missing+=(curl)
    if (( ${#missing[@]} )); then
        command -v apt-get >/dev/null || { log "missing ${missing[*]} and no apt-get"; exit 1; }
        log "installing ${missing[*]} (apt)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)
}

build() {
    if [[ -z ${ROOST_BIN:-} ]]; then
        log "building roost (release, scratch $SCRATCH)"
        (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product roost >&2)
        ROOST_BIN=$SCRATCH/release/roost
    fi
}

# --- servers -----------------------------------------------------------------------------

free_ports() { # count -> that many distinct free loopback ports (TCP and UDP), one a line
    python3 - "$1" <<'EOF'
import socket, sys
held, ports = [], []
while len(ports) < int(sys.argv[1]):
    t = socket.socket(); t.bind(("127.0.0.1", 0)); port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try: u.bind(("127.0.0.1", port))
    except OSError: t.close(); continue
    held += [t, u]; ports.append(port)
print("\n".join(map(str, ports)))
EOF
}

wait_health() { # port
    local i
    for i in $(seq 1 600); do
        curl -sf "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    log "server on port $1 did not become healthy"; return 1
}

start_roost() { # sets ROOST_PID
    local loops=()
    [[ -n $EVENT_LOOPS ]] && loops=(--event-loops "$EVENT_LOOPS")
    "$ROOST_BIN" server --name bench --data-dir "$WORK/roost-data" \
        --listen-client "127.0.0.1:$ROOST_HTTP" --listen-peer "127.0.0.1:$ROOST_PEER" \
        --listen-dns "127.0.0.1:$ROOST_DNS" --dns-domain "$DOMAIN" "${loops[@]}" \
        >>"$WORK/roost.log" 2>&1 &
    ROOST_PID=$!
    PIDS+=("$ROOST_PID")
    wait_health "$ROOST_HTTP"
}

register_instances() { # 3 instances of web, each with a TTL check set to passing
    local i http=http://127.0.0.1:$ROOST_HTTP
    for i in $(seq 1 "$INSTANCES"); do
        curl -sf -X PUT "$http/v1/agent/service/register" -d "{\"Name\":\"web\",\"ID\":\"web$i\",
            \"Address\":\"${ADDRESSES[i - 1]}\",\"Port\":$SERVICE_PORT,\"Check\":{\"TTL\":\"600s\"}}" \
            >/dev/null
        curl -sf -X PUT "$http/v1/agent/check/pass/service:web$i" >/dev/null
    done
    NODE=$(curl -sf "$http/v1/agent/self" | jq -r '.Config.NodeName // .Member.Name')
    NODE_ADDRESS=$(curl -sf "$http/v1/catalog/node/$NODE" | jq -r '.Node.Address')
    [[ -n $NODE && $NODE != null && -n $NODE_ADDRESS && $NODE_ADDRESS != null ]] ||
        { log "could not read the node name or address"; exit 1; }
    log "roost: node $NODE ($NODE_ADDRESS), $INSTANCES instances of web registered"
}

start_dnsmasq() { # the same names as static records; sets DNSMASQ_PID
    local args=() i hex
    for i in $(seq 0 $((INSTANCES - 1))); do
        hex=$(printf '%02x' ${ADDRESSES[i]//./ })
        args+=(--host-record="web.service.$DOMAIN,${ADDRESSES[i]}"
            --host-record="$hex.addr.dc1.$DOMAIN,${ADDRESSES[i]}"
            --srv-host="_web._tcp.service.$DOMAIN,$hex.addr.dc1.$DOMAIN,$SERVICE_PORT,1,1")
    done
    args+=(--host-record="$NODE.node.$DOMAIN,$NODE_ADDRESS")
    "$DNSMASQ" --no-daemon --no-resolv --no-hosts --port="$DNSMASQ_DNS" \
        --listen-address=127.0.0.1 --bind-interfaces --user="$(id -un)" --pid-file= \
        --local-ttl=0 --local="/$DOMAIN/" "${args[@]}" >>"$WORK/dnsmasq.log" 2>&1 &
    DNSMASQ_PID=$!
    PIDS+=("$DNSMASQ_PID")
    local i
    for i in $(seq 1 100); do
        dig @127.0.0.1 -p "$DNSMASQ_DNS" +short +time=1 +tries=1 "$NODE.node.$DOMAIN" A \
            2>/dev/null | grep -q . && return 0
        sleep 0.05
    done
    log "dnsmasq did not answer; its log:"; cat "$WORK/dnsmasq.log" >&2; exit 1
}

# --- sanity: both servers give the same answers --------------------------------------------

answers() { # port name type -> the sorted answer records, TTL and owner case left out
    dig @127.0.0.1 -p "$1" +noall +answer +time=2 +tries=1 "$2" "$3" |
        awk '{ $2 = ""; print tolower($0) }' | sort
}

sanity_check() {
    local name type expected roost dnsmasq
    for query in "web.service.$DOMAIN A $INSTANCES" "_web._tcp.service.$DOMAIN SRV $INSTANCES" \
        "$NODE.node.$DOMAIN A 1"; do
        read -r name type expected <<<"$query"
        roost=$(answers "$ROOST_DNS" "$name" "$type")
        dnsmasq=$(answers "$DNSMASQ_DNS" "$name" "$type")
        if [[ $(grep -c . <<<"$roost") != "$expected" || $roost != "$dnsmasq" ]]; then
            log "answers differ for $name $type (want $expected records):"
            printf 'roost:\n%s\ndnsmasq:\n%s\n' "$roost" "$dnsmasq" >&2
            exit 1
        fi
        log "sanity: $name $type: $expected records, the same from both"
    done
}

# --- load --------------------------------------------------------------------------------

write_queries() { # the mix, one query per line, dnsperf loops over the file
    {
        echo "web.service.$DOMAIN A"
        echo "_web._tcp.service.$DOMAIN SRV"
        echo "$NODE.node.$DOMAIN A"
    } >"$WORK/queries.txt"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# The machine's busy time in ticks (user nice system irq softirq steal): less the server's
# and dnsperf's own CPU it gives "others", the noise from anything else on the machine.
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

run_dnsperf() { # output-file cpu-file dnsperf-args... -> dnsperf's CPU seconds in cpu-file
    python3 -c '
import resource, subprocess, sys
with open(sys.argv[1], "w") as out:
    subprocess.run(["dnsperf"] + sys.argv[3:], stdout=out, stderr=subprocess.STDOUT)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[2], "w").write("%.3f\n" % (usage.ru_utime + usage.ru_stime))
' "$@"
}

bench() { # server port pid -> writes $WORK/runs/<server>-<n>.json
    local server=$1 port=$2 pid=$3 n=1
    while [[ -e $WORK/runs/$server-$n.json ]]; do n=$((n + 1)); done
    local out=$WORK/runs/$server-$n.txt rate=()
    [[ -n $MAX_QPS ]] && rate=(-Q "$MAX_QPS")
    local before after busy_before busy_after
    before=$(cpu_ticks "$pid")
    busy_before=$(busy_ticks)
    run_dnsperf "$out" "$out.cpu" -s 127.0.0.1 -p "$port" -d "$WORK/queries.txt" \
        -l "$DURATION" -c "$CLIENTS" -T "$THREADS" -q "$OUTSTANDING" "${rate[@]}"
    after=$(cpu_ticks "$pid")
    busy_after=$(busy_ticks)
    awk -v server="$server" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" \
        -v busy=$((busy_after - busy_before)) -v generator="$(cat "$out.cpu")" \
        -v seconds="$DURATION" '
        /Queries sent:/ { sent = $3 }
        /Queries completed:/ { completed = $3 }
        /Queries lost:/ { lost = $3 }
        /Queries per second:/ { qps = $4 }
        /Average Latency/ { latency = $4 }
        /Latency StdDev/ { stddev = $4 }
        /Response codes:/ { sub(/.*Response codes: */, ""); codes = $0 }
        END {
            others = (busy - ticks) / hz / seconds - generator / seconds
            printf "{\"server\":\"%s\",\"sent\":%d,\"completed\":%d,\"lost\":%d,", server, sent,
                completed, lost
            printf "\"qps\":%.1f,\"latency_ms\":%.3f,\"stddev_ms\":%.3f,", qps, latency * 1000,
                stddev * 1000
            printf "\"server_cores\":%.2f,\"dnsperf_cores\":%.2f,", ticks / hz / seconds,
                generator / seconds
            printf "\"others_cores\":%.2f,\"codes\":\"%s\"}\n", (others > 0 ? others : 0), codes
        }' "$out" >"$WORK/runs/$server-$n.json"
    log "$server #$n: $(jq -r '"\(.qps|floor) q/s, lost \(.lost), avg \(.latency_ms) ms," +
        " cores: server \(.server_cores), dnsperf \(.dnsperf_cores), others \(.others_cores);" +
        " \(.codes)"' "$WORK/runs/$server-$n.json")"
}

median() { # server -> the run with the median qps (JSON)
    jq -s 'sort_by(.qps) | .[(length - 1) / 2 | floor]' "$WORK"/runs/"$1"-*.json
}

# --- report ------------------------------------------------------------------------------

report() {
    local roost dnsmasq
    roost=$(median roost)
    dnsmasq=$(median dnsmasq)
    echo
    echo "## DNS: Roost vs dnsmasq ($(date -u '+%Y-%m-%d %H:%M UTC'))"
    echo
    echo "- $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')), shared by both servers, dnsperf and anything else; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- $($DNSMASQ --version | head -1 | sed 's/  Copyright.*//'); dnsperf $(dnsperf -h 2>&1 | grep -m1 -io 'version [0-9.]*' | cut -d' ' -f2); Roost $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), ${EVENT_LOOPS:-default} event loops"
    echo "- dnsperf -c $CLIENTS -T $THREADS -q $OUTSTANDING ${MAX_QPS:+-Q $MAX_QPS }-l $DURATION, $ROUNDS rounds alternating, median by q/s; query mix: A web.service.$DOMAIN ($INSTANCES records), SRV _web._tcp.service.$DOMAIN ($INSTANCES + additional), A $NODE.node.$DOMAIN"
    echo
    echo "| | dnsmasq | Roost | Roost/dnsmasq |"
    echo "|---|---:|---:|---:|"
    jq -rn --argjson r "$roost" --argjson d "$dnsmasq" '
        def f: if . >= 100 then (round | tostring) else (. * 100 | round / 100 | tostring) end;
        "| queries/s (median) | \($d.qps | f) | \($r.qps | f) | **\(($r.qps / $d.qps) * 100 | round / 100)x** |",
        "| queries lost | \($d.lost) of \($d.sent) | \($r.lost) of \($r.sent) | |",
        "| avg / stddev latency, ms | \($d.latency_ms) / \($d.stddev_ms) | \($r.latency_ms) / \($r.stddev_ms) | |",
        "| server CPU cores | \($d.server_cores) | \($r.server_cores) | |",
        "| dnsperf / others'"'"' cores in the run | \($d.dnsperf_cores) / \($d.others_cores) | \($r.dnsperf_cores) / \($r.others_cores) | |",
        "| queries per server CPU-s | \($d.qps / ([$d.server_cores, 0.01] | max) | f) | \($r.qps / ([$r.server_cores, 0.01] | max) | f) | \((($r.qps / ([$r.server_cores, 0.01] | max)) / ($d.qps / ([$d.server_cores, 0.01] | max))) * 100 | round / 100)x |",
        "| response codes | \($d.codes) | \($r.codes) | |"'
    echo
    echo "Per round, queries/s: dnsmasq $(jq -rs 'map(.qps | floor) | join(" / ")' "$WORK"/runs/dnsmasq-*.json);" \
        "Roost $(jq -rs 'map(.qps | floor) | join(" / ")' "$WORK"/runs/roost-*.json)."
    echo "Others' cores per round: dnsmasq $(jq -rs 'map(.others_cores) | join(" / ")' "$WORK"/runs/dnsmasq-*.json);" \
        "Roost $(jq -rs 'map(.others_cores) | join(" / ")' "$WORK"/runs/roost-*.json)."
    echo "Lost per round: dnsmasq $(jq -rs 'map(.lost) | join(" / ")' "$WORK"/runs/dnsmasq-*.json);" \
        "Roost $(jq -rs 'map(.lost) | join(" / ")' "$WORK"/runs/roost-*.json)."
}

main() {
    ensure_tools
    build
    mapfile -t ports < <(free_ports 4)
    ROOST_HTTP=${ports[0]} ROOST_PEER=${ports[1]} ROOST_DNS=${ports[2]} DNSMASQ_DNS=${ports[3]}
    start_roost
    register_instances
    start_dnsmasq
    # The agent rebuilds the DNS view at most every 200 ms after a catalog change.
    local i
    for i in $(seq 1 100); do
        [[ $(answers "$ROOST_DNS" "web.service.$DOMAIN" A | grep -c .) == "$INSTANCES" ]] && break
        sleep 0.1
    done
    sanity_check
    write_queries
    mkdir -p "$WORK/runs"
    local round
    for round in $(seq 1 "$ROUNDS"); do
        bench dnsmasq "$DNSMASQ_DNS" "$DNSMASQ_PID"
        bench roost "$ROOST_DNS" "$ROOST_PID"
    done
    report
}

main "$@"
