import Foundation
import Platform
import Testing

/// Consul sessions and locks against a real `roost server` with its agent: the leader's
/// sweeper, TTL leases and lock-delay working end to end (reference/consul.md §6).
@Suite("sessions and locks on a real process", .serialized)
struct SessionProcessTests {
    @Test(
        "an unrenewed TTL session is invalidated within 2×TTL, freeing its lock; renewed ones live"
    )
    func ttlSessionExpires() throws {
        let directory = ServerProcess.temporaryDirectory("sessions")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = ServerProcess(dataDirectory: directory, agent: true)
        try server.start()
        defer { _ = server.terminate() }
        let consul = SessionClient(
            HTTPClient(address: try #require(server.endpoint).address, timeoutMilliseconds: 10_000))
        defer { consul.http.close() }
        // The agent registers its node (whose serfHealth sessions need) on its first pass.
        try waitUntil(seconds: 15) { consul.nodeAlive() }
        let createdAt = Date()
        let holder = try consul.create(#"{"Name":"leader","TTL":"10s","LockDelay":"1s"}"#)
        let renewed = try consul.create(#"{"Name":"renewed","TTL":"10s"}"#)
        let contender = try consul.create(#"{"Name":"contender"}"#)
        #expect(try consul.acquire(holder, "me"))
        // A held lock blocks the second session.
        #expect(try !consul.acquire(contender, "x"))
        var lastRenewal = Date()
        try waitUntil(seconds: 40) {
            if Date().timeIntervalSince(lastRenewal) > 2 {
                _ = try? consul.send(.put, "/v1/session/renew/\(renewed)")
                lastRenewal = Date()
            }
            return (try? consul.holder()) == .some(nil)
        }
        let elapsed = Date().timeIntervalSince(createdAt)
        // Consul's TTL is a lower bound; Roost's lease is 2×TTL.
        #expect(elapsed >= 10 && elapsed < 30, "released after \(elapsed) s")
        #expect(try consul.send(.get, "/v1/session/info/\(holder)").bodyText == "[]")
        #expect(try consul.send(.put, "/v1/session/renew/\(holder)").status == 404)
        #expect(try consul.send(.get, "/v1/session/info/\(renewed)").bodyText.contains(renewed))
        let released = try consul.send(.get, "/v1/kv/service/leader").bodyText
        #expect(released.contains(#""LockIndex":1,"#) && released.contains(#""Value":"bWU=""#))
        // After the holder's 1 s lock delay the contender takes the lock.
        try waitUntil(seconds: 10) { (try? consul.acquire(contender, "x")) == true }
        #expect(try consul.holder() == contender)
        #expect(try consul.send(.put, "/v1/session/destroy/\(contender)").bodyText == "true")
        #expect(try consul.holder() == nil)
    }
}

/// The Consul calls of the session test, over one connection.
struct SessionClient {
    let http: HTTPClient

    init(_ http: HTTPClient) {
        self.http = http
    }

    func send(
        _ method: HTTPMethod, _ path: String, _ body: String = ""
    ) throws
        -> HTTPClient.Response
    {
        try http.send(method, path, body: Array(body.utf8))
    }

    func json(_ method: HTTPMethod, _ path: String, _ body: String = "") throws -> Any {
        try JSONSerialization.jsonObject(with: Data(send(method, path, body).body))
    }

    /// Whether the agent's node (`Config.NodeName`) has a passing serfHealth.
    func nodeAlive() -> Bool {
        let config = (try? json(.get, "/v1/agent/self") as? [String: Any])?["Config"]
        guard let node = (config as? [String: Any])?["NodeName"] as? String,
            let checks = try? json(.get, "/v1/health/node/\(node)") as? [[String: Any]]
        else { return false }
        return checks.contains {
            $0["CheckID"] as? String == "serfHealth" && $0["Status"] as? String == "passing"
        }
    }

    func create(_ body: String) throws -> String {
        let object = try json(.put, "/v1/session/create", body) as? [String: Any]
        return try #require(object?["ID"] as? String)
    }

    func acquire(_ session: String, _ value: String) throws -> Bool {
        try send(.put, "/v1/kv/service/leader?acquire=\(session)", value).bodyText == "true"
    }

    /// The session holding `service/leader`, nil when it is free.
    func holder() throws -> String? {
        let entries = try json(.get, "/v1/kv/service/leader") as? [[String: Any]]
        return entries?.first?["Session"] as? String
    }
}
