import KVStore
import ServiceCatalog

/// The sessions, the locks they hold and the pending lock delays, read under one read lock
/// (reference/consul.md §6). Session endpoints, the destroy path and the leader's sweeper
/// plan from it; every plan guards its writes with compares on the revisions kept here.
public struct SessionState: Sendable {
    /// A session record and its key's revisions and lease (0: no TTL).
    struct Session: Sendable, Equatable {
        var record: CatalogSession
        var createRevision: Int64
        var modRevision: Int64
        var lease: Int64

        var revisioned: Revisioned<CatalogSession> {
            Revisioned(
                record, createIndex: UInt64(max(createRevision, 0)),
                modifyIndex: UInt64(max(modRevision, 0)))
        }
    }

    /// One lock marker `_roost/locks/<session>/<key>` with the key's value and metadata as
    /// they are now. A marker whose key is gone or held by another session is stale.
    struct Lock: Sendable, Equatable {
        var sessionID: String
        var key: [UInt8]
        var marker: ConsulLockMarker
        var markerModRevision: Int64
        /// The value key, nil when it no longer exists.
        var value: KeyValue?
        var metadata: ConsulKVMetadata
        /// 0 when the metadata key does not exist.
        var metadataModRevision: Int64

        var isHeld: Bool { value != nil && metadata.session == sessionID }
    }

    /// One `_roost/lockdelay/<key>` record.
    struct LockDelay: Sendable, Equatable {
        var key: [UInt8]
        var untilUnixNanoseconds: UInt64
        var modRevision: Int64
    }

    var sessions: [Session] = []
    /// The markers with the keys they lock (`.session` scope only).
    var locks: [Lock] = []
    /// Sessions with at least one lock marker, live or not (`.sweep` scope only).
    var markedSessionIDs: Set<String> = []
    var lockDelays: [LockDelay] = []
    /// The store revision of the read.
    public var revision: Int64 = 0

    public var isEmpty: Bool {
        sessions.isEmpty && locks.isEmpty && markedSessionIDs.isEmpty && lockDelays.isEmpty
    }

    /// What is read.
    enum Scope: Sendable, Equatable {
        /// Every session record, which sessions hold markers, and the lock delays: what the
        /// sweeper decides from. The locked keys themselves are read only for the sessions
        /// it invalidates (`.session`), so a quiet pass costs three range reads.
        case sweep
        /// Every session record, nothing else.
        case sessions
        /// One session record.
        case record(String)
        /// One session record and its lock markers: what destroying it needs.
        case session(String)

        var sessionRange: KeyRange {
            switch self {
            case .record(let id), .session(let id): KeyRange(key: CatalogKeys.session(id))
            case .sweep, .sessions: .prefix(CatalogKeys.sessionsPrefix)
            }
        }
    }

    /// What the leader's sweeper decides from; nil when the store cannot be read.
    public static func read(_ keySpace: any KeySpace) -> SessionState? {
        read(keySpace, .sweep)
    }

    static func read(_ keySpace: any KeySpace, _ scope: Scope) -> SessionState? {
        try? keySpace.withStore { (store) throws(KVError) in
            var state = SessionState()
            let range = scope.sessionRange
            let sessions = try store.range(RangeRequest(key: range.key, rangeEnd: range.rangeEnd))
            state.revision = sessions.revision
            state.sessions = sessions.kvs.compactMap(decodeSession)
            switch scope {
            case .sessions, .record:
                break
            case .session(let id):
                state.locks = try readLocks(store, session: id)
            case .sweep:
                state.markedSessionIDs = try markedSessions(store)
                state.lockDelays = try readLockDelays(store)
            }
            return state
        }
    }

    /// The session's markers, each with the key it locks as that key is now.
    private static func readLocks(
        _ store: borrowing MVCCStore, session: String
    ) throws(KVError) -> [Lock] {
        let range = KeyRange.prefix(ConsulLockMarker.prefix(session: session))
        var locks: [Lock] = []
        for marker in try store.range(RangeRequest(key: range.key, rangeEnd: range.rangeEnd)).kvs {
            if let lock = try readLock(store, marker: marker) { locks.append(lock) }
        }
        return locks
    }

    /// Which sessions hold markers: marker keys only, no values.
    private static func markedSessions(_ store: borrowing MVCCStore) throws(KVError) -> Set<String>
    {
        let range = KeyRange.prefix(ConsulKVMetadata.locksPrefix)
        let markers = try store.range(
            RangeRequest(key: range.key, rangeEnd: range.rangeEnd, keysOnly: true))
        return Set(markers.kvs.compactMap { ConsulLockMarker.parse(markerKey: $0.key)?.sessionID })
    }

    private static func readLockDelays(_ store: borrowing MVCCStore) throws(KVError) -> [LockDelay]
    {
        let range = KeyRange.prefix(ConsulLockDelay.prefix)
        return try store.range(RangeRequest(key: range.key, rangeEnd: range.rangeEnd)).kvs.map {
            LockDelay(
                key: Array($0.key.dropFirst(ConsulLockDelay.prefix.count)),
                untilUnixNanoseconds: ConsulLockDelay.decode($0.value), modRevision: $0.modRevision)
        }
    }

    /// Records only Roost writes; one that does not decode is skipped.
    private static func decodeSession(_ kv: KeyValue) -> Session? {
        guard let record = try? CatalogSession(storedValue: kv.value) else { return nil }
        return Session(
            record: record, createRevision: kv.createRevision, modRevision: kv.modRevision,
            lease: kv.lease)
    }

    private static func readLock(
        _ store: borrowing MVCCStore, marker: KeyValue
    ) throws(KVError) -> Lock? {
        guard let (sessionID, key) = ConsulLockMarker.parse(markerKey: marker.key) else {
            return nil
        }
        let value = try store.range(RangeRequest(key: key)).kvs.first
        let meta = try store.range(RangeRequest(key: ConsulKVMetadata.key(for: key))).kvs.first
        return Lock(
            sessionID: sessionID, key: key, marker: ConsulLockMarker.decode(marker.value),
            markerModRevision: marker.modRevision, value: value,
            metadata: meta.map { ConsulKVMetadata.decode($0.value) } ?? ConsulKVMetadata(),
            metadataModRevision: meta?.modRevision ?? 0)
    }
}
