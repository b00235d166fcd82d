import DiscoveryHTTP
import Foundation
import Platform
import Testing

/// Health and catalog reads through the HTTP server, as blocking queries and with filters
/// (reference/consul.md §2, §5): answers shared at one revision must still be the right
/// answer for each request.
@Suite("Consul health reads: filters and blocking")
struct ConsulHealthReadTests {
    func register(_ server: TestServer, _ id: String, tags: [String], status: String) throws {
        let tagList = tags.map { "\"\($0)\"" }.joined(separator: ",")
        let body =
            #"{"Name":"web","ID":"\#(id)","Port":80,"Tags":[\#(tagList)],"#
            + #""Check":{"TTL":"60s","Status":"\#(status)"}}"#
        #expect(try server.consul(.put, "/v1/agent/service/register", body).status == 200)
    }

    /// The instance IDs of a `/v1/health/service` or `/v1/catalog/service` answer.
    func ids(_ response: HTTPClient.Response) throws -> [String] {
        try JSONParser.parse(response.body).arrayValue?.compactMap { entry in
            entry["Service"]?["ID"]?.stringValue ?? entry["ServiceID"]?.stringValue
        } ?? []
    }

    @Test("tag and passing filters give their own answers at the same revision")
    func filtersAreDistinct() throws {
        let server = try TestServer()
        defer { server.stop() }
        try register(server, "web1", tags: ["a"], status: "passing")
        try register(server, "web2", tags: ["b"], status: "passing")
        #expect(try ids(server.consul(.get, "/v1/health/service/web")) == ["web1", "web2"])
        #expect(try ids(server.consul(.get, "/v1/health/service/web?tag=a")) == ["web1"])
        #expect(try ids(server.consul(.get, "/v1/health/service/web?tag=b")) == ["web2"])
        #expect(try ids(server.consul(.get, "/v1/catalog/service/web?tag=b")) == ["web2"])
        // The in-memory key space keeps no liveness lease: serfHealth is critical.
        #expect(try ids(server.consul(.get, "/v1/health/service/web?passing")) == [])
        #expect(try ids(server.consul(.get, "/v1/health/service/web")) == ["web1", "web2"])
    }

    @Test("a read after a write sees it; a blocking query wakes with the new data and index")
    func blockingWakesWithNewData() throws {
        let server = try TestServer()
        defer { server.stop() }
        try register(server, "web1", tags: [], status: "passing")
        let first = try server.consul(.get, "/v1/health/service/web")
        let index = try #require(first.headers.first("X-Consul-Index").flatMap { Int64($0) })
        let address = server.address
        let writer = Thread {
            usleep(300_000)
            let client = HTTPClient(address: address, timeoutMilliseconds: 10_000)
            defer { client.close() }
            let body = #"{"Name":"web","ID":"web2","Port":81}"#
            _ = try? client.send(.put, "/v1/agent/service/register", body: Array(body.utf8))
        }
        writer.start()
        let started = Date()
        let woken = try server.consul(.get, "/v1/health/service/web?index=\(index)&wait=20s")
        #expect(Date().timeIntervalSince(started) < 15)
        let moved = try #require(woken.headers.first("X-Consul-Index").flatMap { Int64($0) })
        #expect(moved > index)
        #expect(try ids(woken) == ["web1", "web2"])
        #expect(try ids(server.consul(.get, "/v1/health/service/web")) == ["web1", "web2"])
    }
}
