import Platform
import Testing

/// A request body read as it arrives (`parse(_:streamsBody:)` and `parseBody`), for routes
/// that answer each message of a long-lived request.
@Suite("HTTP/1.1 request parser: streamed bodies")
struct HTTPRequestParserStreamedBodyTests {
    /// What feeding a byte stream through heads and streamed bodies produced.
    struct Transcript: Equatable {
        var heads: [String] = []
        var body: [UInt8] = []
        var ends = 0
        var error: HTTPParseError?
    }

    /// Feeds `pieces` as a connection would: buffered bytes go to `parse` between requests
    /// and to `parseBody` while a body streams; every POST streams its body.
    static func transcript(_ pieces: [[UInt8]], limits: HTTPLimits = HTTPLimits()) -> Transcript {
        var parser = HTTPRequestParser(limits: limits)
        var transcript = Transcript()
        var buffer: [UInt8] = []
        for piece in pieces {
            buffer += piece
            do throws(HTTPParseError) {
                while try step(&parser, &buffer, &transcript) {}
            } catch {
                transcript.error = error
                return transcript
            }
        }
        return transcript
    }

    /// One parser step over `buffer`; false when it needs more bytes.
    private static func step(
        _ parser: inout HTTPRequestParser, _ buffer: inout [UInt8], _ transcript: inout Transcript
    ) throws(HTTPParseError) -> Bool {
        if parser.isStreamingBody {
            switch try buffer.withBytes({ (bytes) throws(HTTPParseError) in
                try parser.parseBody(bytes)
            }) {
            case .needMoreBytes(let consumed):
                buffer.removeFirst(consumed)
                return false
            case .data(let range):
                transcript.body += buffer[range]
                buffer.removeFirst(range.upperBound)
            case .end(let consumed):
                buffer.removeFirst(consumed)
                transcript.ends += 1
            }
            return true
        }
        guard !buffer.isEmpty else { return false }
        let step = try buffer.withBytes { (bytes) throws(HTTPParseError) in
            try parser.parse(bytes, streamsBody: { $0.method == .post })
        }
        buffer.removeFirst(step.consumed)
        guard case .complete(let request, _) = step else { return false }
        #expect(request.body.isEmpty || request.method != .post)
        transcript.heads.append(request.pathString)
        return true
    }

    static let chunked =
        "POST /v3/lease/keepalive HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\na\r\n{\"ID\":\"9\"}\r\n"
        + "3;x=y\r\n{ }\r\n" + "0\r\nX-T: 1\r\n\r\nGET /health HTTP/1.1\r\nHost: a\r\n\r\n"
    static let sized =
        "POST /v3/watch HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\n\r\n{\"a\":1}GET /health HTTP/1.1\r\nHost: a\r\n\r\n"

    @Test(
        "a streamed body hands over the same bytes and one end at every split point, then the next request (RFC 9112 §6.2, §7.1)",
        arguments: [chunked, sized])
    func everySplitPoint(text: String) {
        let whole = Self.transcript([Array(text.utf8)])
        #expect(whole.error == nil)
        #expect(whole.heads.count == 2)
        #expect(whole.ends == 1)
        #expect(!whole.body.isEmpty)
        for pieces in ParseStepFeeding.splits(Array(text.utf8)) {
            #expect(Self.transcript(pieces) == whole, "pieces \(pieces.map(\.count))")
        }
    }

    @Test("the head of a streamed request completes before any body byte arrives")
    func headFirst() throws {
        var parser = HTTPRequestParser()
        let head = Array("POST /v3/watch HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n".utf8)
        let step = try head.withBytes { (bytes) throws(HTTPParseError) in
            try parser.parse(bytes, streamsBody: { _ in true })
        }
        guard case .complete(let request, let consumed) = step else {
            Issue.record("expected the head as a request")
            return
        }
        #expect(consumed == head.count)
        #expect(request.body.isEmpty)
        #expect(parser.isStreamingBody)
        let empty = try [UInt8]().withBytes { (bytes) throws(HTTPParseError) in
            try parser.parseBody(bytes)
        }
        #expect(empty == .needMoreBytes(consumed: 0))
    }

    @Test("a streamed body is not bounded by bodyBytesMax: its route reads it piece by piece")
    func streamedBodyIgnoresBodyLimit() {
        var limits = HTTPLimits()
        limits.bodyBytesMax = 8
        let chunk = String(repeating: "x", count: 20)
        let text =
            "POST /s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n14\r\n\(chunk)\r\n14\r\n\(chunk)\r\n0\r\n\r\n"
        let transcript = Self.transcript([Array(text.utf8)], limits: limits)
        #expect(transcript.error == nil)
        #expect(transcript.body.count == 40)
        #expect(transcript.ends == 1)
        let sized = "POST /s HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\n123456789"
        #expect(Self.transcript([Array(sized.utf8)], limits: limits).body.count == 9)
    }

    @Test("a route that does not stream still gets a whole body under bodyBytesMax")
    func unstreamedBodyKeepsItsLimit() throws {
        var limits = HTTPLimits()
        limits.bodyBytesMax = 8
        var parser = HTTPRequestParser(limits: limits)
        let text = Array("PUT /s HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\n123456789".utf8)
        #expect(throws: HTTPParseError.self) {
            try text.withBytes { (bytes) throws(HTTPParseError) in
                try parser.parse(bytes, streamsBody: { $0.method == .post })
            }
        }
    }

    @Test("broken chunk framing inside a streamed body is an error (RFC 9112 §7.1)")
    func brokenFraming() {
        let text =
            "POST /s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + "2\r\nabX\r\n"
        let transcript = Self.transcript([Array(text.utf8)])
        #expect(transcript.error?.status == .badRequest)
        #expect(transcript.body == Array("ab".utf8))
    }

    @Test("Expect: 100-continue is still pending after a streamed head (RFC 9110 §10.1.1)")
    func expectContinueAfterHead() throws {
        var parser = HTTPRequestParser()
        let head = Array(
            ("POST /s HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
                .utf8)
        _ = try head.withBytes { (bytes) throws(HTTPParseError) in
            try parser.parse(bytes, streamsBody: { _ in true })
        }
        #expect(parser.expectsContinue)
    }
}
