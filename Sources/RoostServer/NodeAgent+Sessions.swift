import DiscoveryHTTP
import KVStore
import Platform
import ServiceCatalog

/// The leader's session sweeper (reference/consul.md §6.2): sessions whose node or checks
/// failed are invalidated, the locks of sessions whose TTL lease expired are released, and
/// lock delays that ran out are dropped. Only the leader sweeps, as only Consul's leader
/// runs `invalidateSession`; a new leader takes over on its first pass, from the store
/// alone (deadlines and markers are replicated).
///
/// The decisions are pure (`SessionSweeper.plan`: which sessions; `SessionInvalidation`:
/// which writes); this reads, calls them and proposes. A transaction whose compares fail
/// (a concurrent acquire, release or write) changes nothing and is planned again on the
/// next pass.
extension NodeAgent {
    func sweepSessions() {
        guard keySpace.status().leaderID == keySpace.identity.memberID else { return }
        // Sessions before the catalog (see `SessionSweeper`).
        guard let state = SessionState.read(keySpace), !state.isEmpty else { return }
        let catalog = CatalogSnapshot.read(keySpace)
        let now = WallClock().nowUnixNanoseconds()
        let plan = SessionSweeper.plan(state, health: catalog.health, nowUnixNanoseconds: now)
        for target in plan.targets {
            guard
                let invalidation = SessionInvalidation.read(
                    keySpace, sessionID: target.sessionID, reason: target.reason,
                    nowUnixNanoseconds: now),
                applyInOrder(invalidation.transactions)
            else { continue }
            if invalidation.leaseID != 0 { _ = write(.leaseRevoke(id: invalidation.leaseID)) }
        }
        if let cleanup = plan.lockDelayCleanup { _ = write(.txn(cleanup)) }
    }

    /// Proposes the transactions one after another; false at the first that is not
    /// applied or whose compares failed (the rest were planned on its success).
    private func applyInOrder(_ transactions: [TxnRequest]) -> Bool {
        for txn in transactions {
            guard case .success(let outcome) = write(.txn(txn)),
                case .txn(let response) = outcome.result, response.succeeded
            else { return false }
        }
        return true
    }
}
