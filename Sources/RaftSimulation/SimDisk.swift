import Raft

/// What one node has written and what survives a crash. Writes follow the Ready contract:
/// entries and hard state are written, then synced when `Ready.mustSync`, before messages go
/// out. A commit-only hard state is written without a sync and is lost by a crash. A crash in
/// the middle of a Ready's write keeps a prefix of its entries (a torn write at the end of a
/// WAL; entries are logged before the hard state, as etcd's `wal.Save` does).
struct SimDisk {
    /// Survives crashes.
    private(set) var hardState = HardState()
    /// Entries 1...count, contiguous (the simulator does not compact).
    private(set) var entries: [Entry] = []
    /// Written without a sync; gone after a crash.
    private var unsyncedHardState: HardState?

    /// Persists one Ready's writes.
    mutating func write(entries newEntries: [Entry], hardState newHardState: HardState?,
                        sync: Bool) {
        precondition(sync || newEntries.isEmpty, "entries are always synced (Ready.mustSync)")
        guard sync else {
            if let newHardState { unsyncedHardState = newHardState }
            return
        }
        append(newEntries[...])
        if let newHardState {
            hardState = newHardState
        } else if let unsyncedHardState {
            hardState = unsyncedHardState
        }
        unsyncedHardState = nil
    }

    /// Power loss while a Ready was being written: unsynced writes are lost; the first
    /// `keptEntryCount` entries of the interrupted write made it, and the hard state only if
    /// every entry did and `keepsHardState`.
    mutating func crash(interrupted newEntries: [Entry], hardState newHardState: HardState?,
                        keptEntryCount: Int, keepsHardState: Bool) {
        unsyncedHardState = nil
        precondition(keptEntryCount <= newEntries.count, "cannot keep more than was written")
        append(newEntries[..<keptEntryCount])
        if keepsHardState && keptEntryCount == newEntries.count, let newHardState {
            hardState = newHardState
        }
    }

    /// A crash between writes: only the unsynced hard state is lost.
    mutating func crash() { unsyncedHardState = nil }

    /// Replaces any entries from the first new index on (Ready contract step 1).
    private mutating func append(_ newEntries: ArraySlice<Entry>) {
        guard let first = newEntries.first?.index else { return }
        precondition(first >= 1 && first <= UInt64(entries.count) + 1, "gap in the log")
        entries.removeSubrange(Int(first - 1)...)
        entries.append(contentsOf: newEntries)
    }

    /// The storage a restarted node reads: exactly what survived.
    func restoredStorage(bootstrap: ConfState, forgetsVote: Bool) -> MemoryStorage {
        let storage = MemoryStorage(confState: bootstrap)
        storage.append(entries)
        var restored = hardState
        if forgetsVote { restored.vote = 0 }
        // A hard state whose commit runs past the surviving log cannot happen: the commit
        // index only names entries written in the same or an earlier Ready.
        precondition(restored.commit <= UInt64(entries.count), "commit beyond durable log")
        storage.setHardState(restored)
        return storage
    }
}
