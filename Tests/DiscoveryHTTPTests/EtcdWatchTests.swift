import Foundation
import DiscoveryHTTP
import Platform
import Synchronization
import Testing

/// The watch stream: `{"result":…}` objects, one per HTTP chunk, `created` first,
/// events in revision order (reference/etcd.md §1.6, §5.3).
@Suite("etcd v3 watch stream")
struct EtcdWatchTests {
    /// Opens a watch and returns the first `count` chunks.
    static func chunks(_ server: TestServer, _ request: String, count: Int) throws -> [String] {
        let client = HTTPClient(address: server.address, timeoutMilliseconds: 10_000)
        defer { client.close() }
        var chunks: [String] = []
        try client.stream(.post, "/v3/watch", body: Array(request.utf8)) { event in
            guard case .bodyChunk(let bytes) = event else { return true }
            chunks.append(String(decoding: bytes, as: UTF8.self))
            return chunks.count < count
        }
        return chunks
    }

    @Test("a watch from a past revision gets `created`, then history in revision order, one object per chunk")
    func history() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.post("/v3/kv/put", #"{"key":"\#(b64("k1"))","value":"\#(b64("v1"))"}"#)
        _ = try server.post("/v3/kv/put", #"{"key":"\#(b64("k2"))","value":"\#(b64("v2"))"}"#)
        _ = try server.post("/v3/kv/deleterange", #"{"key":"\#(b64("k1"))"}"#)
        let request = #"{"create_request":{"key":"\#(b64("k"))","range_end":"\#(b64("l"))","start_revision":"2"}}"#
        let chunks = try Self.chunks(server, request, count: 2)
        #expect(chunks.count == 2)
        #expect(chunks[0].hasPrefix(#"{"result":{"header":{"#))
        #expect(chunks[0].hasSuffix(#""created":true}}"# + "\n"))
        #expect(chunks.allSatisfy { $0.hasSuffix("}}\n") && $0.filter { $0 == "\n" }.count == 1 })
        let events = chunks[1]
        let put1 = events.range(of: b64("v1"))
        let put2 = events.range(of: b64("v2"))
        let delete = events.range(of: #""type":"DELETE","kv":{"key":"\#(b64("k1"))","mod_revision":"4"}"#)
        #expect(put1 != nil && put2 != nil && delete != nil)
        if let put1, let put2, let delete {
            #expect(put1.lowerBound < put2.lowerBound && put2.lowerBound < delete.lowerBound)
        }
    }

    @Test("a PUT event has no type field (PUT is enum value 0, omitted)")
    func putEventHasNoType() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.post("/v3/kv/put", #"{"key":"Zm9v","value":"YmFy"}"#)
        let chunks = try Self.chunks(server, #"{"create_request":{"key":"Zm9v","start_revision":1}}"#, count: 2)
        #expect(chunks.count == 2)
        #expect(chunks[1].contains(#""events":[{"kv":{"key":"Zm9v","create_revision":"2""#))
    }

    @Test("a watch from a compacted revision is canceled with compact_revision")
    func compactedStart() throws {
        let server = try TestServer()
        defer { server.stop() }
        for value in ["1", "2", "3"] {
            _ = try server.post("/v3/kv/put", #"{"key":"Zm9v","value":"\#(b64(value))"}"#)
        }
        _ = try server.post("/v3/kv/compaction", #"{"revision":"3"}"#)
        let chunks = try Self.chunks(server, #"{"create_request":{"key":"Zm9v","start_revision":"2"}}"#, count: 2)
        #expect(chunks.count == 2)
        #expect(chunks[1].contains(#""canceled":true"#))
        #expect(chunks[1].contains(#""compact_revision":"3""#))
    }

    @Test("a live watch sees a put made after it was created")
    func liveEvent() throws {
        let server = try TestServer()
        defer { server.stop() }
        let seen = Mutex<[String]>([])
        let address = server.address
        let watcher = PlatformThread.spawn(name: "watch-client") {
            let client = HTTPClient(address: address, timeoutMilliseconds: 20_000)
            defer { client.close() }
            try? client.stream(.post, "/v3/watch", body: Array(#"{"create_request":{"key":"Zm9v"}}"#.utf8)) { event in
                guard case .bodyChunk(let bytes) = event else { return true }
                let count = seen.withLock { chunks in
                    chunks.append(String(decoding: bytes, as: UTF8.self))
                    return chunks.count
                }
                return count < 2
            }
        }
        try waitUntil { seen.withLock { $0.count } >= 1 }
        _ = try server.post("/v3/kv/put", #"{"key":"Zm9v","value":"YmFy"}"#)
        try waitUntil { seen.withLock { $0.count } >= 2 }
        watcher.join()
        let chunks = seen.withLock { $0 }
        #expect(chunks[1].contains(#""value":"YmFy""#))
        #expect(chunks[1].contains(#""revision":"2""#))
    }
}

/// Polls `condition` until it holds; fails after a generous deadline (slow CI machines).
func waitUntil(seconds: Double = 20, _ condition: () -> Bool) throws {
    let clock = MonotonicClock()
    let deadline = clock.nowNanoseconds() + UInt64(seconds * 1e9)
    while !condition() {
        guard clock.nowNanoseconds() < deadline else {
            Issue.record("condition not met within \(seconds) s")
            throw Errno.timedOut
        }
        Sleep.nanoseconds(2_000_000)
    }
}
