import Foundation
import Platform
import RoostClient
import Testing

/// The leader's session sweep on members started with `--no-agent`: cluster housekeeping
/// does not depend on the leader running the embedded agent (reference/consul.md §6.2).
@Suite("leader housekeeping without an agent", .serialized)
struct LeaderHousekeepingProcessTests {
    @Test(
        "a leader without an agent invalidates a session whose check fails (consul.md §6.2)"
    )
    func criticalCheckWithoutAgent() throws {
        let directory = ServerProcess.temporaryDirectory("noagent-sweep")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServerProcess(dataDirectory: directory, agent: false)
        try server.start()
        defer { _ = server.terminate() }
        let consul = SessionClient(
            HTTPClient(address: try #require(server.endpoint).address, timeoutMilliseconds: 10_000))
        defer { consul.http.close() }
        // No agent registers a node here: the session lives on a catalog-registered one.
        let healthy =
            #"{"Node":"ext","Address":"10.0.0.9","#
            + #""Check":{"CheckID":"ext-up","Name":"up","Status":"passing"}}"#
        #expect(try consul.send(.put, "/v1/catalog/register", healthy).status == 200)
        let session = try consul.create(#"{"Node":"ext","Checks":["ext-up"],"LockDelay":"0s"}"#)
        #expect(try consul.acquire(session, "mine"))
        #expect(try consul.holder() == session)
        let critical = healthy.replacingOccurrences(of: "passing", with: "critical")
        #expect(try consul.send(.put, "/v1/catalog/register", critical).status == 200)
        try waitUntil(seconds: 30) { (try? consul.holder()) == .some(nil) }
        #expect(try consul.send(.get, "/v1/session/info/\(session)").bodyText == "[]")
    }

    @Test(
        "a lapsed TTL session's lock is released under a leader with no agent (consul.md §6.2)"
    )
    func ttlLapseUnderNoAgentLeader() throws {
        let cluster = try ClusterProcesses(size: 3, label: "noagent-leader")
        defer { cluster.stopAll() }
        // n1 without an agent; n2 and n3 with theirs, so sessions have a live node.
        for index in 0..<3 { try cluster.start(index, agent: index != 0) }
        try Self.moveLeadership(cluster, to: 0)
        let consul = SessionClient(
            HTTPClient(
                address: try #require(cluster.endpoint(1)).address, timeoutMilliseconds: 10_000))
        defer { consul.http.close() }
        try waitUntil(seconds: 30) { consul.nodeAlive() }
        let createdAt = Date()
        let holder = try consul.create(#"{"Name":"lapsing","TTL":"10s","LockDelay":"0s"}"#)
        #expect(try consul.acquire(holder, "mine"))
        // The lease is 2×TTL; the leader's next pass after it expires releases the lock.
        try waitUntil(seconds: 90) { (try? consul.holder()) == .some(nil) }
        let elapsed = Date().timeIntervalSince(createdAt)
        #expect(elapsed >= 10, "released after \(elapsed) s, before the TTL")
        #expect(try consul.send(.get, "/v1/session/info/\(holder)").bodyText == "[]")
    }

    @Test(
        "a dead member's service is deregistered by the leader once its node has been dead for the service's DeregisterCriticalServiceAfter (the node's own agent is gone)"
    )
    func deadNodeServicesReaped() throws {
        let cluster = try ClusterProcesses(size: 3, label: "deadnode-reap")
        defer { cluster.stopAll() }
        for index in 0..<3 { try cluster.start(index, agent: true) }
        try Self.moveLeadership(cluster, to: 0)
        let member = HTTPClient(
            address: try #require(cluster.endpoint(2)).address, timeoutMilliseconds: 10_000)
        defer { member.close() }
        let body =
            #"{"Name":"web","ID":"web-n3","Port":80,"Check":{"TTL":"600s","Status":"passing","#
            + #""DeregisterCriticalServiceAfter":"1m"}}"#
        #expect(
            try member.send(.put, "/v1/agent/service/register", body: Array(body.utf8)).status
                == 200)
        let leader = HTTPClient(
            address: try #require(cluster.endpoint(0)).address, timeoutMilliseconds: 10_000)
        defer { leader.close() }
        let listed = { () -> String in
            (try? leader.send(.get, "/v1/health/service/web").bodyText) ?? ""
        }
        // Alive and passing first: the node's liveness is in the catalog.
        try waitUntil(seconds: 30) {
            let text = listed()
            return text.contains("web-n3") && !text.contains(#""Status":"critical""#)
        }
        cluster.servers[2]?.kill9()
        let killedAt = Date()
        // The node lease lapses: every instance on the node is reported critical (its
        // serfHealth; the service's own TTL check still reads passing).
        try waitUntil(seconds: 60) { listed().contains(#""Status":"critical""#) }
        let deadAt = Date()
        print("deadNodeServicesReaped: reported dead \(deadAt.timeIntervalSince(killedAt)) s after kill -9")
        #expect(listed().contains("web-n3"), "reaped before its delay")
        try waitUntil(seconds: 180) { listed() == "[]" }
        let elapsed = Date().timeIntervalSince(deadAt)
        print("deadNodeServicesReaped: reaped \(elapsed) s after the node was reported dead")
        #expect(elapsed >= 50, "reaped \(elapsed) s after the node died, before its 1 minute")
        #expect(try leader.send(.get, "/v1/health/checks/web").bodyText == "[]")
    }

    /// Makes member `target` the leader (etcd MoveLeader), unless it already is.
    static func moveLeadership(_ cluster: ClusterProcesses, to target: Int) throws {
        var leader = try cluster.leader()
        guard leader != target else { return }
        let targetClient = EtcdClient(endpoints: [try #require(cluster.endpoint(target))])
        let targetID = try #require(targetClient.status()["header"]?["member_id"]?.uint64Value)
        try waitUntil(seconds: 60) {
            guard let endpoint = cluster.endpoint(leader) else { return false }
            _ = try? EtcdClient(endpoints: [endpoint]).call(
                "maintenance/transfer-leadership", Array(#"{"targetID":"\#(targetID)"}"#.utf8))
            // Paces the requests: a transfer takes an election round to finish.
            usleep(200_000)
            guard let now = try? cluster.leader() else { return false }
            leader = now
            return leader == target
        }
    }
}
