import KVStore
import ServiceCatalog

/// Decides, from the sessions and the catalog's health, which sessions the leader must
/// invalidate (pure). What to write for each is `SessionInvalidation`'s plan, made from a
/// fresh read of that session's locks; the leader's housekeeping (on every member, agent or
/// not) reads (`SessionSweepPlan.read`), calls both, proposes.
///
/// A session is invalidated when its node is no longer registered or one of its checks is
/// missing or critical (reference/consul.md §6.2; `SessionValidity`), the synthetic
/// `serfHealth` included, which goes critical when the node's server stops renewing its
/// node lease. A TTL session that was not renewed needs no decision: its lease expires and
/// takes the record with it; its lock markers are then found here without a record and
/// released with the behavior and delay each marker carries.
///
/// Read the sessions before the catalog: a session is then never judged against a catalog
/// older than the one it was created against (which could lack its checks).
public enum SessionSweeper {
    /// Sessions invalidated in one pass. Each costs a replicated write the sweeper waits
    /// for; a mass failure (a node with hundreds of sessions dies) is worked off over a few
    /// passes instead of stalling one for long (and a stop behind it).
    public static let invalidationsPerPassMax = 64

    public static func plan(
        _ state: SessionState, health: HealthView, nowUnixNanoseconds: UInt64
    ) -> SessionSweepPlan {
        var reasons: [String: SessionInvalidation.Reason] = [:]
        for session in state.sessions {
            if let problem = SessionValidity.problem(
                node: session.record.node, checkIDs: SessionValidity.checkIDs(of: session.record),
                health: health)
            {
                reasons[session.record.id] = .unhealthy(problem.message)
            }
        }
        let live = Set(state.sessions.map(\.record.id))
        for sessionID in state.markedSessionIDs where !live.contains(sessionID) {
            reasons[sessionID] = .recordGone
        }
        var plan = SessionSweepPlan()
        plan.targets = reasons.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .prefix(invalidationsPerPassMax)
            .compactMap { id in
                reasons[id].map { SessionSweepPlan.Target(sessionID: id, reason: $0) }
            }
        plan.lockDelayCleanup = cleanup(state.lockDelays, nowUnixNanoseconds: nowUnixNanoseconds)
        return plan
    }

    /// One transaction deleting up to `KVLimits.txnOpsMax` expired lock-delay records, each
    /// guarded by its revision so a delay recorded again meanwhile survives.
    static func cleanup(
        _ delays: [SessionState.LockDelay], nowUnixNanoseconds: UInt64
    ) -> TxnRequest? {
        let expired = delays.filter { $0.untilUnixNanoseconds <= nowUnixNanoseconds }
            .prefix(KVLimits.txnOpsMax)
        guard !expired.isEmpty else { return nil }
        var txn = TxnRequest()
        for delay in expired {
            let key = ConsulLockDelay.key(for: delay.key)
            txn.compare.append(
                Compare(
                    result: .equal, target: .mod, key: key,
                    operand: .modRevision(delay.modRevision)))
            txn.success.append(.deleteRange(DeleteRangeRequest(key: key)))
        }
        return txn
    }
}
