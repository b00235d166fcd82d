/// etcd's MVCC key space as a deterministic value (reference/etcd.md §1.5–1.7, §2): every
/// write request or txn that changes something creates one revision; each key keeps its
/// history since the last compaction; leases own keys. No I/O, clocks or randomness: the same
/// commands applied to equal stores give equal stores.
///
/// Copying a store is O(1) (the key index, change log and lease table are copy-on-write), so
/// the server can hand a copy to a snapshot writer or a reader thread while applying on.
public struct MVCCStore: Sendable {
    var index = KeyIndex()
    var changeLog = ChangeLog()
    var leaseTable: [Int64: LeaseEntry] = [:]
    /// The current revision; a new store starts at 1 and its first write creates 2
    /// (`learning/data_model.md`: "When the store is created, the initial revision is 1").
    public internal(set) var revision: Int64 = 1
    /// Reads below this revision fail with `compacted`; 0 until the first compaction.
    public internal(set) var compactRevision: Int64 = 0
    /// Keys that exist at the current revision.
    public internal(set) var keyCount = 0

    public init() {}
}

/// A granted lease and the keys currently attached to it.
struct LeaseEntry: Sendable, Equatable {
    var ttlSeconds: Int64
    var keys: Set<[UInt8]> = []
}

/// The changes one request makes: they share revision `beginRevision + 1` and are numbered
/// by `subRevision` in order (etcd's `storeTxnWrite.changes`).
struct WriteBatch {
    let beginRevision: Int64
    var events: [Event] = []

    init(beginRevision: Int64) {
        self.beginRevision = beginRevision
    }

    var writeRevision: Int64 { beginRevision + 1 }
    var nextSubRevision: Int64 { Int64(events.count) }
    /// What reads inside the request see as current: the new revision once something changed.
    var readRevision: Int64 { events.isEmpty ? beginRevision : beginRevision + 1 }
}
