import DiscoveryHTTP
import KVStore
import Raft

/// Lease deadlines (reference/etcd.md §1.7). The leader owns them in `leaseTimers`:
/// keep-alives refresh them without a log write, and expired leases become revoke
/// proposals, so expiry deletes the attached keys through the log like any write. A
/// follower forwards keep-alives and time-to-live questions to the leader in
/// `.application` messages.
extension RaftDriver {
    typealias LeaseCompletion = @Sendable (Result<LeaseStatus?, ServiceError>) -> Void

    /// Revokes proposed per tick: etcd's `leaseRevokeRate` of 1,000 a second at our
    /// 100 ms tick. A mass expiry becomes a steady stream instead of one huge batch.
    static let leaseRevokesPerTick = 100
    /// Forwarded lease questions waiting for the leader's answer; more are refused as
    /// busy. Keep-alives are small and answered within a round trip.
    static let leaseQueriesMax = 10_000

    func queryLease(_ query: LeaseQuery, _ completion: @escaping LeaseCompletion) {
        guard !failed else { return completion(.failure(.stopped)) }
        let status = core.status
        if status.role == .leader { return completion(.success(answerLease(query))) }
        guard status.lead != 0 else { return completion(.failure(.noLeader)) }
        guard leaseQueries.count < RaftDriver.leaseQueriesMax else {
            return completion(.failure(.busy))
        }
        let number = nextLeaseQuery
        nextLeaseQuery += 1
        leaseQueries[number] = PendingLeaseQuery(
            completion: completion,
            deadline: clock.nowNanoseconds() + RaftDriver.requestTimeoutNanoseconds)
        send([
            Message(
                kind: .application, from: core.id, to: status.lead, term: status.term,
                context: LeaseWire.request(number: number, query: query).encode())
        ])
    }

    /// The leader's answer from its own timers; nil for an unknown or expired lease.
    private func answerLease(_ query: LeaseQuery) -> LeaseStatus? {
        let now = clock.nowNanoseconds()
        switch query {
        case .renew(let id):
            guard let ttl = leaseTimers.renew(id, now: now) else { return nil }
            return LeaseStatus(remainingSeconds: ttl, grantedSeconds: ttl)
        case .timeToLive(let id):
            guard let left = leaseTimers.remaining(id, now: now) else { return nil }
            return LeaseStatus(remainingSeconds: left.seconds, grantedSeconds: left.grantedSeconds)
        }
    }

    /// A lease message from a peer: a question to answer if this member leads, or the
    /// answer to one this member forwarded.
    func receiveApplication(_ message: Message) {
        guard let wire = LeaseWire.decode(message.context) else { return }
        switch wire {
        case .request(let number, let query):
            let outcome: LeaseWire.Outcome
            if core.status.role != .leader {
                outcome = .notLeader
            } else if let status = answerLease(query) {
                outcome = .status(status)
            } else {
                outcome = .unknown
            }
            send([
                Message(
                    kind: .application, from: core.id, to: message.from, term: core.status.term,
                    context: LeaseWire.answer(number: number, outcome: outcome).encode())
            ])
        case .answer(let number, let outcome):
            guard let pending = leaseQueries.removeValue(forKey: number) else { return }
            switch outcome {
            case .status(let status): pending.completion(.success(status))
            case .unknown: pending.completion(.success(nil))
            case .notLeader: pending.completion(.failure(.noLeader))
            }
        }
    }

    func expireLeaseQueries(now: UInt64) {
        guard !leaseQueries.isEmpty else { return }
        for (number, pending) in leaseQueries where pending.deadline <= now {
            leaseQueries.removeValue(forKey: number)
            pending.completion(.failure(.timedOut))
        }
    }

    /// Takes or gives up ownership of the deadlines when this member's role changes.
    func leadershipChanged(isLeader: Bool) {
        if isLeader {
            guard !leaseTimers.isPrimary else { return }
            let grants = keySpace.storeImage().leaseGrants()
            leaseTimers.promote(leases: grants, now: clock.nowNanoseconds())
        } else if leaseTimers.isPrimary {
            leaseTimers.demote()
        }
    }

    /// Keeps the timers in step with grants and revokes as they are applied.
    func noteLeaseChanges(_ commands: [KVCommand], _ outcomes: [ApplyOutcome]) {
        for (command, outcome) in zip(commands, outcomes) {
            switch (command, outcome.result) {
            case (.leaseGrant, .leaseGranted(let id, let ttlSeconds)):
                leaseTimers.granted(id, ttlSeconds: ttlSeconds, now: clock.nowNanoseconds())
            case (.leaseRevoke(let id), .leaseRevoked):
                leaseTimers.revoked(id)
            default:
                continue
            }
        }
    }

    /// The leader proposes a revoke for each lease past its deadline. A lost proposal is
    /// retried after `LeaseTimers.revokeRetryNanoseconds`.
    func revokeExpiredLeases(now: UInt64) {
        let expired = leaseTimers.takeExpired(now: now, limit: RaftDriver.leaseRevokesPerTick)
        guard !expired.isEmpty else { return }
        var proposals: [Proposal] = []
        for id in expired {
            let command = KVCommand.leaseRevoke(id: id)
            guard let encoded = try? command.validatedEncoding() else { continue }
            proposals.append(Proposal(command: command, encoded: encoded) { _ in })
        }
        propose(proposals)
    }
}

/// A lease question forwarded to the leader, waiting for its answer.
struct PendingLeaseQuery {
    var completion: RaftDriver.LeaseCompletion
    var deadline: UInt64
}
