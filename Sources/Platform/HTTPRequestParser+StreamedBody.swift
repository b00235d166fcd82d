/// Reading a body that `parse(_:streamsBody:)` left streaming: one piece at a time, so a
/// route can answer each message of a long-lived request while the client keeps writing.
extension HTTPRequestParser {
    /// True between a streamed request's head and the end of its body.
    public var isStreamingBody: Bool {
        switch state {
        case .streamedBody, .streamedChunked: true
        case .requestLine, .headers, .body, .chunked: false
        }
    }

    /// The next piece of the streamed body in `bytes`. Each `.data` range is non-empty, so
    /// a caller looping until `.needMoreBytes` or `.end` always makes progress. After `.end`
    /// the following bytes belong to the next request (`parse`).
    public mutating func parseBody(
        _ bytes: UnsafeRawBufferPointer
    ) throws(HTTPParseError) -> HTTPBodyStep {
        switch state {
        case .streamedBody(let remainingBytes):
            if remainingBytes == 0 {
                resetForNextRequest()
                return .end(consumed: 0)
            }
            let count = min(remainingBytes, bytes.count)
            guard count > 0 else { return .needMoreBytes(consumed: 0) }
            state = .streamedBody(remainingBytes: remainingBytes - count)
            return .data(0..<count)
        case .streamedChunked:
            var index = 0
            switch try chunked.decode(bytes, at: &index) {
            case .needMoreBytes:
                return .needMoreBytes(consumed: index)
            case .data(let range, _):
                return .data(range)
            case .end:
                resetForNextRequest()
                return .end(consumed: index)
            }
        case .requestLine, .headers, .body, .chunked:
            preconditionFailure("parseBody called without a streamed body")
        }
    }
}
