/// The Ready/advance hand-off (see `Ready` for the caller's contract).
extension RaftCore {
    /// Whether `ready()` would return any work.
    public var hasReady: Bool {
        broadcastPending || !messages.isEmpty || !readStates.isEmpty
            || !raftLog.unstable.entries.isEmpty || raftLog.unstable.snapshot != nil
            || raftLog.hasNextCommittedEntries || hardState != previousHardState
            || softState != previousSoftState
    }

    /// Collects the work accumulated since the last call. Call `advance()` once it is done,
    /// before calling `ready()` again.
    public mutating func ready() -> Ready {
        precondition(readyMarks == nil, "ready() called again before advance()")
        flushBroadcast()
        var ready = Ready()
        ready.entries = raftLog.unstable.entries
        ready.snapshot = raftLog.unstable.snapshot
        ready.committedEntries = raftLog.nextCommittedEntries()
        let currentHard = hardState
        if currentHard != previousHardState {
            ready.hardState = currentHard
            ready.mustSync = currentHard.term != previousHardState.term
                || currentHard.vote != previousHardState.vote
            previousHardState = currentHard
        }
        let currentSoft = softState
        if currentSoft != previousSoftState {
            ready.softState = currentSoft
            previousSoftState = currentSoft
        }
        ready.mustSync = ready.mustSync || !ready.entries.isEmpty || ready.snapshot != nil
        ready.messages = messages
        messages.removeAll(keepingCapacity: true)
        ready.readStates = readStates
        readStates.removeAll()
        readyMarks = ReadyMarks(
            lastEntry: ready.entries.last.map { ($0.index, $0.term) },
            snapshotIndex: ready.snapshot?.metadata.index,
            committedEntries: ready.committedEntries)
        return ready
    }

    /// The caller persisted, sent and applied the last `ready()`.
    public mutating func advance() {
        guard let marks = readyMarks else { return }
        readyMarks = nil
        if let snapshotIndex = marks.snapshotIndex {
            raftLog.unstable.stableSnapshotTo(index: snapshotIndex)
            if snapshotIndex > raftLog.applied && snapshotIndex <= raftLog.committed {
                raftLog.applied = snapshotIndex
            }
        }
        if let last = marks.lastEntry {
            raftLog.unstable.stableTo(index: last.index, term: last.term)
        }
        if role == .leader, let slot = tracker.slot(of: id) {
            // The leader counts its own entries only once they are durable, so a
            // single-node cluster never commits an unsynced entry (etcd-io/etcd#14370).
            if tracker.progress[slot].maybeUpdate(raftLog.persistedLastIndex) && maybeCommit() {
                broadcastPending = true
            }
        }
        applyCommitted(marks.committedEntries)
    }

    private mutating func applyCommitted(_ entries: [Entry]) {
        guard let last = entries.last, last.index > raftLog.applied else { return }
        var appliedBytes: UInt64 = 0
        for entry in entries where entry.index > raftLog.applied {
            appliedBytes += UInt64(entry.data.count)
            if entry.kind == .configurationChange {
                let change = RaftLog.must { () throws(RaftError) in
                    try ConfChange.decode(entry.data)
                }
                applyConfChange(change)
            }
        }
        raftLog.appliedTo(last.index)
        if role == .leader {
            uncommittedBytes -= min(uncommittedBytes, appliedBytes)
        }
    }
}
