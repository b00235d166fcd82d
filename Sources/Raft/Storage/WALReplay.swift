/// Rebuilds the logical log from records in file order (pure: no I/O).
///
/// Rules: the newest HardState wins; an entry at index i <= the last index replaces i and
/// drops everything after it (Raft §5.3: a follower's conflicting suffix is overwritten);
/// a snapshot marker drops entries at or below the replay point; an entry must follow the
/// previous one without a gap, and never lands at or behind the newest snapshot marker.
struct WALReplay {
    /// Where a record sits on disk, for error messages.
    struct Location: Equatable {
        var path: String
        var offset: Int
    }

    /// The snapshot the caller loaded, if it chose one; otherwise the newest marker is used.
    let callerSnapshotIndex: UInt64?
    var hardState = HardState()
    var entries: [Entry] = []
    var snapshot: SnapshotMetadata?
    /// The logical last index: the last entry written, or a newer snapshot marker.
    var lastIndex: UInt64 = 0
    /// Where the first entry of `entries` was read (start of the current contiguous run).
    var runStart: Location?

    init(callerSnapshotIndex: UInt64?) {
        self.callerSnapshotIndex = callerSnapshotIndex
    }

    /// Applies one record; returns why it is inconsistent with the log so far, or nil.
    mutating func apply(_ record: WALRecord, at location: Location) -> String? {
        switch record {
        case .segmentHeader:
            return "segment header in the middle of a segment"
        case .hardState(let state):
            hardState = state
            return nil
        case .snapshot(let metadata):
            if let snapshot, metadata.index < snapshot.index {
                return "snapshot marker \(metadata.index) is older than marker \(snapshot.index)"
            }
            snapshot = metadata
            lastIndex = max(lastIndex, metadata.index)
            dropEntries(upTo: min(metadata.index, callerSnapshotIndex ?? metadata.index))
            return nil
        case .entry(let entry):
            return apply(entry, at: location)
        }
    }

    private mutating func apply(_ entry: Entry, at location: Location) -> String? {
        if entry.index == 0 { return "entry with index 0" }
        if let snapshot, entry.index <= snapshot.index {
            return "entry \(entry.index) is at or behind snapshot marker \(snapshot.index)"
        }
        if let last = entries.last?.index, let first = entries.first?.index {
            if entry.index > last + 1 {
                return "entry \(entry.index) follows entry \(last): entries are missing"
            }
            if entry.index < first {
                entries.removeAll()
            } else if entry.index <= last {
                entries.removeLast(Int(last - entry.index + 1))
            }
        }
        if entries.isEmpty { runStart = location }
        entries.append(entry)
        lastIndex = entry.index
        return nil
    }

    private mutating func dropEntries(upTo index: UInt64) {
        guard let first = entries.first?.index, index >= first else { return }
        let count = min(entries.count, Int(index - first + 1))
        entries.removeFirst(count)
    }

    /// The index replay starts after: the caller's snapshot, else the newest marker.
    var startIndex: UInt64 { callerSnapshotIndex ?? snapshot?.index ?? 0 }

    /// Drops entries covered by the start point and checks the rest begins right after it.
    /// Returns why the log cannot supply the entries after `startIndex`, or nil.
    mutating func finish() -> String? {
        let start = startIndex
        dropEntries(upTo: start)
        if let first = entries.first?.index, first > start + 1 {
            return "entries resume at \(first) but replay starts after \(start): "
                + "entries \(start + 1)...\(first - 1) are missing"
        }
        if entries.isEmpty && lastIndex > start {
            return "the log's last index is \(lastIndex) but it holds no entries after \(start)"
        }
        return nil
    }
}
