/// Parameters of one Raft node. Times are in ticks: the caller decides how long a tick is
/// (etcd `doc.go`: "internally to the raft package time is represented by an abstract
/// tick").
public struct RaftConfig: Sendable {
    /// This node's id; never 0 (0 means "none" in votes and leader fields).
    public var id: UInt64
    /// A follower that hears nothing from a leader for a random number of ticks in
    /// `[electionTicks, 2 * electionTicks)` starts an election (§5.2). Also the CheckQuorum
    /// period and the vote-lease length (thesis §4.2.3).
    public var electionTicks: Int = 10
    /// The leader sends heartbeats every this many ticks; must be < `electionTicks`.
    public var heartbeatTicks: Int = 1
    /// The last index the caller's state machine has applied (after a restart); committed
    /// entries up to it are not handed out again.
    public var appliedIndex: UInt64 = 0
    /// Upper bound on the entry bytes in one MsgApp; several proposals batch into one
    /// message up to this size (etcd `MaxSizePerMsg`). At least one entry is always sent.
    public var maxSizePerMsgBytes: UInt64 = 1 << 20
    /// Upper bound on the bytes of committed entries handed out by one `ready()`.
    public var maxCommittedBytesPerReady: UInt64 = 64 << 20
    /// Proposal payload bytes the leader accepts before they commit; beyond it `propose`
    /// throws `.uncommittedBytesLimit` (etcd `MaxUncommittedEntriesSize`) so a leader
    /// without quorum cannot grow its log without bound.
    public var uncommittedEntriesBytesMax: UInt64 = 256 << 20
    /// MsgApps in flight to one follower in the replicate state (pipelining window).
    public var maxInflightMsgs: Int = 256
    /// Entry bytes in flight to one follower; bounds the bandwidth-delay product.
    public var maxInflightBytes: UInt64 = 32 << 20
    /// Bytes of snapshot data per InstallSnapshot chunk (§7, Figure 13 "offset", "done").
    public var snapshotChunkBytes: Int = 1 << 20
    /// Run a PreVote round before a real election (thesis §9.6).
    public var preVote: Bool = true
    /// The leader steps down without recent contact from a quorum, and nodes that heard
    /// from a leader within an election timeout ignore vote requests (thesis §6.2, §4.2.3).
    public var checkQuorum: Bool = true
    /// A follower refuses proposals with `.notLeader` instead of forwarding them to its
    /// leader in a `.propose` message (etcd `DisableProposalForwarding`): for callers that
    /// want to redirect clients themselves rather than wait on a forward that may be lost.
    public var disableProposalForwarding: Bool = false
    /// Seed of the node's private generator for randomized election timeouts.
    public var randomSeed: UInt64
    /// Planted bugs for testing the test harnesses. TEST-ONLY: never set in production.
    public var testingFaults: TestingFaults = []

    public init(id: UInt64, randomSeed: UInt64? = nil) {
        self.id = id
        self.randomSeed = randomSeed ?? id
    }

    /// Checks the parameters against each other and the hard limits.
    public func validate() throws(RaftError) {
        guard id != 0 else { throw .invalidConfig(.idZero) }
        guard heartbeatTicks > 0 else { throw .invalidConfig(.heartbeatTicksNotPositive) }
        guard electionTicks > heartbeatTicks else {
            throw .invalidConfig(.electionTicksNotAboveHeartbeat)
        }
        guard maxInflightMsgs > 0, maxInflightBytes > 0 else {
            throw .invalidConfig(.inflightLimitsNotPositive)
        }
        guard maxSizePerMsgBytes > 0, maxCommittedBytesPerReady > 0 else {
            throw .invalidConfig(.messageSizeNotPositive)
        }
        guard snapshotChunkBytes > 0, snapshotChunkBytes < RaftLimits.messageBytesMax / 2 else {
            throw .invalidConfig(.snapshotChunkBytesOutOfRange)
        }
    }
}

/// Deliberate protocol bugs that a simulator or checker must be able to catch.
/// TEST-ONLY: they break safety on purpose. The default is empty.
public struct TestingFaults: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The leader commits whatever it appended without waiting for a quorum (§5.3 broken).
    public static let commitWithoutQuorum = TestingFaults(rawValue: 1 << 0)
    /// Harness-side: on restart, the harness should drop the persisted vote (Figure 2 broken).
    /// The core only carries the flag so that one config describes the whole run.
    public static let forgetVoteOnRestart = TestingFaults(rawValue: 1 << 1)
    /// The leader answers ReadIndex before its no-op commits (thesis §6.4 step 1 broken).
    public static let serveReadIndexBeforeNoOpCommit = TestingFaults(rawValue: 1 << 2)
    /// The leader answers ReadIndex without the heartbeat quorum round (§6.4 step 3 broken).
    public static let serveReadIndexWithoutQuorum = TestingFaults(rawValue: 1 << 3)
}
