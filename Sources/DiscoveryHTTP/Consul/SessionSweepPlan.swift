import KVStore

/// What one pass of the leader's session sweeper should do (`SessionSweeper.plan`).
public struct SessionSweepPlan: Sendable, Equatable {
    /// A session to invalidate and why; its writes are planned from a fresh read of its
    /// locks (`SessionInvalidation.read`).
    public struct Target: Sendable, Equatable {
        public var sessionID: String
        public var reason: SessionInvalidation.Reason
    }

    /// In session ID order, at most `SessionSweeper.invalidationsPerPassMax`.
    public var targets: [Target] = []
    /// Deletes lock-delay records whose deadline has passed; nil when none has.
    public var lockDelayCleanup: TxnRequest?

    public var isEmpty: Bool { targets.isEmpty && lockDelayCleanup == nil }
}
