import DiscoveryHTTP
import Foundation
import Platform
import Testing

/// Which changes wake a blocking catalog or health query (reference/consul.md §2.1):
/// Consul keeps an index per service, so a query on one service sleeps through changes
/// to another, while everything that can change its answer still wakes it.
@Suite("Consul blocking queries: what wakes them")
struct ConsulBlockingScopeTests {
    static func index(_ response: HTTPClient.Response) throws -> Int64 {
        try #require(response.headers.first("X-Consul-Index").flatMap { Int64($0) })
    }

    static func register(_ server: TestServer, _ name: String, _ id: String) throws {
        let body = #"{"Name":"\#(name)","ID":"\#(id)","Port":80,"Check":{"TTL":"60s"}}"#
        #expect(try server.consul(.put, "/v1/agent/service/register", body).status == 200)
    }

    @Test(
        "a query on one service sleeps through another service's changes; its timeout answers the index it was given",
        arguments: ["/v1/health/service/web", "/v1/catalog/service/web", "/v1/health/checks/web"])
    func otherServicesDoNotWake(path: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        try Self.register(server, "web", "web1")
        let before = try Self.index(server.consul(.get, path))
        try Self.register(server, "db", "db1")
        _ = try server.consul(.put, "/v1/agent/check/pass/service:db1")
        _ = try server.consul(.put, "/v1/agent/service/deregister/db1")
        let started = Date()
        let answer = try server.consul(.get, path + "?index=\(before)&wait=1s")
        #expect(Date().timeIntervalSince(started) >= 1, "the query waited out its wait")
        #expect(try Self.index(answer) == before)
        #expect(answer.bodyText.contains("web1"))
    }

    @Test(
        "a deregistered instance wakes its service's query: a delete is judged by the record it removed"
    )
    func deregistrationWakes() throws {
        let server = try TestServer()
        defer { server.stop() }
        try Self.register(server, "web", "web1")
        try Self.register(server, "web", "web2")
        let before = try Self.index(server.consul(.get, "/v1/health/service/web"))
        _ = try server.consul(.put, "/v1/agent/service/deregister/web2")
        let answer = try server.consul(.get, "/v1/health/service/web?index=\(before)&wait=10s")
        #expect(try Self.index(answer) > before)
        #expect(!answer.bodyText.contains("web2"))
    }

    @Test("a check update and a node-level check wake the service's query")
    func checksWake() throws {
        let server = try TestServer()
        defer { server.stop() }
        try Self.register(server, "web", "web1")
        let first = try Self.index(server.consul(.get, "/v1/health/service/web"))
        _ = try server.consul(.put, "/v1/agent/check/pass/service:web1")
        let passed = try server.consul(.get, "/v1/health/service/web?index=\(first)&wait=10s")
        #expect(try Self.index(passed) > first)
        let second = try Self.index(passed)
        _ = try server.consul(.put, "/v1/agent/maintenance?enable=true")
        let maintained = try server.consul(
            .get, "/v1/health/service/web?index=\(second)&wait=10s")
        #expect(try Self.index(maintained) > second)
        #expect(maintained.bodyText.contains("_node_maintenance"))
    }
}
