/// Entries (and possibly a snapshot) the core has accepted but the caller has not yet
/// persisted. `ready()` hands them out; `advance()` marks them stable (etcd
/// `log_unstable.go`).
struct UnstableLog: Sendable {
    /// A snapshot received from the leader, to be persisted before any entry after it.
    var snapshot: Snapshot?
    var entries: [Entry] = []
    /// Index of `entries[0]`, or of the next entry if `entries` is empty.
    /// Invariant: entries[i].index == offset + i.
    var offset: UInt64

    init(offset: UInt64) { self.offset = offset }

    var firstIndexIfSnapshot: UInt64? { snapshot.map { $0.metadata.index + 1 } }

    var lastIndex: UInt64? {
        if !entries.isEmpty { return offset + UInt64(entries.count) - 1 }
        return snapshot?.metadata.index
    }

    func term(at index: UInt64) -> UInt64? {
        if index < offset {
            guard let metadata = snapshot?.metadata, metadata.index == index else { return nil }
            return metadata.term
        }
        guard let last = lastIndex, index <= last else { return nil }
        return entries[Int(index - offset)].term
    }

    /// The caller persisted everything up to `index` at `term`. Ignored if the entry was
    /// replaced meanwhile (the term no longer matches).
    mutating func stableTo(index: UInt64, term: UInt64) {
        guard index >= offset, let known = self.term(at: index), known == term else { return }
        entries.removeFirst(Int(index + 1 - offset))
        offset = index + 1
    }

    mutating func stableSnapshotTo(index: UInt64) {
        if snapshot?.metadata.index == index { snapshot = nil }
    }

    mutating func restore(_ newSnapshot: Snapshot) {
        offset = newSnapshot.metadata.index + 1
        entries = []
        snapshot = newSnapshot
    }

    /// Appends `newEntries`, first dropping any held entries from `newEntries[0].index` on.
    mutating func truncateAndAppend(_ newEntries: ArraySlice<Entry>) {
        guard let from = newEntries.first?.index else { return }
        let end = offset + UInt64(entries.count)
        if from == end {
            entries.append(contentsOf: newEntries)
        } else if from <= offset {
            // The whole unstable tail (and a persisted suffix) is replaced.
            offset = from
            entries = Array(newEntries)
        } else {
            entries.removeSubrange(Int(from - offset)...)
            entries.append(contentsOf: newEntries)
        }
    }

    func slice(_ lo: UInt64, _ hi: UInt64) -> ArraySlice<Entry> {
        precondition(lo >= offset && lo <= hi && hi <= offset + UInt64(entries.count),
                     "unstable slice [\(lo), \(hi)) out of [\(offset), +\(entries.count))")
        return entries[Int(lo - offset)..<Int(hi - offset)]
    }
}
