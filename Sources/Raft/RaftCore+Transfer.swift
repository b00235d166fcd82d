/// Leadership transfer (thesis §3.10): the leader stops accepting proposals, brings the
/// transferee up to date, then sends TimeoutNow so it campaigns at once (its vote
/// requests carry a flag that overrides the vote lease). Abandoned after an election
/// timeout.
extension RaftCore {
    /// Hands leadership to `transferee`. On a follower the request goes to the leader.
    public mutating func transferLeadership(to transferee: UInt64) throws(RaftError) {
        guard role == .leader else {
            guard lead != 0 else { throw .proposalDropped(.noLeader) }
            send(Message(kind: .transferLeader, from: id, to: lead, term: term, index: transferee))
            return
        }
        try startTransfer(to: transferee)
    }

    mutating func startTransfer(to transferee: UInt64) throws(RaftError) {
        guard role == .leader else { return }
        guard tracker.isVoter(transferee) else {
            throw .proposalDropped(.transfereeNotVoter)
        }
        if leadTransferee == transferee { return }
        leadTransferee = 0
        guard transferee != id else { return }
        // The election-timeout clock bounds the transfer.
        electionElapsed = 0
        leadTransferee = transferee
        guard let slot = tracker.slot(of: transferee) else { return }
        if tracker.progress[slot].match == raftLog.lastIndex {
            sendTimeoutNow(to: transferee)
        } else {
            maybeSendAppend(to: slot, sendIfEmpty: true)
        }
    }

    mutating func sendTimeoutNow(to transferee: UInt64) {
        send(Message(kind: .timeoutNow, from: id, to: transferee, term: term))
    }
}
