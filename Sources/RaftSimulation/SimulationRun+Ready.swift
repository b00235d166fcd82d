import Linearizability
import Raft

/// A node's Ready loop, following the `Ready` contract as the server does: persist, then
/// send (a leader sends first), then apply.
extension SimulationRun {
    mutating func drainReady(_ index: Int) {
        while violations.isEmpty, nodes[index].core?.hasReady == true {
            guard let ready = nodes[index].core?.ready() else { return }
            guard handle(ready, at: index) else { return }
            nodes[index].core?.advance()
            if nodes[index].isRetired {
                nodes[index].stop()
                return
            }
        }
    }

    /// Returns false when the node crashed while handling `ready`.
    private mutating func handle(_ ready: Ready, at index: Int) -> Bool {
        if let soft = ready.softState { observe(soft, at: index) }
        if let hardState = ready.hardState { checkMonotonic(hardState, at: index) }
        // The server's order (RaftDriver.processReady): a leader sends before its own write
        // is durable (thesis §10.2.1), so a leader that crashes mid-write may already have
        // sent entries it never kept. Everyone else sends only after persisting.
        let leads = (ready.softState?.role ?? nodes[index].core?.status.role) == .leader
        if leads { for message in ready.messages { send(message) } }
        let storage = nodes[index].storage
        storage.append(ready.entries)
        if let hardState = ready.hardState { storage.setHardState(hardState) }
        if ready.mustSync && nodes[index].crashesInNextWrite {
            crashMidWrite(index, ready: ready)
            return false
        }
        nodes[index].disk.write(
            entries: ready.entries, hardState: ready.hardState, sync: ready.mustSync)
        if ready.softState?.role == .leader, let term = nodes[index].core?.status.term,
           let violation = checker.checkLeaderCompleteness(
               node: nodes[index].id, term: term, storage: storage, tick: tick) {
            report(violation)
            return false
        }
        if !leads { for message in ready.messages { send(message) } }
        apply(ready.committedEntries, at: index)
        for readState in ready.readStates {
            if let slot = nodes[index].pendingReads.firstIndex(where: {
                $0.context == readState.context
            }) {
                nodes[index].pendingReads[slot].readIndex = readState.index
            }
        }
        serveReads(at: index)
        let grantedVote = ready.messages.contains { $0.kind == .voteResponse && !$0.reject }
        if grantedVote && !isHealing && random.chance(swarm.crashAfterVotePercent) {
            crash(index, quickRestart: true)
            return false
        }
        return violations.isEmpty
    }

    private mutating func observe(_ soft: SoftState, at index: Int) {
        let previous = nodes[index].soft
        nodes[index].soft = SimNode.SoftView(lead: soft.lead, role: soft.role)
        let term = nodes[index].core?.status.term ?? 0
        record(.role(node: nodes[index].id, term: term, role: soft.role, lead: soft.lead))
        if soft.role == .leader {
            stats.elections += 1
            if let violation = checker.observeLeader(node: nodes[index].id, term: term,
                                                     tick: tick) {
                report(violation)
            }
        }
        if previous.lead != soft.lead || previous.role != soft.role {
            failPendingRequests(at: index, leaderHint: soft.lead)
        }
    }

    /// The node lost (or changed) its leader: requests it holds may never be answered, so
    /// their clients are told to retry (writes keep their request id, so a write that still
    /// commits is applied once).
    private mutating func failPendingRequests(at index: Int, leaderHint: UInt64) {
        let writes = nodes[index].pendingWrites
        let reads = nodes[index].pendingReads
        nodes[index].pendingWrites.removeAll()
        nodes[index].pendingReads.removeAll()
        for write in writes {
            reply(to: write.clientID, seq: write.seq, .redirect(leaderHint: leaderHint))
        }
        for read in reads {
            reply(to: read.clientID, seq: read.seq, .redirect(leaderHint: leaderHint))
        }
    }

    private mutating func checkMonotonic(_ hardState: HardState, at index: Int) {
        let node = nodes[index]
        if hardState.term < node.lastTerm || hardState.commit < node.lastCommit {
            report(Violation(
                kind: .monotonicity, tick: tick,
                detail: "node \(node.id) hard state went from term \(node.lastTerm) commit "
                    + "\(node.lastCommit) to term \(hardState.term) commit \(hardState.commit)"))
        }
        nodes[index].lastTerm = hardState.term
        nodes[index].lastCommit = hardState.commit
    }

    private mutating func apply(_ entries: [Entry], at index: Int) {
        let id = nodes[index].id
        for entry in entries where violations.isEmpty {
            guard entry.index == nodes[index].lastApplied + 1 else {
                report(Violation(
                    kind: .monotonicity, tick: tick,
                    detail: "node \(id) applies \(entry.index) after "
                        + "\(nodes[index].lastApplied)"))
                return
            }
            if let violation = checker.observeApply(node: id, entry: entry, tick: tick) {
                report(violation)
                return
            }
            nodes[index].lastApplied = entry.index
            stats.entriesCommitted = max(stats.entriesCommitted, Int(entry.index))
            let applied = applyEntry(entry, at: index)
            record(.apply(node: id, index: entry.index, term: entry.term, entry: applied))
        }
    }

    private mutating func applyEntry(_ entry: Entry, at index: Int) -> TraceEvent.AppliedEntry {
        if entry.kind == .configurationChange {
            guard let change = try? ConfChange.decode(entry.data) else {
                preconditionFailure("the core committed a malformed conf change")
            }
            if change.kind == .removeNode { retire(change.nodeID) }
            if change.nodeID == spareNodeID { spareNodeID = nil }
            return .configurationChange(change)
        }
        guard !entry.data.isEmpty else { return .noop }
        guard let command = SimCommand.decode(entry.data) else {
            preconditionFailure("only the simulator writes entries, and it writes commands")
        }
        let output = nodes[index].stateMachine.apply(command)
        if let output, let slot = nodes[index].pendingWrites.firstIndex(where: {
            $0.clientID == command.clientID && $0.seq == command.seq
        }) {
            nodes[index].pendingWrites.remove(at: slot)
            reply(to: command.clientID, seq: command.seq, .done(output))
        }
        return .command(client: command.clientID, seq: command.seq, input: command.input,
                        ignored: output == nil)
    }

    /// Serves the reads whose read index the node has applied (thesis §6.4 step 4).
    mutating func serveReads(at index: Int) {
        let applied = nodes[index].lastApplied
        var slot = 0
        while slot < nodes[index].pendingReads.count {
            let read = nodes[index].pendingReads[slot]
            guard let readIndex = read.readIndex, readIndex <= applied else {
                slot += 1
                continue
            }
            nodes[index].pendingReads.remove(at: slot)
            let value = nodes[index].stateMachine.value(of: read.key)
            record(.read(node: nodes[index].id, client: read.clientID, seq: read.seq,
                         readIndex: readIndex))
            reply(to: read.clientID, seq: read.seq, .done(.value(value)))
        }
    }

    /// A removed node stops for good once its removal is applied anywhere.
    private mutating func retire(_ id: UInt64) {
        guard let index = nodeIndex(of: id), !nodes[index].isRetired else { return }
        nodes[index].isRetired = true
        nodes[index].restartAtTick = nil
        record(.schedule(text: "node \(id) removed from the cluster: stopped for good"))
    }
}
