/// The index one Consul blocking query sends, kept by the rules Consul asks of clients
/// (reference/consul.md §2.2): an answered index of 0 is a server bug and counts as 1 (so
/// the next query still blocks instead of spinning), and an index that went backwards (a
/// restored snapshot) resets to 0, whose query answers at once with the current index.
struct BlockingQueryIndex: Sendable, Equatable {
    /// The `?index=` of the next query.
    private(set) var value: UInt64

    /// Starts from the index of the read a render used, so a change made since that read
    /// answers the first query at once.
    init(start: UInt64) {
        value = max(start, 1)
    }

    /// Records an answer's `X-Consul-Index`; true when the data may have changed since the
    /// query was sent (a moved index, a reset, or the first answer after a reset).
    mutating func record(answered: UInt64) -> Bool {
        let answered = max(answered, 1)
        let sent = value
        value = answered < sent ? 0 : answered
        return answered != sent
    }
}
