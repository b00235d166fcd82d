/// Leader election (§5.2), PreVote (thesis §9.6) and the vote rules of §5.4.1.
extension RaftCore {
    enum CampaignKind: Sendable {
        /// Ask "would you vote for me?" without changing the term.
        case preElection
        /// A real election at term + 1.
        case election
        /// An election requested by the leader (TimeoutNow); may disrupt leases.
        case transfer
    }

    /// Starts an election now, as an election timeout would (with PreVote when configured).
    public mutating func campaign() {
        guard role != .leader, isPromotable else { return }
        // A committed but unapplied configuration change could change who votes; wait
        // until it is applied (etcd `hup`).
        guard !hasUnappliedConfChange() else { return }
        campaign(config.preVote ? .preElection : .election)
    }

    mutating func campaign(_ kind: CampaignKind) {
        guard isPromotable else { return }
        let voteTerm: UInt64
        let requestKind: Message.Kind
        if kind == .preElection {
            becomePreCandidate()
            voteTerm = term + 1
            requestKind = .preVote
        } else {
            becomeCandidate()
            voteTerm = term
            requestKind = .vote
        }
        // The candidate votes for itself (§5.2); the vote is persisted with the hard state
        // before any request leaves (Ready contract).
        if tracker.recordVote(from: id, granted: true) == .won {
            winElection(kind)
            return
        }
        let lastIndex = raftLog.lastIndex
        let lastTerm = raftLog.lastTerm
        for voter in tracker.voters where voter != id {
            send(Message(
                kind: requestKind, from: id, to: voter, term: voteTerm, logTerm: lastTerm,
                index: lastIndex, isLeadershipTransfer: kind == .transfer))
        }
    }

    private mutating func winElection(_ kind: CampaignKind) {
        if kind == .preElection {
            campaign(.election)
        } else {
            becomeLeader()
        }
    }

    private func hasUnappliedConfChange() -> Bool {
        guard raftLog.committed > raftLog.applied else { return false }
        let lo = max(raftLog.applied + 1, raftLog.firstIndex)
        guard lo <= raftLog.committed,
              let pending = try? raftLog.slice(lo, raftLog.committed + 1, maxBytes: .max)
        else { return false }
        return pending.contains { $0.kind == .configurationChange }
    }

    /// RequestVote receiver (Figure 2): grant if we have not voted for someone else in
    /// this term and the candidate's log is at least as up to date as ours (§5.4.1).
    mutating func handleVoteRequest(_ message: Message) {
        let canVote = vote == message.from
            || (vote == 0 && lead == 0)
            || (message.kind == .preVote && message.term > term)
        let responseKind = message.kind.voteResponseKind
        if canVote && raftLog.isUpToDate(lastIndex: message.index, term: message.logTerm) {
            // Reply at the request's term: a PreVote grant is for the future term.
            send(Message(kind: responseKind, from: id, to: message.from, term: message.term))
            if message.kind == .vote {
                electionElapsed = 0
                vote = message.from
            }
        } else {
            send(Message(
                kind: responseKind, from: id, to: message.from, term: term, reject: true))
        }
    }

    mutating func handleVoteResponse(_ message: Message) {
        switch tracker.recordVote(from: message.from, granted: !message.reject) {
        case .won:
            winElection(role == .preCandidate ? .preElection : .election)
        case .lost:
            // §5.2: a candidate that cannot win goes back to following; PreVote too.
            becomeFollower(term: term, lead: 0)
        case .pending:
            break
        }
    }
}
