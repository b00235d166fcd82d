/// Proposal forwarding (etcd `stepFollower` MsgProp; thesis §6.2 "clients may contact any
/// server; a follower forwards the request to the leader") and forgetting a leader (etcd
/// `ForgetLeader`).
///
/// Only normal entries travel: configuration changes stay leader-only, because the
/// leader's checks (`leaderTermNotCommitted`, `confChangePending`, `confChangeInvalid`)
/// answer the caller synchronously, which a fire-and-forget forward could not. A server
/// sends a membership request to `status.lead` instead.
extension RaftCore {
    /// The follower side of `propose(batch:)`: one `.propose` message to the leader, stamped
    /// with this node's term so that only the leader of that term accepts it.
    mutating func forwardProposal(_ batch: [[UInt8]]) throws(RaftError) {
        guard role == .follower, lead != 0 else { throw .proposalDropped(.noLeader) }
        guard !config.disableProposalForwarding else { throw .proposalDropped(.notLeader) }
        guard !batch.isEmpty, batch.count <= RaftLimits.entriesPerMessageMax else {
            throw .proposalDropped(.badProposalSize)
        }
        let limit = RaftLimits.forwardedProposalBytesMax
        guard Self.payloadBytes(batch) <= UInt64(limit) else {
            throw .proposalDropped(.forwardedProposalBytesLimit(limit: limit))
        }
        let entries = batch.map { Entry(term: 0, index: 0, kind: .normal, data: $0) }
        send(Message(kind: .propose, from: id, to: lead, term: term, entries: entries))
    }

    /// The leader side: append a member's forwarded batch as if proposed here. Anything a
    /// local `propose` would refuse is dropped without an answer (etcd does the same); the
    /// follower's caller notices by a timeout and retries.
    mutating func handleForwardedProposal(_ message: Message) {
        guard tracker.isMember(message.from), !message.entries.isEmpty,
              message.entries.allSatisfy({ $0.kind == .normal }) else { return }
        // Thesis §3.10: no new entries while leadership is being handed over.
        guard leadTransferee == 0 else { return }
        let payloadBytes = Self.payloadBytes(message.entries.map(\.data))
        guard payloadBytes <= UInt64(RaftLimits.forwardedProposalBytesMax),
              reserveUncommittedBytes(payloadBytes) else { return }
        appendEntries(message.entries.map {
            Entry(term: term, index: 0, kind: .normal, data: $0.data)
        })
    }

    /// A follower forgets its leader without campaigning (etcd `ForgetLeader`). Vote
    /// requests are then no longer held back by the leader lease (thesis §4.2.3), so when
    /// the caller has good reason to think the leader is gone (it was removed, or an outside
    /// failure detector says so) an election can finish at once instead of after an
    /// election timeout. Proposals throw `.noLeader` until a leader is heard from again;
    /// a leader that is still alive restores itself with its next heartbeat. No-op unless
    /// this node is a follower.
    public mutating func forgetLeader() {
        guard role == .follower else { return }
        lead = 0
    }
}
