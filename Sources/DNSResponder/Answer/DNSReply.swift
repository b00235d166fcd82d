/// What the server should do with one incoming message, the response written into the
/// caller's buffer (`DNSAnswerer.respond(to:transport:catalog:cache:random:into:)`).
public enum DNSReply: Sendable, Hashable {
    /// Send the first `byteCount` bytes of the output buffer back to the client.
    case answer(byteCount: Int)
    /// Send the query to the recursor (see `DNSAction.forward`).
    case forward
    /// Send nothing (see `DNSAction.drop`).
    case drop
}
