/// A push-style HTTP/1.1 request parser (RFC 9112). Feed it bytes as they arrive; it copies
/// what it needs into its own bounded state and says how many bytes it took. After
/// `.complete` it is reset for the next pipelined request; the bytes after that request are
/// not consumed and must be passed again.
///
/// Every byte is scanned once: partial lines are kept in the parser, not re-read, so feeding a
/// request one byte at a time costs the same as feeding it at once.
public struct HTTPRequestParser: Sendable {
    enum State: Sendable, Equatable {
        case requestLine, headers
        case body(remainingBytes: Int)
        case chunked
        /// The head went out as its own request; `parseBody` hands over the body as it
        /// arrives (see `parse(_:streamsBody:)`).
        case streamedBody(remainingBytes: Int)
        case streamedChunked
    }

    /// Empty lines tolerated before a request line. RFC 9112 §2.2 says a server SHOULD ignore
    /// at least one (some clients send an extra CRLF after a POST body); more is a peer that
    /// sends garbage, and a bound keeps it from holding the connection with empty lines.
    static let leadingEmptyLinesMax = 8

    public let limits: HTTPLimits
    var state = State.requestLine
    private var lines = HTTPLineReader()
    private var leadingEmptyLines = 0
    private var method = HTTPMethod.get
    private var target: [UInt8] = []
    private var version = HTTPVersion.http11
    private var headers = HTTPHeaders()
    private var framing = HTTPFraming()
    private var budget: HTTPHeaderBudget
    private var body: [UInt8] = []
    var chunked: HTTPChunkedDecoder

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        budget = HTTPHeaderBudget(limits)
        chunked = HTTPChunkedDecoder(limits: limits, budget: budget, enforcesBodyLimit: true)
    }

    /// True while the head of a request carrying `Expect: 100-continue` has been parsed and its
    /// body has not yet arrived: the server should send `100 Continue` (RFC 9110 §10.1.1).
    public var expectsContinue: Bool {
        switch state {
        // RFC 9110 §10.1.1: a server MAY ignore Expect in an HTTP/1.0 request.
        case .body, .chunked, .streamedBody, .streamedChunked:
            framing.expectContinue && version == .http11
        case .requestLine, .headers: false
        }
    }

    /// True when no byte of a next request has been taken yet.
    public var isIdle: Bool {
        state == .requestLine && !lines.hasPartialLine && leadingEmptyLines == 0
    }

    /// Parses as much of `bytes` as it can. Throws when the request is invalid; the error's
    /// status is the response to send before closing the connection.
    ///
    /// `streamsBody` is asked, once the head of a request with a body is parsed, whether
    /// that body should be read as it arrives: a route that keeps one request open and
    /// reads each message the client writes (etcd's lease keep-alive and watch streams).
    /// If so, the head completes at once with an empty body, `isStreamingBody` is true and
    /// the body comes through `parseBody` instead; `bodyBytesMax` does not bound it, as
    /// the route consumes it piece by piece with bounds of its own.
    public mutating func parse(
        _ bytes: UnsafeRawBufferPointer, streamsBody: (HTTPRequest) -> Bool = { _ in false }
    ) throws(HTTPParseError)
        -> ParseStep<HTTPRequest>
    {
        precondition(!isStreamingBody, "a streamed body is read with parseBody")
        var index = 0
        while true {
            switch state {
            case .requestLine:
                guard
                    try lines.read(
                        bytes, at: &index, lineBytesMax: limits.requestLineBytesMax,
                        tooLong: .requestLineTooLong(limits))
                else { return .needMoreBytes(consumed: index) }
                try finishRequestLine()
            case .headers:
                guard
                    try lines.read(
                        bytes, at: &index, lineBytesMax: budget.bytesRemaining,
                        tooLong: .headerSectionTooLarge(limits))
                else { return .needMoreBytes(consumed: index) }
                if try finishHeaderLine(), let request = try beginBody(streamsBody) {
                    return .complete(request, consumed: index)
                }
            case .body(let remainingBytes):
                let count = min(remainingBytes, bytes.count - index)
                body.append(
                    contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<index + count]))
                index += count
                if count == remainingBytes { return .complete(finishRequest(), consumed: index) }
                state = .body(remainingBytes: remainingBytes - count)
                return .needMoreBytes(consumed: index)
            case .chunked:
                switch try chunked.decode(bytes, at: &index) {
                case .needMoreBytes:
                    return .needMoreBytes(consumed: index)
                case .data(let range, _):
                    body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[range]))
                case .end:
                    return .complete(finishRequest(), consumed: index)
                }
            case .streamedBody, .streamedChunked:
                preconditionFailure("unreachable: checked on entry")
            }
        }
    }

    /// `request-line = method SP request-target SP HTTP-version` (RFC 9112 §3).
    private mutating func finishRequestLine() throws(HTTPParseError) {
        var line = lines.takeLine()
        defer { lines.recycle(&line) }
        if line.isEmpty {
            leadingEmptyLines += 1
            if leadingEmptyLines > Self.leadingEmptyLinesMax {
                throw .badRequest("too many empty lines before the request line")
            }
            return
        }
        try HTTPBytes.withBytes(line) { bytes throws(HTTPParseError) in
            guard let firstSpace = bytes.firstIndex(of: HTTPBytes.space),
                let secondSpace = bytes[(firstSpace + 1)...].firstIndex(of: HTTPBytes.space)
            else { throw .badRequest("malformed request line") }
            let methodBytes = UnsafeRawBufferPointer(rebasing: bytes[..<firstSpace])
            guard HTTPBytes.isToken(methodBytes) else { throw .badRequest("invalid method") }
            let targetRange = (firstSpace + 1)..<secondSpace
            guard !targetRange.isEmpty,
                bytes[targetRange].allSatisfy({ $0 > 0x20 && $0 != 0x7F })
            else { throw .badRequest("invalid request target") }
            version = try Self.version(
                UnsafeRawBufferPointer(rebasing: bytes[(secondSpace + 1)...]))
            method = HTTPMethod(token: methodBytes)
            target = Array(bytes[targetRange])
        }
        state = .headers
    }

    /// `HTTP-version = "HTTP/" DIGIT "." DIGIT` (RFC 9112 §2.3). Only 1.0 and 1.1 are served;
    /// any other well-formed version gets 505 (RFC 9110 §15.6.6).
    static func version(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPVersion {
        if HTTPBytes.equals(bytes, "HTTP/1.1") { return .http11 }
        if HTTPBytes.equals(bytes, "HTTP/1.0") { return .http10 }
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        if bytes.count == 8,
            HTTPBytes.equals(UnsafeRawBufferPointer(rebasing: bytes[..<5]), "HTTP/"),
            isDigit(bytes[5]), bytes[6] == UInt8(ascii: "."), isDigit(bytes[7])
        {
            throw HTTPParseError(
                status: .httpVersionNotSupported, reason: "only HTTP/1.0 and HTTP/1.1 are served")
        }
        throw .badRequest("malformed HTTP version")
    }

    /// Returns true at the empty line that ends the header section.
    private mutating func finishHeaderLine() throws(HTTPParseError) -> Bool {
        var line = lines.takeLine()
        defer { lines.recycle(&line) }
        if line.isEmpty { return true }
        try HTTPBytes.withBytes(line) { bytes throws(HTTPParseError) in
            let (name, value) = try HTTPFieldLine.parse(bytes)
            let nameBytes = UnsafeRawBufferPointer(rebasing: bytes[name])
            let valueBytes = UnsafeRawBufferPointer(rebasing: bytes[value])
            try framing.observe(name: nameBytes, value: valueBytes)
            headers.addValidated(name: nameBytes, value: valueBytes)
        }
        try budget.take(
            lineBytes: line.count,
            tooMany: .tooManyFields(limits))
        return false
    }

    /// Decides how the body is framed (RFC 9112 §6.3). Returns the request when it has no body,
    /// or its head when the body is streamed.
    private mutating func beginBody(
        _ streamsBody: (HTTPRequest) -> Bool
    ) throws(HTTPParseError) -> HTTPRequest? {
        try checkHost()
        if framing.transferEncodingPresent {
            try checkTransferEncoding()
            let streamed = streamsBody(makeRequest())
            chunked = HTTPChunkedDecoder(
                limits: limits, budget: budget, enforcesBodyLimit: !streamed)
            state = streamed ? .streamedChunked : .chunked
            return streamed ? finishHead() : nil
        }
        if let length = framing.contentLength, length > 0, streamsBody(makeRequest()) {
            state = .streamedBody(remainingBytes: length)
            return finishHead()
        }
        if let length = framing.contentLength {
            guard length <= limits.bodyBytesMax else {
                throw HTTPParseError(
                    status: .payloadTooLarge,
                    reason: "body larger than \(limits.bodyBytesMax) bytes")
            }
            guard length > 0 else { return finishRequest() }
            // Reserve up front only a modest amount: a peer can announce a length it never sends.
            body.reserveCapacity(min(length, 64 * 1024))
            state = .body(remainingBytes: length)
            return nil
        }
        if version == .http10, method == .post || method == .put {
            // RFC 1945 §7.2.2: an HTTP/1.0 request with a body MUST carry a valid
            // Content-Length; HTTP/1.0 has no chunked coding to fall back on.
            throw HTTPParseError(
                status: .lengthRequired, reason: "an HTTP/1.0 body needs Content-Length")
        }
        // RFC 9112 §6.3 rule 7: a request with neither header has an empty body.
        return finishRequest()
    }

    /// RFC 9112 §3.2: an HTTP/1.1 request without Host, or with more than one, gets 400.
    private func checkHost() throws(HTTPParseError) {
        if framing.hostCount > 1 { throw .badRequest("more than one Host header field") }
        if version == .http11, framing.hostCount == 0 {
            throw .badRequest("an HTTP/1.1 request needs a Host header field")
        }
    }

    /// RFC 9112 §6.1 and §6.3: the framing rules that defend against request smuggling.
    private func checkTransferEncoding() throws(HTTPParseError) {
        if version == .http10 {
            // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing.
            throw .badRequest("Transfer-Encoding in an HTTP/1.0 request")
        }
        if framing.contentLength != nil {
            // RFC 9112 §6.1/§6.3: both headers is a classic smuggling vector; reject it.
            throw .badRequest("both Transfer-Encoding and Content-Length")
        }
        if !framing.chunkedIsFinal {
            // RFC 9112 §6.3 rule 4: a request whose final coding is not chunked has no
            // knowable length.
            throw .badRequest("the final transfer coding is not chunked")
        }
        if framing.unknownCodingSeen {
            // RFC 9112 §6.1: a server SHOULD answer 501 to a transfer coding it cannot decode.
            throw HTTPParseError(
                status: .notImplemented, reason: "unsupported transfer coding")
        }
    }

    private func makeRequest() -> HTTPRequest {
        HTTPRequest(
            method: method, target: target, version: version, headers: headers, body: body,
            keepAlive: framing.keepAlive(version))
    }

    /// Builds the finished request and resets for the next one.
    private mutating func finishRequest() -> HTTPRequest {
        let request = makeRequest()
        resetForNextRequest()
        return request
    }

    /// The head of a request whose body is streamed. Framing and version stay until the
    /// body ends: `expectsContinue` still needs them.
    private mutating func finishHead() -> HTTPRequest {
        let request = makeRequest()
        target = []
        headers = HTTPHeaders()
        return request
    }

    mutating func resetForNextRequest() {
        state = .requestLine
        leadingEmptyLines = 0
        target = []
        headers = HTTPHeaders()
        framing = HTTPFraming()
        budget = HTTPHeaderBudget(limits)
        body = []
    }
}
