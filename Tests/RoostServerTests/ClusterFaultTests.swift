import Foundation
import Linearizability
import Platform
import RoostClient
import Testing

/// Black-box fault tests in the style of etcd's robustness tests and Jepsen
/// (reliability.md §4.3): real `roost server` processes, peer links through `FaultProxy`,
/// client threads recording a history that `checkLinearizable` judges, and a final check that
/// every member holds the same data at the same revision.
///
/// `ROOST_SOAK_SECONDS=N` repeats each test's fault schedule in fresh rounds (fresh keys) for
/// N seconds; `ROOST_FAULT_SEED=S` replays the workload and drop draws of a failed run.
@Suite(
    "roost cluster under network faults and crashes", .serialized, .timeLimit(.minutes(30)))
struct ClusterFaultTests {
    static let clientCount = 6

    @Test("an isolated leader acknowledges no write while the majority elects a leader and goes on (Raft §5.2, §8)")
    func isolatedLeader() throws {
        try runRounds(label: "isolate") { cluster, workload in
            let everyone = Set(cluster.indices)
            let old = try cluster.leader(among: everyone)
            let majority = everyone.subtracting([old])
            cluster.partition([[old], majority])
            let new = try cluster.leader(among: majority)
            #expect(new != old)
            try workload.waitForProgress(writes: 20)
            let probe = try cluster.client(old, timeoutMilliseconds: 1_500)
            #expect(throws: ClientError.self, "the old leader acknowledged a write alone") {
                try probe.put(Array("probe/isolated".utf8), Array("x".utf8))
            }
        }
    }

    @Test("a minority member refuses linearizable reads while the majority serves (Raft §6.4, etcd ReadIndex)")
    func minorityReads() throws {
        try runRounds(label: "minority") { cluster, workload in
            let everyone = Set(cluster.indices)
            let leader = try cluster.leader(among: everyone)
            let follower = (leader + 1) % cluster.indices.count
            cluster.partition([[follower], everyone.subtracting([follower])])
            try workload.waitForProgress(writes: 20)
            let minority = try cluster.client(follower, timeoutMilliseconds: 1_500)
            #expect(throws: ClientError.self, "a linearizable read answered from the minority") {
                try minority.range(Array((workload.keyPrefix + "s/0").utf8))
            }
            // A serializable read may answer from local, possibly stale, state; it is not
            // part of the linearizable history.
            var serializable = ClientRangeOptions()
            serializable.serializable = true
            _ = try? minority.range(Array((workload.keyPrefix + "s/0").utf8), serializable)
            cluster.heal()
            try workload.waitForProgress(writes: 10)
            // Asymmetric: the follower stops hearing the leader but still reaches it.
            cluster.cutOneWay(from: leader, to: follower)
            try workload.waitForProgress(writes: 20)
        }
    }

    @Test("kill -9 of a follower, then of the leader, during writes loses no acknowledged write (Raft §5.4)")
    func killAndRestart() throws {
        try runRounds(label: "kill") { cluster, workload in
            let everyone = Set(cluster.indices)
            let leader = try cluster.leader(among: everyone)
            let follower = (leader + 1) % cluster.indices.count
            cluster.kill9(follower)
            try workload.waitForProgress(writes: 20)
            try cluster.start(follower)
            let current = try cluster.leader(among: everyone)
            try workload.waitForProgress(writes: 10)
            cluster.kill9(current)
            _ = try cluster.leader(among: everyone.subtracting([current]))
            try workload.waitForProgress(writes: 20)
            try cluster.start(current)
            _ = try cluster.leader(among: everyone)
        }
    }

    @Test("after slow, lossy links and rotating partitions heal, members hold identical data at one revision")
    func convergence() throws {
        try runRounds(label: "converge") { cluster, workload in
            let everyone = Set(cluster.indices)
            cluster.rules.setLatency(milliseconds: 20)
            cluster.rules.setDropChance(partsPerMillion: 5_000)
            try workload.waitForProgress(writes: 20)
            cluster.heal()
            for isolated in cluster.indices {
                cluster.partition([[isolated], everyone.subtracting([isolated])])
                try workload.waitForProgress(writes: 10)
                cluster.heal()
            }
        }
    }

    @Test("a 5-member cluster commits with two members down, the leader among them, and a 2-member side of a partition cannot (Raft §5.2: a majority of five is three)")
    func fiveMembers() throws {
        try runRounds(label: "five", size: 5) { cluster, workload in
            let everyone = Set(cluster.indices)
            let leader = try cluster.leader(among: everyone)
            let follower = (leader + 1) % everyone.count
            cluster.kill9(leader)
            cluster.kill9(follower)
            _ = try cluster.leader(among: everyone.subtracting([leader, follower]))
            try workload.waitForProgress(writes: 20)
            try cluster.start(leader)
            try cluster.start(follower)
            let current = try cluster.leader(among: everyone)
            try workload.waitForProgress(writes: 10)
            let minority: Set<Int> = [current, (current + 1) % everyone.count]
            cluster.partition([minority, everyone.subtracting(minority)])
            _ = try cluster.leader(among: everyone.subtracting(minority))
            try workload.waitForProgress(writes: 20)
            let probe = try cluster.client(current, timeoutMilliseconds: 1_500)
            #expect(throws: ClientError.self, "a 2-member side acknowledged a write") {
                try probe.put(Array("probe/minority".utf8), Array("x".utf8))
            }
        }
    }

    // MARK: - Rounds, history check, convergence

    static var soakSeconds: Double? {
        ProcessInfo.processInfo.environment["ROOST_SOAK_SECONDS"].flatMap(Double.init)
    }

    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["ROOST_FAULT_SEED"].flatMap { UInt64($0) }
            ?? SeededGenerator.entropySeed()
    }

    /// Starts a proxied cluster of `size` members, then runs `schedule` in rounds (one round in CI,
    /// rounds until `ROOST_SOAK_SECONDS` pass in a soak): each round starts a fresh workload,
    /// injects faults, heals, checks the history and the members' convergence.
    private func runRounds(
        label: String, size: Int = 3, schedule: (FaultCluster, FaultWorkload) throws -> Void
    ) throws {
        let seed = Self.seed
        let started = Date()
        print("ClusterFaultTests[\(label)] seed \(seed) (replay: ROOST_FAULT_SEED=\(seed))")
        let cluster = try FaultCluster(size: size, label: "fault-\(label)", seed: seed)
        defer { cluster.stopAll() }
        try cluster.startAll()
        var round = 0
        repeat {
            let workload = FaultWorkload(
                clients: Self.clientCount, members: try cluster.indices.map(cluster.endpoint),
                seed: seed &+ UInt64(round), keyPrefix: "r\(round)/")
            defer { workload.stop() }
            try workload.waitForProgress(writes: 10)
            try schedule(cluster, workload)
            cluster.heal()
            _ = try cluster.leader(among: Set(cluster.indices))
            try workload.waitForProgress(writes: 10)
            workload.stop()
            let name = "\(label) round \(round) seed \(seed)"
            let revision = try expectConverged(cluster, label: name)
            let committed = try committedValues(cluster, prefix: workload.keyPrefix, upTo: revision)
            checkHistory(workload, committed: committed, label: name)
            round += 1
        } while Date().timeIntervalSince(started) < (Self.soakSeconds ?? 0)
        let seconds = Date().timeIntervalSince(started)
        print("ClusterFaultTests[\(label)] \(round) round(s) in \(Int(seconds)) s")
    }

    /// Checks the history after etcd's "patch" step (validate/patch_history.go): a write with
    /// an unknown outcome whose unique value the cluster never committed certainly did not take
    /// effect, so it is left out; that keeps unknown writes from making the search exponential.
    private func checkHistory(
        _ workload: FaultWorkload, committed: Set<KVBytes>, label: String
    ) {
        let history = workload.recorder.operations().filter { operation in
            guard operation.hasUnknownOutcome else { return true }
            switch operation.input {
            case .put(_, let value), .compareAndSwap(_, _, let value):
                return committed.contains(value)
            case .get, .delete:
                return true
            }
        }
        let unknown = history.filter(\.hasUnknownOutcome).count
        let report = checkLinearizableWithReport(history, model: KVModel())
        print("ClusterFaultTests[\(label)] \(history.count) operations, \(unknown) unknown")
        #expect(history.count - unknown > 20, "too few completed operations: \(label)")
        #expect(report.result == .linearizable, "\(label): \(report.result)")
    }

    /// Waits until every member reports the same revision, then compares every key's value
    /// and mod_revision read at that revision from each member's local state.
    @discardableResult
    private func expectConverged(_ cluster: FaultCluster, label: String) throws -> Int64 {
        var revision: Int64 = 0
        try waitUntil(seconds: 30) {
            let revisions = cluster.indices.map { index in
                (try? cluster.client(index).status())?["header"]?["revision"]?.int64Value
            }
            guard let first = revisions.first ?? nil, revisions.allSatisfy({ $0 == first })
            else { return false }
            revision = first
            return true
        }
        var options = ClientRangeOptions()
        options.rangeEnd = [0]
        options.revision = revision
        options.serializable = true
        var contents: [[String]] = []
        for index in cluster.indices {
            let result = try cluster.client(index, timeoutMilliseconds: 10_000)
                .range([0], options)
            #expect(!result.more, "\(label): member \(index + 1) range truncated")
            contents.append(
                result.kvs.map {
                    String(decoding: $0.key, as: UTF8.self) + "="
                        + String(decoding: $0.value, as: UTF8.self) + "@\($0.modRevision)"
                })
        }
        #expect(contents.allSatisfy { $0 == contents[0] }, "\(label): members diverge")
        #expect(contents[0].count > 10, "\(label): too few keys at revision \(revision)")
        return revision
    }

    /// Every value written under `prefix` up to `revision`, from a watch of all keys replaying
    /// the MVCC history from revision 1 (these tests never compact). Every revision has an
    /// event, so the watch ends at the one holding `revision`.
    private func committedValues(
        _ cluster: FaultCluster, prefix: String, upTo revision: Int64
    ) throws -> Set<KVBytes> {
        var values = Set<KVBytes>()
        let client = try cluster.client(0, timeoutMilliseconds: 10_000)
        try client.watch([0], rangeEnd: [0], startRevision: 1) { response in
            for event in response.events where event.kv.key.starts(with: prefix.utf8) {
                values.insert(KVBytes(event.kv.value))
            }
            return (response.events.last?.kv.modRevision ?? 0) < revision
        }
        return values
    }
}
