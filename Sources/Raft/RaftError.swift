/// Operating errors of the Raft core. Broken invariants are `precondition`s instead.
public enum RaftError: Error, Equatable, Sendable {
    /// A proposal, conf change, read or transfer request was refused; see the reason.
    case proposalDropped(DropReason)
    /// The storage no longer holds the requested index: it was folded into a snapshot.
    case compacted
    /// The storage does not hold the requested index yet.
    case unavailable
    /// The snapshot offered is older than what the storage already holds.
    case snapshotOutOfDate
    /// The storage is producing a snapshot; the core retries later (etcd `storage.go`).
    case snapshotTemporarilyUnavailable
    /// `RaftConfig.validate()` refused the configuration.
    case invalidConfig(ConfigProblem)
    /// `Message.decode` or `ConfChange.decode` met bytes that are not a valid encoding.
    case malformed(MalformedReason)

    public enum DropReason: Equatable, Sendable {
        /// This node does not accept or forward the request (a conf change on a follower,
        /// or any proposal with `disableProposalForwarding`); the caller redirects to
        /// `status.lead`.
        case notLeader
        /// No leader is known, so a follower cannot forward the request.
        case noLeader
        /// Proposals pause during a leadership transfer (thesis §3.10).
        case leadershipTransferInProgress
        /// `RaftConfig.uncommittedEntriesBytesMax` would be exceeded.
        case uncommittedBytesLimit(limit: UInt64)
        /// A configuration change is still unapplied: one change at a time (thesis §4.1).
        case confChangePending
        /// The leader has not committed an entry of its own term yet (thesis §4.1 erratum).
        case leaderTermNotCommitted
        /// The change would not change membership or would remove the last voter.
        case confChangeInvalid
        /// The cluster already has `RaftLimits.membersMax` members.
        case tooManyMembers(limit: Int)
        /// `RaftLimits.pendingReadIndexMax` read requests are already waiting.
        case tooManyPendingReads(limit: Int)
        /// A read with the same context is already pending; contexts must be unique.
        case duplicateReadContext
        /// A read context must be 1...`RaftLimits.contextBytesMax` bytes.
        case badReadContext
        /// The transfer target is not a voter of the current configuration.
        case transfereeNotVoter
        /// A proposal must carry at least one entry and at most
        /// `RaftLimits.entriesPerMessageMax`.
        case badProposalSize
        /// A follower cannot forward a batch of more than
        /// `RaftLimits.forwardedProposalBytesMax` payload bytes in one message.
        case forwardedProposalBytesLimit(limit: Int)
        /// A `ConfChange.context` longer than `RaftLimits.confChangeContextBytesMax`.
        case confChangeContextTooLarge(limit: Int)
    }

    public enum ConfigProblem: Equatable, Sendable {
        case idZero
        case heartbeatTicksNotPositive
        case electionTicksNotAboveHeartbeat
        case inflightLimitsNotPositive
        case messageSizeNotPositive
        case snapshotChunkBytesOutOfRange
    }

    public enum MalformedReason: Equatable, Sendable {
        case truncated
        case tooLarge
        case badVersion
        case badMessageType
        case badEntryKind
        case badConfChangeKind
        case varintOverflow
        case countOverLimit
        case trailingBytes
    }
}
