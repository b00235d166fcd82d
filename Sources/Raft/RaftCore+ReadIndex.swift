/// Linearizable reads without a log write (thesis §6.4): the leader records its commit
/// index, confirms it is still leader with a heartbeat quorum, and returns
/// `ReadState(index, context)`; the caller serves the read once applied >= index.
/// Requests are term-bound: a role change drops them all, and the caller retries with a
/// fresh context (etcd-io/etcd#21399).
extension RaftCore {
    /// Asks for a read index for `context`, a caller-chosen unique request id. The answer
    /// arrives in `Ready.readStates`. On a follower the request is forwarded to the leader.
    public mutating func readIndex(context: [UInt8]) throws(RaftError) {
        guard context.count <= RaftLimits.contextBytesMax, !context.isEmpty else {
            throw .proposalDropped(.badReadContext)
        }
        let request = Message(kind: .readIndex, from: id, to: lead, term: term, context: context)
        guard role == .leader else {
            guard lead != 0 else { throw .proposalDropped(.noLeader) }
            send(request)
            return
        }
        guard !readOnly.contains(context),
              !pendingReadIndexMessages.contains(where: { $0.context == context }) else {
            throw .proposalDropped(.duplicateReadContext)
        }
        try leaderReadIndex(request)
    }

    mutating func handleForwardedReadIndex(_ message: Message) {
        guard tracker.isMember(message.from), !message.context.isEmpty,
              !readOnly.contains(message.context) else { return }
        try? leaderReadIndex(message)
    }

    private mutating func leaderReadIndex(_ request: Message) throws(RaftError) {
        guard readOnly.count + pendingReadIndexMessages.count < RaftLimits.pendingReadIndexMax
        else {
            throw .proposalDropped(.tooManyPendingReads(limit: RaftLimits.pendingReadIndexMax))
        }
        // Step 1: until the no-op of this term commits, the commit index may be stale.
        if !committedEntryInCurrentTerm
            && !config.testingFaults.contains(.serveReadIndexBeforeNoOpCommit) {
            pendingReadIndexMessages.append(request)
            return
        }
        let quorumAlreadyHere = tracker.voters == [id]
            || config.testingFaults.contains(.serveReadIndexWithoutQuorum)
        if quorumAlreadyHere {
            answerRead(requester: request.from, index: raftLog.committed, context: request.context)
            return
        }
        // Steps 2-3: remember the commit index, then one heartbeat round confirms it.
        readOnly.add(index: raftLog.committed, requester: request.from, context: request.context)
        handleReadIndexAck(from: id, context: request.context)
        broadcastHeartbeat(context: request.context)
    }

    /// A heartbeat response echoed `context`: `from` still follows us.
    mutating func handleReadIndexAck(from: UInt64, context: [UInt8]) {
        guard let acks = readOnly.recordAck(from: from, context: context) else { return }
        let result = Quorum.voteResult(voters: tracker.voters) { voter in
            acks.contains(voter) ? true : nil
        }
        guard result == .won else { return }
        for request in readOnly.release(through: context) {
            answerRead(requester: request.requester, index: request.index,
                       context: request.context)
        }
    }

    private mutating func answerRead(requester: UInt64, index: UInt64, context: [UInt8]) {
        if requester == id {
            readStates.append(ReadState(index: index, context: context))
        } else {
            send(Message(
                kind: .readIndexResponse, from: id, to: requester, term: term, index: index,
                context: context))
        }
    }

    /// The first entry of this term committed: serve the reads held since the election.
    mutating func releasePendingReadIndexMessages() {
        let held = pendingReadIndexMessages
        pendingReadIndexMessages.removeAll()
        for request in held {
            try? leaderReadIndex(request)
        }
    }
}
