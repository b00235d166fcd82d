/// The node's role (§5.1, plus the PreVote phase of thesis §9.6).
public enum RaftRole: Sendable, Equatable {
    case follower
    case preCandidate
    case candidate
    case leader
}

/// Volatile state worth reporting when it changes: who leads and what this node is.
public struct SoftState: Sendable, Equatable {
    public var lead: UInt64
    public var role: RaftRole
}

/// The answer to a ReadIndex request (thesis §6.4): the state machine may serve the read
/// identified by `context` once it has applied `index`.
public struct ReadState: Sendable, Equatable {
    public var index: UInt64
    public var context: [UInt8]

    public init(index: UInt64, context: [UInt8]) {
        self.index = index
        self.context = context
    }
}

/// The work the core hands out after `tick`/`step`/`propose`; see `RaftCore.ready()`.
///
/// The contract, in order (etcd-io/raft README "Usage"):
/// 1. Persist `entries` (discarding any persisted entries at or after the first one's
///    index), then `hardState` and `snapshot`. Sync durably when `mustSync`.
/// 2. Only then send `messages`: a vote or an acknowledgement must never leave the node
///    before the state it promises is durable (Figure 2, "Persistent state").
/// 3. Apply `snapshot` (if any), then `committedEntries` in order. Committed entries may
///    include entries of this same Ready's `entries`; step 1 has persisted them already.
///    Serve `readStates` once the applied index reaches each `index`.
/// 4. Call `RaftCore.advance()`.
public struct Ready: Sendable, Equatable {
    /// Set when the leader or role changed since the last Ready.
    public var softState: SoftState?
    /// Set when term, vote or commit changed since the last Ready.
    public var hardState: HardState?
    public var readStates: [ReadState] = []
    /// Entries to persist before sending `messages`.
    public var entries: [Entry] = []
    /// A snapshot received from the leader, to persist and apply.
    public var snapshot: Snapshot?
    /// Entries known committed, to apply in order after persisting. A `.configurationChange`
    /// entry carries `ConfChange.encode()` in `data`: the application decodes it to update
    /// its member table (from `ConfChange.context`); the core applies the membership change
    /// itself in `advance()`.
    public var committedEntries: [Entry] = []
    /// Messages to send after persisting.
    public var messages: [Message] = []
    /// Whether the writes must be synced (entries, snapshot, or a term or vote change);
    /// a commit-index change alone need not be (etcd `rawnode.go: MustSync`).
    public var mustSync: Bool = false

    public init() {}

    /// True when the Ready carries nothing to do.
    public var isEmpty: Bool {
        softState == nil && hardState == nil && readStates.isEmpty && entries.isEmpty
            && snapshot == nil && committedEntries.isEmpty && messages.isEmpty
    }
}

/// A snapshot of the node's state for tests, simulators and operators.
public struct RaftStatus: Sendable, Equatable {
    public var id: UInt64
    public var term: UInt64
    public var vote: UInt64
    public var role: RaftRole
    public var lead: UInt64
    public var commit: UInt64
    public var applied: UInt64
    public var lastIndex: UInt64
    public var leadTransferee: UInt64
    public var confState: ConfState
    /// Per-member replication state; filled only on the leader.
    public var progress: [PeerProgress]
}
