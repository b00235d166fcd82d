import Foundation
import Platform
import RoostClient
import Synchronization
import Testing

/// A watch on a member that catches up from its leader's snapshot: the snapshot skips
/// revisions the member never applied one by one, and the watch must still see each of
/// them, once, in order.
@Suite("roost cluster watch across a snapshot install", .serialized)
struct ClusterSnapshotWatchTests {
    @Test(
        "a watch on a follower cut off past the log's compaction sees every revision after it catches up from a snapshot (§7)"
    )
    func watchAcrossSnapshotInstall() throws {
        let cluster = try FaultCluster(size: 3, label: "snapwatch", seed: 2)
        cluster.extraArguments = ["--snapshot-count", "50", "--snapshot-catchup-entries", "10"]
        defer { cluster.stopAll() }
        try cluster.startAll()
        let leader = try cluster.leader(among: Set(cluster.indices))
        let watched = (leader + 1) % 3
        let endpoint = try cluster.endpoint(watched)
        let writes = 300
        let revisions = Mutex<[Int64]>([])
        let prefix = Array("s/".utf8)
        let watcher = PlatformThread.spawn(name: "watch") {
            let client = EtcdClient(endpoints: [endpoint], timeoutMilliseconds: 120_000)
            try? client.watch(prefix, rangeEnd: EtcdClient.prefixEnd(prefix)) { response in
                let count = revisions.withLock { seen in
                    seen.append(contentsOf: response.events.map(\.kv.modRevision))
                    return seen.count
                }
                return count < writes
            }
        }
        let client = try cluster.client(leader, timeoutMilliseconds: 10_000)
        // The first write shows the watch is in place before the member is cut off.
        try client.put(Array("s/0".utf8), Array("v".utf8))
        try waitUntil(seconds: 30) { revisions.withLock { $0.count } == 1 }
        cluster.partition([[watched], Set(cluster.indices).subtracting([watched])])
        for index in 1..<writes { try client.put(Array("s/\(index)".utf8), Array("v".utf8)) }
        cluster.heal()
        try waitUntil(seconds: 60) { revisions.withLock { $0.count } == writes }
        watcher.join()
        let seen = revisions.withLock { $0 }
        #expect(Set(seen).count == seen.count, "no duplicates")
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $1 == $0 + 1 }, "in order, no gap")
        let received = try FileManager.default.contentsOfDirectory(
            atPath: cluster.directories[watched] + "/snap")
        #expect(received.contains { $0.hasSuffix(".snap") }, "it caught up from a snapshot")
    }
}
