import Raft

/// The fault schedule: phases of network faults and partitions, crashes and restarts,
/// membership changes and leadership transfers, then a healing phase.
extension SimulationRun {
    /// Phases of 100-400 ticks until healing starts (Jepsen staggers faults the same way).
    func makePhasesDrawing(_ random: inout SimRandom) -> [FaultPhase] {
        var result: [FaultPhase] = []
        var start: UInt64 = 0
        while start < healStartTick {
            result.append(randomPhase(startTick: start, random: &random))
            start += UInt64(random.int(in: 100...400))
        }
        result.append(FaultPhase(
            startTick: healStartTick, conditions: .healthy, partition: .none, crashPerMille: 0,
            slowClockNode: nil, isHealing: true))
        return result
    }

    mutating func makePhases() -> [FaultPhase] {
        var draw = random
        let result = makePhasesDrawing(&draw)
        random = draw
        return result
    }

    private func randomPhase(startTick: UInt64, random: inout SimRandom) -> FaultPhase {
        var conditions = NetworkConditions.healthy
        conditions.lossPercent = random.int(in: 0...swarm.lossPercentMax)
        conditions.duplicatePercent = random.int(in: 0...swarm.duplicatePercentMax)
        conditions.delayTicksMin = 1
        conditions.delayTicksMax = random.int(in: 1...swarm.delayTicksMax)
        let partitions: [FaultPhase.Partition] = [
            .none, .none, .halves, .halvesOneWay, .isolateLeader, .leaderDeaf, .majoritiesRing,
        ]
        let partition = random.pick(partitions) ?? .none
        let crashStorm = random.chance(20)
        let crashPerMille = crashStorm ? swarm.crashPerMille * 4 + 4 : swarm.crashPerMille
        var slowClock: FaultPhase.SlowClock?
        if random.chance(30) {
            let divisor = random.int(in: 2...6)
            slowClock = random.chance(50)
                ? .leader(divisor: divisor) : .randomNode(divisor: divisor)
        }
        return FaultPhase(startTick: startTick, conditions: conditions, partition: partition,
                          crashPerMille: crashPerMille, slowClockNode: slowClock,
                          isHealing: false)
    }

    /// Enters the next phase when due; then, outside healing, draws this tick's faults.
    mutating func advanceSchedule() {
        for index in nodes.indices where nodes[index].isRetired && nodes[index].isUp {
            nodes[index].stop()
        }
        if phaseIndex + 1 < phases.count && phases[phaseIndex + 1].startTick <= tick {
            phaseIndex += 1
            enter(phases[phaseIndex])
        }
        guard phaseIndex >= 0, !phases[phaseIndex].isHealing else { return }
        if random.chance(perMille: phases[phaseIndex].crashPerMille) { crashRandomNode() }
        if random.chance(perMille: swarm.membershipPerMille) { changeMembership() }
        if random.chance(perMille: swarm.transferPerMille) { transferLeadership() }
    }

    private mutating func enter(_ phase: FaultPhase) {
        network.conditions = phase.conditions
        network.healPartitions()
        for index in nodes.indices { nodes[index].clockDivisor = 1 }
        switch phase.slowClockNode {
        case .leader(let divisor):
            if let leader = currentLeaderID, let index = nodeIndex(of: leader) {
                nodes[index].clockDivisor = divisor
                record(.schedule(text: "leader \(leader)'s clock runs \(divisor)x slow"))
            }
        case .randomNode(let divisor):
            if let index = random.pick(Array(nodes.indices)) {
                nodes[index].clockDivisor = divisor
                record(.schedule(text: "node \(nodes[index].id)'s clock runs \(divisor)x slow"))
            }
        case nil:
            break
        }
        if phase.isHealing {
            for index in nodes.indices where !nodes[index].isRetired {
                nodes[index].crashesInNextWrite = false
                if !nodes[index].isUp { nodes[index].restartAtTick = tick }
            }
        } else {
            partition(phase.partition)
        }
        record(.schedule(text: phase.description))
    }

    // MARK: - Partitions

    /// Ids of the nodes that take part in partitions (every node not removed).
    private var liveIDs: [UInt64] { nodes.filter { !$0.isRetired }.map(\.id) }

    var currentLeaderID: UInt64? {
        var best: (id: UInt64, term: UInt64)?
        for node in nodes where node.isUp && node.soft.role == .leader {
            let term = node.core?.status.term ?? 0
            if best == nil || term > (best?.term ?? 0) { best = (node.id, term) }
        }
        return best?.id
    }

    private mutating func partition(_ kind: FaultPhase.Partition) {
        let ids = liveIDs
        switch kind {
        case .none:
            break
        case .halves, .halvesOneWay:
            let shuffled = random.shuffled(ids)
            let cut = random.int(in: 1...max(1, shuffled.count - 1))
            let left = Array(shuffled[..<cut])
            let right = Array(shuffled[cut...])
            for a in left {
                for b in right {
                    network.block(from: a, to: b)
                    if kind == .halves { network.block(from: b, to: a) }
                }
            }
        case .isolateLeader, .leaderDeaf:
            guard let leader = currentLeaderID ?? random.pick(ids) else { return }
            for other in ids where other != leader {
                network.block(from: other, to: leader)
                if kind == .isolateLeader { network.block(from: leader, to: other) }
            }
        case .majoritiesRing:
            let ring = random.shuffled(ids)
            let reach = ring.count / 2
            for (position, a) in ring.enumerated() {
                for (otherPosition, b) in ring.enumerated() where a != b {
                    let distance = abs(position - otherPosition)
                    if min(distance, ring.count - distance) > reach / 2 + reach % 2 {
                        network.block(from: a, to: b)
                    }
                }
            }
        }
        record(.schedule(text: "partition \(kind) over nodes \(ids)"))
    }

    // MARK: - Crashes

    private mutating func crashRandomNode() {
        let up = nodes.indices.filter { nodes[$0].isUp && !nodes[$0].crashesInNextWrite }
        guard let index = random.pick(up) else { return }
        if random.chance(swarm.midWriteCrashPercent) {
            nodes[index].crashesInNextWrite = true
        } else {
            crash(index)
        }
    }

    /// The process dies between writes: the unsynced hard state is lost. A supervisor may
    /// restart it at once (`quickRestart`).
    mutating func crash(_ index: Int, quickRestart: Bool = false) {
        nodes[index].disk.crash()
        record(.crash(node: nodes[index].id, midWrite: false, keptEntries: 0, writtenEntries: 0))
        stop(index)
        if quickRestart { nodes[index].restartAtTick = tick + 1 }
    }

    /// Power loss while `ready` was being written: nothing of it was synced and its messages
    /// never left (a leader's had, see `drainReady`); a prefix of its entries may have
    /// reached the disk (a torn write).
    mutating func crashMidWrite(_ index: Int, ready: Ready) {
        let kept = random.chance(50) ? random.int(in: 0...ready.entries.count) : 0
        let keepsHardState = random.chance(50)
        nodes[index].disk.crash(
            interrupted: ready.entries, hardState: ready.hardState, keptEntryCount: kept,
            keepsHardState: keepsHardState)
        record(.crash(node: nodes[index].id, midWrite: true, keptEntries: kept,
                      writtenEntries: ready.entries.count))
        stop(index)
    }

    private mutating func stop(_ index: Int) {
        stats.crashes += 1
        nodes[index].stop()
        let downTicks = random.int(in: 1...swarm.restartDelayTicksMax)
        nodes[index].restartAtTick = isHealing ? tick + 1 : tick + UInt64(downTicks)
    }

    mutating func restartDueNodes() {
        for index in nodes.indices {
            guard !nodes[index].isUp, !nodes[index].isRetired,
                  let due = nodes[index].restartAtTick, due <= tick else { continue }
            restart(index)
        }
    }

    /// The node comes back from exactly what its disk kept; the state machine is rebuilt by
    /// re-applying the log from index 1.
    private mutating func restart(_ index: Int) {
        let forgetsVote = options.plants(.forgetVoteOnRestart)
        let storage = nodes[index].disk.restoredStorage(
            bootstrap: bootstrap, forgetsVote: forgetsVote)
        nodes[index].storage = storage
        nodes[index].core = makeCore(id: nodes[index].id, storage: storage)
        nodes[index].restartAtTick = nil
        let state = (try? storage.initialState().0) ?? HardState()
        record(.restart(node: nodes[index].id, term: state.term, vote: state.vote,
                        lastIndex: (try? storage.lastIndex()) ?? 0, commit: state.commit))
        nodes[index].lastTerm = state.term
        nodes[index].lastCommit = state.commit
        drainReady(index)
    }

    // MARK: - Membership and leadership

    /// One step of add learner -> promote -> remove, keeping at least the initial number of
    /// voters (so never fewer than 3).
    private mutating func changeMembership() {
        guard let leaderID = currentLeaderID, let leader = nodeIndex(of: leaderID),
              let conf = nodes[leader].core?.status.confState else { return }
        let change: ConfChange
        if let learner = conf.learners.first {
            change = ConfChange(kind: .addVoter, nodeID: learner)
        } else if conf.voters.count > options.resolvedNodeCount {
            guard let victim = random.pick(conf.voters.sorted()) else { return }
            change = ConfChange(kind: .removeNode, nodeID: victim)
        } else {
            guard let spare = ensureSpareNode() else { return }
            change = ConfChange(kind: .addLearner, nodeID: spare)
        }
        do {
            try nodes[leader].core?.proposeConfChange(change)
            stats.membershipChanges += 1
            record(.schedule(text: "node \(leaderID) proposes \(change.kind) \(change.nodeID)"))
        } catch {
            record(.schedule(text: "conf change \(change.kind) \(change.nodeID) refused: "
                + "\(error)"))
        }
        drainReady(leader)
    }

    /// A fresh node (new id, empty disk) to add, started now so it can receive the log.
    private mutating func ensureSpareNode() -> UInt64? {
        if let spareNodeID { return spareNodeID }
        guard nodes.count < SimulationLimits.nodesEverMax else { return nil }
        let id = (nodes.map(\.id).max() ?? 0) + 1
        nodes.append(makeNode(id: id))
        spareNodeID = id
        record(.schedule(text: "spare node \(id) started"))
        return id
    }

    private mutating func transferLeadership() {
        guard let leaderID = currentLeaderID, let leader = nodeIndex(of: leaderID),
              let conf = nodes[leader].core?.status.confState,
              let target = random.pick(conf.voters.sorted().filter({ $0 != leaderID }))
        else { return }
        do {
            try nodes[leader].core?.transferLeadership(to: target)
            stats.transfers += 1
            record(.schedule(text: "node \(leaderID) transfers leadership to \(target)"))
        } catch {
            record(.schedule(text: "transfer to \(target) refused: \(error)"))
        }
        drainReady(leader)
    }
}
