/// One Raft RPC, request or response (Figure 2, Figure 13, thesis §3.10, §6.4, §9.6).
/// The peer transport frames and carries `encode()`d bytes; the core only sees values.
public struct Message: Sendable, Equatable {
    public enum Kind: UInt8, Sendable, Equatable, CaseIterable {
        /// AppendEntries (§5.3): `index`/`logTerm` locate the entry before `entries`.
        case append = 1
        /// `index` is the follower's last matching index, or on reject the probed index with
        /// `rejectHint`/`logTerm` pointing at where the follower's log could match.
        case appendResponse = 2
        /// RequestVote (§5.2); `index`/`logTerm` describe the candidate's last entry.
        case vote = 3
        case voteResponse = 4
        /// PreVote (thesis §9.6): "would you vote for me at `term`?"; changes no term.
        case preVote = 5
        case preVoteResponse = 6
        /// Leader keep-alive carrying `commit`; also the ReadIndex quorum round (`context`).
        case heartbeat = 7
        case heartbeatResponse = 8
        /// One chunk of InstallSnapshot (Figure 13): `snapshotMetadata`, `snapshotOffset`,
        /// `snapshotChunk`, `snapshotDone`.
        case snapshot = 9
        /// Chunk acknowledgement: `snapshotOffset` is the number of bytes assembled so far.
        case snapshotResponse = 10
        /// Leadership transfer: the leader tells its caught-up transferee to campaign now.
        case timeoutNow = 11
        /// A follower asks the leader for a read index for `context` (thesis §6.4).
        case readIndex = 12
        /// The leader's answer: reads of `context` may be served once applied >= `index`.
        case readIndexResponse = 13
        /// A follower forwards a leadership-transfer request; `from` is the transferee.
        case transferLeader = 14
        /// A follower forwards client proposals to its leader (etcd `MsgProp`, thesis §6.2):
        /// `entries` hold the commands (term and index 0; the leader numbers them).
        case propose = 15
        /// A request or answer between the servers above Raft (a lease keep-alive forwarded
        /// to the leader), carried in `context`. The core ignores it: drivers handle it
        /// before `step`. It rides the peer links so no second channel is needed.
        case application = 16
    }

    public var kind: Kind
    public var from: UInt64
    public var to: UInt64
    public var term: UInt64
    public var logTerm: UInt64
    public var index: UInt64
    public var entries: [Entry]
    public var commit: UInt64
    public var reject: Bool
    public var rejectHint: UInt64
    /// Vote requests sent because of a leadership transfer may disrupt a leader's lease.
    public var isLeadershipTransfer: Bool
    /// The snapshot a `.snapshot` chunk belongs to.
    public var snapshotMetadata: SnapshotMetadata?
    /// Byte offset of `snapshotChunk` in the snapshot data (or bytes assembled, in a response).
    public var snapshotOffset: UInt64
    public var snapshotChunk: [UInt8]
    /// The chunk is the last one of the snapshot.
    public var snapshotDone: Bool
    /// Opaque request id of a ReadIndex round (at most `RaftLimits.contextBytesMax` bytes).
    public var context: [UInt8]

    public init(
        kind: Kind, from: UInt64, to: UInt64, term: UInt64, logTerm: UInt64 = 0,
        index: UInt64 = 0, entries: [Entry] = [], commit: UInt64 = 0, reject: Bool = false,
        rejectHint: UInt64 = 0, isLeadershipTransfer: Bool = false,
        snapshotMetadata: SnapshotMetadata? = nil, snapshotOffset: UInt64 = 0,
        snapshotChunk: [UInt8] = [], snapshotDone: Bool = false, context: [UInt8] = []
    ) {
        self.kind = kind
        self.from = from
        self.to = to
        self.term = term
        self.logTerm = logTerm
        self.index = index
        self.entries = entries
        self.commit = commit
        self.reject = reject
        self.rejectHint = rejectHint
        self.isLeadershipTransfer = isLeadershipTransfer
        self.snapshotMetadata = snapshotMetadata
        self.snapshotOffset = snapshotOffset
        self.snapshotChunk = snapshotChunk
        self.snapshotDone = snapshotDone
        self.context = context
    }
}

extension Message.Kind {
    /// The response kind that answers a vote request of this kind.
    var voteResponseKind: Message.Kind {
        self == .preVote ? .preVoteResponse : .voteResponse
    }
}
