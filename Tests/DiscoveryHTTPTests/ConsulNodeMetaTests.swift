import DiscoveryHTTP
import Foundation
import Platform
import Testing

/// `?node-meta=key:value` on catalog and health reads (reference/consul.md §5): only nodes
/// whose meta holds every pair, with their services and checks.
@Suite("Consul reads filtered by node meta")
struct ConsulNodeMetaTests {
    static func register(_ server: TestServer, node: String, meta: String) throws {
        let body =
            #"{"Node":"\#(node)","Address":"10.0.0.1","NodeMeta":{\#(meta)},"#
            + #""Service":{"Service":"web","ID":"web-\#(node)","Port":80},"#
            + #""Check":{"CheckID":"c-\#(node)","Name":"c","ServiceID":"web-\#(node)","#
            + #""Status":"critical"}}"#
        #expect(try server.consul(.put, "/v1/catalog/register", body).status == 200)
    }

    static func strings(_ response: HTTPClient.Response, _ path: [String]) throws -> [String] {
        try JSONParser.parse(response.body).arrayValue?.compactMap { entry in
            path.reduce(Optional(entry)) { $0?[$1] }?.stringValue
        } ?? []
    }

    @Test(
        "every pair must match; a value without a colon asks for an empty one (Consul parseMetaFilter)"
    )
    func filters() throws {
        let server = try TestServer()
        defer { server.stop() }
        try Self.register(server, node: "a", meta: #""rack":"r1","env":"prod""#)
        try Self.register(server, node: "b", meta: #""rack":"r2","env":"prod""#)
        try Self.register(server, node: "c", meta: #""rack":"","env":"dev""#)
        let nodes = { (query: String) throws -> [String] in
            try Self.strings(server.consul(.get, "/v1/catalog/nodes" + query), ["Node"])
        }
        #expect(try nodes("") == ["a", "b", "c"])
        #expect(try nodes("?node-meta=env:prod") == ["a", "b"])
        #expect(try nodes("?node-meta=env:prod&node-meta=rack:r2") == ["b"])
        #expect(try nodes("?node-meta=rack") == ["c"])
        #expect(try nodes("?node-meta=env:test") == [])
        let filtered = "?node-meta=rack:r1"
        #expect(
            try Self.strings(server.consul(.get, "/v1/catalog/service/web" + filtered), ["Node"])
                == ["a"])
        #expect(
            try Self.strings(
                server.consul(.get, "/v1/health/service/web" + filtered), ["Node", "Node"])
                == ["a"])
        #expect(
            try Self.strings(server.consul(.get, "/v1/health/checks/web" + filtered), ["Node"])
                == ["a"])
        #expect(
            try Self.strings(
                server.consul(.get, "/v1/health/state/critical" + filtered), ["CheckID"])
                == ["c-a"])
        let services = try JSONParser.parse(
            server.consul(.get, "/v1/catalog/services?node-meta=env:dev").body)
        #expect(services.objectValue?.count == 1)
        #expect(services["web"] != nil)
        let none = try JSONParser.parse(
            server.consul(.get, "/v1/catalog/services?node-meta=env:none").body)
        #expect(none.objectValue?.count == 0)
        // The unfiltered answer is not served from the filtered one's cache entry.
        #expect(try nodes("") == ["a", "b", "c"])
    }
}
