/// A pure, deterministic Raft node (Ongaro & Ousterhout 2014, the thesis, and the
/// etcd-io/raft shape). It never touches sockets, files, clocks, threads or global
/// randomness: the caller feeds it `tick()`s, peer `Message`s and requests, then takes the
/// resulting work from `ready()` and confirms it with `advance()` (see `Ready`).
///
/// Configuration changes take effect when their entry is APPLIED (etcd style, "equivalent
/// in terms of safety" to the thesis's on-append rule): `advance()` applies every
/// `.configurationChange` entry it hands out in `Ready.committedEntries`, in log order.
/// Together with "one pending change at a time" and "no change before the leader commits
/// an entry of its term" this avoids the single-server-change bug (thesis §4.1 erratum).
public struct RaftCore: Sendable {
    public let id: UInt64
    let config: RaftConfig
    var term: UInt64 = 0
    /// The candidate voted for in `term`, or 0.
    var vote: UInt64 = 0
    /// The leader of `term` as far as this node knows, or 0.
    var lead: UInt64 = 0
    var role: RaftRole = .follower
    var raftLog: RaftLog
    var tracker: ProgressTracker
    /// Outbound messages, drained by `ready()`.
    var messages: [Message] = []
    var readStates: [ReadState] = []
    var readOnly = ReadOnlyQueue()
    /// ReadIndex requests held until the leader commits its first entry (thesis §6.4 step 1).
    var pendingReadIndexMessages: [Message] = []
    var electionElapsed = 0
    var heartbeatElapsed = 0
    /// Drawn from `[electionTicks, 2 * electionTicks)` at every role change (§5.2).
    var randomizedElectionTimeout = 0
    /// The node a leadership transfer is handing over to, or 0.
    var leadTransferee: UInt64 = 0
    /// Index of the latest configuration-change entry; no new change until it is applied.
    var pendingConfIndex: UInt64 = 0
    /// Payload bytes appended by this leader and not yet applied.
    var uncommittedBytes: UInt64 = 0
    var generator: SeededGenerator
    /// Chunks of a snapshot being received from the leader.
    var incomingSnapshot: IncomingSnapshot?
    /// Proposals or a commit advance wait to be broadcast at the next `ready()`, so that
    /// every proposal since the last Ready batches into one MsgApp per follower.
    var broadcastPending = false
    var previousHardState: HardState
    var previousSoftState = SoftState(lead: 0, role: .follower)
    /// What the last `ready()` handed out, for `advance()` to acknowledge.
    var readyMarks: ReadyMarks?

    struct IncomingSnapshot: Sendable {
        var metadata: SnapshotMetadata
        var data: [UInt8]
    }

    struct ReadyMarks: Sendable {
        var lastEntry: (index: UInt64, term: UInt64)?
        var snapshotIndex: UInt64?
        var committedEntries: [Entry]
    }

    /// Loads term, vote, commit and membership from `storage`.
    public init(config: RaftConfig, storage: any RaftStorage) throws(RaftError) {
        try config.validate()
        let (hardState, confState) = try storage.initialState()
        id = config.id
        self.config = config
        generator = SeededGenerator(seed: config.randomSeed)
        raftLog = RaftLog(
            storage: storage, maxCommittedBytesPerReady: config.maxCommittedBytesPerReady)
        tracker = ProgressTracker(
            confState: confState, inflightCapacity: config.maxInflightMsgs,
            inflightBytesMax: config.maxInflightBytes)
        previousHardState = hardState
        if hardState != HardState() {
            precondition(hardState.commit <= raftLog.lastIndex,
                         "hard state commit \(hardState.commit) beyond the log")
            raftLog.commitTo(hardState.commit)
            term = hardState.term
            vote = hardState.vote
        }
        if config.appliedIndex > 0 {
            raftLog.appliedTo(min(config.appliedIndex, raftLog.committed))
        }
        becomeFollower(term: term, lead: 0)
    }

    // MARK: - Derived state

    var hardState: HardState { HardState(term: term, vote: vote, commit: raftLog.committed) }
    var softState: SoftState { SoftState(lead: lead, role: role) }

    /// Only voters may campaign, and not while a snapshot is being installed.
    var isPromotable: Bool { tracker.isVoter(id) && raftLog.unstable.snapshot == nil }

    /// The leader this node knows of (0: none); `status.lead` without building a status.
    public var leader: UInt64 { lead }

    public var status: RaftStatus {
        let peers = role != .leader ? [] : tracker.progress.map { pr in
            PeerProgress(
                id: pr.id, match: pr.match, next: pr.next, state: pr.state,
                isLearner: pr.isLearner, recentActive: pr.recentActive,
                inflightCount: pr.inflights.count)
        }
        return RaftStatus(
            id: id, term: term, vote: vote, role: role, lead: lead,
            commit: raftLog.committed, applied: raftLog.applied, lastIndex: raftLog.lastIndex,
            leadTransferee: leadTransferee, confState: tracker.confState, progress: peers)
    }

    // MARK: - Ticks

    /// Advances logical time by one tick.
    public mutating func tick() {
        if role == .leader {
            tickHeartbeat()
        } else {
            tickElection()
        }
    }

    private mutating func tickElection() {
        electionElapsed += 1
        guard isPromotable, electionElapsed >= randomizedElectionTimeout else { return }
        electionElapsed = 0
        campaign()
    }

    private mutating func tickHeartbeat() {
        heartbeatElapsed += 1
        electionElapsed += 1
        if electionElapsed >= config.electionTicks {
            electionElapsed = 0
            if config.checkQuorum {
                // Thesis §6.2: a leader that cannot reach a quorum steps down so that
                // clients look for the real leader.
                guard tracker.isQuorumActive(selfID: id) else {
                    becomeFollower(term: term, lead: 0)
                    return
                }
                for slot in tracker.progress.indices where tracker.progress[slot].id != id {
                    tracker.progress[slot].recentActive = false
                }
            }
            // Thesis §3.10: a transfer that did not finish within an election timeout is
            // abandoned so the leader accepts proposals again.
            if leadTransferee != 0 { leadTransferee = 0 }
        }
        if heartbeatElapsed >= config.heartbeatTicks {
            heartbeatElapsed = 0
            broadcastHeartbeat(context: readOnly.lastContext)
        }
    }

    // MARK: - Role transitions

    /// Everything that is per-term or per-role starts over.
    private mutating func reset(term newTerm: UInt64) {
        if term != newTerm {
            term = newTerm
            vote = 0
        }
        lead = 0
        electionElapsed = 0
        heartbeatElapsed = 0
        randomizedElectionTimeout = config.electionTicks
            + Int.random(in: 0..<config.electionTicks, using: &generator)
        leadTransferee = 0
        tracker.resetVotes()
        tracker.resetProgress(next: raftLog.lastIndex + 1)
        pendingConfIndex = 0
        uncommittedBytes = 0
        readOnly.reset()
        pendingReadIndexMessages.removeAll()
        broadcastPending = false
    }

    mutating func becomeFollower(term newTerm: UInt64, lead newLead: UInt64) {
        reset(term: newTerm)
        lead = newLead
        role = .follower
    }

    mutating func becomePreCandidate() {
        precondition(role != .leader, "invalid transition leader -> pre-candidate")
        // PreVote changes no term and no vote; it forgets the leader (etcd-io/etcd#8334),
        // or PreVote + CheckQuorum can fail to elect anyone (etcd-io/etcd#9586).
        tracker.resetVotes()
        lead = 0
        role = .preCandidate
    }

    mutating func becomeCandidate() {
        precondition(role != .leader, "invalid transition leader -> candidate")
        reset(term: term + 1)
        vote = id
        role = .candidate
    }

    mutating func becomeLeader() {
        precondition(role == .candidate, "invalid transition \(role) -> leader")
        reset(term: term)
        lead = id
        role = .leader
        if let slot = tracker.slot(of: id) {
            tracker.progress[slot].match = raftLog.persistedLastIndex
            tracker.progress[slot].becomeReplicate()
            tracker.progress[slot].recentActive = true
        }
        // Any configuration entry already in the log must be applied before a new one.
        pendingConfIndex = raftLog.lastIndex
        // §8 / thesis §6.4: commit a no-op to learn the commit index of earlier terms;
        // ReadIndex and conf changes wait for it.
        appendEntries([Entry(term: term, index: 0)])
    }

    // MARK: - Messages in

    /// Handles one message from a peer. Stale, misaddressed or unexpected messages are
    /// dropped: the network may duplicate, delay and reorder anything.
    public mutating func step(_ message: Message) {
        guard message.to == id, message.from != id, message.from != 0 else { return }
        guard message.kind != .application else { return }  // not Raft's business
        guard checkTerm(of: message) else { return }
        switch message.kind {
        case .vote, .preVote:
            handleVoteRequest(message)
        default:
            switch role {
            case .leader: stepLeader(message)
            case .candidate, .preCandidate: stepCandidate(message)
            case .follower: stepFollower(message)
            }
        }
    }

    /// Figure 2, "Rules for all servers": a higher term turns this node into a follower;
    /// a lower term is stale. Returns whether to go on handling the message.
    private mutating func checkTerm(of message: Message) -> Bool {
        if message.term > term {
            if message.kind == .vote || message.kind == .preVote {
                // Thesis §4.2.3: within an election timeout of hearing from a leader, ignore
                // vote requests, unless they come from a leadership transfer.
                let inLease = lead != 0 && electionElapsed < config.electionTicks
                    && (config.checkQuorum || message.kind == .preVote)
                if inLease && !message.isLeadershipTransfer { return false }
            }
            switch message.kind {
            case .preVote:
                break  // A PreVote never changes the local term (thesis §9.6).
            case .preVoteResponse where !message.reject:
                break  // Granted for the future term we asked about.
            case .append, .heartbeat, .snapshot:
                becomeFollower(term: message.term, lead: message.from)
            default:
                becomeFollower(term: message.term, lead: 0)
            }
            return true
        }
        if message.term < term {
            if (config.checkQuorum || config.preVote)
                && (message.kind == .heartbeat || message.kind == .append) {
                // A node whose votes were ignored may sit at a higher term; answering tells
                // the stale leader, which then steps down (etcd `Step`).
                send(Message(kind: .appendResponse, from: id, to: message.from, term: term))
            } else if message.kind == .preVote {
                send(Message(kind: .preVoteResponse, from: id, to: message.from, term: term,
                             reject: true))
            }
            return false
        }
        return true
    }

    private mutating func stepLeader(_ message: Message) {
        switch message.kind {
        case .appendResponse: handleAppendResponse(message)
        case .heartbeatResponse: handleHeartbeatResponse(message)
        case .snapshotResponse: handleSnapshotResponse(message)
        case .readIndex: handleForwardedReadIndex(message)
        case .transferLeader: try? startTransfer(to: message.index)
        case .propose: handleForwardedProposal(message)
        default: break
        }
    }

    private mutating func stepCandidate(_ message: Message) {
        switch message.kind {
        case .append, .heartbeat, .snapshot:
            // §5.2: a candidate that hears from a leader of its term steps down.
            becomeFollower(term: message.term, lead: message.from)
            stepFollower(message)
        case .voteResponse where role == .candidate,
             .preVoteResponse where role == .preCandidate:
            handleVoteResponse(message)
        default:
            break
        }
    }

    private mutating func stepFollower(_ message: Message) {
        switch message.kind {
        case .append:
            electionElapsed = 0
            lead = message.from
            handleAppend(message)
        case .heartbeat:
            electionElapsed = 0
            lead = message.from
            handleHeartbeat(message)
        case .snapshot:
            electionElapsed = 0
            lead = message.from
            handleSnapshotChunk(message)
        case .timeoutNow:
            // Thesis §3.10: the leader says our log is caught up; campaign at once.
            campaign(.transfer)
        case .readIndexResponse:
            readStates.append(ReadState(index: message.index, context: message.context))
        case .transferLeader:
            guard lead != 0 else { return }
            var forwarded = message
            forwarded.from = id
            forwarded.to = lead
            forwarded.term = term
            send(forwarded)
        default:
            // Includes `.propose` sent to a leader that has since stepped down: it is not
            // forwarded again (no hops, no loops); its proposer times out and retries.
            break
        }
    }

    mutating func send(_ message: Message) {
        messages.append(message)
    }
}
