import Foundation
import Platform
import RoostClient
import Synchronization
import Testing

/// `roost server` as a real process: readiness, graceful stop, durability across
/// restarts and across `kill -9` under load.
@Suite("roost server process", .serialized)
struct ServerProcessTests {
    @Test("a bare server prints its client URL, answers /health, and exits 0 on SIGTERM")
    func startAndStop() throws {
        let directory = ServerProcess.temporaryDirectory("start")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServerProcess(dataDirectory: directory)
        try server.start()
        let health = try server.client().get("/health")
        #expect(health.status == 200)
        #expect(health.bodyText.contains(#""health":"true""#))
        let members = try server.client().call("cluster/member/list", Array("{}".utf8))
        let urls = members["members"]?.arrayValue?.first?["clientURLs"]?.arrayValue
        #expect(urls?.first?.stringValue == server.endpoint?.text, "the bound port, not :0")
        let status = try server.client().status()
        #expect((status["dbSize"]?.int64Value ?? 0) > 0, "dbSize counts the WAL on disk")
        #expect(server.terminate() == 0)
        #expect(server.log.contains("roost: stopped"))
    }

    @Test("SIGTERM ends open watch streams cleanly and the server exits 0 (graceful shutdown)")
    func gracefulStopWithWatch() throws {
        let directory = ServerProcess.temporaryDirectory("stop-watch")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServerProcess(dataDirectory: directory)
        try server.start()
        let endpoint = try #require(server.endpoint)
        let outcome = Mutex<(responses: Int, error: String?, ended: Bool)>((0, nil, false))
        let watcher = PlatformThread.spawn(name: "watch") {
            let client = EtcdClient(endpoints: [endpoint], timeoutMilliseconds: 30_000)
            do {
                try client.watch(Array("k".utf8)) { _ in
                    outcome.withLock { $0.responses += 1 }
                    return true
                }
            } catch {
                outcome.withLock { $0.error = "\(error)" }
            }
            outcome.withLock { $0.ended = true }
        }
        try waitUntil { outcome.withLock { $0.responses } >= 1 }
        try server.client().put(Array("k".utf8), Array("v".utf8))
        try waitUntil { outcome.withLock { $0.responses } >= 2 }
        #expect(server.terminate() == 0)
        watcher.join()
        let final = outcome.withLock { $0 }
        #expect(final.ended)
        #expect(final.error == nil, "the stream should end with its last chunk, not an error")
    }

    @Test("writes survive a graceful restart, and revisions continue where they stopped")
    func gracefulRestart() throws {
        let directory = ServerProcess.temporaryDirectory("restart")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var server = ServerProcess(dataDirectory: directory)
        try server.start()
        for index in 0..<20 {
            try server.client().put(Array("key-\(index)".utf8), Array("value-\(index)".utf8))
        }
        #expect(server.terminate() == 0)
        server = ServerProcess(dataDirectory: directory)
        try server.start()
        let client = try server.client()
        let all = try client.range(Array("key-".utf8), rangeOptions(prefix: "key-"))
        #expect(all.kvs.count == 20)
        #expect(all.revision == 21)
        let answer = try client.put(Array("key-next".utf8), Array("x".utf8))
        #expect(answer["header"]?["revision"]?.int64Value == 22)
        _ = server.terminate()
    }

    @Test("state is rebuilt from a snapshot plus the log tail after many snapshots")
    func snapshotRecovery() throws {
        let directory = ServerProcess.temporaryDirectory("snapshot")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var server = ServerProcess(
            dataDirectory: directory, extraArguments: ["--snapshot-count", "64"])
        try server.start()
        let client = try server.client()
        for index in 0..<300 {
            try client.put(Array("s/\(index)".utf8), Array("v\(index)".utf8))
        }
        try client.delete(Array("s/7".utf8))
        // Images are written on a thread of their own: wait for one on a loaded machine.
        try waitUntil(seconds: 30) {
            let snapshots =
                (try? FileManager.default.contentsOfDirectory(atPath: directory + "/snap")) ?? []
            return snapshots.contains { $0.hasSuffix(".snap") }
        }
        server.kill9()
        server = ServerProcess(
            dataDirectory: directory, extraArguments: ["--snapshot-count", "64"])
        try server.start()
        let all = try server.client().range(Array("s/".utf8), rangeOptions(prefix: "s/"))
        #expect(all.kvs.count == 299)
        #expect(all.revision == 302)
        _ = server.terminate()
    }

    @Test("a corrupt newest snapshot falls back to an older one and the log after it")
    func corruptSnapshotFallback() throws {
        let directory = ServerProcess.temporaryDirectory("snap-fallback")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var server = ServerProcess(
            dataDirectory: directory, extraArguments: ["--snapshot-count", "64"])
        try server.start()
        let client = try server.client()
        for index in 0..<400 {
            try client.put(Array("f/\(index)".utf8), Array("v\(index)".utf8))
        }
        #expect(server.terminate() == 0)
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: directory + "/snap")
            .filter { $0.hasSuffix(".snap") }.sorted()
        #expect(snapshots.count >= 2)
        let newest = try #require(snapshots.last)
        let handle = try #require(FileHandle(forUpdatingAtPath: directory + "/snap/" + newest))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2)
        try handle.write(contentsOf: Data([0xFF, 0x00, 0xFF, 0x00]))
        try handle.close()
        server = ServerProcess(dataDirectory: directory)
        try server.start()
        let all = try server.client().range(Array("f/".utf8), rangeOptions(prefix: "f/"))
        #expect(all.kvs.count == 400)
        #expect(all.revision == 401)
        _ = server.terminate()
    }

    @Test("kill -9 under concurrent write load loses no acknowledged write")
    func killNineLosesNothing() throws {
        let directory = ServerProcess.temporaryDirectory("kill9")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var acknowledged: [String: String] = [:]
        for round in 0..<3 {
            let server = ServerProcess(
                dataDirectory: directory, extraArguments: ["--snapshot-count", "500"])
            try server.start()
            let client = try server.client()
            for (key, value) in acknowledged.shuffled().prefix(200) {
                let found = try client.range(Array(key.utf8))
                #expect(found.kvs.first?.value == Array(value.utf8), "round \(round): \(key) lost")
            }
            let acked = try writeUntilKilled(server, round: round)
            acknowledged.merge(acked) { _, new in new }
        }
        let server = ServerProcess(dataDirectory: directory)
        try server.start()
        let all = try server.client().range(Array("w/".utf8), rangeOptions(prefix: "w/"))
        let stored = Dictionary(
            all.kvs.map {
                (String(decoding: $0.key, as: UTF8.self), String(decoding: $0.value, as: UTF8.self))
            },
            uniquingKeysWith: { first, _ in first })
        let lost = acknowledged.filter { stored[$0.key] != $0.value }
        #expect(lost.isEmpty, "lost \(lost.count) of \(acknowledged.count) acknowledged writes")
        #expect(acknowledged.count > 300)
        _ = server.terminate()
    }

    /// Four writers put unique keys; the server is killed once 150 writes are
    /// acknowledged, while the writers are still going.
    private func writeUntilKilled(_ server: ServerProcess, round: Int) throws -> [String: String] {
        let acked = Mutex<[String: String]>([:])
        guard let endpoint = server.endpoint else { return [:] }
        let writers = (0..<4).map { writer in
            PlatformThread.spawn(name: "writer-\(writer)") {
                let client = EtcdClient(endpoints: [endpoint], timeoutMilliseconds: 5_000)
                for index in 0..<5_000 {
                    let key = "w/\(round)/\(writer)/\(index)"
                    let value = "value-\(round)-\(writer)-\(index)"
                    do {
                        try client.put(Array(key.utf8), Array(value.utf8))
                    } catch {
                        return
                    }
                    acked.withLock { $0[key] = value }
                }
            }
        }
        try waitForCount(acked, atLeast: 150)
        server.kill9()
        for writer in writers { writer.join() }
        return acked.withLock { $0 }
    }

    private func waitForCount(_ acked: borrowing Mutex<[String: String]>, atLeast count: Int) throws
    {
        let deadline = Date().addingTimeInterval(60)
        while acked.withLock({ $0.count }) < count {
            guard Date() < deadline else {
                throw ServerProcessError.notReady("writers made no progress")
            }
            usleep(1_000)
        }
    }
}

func rangeOptions(prefix: String) -> ClientRangeOptions {
    var options = ClientRangeOptions()
    options.rangeEnd = EtcdClient.prefixEnd(Array(prefix.utf8))
    return options
}

/// Polls `condition` with a generous deadline (slow CI machines); never sleeps blindly.
func waitUntil(seconds: Double = 30, _ condition: () -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        guard Date() < deadline else {
            throw ServerProcessError.notReady("condition not met in \(seconds) s")
        }
        usleep(2_000)
    }
}
