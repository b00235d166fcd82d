/// The header fields that decide message framing and connection handling, collected while the
/// header section is parsed so that nothing is looked up twice (RFC 9112 §6, §9).
struct HTTPFraming: Sendable {
    /// The agreed Content-Length; `Int.max` stands for "more than any limit".
    var contentLength: Int?
    var transferEncodingPresent = false
    /// The last transfer coding seen is `chunked`.
    var chunkedIsFinal = false
    /// `chunked` was seen, possibly followed by other codings.
    var chunkedSeen = false
    /// A coding other than `chunked` was seen; this parser decodes none (RFC 9112 §6.1).
    var unknownCodingSeen = false
    var hostCount = 0
    var connectionClose = false
    var connectionKeepAlive = false
    var expectContinue = false

    /// Records one field if it matters for framing. Throws 400 for a malformed or disagreeing
    /// Content-Length and for `chunked` applied twice.
    mutating func observe(
        name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer
    )
        throws(HTTPParseError)
    {
        switch name.count {
        case 4 where HTTPBytes.equalsIgnoringCase(name, "host"):
            hostCount += 1
        case 6 where HTTPBytes.equalsIgnoringCase(name, "expect"):
            expectContinue = HTTPBytes.equalsIgnoringCase(value, "100-continue")
        case 10 where HTTPBytes.equalsIgnoringCase(name, "connection"):
            HTTPBytes.forEachListElement(value) { option in
                if HTTPBytes.equalsIgnoringCase(option, "close") { connectionClose = true }
                if HTTPBytes.equalsIgnoringCase(option, "keep-alive") {
                    connectionKeepAlive = true
                }
            }
        case 14 where HTTPBytes.equalsIgnoringCase(name, "content-length"):
            try observeContentLength(value)
        case 17 where HTTPBytes.equalsIgnoringCase(name, "transfer-encoding"):
            try observeTransferEncoding(value)
        default:
            break
        }
    }

    /// RFC 9110 §8.6: `Content-Length = 1*DIGIT`. Duplicate fields must agree, else the
    /// framing is ambiguous and the message is rejected (RFC 9112 §6.3 rule 5).
    private mutating func observeContentLength(
        _ value: UnsafeRawBufferPointer
    )
        throws(HTTPParseError)
    {
        guard !value.isEmpty else { throw .badRequest("empty Content-Length") }
        var length = 0
        for byte in value {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                throw .badRequest("Content-Length is not a decimal number")
            }
            let (times10, overflow1) = length.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            // Saturate: any value this large is over every body limit anyway.
            length = overflow1 || overflow2 ? Int.max : sum
        }
        if let previous = contentLength, previous != length {
            throw .badRequest("conflicting Content-Length values")
        }
        contentLength = length
    }

    /// RFC 9112 §6.1: codings apply in order; `chunked` must be applied exactly once and last.
    private mutating func observeTransferEncoding(
        _ value: UnsafeRawBufferPointer
    )
        throws(HTTPParseError)
    {
        transferEncodingPresent = true
        var chunkedTwice = false
        var codings = 0
        HTTPBytes.forEachListElement(value) { element in
            codings += 1
            let end = element.firstIndex(of: UInt8(ascii: ";")) ?? element.count
            let coding = UnsafeRawBufferPointer(
                rebasing: element[HTTPBytes.trimmed(element, 0..<end)])
            if HTTPBytes.equalsIgnoringCase(coding, "chunked") {
                chunkedTwice = chunkedTwice || chunkedSeen
                chunkedSeen = true
                chunkedIsFinal = true
            } else {
                unknownCodingSeen = true
                chunkedIsFinal = false
            }
        }
        if chunkedTwice { throw .badRequest("chunked transfer coding applied twice") }
        if codings == 0 { throw .badRequest("empty Transfer-Encoding") }
    }

    /// Keep-alive per RFC 9112 §9.3: persistent by default in HTTP/1.1, opt-in in HTTP/1.0.
    func keepAlive(_ version: HTTPVersion) -> Bool {
        switch version {
        case .http11: !connectionClose
        case .http10: connectionKeepAlive && !connectionClose
        }
    }
}
