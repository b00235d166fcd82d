/// The node's view of the log: persisted entries in `storage` plus the `unstable` tail,
/// and the commit and apply positions (etcd `log.go`).
struct RaftLog: @unchecked Sendable {
    // @unchecked: `storage` is `any RaftStorage`, which the protocol requires be Sendable.
    let storage: any RaftStorage
    var unstable: UnstableLog
    /// Highest index known committed. Invariant: applied <= committed <= lastIndex.
    var committed: UInt64
    /// Highest index handed to the caller for applying and acknowledged by `advance()`.
    var applied: UInt64
    let maxCommittedBytesPerReady: UInt64

    init(storage: any RaftStorage, maxCommittedBytesPerReady: UInt64) {
        self.storage = storage
        let first = RaftLog.must { () throws(RaftError) in try storage.firstIndex() }
        let last = RaftLog.must { () throws(RaftError) in try storage.lastIndex() }
        unstable = UnstableLog(offset: last + 1)
        committed = first - 1
        applied = first - 1
        self.maxCommittedBytesPerReady = maxCommittedBytesPerReady
    }

    /// Storage errors the core cannot recover from: without its log it cannot act safely,
    /// so it stops (etcd: "the raft instance will become inoperable").
    static func must<T>(_ body: () throws(RaftError) -> T) -> T {
        do throws(RaftError) {
            return try body()
        } catch {
            preconditionFailure("raft storage failed: \(error)")
        }
    }

    var firstIndex: UInt64 {
        unstable.firstIndexIfSnapshot
            ?? RaftLog.must { () throws(RaftError) in try storage.firstIndex() }
    }

    var lastIndex: UInt64 {
        unstable.lastIndex ?? RaftLog.must { () throws(RaftError) in try storage.lastIndex() }
    }

    /// Highest index the caller has persisted (the leader's own "acknowledgement").
    var persistedLastIndex: UInt64 { min(lastIndex, unstable.offset - 1) }

    /// The term of `index`; throws `.compacted` below `firstIndex - 1`, `.unavailable` above
    /// `lastIndex`.
    func term(_ index: UInt64) throws(RaftError) -> UInt64 {
        if let term = unstable.term(at: index) { return term }
        guard index <= lastIndex else { throw .unavailable }
        guard index >= firstIndex - 1 else { throw .compacted }
        do throws(RaftError) {
            return try storage.term(index)
        } catch .compacted {
            throw .compacted
        } catch .unavailable {
            throw .unavailable
        } catch {
            preconditionFailure("raft storage failed: \(error)")
        }
    }

    func termOrZero(_ index: UInt64) -> UInt64 { (try? term(index)) ?? 0 }

    var lastTerm: UInt64 {
        RaftLog.must { () throws(RaftError) in try term(lastIndex) }
    }

    func matchTerm(_ index: UInt64, _ term: UInt64) -> Bool {
        guard let known = try? self.term(index) else { return false }
        return known == term
    }

    /// §5.4.1: a log is at least as up to date if its last term is higher, or equal with
    /// an index at least as high.
    func isUpToDate(lastIndex candidateIndex: UInt64, term candidateTerm: UInt64) -> Bool {
        candidateTerm > lastTerm || (candidateTerm == lastTerm && candidateIndex >= lastIndex)
    }

    /// Figure 2 AppendEntries receiver rules 2-5. Returns the last new index, or nil when
    /// the log does not contain an entry at `index` whose term matches `logTerm`.
    mutating func maybeAppend(
        index: UInt64, logTerm: UInt64, committed leaderCommit: UInt64, entries: [Entry]
    ) -> UInt64? {
        guard matchTerm(index, logTerm) else { return nil }
        let lastNewIndex = index + UInt64(entries.count)
        let conflictIndex = findConflict(entries)
        if conflictIndex != 0 {
            // Rule 3: delete the conflicting entry and all after it; never a committed one.
            precondition(conflictIndex > committed,
                         "conflict at \(conflictIndex) <= committed \(committed)")
            append(entries[Int(conflictIndex - index - 1)...])
        }
        commitTo(min(leaderCommit, lastNewIndex))
        return lastNewIndex
    }

    /// The index of the first entry that is new or conflicts with the log, or 0.
    func findConflict(_ entries: [Entry]) -> UInt64 {
        for entry in entries where !matchTerm(entry.index, entry.term) {
            return entry.index
        }
        return 0
    }

    /// The largest index <= `index` whose term is <= `term`, with that term: where a log
    /// that has `term` at `index` could first agree with this one (fast log repair, §5.3).
    func findConflictByTerm(index: UInt64, term: UInt64) -> (index: UInt64, term: UInt64) {
        var candidate = min(index, lastIndex)
        while true {
            guard let known = try? self.term(candidate) else { return (candidate, 0) }
            if known <= term || candidate == 0 { return (candidate, known) }
            candidate -= 1
        }
    }

    @discardableResult
    mutating func append(_ entries: ArraySlice<Entry>) -> UInt64 {
        guard let first = entries.first else { return lastIndex }
        precondition(first.index > committed, "append at \(first.index) over committed")
        unstable.truncateAndAppend(entries)
        return lastIndex
    }

    /// Entries in `[lo, hi)` up to `maxBytes` (at least one).
    func slice(_ lo: UInt64, _ hi: UInt64, maxBytes: UInt64) throws(RaftError) -> [Entry] {
        guard lo < hi else { return [] }
        guard lo >= firstIndex else { throw .compacted }
        precondition(hi <= lastIndex + 1, "slice [\(lo), \(hi)) beyond last \(lastIndex)")
        var result: [Entry] = []
        if lo < unstable.offset {
            let storedHi = min(hi, unstable.offset)
            do throws(RaftError) {
                result = try storage.entries(lo, storedHi, maxBytes: maxBytes)
            } catch .compacted {
                throw .compacted
            } catch {
                preconditionFailure("raft storage failed: \(error)")
            }
            if UInt64(result.count) < storedHi - lo { return result }
        }
        if hi > unstable.offset {
            result.append(contentsOf: unstable.slice(max(lo, unstable.offset), hi))
        }
        return limitSize(result, maxBytes: maxBytes)
    }

    var hasNextCommittedEntries: Bool {
        unstable.snapshot == nil && committed > applied
    }

    /// Committed entries not yet applied, up to `maxCommittedBytesPerReady`.
    func nextCommittedEntries() -> [Entry] {
        guard hasNextCommittedEntries else { return [] }
        let lo = max(applied + 1, firstIndex)
        return RaftLog.must { () throws(RaftError) in
            try slice(lo, committed + 1, maxBytes: maxCommittedBytesPerReady)
        }
    }

    mutating func commitTo(_ index: UInt64) {
        guard index > committed else { return }
        precondition(index <= lastIndex, "commit \(index) beyond last index \(lastIndex)")
        committed = index
    }

    mutating func appliedTo(_ index: UInt64) {
        guard index != 0 else { return }
        precondition(index <= committed && index >= applied,
                     "applied \(index) outside [\(applied), \(committed)]")
        applied = index
    }

    /// §5.4.2: commit `index` only if its entry is from `term` (the leader's current term).
    mutating func maybeCommit(index: UInt64, term: UInt64) -> Bool {
        guard index > committed, termOrZero(index) == term else { return false }
        commitTo(index)
        return true
    }

    mutating func restore(_ snapshot: Snapshot) {
        committed = snapshot.metadata.index
        unstable.restore(snapshot)
    }

    func snapshot() throws(RaftError) -> Snapshot {
        if let snapshot = unstable.snapshot { return snapshot }
        return try storage.snapshot()
    }
}
