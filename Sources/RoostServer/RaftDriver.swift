import DiscoveryHTTP
import KVStore
import Platform
import Raft
import Synchronization

/// Drives one member's `RaftCore`: the only thread that touches the core and its
/// `DiskStorage`. It takes client proposals, peer messages and read barriers from a
/// bounded queue, ticks the core every `tickNanoseconds`, and handles each `Ready` in
/// the contract's order: persist (one fdatasync per Ready: group commit), send, apply
/// committed entries to the key space, publish their events, answer their clients,
/// serve reads whose index is applied, then `advance()`.
///
/// It runs on the event loop of the peer transport: a peer's message is decoded, stepped
/// and answered on one thread, and the messages of a `Ready` are written to the peers'
/// sockets before its fsync, without a hand-off to another thread on either side (each
/// hand-off costs a wake-up, about 0.1 ms on a busy 2-core machine; a put crosses four of
/// them between two members). The loop is the driver's alone apart from peer I/O: a
/// blocking fsync there delays only peer reads, which would wait for the driver anyway.
final class RaftDriver: @unchecked Sendable {
    enum Input: Sendable {
        case propose(Proposal)
        case message(Message)
        case read(@Sendable (Result<Void, ServiceError>) -> Void)
        case membership(MembershipRequest, @Sendable (Result<MemberInfo, MembershipError>) -> Void)
        case transfer(UInt64, @Sendable (Result<Void, MembershipError>) -> Void)
        case lease(LeaseQuery, LeaseCompletion)
    }

    struct Proposal: Sendable {
        var command: KVCommand
        var encoded: [UInt8]
        var completion: @Sendable (Result<ApplyOutcome, ServiceError>) -> Void
    }

    struct Pending {
        var completion: @Sendable (Result<ApplyOutcome, ServiceError>) -> Void
        var deadline: UInt64
        /// The term the proposal was made (or forwarded to the leader) in: its entry, if
        /// it is ever appended, carries this term.
        var term: UInt64
    }

    /// Heartbeat interval; the election timeout is `RaftConfig.electionTicks` of these
    /// (etcd's defaults: 100 ms and 1 s).
    static let tickNanoseconds: UInt64 = 100_000_000
    /// A proposal or read not answered within this is answered "request timed out"
    /// (etcd's 5 s plus slack); its entry may still commit later.
    static let requestTimeoutNanoseconds: UInt64 = 7_000_000_000

    let inputs: WorkQueue<Input>
    let keySpace: ServerKeySpace
    let configuration: ServerConfiguration
    let storage: DiskStorage
    let clock = MonotonicClock()
    let onFatal: @Sendable (String) -> Void
    let send: @Sendable ([Message]) -> Void
    /// Called on the driver thread after each applied membership change, with the new
    /// table and whether this member was the one removed.
    let onMembershipChange: @Sendable (MemberTable, Bool) -> Void
    // Driver-thread state.
    var core: RaftCore
    var pending: [UInt64: Pending] = [:]
    var nextRequest: UInt64 = 1
    var readsWaitingForIndex: [UInt64: [@Sendable (Result<Void, ServiceError>) -> Void]] = [:]
    var readsWaitingForApply:
        [(index: UInt64, waiters: [@Sendable (Result<Void, ServiceError>) -> Void])] = []
    var nextReadContext: UInt64 = 1
    /// Read rounds in the order they were asked, with their deadlines.
    var readDeadlines: [(context: UInt64, deadline: UInt64)] = []
    var applied: UInt64
    var termStartIndex: UInt64 = 0
    /// The leader this member last knew of (0: none), to notice leadership changes.
    var knownLead: UInt64 = 0
    /// When a message from the leader last arrived (monotonic), published for LastContact.
    var leaderContactNanoseconds: UInt64 = 0
    var snapshots = SnapshotScheduler()
    var members: MemberTable
    /// A leadership transfer waiting for its target to lead: (target, completion, deadline).
    var pendingTransfer: (UInt64, @Sendable (Result<Void, MembershipError>) -> Void, UInt64)?
    var pendingMemberships:
        [(UInt64, ConfChange.Kind, @Sendable (Result<MemberInfo, MembershipError>) -> Void, UInt64)] =
            []
    /// `member/update` proposals waiting to be applied, by request number.
    var pendingMemberCommands:
        [UInt64: (completion: MembershipCompletion, deadline: UInt64, term: UInt64)] = [:]
    /// This member's own attribute proposal in flight (request number, retry deadline).
    var attributesInFlight: (request: UInt64, deadline: UInt64)?
    /// Lease deadlines, owned while this member leads.
    var leaseTimers = LeaseTimers()
    var leaseQueries: [UInt64: PendingLeaseQuery] = [:]
    var nextLeaseQuery: UInt64 = 1
    var failed = false
    /// The loop the driver runs on (shared with the peer transport).
    let loop: EventLoop
    /// Set while a drain of `inputs` is queued on the loop: one task per burst of inputs.
    private let drainScheduled = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)
    private var tickTimer: TimerID?

    init(
        core: RaftCore, storage: DiskStorage, applied: UInt64, imageBytes: Int64,
        keySpace: ServerKeySpace, configuration: ServerConfiguration, members: MemberTable,
        loop: EventLoop,
        send: @escaping @Sendable ([Message]) -> Void,
        onMembershipChange: @escaping @Sendable (MemberTable, Bool) -> Void,
        onFatal: @escaping @Sendable (String) -> Void
    ) {
        self.core = core
        self.storage = storage
        self.applied = applied
        self.keySpace = keySpace
        self.configuration = configuration
        self.loop = loop
        self.send = send
        self.members = members
        self.onMembershipChange = onMembershipChange
        self.onFatal = onFatal
        self.inputs = WorkQueue(capacity: configuration.proposalQueueCapacity)
        self.snapshots = SnapshotScheduler(snapshotIndex: applied, imageBytes: imageBytes)
    }

    /// Starts driving on `loop`, which must be running. Any thread but the loop's.
    func start() {
        running.store(true, ordering: .sequentiallyConsistent)
        loop.execute { [self] in begin() }
    }

    /// Stops taking input, fails what is still waiting, and returns once the loop holds
    /// no more driver work. Any thread but the loop's.
    func stop() {
        inputs.close()
        if running.exchange(false, ordering: .sequentiallyConsistent) {
            do throws(Errno) {
                try loop.executeAndWait { [self] () throws(Errno) in finish() }
            } catch {
                preconditionFailure("finishing the driver cannot throw: \(error)")
            }
        } else {
            failEverything(.stopped)  // never started: no loop task touches this driver
        }
        snapshots.join()
        storage.close()
    }

    // MARK: Any thread

    func submit(_ proposal: Proposal) {
        guard offer(.propose(proposal)) else {
            return proposal.completion(.failure(inputs.isClosed ? .stopped : .busy))
        }
    }

    func receive(_ message: Message) {
        _ = offer(.message(message))  // full: dropped, Raft retransmits
    }

    func submit(
        _ request: MembershipRequest,
        _ completion: @escaping @Sendable (Result<MemberInfo, MembershipError>) -> Void
    ) {
        guard offer(.membership(request, completion)) else {
            return completion(.failure(.service(inputs.isClosed ? .stopped : .busy)))
        }
    }

    func submitTransfer(
        to target: UInt64, _ completion: @escaping @Sendable (Result<Void, MembershipError>) -> Void
    ) {
        guard offer(.transfer(target, completion)) else {
            return completion(.failure(.service(inputs.isClosed ? .stopped : .busy)))
        }
    }

    func submitLeaseQuery(_ query: LeaseQuery, _ completion: @escaping LeaseCompletion) {
        guard offer(.lease(query, completion)) else {
            return completion(.failure(inputs.isClosed ? .stopped : .busy))
        }
    }

    func readBarrier(_ completion: @escaping @Sendable (Result<Void, ServiceError>) -> Void) {
        guard offer(.read(completion)) else {
            return completion(.failure(inputs.isClosed ? .stopped : .busy))
        }
    }

    /// Queues `input` and makes sure a drain will take it; false when the queue is full
    /// or closed.
    private func offer(_ input: Input) -> Bool {
        guard inputs.offer(input) else { return false }
        scheduleDrain()
        return true
    }

    /// Also called by the snapshot thread when an image is written, so it is adopted at
    /// once rather than at the next tick.
    func scheduleDrain() {
        guard !drainScheduled.exchange(true, ordering: .sequentiallyConsistent) else { return }
        loop.execute { [self] in drain() }
    }

    // MARK: The driver thread (the loop's)

    private func begin() {
        if core.status.confState.voters == [core.id] { core.campaign() }
        // Peers to dial and the member list clients see, from the recovered table.
        onMembershipChange(members, false)
        processReady()
        scheduleTick()
    }

    /// Takes what is queued, at most one batch (a bigger burst gets another drain, so
    /// peer I/O and ticks go on between batches), and handles what it makes ready.
    private func drain() {
        // Cleared before taking: an input queued after the take schedules another drain.
        drainScheduled.store(false, ordering: .sequentiallyConsistent)
        // Stopping: leave the queue to `finish`, which answers everything in it.
        guard running.load(ordering: .sequentiallyConsistent) else { return }
        let batch = inputs.takeAll(max: configuration.batchEntriesMax, timeoutNanoseconds: 0)
        if batch.count == configuration.batchEntriesMax { scheduleDrain() }
        handle(batch)
        snapshots.finishIfDone(self)
        processReady()
    }

    private func scheduleTick() {
        tickTimer = loop.schedule(afterNanoseconds: RaftDriver.tickNanoseconds) { [self] in
            tick()
        }
    }

    /// One tick of the core and of every deadline. A stalled loop (a slow fsync) ticks
    /// once when it resumes, not once per missed interval.
    private func tick() {
        guard running.load(ordering: .sequentiallyConsistent) else { return }
        core.tick()
        let now = clock.nowNanoseconds()
        expireRequests(now: now)
        expireReads(now: now)
        expireMemberships(now: now)
        publishAttributesIfNeeded(now: now)
        checkTransfer(now: now)
        expireLeaseQueries(now: now)
        revokeExpiredLeases(now: now)
        snapshots.finishIfDone(self)
        processReady()
        scheduleTick()
    }

    private func finish() {
        if let tickTimer { _ = loop.cancel(tickTimer) }
        tickTimer = nil
        failEverything(.stopped)
    }

    private func handle(_ batch: [Input]) {
        var proposals: [Proposal] = []
        var reads: [@Sendable (Result<Void, ServiceError>) -> Void] = []
        for input in batch {
            switch input {
            case .propose(let proposal): proposals.append(proposal)
            case .message(let message) where message.kind == .application:
                receiveApplication(message)
            case .message(let message):
                core.step(message)
                noteLeaderContact(message)
            case .read(let completion): reads.append(completion)
            case .membership(let request, let completion): changeMembership(request, completion)
            case .transfer(let target, let completion): transferLeadership(to: target, completion)
            case .lease(let query, let completion): queryLease(query, completion)
            }
        }
        if !proposals.isEmpty { propose(proposals) }
        if !reads.isEmpty { requestRead(reads) }
    }

    func propose(_ proposals: [Proposal]) {
        guard !failed else {
            for proposal in proposals { proposal.completion(.failure(.stopped)) }
            return
        }
        let deadline = clock.nowNanoseconds() + RaftDriver.requestTimeoutNanoseconds
        let term = core.status.term
        var datas: [[UInt8]] = []
        datas.reserveCapacity(proposals.count)
        var requests: [UInt64] = []
        for proposal in proposals {
            let request = nextRequest
            nextRequest += 1
            requests.append(request)
            datas.append(
                ProposalEnvelope(proposer: core.id, request: request, command: proposal.encoded)
                    .encode())
        }
        do {
            _ = try core.propose(batch: datas)
        } catch {
            let reason: ServiceError = error == .proposalDropped(.noLeader) ? .noLeader : .busy
            for proposal in proposals {
                proposal.completion(.failure(RaftDriver.serviceError(error, else: reason)))
            }
            return
        }
        for (request, proposal) in zip(requests, proposals) {
            pending[request] = Pending(
                completion: proposal.completion, deadline: deadline, term: term)
            snapshots.logBytesSinceSnapshot += Int64(proposal.encoded.count)
        }
    }

    /// Appends, heartbeats and snapshot chunks come only from a leader of the current term.
    private func noteLeaderContact(_ message: Message) {
        switch message.kind {
        case .append, .heartbeat, .snapshot:
            if message.from == core.leader {
                leaderContactNanoseconds = clock.nowNanoseconds()
            }
        default: break
        }
    }

    static func serviceError(_ error: RaftError, else fallback: ServiceError) -> ServiceError {
        switch error {
        case .proposalDropped(.noLeader), .proposalDropped(.notLeader): return .noLeader
        case .proposalDropped(.leadershipTransferInProgress): return .noLeader
        case .proposalDropped(.uncommittedBytesLimit), .proposalDropped(.tooManyPendingReads),
            .proposalDropped(.forwardedProposalBytesLimit):
            return .busy
        default: return fallback
        }
    }

    /// Answers every request that waited longer than the request timeout.
    private func expireRequests(now: UInt64) {
        let expired = pending.filter { $0.value.deadline <= now }
        for (request, entry) in expired {
            pending.removeValue(forKey: request)
            entry.completion(.failure(.timedOut))
        }
    }

    func failEverything(_ error: ServiceError) {
        for (_, entry) in pending { entry.completion(.failure(error)) }
        pending.removeAll()
        for (_, waiters) in readsWaitingForIndex {
            for waiter in waiters { waiter(.failure(error)) }
        }
        readsWaitingForIndex.removeAll()
        for (_, waiters) in readsWaitingForApply {
            for waiter in waiters { waiter(.failure(error)) }
        }
        readsWaitingForApply.removeAll()
        for pending in pendingMemberships { pending.2(.failure(.service(error))) }
        for (_, pending) in pendingMemberCommands { pending.completion(.failure(.service(error))) }
        pendingMemberCommands.removeAll()
        pendingTransfer?.1(.failure(.service(error)))
        pendingTransfer = nil
        pendingMemberships.removeAll()
        for (_, query) in leaseQueries { query.completion(.failure(error)) }
        leaseQueries.removeAll()
        for input in inputs.takeAll(max: Int.max, timeoutNanoseconds: 0) {
            switch input {
            case .propose(let proposal): proposal.completion(.failure(error))
            case .read(let completion): completion(.failure(error))
            case .membership(_, let completion): completion(.failure(.service(error)))
            case .transfer(_, let completion): completion(.failure(.service(error)))
            case .lease(_, let completion): completion(.failure(error))
            case .message: break
            }
        }
    }

    func fail(_ reason: String) {
        guard !failed else { return }
        failed = true
        keySpace.update { $0.healthy = false }
        failEverything(.stopped)
        inputs.close()
        onFatal(reason)
    }
}
