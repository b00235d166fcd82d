import Platform
import Testing

@Suite("HTTP/1.1 request parser: rejected requests")
struct HTTPRequestParserErrorTests {
    static func status(_ text: String, limits: HTTPLimits = HTTPLimits()) -> Int? {
        ParseStepFeeding.requests([text.bytes], limits: limits).error?.status.code
    }

    @Test(
        "malformed requests get the status the RFCs call for",
        arguments: [
            // RFC 9112 §3: a request line is exactly method SP target SP version.
            ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            ("GET /\r\nHost: a\r\n\r\n", 400),
            ("G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            ("GET /a\u{1}b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            // RFC 9110 §2.5 / §15.6.6: well-formed but unsupported versions get 505.
            ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
            ("GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505),
            ("GET / HTTP/1.1x\r\nHost: a\r\n\r\n", 400),
            ("GET / http/1.1\r\nHost: a\r\n\r\n", 400),
            // RFC 9112 §5.1: no whitespace between field name and colon.
            ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
            // RFC 9112 §5.2: obs-fold is rejected.
            ("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: a\r\n: empty-name\r\n\r\n", 400),
            // RFC 9110 §5.5: CTLs (here NUL and a bare CR) in a value are rejected.
            ("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", 400),
            // RFC 9112 §3.2: HTTP/1.1 needs exactly one Host.
            ("GET / HTTP/1.1\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            // RFC 9110 §8.6: Content-Length is digits only; duplicates must agree.
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
            // RFC 9112 §6.1 / §6.3: smuggling defences.
            (
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Length: 3\r\n\r\n",
                400
            ),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400),
            (
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n",
                400
            ),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n", 400),
            ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            // RFC 9112 §6.1: a coding the server cannot decode gets 501.
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
            (
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n",
                501
            ),
            // RFC 1945 §7.2.2: an HTTP/1.0 body needs Content-Length.
            ("POST / HTTP/1.0\r\n\r\n", 411),
            ("PUT / HTTP/1.0\r\n\r\n", 411),
            // RFC 9112 §7.1: chunk-size is hex; chunk data is followed by CRLF.
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n", 400),
            (
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "ffffffffffffffffff\r\n",
                400
            ),
            (
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\nbad trailer\r\n\r\n",
                400
            ),
        ])
    func rejected(text: String, expectedStatus: Int) {
        #expect(Self.status(text) == expectedStatus)
    }

    @Test("an HTTP/1.0 GET without Content-Length is fine (RFC 1945 §7.2.2 applies to bodies)")
    func http10Get() {
        let outcome = ParseStepFeeding.requests(["GET / HTTP/1.0\r\n\r\n".bytes])
        #expect(outcome.error == nil)
        #expect(outcome.outputs.count == 1)
    }
}
