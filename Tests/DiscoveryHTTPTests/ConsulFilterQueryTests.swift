import DiscoveryHTTP
import Foundation
import Platform
import Testing

/// `?filter=` on Consul's listings (reference/consul.md §2; go-bexpr): the elements the
/// expression matches, judged on the answer's own JSON fields.
@Suite("Consul reads with ?filter")
struct ConsulFilterQueryTests {
    static func query(_ path: String, _ expression: String) -> String {
        let encoded =
            expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return path + (path.contains("?") ? "&" : "?") + "filter=" + encoded
    }

    static func register(
        _ server: TestServer, _ name: String, _ id: String, tags: [String]
    )
        throws
    {
        let tagList = tags.map { "\"\($0)\"" }.joined(separator: ",")
        let body =
            #"{"Name":"\#(name)","ID":"\#(id)","Port":80,"Tags":[\#(tagList)],"#
            + #""Check":{"TTL":"60s"}}"#
        #expect(try server.consul(.put, "/v1/agent/service/register", body).status == 200)
    }

    static func server() throws -> TestServer {
        let server = try TestServer()
        try register(server, "web", "web1", tags: ["primary"])
        try register(server, "web", "web2", tags: ["secondary"])
        try register(server, "db", "db1", tags: [])
        return server
    }

    static func ids(_ response: HTTPClient.Response) throws -> [String] {
        try JSONParser.parse(response.body).arrayValue?.compactMap { entry in
            entry["Service"]?["ID"]?.stringValue ?? entry["ServiceID"]?.stringValue
        } ?? []
    }

    @Test("health and catalog service listings keep the entries the expression matches")
    func serviceListings() throws {
        let server = try Self.server()
        defer { server.stop() }
        let primary = Self.query("/v1/health/service/web", #""primary" in Service.Tags"#)
        #expect(try Self.ids(server.consul(.get, primary)) == ["web1"])
        let anyCheck = Self.query("/v1/health/service/web", "Checks.Status == critical")
        #expect(try Self.ids(server.consul(.get, anyCheck)) == ["web1", "web2"])
        let negated = Self.query("/v1/health/service/web", "not (Checks.Status == critical)")
        #expect(try Self.ids(server.consul(.get, negated)) == [])
        let secondary = Self.query(
            "/v1/catalog/service/web?tag=secondary", #"ServiceTags contains "secondary""#)
        #expect(try Self.ids(server.consul(.get, secondary)) == ["web2"])
        let checks = Self.query("/v1/health/checks/web", #"ServiceID == "web2""#)
        #expect(
            try JSONParser.parse(server.consul(.get, checks).body).arrayValue?.count == 1)
        // The unfiltered answer is not served from a filtered one's cache entry.
        #expect(try Self.ids(server.consul(.get, "/v1/health/service/web")) == ["web1", "web2"])
    }

    @Test(
        "catalog/services filters instance rows before grouping them by name; agent maps filter their values"
    )
    func groupedAndMapped() throws {
        let server = try Self.server()
        defer { server.stop() }
        let services = try JSONParser.parse(
            server.consul(.get, Self.query("/v1/catalog/services", #"ServiceName == "web""#)).body)
        #expect(services.objectValue?.keys == ["web"])
        let tagged = try JSONParser.parse(
            server.consul(.get, Self.query("/v1/catalog/services", "primary in ServiceTags"))
                .body)
        #expect(tagged["web"] == ["primary"])
        let agent = try JSONParser.parse(
            server.consul(.get, Self.query("/v1/agent/services", "Service == db")).body)
        #expect(agent.objectValue?.keys == ["db1"])
        let node = try JSONParser.parse(
            server.consul(.get, Self.query("/v1/catalog/node/test", "Port == 80 and ID != web1"))
                .body)
        #expect(node["Services"]?.objectValue?.keys.sorted() == ["db1", "web2"])
        #expect(node["Node"]?["Node"]?.stringValue == "test")
    }

    @Test(
        "a bad expression is Consul's 500 with the evaluator's message; an empty one filters nothing"
    )
    func errors() throws {
        let server = try Self.server()
        defer { server.stop() }
        let catalog = try server.consul(.get, Self.query("/v1/catalog/nodes", "Address =="))
        #expect(catalog.status == 500)
        #expect(
            catalog.bodyText.hasPrefix(
                "rpc error making call: Failed to create boolean expression evaluator: "))
        let agent = try server.consul(.get, Self.query("/v1/agent/services", "foo"))
        #expect(agent.status == 500)
        #expect(agent.bodyText.hasPrefix("Failed to create boolean expression evaluator: "))
        let empty = try server.consul(.get, "/v1/health/service/web?filter=")
        #expect(try Self.ids(empty) == ["web1", "web2"])
    }
}
