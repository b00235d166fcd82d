/// A push-style, client-side HTTP/1.1 response parser (RFC 9112). Each call reports at most
/// one event; call `parse` again with the unconsumed rest until it returns `.needMoreBytes`.
///
/// Body framing follows RFC 9112 §6.3: no body after HEAD, 1xx, 204 and 304; chunked when
/// chunked is the final transfer coding; Content-Length; otherwise the body runs until the
/// connection closes (`finishOnEOF`). Interim 1xx responses are skipped. Each chunk of a
/// chunked body is reported as one `.bodyChunk` as soon as all of its data has arrived, so a
/// stream of newline-delimited JSON chunks (an etcd watch) arrives one object per event; a
/// chunk bigger than `limits.responseChunkPieceBytesMax` is reported in pieces.
public struct HTTPResponseParser: Sendable {
    private enum State: Sendable, Equatable {
        case statusLine, headers, noBody
        case body(remainingBytes: Int)
        case chunked, untilClose
    }

    public let limits: HTTPLimits
    /// The method of the request this response answers; HEAD responses have no body. Set it
    /// before each response when pipelining different methods.
    public var requestMethod: HTTPMethod
    private var state = State.statusLine
    private var lines = HTTPLineReader()
    private var head = HTTPResponseHead(status: 0, headers: HTTPHeaders())
    private var framing = HTTPFraming()
    private var budget: HTTPHeaderBudget
    private var chunked: HTTPChunkedDecoder
    private var chunkData: [UInt8] = []

    public init(limits: HTTPLimits = HTTPLimits(), requestMethod: HTTPMethod = .get) {
        self.limits = limits
        self.requestMethod = requestMethod
        budget = HTTPHeaderBudget(limits)
        chunked = HTTPChunkedDecoder(limits: limits, budget: budget, enforcesBodyLimit: false)
    }

    public mutating func parse(
        _ bytes: UnsafeRawBufferPointer
    ) throws(HTTPParseError)
        -> ParseStep<HTTPResponseEvent>
    {
        var index = 0
        while true {
            switch state {
            case .statusLine, .headers:
                guard try readHeadLine(bytes, at: &index) else {
                    return .needMoreBytes(consumed: index)
                }
                if let event = try finishHeadLine() { return .complete(event, consumed: index) }
            case .noBody:
                reset()
                return .complete(.end, consumed: index)
            case .body(let remainingBytes):
                if remainingBytes == 0 {
                    reset()
                    return .complete(.end, consumed: index)
                }
                guard index < bytes.count else { return .needMoreBytes(consumed: index) }
                let count = min(remainingBytes, bytes.count - index)
                let piece = Array(UnsafeRawBufferPointer(rebasing: bytes[index..<index + count]))
                index += count
                state = .body(remainingBytes: remainingBytes - count)
                return .complete(.bodyChunk(piece), consumed: index)
            case .chunked:
                if let event = try decodeChunked(bytes, at: &index) {
                    return .complete(event, consumed: index)
                }
                return .needMoreBytes(consumed: index)
            case .untilClose:
                guard index < bytes.count else { return .needMoreBytes(consumed: index) }
                let piece = Array(UnsafeRawBufferPointer(rebasing: bytes[index...]))
                return .complete(.bodyChunk(piece), consumed: bytes.count)
            }
        }
    }

    /// Tells the parser that the peer closed the connection. Returns `.end` when that ends a
    /// close-delimited body, nil when the parser was between responses, and throws when a
    /// response was cut short (RFC 9112 §8: an incomplete message).
    public mutating func finishOnEOF() throws(HTTPParseError) -> HTTPResponseEvent? {
        switch state {
        case .untilClose:
            reset()
            return .end
        case .statusLine where !lines.hasPartialLine:
            return nil
        case .noBody:
            reset()
            return .end
        case .body(remainingBytes: 0):
            reset()
            return .end
        default:
            throw .badRequest("connection closed before the response was complete")
        }
    }

    private mutating func readHeadLine(
        _ bytes: UnsafeRawBufferPointer, at index: inout Int
    )
        throws(HTTPParseError) -> Bool
    {
        if state == .statusLine {
            return try lines.read(
                bytes, at: &index, lineBytesMax: limits.requestLineBytesMax,
                tooLong: .statusLineTooLong(limits))
        }
        return try lines.read(
            bytes, at: &index, lineBytesMax: budget.bytesRemaining,
            tooLong: .headerSectionTooLarge(limits))
    }

    /// Handles one complete line of the head; returns `.head` once the head is complete.
    private mutating func finishHeadLine() throws(HTTPParseError) -> HTTPResponseEvent? {
        var line = lines.takeLine()
        defer { lines.recycle(&line) }
        if state == .statusLine {
            // A client SHOULD ignore empty lines before a status line, like a server does.
            guard !line.isEmpty else { return nil }
            try HTTPBytes.withBytes(line) { bytes throws(HTTPParseError) in
                try parseStatusLine(bytes)
            }
            state = .headers
            return nil
        }
        if line.isEmpty { return beginBody() }
        try HTTPBytes.withBytes(line) { bytes throws(HTTPParseError) in
            let (name, value) = try HTTPFieldLine.parse(bytes)
            let nameBytes = UnsafeRawBufferPointer(rebasing: bytes[name])
            let valueBytes = UnsafeRawBufferPointer(rebasing: bytes[value])
            try framing.observe(name: nameBytes, value: valueBytes)
            head.headers.addValidated(name: nameBytes, value: valueBytes)
        }
        try budget.take(
            lineBytes: line.count,
            tooMany: .tooManyFields(limits))
        return nil
    }

    /// `status-line = HTTP-version SP status-code SP [ reason-phrase ]` (RFC 9112 §4). The
    /// SP before an empty reason is often missing in practice, so it is optional here.
    private mutating func parseStatusLine(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) {
        guard bytes.count >= 12, bytes[8] == HTTPBytes.space,
            bytes.count == 12 || bytes[12] == HTTPBytes.space
        else { throw .badRequest("malformed status line") }
        head.version = try HTTPRequestParser.version(UnsafeRawBufferPointer(rebasing: bytes[..<8]))
        var status = 0
        for byte in bytes[9..<12] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                throw .badRequest("status code is not three digits")
            }
            status = status * 10 + Int(byte - UInt8(ascii: "0"))
        }
        guard status >= 100 else { throw .badRequest("status code below 100") }
        head.status = status
    }

    /// Decides the body framing (RFC 9112 §6.3) and returns the `.head` event, or nil after an
    /// interim 1xx response, which is skipped (RFC 9110 §15.2).
    private mutating func beginBody() -> HTTPResponseEvent? {
        let status = head.status
        if (100..<200).contains(status), status != 101 {
            resetHead()
            return nil
        }
        let event = HTTPResponseEvent.head(head)
        if requestMethod == .head || status < 200 || status == 204 || status == 304 {
            state = .noBody
        } else if framing.transferEncodingPresent {
            // RFC 9112 §6.3 rule 3 and 4: Transfer-Encoding overrides Content-Length; when
            // chunked is not the final coding the body is delimited by the connection close.
            if framing.chunkedIsFinal {
                chunked = HTTPChunkedDecoder(
                    limits: limits, budget: budget, enforcesBodyLimit: false)
                state = .chunked
            } else {
                state = .untilClose
            }
        } else if let length = framing.contentLength {
            state = .body(remainingBytes: length)
        } else {
            state = .untilClose
        }
        return event
    }

    /// Reports a chunk's data once it is complete (or a piece of a big chunk), or `.end`.
    private mutating func decodeChunked(
        _ bytes: UnsafeRawBufferPointer, at index: inout Int
    )
        throws(HTTPParseError) -> HTTPResponseEvent?
    {
        while true {
            let room = limits.responseChunkPieceBytesMax - chunkData.count
            switch try chunked.decode(bytes, at: &index, dataBytesMax: room) {
            case .needMoreBytes:
                return nil
            case .data(let range, let chunkComplete):
                chunkData.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[range]))
                if chunkComplete || chunkData.count == limits.responseChunkPieceBytesMax {
                    let piece = chunkData
                    chunkData.removeAll(keepingCapacity: true)
                    return .bodyChunk(piece)
                }
            case .end:
                reset()
                return .end
            }
        }
    }

    private mutating func resetHead() {
        state = .statusLine
        head = HTTPResponseHead(status: 0, headers: HTTPHeaders())
        framing = HTTPFraming()
        budget = HTTPHeaderBudget(limits)
    }

    private mutating func reset() {
        resetHead()
        chunkData.removeAll(keepingCapacity: true)
    }
}
