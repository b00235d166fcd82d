/// Applying replicated commands. Deterministic: the outcome depends only on the store and
/// the command. A failed command changes nothing, not even the revision.
extension MVCCStore {
    public mutating func apply(_ command: KVCommand) -> ApplyOutcome {
        do {
            try command.validateStructure()
        } catch {
            return failure(error)
        }
        switch command {
        case .put(let request): return applyPut(request)
        case .deleteRange(let request): return applyDeleteRange(request)
        case .txn(let request): return applyTxn(request)
        case .compact(let target): return applyCompact(target)
        case .leaseGrant(let id, let ttlSeconds): return applyLeaseGrant(id, ttlSeconds)
        case .leaseRevoke(let id): return applyLeaseRevoke(id)
        }
    }

    func failure(_ error: KVError) -> ApplyOutcome {
        ApplyOutcome(result: .failed(error), revision: revision, events: [])
    }

    mutating func applyPut(_ request: PutRequest) -> ApplyOutcome {
        // etcd checks the lease before the ignore_* flags for a plain put.
        if request.lease != 0 && leaseTable[request.lease] == nil {
            return failure(.leaseNotFound)
        }
        do {
            try precheckPut(request)
        } catch {
            return failure(error)
        }
        var batch = WriteBatch(beginRevision: revision)
        let response = executePut(request, batch: &batch)
        finish(batch)
        return ApplyOutcome(result: .put(response), revision: revision, events: batch.events)
    }

    mutating func applyDeleteRange(_ request: DeleteRangeRequest) -> ApplyOutcome {
        var batch = WriteBatch(beginRevision: revision)
        let response = executeDeleteRange(request, batch: &batch)
        finish(batch)
        return ApplyOutcome(
            result: .deleteRange(response), revision: revision, events: batch.events)
    }

    /// `updateCompactRev` in etcd `server/mvcc/kvstore.go`: at or below the current compact
    /// revision -> compacted; above the current revision -> future. The revision stays.
    mutating func applyCompact(_ target: Int64) -> ApplyOutcome {
        if target <= compactRevision { return failure(.compacted) }
        if target > revision { return failure(.futureRevision) }
        compact(to: target)
        return ApplyOutcome(result: .compact(revision: target), revision: revision, events: [])
    }
}
