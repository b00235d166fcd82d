import KVStore
import ServiceCatalog

/// `DeregisterCriticalServiceAfter` (Consul agent.go `reapServicesInternal`): a service with
/// a check that has been critical for longer than the check's deregistration delay is
/// deregistered, with all its checks, by the agent of its node. Pure: the caller passes the
/// node's checks and a monotonic clock value at each poll.
///
/// Like Consul, the critical time is this agent's own observation: it starts when the agent
/// first sees the check critical (a restart starts it over) and is forgotten as soon as the
/// check is anything else. Consul looks every `CheckReapInterval` (30 s); this reaper looks
/// at every poll, so a service goes at most one poll after its delay instead of up to 30 s.
struct CriticalServiceReaper {
    /// Consul's `check_deregister_interval_min`: shorter delays are raised to a minute
    /// (registration already clamps; this covers records written any other way).
    static let delayMinNanoseconds = UInt64(CheckDefinition.deregisterMinNanoseconds)
    /// A deregistration proposed but not yet seen applied is proposed again after this.
    static let retryNanoseconds: UInt64 = 10_000_000_000
    /// Checks deleted with one service: a deregistration is one transaction of at most
    /// `KVLimits.txnOpsMax` operations, the service's delete and this many checks (the
    /// critical one first). Only a service given more checks one by one through
    /// `/v1/agent/check/register` can exceed it; it keeps the rest.
    static let checksPerReapMax = KVLimits.txnOpsMax - 1

    /// One service to deregister.
    struct Reap: Sendable, Equatable {
        var node: String
        var serviceID: String
        /// The check critical for too long and its mod revision: the deregistration is
        /// fenced on it, so a re-registration that lands first is not undone.
        var checkID: String
        var checkModRevision: Int64
        /// Every check of the service on the node, deleted with it.
        var checkIDs: [String]

        var txn: TxnRequest {
            let fence = CatalogKeys.check(node: node, checkID: checkID)
            var deletes: [RequestOp] = [
                .deleteRange(
                    DeleteRangeRequest(key: CatalogKeys.service(node: node, serviceID: serviceID)))
            ]
            for id in checkIDs {
                deletes.append(
                    .deleteRange(
                        DeleteRangeRequest(key: CatalogKeys.check(node: node, checkID: id))))
            }
            return TxnRequest(
                compare: [
                    Compare(
                        result: .equal, target: .mod, key: fence,
                        operand: .modRevision(checkModRevision))
                ],
                success: deletes)
        }
    }

    /// When each check of the node was first seen critical (monotonic ns).
    private(set) var criticalSinceNanoseconds: [String: UInt64] = [:]
    /// When each service's deregistration was last proposed.
    private var proposedAtNanoseconds: [String: UInt64] = [:]

    init() {}

    /// Records which checks are critical now and returns the services to deregister, each
    /// once per `retryNanoseconds`, sorted by service ID.
    mutating func observe(
        _ checks: [Revisioned<CatalogCheck>], nowNanoseconds now: UInt64
    ) -> [Reap] {
        var critical: [String: UInt64] = [:]
        for check in checks where check.record.status == .critical {
            critical[check.record.checkID] = criticalSinceNanoseconds[check.record.checkID] ?? now
        }
        criticalSinceNanoseconds = critical
        let services = Set(checks.map(\.record.serviceID).filter { !$0.isEmpty })
        proposedAtNanoseconds = proposedAtNanoseconds.filter { services.contains($0.key) }
        var reaps: [String: Reap] = [:]
        for check in checks.sorted(by: { $0.record.checkID < $1.record.checkID }) {
            let record = check.record
            guard let since = critical[record.checkID], !record.serviceID.isEmpty,
                reaps[record.serviceID] == nil, let delay = Self.delay(record),
                now - since > delay
            else { continue }
            if let proposed = proposedAtNanoseconds[record.serviceID],
                now < proposed &+ Self.retryNanoseconds
            {
                continue
            }
            proposedAtNanoseconds[record.serviceID] = now
            let others = checks.map(\.record).filter {
                $0.serviceID == record.serviceID && $0.checkID != record.checkID
            }
            reaps[record.serviceID] = Reap(
                node: record.node, serviceID: record.serviceID, checkID: record.checkID,
                checkModRevision: Int64(clamping: check.modifyIndex),
                checkIDs: [record.checkID]
                    + others.map(\.checkID).sorted().prefix(Self.checksPerReapMax - 1))
        }
        return reaps.keys.sorted().compactMap { reaps[$0] }
    }

    /// The check's deregistration delay, raised to the minimum; nil when it has none.
    static func delay(_ check: CatalogCheck) -> UInt64? {
        let configured = check.definition.deregisterCriticalServiceAfterNanoseconds
        guard configured > 0 else { return nil }
        return max(UInt64(configured), delayMinNanoseconds)
    }
}
