/// A lease question only the leader can answer, because lease deadlines live in the
/// leader's memory (`LeaseTimers`): a follower forwards it.
public enum LeaseQuery: Sendable, Equatable {
    /// A keep-alive: restart the lease's TTL.
    case renew(Int64)
    /// How long the lease has left.
    case timeToLive(Int64)

    public var leaseID: Int64 {
        switch self {
        case .renew(let id), .timeToLive(let id): id
        }
    }
}

/// The leader's answer about a live lease.
public struct LeaseStatus: Sendable, Equatable {
    /// Whole seconds until expiry (after a renew: the full TTL).
    public var remainingSeconds: Int64
    public var grantedSeconds: Int64

    public init(remainingSeconds: Int64, grantedSeconds: Int64) {
        self.remainingSeconds = remainingSeconds
        self.grantedSeconds = grantedSeconds
    }
}
