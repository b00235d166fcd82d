/// What applying one `KVCommand` produced.
public enum KVResult: Sendable, Equatable {
    case put(PutResponse)
    case deleteRange(DeleteRangeResponse)
    case txn(TxnResponse)
    case compact(revision: Int64)
    /// `ttlSeconds` is the effective TTL (raised to `KVLimits.leaseTTLSecondsMin`).
    case leaseGranted(id: Int64, ttlSeconds: Int64)
    case leaseRevoked
    /// The command changed nothing; the error is etcd's.
    case failed(KVError)
}

/// The result of `MVCCStore.apply`: the response, the store revision afterwards and the
/// events the command produced, in order, each with `prevKV` when the key existed before.
public struct ApplyOutcome: Sendable {
    public var result: KVResult
    public var revision: Int64
    public var events: [Event]

    public init(result: KVResult, revision: Int64, events: [Event]) {
        self.result = result
        self.revision = revision
        self.events = events
    }
}
