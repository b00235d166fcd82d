/// How the leader replicates to one follower (etcd `tracker/progress.go`, `design.md`).
public enum ProgressState: Sendable, Equatable {
    /// One MsgApp per heartbeat until the follower's match index is found.
    case probe
    /// Optimistic pipelining, bounded by the in-flight window.
    case replicate
    /// The follower is behind the log's first index; a snapshot is being sent in chunks.
    case snapshot
}

/// The leader's view of one member. Invariant: 0 <= match < next.
struct Progress: Sendable {
    let id: UInt64
    var match: UInt64 = 0
    var next: UInt64
    var state: ProgressState = .probe
    /// The snapshot index being sent while in `.snapshot`.
    var pendingSnapshotIndex: UInt64 = 0
    /// Snapshot bytes the follower has acknowledged (the next chunk's offset).
    var snapshotOffsetBytes: UInt64 = 0
    /// Heard from since the last CheckQuorum period (thesis §6.2).
    var recentActive = false
    /// In `.probe`, a MsgApp is outstanding; cleared by a response or heartbeat response.
    var msgAppFlowPaused = false
    var inflights: Inflights
    var isLearner: Bool

    init(id: UInt64, next: UInt64, isLearner: Bool, inflights: Inflights) {
        self.id = id
        self.next = next
        self.isLearner = isLearner
        self.inflights = inflights
    }

    private mutating func reset(to newState: ProgressState) {
        msgAppFlowPaused = false
        pendingSnapshotIndex = 0
        snapshotOffsetBytes = 0
        state = newState
        inflights.reset()
    }

    mutating func becomeProbe() {
        // After a snapshot, the follower holds at least the snapshot.
        let floor = state == .snapshot ? max(match, pendingSnapshotIndex) : match
        reset(to: .probe)
        next = floor + 1
    }

    mutating func becomeReplicate() {
        reset(to: .replicate)
        next = match + 1
    }

    mutating func becomeSnapshot(index: UInt64) {
        reset(to: .snapshot)
        pendingSnapshotIndex = index
    }

    /// The follower acknowledged `index`; returns whether `match` moved.
    mutating func maybeUpdate(_ index: UInt64) -> Bool {
        var updated = false
        if match < index {
            match = index
            updated = true
            msgAppFlowPaused = false
        }
        next = max(next, index + 1)
        return updated
    }

    /// The follower rejected a MsgApp at `rejected`; `matchHint` is where its log may match.
    /// Returns false for stale rejections.
    mutating func maybeDecrTo(rejected: UInt64, matchHint: UInt64) -> Bool {
        if state == .replicate {
            guard rejected > match else { return false }
            next = match + 1
            return true
        }
        guard next - 1 == rejected else { return false }
        next = max(min(rejected, matchHint + 1), match + 1)
        msgAppFlowPaused = false
        return true
    }

    var isPaused: Bool {
        switch state {
        case .probe: return msgAppFlowPaused
        case .replicate: return inflights.isFull
        case .snapshot: return true
        }
    }

    /// A MsgApp with `count` entries ending at `next + count - 1` went out.
    mutating func sentEntries(count: Int, bytes: UInt64) {
        switch state {
        case .replicate:
            if count > 0 {
                next += UInt64(count)
                inflights.add(index: next - 1, bytes: bytes)
            }
        case .probe:
            if count > 0 { msgAppFlowPaused = true }
        case .snapshot:
            preconditionFailure("sending entries to \(id) while it receives a snapshot")
        }
    }
}

/// A member's replication state as reported by `RaftCore.status`.
public struct PeerProgress: Sendable, Equatable {
    public var id: UInt64
    public var match: UInt64
    public var next: UInt64
    public var state: ProgressState
    public var isLearner: Bool
    public var recentActive: Bool
    public var inflightCount: Int
}
