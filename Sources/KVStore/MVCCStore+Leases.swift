/// Leases (reference/etcd.md §1.7). Grant and revoke go through the log; expiry is decided
/// by the server's clock outside this pure core and arrives as a revoke.
extension MVCCStore {
    /// Granted lease IDs in ascending order.
    public func leases() -> [Int64] {
        leaseTable.keys.sorted()
    }

    /// Every granted lease with its TTL, in ascending ID order.
    public func leaseGrants() -> [(id: Int64, ttlSeconds: Int64)] {
        leaseTable.keys.sorted().compactMap { id in
            leaseTable[id].map { (id, $0.ttlSeconds) }
        }
    }

    /// The granted TTL and the attached keys (ascending) of a lease, nil if unknown.
    public func leaseInfo(_ id: Int64) -> (ttlSeconds: Int64, keys: [[UInt8]])? {
        guard let lease = leaseTable[id] else { return nil }
        return (lease.ttlSeconds, lease.keys.sorted(by: ByteOrder.less))
    }

    /// etcd lessor.Grant: an existing ID fails; a TTL below the minimum is raised to it.
    /// Granting changes no key, so the revision stays.
    mutating func applyLeaseGrant(_ id: Int64, _ ttlSeconds: Int64) -> ApplyOutcome {
        if leaseTable[id] != nil { return failure(.leaseExists) }
        let effectiveTTLSeconds = max(ttlSeconds, KVLimits.leaseTTLSecondsMin)
        leaseTable[id] = LeaseEntry(ttlSeconds: effectiveTTLSeconds)
        return ApplyOutcome(
            result: .leaseGranted(id: id, ttlSeconds: effectiveTTLSeconds), revision: revision,
            events: [])
    }

    /// etcd lessor.Revoke: deletes the attached keys in key order, all in one revision with
    /// one delete event each, then forgets the lease.
    mutating func applyLeaseRevoke(_ id: Int64) -> ApplyOutcome {
        guard let lease = leaseTable[id] else { return failure(.leaseNotFound) }
        var batch = WriteBatch(beginRevision: revision)
        for key in lease.keys.sorted(by: ByteOrder.less) {
            writeDelete(key, batch: &batch)
        }
        leaseTable[id] = nil
        finish(batch)
        return ApplyOutcome(result: .leaseRevoked, revision: revision, events: batch.events)
    }
}
