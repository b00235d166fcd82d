import KVStore
import ServiceCatalog

/// The writes that invalidate one session (Consul `deleteSessionTxn`, reference/consul.md
/// §6.2), planned from a `SessionState` without touching the store: delete the session
/// record and, for every lock it holds, release the key (behavior `release`: `Session`
/// cleared, value and `LockIndex` kept, `ModifyIndex` moved) or delete it (behavior
/// `delete`), drop the lock marker and record the lock delay.
///
/// Each transaction is guarded by compares on what was read (the session record, each
/// key's value and metadata, each stale marker), so a write that got in between (an
/// acquire, a release, a plain PUT or DELETE) fails the whole transaction and the caller
/// re-reads and plans again: a concurrent acquire is never clobbered. Everything fits one
/// transaction unless the session holds more locks than `KVLimits.txnOpsMax` allows; then
/// the first transaction deletes the session with as many locks as fit and the rest are
/// released by the following ones, exactly as for a session whose record is already gone.
public struct SessionInvalidation: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// `PUT /v1/session/destroy/<id>`.
        case destroyed
        /// The record is gone (its TTL lease expired) but locks are still marked as held.
        case recordGone
        /// Its node or one of its checks is missing or critical: Consul's message.
        case unhealthy(String)
    }

    public var sessionID: String
    public var reason: Reason
    /// In order; empty when there is nothing to write.
    public var transactions: [TxnRequest]
    /// The session's TTL lease, to revoke once the transactions are applied; 0 for none.
    public var leaseID: Int64

    /// Reads `sessionID`'s record and locks and plans its invalidation; nil when the store
    /// cannot be read.
    public static func read(
        _ keySpace: any KeySpace, sessionID: String, reason: Reason, nowUnixNanoseconds: UInt64
    ) -> SessionInvalidation? {
        guard let state = SessionState.read(keySpace, .session(sessionID)) else { return nil }
        return plan(
            sessionID: sessionID, session: state.sessions.first, locks: state.locks,
            reason: reason, nowUnixNanoseconds: nowUnixNanoseconds)
    }

    /// Plans the invalidation of `sessionID`. `session` is its record (nil when already
    /// gone) and `locks` its markers; `nowUnixNanoseconds` starts the lock delays.
    static func plan(
        sessionID: String, session: SessionState.Session?, locks: [SessionState.Lock],
        reason: Reason, nowUnixNanoseconds: UInt64
    ) -> SessionInvalidation {
        let marker = session.map { ConsulLockMarker(session: $0.record) }
        var batches: [Batch] = []
        var batch = Batch()
        if let session {
            batch.compares.append(
                Compare(
                    result: .equal, target: .mod, key: CatalogKeys.session(sessionID),
                    operand: .modRevision(session.modRevision)))
            batch.ops.append(.deleteRange(DeleteRangeRequest(key: CatalogKeys.session(sessionID))))
        }
        for lock in locks.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) })
        where lock.sessionID == sessionID {
            let writes = undo(lock, marker ?? lock.marker, nowUnixNanoseconds: nowUnixNanoseconds)
            if !batch.fits(writes) {
                batches.append(batch)
                batch = Batch()
            }
            batch.compares += writes.compares
            batch.ops += writes.ops
        }
        if !batch.ops.isEmpty { batches.append(batch) }
        return SessionInvalidation(
            sessionID: sessionID, reason: reason,
            transactions: batches.map { TxnRequest(compare: $0.compares, success: $0.ops) },
            leaseID: session?.lease ?? 0)
    }

    /// Compares and operations of one transaction being filled.
    struct Batch {
        var compares: [Compare] = []
        var ops: [RequestOp] = []

        func fits(_ more: Batch) -> Bool {
            compares.count + more.compares.count <= KVLimits.txnOpsMax
                && ops.count + more.ops.count <= KVLimits.txnOpsMax
        }
    }

    /// The writes that undo one lock: a held key is released or deleted with its lock
    /// delay recorded; a stale marker (the key is gone or held by someone else) is dropped.
    static func undo(
        _ lock: SessionState.Lock, _ marker: ConsulLockMarker, nowUnixNanoseconds: UInt64
    ) -> Batch {
        let markerKey = ConsulKVMetadata.lockKey(session: lock.sessionID, key: lock.key)
        var writes = Batch()
        guard let value = lock.value, lock.isHeld else {
            writes.compares.append(
                Compare(
                    result: .equal, target: .mod, key: markerKey,
                    operand: .modRevision(lock.markerModRevision)))
            writes.ops.append(.deleteRange(DeleteRangeRequest(key: markerKey)))
            return writes
        }
        let metaKey = ConsulKVMetadata.key(for: lock.key)
        writes.compares = [
            Compare(
                result: .equal, target: .mod, key: lock.key,
                operand: .modRevision(value.modRevision)),
            Compare(
                result: .equal, target: .mod, key: metaKey,
                operand: .modRevision(lock.metadataModRevision)),
        ]
        switch marker.behavior {
        case .release:
            var metadata = lock.metadata
            metadata.session = ""
            // The value stays; the put still moves its mod_revision (ModifyIndex).
            writes.ops.append(.put(PutRequest(key: lock.key, ignoreValue: true)))
            writes.ops.append(ConsulGateway.metadataOp(lock.key, metadata))
        case .delete:
            writes.ops.append(.deleteRange(DeleteRangeRequest(key: lock.key)))
            writes.ops.append(.deleteRange(DeleteRangeRequest(key: metaKey)))
        }
        writes.ops.append(.deleteRange(DeleteRangeRequest(key: markerKey)))
        if let until = ConsulLockDelay.deadline(
            lockDelayNanoseconds: marker.lockDelayNanoseconds,
            nowUnixNanoseconds: nowUnixNanoseconds)
        {
            writes.ops.append(
                .put(
                    PutRequest(
                        key: ConsulLockDelay.key(for: lock.key),
                        value: ConsulLockDelay.encode(untilUnixNanoseconds: until))))
        }
        return writes
    }
}
