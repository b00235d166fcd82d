import Foundation
import KVStore
import Platform
import Testing

@testable import DiscoveryHTTP

/// KV `?acquire` / `?release`, lock-delay and what destroying a session does to its locks
/// (reference/consul.md §6.2, §6.3).
@Suite("Consul locks")
struct ConsulLockTests {
    /// A server with the agent node registered and alive.
    static func server() throws -> TestServer {
        let server = try TestServer()
        try server.registerAgentNode()
        return server
    }

    @Test("acquire takes a free key, counts LockIndex once per holder, refuses another session")
    func acquire() throws {
        let server = try Self.server()
        defer { server.stop() }
        let a = try server.createSession()
        let b = try server.createSession()
        #expect(try server.consul(.put, "/v1/kv/lock?acquire=\(a)", "one").bodyText == "true")
        var entry = try #require(try server.entry("lock"))
        #expect(entry["Session"] as? String == a)
        #expect(entry["LockIndex"] as? Int == 1)
        #expect(try server.consul(.put, "/v1/kv/lock?acquire=\(b)", "two").bodyText == "false")
        // The holder acquiring again updates the value; LockIndex stays.
        #expect(try server.consul(.put, "/v1/kv/lock?acquire=\(a)", "three").bodyText == "true")
        entry = try #require(try server.entry("lock"))
        #expect(entry["LockIndex"] as? Int == 1)
        #expect(entry["Value"] as? String == b64("three"))
        let unknown = try server.consul(.put, "/v1/kv/lock?acquire=nope", "x")
        #expect(unknown.status == 500)
        #expect(unknown.bodyText == "invalid session \"nope\"\n")
    }

    @Test("release by the holder clears Session, keeps LockIndex and moves ModifyIndex")
    func release() throws {
        let server = try Self.server()
        defer { server.stop() }
        let a = try server.createSession()
        let b = try server.createSession()
        _ = try server.consul(.put, "/v1/kv/lock?acquire=\(a)", "v")
        let held = try #require(try server.entry("lock"))
        #expect(try server.consul(.put, "/v1/kv/lock?release=\(b)").bodyText == "false")
        #expect(try server.consul(.put, "/v1/kv/lock?release=\(a)").bodyText == "true")
        let released = try #require(try server.entry("lock"))
        #expect(released["Session"] == nil)
        #expect(released["LockIndex"] as? Int == 1)
        #expect(released["Value"] as? String == b64("v"))
        #expect(
            (released["ModifyIndex"] as? Int ?? 0) > (held["ModifyIndex"] as? Int ?? 0))
        // A plain release starts no lock delay: another session takes the key at once.
        #expect(try server.consul(.put, "/v1/kv/lock?acquire=\(b)").bodyText == "true")
        #expect(try server.entry("lock")?["LockIndex"] as? Int == 2)
    }

    @Test("destroying a release session frees its keys, keeps values, starts the lock delay")
    func destroyReleases() throws {
        let server = try Self.server()
        defer { server.stop() }
        let a = try server.createSession(#"{"LockDelay":"500ms"}"#)
        let b = try server.createSession()
        _ = try server.consul(.put, "/v1/kv/l1?acquire=\(a)", "x")
        _ = try server.consul(.put, "/v1/kv/l2?acquire=\(a)", "y")
        let before = try #require(try server.entry("l1"))
        #expect(try server.consul(.put, "/v1/session/destroy/\(a)").bodyText == "true")
        let after = try #require(try server.entry("l1"))
        #expect(after["Session"] == nil)
        #expect(after["LockIndex"] as? Int == 1)
        #expect(after["Value"] as? String == b64("x"))
        #expect((after["ModifyIndex"] as? Int ?? 0) > (before["ModifyIndex"] as? Int ?? 0))
        #expect(try server.entry("l2")?["Session"] == nil)
        #expect(try !storeHasKey(server, "_roost/locks/\(a)/l1"))
        // During the delay an acquire is false, even by a valid session.
        #expect(try server.consul(.put, "/v1/kv/l1?acquire=\(b)").bodyText == "false")
        usleep(600_000)
        #expect(try server.consul(.put, "/v1/kv/l1?acquire=\(b)").bodyText == "true")
        #expect(try server.entry("l1")?["LockIndex"] as? Int == 2)
    }

    @Test(
        "a stored lock-delay deadline refuses acquires until it passes, even of unknown sessions"
    )
    func durableLockDelay() throws {
        let server = try Self.server()
        defer { server.stop() }
        let a = try server.createSession()
        let now = WallClock().nowUnixNanoseconds()
        let key = Array("_roost/lockdelay/k".utf8)
        // As a leader that invalidated a holder would have written it (any member reads it).
        try server.write(
            .put(PutRequest(key: key, value: Array(String(now + 60_000_000_000).utf8))))
        #expect(try server.consul(.put, "/v1/kv/k?acquire=\(a)").bodyText == "false")
        // Consul checks the delay first: even an unknown session gets false, not 500.
        let unknown = try server.consul(.put, "/v1/kv/k?acquire=nope")
        #expect(unknown.status == 200 && unknown.bodyText == "false")
        try server.write(.put(PutRequest(key: key, value: Array(String(now - 1).utf8))))
        #expect(try server.consul(.put, "/v1/kv/k?acquire=\(a)").bodyText == "true")
    }

    @Test("destroying a delete session deletes its keys and their metadata")
    func destroyDeletes() throws {
        let server = try Self.server()
        defer { server.stop() }
        let a = try server.createSession(#"{"Behavior":"delete","LockDelay":0}"#)
        _ = try server.consul(.put, "/v1/kv/eph?acquire=\(a)&flags=3", "x")
        _ = try server.consul(.put, "/v1/kv/kept", "y")
        #expect(try server.consul(.put, "/v1/session/destroy/\(a)").bodyText == "true")
        #expect(try server.entry("eph") == nil)
        #expect(try !storeHasKey(server, "_roost/kvmeta/eph"))
        #expect(try !storeHasKey(server, "_roost/locks/\(a)/eph"))
        #expect(try server.entry("kept") != nil)
        // LockDelay 0: no delay recorded, the key is free at once.
        #expect(try !storeHasKey(server, "_roost/lockdelay/eph"))
        let b = try server.createSession()
        #expect(try server.consul(.put, "/v1/kv/eph?acquire=\(b)", "z").bodyText == "true")
    }

    @Test("a key deleted or rewritten while locked leaves a stale marker; destroy just drops it")
    func staleMarkers() throws {
        let server = try Self.server()
        defer { server.stop() }
        let a = try server.createSession(#"{"Behavior":"delete"}"#)
        _ = try server.consul(.put, "/v1/kv/gone?acquire=\(a)", "x")
        _ = try server.consul(.delete, "/v1/kv/gone")
        _ = try server.consul(.put, "/v1/kv/gone", "new")
        #expect(try server.consul(.put, "/v1/session/destroy/\(a)").bodyText == "true")
        // Locks are advisory: the new value is not the session's and survives.
        #expect(try server.entry("gone")?["Value"] as? String == b64("new"))
        #expect(try !storeHasKey(server, "_roost/locks/\(a)/gone"))
        #expect(try !storeHasKey(server, "_roost/lockdelay/gone"))
    }

    @Test("an invalidation planned before a concurrent release and acquire changes nothing")
    func comparesGuardConcurrentAcquire() throws {
        let server = try Self.server()
        defer { server.stop() }
        let a = try server.createSession()
        let b = try server.createSession()
        _ = try server.consul(.put, "/v1/kv/lock?acquire=\(a)", "x")
        let stale = try #require(
            SessionInvalidation.read(
                server.keySpace, sessionID: a, reason: .destroyed,
                nowUnixNanoseconds: WallClock().nowUnixNanoseconds()))
        _ = try server.consul(.put, "/v1/kv/lock?release=\(a)")
        #expect(try server.consul(.put, "/v1/kv/lock?acquire=\(b)", "b").bodyText == "true")
        let outcome = try server.write(.txn(try #require(stale.transactions.first)))
        guard case .txn(let response) = outcome.result else {
            Issue.record("not a txn: \(outcome.result)")
            return
        }
        #expect(!response.succeeded)
        #expect(try server.entry("lock")?["Session"] as? String == b)
        #expect(try server.sessionInfo(a).count == 1)
    }

    @Test("a session holding more locks than one txn takes is destroyed in several, all released")
    func manyLocks() throws {
        let server = try Self.server()
        defer { server.stop() }
        let a = try server.createSession(#"{"LockDelay":0}"#)
        for index in 0..<70 {
            #expect(try server.consul(.put, "/v1/kv/many/\(index)?acquire=\(a)").bodyText == "true")
        }
        #expect(try server.consul(.put, "/v1/session/destroy/\(a)").bodyText == "true")
        let all = try server.consul(.get, "/v1/kv/many/?recurse")
        #expect(!all.bodyText.contains(#""Session""#))
        #expect(all.bodyText.components(separatedBy: #""LockIndex":1"#).count == 71)
        #expect(try server.sessionInfo(a).isEmpty)
    }
}
