import DiscoveryHTTP
import Foundation
import Platform
import Testing

/// A blocking query whose index the store's compaction passed (reference/consul.md §2.2):
/// it answers at once with an index at the compaction point, from which the next query
/// can block again; it must not answer at once forever.
@Suite("Consul blocking queries after a compaction")
struct ConsulBlockingCompactionTests {
    static func index(_ response: HTTPClient.Response) throws -> Int64 {
        try #require(response.headers.first("X-Consul-Index").flatMap { Int64($0) })
    }

    @Test(
        "a catalog and a KV query from before the compaction point answer at once with the compaction revision, then block again (no busy loop)",
        arguments: ["/v1/catalog/services", "/v1/kv/app?recurse"])
    func compactedIndexMovesToTheCompactionPoint(path: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.consul(.put, "/v1/agent/service/register", #"{"Name":"web","Port":80}"#)
        _ = try server.consul(.put, "/v1/kv/app/a", "1")
        let before = try Self.index(server.consul(.get, path))
        for value in 0..<20 { _ = try server.consul(.put, "/v1/kv/other", "\(value)") }
        let revision = try #require(
            try JSONParser.parse(server.post("/v3/kv/range", #"{"key":"AA=="}"#).body)[
                "header"]?["revision"]?.stringValue.flatMap { Int64($0) })
        #expect(try server.post("/v3/kv/compaction", #"{"revision":"\#(revision)"}"#).status == 200)
        let separator = path.contains("?") ? "&" : "?"
        let first = try server.consul(.get, path + "\(separator)index=\(before)&wait=30s")
        let moved = try Self.index(first)
        #expect(moved >= revision)
        let started = Date()
        let second = try server.consul(.get, path + "\(separator)index=\(moved)&wait=1s")
        #expect(Date().timeIntervalSince(started) >= 1, "the query blocks until its wait ends")
        #expect(try Self.index(second) == moved)
    }
}
