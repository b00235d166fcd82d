/// The durable log the core reads from (etcd `storage.go` shape). The caller writes to it
/// while handling `Ready` (entries, hard state, snapshots); the core only reads.
///
/// It must be a reference type: the core and the caller's Ready loop share one instance.
/// Any error other than `.compacted`, `.unavailable` and `.snapshotTemporarilyUnavailable`
/// is a broken invariant for the core (it cannot make progress without its log) and traps.
public protocol RaftStorage: AnyObject, Sendable {
    /// The persisted hard state and the membership as of the latest snapshot.
    func initialState() throws(RaftError) -> (HardState, ConfState)
    /// Entries in `[lo, hi)`, at least one if the range is non-empty, then as many as fit in
    /// `maxBytes`. Throws `.compacted` if `lo` is below `firstIndex()`.
    func entries(_ lo: UInt64, _ hi: UInt64, maxBytes: UInt64) throws(RaftError) -> [Entry]
    /// The term of entry `index`, valid for `[firstIndex() - 1, lastIndex()]`.
    func term(_ index: UInt64) throws(RaftError) -> UInt64
    /// The first index still held as an entry (snapshot index + 1).
    func firstIndex() throws(RaftError) -> UInt64
    func lastIndex() throws(RaftError) -> UInt64
    /// The latest snapshot, sent to followers that fell behind `firstIndex()`.
    func snapshot() throws(RaftError) -> Snapshot
}

extension Entry {
    /// Bytes this entry counts against `maxSizePerMsgBytes`, the in-flight window and
    /// `maxCommittedBytesPerReady`: the payload plus a fixed allowance for term, index, kind.
    var sizeBytes: UInt64 { UInt64(data.count) + 24 }
}

/// Keeps the longest prefix of `entries` that fits in `maxBytes`, but always one entry.
func limitSize(_ entries: [Entry], maxBytes: UInt64) -> [Entry] {
    guard entries.count > 1 else { return entries }
    var total = entries[0].sizeBytes
    var count = 1
    while count < entries.count {
        total += entries[count].sizeBytes
        if total > maxBytes { break }
        count += 1
    }
    return count == entries.count ? entries : Array(entries[0..<count])
}
