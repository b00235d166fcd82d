import Linearizability
import Raft

/// Liveness once healing starts, end-of-run convergence, Log Matching and linearizability.
extension SimulationRun {
    mutating func checkLiveness() {
        guard isHealing else { return }
        if healedLeaderTick == nil {
            if let leader = leaderKnownToAllMembers() {
                healedLeaderTick = tick
                record(.schedule(text: "healing: node \(leader) leads, known to all members"))
            } else if tick > healStartTick + UInt64(LivenessBounds.leaderElectedTicksMax) {
                report(Violation(
                    kind: .liveness, tick: tick,
                    detail: "no leader known to every live member within "
                        + "\(LivenessBounds.leaderElectedTicksMax) ticks of healing"))
                return
            }
        }
        guard let electedTick = healedLeaderTick else { return }
        for client in clients {
            guard let request = client.current, request.callTick >= electedTick,
                  tick - request.callTick > UInt64(LivenessBounds.requestCompletedTicksMax)
            else { continue }
            report(Violation(
                kind: .liveness, tick: tick,
                detail: "client c\(client.id)#\(request.seq) called at t=\(request.callTick) "
                    + "after healing elected a leader, still pending after "
                    + "\(LivenessBounds.requestCompletedTicksMax) ticks"))
            return
        }
    }

    /// A leader whose every live member (voter or learner) follows it.
    private func leaderKnownToAllMembers() -> UInt64? {
        guard let leaderID = currentLeaderID, let leader = nodeIndex(of: leaderID),
              let conf = nodes[leader].core?.status.confState else { return nil }
        for member in conf.voters + conf.learners {
            guard let index = nodeIndex(of: member), !nodes[index].isRetired else { continue }
            guard nodes[index].isUp, nodes[index].soft.lead == leaderID else { return nil }
        }
        return leaderID
    }

    /// At the end of a clean healing phase every request finished and every live member
    /// applied everything the leader committed.
    mutating func checkEnd() {
        for client in clients {
            guard let request = client.current else { continue }
            report(Violation(
                kind: .liveness, tick: tick,
                detail: "client c\(client.id)#\(request.seq) (called t=\(request.callTick)) "
                    + "still pending at the end of the run"))
            return
        }
        guard let leaderID = currentLeaderID, let leader = nodeIndex(of: leaderID),
              let status = nodes[leader].core?.status else {
            report(Violation(kind: .liveness, tick: tick, detail: "no leader at the end"))
            return
        }
        for member in status.confState.voters + status.confState.learners {
            guard let index = nodeIndex(of: member), !nodes[index].isRetired else { continue }
            guard nodes[index].lastApplied != status.commit else { continue }
            report(Violation(
                kind: .liveness, tick: tick,
                detail: "node \(member) applied \(nodes[index].lastApplied) at the end, the "
                    + "leader \(leaderID) committed \(status.commit)"))
            return
        }
        checkLogMatching()
    }

    /// Compares every pair of written logs (Figure 3 "Log Matching").
    mutating func checkLogMatching() {
        var logs: [(node: UInt64, entries: [Entry])] = []
        for node in nodes where node.isUp {
            let last = (try? node.storage.lastIndex()) ?? 0
            let entries = (try? node.storage.entries(1, last + 1, maxBytes: .max)) ?? []
            logs.append((node.id, entries))
        }
        if let violation = SafetyChecker.checkLogMatching(logs, tick: tick) {
            report(violation)
        }
    }

    /// The client history against the key-value model (Wing & Gong / Porcupine). A timeout
    /// is reported as a failure to study, never as a pass.
    mutating func checkHistory() {
        switch checkLinearizable(history, model: KVModel(), budget: .standard) {
        case .linearizable:
            break
        case .notLinearizable(let counterexample):
            report(Violation(kind: .linearizability, tick: tick, detail: counterexample))
        case .timedOut:
            report(Violation(
                kind: .linearizabilityTimedOut, tick: tick,
                detail: "checker budget exhausted on \(history.count) operations"))
        }
    }
}
