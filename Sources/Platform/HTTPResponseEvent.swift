/// One step of a response, as the client-side parser reports it. A response is one `.head`,
/// any number of `.bodyChunk`s, then `.end`.
public enum HTTPResponseEvent: Sendable, Equatable {
    case head(HTTPResponseHead)
    case bodyChunk([UInt8])
    case end
}
