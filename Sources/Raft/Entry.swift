/// One record of the replicated log (Raft §5.3). The consensus core never looks inside
/// `data`: it is whatever the state machine above encoded (a KVStore command, a
/// configuration change).
public struct Entry: Sendable, Equatable {
    public enum Kind: UInt8, Sendable, Equatable {
        /// An application command; an empty `data` is the leader's no-op (§8, thesis §6.4).
        case normal = 0
        /// A membership change, encoded as `ConfChange`.
        case configurationChange = 1
    }

    public var term: UInt64
    public var index: UInt64
    public var kind: Kind
    public var data: [UInt8]

    public init(term: UInt64, index: UInt64, kind: Kind = .normal, data: [UInt8] = []) {
        self.term = term
        self.index = index
        self.kind = kind
        self.data = data
    }
}

/// The state Raft must persist before answering any message (Figure 2, "Persistent
/// state on all servers"), plus the commit index so a restart need not re-learn it.
public struct HardState: Sendable, Equatable {
    public var term: UInt64
    /// The node voted for in `term`, or 0 for none.
    public var vote: UInt64
    public var commit: UInt64

    public init(term: UInt64 = 0, vote: UInt64 = 0, commit: UInt64 = 0) {
        self.term = term
        self.vote = vote
        self.commit = commit
    }
}

/// Cluster membership as of some log index: voters count towards quorums, learners
/// only receive the log (thesis §4.2.1).
public struct ConfState: Sendable, Equatable {
    public var voters: [UInt64]
    public var learners: [UInt64]

    public init(voters: [UInt64] = [], learners: [UInt64] = []) {
        self.voters = voters
        self.learners = learners
    }
}

/// What a snapshot covers: every entry up to and including `index` (at `term`) is folded
/// into the state-machine image, under membership `confState` (§7).
public struct SnapshotMetadata: Sendable, Equatable {
    public var index: UInt64
    public var term: UInt64
    public var confState: ConfState

    public init(index: UInt64 = 0, term: UInt64 = 0, confState: ConfState = ConfState()) {
        self.index = index
        self.term = term
        self.confState = confState
    }
}

/// A state-machine image and the log position it stands for.
public struct Snapshot: Sendable, Equatable {
    public var metadata: SnapshotMetadata
    public var data: [UInt8]

    public init(metadata: SnapshotMetadata = SnapshotMetadata(), data: [UInt8] = []) {
        self.metadata = metadata
        self.data = data
    }
}
