import Platform
import Testing

@Suite("HTTP/1.1 response and request encoder")
struct HTTPResponseEncoderTests {
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test(
        "a head with a length gets Content-Length, no Connection (RFC 9112 §4, §6.2)")
    func headWithLength() {
        var output: [UInt8] = []
        let headers = HTTPHeaders([("Content-Type", "application/json")])
        HTTPResponseEncoder.head(
            .ok, headers: headers, contentLength: 2, keepAlive: true, into: &output)
        #expect(
            Self.text(output)
                == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n")
    }

    @Test(
        "no length means chunked; !keepAlive adds Connection: close (RFC 9112 §7.1, §9.6)"
    )
    func chunkedHead() {
        var output: [UInt8] = []
        HTTPResponseEncoder.head(
            .code(418), headers: HTTPHeaders(), contentLength: nil, keepAlive: false, into: &output)
        #expect(
            Self.text(output)
                == "HTTP/1.1 418 Client Error\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n"
        )
    }

    @Test("204 gets no framing header and 304 never chunked (RFC 9110 §8.6, RFC 9112 §6.1)")
    func bodylessStatuses() {
        var noContent: [UInt8] = []
        HTTPResponseEncoder.head(
            .noContent, headers: HTTPHeaders(), contentLength: nil, keepAlive: true,
            into: &noContent)
        #expect(Self.text(noContent) == "HTTP/1.1 204 No Content\r\n\r\n")
        var notModified: [UInt8] = []
        HTTPResponseEncoder.head(
            .code(304), headers: HTTPHeaders(), contentLength: nil, keepAlive: true,
            into: &notModified)
        #expect(Self.text(notModified) == "HTTP/1.1 304 Not Modified\r\n\r\n")
    }

    @Test(
        "chunks are hex-sized, empty writes nothing, last is 0 CRLF CRLF (RFC 9112 §7.1)"
    )
    func chunks() {
        var output: [UInt8] = []
        HTTPResponseEncoder.chunk([UInt8](repeating: 0x61, count: 26), into: &output)
        HTTPResponseEncoder.chunk([], into: &output)
        HTTPResponseEncoder.chunk("x".bytes, into: &output)
        HTTPResponseEncoder.lastChunk(into: &output)
        #expect(
            Self.text(output)
                == "1a\r\n" + String(repeating: "a", count: 26) + "\r\n1\r\nx\r\n0\r\n\r\n")
    }

    @Test("an encoded chunked response parses back into the same chunks")
    func chunkedRoundTrip() {
        var output: [UInt8] = []
        HTTPResponseEncoder.head(
            .ok, headers: HTTPHeaders(), contentLength: nil, keepAlive: true, into: &output)
        let chunks = ["{\"result\":1}\n", String(repeating: "z", count: 300), "{\"result\":2}\n"]
        for chunk in chunks { HTTPResponseEncoder.chunk(chunk.bytes, into: &output) }
        HTTPResponseEncoder.lastChunk(into: &output)
        let events = ParseStepFeeding.responses([output]).outputs
        #expect(events.dropFirst().dropLast() == chunks.map { .bodyChunk($0.bytes) }[...])
        #expect(events.last == .end)
    }

    @Test("an encoded request parses back to the same method, target, headers and body")
    func requestRoundTrip() throws {
        var output: [UInt8] = []
        let headers = HTTPHeaders([
            ("Host", "127.0.0.1:2379"), ("Content-Type", "application/json"),
        ])
        HTTPResponseEncoder.request(
            method: .post, target: "/v3/kv/range?x=1", headers: headers, body: "{}".bytes,
            into: &output)
        let requests = ParseStepFeeding.requests([output]).outputs
        let request = try #require(requests.first)
        #expect(request.method == .post)
        #expect(request.target == "/v3/kv/range?x=1".bytes)
        #expect(request.headers.first("content-length") == "2")
        #expect(request.headers.first("Host") == "127.0.0.1:2379")
        #expect(request.body == "{}".bytes)
    }

    @Test("a bodiless POST still sends Content-Length: 0; a GET sends none (RFC 9110 §8.6)")
    func requestLengths() {
        var post: [UInt8] = []
        HTTPResponseEncoder.request(
            method: .post, target: "/", headers: HTTPHeaders([("Host", "a")]), body: [], into: &post
        )
        #expect(Self.text(post) == "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
        var get: [UInt8] = []
        HTTPResponseEncoder.request(
            method: .get, target: "/", headers: HTTPHeaders([("Host", "a")]), body: [], into: &get)
        #expect(Self.text(get) == "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    }
}
