import Foundation
import KVStore
import Platform
import ServiceCatalog
import Testing

@testable import DiscoveryHTTP

/// The leader's session decisions (`SessionSweeper.plan`, pure), over states built through
/// the real API and store, with the clock passed in.
@Suite("Session sweeper")
struct SessionSweeperTests {
    static let now: UInt64 = 1_700_000_000_000_000_000
    static let second: UInt64 = 1_000_000_000

    static func server() throws -> TestServer {
        let server = try TestServer()
        try server.registerAgentNode()
        return server
    }

    /// The plan from the records the sessions depend on (what the leader reads), checked
    /// against the plan from the whole catalog: every scenario here shows they agree.
    static func plan(_ server: TestServer, now: UInt64 = now) throws -> SessionSweepPlan {
        let whole = SessionSweeper.plan(
            try #require(SessionState.read(server.keySpace)),
            health: CatalogSnapshot.read(server.keySpace).health, nowUnixNanoseconds: now)
        let narrow = try #require(SessionSweepPlan.read(server.keySpace, nowUnixNanoseconds: now))
        #expect(narrow == whole)
        return narrow
    }

    /// The writes for the plan's first target, from a fresh read of its locks.
    static func firstInvalidation(_ server: TestServer) throws -> SessionInvalidation {
        let target = try #require(try plan(server).targets.first)
        return try #require(
            SessionInvalidation.read(
                server.keySpace, sessionID: target.sessionID, reason: target.reason,
                nowUnixNanoseconds: now))
    }

    @Test("healthy sessions and their locks are left alone")
    func healthy() throws {
        let server = try Self.server()
        defer { server.stop() }
        let a = try server.createSession(#"{"Checks":["serfHealth","mem"]}"#)
        _ = try server.consul(.put, "/v1/kv/k?acquire=\(a)")
        #expect(try Self.plan(server).isEmpty)
    }

    @Test("a critical check invalidates its sessions in one txn: record deleted, lock released")
    func criticalCheck() throws {
        let server = try Self.server()
        defer { server.stop() }
        let a = try server.createSession(#"{"Checks":["mem"],"LockDelay":"10s"}"#)
        let untouched = try server.createSession(#"{"Checks":[]}"#)
        _ = try server.consul(.put, "/v1/kv/k?acquire=\(a)", "v")
        _ = try server.consul(.put, "/v1/agent/check/fail/mem")
        #expect(try Self.plan(server).targets.map(\.sessionID) == [a])
        let invalidation = try Self.firstInvalidation(server)
        #expect(invalidation.reason == .unhealthy("Check 'mem' is in critical state"))
        #expect(invalidation.transactions.count == 1)
        #expect(invalidation.leaseID == 0)
        let txn = try #require(invalidation.transactions.first)
        #expect(
            txn.success.contains(
                .put(
                    PutRequest(
                        key: Array("_roost/lockdelay/k".utf8),
                        value: Array(String(Self.now + 10 * Self.second).utf8)))))
        try server.write(.txn(txn))
        #expect(try server.sessionInfo(a).isEmpty)
        #expect(try server.sessionInfo(untouched).count == 1)
        let entry = try #require(try server.entry("k"))
        #expect(entry["Session"] == nil && entry["Value"] as? String == b64("v"))
        #expect(try Self.plan(server).isEmpty)
    }

    @Test("serfHealth fails when the node's alive key is gone; a deregistered check counts too")
    func serfHealthAndMissingCheck() throws {
        let server = try Self.server()
        defer { server.stop() }
        let serf = try server.createSession()
        let mem = try server.createSession(#"{"Checks":["mem"]}"#)
        try server.write(.deleteRange(DeleteRangeRequest(key: Array("_roost/alive/test".utf8))))
        _ = try server.consul(.put, "/v1/agent/check/deregister/mem")
        let reasons = try Self.plan(server).targets.map { ($0.sessionID, $0.reason) }
        #expect(reasons.count == 2)
        for (id, reason) in reasons {
            #expect(
                reason
                    == .unhealthy(
                        id == serf
                            ? "Check 'serfHealth' is in critical state"
                            : "Missing check 'mem' registration"))
            #expect(id == serf || id == mem)
        }
    }

    @Test("a session whose node is gone from the catalog is invalidated")
    func nodeGone() throws {
        let server = try Self.server()
        defer { server.stop() }
        let a = try server.createSession(#"{"Checks":[]}"#)
        try server.write(.deleteRange(DeleteRangeRequest(key: Array("_roost/node/test".utf8))))
        let plan = try Self.plan(server)
        #expect(plan.targets.map(\.reason) == [.unhealthy("Missing node registration")])
        #expect(plan.targets.first?.sessionID == a)
    }

    @Test("an expired TTL lease takes the record; its markers are released as the marker says")
    func expiredLease() throws {
        let server = try Self.server()
        defer { server.stop() }
        let a = try server.createSession(#"{"TTL":"10s","Behavior":"delete","LockDelay":"3s"}"#)
        _ = try server.consul(.put, "/v1/kv/eph?acquire=\(a)", "x")
        server.keySpace.clock.advance(by: 21 * Self.second)
        server.keySpace.revokeExpiredLeases()
        #expect(try server.sessionInfo(a).isEmpty)
        // Still marked held until the sweeper runs.
        #expect(try server.entry("eph")?["Session"] as? String == a)
        #expect(try Self.plan(server).targets.map(\.reason) == [.recordGone])
        let invalidation = try Self.firstInvalidation(server)
        #expect(invalidation.leaseID == 0)
        // The marker's behavior (delete) and delay (3 s) apply without the record.
        #expect(
            invalidation.transactions.first?.success.contains(
                .deleteRange(DeleteRangeRequest(key: Array("eph".utf8)))) == true)
        try server.sweep(nowUnixNanoseconds: Self.now)
        #expect(try server.entry("eph") == nil)
        #expect(try storeHasKey(server, "_roost/lockdelay/eph"))
        // Acquiring checks the real clock: a deadline in 2023 has long passed.
        let b = try server.createSession()
        #expect(try server.consul(.put, "/v1/kv/eph?acquire=\(b)").bodyText == "true")
    }

    @Test("70 locks need several transactions, each within txnOpsMax; the first deletes the record")
    func chunking() throws {
        let server = try Self.server()
        defer { server.stop() }
        let a = try server.createSession(#"{"Checks":["mem"]}"#)
        for index in 0..<70 { _ = try server.consul(.put, "/v1/kv/c/\(index)?acquire=\(a)") }
        _ = try server.consul(.put, "/v1/agent/check/fail/mem")
        let invalidation = try Self.firstInvalidation(server)
        #expect(invalidation.transactions.count == 3)
        for txn in invalidation.transactions {
            #expect(txn.success.count <= KVLimits.txnOpsMax)
            #expect(txn.compare.count <= KVLimits.txnOpsMax)
        }
        let deletesRecord = invalidation.transactions.map { txn in
            txn.success.contains(
                .deleteRange(DeleteRangeRequest(key: Array("_roost/session/\(a)".utf8))))
        }
        #expect(deletesRecord == [true, false, false])
        try server.sweep(nowUnixNanoseconds: Self.now)
        #expect(!(try server.consul(.get, "/v1/kv/c/?recurse").bodyText.contains("Session")))
        #expect(try Self.plan(server).targets.isEmpty)
    }

    @Test("at most invalidationsPerPassMax sessions are invalidated per pass")
    func perPassLimit() throws {
        let server = try Self.server()
        defer { server.stop() }
        let count = SessionSweeper.invalidationsPerPassMax + 1
        for _ in 0..<count { _ = try server.createSession(#"{"Checks":["mem"]}"#) }
        _ = try server.consul(.put, "/v1/agent/check/fail/mem")
        #expect(try Self.plan(server).targets.count == SessionSweeper.invalidationsPerPassMax)
        try server.sweep(nowUnixNanoseconds: Self.now)
        #expect(try Self.plan(server).targets.count == 1)
    }

    @Test("expired lock-delay records are deleted, guarded by revision; pending ones stay")
    func lockDelayCleanup() throws {
        let server = try Self.server()
        defer { server.stop() }
        let a = try server.createSession(#"{"LockDelay":"5s","Checks":["mem"]}"#)
        let b = try server.createSession(#"{"LockDelay":"20s","Checks":["mem"]}"#)
        _ = try server.consul(.put, "/v1/kv/short?acquire=\(a)")
        _ = try server.consul(.put, "/v1/kv/long?acquire=\(b)")
        _ = try server.consul(.put, "/v1/agent/check/fail/mem")
        try server.sweep(nowUnixNanoseconds: Self.now)
        #expect(try Self.plan(server, now: Self.now + 4 * Self.second).lockDelayCleanup == nil)
        let cleanup = try #require(
            try Self.plan(server, now: Self.now + 5 * Self.second).lockDelayCleanup)
        #expect(
            cleanup.success
                == [.deleteRange(DeleteRangeRequest(key: Array("_roost/lockdelay/short".utf8)))])
        #expect(cleanup.compare.count == 1)
        try server.write(.txn(cleanup))
        #expect(try !storeHasKey(server, "_roost/lockdelay/short"))
        #expect(try storeHasKey(server, "_roost/lockdelay/long"))
    }

    @Test(
        "the sweep decodes only the nodes and checks sessions name, as the whole catalog would"
    )
    func dependenciesOnly() throws {
        let server = try Self.server()
        defer { server.stop() }
        let other =
            #"{"Node":"other","Address":"10.0.0.9","#
            + #""Check":{"CheckID":"noise","Name":"noise","Status":"critical"}}"#
        #expect(try server.consul(.put, "/v1/catalog/register", other).status == 200)
        let body = #"{"Node":"TEST","Checks":["MEM","serfHealth"]}"#
        let session = try server.createSession(body)
        let definition = try SessionDefinition(body: Array(body.utf8), agentNode: "test")
        let health = try #require(SessionDependencies(definition: definition).read(server.keySpace))
        #expect(health.nodes.map(\.record.node) == ["test"])
        #expect(health.checks.map(\.record.checkID) == ["mem", "serfHealth"])
        #expect(health.services.isEmpty)
        #expect(try Self.plan(server).isEmpty)
        _ = try server.consul(.put, "/v1/agent/check/fail/mem")
        let plan = try Self.plan(server)
        #expect(plan.targets.map(\.sessionID) == [session])
        #expect(plan.targets.map(\.reason) == [.unhealthy("Check 'MEM' is in critical state")])
    }
}
