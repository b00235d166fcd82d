import Foundation
import KVStore
import Platform
import ServiceCatalog
import Testing

@testable import DiscoveryHTTP

/// `/v1/session/*` over the in-memory key space (reference/consul.md §6.1;
/// Consul `agent/session_endpoint.go`).
@Suite("Consul session API")
struct ConsulSessionTests {
    @Test("an empty create body gets every default; info answers Consul's Session JSON")
    func createDefaults() throws {
        let server = try TestServer()
        defer { server.stop() }
        try server.registerAgentNode()
        let create = try server.consul(.put, "/v1/session/create")
        #expect(create.status == 200)
        #expect(create.headers.first("Content-Type") == "application/json")
        let id = try server.createSession()
        #expect(create.bodyText.hasPrefix(#"{"ID":""#))
        let info = try server.consul(.get, "/v1/session/info/\(id)")
        let index = try #require(info.headers.first("X-Consul-Index"))
        #expect(
            info.bodyText
                == #"[{"ID":"\#(id)","Name":"","Node":"test","LockDelay":15000000000,"#
                + #""Behavior":"release","TTL":"","NodeChecks":["serfHealth"],"#
                + #""ServiceChecks":null,"CreateIndex":\#(index),"ModifyIndex":\#(index)}]"#)
        #expect(info.headers.first("X-Consul-KnownLeader") == "true")
    }

    @Test("py-consul's lowercase body: name, lockdelay text, behavior, ttl, checks")
    func createFromLowercase() throws {
        let server = try TestServer()
        defer { server.stop() }
        try server.registerAgentNode()
        let id = try server.createSession(
            #"{"name":"lock","lockdelay":"5s","behavior":"delete","ttl":"30s","#
                + #""checks":["serfHealth","mem"]}"#)
        let session = try #require(try server.sessionInfo(id).first)
        #expect(session["Name"] as? String == "lock")
        #expect(session["LockDelay"] as? Int == 5_000_000_000)
        #expect(session["Behavior"] as? String == "delete")
        #expect(session["TTL"] as? String == "30s")
        #expect(session["NodeChecks"] as? [String] == ["serfHealth", "mem"])
        // A numeric LockDelay below 1000 is seconds.
        let numeric = try server.createSession(#"{"LockDelay":7,"NodeChecks":[]}"#)
        let numericInfo = try server.consul(.get, "/v1/session/info/\(numeric)")
        #expect(numericInfo.bodyText.contains(#""LockDelay":7000000000,"#))
        #expect(numericInfo.bodyText.contains(#""NodeChecks":null,"ServiceChecks":null"#))
    }

    @Test("ServiceChecks name a service's check on the node; listed as {ID, Namespace}")
    func serviceChecks() throws {
        let server = try TestServer()
        defer { server.stop() }
        try server.registerAgentNode()
        let register = #"{"Name":"web","ID":"web1","Check":{"TTL":"60s","Status":"passing"}}"#
        #expect(try server.consul(.put, "/v1/agent/service/register", register).status == 200)
        let id = try server.createSession(
            #"{"NodeChecks":[],"ServiceChecks":[{"ID":"service:web1"}]}"#)
        let info = try server.consul(.get, "/v1/session/info/\(id)")
        #expect(
            info.bodyText.contains(
                #""NodeChecks":null,"ServiceChecks":[{"ID":"service:web1","Namespace":""}],"#))
    }

    @Test("info of an unknown session is [] with index headers, never null or 404")
    func unknownInfo() throws {
        let server = try TestServer()
        defer { server.stop() }
        for path in ["info/nope", "list", "node/test"] {
            let response = try server.consul(.get, "/v1/session/\(path)")
            #expect(response.status == 200)
            #expect(response.bodyText == "[]")
            #expect(response.headers.first("X-Consul-Index") == "1")
        }
    }

    @Test("list shows every session in ID order; node filters by node, case-insensitively")
    func listAndNode() throws {
        let server = try TestServer()
        defer { server.stop() }
        try server.registerAgentNode()
        let ids = [try server.createSession(), try server.createSession(#"{"Name":"b"}"#)]
        let list = try server.consul(.get, "/v1/session/list")
        let listed = try #require(
            try JSONSerialization.jsonObject(with: Data(list.body)) as? [[String: Any]])
        #expect(listed.compactMap { $0["ID"] as? String } == ids.sorted())
        #expect(list.headers.first("X-Consul-Index") == "5")
        let node = try server.consul(.get, "/v1/session/node/TEST")
        #expect(node.bodyText == list.bodyText)
        #expect(try server.consul(.get, "/v1/session/node/other").bodyText == "[]")
    }

    @Test("create errors use Consul's status and text")
    func createErrors() throws {
        let server = try TestServer()
        defer { server.stop() }
        let noNode = try server.consul(.put, "/v1/session/create")
        #expect(noNode.status == 500)
        #expect(noNode.bodyText == "Missing node registration\n")
        try server.registerAgentNode(alive: false)
        let cases: [(String, Int, String)] = [
            ("", 500, "Check 'serfHealth' is in critical state"),
            (#"{"Node":"elsewhere"}"#, 500, "Missing node registration"),
            (#"{"Checks":["nope"]}"#, 500, "Missing check 'nope' registration"),
            (
                #"{"NodeChecks":[],"ServiceChecks":[{"ID":"svc"}]}"#, 500,
                "Missing check 'svc' registration"
            ),
            (
                #"{"TTL":"5s","Checks":[]}"#, 500,
                "Invalid Session TTL '5000000000', must be between [10s=24h0m0s]"
            ),
            (#"{"LockDelay":"61s","Checks":[]}"#, 500, "Lock delay must be between 0s and 1m0s"),
            (#"{"Behavior":"keep","Checks":[]}"#, 500, "Invalid Behavior setting 'keep'"),
        ]
        for (body, status, text) in cases {
            let response = try server.consul(.put, "/v1/session/create", body)
            #expect(response.status == status, "\(body)")
            #expect(response.bodyText == text + "\n", "\(body)")
        }
        let badJSON = try server.consul(.put, "/v1/session/create", "{")
        #expect(badJSON.status == 400)
        #expect(badJSON.bodyText.hasPrefix("Request decode failed: "))
        _ = try server.consul(.put, "/v1/agent/check/fail/mem")
        let critical = try server.consul(.put, "/v1/session/create", #"{"Checks":["mem"]}"#)
        #expect(critical.bodyText == "Check 'mem' is in critical state\n")
    }

    @Test("routes take only their method; a missing argument is 400 with Consul's text")
    func routing() throws {
        let server = try TestServer()
        defer { server.stop() }
        let get = try server.consul(.get, "/v1/session/create")
        #expect(get.status == 405)
        #expect(get.headers.first("Allow") == "PUT")
        #expect(try server.consul(.put, "/v1/session/list").status == 405)
        #expect(try server.consul(.get, "/v1/session/destroy/x").status == 405)
        #expect(try server.consul(.put, "/v1/session/destroy/").bodyText == "Missing session\n")
        #expect(try server.consul(.put, "/v1/session/renew/").bodyText == "Missing session\n")
        #expect(try server.consul(.get, "/v1/session/info/").status == 400)
        #expect(try server.consul(.get, "/v1/session/node/").bodyText == "Missing node name\n")
        #expect(try server.consul(.get, "/v1/session/other").status == 404)
        #expect(try server.consul(.put, "/v1/session/destroy").status == 404)
    }

    @Test("renew answers the session as an array of one; an unknown one is 404 with Consul's text")
    func renew() throws {
        let server = try TestServer()
        defer { server.stop() }
        try server.registerAgentNode()
        let plain = try server.createSession()
        let ttl = try server.createSession(#"{"TTL":"10s"}"#)
        for id in [plain, ttl] {
            let renewed = try server.consul(.put, "/v1/session/renew/\(id)")
            #expect(renewed.status == 200)
            #expect(renewed.headers.first("X-Consul-Index") == nil)
            let info = try server.consul(.get, "/v1/session/info/\(id)")
            #expect(renewed.bodyText == info.bodyText)
        }
        let unknown = try server.consul(.put, "/v1/session/renew/nope")
        #expect(unknown.status == 404)
        #expect(unknown.bodyText == "Session id 'nope' not found\n")
    }

    @Test("a TTL session lives on a lease of 2×TTL: renewing is a keep-alive, expiry removes it")
    func ttlLease() throws {
        let server = try TestServer()
        defer { server.stop() }
        try server.registerAgentNode()
        let id = try server.createSession(#"{"TTL":"10s"}"#)
        let lease = try server.keySpace.withStore { (store) throws(KVError) in
            try store.range(RangeRequest(key: Array("_roost/session/\(id)".utf8))).kvs.first?.lease
        }
        let leaseID = try #require(lease)
        #expect(leaseID != 0)
        #expect(server.keySpace.withStoreLeaseTTL(leaseID) == 20)
        let revision = try server.write(.txn(TxnRequest())).revision
        let second: UInt64 = 1_000_000_000
        server.keySpace.clock.advance(by: 15 * second)
        #expect(try server.consul(.put, "/v1/session/renew/\(id)").status == 200)
        server.keySpace.clock.advance(by: 15 * second)
        server.keySpace.revokeExpiredLeases()
        #expect(try server.sessionInfo(id).count == 1)
        // Renewing wrote nothing: no revision moved.
        #expect(try server.write(.txn(TxnRequest())).revision == revision)
        server.keySpace.clock.advance(by: 6 * second)
        server.keySpace.revokeExpiredLeases()
        #expect(try server.sessionInfo(id).isEmpty)
        #expect(try server.consul(.put, "/v1/session/renew/\(id)").status == 404)
    }

    @Test("destroy answers true, for unknown sessions too, and removes the session and its lease")
    func destroy() throws {
        let server = try TestServer()
        defer { server.stop() }
        try server.registerAgentNode()
        let id = try server.createSession(#"{"TTL":"60s"}"#)
        let destroy = try server.consul(.put, "/v1/session/destroy/\(id)")
        #expect(destroy.status == 200)
        #expect(destroy.bodyText == "true")
        #expect(try server.sessionInfo(id).isEmpty)
        #expect(server.keySpace.withStoreLeaseCount() == 0)
        #expect(try server.consul(.put, "/v1/session/destroy/\(id)").bodyText == "true")
        #expect(try server.consul(.put, "/v1/session/destroy/never-was").bodyText == "true")
    }

    @Test("a blocking info query returns when the session is destroyed")
    func blockingInfo() throws {
        let server = try TestServer()
        defer { server.stop() }
        try server.registerAgentNode()
        let id = try server.createSession()
        let index = try #require(
            try server.consul(.get, "/v1/session/info/\(id)").headers.first("X-Consul-Index"))
        let address = server.address
        let destroyer = Thread {
            usleep(300_000)
            let client = HTTPClient(address: address, timeoutMilliseconds: 10_000)
            defer { client.close() }
            _ = try? client.send(.put, "/v1/session/destroy/\(id)", body: [])
        }
        destroyer.start()
        let started = Date()
        let blocked = try server.consul(.get, "/v1/session/info/\(id)?index=\(index)&wait=20s")
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(blocked.bodyText == "[]")
        #expect(Int(blocked.headers.first("X-Consul-Index") ?? "") ?? 0 > Int(index) ?? 0)
    }

    @Test("limits: sessions per node, checks per session and name bytes, at the limit and one past")
    func limits() throws {
        let server = try TestServer()
        defer { server.stop() }
        try server.registerAgentNode()
        try server.seedSessions(SessionLimits.sessionsPerNodeMax - 1)
        _ = try server.createSession(#"{"Checks":[]}"#)
        let over = try server.consul(.put, "/v1/session/create", #"{"Checks":[]}"#)
        #expect(over.status == 500)
        #expect(over.bodyText.contains("already holds \(SessionLimits.sessionsPerNodeMax)"))

        let other = try TestServer()
        defer { other.stop() }
        try other.registerAgentNode()
        func checks(_ count: Int) -> String {
            #"{"NodeChecks":["# + Array(repeating: #""mem""#, count: count).joined(separator: ",")
                + "]}"
        }
        #expect(
            try other.consul(.put, "/v1/session/create", checks(SessionLimits.checksPerSessionMax))
                .status == 200)
        #expect(
            try other.consul(
                .put, "/v1/session/create", checks(SessionLimits.checksPerSessionMax + 1)
            ).status == 400)
        let name = String(repeating: "n", count: SessionLimits.nameBytesMax)
        #expect(try other.consul(.put, "/v1/session/create", #"{"Name":"\#(name)"}"#).status == 200)
        let long = try other.consul(.put, "/v1/session/create", #"{"Name":"\#(name)n"}"#)
        #expect(long.status == 400)
        #expect(long.bodyText == "Session.Name is longer than 1024 bytes\n")
    }
}

extension InMemoryKeySpace {
    func withStoreLeaseTTL(_ id: Int64) -> Int64? {
        try? withStore { (store) throws(KVError) in store.leaseInfo(id)?.ttlSeconds }
    }

    func withStoreLeaseCount() -> Int {
        (try? withStore { (store) throws(KVError) in store.leases().count }) ?? -1
    }
}
