import DiscoveryHTTP
import Platform
import Testing

/// TTL check updates and service re-registration on the agent endpoints (Consul
/// agent_endpoint.go `AgentCheckPass`/`Warn`/`Fail`/`Update`, `AgentRegisterService`),
/// over an in-memory key space.
@Suite("Consul agent TTL updates and re-registration")
struct ConsulTTLTests {
    func put(_ server: TestServer, _ path: String, _ body: String = "") throws -> Int {
        let client = server.client()
        defer { client.close() }
        return try client.send(.put, path, body: Array(body.utf8)).status
    }

    /// The agent's checks by ID, each as its JSON object.
    func checks(_ server: TestServer) throws -> [String: JSONValue] {
        let client = server.client()
        defer { client.close() }
        let body = try client.send(.get, "/v1/agent/checks").body
        guard case .object(let object) = try JSONParser.parse(body) else { return [:] }
        var result: [String: JSONValue] = [:]
        for member in object.members { result[member.key] = member.value }
        return result
    }

    /// The store's revision, from an etcd range answer's header.
    func revision(_ server: TestServer) throws -> Int64 {
        let answer = try server.post("/v3/kv/range", #"{"key":"AA=="}"#)
        return try #require(try JSONParser.parse(answer.body)["header"]?["revision"]?.int64Value)
    }

    func registerAPI(_ server: TestServer, query: String = "", checks: String) throws {
        let body = #"{"Name":"api","ID":"api1","Port":80,"Checks":[\#(checks)]}"#
        #expect(try put(server, "/v1/agent/service/register" + query, body) == 200)
    }

    @Test("pass, warn and fail set a TTL check's status, and ?note becomes its output")
    func statusVerbs() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerAPI(server, checks: #"{"CheckID":"beat","TTL":"30s"}"#)
        #expect(try checks(server)["beat"]?["Status"]?.stringValue == "critical")
        for (verb, status) in [("pass", "passing"), ("warn", "warning"), ("fail", "critical")] {
            #expect(try put(server, "/v1/agent/check/\(verb)/beat?note=\(verb)+now") == 200)
            let check = try checks(server)["beat"]
            #expect(check?["Status"]?.stringValue == status)
            #expect(check?["Output"]?.stringValue == "\(verb) now")
        }
    }

    @Test("an update that changes neither status nor output writes nothing (heartbeats at scale)")
    func unchangedUpdateWritesNothing() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerAPI(server, checks: #"{"CheckID":"beat","TTL":"30s"}"#)
        #expect(try put(server, "/v1/agent/check/pass/beat") == 200)
        let before = try revision(server)
        for _ in 0..<3 { #expect(try put(server, "/v1/agent/check/pass/beat") == 200) }
        #expect(try revision(server) == before)
        #expect(try put(server, "/v1/agent/check/pass/beat?note=changed") == 200)
        #expect(try revision(server) == before + 1)
    }

    @Test("PUT /v1/agent/check/update takes {Status, Output}; maintenance is no status for it")
    func updateBody() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerAPI(server, checks: #"{"CheckID":"beat","TTL":"30s"}"#)
        let body = #"{"Status":"warning","Output":"slow"}"#
        #expect(try put(server, "/v1/agent/check/update/beat", body) == 200)
        #expect(try checks(server)["beat"]?["Output"]?.stringValue == "slow")
        #expect(try put(server, "/v1/agent/check/update/beat", #"{"Status":"maintenance"}"#) == 400)
        #expect(try checks(server)["beat"]?["Status"]?.stringValue == "warning")
    }

    @Test("an unknown check is 404, a check without a TTL 500 (reference/consul.md §3.2)")
    func refusedUpdates() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerAPI(
            server, checks: #"{"CheckID":"tcp","TCP":"127.0.0.1:1","Interval":"10s"}"#)
        #expect(try put(server, "/v1/agent/check/pass/nope") == 404)
        #expect(try put(server, "/v1/agent/check/pass/tcp") == 500)
    }

    @Test("re-registering keeps checks left out; ?replace-existing-checks removes them")
    func replaceExistingChecks() throws {
        let server = try TestServer()
        defer { server.stop() }
        try registerAPI(
            server, checks: #"{"CheckID":"a","TTL":"30s"},{"CheckID":"b","TTL":"30s"}"#)
        try registerAPI(server, checks: #"{"CheckID":"a","TTL":"30s"}"#)
        #expect(try checks(server).keys.sorted() == ["a", "b", "serfHealth"])
        try registerAPI(
            server, query: "?replace-existing-checks=true", checks: #"{"CheckID":"a","TTL":"30s"}"#)
        #expect(try checks(server).keys.sorted() == ["a", "serfHealth"])
    }
}
