import DiscoveryHTTP
import KVStore
import Platform

/// The leader's session sweeper (reference/consul.md §6.2): sessions whose node or checks
/// failed are invalidated, the locks of sessions whose TTL lease expired are released, and
/// lock delays that ran out are dropped. A new leader takes over on its first pass, from the
/// store alone (deadlines and markers are replicated).
///
/// The decisions are pure (`SessionSweeper.plan`: which sessions; `SessionInvalidation`:
/// which writes); `SessionSweepPlan.read` reads only what the sessions depend on and plans,
/// this proposes. A transaction whose compares fail (a concurrent acquire, release or
/// write) changes nothing and is planned again on the next pass.
extension LeaderHousekeeping {
    func sweepSessions() {
        let now = WallClock().nowUnixNanoseconds()
        guard let plan = SessionSweepPlan.read(keySpace, nowUnixNanoseconds: now) else { return }
        for target in plan.targets {
            guard
                let invalidation = SessionInvalidation.read(
                    keySpace, sessionID: target.sessionID, reason: target.reason,
                    nowUnixNanoseconds: now),
                proposer.applyInOrder(invalidation.transactions)
            else { continue }
            if invalidation.leaseID != 0 {
                _ = proposer.write(.leaseRevoke(id: invalidation.leaseID))
            }
        }
        if let cleanup = plan.lockDelayCleanup { _ = proposer.write(.txn(cleanup)) }
    }
}
