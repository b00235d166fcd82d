/// One step of reading a streamed request body (`HTTPRequestParser.parseBody`).
public enum HTTPBodyStep: Sendable, Equatable {
    /// Body bytes at `range` of the input; everything before `range.upperBound` is consumed.
    case data(Range<Int>)
    /// The input held no body bytes yet; `consumed` framing bytes were taken.
    case needMoreBytes(consumed: Int)
    /// The body ended with the input's first `consumed` bytes; the parser is ready for the
    /// next request.
    case end(consumed: Int)
}
