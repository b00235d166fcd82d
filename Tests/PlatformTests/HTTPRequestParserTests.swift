import Platform
import Testing

@Suite("HTTP/1.1 request parser")
struct HTTPRequestParserTests {
    static let simpleGet =
        "GET /v1/kv/foo?recurse&index=12 HTTP/1.1\r\nHost: localhost\r\n"
        + "User-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"
    static let postWithBody =
        "POST /v3/kv/put HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
        + "Content-Length: 30\r\n\r\n{\"key\":\"Zm9v\",\"value\":\"YmFy\"}\n"
    static let chunkedWithTrailers =
        "POST /v3/watch HTTP/1.1\r\nHost: a\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n"
        + "5;name=value\r\nhello\r\n"
        + "1A ; ext\r\nabcdefghijklmnopqrstuvwxyz\r\n"
        + "0\r\nX-Checksum: 42\r\nX-Other: yes\r\n\r\n"
    static let pipelined =
        "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
        + "GET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"

    static func parse(
        _ text: String, limits: HTTPLimits = HTTPLimits()
    )
        -> ParseStepFeeding.Outcome<HTTPRequest>
    {
        ParseStepFeeding.requests([text.bytes], limits: limits)
    }

    static func only(_ text: String, limits: HTTPLimits = HTTPLimits()) -> HTTPRequest? {
        let outcome = parse(text, limits: limits)
        guard outcome.error == nil, outcome.outputs.count == 1 else { return nil }
        return outcome.outputs[0]
    }

    @Test("a GET request line and header fields are parsed into their parts (RFC 9112 §3, §5)")
    func simpleGetParts() throws {
        let request = try #require(Self.only(Self.simpleGet))
        #expect(request.method == .get)
        #expect(request.target == "/v1/kv/foo?recurse&index=12".bytes)
        #expect(request.path == "/v1/kv/foo".bytes)
        #expect(request.query == "recurse&index=12".bytes)
        #expect(request.version == .http11)
        #expect(request.headers.count == 3)
        #expect(request.headers.first("user-agent") == "curl/8.5.0")
        #expect(request.body.isEmpty)
        #expect(request.keepAlive)
    }

    @Test(
        "every split point of a request gives the same result as feeding it whole (RFC 9112 §2.1)",
        arguments: [simpleGet, postWithBody, chunkedWithTrailers, pipelined])
    func everySplitPoint(text: String) {
        let whole = Self.parse(text)
        #expect(whole.error == nil)
        #expect(!whole.outputs.isEmpty)
        #expect(whole.pendingBytes == 0)
        for pieces in ParseStepFeeding.splits(text.bytes) {
            let outcome = ParseStepFeeding.requests(pieces)
            #expect(outcome == whole, "pieces \(pieces.map(\.count))")
        }
    }

    @Test("a Content-Length body is read exactly, leaving later bytes alone (RFC 9112 §6.2)")
    func contentLengthBody() throws {
        let request = try #require(Self.only(Self.postWithBody))
        #expect(request.method == .post)
        #expect(request.body == "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}\n".bytes)
    }

    @Test("chunked data is joined, extensions ignored and trailers dropped (RFC 9112 §7.1)")
    func chunkedBody() throws {
        let request = try #require(Self.only(Self.chunkedWithTrailers))
        #expect(request.body == "helloabcdefghijklmnopqrstuvwxyz".bytes)
        #expect(request.headers.count == 2)
        #expect(request.headers.first("X-Checksum") == nil)
    }

    @Test("two pipelined requests come out in order, each whole (RFC 9112 §9.3.2)")
    func pipelinedRequests() {
        let outcome = Self.parse(Self.pipelined)
        #expect(outcome.outputs.map(\.path) == ["/a".bytes, "/b".bytes])
        #expect(outcome.outputs.first?.body == "abc".bytes)
        #expect(outcome.outputs.map(\.keepAlive) == [true, false])
    }

    @Test("complete reports exactly the bytes of one request, not the next one's")
    func consumedStopsAtTheRequestEnd() throws {
        var parser = HTTPRequestParser()
        let bytes = Self.pipelined.bytes
        let step = try bytes.withUnsafeBytes { try parser.parse($0) }
        guard case .complete(let request, let consumed) = step else {
            Issue.record("expected a complete request")
            return
        }
        #expect(request.path == "/a".bytes)
        #expect(
            consumed == "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc".utf8.count)
    }

    @Test("bare LF line endings are accepted (RFC 9112 §2.2)")
    func bareLineFeed() throws {
        let request = try #require(
            Self.only("POST /x HTTP/1.1\nHost: a\nContent-Length: 2\n\nok"))
        #expect(request.body == "ok".bytes)
        let chunked = try #require(
            Self.only("POST /x HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n2\nok\n0\n\n"))
        #expect(chunked.body == "ok".bytes)
    }

    @Test(
        "up to 8 empty lines before a request line are ignored, a 9th is rejected (RFC 9112 §2.2)")
    func leadingEmptyLines() {
        let request = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(Self.only(String(repeating: "\r\n", count: 8) + request) != nil)
        #expect(
            Self.parse(String(repeating: "\r\n", count: 9) + request).error?.status == .badRequest)
    }

    @Test(
        "keep-alive follows the version and the Connection header (RFC 9112 §9.3)",
        arguments: [
            ("HTTP/1.1", "", true), ("HTTP/1.1", "Connection: close\r\n", false),
            ("HTTP/1.1", "Connection: Upgrade, CLOSE\r\n", false),
            ("HTTP/1.0", "", false), ("HTTP/1.0", "Connection: keep-alive\r\n", true),
        ])
    func keepAlive(version: String, header: String, expected: Bool) throws {
        let request = try #require(Self.only("GET / \(version)\r\nHost: a\r\n\(header)\r\n"))
        #expect(request.keepAlive == expected)
    }

    @Test(
        "an HTTP/1.1 POST without length or chunking has an empty body (RFC 9112 §6.3 rule 7)"
    )
    func postWithoutLength() throws {
        let request = try #require(Self.only("POST /x HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(request.body.isEmpty)
    }

    @Test("identical duplicate Content-Length fields are accepted (RFC 9110 §8.6)")
    func duplicateContentLengthAgreeing() throws {
        let request = try #require(
            Self.only(
                "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok"))
        #expect(request.body == "ok".bytes)
    }

    @Test("methods are mapped case-sensitively; others are kept as text (RFC 9110 §9.1)")
    func methods() throws {
        #expect(try #require(Self.only("DELETE / HTTP/1.1\r\nHost: a\r\n\r\n")).method == .delete)
        #expect(
            try #require(Self.only("PURGE / HTTP/1.1\r\nHost: a\r\n\r\n")).method == .other("PURGE")
        )
        #expect(
            try #require(Self.only("get / HTTP/1.1\r\nHost: a\r\n\r\n")).method == .other("get"))
    }

    @Test(
        "Expect: 100-continue shows between the head and the body (RFC 9110 §10.1.1)"
    )
    func expectContinue() throws {
        var parser = HTTPRequestParser()
        let head = "PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
        #expect(!parser.expectsContinue)
        let step = try head.bytes.withUnsafeBytes { try parser.parse($0) }
        #expect(step == .needMoreBytes(consumed: head.utf8.count))
        #expect(parser.expectsContinue)
        let rest = try "ok".bytes.withUnsafeBytes { try parser.parse($0) }
        guard case .complete(let request, 2) = rest else {
            Issue.record("expected the body to complete the request")
            return
        }
        #expect(request.body == "ok".bytes)
        #expect(!parser.expectsContinue)
        #expect(parser.isIdle)
    }
}
