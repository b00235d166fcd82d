import DiscoveryHTTP
import KVStore
import Platform
import ServiceCatalog

/// `DeregisterCriticalServiceAfter` for a node whose server stopped heartbeating: its node
/// lease expired, so every instance on it is reported critical (the synthetic `serfHealth`),
/// and its own agent, which would reap them, is gone with it. The leader reaps them instead:
/// once the node has been dead for longer than a service's delay, the service and its checks
/// are deregistered in one transaction fenced on the check, as the agent would
/// (`CriticalServiceReaper`). Consul leaves such services to the dead agent and removes the
/// whole node after `reconnect_timeout` (72 hours); the delay the service asked for is what
/// its users expect.
///
/// The dead time is this leader's own observation (a new leader starts it over, so a delay
/// is never cut short). Nodes registered through `/v1/catalog/register` have no liveness and
/// are never dead here; catalog-registered checks are never reaped, as on the agent.
extension LeaderHousekeeping {
    /// How often dead nodes are looked for. The shortest delay is a minute, so a second late
    /// costs nothing; a pass reads every node record and the dead nodes' checks.
    static let deadNodePollNanoseconds: UInt64 = 1_000_000_000

    func reapDeadNodes(nowNanoseconds now: UInt64) {
        let due = deadNodes.withLock { state -> Bool in
            guard now >= state.nextPassNanoseconds else { return false }
            state.nextPassNanoseconds = now + LeaderHousekeeping.deadNodePollNanoseconds
            return true
        }
        guard due else { return }
        let (nodes, alive) = CatalogSnapshot.readNodes(keySpace)
        let dead = nodes.filter { !$0.external && !alive.contains($0.node) }.map(\.node)
        var reaps: [CriticalServiceReaper.Reap] = []
        for node in dead {
            let checks = CatalogSnapshot.read(keySpace, node: node).checks.compactMap {
                check -> Revisioned<CatalogCheck>? in
                guard !check.record.catalogRegistered else { return nil }
                var critical = check
                critical.record.status = .critical
                return critical
            }
            reaps += deadNodes.withLock { $0.observe(node: node, checks, nowNanoseconds: now) }
        }
        deadNodes.withLock { $0.forget(allBut: Set(dead)) }
        for reap in reaps { _ = proposer.write(.txn(reap.txn)) }
    }
}

/// One reaper per dead node, kept while the node stays dead.
struct DeadNodeReaping: Sendable {
    var nextPassNanoseconds: UInt64 = 0
    private var reapers: [String: CriticalServiceReaper] = [:]

    mutating func observe(
        node: String, _ checks: [Revisioned<CatalogCheck>], nowNanoseconds now: UInt64
    ) -> [CriticalServiceReaper.Reap] {
        reapers[node, default: CriticalServiceReaper()].observe(checks, nowNanoseconds: now)
    }

    /// Drops the reapers of nodes alive again or gone: their clocks start over.
    mutating func forget(allBut dead: Set<String>) {
        reapers = reapers.filter { dead.contains($0.key) }
    }
}
