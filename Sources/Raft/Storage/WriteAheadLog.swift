import Platform

/// The durable Raft log: entries, HardState and snapshot markers in preallocated,
/// checksum-chained segment files (format: `WALFrame`; recovery: `WALSegmentScanner`).
///
/// Threading: NOT thread-safe, by design. Exactly one thread (the Raft driver) owns a
/// `WriteAheadLog` and calls every method; it is a class only because it owns descriptors.
///
/// Durability contract (Raft Figure 2, etcd `wal.Save`): `append` only writes (write(2)
/// into the page cache); nothing is durable until `sync()` returns. The driver appends
/// every Ready's entries and HardState, calls `sync()` once for the whole group (group
/// commit), and only then sends messages or acknowledges. Each `append` call is one batch:
/// entries first, then the HardState, with the batch flag on its last record, so replay
/// keeps a batch whole or drops it whole; a vote or term is never lost once synced, and
/// never survives without the entries written with it.
///
/// Any failed write or sync poisons the log (`StorageError.Kind.failedEarlier`): after a
/// failed fsync the page cache may differ from the disk, so the process must restart and
/// recover from what is on disk (reliability.md §5.3, "on fsync failure, crash").
public final class WriteAheadLog {
    public struct Recovered: Sendable {
        /// The newest HardState written (zero values if none).
        public var hardState: HardState
        /// The entries after the replay point (the caller's snapshot, else the newest
        /// marker), in order, with conflicting suffixes resolved.
        public var entries: [Entry]
        /// The newest snapshot marker recorded in the WAL.
        public var snapshotMetadata: SnapshotMetadata?
        /// True if a torn final write was cleared from the last segment.
        public var repairedTornTail: Bool
    }

    struct Segment {
        var name: WALSegmentName
        var path: String
        /// The highest entry index written to the segment; nil if it holds none.
        var maxEntryIndex: UInt64?
    }

    let directory: String
    let options: WALOptions
    /// Holds the `flock` on the data directory; also used to fsync it.
    let directoryLock: File
    /// Live segments, oldest first; the last one is `current`.
    var segments: [Segment]
    var current: File
    /// Where the next record goes in `current`.
    var offset: Int
    /// The end of `current`'s header batch: a segment holding only that is never rotated.
    var dataStartOffset: Int
    /// Everything in `current` before this offset has been written at least once (records
    /// or the zeros of `WALOptions.zeroAheadBytes`); never less than `offset`.
    var zeroedOffset: Int
    /// The CRC of the last record written: the seed of the next.
    var chainCRC: UInt32
    /// Reused encode buffer: one write(2) per `append`, no per-entry syscalls.
    var buffer: [UInt8] = []
    var hardState: HardState
    var snapshot: SnapshotMetadata?
    /// Why the log refuses further use, once a write or sync failed or it was closed.
    var failure: String?

    /// The index of the last entry in the logical log (after conflict truncation), or the
    /// newest snapshot marker if that is later; 0 for an empty log.
    public private(set) var lastIndex: UInt64

    struct State {
        var segments: [Segment]
        var current: File
        var offset: Int
        var dataStartOffset: Int
        var chainCRC: UInt32
        var hardState: HardState
        var snapshot: SnapshotMetadata?
        var lastIndex: UInt64
    }

    init(directory: String, options: WALOptions, directoryLock: File, state: State) {
        self.directory = directory
        self.options = options
        self.directoryLock = directoryLock
        segments = state.segments
        current = state.current
        offset = state.offset
        zeroedOffset = state.offset
        dataStartOffset = state.dataStartOffset
        chainCRC = state.chainCRC
        hardState = state.hardState
        snapshot = state.snapshot
        lastIndex = state.lastIndex
    }

    /// Writes `entries` then `hardState` as one batch with a single write(2). NOT durable
    /// until `sync()`. `entries` must be contiguous, start at most at `lastIndex + 1`, and lie
    /// after the newest snapshot marker; an entry at index i <= `lastIndex` replaces i and
    /// everything after it (Raft §5.3).
    public func append(entries: [Entry], hardState: HardState?) throws(StorageError) {
        try checkUsable()
        guard !entries.isEmpty || hardState != nil else { return }
        checkAppendable(entries)
        var records: [WALRecord] = entries.map { .entry($0) }
        if let hardState { records.append(.hardState(hardState)) }
        try writeBatch(records)
        if let last = entries.last { lastIndex = last.index }
        if let hardState { self.hardState = hardState }
        if let last = entries.last?.index, var segment = segments.last {
            segment.maxEntryIndex = max(segment.maxEntryIndex ?? 0, last)
            segments[segments.count - 1] = segment
        }
    }

    /// Makes everything appended so far durable with one `fdatasync` (group commit).
    public func sync() throws(StorageError) {
        try checkUsable()
        do {
            try current.synchronizeData()
        } catch {
            failure = "fdatasync of \(current.path) failed: \(error)"
            throw .io(error, path: current.path, operation: "fdatasync")
        }
    }

    /// Records that a snapshot up to `metadata.index` is saved (call after
    /// `SnapshotStore.save` returns), and syncs. Replay then starts after it.
    public func recordSnapshot(_ metadata: SnapshotMetadata) throws(StorageError) {
        try checkUsable()
        precondition(
            metadata.index >= snapshot?.index ?? 0, "snapshot markers must not go backwards")
        try writeBatch([.snapshot(metadata)])
        snapshot = metadata
        lastIndex = max(lastIndex, metadata.index)
        try sync()
    }

    /// Deletes the oldest segments whose entries all lie at or below `index`, clamped to the
    /// newest recorded snapshot marker (so replay never finds a gap), oldest first, and
    /// never the current segment. To keep falling back to an older snapshot possible, pass
    /// the index of the OLDEST snapshot kept, not the newest.
    public func releaseSegments(upTo index: UInt64) throws(StorageError) {
        try checkUsable()
        let limit = min(index, snapshot?.index ?? 0)
        var removedAny = false
        while segments.count > 1, let oldest = segments.first,
            oldest.maxEntryIndex ?? 0 <= limit
        {
            try storageIO(oldest.path, "unlink") { () throws(Errno) in
                try File.remove(oldest.path)
            }
            segments.removeFirst()
            removedAny = true
        }
        if removedAny {
            try storageIO(directory, "fsync directory") { () throws(Errno) in
                try directoryLock.synchronize()
            }
        }
    }

    /// Releases the descriptors and the directory lock. Does not sync: call `sync()` first
    /// for durability. Further calls throw `failedEarlier`.
    public func close() {
        failure = failure ?? "the log was closed"
        current.close()
        directoryLock.close()
    }

    /// The file names of the live segments, oldest first (for tests and operators).
    public var segmentFileNames: [String] { segments.map(\.name.fileName) }

    /// Segments on disk now; each takes `WALOptions.segmentBytes` (preallocated).
    public var segmentCount: Int { segments.count }

    func checkUsable() throws(StorageError) {
        if let failure { throw StorageError(.failedEarlier(failure)) }
    }

    private func checkAppendable(_ entries: [Entry]) {
        guard let first = entries.first else { return }
        precondition(first.index >= 1, "entry index 0")
        precondition(first.index <= lastIndex + 1, "appended entries leave a gap in the log")
        precondition(
            first.index > snapshot?.index ?? 0, "appended entries overwrite the snapshot")
        for (previous, next) in zip(entries, entries.dropFirst()) {
            precondition(next.index == previous.index + 1, "appended entries not contiguous")
        }
    }
}
