import DiscoveryHTTP
import Foundation
import Platform
import Testing

/// `/v3/watch` reads its requests as the client writes them (etcd's Watch is a bidi
/// stream): one request can create, cancel and ask for progress over its lifetime.
@Suite("etcd v3 watch: requests on an open body")
struct EtcdWatchRequestStreamTests {
    static let head = "POST /v3/watch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"

    @Test(
        "a watch created on an open body, then canceled by a later request on the same body (etcd Watch is a bidi stream); the stream outlives the body (recvLoop on EOF)"
    )
    func createThenCancel() throws {
        let server = try TestServer()
        defer { server.stop() }
        let connection = try RawConnection(server.address)
        try connection.send(Self.head)
        try connection.sendChunk(#"{"create_request":{"key":"\#(b64("a"))"}}"#)
        try connection.read { $0.contains(#""created":true"#) }
        _ = try server.post("/v3/kv/put", #"{"key":"\#(b64("a"))","value":"\#(b64("1"))"}"#)
        try connection.read { $0.contains(#""value":"\#(b64("1"))""#) }
        try connection.sendChunk(#"{"cancel_request":{"watch_id":"0"}}"#)
        try connection.read { $0.contains(#""canceled":true"#) }
        _ = try server.post("/v3/kv/put", #"{"key":"\#(b64("a"))","value":"\#(b64("3"))"}"#)
        // A second watcher created after the body ended still streams.
        try connection.sendChunk(#"{"create_request":{"key":"\#(b64("b"))"}}"#)
        try connection.send("0\r\n\r\n")
        try connection.read { $0.components(separatedBy: #""created":true"#).count == 3 }
        _ = try server.post("/v3/kv/put", #"{"key":"\#(b64("b"))","value":"\#(b64("2"))"}"#)
        try connection.read { $0.contains(#""value":"\#(b64("2"))""#) }
        // The put after the cancel came earlier than this event, and was not sent.
        #expect(!connection.text.contains(b64("3")))
    }

    @Test("a first watch request that is not JSON is a 400 before any stream starts (grpc-gateway)")
    func badFirstRequest() throws {
        let server = try TestServer()
        defer { server.stop() }
        let answer = try server.post("/v3/watch", #"{"create_request":"#)
        #expect(answer.status == 400)
        #expect(answer.body.hasPrefix(#"{"error":"invalid JSON"#))
    }
}
