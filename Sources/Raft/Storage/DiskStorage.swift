/// The Raft log on disk: a `RaftStorage` whose reads are served from an in-memory copy
/// of the log (`MemoryStorage`) and whose writes reach the `WriteAheadLog` and the
/// `SnapshotStore` first, following the Ready contract (etcd's `raftexample`: WAL plus
/// MemoryStorage). Used by one thread, the node's Ready loop.
public final class DiskStorage: RaftStorage, @unchecked Sendable {
    public let memory: MemoryStorage
    private let wal: WriteAheadLog
    private let snapshots: SnapshotStore
    /// Indexes of the snapshots kept on disk, oldest first. The WAL is released only up
    /// to the oldest: if the newest snapshot turns out corrupt, the previous one is used
    /// and the log after it is still needed.
    private var retainedSnapshotIndexes: [UInt64]
    /// What the last open found: `repairedTornTail` is worth a log line.
    public let recovered: WriteAheadLog.Recovered

    /// Opens (or creates) `<directory>/wal` and `<directory>/snap` and rebuilds the log:
    /// the newest intact snapshot, then the WAL's entries and hard state after it.
    /// `bootstrap` is the membership of a brand-new log (ignored when a snapshot exists).
    public static func open(
        directory: String, bootstrap: ConfState
    ) throws(StorageError) -> DiskStorage {
        let snapshots = try SnapshotStore(directory: directory + "/snap")
        let snapshot = try snapshots.loadNewest()
        let (wal, recovered) = try WriteAheadLog.open(
            directory: directory + "/wal", snapshot: snapshot?.metadata)
        let memory = MemoryStorage(confState: snapshot?.metadata.confState ?? bootstrap)
        if let snapshot, snapshot.metadata.index > 0 {
            do {
                try memory.applySnapshot(snapshot)
            } catch {
                wal.close()
                throw StorageError(
                    .missingEntries(
                        "snapshot \(snapshot.metadata.index) cannot be installed: \(error)"))
            }
        }
        memory.setHardState(recovered.hardState)
        let afterSnapshot = recovered.entries.filter { $0.index > (snapshot?.metadata.index ?? 0) }
        memory.append(afterSnapshot)
        let retained = snapshot.map { [$0.metadata.index] } ?? []
        return DiskStorage(
            memory: memory, wal: wal, snapshots: snapshots, recovered: recovered, retained: retained
        )
    }

    private init(
        memory: MemoryStorage, wal: WriteAheadLog, snapshots: SnapshotStore,
        recovered: WriteAheadLog.Recovered, retained: [UInt64]
    ) {
        self.memory = memory
        self.wal = wal
        self.snapshots = snapshots
        self.recovered = recovered
        self.retainedSnapshotIndexes = retained
    }

    /// The snapshot files, for a thread that writes an image while the log goes on.
    public var snapshotStore: SnapshotStore { snapshots }

    /// WAL segments on disk (each preallocated to `WALOptions.segmentBytes`).
    public var walSegmentCount: Int { wal.segmentCount }

    /// Step 1 of the Ready contract: makes the snapshot, entries and hard state durable
    /// (synced when `ready.mustSync`), then updates the in-memory log the core reads.
    public func persist(_ ready: Ready) throws(StorageError) {
        if let snapshot = ready.snapshot {
            // The image first: a WAL marker must never point at a snapshot that is not
            // on disk (etcd saves the snapshot file before the WAL record, too).
            try snapshots.save(snapshot)
            try wal.recordSnapshot(snapshot.metadata)
        }
        if !ready.entries.isEmpty || ready.hardState != nil {
            try wal.append(entries: ready.entries, hardState: ready.hardState)
            if ready.mustSync { try wal.sync() }
        }
        if let snapshot = ready.snapshot {
            retain(snapshot.metadata.index)
            do {
                try memory.applySnapshot(snapshot)
            } catch {
                throw StorageError(
                    .missingEntries(
                        "snapshot \(snapshot.metadata.index) is older than the log: \(error)"))
            }
        }
        memory.append(ready.entries)
        if let hardState = ready.hardState { memory.setHardState(hardState) }
    }

    /// Folds the log up to `index` (already applied) into a snapshot of the state
    /// machine, saves it durably, and drops the entries and WAL segments it covers.
    public func compact(index: UInt64, confState: ConfState, data: [UInt8]) throws(StorageError) {
        let term: UInt64
        do {
            term = try memory.term(index)
        } catch {
            throw StorageError(.missingEntries("cannot snapshot at \(index): \(error)"))
        }
        let snapshot = Snapshot(
            metadata: SnapshotMetadata(index: index, term: term, confState: confState), data: data)
        try snapshots.save(snapshot)
        try adoptSavedSnapshot(snapshot, compactTo: index)
    }

    /// Takes in a snapshot another thread has already saved with `snapshotStore`: marks
    /// it in the WAL, keeps it for followers that fall behind, drops in-memory entries
    /// up to `compactTo` (a little behind the snapshot, so a slightly late follower
    /// catches up from the log), and releases WAL segments behind the oldest snapshot
    /// still kept.
    ///
    /// Returns false, changing nothing, when the storage already holds a snapshot at or
    /// past this one's index: a leader's snapshot (§7) installed while this member was
    /// still writing an image of its own older state makes that image useless.
    @discardableResult
    public func adoptSavedSnapshot(
        _ snapshot: Snapshot, compactTo: UInt64
    ) throws(StorageError) -> Bool {
        let metadata = snapshot.metadata
        guard metadata.index > memory.snapshotIndex else { return false }
        try wal.recordSnapshot(metadata)
        do {
            _ = try memory.createSnapshot(
                index: metadata.index, confState: metadata.confState, data: snapshot.data)
            let first = try memory.firstIndex()
            if compactTo >= first { try memory.compact(min(compactTo, metadata.index)) }
        } catch {
            throw StorageError(.missingEntries("cannot compact at \(compactTo): \(error)"))
        }
        retain(metadata.index)
        if let oldest = retainedSnapshotIndexes.first {
            try wal.releaseSegments(upTo: min(oldest, compactTo))
        }
        return true
    }

    private func retain(_ index: UInt64) {
        retainedSnapshotIndexes.append(index)
        if retainedSnapshotIndexes.count > snapshots.retainCount {
            retainedSnapshotIndexes.removeFirst(
                retainedSnapshotIndexes.count - snapshots.retainCount)
        }
    }

    public func close() {
        try? wal.sync()
        wal.close()
    }

    // MARK: RaftStorage, served from memory

    public func initialState() throws(RaftError) -> (HardState, ConfState) {
        try memory.initialState()
    }
    public func entries(_ lo: UInt64, _ hi: UInt64, maxBytes: UInt64) throws(RaftError) -> [Entry] {
        try memory.entries(lo, hi, maxBytes: maxBytes)
    }
    public func term(_ index: UInt64) throws(RaftError) -> UInt64 { try memory.term(index) }
    public func firstIndex() throws(RaftError) -> UInt64 { try memory.firstIndex() }
    public func lastIndex() throws(RaftError) -> UInt64 { try memory.lastIndex() }
    public func snapshot() throws(RaftError) -> Snapshot { try memory.snapshot() }
}
