/// What the server should do with one incoming message.
public enum DNSAction: Sendable, Hashable {
    /// Send these bytes back to the client (over the transport the query came on).
    case answer([UInt8])
    /// The name is outside our domains and a recursor is configured: send the query bytes,
    /// unchanged, to the recursor (consul.md §9.5).
    case forward
    /// Send nothing: no 12-byte header, or not a query (QR=1). Answering those would let
    /// two servers bounce garbage at each other (gdnsd's "dropped" counter).
    case drop
}
