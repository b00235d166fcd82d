import Platform
import Testing

/// Each limit is tested at the limit (accepted) and one past it (rejected with its status).
@Suite("HTTP/1.1 request parser: limits")
struct HTTPRequestParserLimitTests {
    static func outcome(
        _ text: String, _ limits: HTTPLimits
    ) -> ParseStepFeeding.Outcome<HTTPRequest> {
        ParseStepFeeding.requests([text.bytes], limits: limits)
    }

    /// A request line of exactly `length` bytes.
    static func requestLine(length: Int) -> String {
        let fixed = "GET / HTTP/1.1".utf8.count
        return "GET /" + String(repeating: "a", count: length - fixed) + " HTTP/1.1"
    }

    @Test(
        "a request line of requestLineBytesMax bytes is accepted, one more gets 414 (RFC 9112 §3)")
    func requestLineLimit() {
        var limits = HTTPLimits()
        limits.requestLineBytesMax = 64
        let atLimit = Self.requestLine(length: 64) + "\r\nHost: a\r\n\r\n"
        #expect(Self.outcome(atLimit, limits).outputs.count == 1)
        let overLimit = Self.requestLine(length: 65) + "\r\nHost: a\r\n\r\n"
        #expect(Self.outcome(overLimit, limits).error?.status == .uriTooLong)
    }

    @Test("the request line limit applies before the line ends, at every split point")
    func requestLineLimitWhileIncomplete() {
        var limits = HTTPLimits()
        limits.requestLineBytesMax = 64
        let overLimit = Array(Self.requestLine(length: 65).utf8)
        for pieces in ParseStepFeeding.splits(overLimit) {
            let outcome = ParseStepFeeding.requests(pieces, limits: limits)
            #expect(outcome.error?.status == .uriTooLong, "pieces \(pieces.map(\.count))")
        }
        // 65 bytes whose last byte is a CR may still be a 64-byte line: not rejected yet.
        let maybeFine = Array((Self.requestLine(length: 64) + "\r").utf8)
        #expect(ParseStepFeeding.requests([maybeFine], limits: limits).error == nil)
    }

    @Test("the default request line limit is 8 KiB (RFC 9112 §3 suggests at least 8000 octets)")
    func defaultRequestLineLimit() {
        let atLimit = Self.requestLine(length: 8192) + "\r\nHost: a\r\n\r\n"
        #expect(Self.outcome(atLimit, HTTPLimits()).outputs.count == 1)
        let overLimit = Self.requestLine(length: 8193) + "\r\nHost: a\r\n\r\n"
        #expect(Self.outcome(overLimit, HTTPLimits()).error?.status == .uriTooLong)
    }

    @Test("a header section of headerBytesMax bytes is accepted, one more gets 431 (RFC 6585 §5)")
    func headerBytesLimit() {
        var limits = HTTPLimits()
        limits.headerBytesMax = 100
        // "Host: a" is 7 bytes; "X-Fill: " is 8; the filler makes up the rest.
        func request(sectionBytes: Int) -> String {
            "GET / HTTP/1.1\r\nHost: a\r\nX-Fill: "
                + String(repeating: "f", count: sectionBytes - 15) + "\r\n\r\n"
        }
        #expect(Self.outcome(request(sectionBytes: 100), limits).outputs.count == 1)
        #expect(
            Self.outcome(request(sectionBytes: 101), limits).error?.status
                == .requestHeaderFieldsTooLarge)
    }

    @Test("headerCountMax fields are accepted, one more gets 431 (RFC 6585 §5)")
    func headerCountLimit() {
        var limits = HTTPLimits()
        limits.headerCountMax = 5
        func request(fields: Int) -> String {
            "GET / HTTP/1.1\r\nHost: a\r\n"
                + (1..<fields).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        }
        #expect(Self.outcome(request(fields: 5), limits).outputs.count == 1)
        #expect(
            Self.outcome(request(fields: 6), limits).error?.status
                == .requestHeaderFieldsTooLarge)
    }

    @Test("trailer fields count toward headerCountMax and headerBytesMax (RFC 9112 §7.1.2)")
    func trailersCountTowardHeaderLimits() {
        var limits = HTTPLimits()
        limits.headerCountMax = 4
        func request(trailers: Int) -> String {
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n"
                + (0..<trailers).map { "T-\($0): v\r\n" }.joined() + "\r\n"
        }
        #expect(Self.outcome(request(trailers: 2), limits).outputs.count == 1)
        #expect(
            Self.outcome(request(trailers: 3), limits).error?.status
                == .requestHeaderFieldsTooLarge)

        var byteLimits = HTTPLimits()
        // "Host: a" (7) + "Transfer-Encoding: chunked" (26) + "T: " (3) + filler.
        byteLimits.headerBytesMax = 50
        func trailerRequest(fill: Int) -> String {
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: "
                + String(repeating: "t", count: fill) + "\r\n\r\n"
        }
        #expect(Self.outcome(trailerRequest(fill: 14), byteLimits).outputs.count == 1)
        #expect(
            Self.outcome(trailerRequest(fill: 15), byteLimits).error?.status
                == .requestHeaderFieldsTooLarge)
    }

    @Test(
        "Content-Length of bodyBytesMax passes; one more gets 413 before any body (RFC 9110 §15.5.14)"
    )
    func contentLengthLimit() {
        var limits = HTTPLimits()
        limits.bodyBytesMax = 10
        let head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: "
        let atLimit = Self.outcome(head + "10\r\n\r\n0123456789", limits)
        #expect(atLimit.outputs.first?.body.count == 10)
        #expect(Self.outcome(head + "11\r\n\r\n", limits).error?.status == .payloadTooLarge)
        #expect(
            Self.outcome(head + "99999999999999999999999\r\n\r\n", limits).error?.status
                == .payloadTooLarge)
    }

    @Test("the default body limit is etcd's 1.5 MiB request limit plus 512 KiB of overhead")
    func defaultBodyLimit() {
        let limit = 1_572_864 + 512 * 1024
        #expect(HTTPLimits().bodyBytesMax == limit)
        let head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: "
        let body = String(repeating: "b", count: limit)
        #expect(Self.outcome(head + "\(limit)\r\n\r\n" + body, HTTPLimits()).outputs.count == 1)
        #expect(
            Self.outcome(head + "\(limit + 1)\r\n\r\n", HTTPLimits()).error?.status
                == .payloadTooLarge)
    }

    @Test("a chunked body of bodyBytesMax is accepted; a chunk size taking it past gets 413")
    func chunkedBodyLimit() {
        var limits = HTTPLimits()
        limits.bodyBytesMax = 10
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        let atLimit = Self.outcome(head + "6\r\n012345\r\n4\r\n6789\r\n0\r\n\r\n", limits)
        #expect(atLimit.outputs.first?.body == "0123456789".bytes)
        // The size line alone is enough to reject: the data is never read.
        let overLimit = Self.outcome(head + "6\r\n012345\r\n5\r\n", limits)
        #expect(overLimit.error?.status == .payloadTooLarge)
    }

    @Test(
        "a chunk size line of chunkLineBytesMax passes, one more gets 400 (RFC 9112 §7.1.1)"
    )
    func chunkLineLimit() {
        var limits = HTTPLimits()
        limits.chunkLineBytesMax = 16
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        // "1;" + extension filler: 16 and 17 bytes.
        let atLimit = head + "1;" + String(repeating: "e", count: 14) + "\r\nx\r\n0\r\n\r\n"
        #expect(Self.outcome(atLimit, limits).outputs.first?.body == "x".bytes)
        let overLimit = head + "1;" + String(repeating: "e", count: 15) + "\r\nx\r\n0\r\n\r\n"
        #expect(Self.outcome(overLimit, limits).error?.status == .badRequest)
    }

    @Test("a 30 KiB header section fed one byte at a time is taken byte by byte, never re-fed")
    func oneByteAtATimeIsLinear() {
        // Each byte is consumed as it arrives, so the caller never passes it again: the work is
        // linear. A parser that waited for whole lines would be re-fed O(n) bytes per call.
        let fields = (0..<60).map { "X-\($0): " + String(repeating: "v", count: 500) + "\r\n" }
        let text = "GET / HTTP/1.1\r\nHost: a\r\n" + fields.joined() + "\r\n"
        var parser = HTTPRequestParser()
        var completed = 0
        var consumed = 0
        for byte in text.utf8 {
            let step = try? [byte].withUnsafeBytes { try parser.parse($0) }
            if case .complete = step { completed += 1 }
            consumed += step?.consumed ?? 0
        }
        #expect(completed == 1)
        #expect(consumed == text.utf8.count)
    }
}
