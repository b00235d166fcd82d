/// Single-server membership changes (thesis §4.1) and learners (thesis §4.2.1).
/// A change takes effect when its entry is applied (see `RaftCore`); the leader accepts
/// one only after it committed an entry of its own term and once the previous change is
/// applied, which is the fix for the single-server-change bug (thesis errata, Chapter 4).
extension RaftCore {
    /// Proposes a membership change; returns the index of its entry. Leader only: a
    /// follower throws `.notLeader` (or `.noLeader`) and the caller sends the request to
    /// `status.lead` (see `RaftCore+Forwarding` for why changes are not forwarded).
    @discardableResult
    public mutating func proposeConfChange(_ change: ConfChange) throws(RaftError) -> UInt64 {
        try checkCanPropose()
        guard committedEntryInCurrentTerm else {
            throw .proposalDropped(.leaderTermNotCommitted)
        }
        guard pendingConfIndex <= raftLog.applied else {
            throw .proposalDropped(.confChangePending)
        }
        try validate(change)
        let entry = Entry(term: term, index: 0, kind: .configurationChange, data: change.encode())
        let index = appendEntries([entry])
        pendingConfIndex = index
        return index
    }

    private func validate(_ change: ConfChange) throws(RaftError) {
        guard change.nodeID != 0 else { throw .proposalDropped(.confChangeInvalid) }
        let contextLimit = RaftLimits.confChangeContextBytesMax
        guard change.context.count <= contextLimit else {
            throw .proposalDropped(.confChangeContextTooLarge(limit: contextLimit))
        }
        let isVoter = tracker.isVoter(change.nodeID)
        let isMember = tracker.isMember(change.nodeID)
        switch change.kind {
        case .addVoter, .addLearner:
            guard !isVoter else { throw .proposalDropped(.confChangeInvalid) }
            if change.kind == .addLearner && isMember {
                throw .proposalDropped(.confChangeInvalid)
            }
            guard isMember || tracker.memberCount < RaftLimits.membersMax else {
                throw .proposalDropped(.tooManyMembers(limit: RaftLimits.membersMax))
            }
        case .removeNode:
            guard isMember else { throw .proposalDropped(.confChangeInvalid) }
            guard !(isVoter && tracker.voters.count == 1) else {
                throw .proposalDropped(.confChangeInvalid)
            }
        }
    }

    /// Applies a committed change to the membership (called by `advance()` in log order).
    mutating func applyConfChange(_ change: ConfChange) {
        let next = raftLog.lastIndex + 1
        switch change.kind {
        case .addVoter:
            guard tracker.memberCount < RaftLimits.membersMax
                    || tracker.isMember(change.nodeID) else { return }
            tracker.addVoter(change.nodeID, next: next)
        case .addLearner:
            guard tracker.memberCount < RaftLimits.membersMax else { return }
            tracker.addLearner(change.nodeID, next: next)
        case .removeNode:
            tracker.remove(change.nodeID)
            // The removed leader steps down once it applies this (below); followers need
            // not honour its lease until then (etcd `ForgetLeader`), so the election that
            // follows is not held up by an election timeout of ignored votes.
            if change.nodeID == lead && role == .follower { forgetLeader() }
        }
        guard role == .leader else { return }
        guard tracker.isVoter(id) else {
            // Thesis §4.2.2: a leader removed from the configuration steps down once the
            // change is committed (it is applied, so it is).
            becomeFollower(term: term, lead: 0)
            return
        }
        if leadTransferee != 0 && !tracker.isVoter(leadTransferee) {
            leadTransferee = 0
        }
        // A smaller quorum may commit more; new members need the log.
        _ = maybeCommit()
        broadcastPending = true
    }
}
