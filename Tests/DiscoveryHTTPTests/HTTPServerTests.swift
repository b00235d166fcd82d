import DiscoveryHTTP
import Foundation
import Platform
import Testing

/// The HTTP/1.1 server's framing, limits and connection handling (RFC 9112).
@Suite("HTTP server")
struct HTTPServerTests {
    @Test("two pipelined requests are answered in order on one connection (RFC 9112 §9.3.2)")
    func pipelining() throws {
        let server = try TestServer()
        defer { server.stop() }
        let request =
            "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /version HTTP/1.1\r\nHost: x\r\n\r\n"
        let text = try server.raw(request) { $0.contains("etcdcluster") }
        let health = text.range(of: "\"health\"")
        let version = text.range(of: "etcdcluster")
        #expect(health != nil && version != nil)
        if let health, let version { #expect(health.lowerBound < version.lowerBound) }
    }

    @Test("Expect: 100-continue gets an interim 100 before the body is sent (RFC 9110 §10.1.1)")
    func expectContinue() throws {
        let server = try TestServer()
        defer { server.stop() }
        let socket = try Socket.connectTCP(server.address, timeoutMilliseconds: 5_000)
        defer { socket.close() }
        try socket.setReceiveTimeout(milliseconds: 10_000)
        let body = #"{"key":"Zm9v","value":"YmFy"}"#
        let head =
            "POST /v3/kv/put HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n"
        try Array(head.utf8).withUnsafeBytes { try socket.writeAll($0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let interim = try buffer.withUnsafeMutableBytes { try socket.read(into: $0) }
        guard case .done(let count) = interim else { throw Errno.timedOut }
        #expect(
            String(decoding: buffer[..<count], as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
        try Array(body.utf8).withUnsafeBytes { try socket.writeAll($0) }
        let final = try buffer.withUnsafeMutableBytes { try socket.read(into: $0) }
        guard case .done(let length) = final else { throw Errno.timedOut }
        #expect(String(decoding: buffer[..<length], as: UTF8.self).hasPrefix("HTTP/1.1 200 OK"))
    }

    @Test("a client that half-closes after its request still gets the whole answer (RFC 9112 §9.6)")
    func halfClose() throws {
        let server = try TestServer()
        defer { server.stop() }
        let socket = try Socket.connectTCP(server.address, timeoutMilliseconds: 5_000)
        defer { socket.close() }
        try socket.setReceiveTimeout(milliseconds: 10_000)
        let body = #"{"key":"Zm9v","value":"YmFy"}"#
        let request =
            "POST /v3/kv/put HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            + body + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
        try Array(request.utf8).withUnsafeBytes { try socket.writeAll($0) }
        try socket.shutdownWrite()
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case .done(let count) = try buffer.withUnsafeMutableBytes({
            try socket.read(into: $0)
        }),
            count > 0
        {
            received += buffer[..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK"))
        #expect(text.contains(#""revision":"2""#), "the put's acknowledgement arrives")
        #expect(
            text.contains(#""health":"true""#), "the pipelined request after it is answered too")
    }

    @Test("a HEAD response has the headers of GET and no body (RFC 9110 §9.3.2)")
    func headHasNoBody() throws {
        let server = try TestServer()
        defer { server.stop() }
        let text = try server.raw(
            "HEAD /version HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n"
        ) { $0.contains("\"health\"") }
        let parts = text.components(separatedBy: "\r\n\r\n")
        #expect(parts.count >= 2)
        #expect(parts[0].hasPrefix("HTTP/1.1 200"))
        #expect(
            parts[0].contains("Content-Length: 60")
                || parts[0].lowercased().contains("content-length"))
        #expect(
            parts[1].hasPrefix("HTTP/1.1 200"),
            "the next response starts right after the HEAD headers")
    }

    @Test("Connection: close is honoured: the server answers then closes")
    func connectionClose() throws {
        let server = try TestServer()
        defer { server.stop() }
        let text = try server.raw("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(text.hasPrefix("HTTP/1.1 200"))
        #expect(text.lowercased().contains("connection: close"))
    }

    @Test("a body over the limit is refused with 413 before it is read")
    func bodyTooLarge() throws {
        var limits = HTTPServerLimits()
        limits.parser.bodyBytesMax = 1_000
        let server = try TestServer(limits: limits)
        defer { server.stop() }
        let atLimit = try server.raw(
            "POST /v3/kv/put HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
                + String(repeating: " ", count: 1_000))
        #expect(!atLimit.hasPrefix("HTTP/1.1 413"))
        let over = try server.raw(
            "POST /v3/kv/put HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n")
        #expect(over.hasPrefix("HTTP/1.1 413"))
    }

    @Test("too many header fields is 431 (RFC 6585 §5)")
    func tooManyHeaders() throws {
        let server = try TestServer()
        defer { server.stop() }
        let limit = HTTPLimits().headerCountMax
        let fields = (0..<limit).map { "X-\($0): y\r\n" }.joined()
        let atLimit = try server.raw("GET /health HTTP/1.1\r\n\(fields)\r\n") { $0.contains("}") }
        #expect(atLimit.hasPrefix("HTTP/1.1 200") || atLimit.hasPrefix("HTTP/1.1 400"))
        let over = try server.raw("GET /health HTTP/1.1\r\nHost: x\r\n\(fields)\r\n")
        #expect(over.hasPrefix("HTTP/1.1 431"))
    }

    @Test("a request line over the limit is 414 (RFC 9112 §3)")
    func uriTooLong() throws {
        let server = try TestServer()
        defer { server.stop() }
        let path = "/" + String(repeating: "a", count: HTTPLimits().requestLineBytesMax)
        let text = try server.raw("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(text.hasPrefix("HTTP/1.1 414"))
    }

    @Test("garbage is 400 and the connection closes; the server keeps serving others")
    func garbage() throws {
        let server = try TestServer()
        defer { server.stop() }
        let text = try server.raw("\u{01}\u{02} nonsense\r\n\r\n")
        #expect(text.hasPrefix("HTTP/1.1 400"))
        #expect(try server.client().send(.get, "/health").status == 200)
    }

    @Test("past connectionsMax a new connection gets 503 and is closed")
    func connectionLimit() throws {
        var limits = HTTPServerLimits()
        limits.connectionsMax = 2
        let server = try TestServer(limits: limits, loops: 1)
        defer { server.stop() }
        let first = server.client()
        let second = server.client()
        #expect(try first.send(.get, "/health").status == 200)
        #expect(try second.send(.get, "/health").status == 200)
        let refused = try server.raw("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(refused.hasPrefix("HTTP/1.1 503"))
        first.close()
        try waitUntil { server.server.connectionCount < 2 }
        #expect(try server.client().send(.get, "/health").status == 200)
        second.close()
    }

    @Test("a request that trickles in too slowly is answered 408 and closed")
    func slowRequest() throws {
        var limits = HTTPServerLimits()
        limits.requestReadTimeoutNanoseconds = 200_000_000
        limits.sweepIntervalNanoseconds = 50_000_000
        let server = try TestServer(limits: limits)
        defer { server.stop() }
        let text = try server.raw("GET /health HTTP/1.1\r\nHost: x\r\n")
        #expect(text.hasPrefix("HTTP/1.1 408"))
    }

    @Test("an idle keep-alive connection is closed after the idle timeout")
    func idleTimeout() throws {
        var limits = HTTPServerLimits()
        limits.idleTimeoutNanoseconds = 200_000_000
        limits.sweepIntervalNanoseconds = 50_000_000
        let server = try TestServer(limits: limits)
        defer { server.stop() }
        let client = server.client()
        #expect(try client.send(.get, "/health").status == 200)
        try waitUntil { server.server.connectionCount == 0 }
    }
}
