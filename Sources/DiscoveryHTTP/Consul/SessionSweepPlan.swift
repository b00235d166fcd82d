import KVStore
import ServiceCatalog

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

    /// Reads the sessions, then the catalog records they depend on (`SessionDependencies`),
    /// and plans (`SessionSweeper.plan`); nil when the store cannot be read. Sessions before
    /// the catalog (see `SessionSweeper`); with no sessions, markers or delays, nothing else
    /// is read.
    public static func read(
        _ keySpace: any KeySpace, nowUnixNanoseconds: UInt64
    ) -> SessionSweepPlan? {
        guard let state = SessionState.read(keySpace) else { return nil }
        guard !state.isEmpty else { return SessionSweepPlan() }
        guard
            let health = SessionDependencies(sessions: state.sessions.map(\.record))
                .read(keySpace)
        else { return nil }
        return SessionSweeper.plan(state, health: health, nowUnixNanoseconds: nowUnixNanoseconds)
    }
}
