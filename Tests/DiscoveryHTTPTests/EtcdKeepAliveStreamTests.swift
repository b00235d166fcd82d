import DiscoveryHTTP
import Foundation
import Platform
import Testing

/// `/v3/lease/keepalive` as the bidi stream it is in etcd (`LeaseKeepAlive`): requests read
/// from the body as the client writes them, each answered at once (reference/etcd.md §1.7).
@Suite("etcd v3 gateway: lease keep-alive stream")
struct EtcdKeepAliveStreamTests {
    static let head =
        "POST /v3/lease/keepalive HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"

    @Test(
        "keep-alives written one at a time into an open body are each answered before the body ends (etcd LeaseKeepAlive is a bidi stream)"
    )
    func answersWhileTheBodyIsOpen() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.post("/v3/lease/grant", #"{"TTL":"30","ID":"9"}"#)
        let connection = try RawConnection(server.address)
        try connection.send(Self.head)
        try connection.sendChunk(#"{"ID":"9"}"#)
        try connection.read { $0.contains(#""ID":"9","TTL":"30"}}"#) }
        #expect(connection.text.hasPrefix("HTTP/1.1 200 OK"))
        // Ten seconds later the next keep-alive restarts the TTL at its full length.
        server.keySpace.clock.advance(by: 10_000_000_000)
        let ttl = try server.post("/v3/lease/timetolive", #"{"ID":"9"}"#)
        #expect(ttl.body.contains(#""TTL":"20""#))
        try connection.sendChunk(#"{"ID":"9"}"#)
        try connection.read { $0.components(separatedBy: #""TTL":"30"}}"#).count == 3 }
        #expect(
            try server.post("/v3/lease/timetolive", #"{"ID":"9"}"#).body.contains(#""TTL":"30""#))
        // Ending the body ends the response; the connection serves the next request.
        try connection.send("0\r\n\r\n")
        try connection.read { $0.hasSuffix("\r\n0\r\n\r\n") }
        try connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        try connection.read { $0.contains(#""health":"true""#) }
    }

    @Test("a request split across chunks a byte at a time is answered once it is whole")
    func requestAcrossChunks() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.post("/v3/lease/grant", #"{"TTL":"30","ID":"9"}"#)
        let connection = try RawConnection(server.address)
        try connection.send(Self.head)
        for character in #" {"ID": "9"} "# { try connection.sendChunk(String(character)) }
        try connection.read { $0.contains(#""ID":"9","TTL":"30"}}"#) }
        try connection.send("0\r\n\r\n")
        try connection.read { $0.hasSuffix("\r\n0\r\n\r\n") }
        #expect(connection.text.components(separatedBy: "\"result\"").count == 2)
    }

    @Test(
        "more requests than the queue holds are all answered, in order: the body pauses at queuedRequestsMax and resumes as answers go out"
    )
    func queueLimitPausesTheBody() throws {
        let server = try TestServer()
        defer { server.stop() }
        let count = 2_500
        let body = (1...count).map { #"{"ID":"\#($0)"}"# }.joined()
        let answer = try server.post("/v3/lease/keepalive", body)
        #expect(answer.status == 200)
        let ids = answer.body.split(separator: "\n").compactMap { line in
            line.range(of: #""ID":""#).map { line[$0.upperBound...].prefix { $0 != "\"" } }
        }
        #expect(ids.count == count)
        #expect(ids == (1...count).map { Substring(String($0)) })
    }

    @Test("a request object of requestBytesMax bytes is read; one byte more is a 400")
    func requestSizeLimit() throws {
        let server = try TestServer()
        defer { server.stop() }
        let limit = 64 * 1024
        let core = #"{"ID":"5"}"#
        let padding = limit - core.utf8.count
        let atLimit = #"{"ID":"5""# + String(repeating: " ", count: padding) + "}"
        #expect(atLimit.utf8.count == limit)
        let accepted = try server.post("/v3/lease/keepalive", atLimit)
        #expect(accepted.status == 200)
        #expect(accepted.body.contains(#""ID":"5""#))
        let over = #"{"ID":"5""# + String(repeating: " ", count: padding + 1) + "}"
        let refused = try server.post("/v3/lease/keepalive", over)
        #expect(refused.status == 400)
        #expect(refused.body.contains("larger than \(limit) bytes"))
    }

    @Test(
        "a bad first request is a 400 with etcd's body; a bad later one ends the stream after the answers before it; an empty body is an empty stream (grpc-gateway)"
    )
    func errorsFollowTheGateway() throws {
        let server = try TestServer()
        defer { server.stop() }
        let bad = try server.post("/v3/lease/keepalive", #"{"ID""#)
        #expect(bad.status == 400)
        #expect(bad.body.hasPrefix(#"{"error":"invalid JSON"#))
        let notNumber = try server.post("/v3/lease/keepalive", #"{"ID":"x"}"#)
        #expect(notNumber.status == 400)
        let later = try server.post("/v3/lease/keepalive", #"{"ID":"1"} {"ID":"2"} {"ID""#)
        #expect(later.status == 200)
        #expect(later.body.split(separator: "\n").count == 2)
        let empty = try server.post("/v3/lease/keepalive", "")
        #expect(empty.status == 200)
        #expect(empty.body.isEmpty)
    }

    @Test("a client that disconnects mid-stream leaves the server serving others")
    func disconnectMidStream() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.post("/v3/lease/grant", #"{"TTL":"30","ID":"9"}"#)
        do {
            let connection = try RawConnection(server.address)
            try connection.send(Self.head)
            try connection.sendChunk(String(repeating: #"{"ID":"9"}"#, count: 500))
            try connection.read { $0.contains("\"result\"") }
        }
        let after = try server.post("/v3/lease/keepalive", #"{"ID":"9"}"#)
        #expect(after.body.contains(#""TTL":"30"}}"#))
    }

    @Test(
        "a stream that ends while its body is still open closes the connection after it: the rest of the body cannot be read as requests"
    )
    func earlyEndCloses() throws {
        let server = try TestServer()
        defer { server.stop() }
        let connection = try RawConnection(server.address)
        try connection.send(Self.head)
        try connection.sendChunk(#"{"ID":"1"} }"#)
        try connection.read { $0.hasSuffix("\r\n0\r\n\r\n") }
        try connection.readUntilClosed()
        #expect(connection.text.components(separatedBy: "\"result\"").count == 2)
    }

    @Test(
        "Expect: 100-continue on a keep-alive stream gets the interim 100 before the stream's head (RFC 9110 §15.2)"
    )
    func expectContinue() throws {
        let server = try TestServer()
        defer { server.stop() }
        let connection = try RawConnection(server.address)
        try connection.send(
            "POST /v3/lease/keepalive HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n")
        try connection.read { $0.hasSuffix("\r\n\r\n") }
        #expect(connection.text == "HTTP/1.1 100 Continue\r\n\r\n")
        try connection.sendChunk(#"{"ID":"3"}"#)
        try connection.read { $0.contains(#""ID":"3"}}"#) }
        #expect(connection.text.hasPrefix("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"))
    }

    @Test(
        "a client that leaves before its first request is whole leaves no connection behind (keep-alive and watch)",
        arguments: ["/v3/lease/keepalive", "/v3/watch"])
    func abandonedBody(path: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        do {
            let connection = try RawConnection(server.address)
            try connection.send(
                "POST \(path) HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            try connection.sendChunk(#"{"ID":"#)
            try waitUntil(seconds: 10) { server.server.connectionCount == 1 }
        }
        try waitUntil(seconds: 30) { server.server.connectionCount == 0 }
    }

    @Test(
        "HTTPDuplexRequest writes a keep-alive and reads its answer before writing the next, on one open request"
    )
    func duplexClient() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try server.post("/v3/lease/grant", #"{"TTL":"30","ID":"9"}"#)
        let client = server.client()
        defer { client.close() }
        let exchange = try HTTPDuplexRequest(client: client, .post, "/v3/lease/keepalive")
        var received = ""
        for round in 1...3 {
            try exchange.write(Array(#"{"ID":"9"}"#.utf8))
            try exchange.read { event in
                if case .bodyChunk(let bytes) = event {
                    received += String(decoding: bytes, as: UTF8.self)
                }
                return received.components(separatedBy: "\n").count <= round
            }
            #expect(received.hasSuffix(#""ID":"9","TTL":"30"}}"# + "\n"))
            server.keySpace.clock.advance(by: 5_000_000_000)
        }
        try exchange.finish()
        var ended = false
        try exchange.read { event in
            if case .end = event { ended = true }
            return true
        }
        #expect(ended)
        #expect(received.components(separatedBy: "\"result\"").count == 4)
        #expect(server.server.connectionCount == 1)
    }
}
