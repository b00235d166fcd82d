import Foundation
import Platform
import RoostClient
import Testing

/// Leases against real `roost server` processes: expiry by the leader's clock, keep-alives
/// through followers, and leader changes (reference/etcd.md §1.7).
@Suite("leases on real processes", .serialized)
struct LeaseProcessTests {
    @Test("roost lease grant, kv put --lease, timetolive --keys, keepalive --once and revoke")
    func cliRoundTrip() throws {
        let directory = ServerProcess.temporaryDirectory("lease-cli")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServerProcess(dataDirectory: directory)
        try server.start()
        defer { _ = server.terminate() }
        let endpoint = try #require(server.endpoint).text
        let grant = try runCLI(["lease", "grant", "60", "--endpoints", endpoint])
        #expect(grant.status == 0)
        let words = grant.stdout.split(separator: " ")
        #expect(grant.stdout.hasSuffix("granted with TTL(60s)\n"))
        let id = String(try #require(words.dropFirst().first))
        let put = try runCLI(["kv", "put", "svc/a", "1", "--lease", id, "--endpoints", endpoint])
        #expect(put.status == 0)
        let ttl = try runCLI(["lease", "timetolive", id, "--keys", "--endpoints", endpoint])
        #expect(ttl.stdout.contains("granted with TTL(60s), remaining("))
        #expect(ttl.stdout.hasSuffix("attached keys([svc/a])\n"))
        let alive = try runCLI(["lease", "keepalive", id, "--once", "--endpoints", endpoint])
        #expect(alive.stdout == "lease \(id) keepalived with TTL(60)\n")
        let list = try runCLI(["lease", "list", "--endpoints", endpoint])
        #expect(list.stdout == "found 1 leases\n\(id)\n")
        #expect(try runCLI(["lease", "revoke", id, "--endpoints", endpoint]).status == 0)
        let get = try runCLI(["kv", "get", "svc/a", "--endpoints", endpoint])
        #expect(get.stdout == "")
        let expired = try runCLI(["lease", "keepalive", id, "--once", "--endpoints", endpoint])
        #expect(expired.status == 1)
        #expect(expired.stderr.contains("expired or revoked"))
        let bad = try runCLI(["kv", "put", "k", "v", "--lease", "xyz", "--endpoints", endpoint])
        #expect(bad.status == 2)
    }

    @Test("an expired lease deletes its keys; keep-alives hold it meanwhile")
    func expiryDeletesKeys() throws {
        let directory = ServerProcess.temporaryDirectory("lease-expiry")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServerProcess(dataDirectory: directory)
        try server.start()
        defer { _ = server.terminate() }
        let client = try server.client()
        let id = try LeaseProcessTests.grant(client, ttlSeconds: 2)
        try client.put(Array("live/a".utf8), Array("1".utf8), lease: id)
        try client.put(Array("live/b".utf8), Array("2".utf8), lease: id)
        // Kept alive for twice its TTL, the lease and its keys stay.
        let keepUntil = Date().addingTimeInterval(4)
        while Date() < keepUntil {
            #expect(try LeaseProcessTests.keepAlive(client, id) == 2)
            usleep(500_000)
        }
        #expect(try client.range(Array("live/".utf8), rangeOptions(prefix: "live/")).kvs.count == 2)
        try waitUntil(seconds: 30) {
            (try? client.range(Array("live/".utf8), rangeOptions(prefix: "live/")).kvs.count) == 0
        }
        #expect(try LeaseProcessTests.keepAlive(client, id) == 0)
        let ttl = try client.call("lease/timetolive", Array(#"{"ID":"\#(id)"}"#.utf8))
        #expect(ttl["TTL"]?.stringValue == "-1")
    }

    @Test("a lease kept alive through a follower outlives kill -9 of the leader, then expires")
    func leaseAcrossLeaderChange() throws {
        let cluster = try ClusterProcesses(size: 3, label: "lease-cluster")
        defer { cluster.stopAll() }
        for index in 0..<3 { try cluster.start(index) }
        let leader = try cluster.leader()
        let follower = (leader + 1) % 3
        let client = EtcdClient(endpoints: [try #require(cluster.endpoint(follower))])
        let id = try LeaseProcessTests.grant(client, ttlSeconds: 4)
        try client.put(Array("node/x".utf8), Array("up".utf8), lease: id)
        #expect(try LeaseProcessTests.keepAlive(client, id) == 4)
        cluster.servers[leader]?.kill9()
        _ = try cluster.leader(excluding: [leader])
        // The new leader starts the lease over at its full TTL: still there.
        #expect(try LeaseProcessTests.keepAlive(client, id) == 4)
        #expect(try client.range(Array("node/x".utf8), ClientRangeOptions()).kvs.count == 1)
        // Without keep-alives the new leader expires it and every member sees the delete.
        try waitUntil(seconds: 30) {
            (try? client.range(Array("node/x".utf8), ClientRangeOptions()).kvs.count) == 0
        }
    }

    @Test(
        "roost lease keepalive renews over one open stream past the TTL until the lease is revoked, then exits 1 (etcdctl lease keep-alive)"
    )
    func keepAliveStream() throws {
        let directory = ServerProcess.temporaryDirectory("lease-stream")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServerProcess(dataDirectory: directory)
        try server.start()
        defer { _ = server.terminate() }
        let endpoint = try #require(server.endpoint).text
        let grant = try runCLI(["lease", "grant", "3", "--endpoints", endpoint])
        let id = String(try #require(grant.stdout.split(separator: " ").dropFirst().first))
        let started = Date()
        let cli = try BackgroundCLI(["lease", "keepalive", id, "--endpoints", endpoint])
        defer { cli.kill() }
        // A renewal a second (TTL / 3): past the 3 s TTL, the lease lives only through them.
        try waitUntil(seconds: 60) {
            cli.output.components(separatedBy: "keepalived with TTL(3)").count > 5
                && Date().timeIntervalSince(started) > 4
        }
        let ttl = try runCLI(["lease", "timetolive", id, "--endpoints", endpoint])
        #expect(ttl.stdout.contains("granted with TTL(3s)"))
        #expect(try runCLI(["lease", "revoke", id, "--endpoints", endpoint]).status == 0)
        #expect(cli.exitStatus(withinSeconds: 30) == 1)
        #expect(cli.output.contains("lease \(id) expired or revoked."))
    }

    static func grant(_ client: EtcdClient, ttlSeconds: Int) throws -> Int64 {
        let answer = try client.call("lease/grant", Array(#"{"TTL":"\#(ttlSeconds)"}"#.utf8))
        return try #require(answer["ID"]?.stringValue.flatMap { Int64($0) })
    }

    static func keepAlive(_ client: EtcdClient, _ id: Int64) throws -> Int64 {
        var ttl: Int64 = -1
        try client.stream("lease/keepalive", Array(#"{"ID":"\#(id)"}"#.utf8)) { result in
            ttl = result["TTL"]?.stringValue.flatMap { Int64($0) } ?? 0
            return false
        }
        return ttl
    }
}
