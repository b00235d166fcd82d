/// The result of one call to a push-style parser.
///
/// `consumed` counts the bytes of the input the parser has taken: either copied into its own
/// state or used to build the output. The caller drops exactly that many bytes and passes only
/// the unconsumed rest, followed by newly received bytes, on the next call. Parsers never retain
/// the caller's buffer.
public enum ParseStep<Output> {
    case needMoreBytes(consumed: Int)
    case complete(Output, consumed: Int)
}

extension ParseStep: Sendable where Output: Sendable {}
extension ParseStep: Equatable where Output: Equatable {}

extension ParseStep {
    /// The number of input bytes taken, whichever the case.
    public var consumed: Int {
        switch self {
        case .needMoreBytes(let consumed): consumed
        case .complete(_, let consumed): consumed
        }
    }
}
