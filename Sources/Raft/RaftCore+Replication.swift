/// Log replication (§5.3), commitment (§5.4.2) and flow control (etcd `design.md`).
extension RaftCore {
    /// Proposes one command. See `propose(batch:)` for where it goes and what is returned.
    @discardableResult
    public mutating func propose(_ data: [UInt8]) throws(RaftError) -> UInt64? {
        try propose(batch: [data])
    }

    /// Proposes several commands at once. Every proposal made between two `ready()` calls
    /// goes out in one MsgApp per follower (up to `maxSizePerMsgBytes`).
    ///
    /// - On the leader: appends the entries and returns the index of the last one.
    /// - On a follower that knows its leader: forwards the batch to it in one `.propose`
    ///   message (etcd `stepFollower`, thesis §6.2) and returns nil, because only the
    ///   leader numbers entries. The leader appends a forwarded batch as if it had been
    ///   proposed there, or drops it silently (leadership transfer, uncommitted-bytes cap,
    ///   a lost message, a stale term): the caller must recognise its commands by an id
    ///   inside `data` when they show up in `Ready.committedEntries`, and retry on timeout.
    /// - Throws `.noLeader` on a candidate, a pre-candidate or a follower without a leader,
    ///   and `.notLeader` on a follower when `disableProposalForwarding` is set.
    @discardableResult
    public mutating func propose(batch: [[UInt8]]) throws(RaftError) -> UInt64? {
        guard role == .leader else {
            try forwardProposal(batch)
            return nil
        }
        guard leadTransferee == 0 else {
            throw .proposalDropped(.leadershipTransferInProgress)
        }
        guard !batch.isEmpty, batch.count <= RaftLimits.entriesPerMessageMax else {
            throw .proposalDropped(.badProposalSize)
        }
        guard reserveUncommittedBytes(Self.payloadBytes(batch)) else {
            let limit = config.uncommittedEntriesBytesMax
            throw .proposalDropped(.uncommittedBytesLimit(limit: limit))
        }
        let entries = batch.map { Entry(term: term, index: 0, kind: .normal, data: $0) }
        return appendEntries(entries)
    }

    static func payloadBytes(_ batch: [[UInt8]]) -> UInt64 {
        var bytes: UInt64 = 0
        for data in batch { bytes += UInt64(data.count) }
        return bytes
    }

    /// Counts `payloadBytes` against `uncommittedEntriesBytesMax`, or returns false when
    /// they do not fit. etcd `increaseUncommittedSize`: a proposal always fits when nothing
    /// is uncommitted, so one entry larger than the limit cannot wedge the leader.
    mutating func reserveUncommittedBytes(_ payloadBytes: UInt64) -> Bool {
        let limit = config.uncommittedEntriesBytesMax
        if uncommittedBytes > 0 && payloadBytes > 0 && uncommittedBytes + payloadBytes > limit {
            return false
        }
        uncommittedBytes += payloadBytes
        return true
    }

    /// The gate of leader-only requests (`proposeConfChange`): never forwarded; the error
    /// says whether a leader is known, for the caller to redirect to `status.lead`.
    func checkCanPropose() throws(RaftError) {
        guard role == .leader else {
            throw .proposalDropped(lead == 0 ? .noLeader : .notLeader)
        }
        guard leadTransferee == 0 else {
            throw .proposalDropped(.leadershipTransferInProgress)
        }
    }

    /// Appends to the leader's own log (§5.3 "Leader Append-Only": only ever at the end).
    @discardableResult
    mutating func appendEntries(_ entries: [Entry]) -> UInt64 {
        var numbered = entries
        let lastIndex = raftLog.lastIndex
        for offset in numbered.indices {
            numbered[offset].term = term
            numbered[offset].index = lastIndex + 1 + UInt64(offset)
        }
        let newLast = raftLog.append(numbered[...])
        broadcastPending = true
        if config.testingFaults.contains(.commitWithoutQuorum) {
            _ = raftLog.maybeCommit(index: newLast, term: term)
        }
        return newLast
    }

    // MARK: - Leader side

    /// Sends `to` the entries after its `next`, or a snapshot if they were compacted.
    /// Returns whether a message went out.
    @discardableResult
    mutating func maybeSendAppend(to slot: Int, sendIfEmpty: Bool) -> Bool {
        let progress = tracker.progress[slot]
        guard !progress.isPaused else { return false }
        let prevIndex = progress.next - 1
        let prevTerm: UInt64
        let entries: [Entry]
        do throws(RaftError) {
            prevTerm = try raftLog.term(prevIndex)
            entries = try raftLog.slice(
                progress.next, raftLog.lastIndex + 1, maxBytes: config.maxSizePerMsgBytes)
        } catch {
            return sendSnapshot(to: slot)
        }
        if entries.isEmpty && !sendIfEmpty { return false }
        var bytes: UInt64 = 0
        for entry in entries { bytes += entry.sizeBytes }
        send(Message(
            kind: .append, from: id, to: progress.id, term: term, logTerm: prevTerm,
            index: prevIndex, entries: entries, commit: raftLog.committed))
        tracker.progress[slot].sentEntries(count: entries.count, bytes: bytes)
        return true
    }

    /// Sends what each follower lacks (with the commit index, even if nothing else).
    mutating func broadcastAppend() {
        for slot in tracker.progress.indices where tracker.progress[slot].id != id {
            if maybeSendAppend(to: slot, sendIfEmpty: true) {
                // Pipelining: keep sending while the window allows (replicate state).
                while maybeSendAppend(to: slot, sendIfEmpty: false) {}
            }
        }
    }

    /// Flushes a broadcast deferred by proposals or a commit advance.
    mutating func flushBroadcast() {
        guard broadcastPending else { return }
        broadcastPending = false
        if role == .leader { broadcastAppend() }
    }

    /// §5.3/§5.4.2: the commit index is the highest index a majority has matched, and only
    /// an entry of the current term commits by counting replicas.
    mutating func maybeCommit() -> Bool {
        let wasCommittedInTerm = committedEntryInCurrentTerm
        let index = config.testingFaults.contains(.commitWithoutQuorum)
            ? raftLog.lastIndex : tracker.committedIndex()
        guard raftLog.maybeCommit(index: index, term: term) else { return false }
        if !wasCommittedInTerm { releasePendingReadIndexMessages() }
        return true
    }

    var committedEntryInCurrentTerm: Bool {
        raftLog.termOrZero(raftLog.committed) == term
    }

    mutating func handleAppendResponse(_ message: Message) {
        guard let slot = tracker.slot(of: message.from) else { return }
        tracker.progress[slot].recentActive = true
        if message.reject {
            handleAppendRejection(message, slot: slot)
            return
        }
        let wasPaused = tracker.progress[slot].isPaused
        let progress = tracker.progress[slot]
        guard tracker.progress[slot].maybeUpdate(message.index)
              || (progress.match == message.index && progress.state == .probe) else { return }
        switch tracker.progress[slot].state {
        case .probe:
            tracker.progress[slot].becomeReplicate()
        case .snapshot where tracker.progress[slot].match + 1 >= raftLog.firstIndex:
            // The snapshot (or a log that caught up meanwhile) got the follower back
            // within the log: resume normal replication.
            tracker.progress[slot].becomeProbe()
            tracker.progress[slot].becomeReplicate()
        case .snapshot:
            break
        case .replicate:
            tracker.progress[slot].inflights.freeLE(message.index)
        }
        if maybeCommit() {
            broadcastPending = true
        } else if wasPaused {
            maybeSendAppend(to: slot, sendIfEmpty: false)
        }
        while maybeSendAppend(to: slot, sendIfEmpty: false) {}
        if message.from == leadTransferee && tracker.progress[slot].match == raftLog.lastIndex {
            sendTimeoutNow(to: message.from)
        }
    }

    /// Fast log repair (§5.3 "the leader decrements nextIndex and retries", with the
    /// follower's hint to skip a whole term per round trip).
    private mutating func handleAppendRejection(_ message: Message, slot: Int) {
        var nextProbe = message.rejectHint
        if message.logTerm > 0 {
            nextProbe = raftLog.findConflictByTerm(
                index: message.rejectHint, term: message.logTerm).index
        }
        guard tracker.progress[slot].maybeDecrTo(
            rejected: message.index, matchHint: nextProbe) else { return }
        if tracker.progress[slot].state == .replicate {
            tracker.progress[slot].becomeProbe()
        }
        maybeSendAppend(to: slot, sendIfEmpty: false)
    }

    mutating func broadcastHeartbeat(context: [UInt8]?) {
        for progress in tracker.progress where progress.id != id {
            // Never tell a follower to commit past what it is known to hold.
            let commit = min(progress.match, raftLog.committed)
            send(Message(
                kind: .heartbeat, from: id, to: progress.id, term: term, commit: commit,
                context: context ?? []))
        }
    }

    mutating func handleHeartbeatResponse(_ message: Message) {
        guard let slot = tracker.slot(of: message.from) else { return }
        tracker.progress[slot].recentActive = true
        tracker.progress[slot].msgAppFlowPaused = false
        if tracker.progress[slot].state == .replicate && tracker.progress[slot].inflights.isFull {
            // The follower is alive; let one message through so a lost MsgApp surfaces
            // as a rejection instead of wedging the window (etcd `FreeFirstOne`).
            tracker.progress[slot].inflights.freeFirstOne()
        }
        if tracker.progress[slot].state == .snapshot {
            resendSnapshotChunk(to: slot)
        } else if tracker.progress[slot].match < raftLog.lastIndex {
            // Even with nothing new to send, an empty MsgApp at `next - 1` makes a follower
            // that lost pipelined messages reject, which moves it back to probing.
            maybeSendAppend(to: slot, sendIfEmpty: true)
        }
        if !message.context.isEmpty {
            handleReadIndexAck(from: message.from, context: message.context)
        }
    }

    // MARK: - Follower side

    /// AppendEntries receiver, Figure 2 rules 1-5 (rule 1, the stale term, is `step`'s).
    mutating func handleAppend(_ message: Message) {
        if message.index < raftLog.committed {
            send(Message(
                kind: .appendResponse, from: id, to: message.from, term: term,
                index: raftLog.committed))
            return
        }
        if let lastNew = raftLog.maybeAppend(
            index: message.index, logTerm: message.logTerm, committed: message.commit,
            entries: message.entries) {
            send(Message(
                kind: .appendResponse, from: id, to: message.from, term: term, index: lastNew))
            return
        }
        // Rule 2 failed: tell the leader where our log could match, skipping whole terms.
        let hint = raftLog.findConflictByTerm(
            index: min(message.index, raftLog.lastIndex), term: message.logTerm)
        send(Message(
            kind: .appendResponse, from: id, to: message.from, term: term,
            logTerm: hint.term, index: message.index, reject: true, rejectHint: hint.index))
    }

    mutating func handleHeartbeat(_ message: Message) {
        raftLog.commitTo(min(message.commit, raftLog.lastIndex))
        send(Message(
            kind: .heartbeatResponse, from: id, to: message.from, term: term,
            context: message.context))
    }
}
