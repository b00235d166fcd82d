#!/usr/bin/env python3
"""Failover time of a 3-member Roost cluster on loopback.

Starts three `roost server` processes, writes continuously through a member that is
not the leader (one put in flight, 0.1 s client timeout), kills the leader with
SIGKILL and reports the time from the kill to the first acknowledged put after it.
Repeats ROUNDS times (the killed member is restarted between rounds) and prints each
gap plus the median and maximum. Loopback only; every process is killed at the end.

    python3 Benchmarks/failover.py --roost .build/release/roost [--rounds 5]
"""
import argparse, base64, http.client, json, os, shutil, signal, socket, statistics
import subprocess, sys, tempfile, threading, time

def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports

def post(port, route, body, timeout):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/v3/" + route, json.dumps(body), {"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()

def b64(text):
    return base64.b64encode(text.encode()).decode()

class Cluster:
    def __init__(self, roost, base):
        self.roost, self.base = roost, base
        self.peer, self.client = free_ports(3), free_ports(3)
        self.initial = ",".join(f"n{i+1}=http://127.0.0.1:{p}" for i, p in enumerate(self.peer))
        self.procs = [None] * 3

    def start(self, i):
        args = [self.roost, "server", "--name", f"n{i+1}", "--data-dir", f"{self.base}/n{i+1}",
                "--listen-client", f"127.0.0.1:{self.client[i]}", "--listen-peer",
                f"127.0.0.1:{self.peer[i]}", "--initial-cluster", self.initial,
                "--listen-dns", ""]
        self.procs[i] = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def leader(self, alive, deadline=30):
        end = time.time() + deadline
        while time.time() < end:
            leaders, ids = set(), {}
            try:
                for i in alive:
                    _, status = post(self.client[i], "maintenance/status", {}, 1)
                    ids[int(status["header"]["member_id"])] = i
                    leaders.add(int(status.get("leader", "0")))
                if len(leaders) == 1:
                    lead = leaders.pop()
                    if lead in ids:
                        return ids[lead]
            except Exception:
                pass
            time.sleep(0.05)
        raise RuntimeError("no leader agreed on")

    def stop(self):
        for p in self.procs:
            if p and p.poll() is None:
                p.kill()
                p.wait()

def round_gap(cluster, number):
    alive = [0, 1, 2]
    leader = cluster.leader(alive)
    writer = next(i for i in alive if i != leader)
    acked, stop = [], threading.Event()
    def write():
        n = 0
        while not stop.is_set():
            n += 1
            issued = time.monotonic()
            try:
                status, _ = post(cluster.client[writer], "kv/put",
                                 {"key": b64(f"f/{number}/{n}"), "value": b64("x")}, 0.1)
                if status == 200:
                    acked.append((issued, time.monotonic()))
            except Exception:
                time.sleep(0.01)
    thread = threading.Thread(target=write)
    thread.start()
    time.sleep(1.0)
    killed_at = time.monotonic()
    cluster.procs[leader].send_signal(signal.SIGKILL)
    cluster.procs[leader].wait()
    end = killed_at + 30
    # Count only puts issued after the kill: one already in flight may have committed
    # before it and says nothing about the new leader.
    while time.monotonic() < end and not any(i > killed_at for i, _ in acked):
        time.sleep(0.005)
    stop.set()
    thread.join()
    after = [done for issued, done in acked if issued > killed_at]
    cluster.start(leader)
    cluster.leader([0, 1, 2])
    return (after[0] - killed_at) if after else None

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--roost", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    base = tempfile.mkdtemp(prefix="roost-failover-")
    cluster = Cluster(os.path.abspath(args.roost), base)
    gaps = []
    try:
        for i in range(3):
            cluster.start(i)
        for number in range(args.rounds):
            gap = round_gap(cluster, number)
            if gap is None:
                print(f"round {number + 1}: no write succeeded within 30 s")
                sys.exit(1)
            gaps.append(gap)
            print(f"round {number + 1}: writes resumed {gap * 1000:.0f} ms after the leader was killed")
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)
    print(f"failover: median {statistics.median(gaps) * 1000:.0f} ms, "
          f"max {max(gaps) * 1000:.0f} ms over {len(gaps)} rounds "
          f"(election timeout 1000 ms; target <= 2000 ms)")

if __name__ == "__main__":
    main()
