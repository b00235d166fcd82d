import Synchronization

/// An in-memory `RaftStorage` for tests and the simulator: the reference semantics the
/// disk-backed storage must match. Locked because the Ready loop and a snapshotting task
/// may share it.
public final class MemoryStorage: RaftStorage {
    private struct State {
        var hardState = HardState()
        var snapshot = Snapshot()
        /// Index and term of the entry just before `entries` (the compaction point).
        var offsetIndex: UInt64 = 0
        var offsetTerm: UInt64 = 0
        /// Entries `offsetIndex + 1 ...`.
        var entries: [Entry] = []

        var lastIndex: UInt64 { offsetIndex + UInt64(entries.count) }
    }

    private let state: Mutex<State>

    /// An empty log. `confState` is the bootstrap membership reported by `initialState()`
    /// until a snapshot replaces it.
    public init(confState: ConfState = ConfState()) {
        var initial = State()
        initial.snapshot.metadata.confState = confState
        state = Mutex(initial)
    }

    public func initialState() throws(RaftError) -> (HardState, ConfState) {
        state.withLock { ($0.hardState, $0.snapshot.metadata.confState) }
    }

    public func entries(
        _ lo: UInt64, _ hi: UInt64, maxBytes: UInt64
    ) throws(RaftError) -> [Entry] {
        try state.withLock { (s: inout State) throws(RaftError) -> [Entry] in
            guard lo > s.offsetIndex else { throw .compacted }
            guard hi <= s.lastIndex + 1 else { throw .unavailable }
            guard lo < hi else { return [] }
            let start = Int(lo - s.offsetIndex - 1)
            let end = Int(hi - s.offsetIndex - 1)
            return limitSize(Array(s.entries[start..<end]), maxBytes: maxBytes)
        }
    }

    public func term(_ index: UInt64) throws(RaftError) -> UInt64 {
        try state.withLock { (s: inout State) throws(RaftError) -> UInt64 in
            guard index >= s.offsetIndex else { throw .compacted }
            guard index <= s.lastIndex else { throw .unavailable }
            if index == s.offsetIndex { return s.offsetTerm }
            return s.entries[Int(index - s.offsetIndex - 1)].term
        }
    }

    public func firstIndex() throws(RaftError) -> UInt64 {
        state.withLock { $0.offsetIndex + 1 }
    }

    public func lastIndex() throws(RaftError) -> UInt64 {
        state.withLock { $0.lastIndex }
    }

    public func snapshot() throws(RaftError) -> Snapshot {
        state.withLock { $0.snapshot }
    }

    /// The index the newest snapshot covers (0 before any).
    public var snapshotIndex: UInt64 {
        state.withLock { $0.snapshot.metadata.index }
    }

    public func setHardState(_ hardState: HardState) {
        state.withLock { $0.hardState = hardState }
    }

    /// Replaces the whole log with `snapshot` (a follower installing a leader's snapshot).
    public func applySnapshot(_ snapshot: Snapshot) throws(RaftError) {
        try state.withLock { (s: inout State) throws(RaftError) in
            guard snapshot.metadata.index > s.snapshot.metadata.index else {
                throw .snapshotOutOfDate
            }
            s.snapshot = snapshot
            s.offsetIndex = snapshot.metadata.index
            s.offsetTerm = snapshot.metadata.term
            s.entries = []
        }
    }

    /// Records a snapshot of the state machine at `index` (<= applied); call `compact`
    /// afterwards to drop the entries it covers.
    @discardableResult
    public func createSnapshot(
        index: UInt64, confState: ConfState, data: [UInt8]
    ) throws(RaftError) -> Snapshot {
        try state.withLock { (s: inout State) throws(RaftError) -> Snapshot in
            guard index > s.snapshot.metadata.index else { throw .snapshotOutOfDate }
            guard index <= s.lastIndex else { throw .unavailable }
            let term =
                index == s.offsetIndex
                ? s.offsetTerm : s.entries[Int(index - s.offsetIndex - 1)].term
            let metadata = SnapshotMetadata(index: index, term: term, confState: confState)
            s.snapshot = Snapshot(metadata: metadata, data: data)
            return s.snapshot
        }
    }

    /// Drops the entries up to and including `index`; a snapshot must cover them.
    public func compact(_ index: UInt64) throws(RaftError) {
        try state.withLock { (s: inout State) throws(RaftError) in
            guard index > s.offsetIndex else { throw .compacted }
            guard index <= s.lastIndex else { throw .unavailable }
            let dropCount = Int(index - s.offsetIndex)
            s.offsetTerm = s.entries[dropCount - 1].term
            s.entries.removeFirst(dropCount)
            s.offsetIndex = index
        }
    }

    /// Appends `entries` (consecutive indexes), replacing any persisted suffix from the
    /// first new index on (etcd README "Usage" step 1). Entries at or below the compaction
    /// point are skipped.
    public func append(_ entries: [Entry]) {
        guard var first = entries.first?.index else { return }
        state.withLock { (s: inout State) in
            var newEntries = entries[...]
            if first <= s.offsetIndex {
                newEntries = newEntries.dropFirst(Int(s.offsetIndex + 1 - first))
                guard let next = newEntries.first?.index else { return }
                first = next
            }
            precondition(first <= s.lastIndex + 1, "append leaves a gap in the log")
            s.entries.removeSubrange(Int(first - s.offsetIndex - 1)...)
            s.entries.append(contentsOf: newEntries)
        }
    }
}
