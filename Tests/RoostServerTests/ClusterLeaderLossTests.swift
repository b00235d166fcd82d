import Foundation
import Platform
import RoostClient
import Synchronization
import Testing

/// What a client writing through a follower sees when the leader dies under it.
@Suite("roost cluster leader loss", .serialized)
struct ClusterLeaderLossTests {
    /// Outcome of each put, by key: nil while in flight, then "ok" or the server's error.
    final class Outcomes: Sendable {
        let table = Mutex<[String: String]>([:])
        let stop = Atomic<Bool>(false)

        func record(_ key: String, _ outcome: String) {
            table.withLock { $0[key] = outcome }
        }

        func count(_ outcome: String) -> Int {
            table.withLock { $0.values.filter { $0 == outcome }.count }
        }

        var snapshot: [String: String] { table.withLock { $0 } }
    }

    @Test(
        "writes in flight through a follower when the leader dies fail 'leader changed', are never applied, and no write waits out the request timeout (§5.3)"
    )
    func inFlightWritesFailDefinitely() throws {
        let cluster = try ClusterProcesses(size: 3, label: "leaderloss")
        defer { cluster.stopAll() }
        for index in 0..<3 { try cluster.start(index) }
        let leader = try cluster.leader()
        let follower = (leader + 1) % 3
        let endpoint = try #require(cluster.endpoint(follower))
        let outcomes = Outcomes()
        let writer = PlatformThread.spawn(name: "writer") {
            let client = EtcdClient(endpoints: [endpoint], timeoutMilliseconds: 20_000)
            var index = 0
            while !outcomes.stop.load(ordering: .acquiring) {
                let key = "w/\(index)"
                index += 1
                do {
                    try client.put(Array(key.utf8), Array("v".utf8))
                    outcomes.record(key, "ok")
                } catch {
                    if case ClientError.server(_, _, let message)? = error as? ClientError {
                        outcomes.record(key, message)
                    } else {
                        outcomes.record(key, "\(error)")
                    }
                }
            }
        }
        try waitUntil(seconds: 30) { outcomes.count("ok") >= 50 }
        cluster.servers[leader]?.kill9()
        let before = outcomes.count("ok")
        try waitUntil(seconds: 60) { outcomes.count("ok") >= before + 50 }
        outcomes.stop.store(true, ordering: .releasing)
        writer.join()
        let results = outcomes.snapshot
        let failures = results.filter { $0.value != "ok" }
        #expect(
            failures.values.allSatisfy {
                $0 == "etcdserver: leader changed" || $0 == "etcdserver: no leader"
            }, "\(failures)")
        #expect(
            failures.values.contains("etcdserver: leader changed"),
            "a write was in flight to the dead leader: \(failures)")
        // Definite failures: none of them was applied; every acknowledged write was.
        let all = try EtcdClient(endpoints: [endpoint]).range(
            Array("w/".utf8), rangeOptions(prefix: "w/"))
        let stored = Set(all.kvs.map { String(decoding: $0.key, as: UTF8.self) })
        #expect(stored == Set(results.filter { $0.value == "ok" }.keys))
    }
}
