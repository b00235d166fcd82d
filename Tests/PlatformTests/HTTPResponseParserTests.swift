import Platform
import Testing

@Suite("HTTP/1.1 response parser")
struct HTTPResponseParserTests {
    static let contentLength =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + "Content-Length: 12\r\n\r\n{\"ok\":true}\n"
    static let chunkedStream =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "b\r\n{\"a\":\"one\"}\r\n" + "1;ext=1\r\n\n\r\n" + "f\r\n{\"b\":\"fifteen\"}\r\n"
        + "0\r\nX-Trailer: t\r\n\r\n"
    static let closeDelimited = "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nuntil the end"

    static func events(
        _ text: String, method: HTTPMethod = .get
    ) -> ParseStepFeeding.Outcome<HTTPResponseEvent> {
        ParseStepFeeding.responses([text.bytes], parser: HTTPResponseParser(requestMethod: method))
    }

    static func head(
        _ status: Int, _ fields: [(String, String)], _ version: HTTPVersion = .http11
    )
        -> HTTPResponseEvent
    {
        .head(HTTPResponseHead(status: status, headers: HTTPHeaders(fields), version: version))
    }

    @Test(
        "a Content-Length body gives the same events at every split point (RFC 9112 §6.2)"
    )
    func contentLengthEverySplit() {
        let expected: [HTTPResponseEvent] = [
            Self.head(200, [("Content-Type", "application/json"), ("Content-Length", "12")]),
            .bodyChunk("{\"ok\":true}\n".bytes), .end,
        ]
        #expect(Self.events(Self.contentLength).outputs == expected)
        for pieces in ParseStepFeeding.splits(Self.contentLength.bytes) {
            let outcome = ParseStepFeeding.responses(pieces)
            #expect(outcome.error == nil)
            #expect(
                ParseStepFeeding.merged(outcome.outputs) == expected,
                "pieces \(pieces.map(\.count))")
        }
    }

    @Test(
        "each chunk is one bodyChunk event, at every split point (RFC 9112 §7.1)"
    )
    func chunkedEverySplit() {
        let expected: [HTTPResponseEvent] = [
            Self.head(200, [("Transfer-Encoding", "chunked")]),
            .bodyChunk("{\"a\":\"one\"}".bytes), .bodyChunk("\n".bytes),
            .bodyChunk("{\"b\":\"fifteen\"}".bytes), .end,
        ]
        #expect(Self.events(Self.chunkedStream).outputs == expected)
        for pieces in ParseStepFeeding.splits(Self.chunkedStream.bytes) {
            let outcome = ParseStepFeeding.responses(pieces)
            #expect(outcome.error == nil)
            #expect(outcome.outputs == expected, "pieces \(pieces.map(\.count))")
        }
    }

    @Test(
        "a body without length runs until close, at every split point (RFC 9112 §6.3 rule 8)"
    )
    func closeDelimitedEverySplit() {
        let expected: [HTTPResponseEvent] = [
            Self.head(200, [("Server", "old")], .http10), .bodyChunk("until the end".bytes), .end,
        ]
        #expect(Self.events(Self.closeDelimited).outputs == expected)
        for pieces in ParseStepFeeding.splits(Self.closeDelimited.bytes) {
            let outcome = ParseStepFeeding.responses(pieces)
            #expect(outcome.error == nil)
            #expect(
                ParseStepFeeding.merged(outcome.outputs) == expected,
                "pieces \(pieces.map(\.count))")
        }
    }

    @Test("interim 1xx responses are skipped (RFC 9110 §15.2)")
    func informationalSkipped() {
        let text =
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: y\r\n\r\n"
            + "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
        #expect(Self.events(text).outputs == [Self.head(201, [("Content-Length", "0")]), .end])
    }

    @Test(
        "204, 304 and HEAD responses have no body whatever the headers (RFC 9112 §6.3 rule 1)",
        arguments: [
            ("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", HTTPMethod.get),
            ("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", .get),
            ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", .head),
        ])
    func noBody(text: String, method: HTTPMethod) {
        // The next response parses cleanly only if no bytes were taken as a body.
        let next =
            method == .head
            ? "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"
        let outcome = Self.events(text + next, method: method)
        #expect(outcome.error == nil)
        let kinds = outcome.outputs.map { event -> String in
            switch event {
            case .head: "head"
            case .bodyChunk: "body"
            case .end: "end"
            }
        }
        // HEAD stays HEAD for the second response too, so only GET sees its body.
        #expect(
            kinds
                == (method == .head
                    ? ["head", "end", "head", "end"]
                    : ["head", "end", "head", "body", "end"]))
    }

    @Test("pipelined responses come out one after another on a kept-alive connection")
    func pipelinedResponses() {
        let text = Self.contentLength + Self.chunkedStream
        let outcome = Self.events(text)
        #expect(outcome.error == nil)
        #expect(outcome.outputs.filter { $0 == .end }.count == 2)
    }

    @Test("a chunk larger than responseChunkPieceBytesMax comes out in pieces of at most that size")
    func bigChunkInPieces() {
        var limits = HTTPLimits()
        limits.responseChunkPieceBytesMax = 4
        let text =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n0\r\n\r\n"
        let parser = HTTPResponseParser(limits: limits)
        let whole = ParseStepFeeding.responses([text.bytes], parser: parser)
        #expect(
            whole.outputs.dropFirst().dropLast() == [
                .bodyChunk("0123".bytes), .bodyChunk("4567".bytes), .bodyChunk("89".bytes),
            ])
        for pieces in ParseStepFeeding.splits(text.bytes) {
            let outcome = ParseStepFeeding.responses(pieces, parser: parser)
            #expect(
                ParseStepFeeding.merged(outcome.outputs) == ParseStepFeeding.merged(whole.outputs))
            for case .bodyChunk(let bytes) in outcome.outputs { #expect(bytes.count <= 4) }
        }
    }

    @Test(
        "Transfer-Encoding not ending in chunked means close-delimited (RFC 9112 §6.3 rule 4)"
    )
    func nonChunkedCodingIsCloseDelimited() {
        let outcome = Self.events("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzzz")
        #expect(outcome.outputs.last == .end)
        #expect(
            ParseStepFeeding.merged(outcome.outputs).dropFirst().first == .bodyChunk("zzz".bytes))
    }

    @Test("a connection closed inside a framed body or a head is an error (RFC 9112 §8)")
    func truncated() {
        #expect(Self.events("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc").error != nil)
        #expect(
            Self.events("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab").error != nil
        )
        #expect(Self.events("HTTP/1.1 200 OK\r\nContent-").error != nil)
        #expect(Self.events("").error == nil)
    }

    @Test(
        "malformed status lines and headers are rejected (RFC 9112 §4, §5)",
        arguments: [
            "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 abc OK\r\n\r\n",
            "HTTP/3.0 200 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "HTTP/1.1 099 Low\r\n\r\n",
        ])
    func malformed(text: String) {
        #expect(Self.events(text).error != nil)
    }

    @Test("a status line without a reason phrase is accepted (RFC 9112 §4: reason is optional)")
    func emptyReason() {
        #expect(
            Self.events("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n").outputs
                == [Self.head(200, [("Content-Length", "0")]), .end])
    }

    @Test("the response head and header section limits apply as they do for requests")
    func limits() {
        var limits = HTTPLimits()
        limits.headerCountMax = 2
        let parser = HTTPResponseParser(limits: limits)
        let ok = "HTTP/1.1 200 OK\r\nA: 1\r\nContent-Length: 0\r\n\r\n"
        #expect(ParseStepFeeding.responses([ok.bytes], parser: parser).error == nil)
        let tooMany = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nContent-Length: 0\r\n\r\n"
        #expect(
            ParseStepFeeding.responses([tooMany.bytes], parser: parser).error?.status
                == .requestHeaderFieldsTooLarge)
    }
}
