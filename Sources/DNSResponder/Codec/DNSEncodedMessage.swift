/// The bytes of an encoded message and whether records were left out to fit the budget.
public struct DNSEncodedMessage: Sendable, Hashable {
    public var bytes: [UInt8]
    /// True when an answer or authority record did not fit: TC is set in `bytes`
    /// (RFC 1035 §4.2.1). Leaving out additional records alone does not set it
    /// (RFC 2181 §9).
    public var isTruncated: Bool
    public var answerCount: Int
    public var authorityCount: Int
    public var additionalCount: Int
}
