import DiscoveryHTTP
import KVStore
import Platform
import ServiceCatalog

extension NodeAgent {
    /// A TTL check of this node not updated within its TTL turns critical with Consul's
    /// "TTL expired" output. The timer starts when the agent first sees the check (its
    /// registration) and restarts on every update.
    func expireTTLChecks(now: UInt64, _ snapshot: CatalogSnapshot) {
        let node = keySpace.identity.name
        let checks = snapshot.checks.map(\.record).filter {
            // Catalog-registered TTL checks keep the status given: no agent times them out.
            $0.node == node && $0.type == .ttl && !$0.catalogRegistered
        }
        let known = Set(checks.map(\.checkID))
        let refreshed = ttlRefreshedTimes { times in
            times = times.filter { known.contains($0.key) }
            for check in checks where times[check.checkID] == nil { times[check.checkID] = now }
            return times
        }
        for check in checks where check.status != .critical {
            let ttl = UInt64(max(check.definition.ttlNanoseconds, 0))
            guard let last = refreshed[check.checkID],
                Self.ttlLapsed(now: now, lastRefreshed: last, ttlNanoseconds: ttl)
            else { continue }
            var expired = check
            expired.status = .critical
            expired.output = CheckSchedule.ttlExpiredOutput(lastOutput: check.output)
            let put = PutRequest(
                key: CatalogKeys.check(node: node, checkID: check.checkID),
                value: expired.storedValue())
            _ = write(.put(put))
        }
    }

    /// Whether a TTL check last updated at `lastRefreshed` has lapsed by `now`. An update
    /// taken while this pass runs is newer than the pass's `now` (a pass over a large
    /// catalog takes a while, heartbeats keep coming): that check has not lapsed, and the
    /// difference must not be taken the wrong way round.
    static func ttlLapsed(now: UInt64, lastRefreshed: UInt64, ttlNanoseconds: UInt64) -> Bool {
        ttlNanoseconds > 0 && now > lastRefreshed && now - lastRefreshed > ttlNanoseconds
    }
}
